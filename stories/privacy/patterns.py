"""Identifying patterns that need no private record: ID numbers, phones, addresses, classes,
chat IDs, licence plates, hospital beds and dates of birth. See the package docstring."""

from __future__ import annotations

import re
from datetime import date

from .text import _is_digit, _mask, _mask_numbers, _Prepared

# --- patterns ---------------------------------------------------------------------------
# All patterns run on the folded text (simplified, lower case, ASCII digits and brackets).
# They allow spaces but not line breaks, so separate paragraphs never join into one match;
# traditional forms stay in the character classes in case a character escapes the fold.

# Each pattern opens with a lookahead on its possible first characters: it lets the regex
# engine reject most positions at once, which keeps a 50 KB story well under 50 ms.
# Eighteen characters, written whole or in groups (6-8-4, 4-4-4-4-2…) with one space or
# hyphen between groups; the checksum and the birth date inside tell an ID from other digits.
_ID_RE = re.compile(r"(?=[1-9])(?<![0-9])[1-9](?:[ -]?\d){16}[ -]?[0-9x](?![0-9])")

# Eleven digits from 13… to 19…, whole or in groups of any size with a space, hyphen or dot
# between (139 0851 2345, 1390-851-2345, 187.8512.3344), or in Chinese numerals.
_MOBILE_RE = re.compile(
    r"(?=[+01一])(?<![0-9+¥￥$.])(?P<prefix>(?:\+|00)[ \t]?86[ -]?)?"
    r"(?P<number>1[3-9](?:[ .-]?\d){9}|一[三四五六七八九][〇零一二三四五六七八九]{9})"
    r"(?![0-9〇零一二三四五六七八九])(?!\.\d)"
    # 13800000000 元 is an amount, not a phone.
    r"(?!\s*[元万亿块])"
)
_CN_DIGIT_VALUE = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}

_AREA = r"(?:010|02\d|0[3-9]\d{2})"
_LANDLINE_RE = re.compile(
    rf"""
    (?=[(0])(?<![0-9a-z.\-/_])
    (?:
        \([ \t]?(?P<a1>{_AREA})[ \t]?\)[ \t]?-?[ \t]?(?P<l1>[1-9]\d{{2,3}}[- ]?\d{{4}})
      | (?P<a2>{_AREA})(?:[ \t]?-[ \t]?|[ \t])(?P<l2>[1-9]\d{{2,3}}[- ]?\d{{4}})
      | (?P<a3>{_AREA})(?P<l3>[2-9]\d{{6,7}})
    )
    (?![0-9])(?!\s*[元万亿块])
    """,
    re.VERBOSE,
)
# A local number without its area code, after a phone label: 家里电话是8123456, 座机：8612345.
_LOCAL_LINE_RE = re.compile(
    r"(?:电话|座机|固话|固定电话|联系方式)(?:号码|号)?[ \t]*(?:是|为|:|：)?[ \t]*"
    r"(?P<number>(?<![0-9])[2-9]\d{2,3}[ -]?\d{4})(?![0-9])(?!\s*[元万亿块])"
)

_NUM = r"(?:\d{1,5}|[零〇一二三四五六七八九十百千两兩]{1,8})"
# Road suffixes, each guarded against the everyday words that end in the same character
# (知道, 一路, 逛街, 这里, 公里...), which is where a date like “3 号” would otherwise follow.
_ROAD = (
    r"(?:(?<=[\u4e00-\u9fff])(?:大道|大街|胡同|巷|"
    r"(?<![一思道线線网網])路|(?<![逛])街|"
    r"(?<![知报報渠频頻难難味说說问問答笑一顺順])道|"
    r"(?<![这這那哪家心夜村城县縣手眼屋公千万萬月梦夢])里)"
    # Shanghai lanes are numbered: 长乐路 123 弄 4 号.
    r"|(?<=[\u4e00-\u9fff0-9 \t])弄)"
)
_STREET_RE = re.compile(
    # 甲/乙 before the number: Beijing's 朝阳北路甲3号.
    rf"(?=[大胡巷路街道里弄]){_ROAD}[ \t]*(?:[甲乙丙丁][ \t]*)?{_NUM}[ \t]*"
    rf"(?:[-之][ \t]*{_NUM}[ \t]*)?[号號](?![线線])",
)
# Rural addresses: a village, its group (村民小组) and the house, 幸福村5组12号. The village
# word in front is what tells it from a team and a player number (第一组3号选手).
_VILLAGE_RE = re.compile(
    rf"(?<=[\u4e00-\u9fff])(?:村|屯)[ \t]*{_NUM}[ \t]*(?:组|組|社|队|隊)[ \t]*{_NUM}[ \t]*[号號]"
)
_BUILDING_RE = re.compile(
    rf"(?=[0-9零〇一二三四五六七八九十百千两兩])(?<![0-9])"
    rf"{_NUM}[ \t]*(?:栋|棟|幢|座|号楼|號樓)[ \t]*{_NUM}[ \t]*(?:单元|單元)"
    rf"(?:[ \t]*{_NUM}[ \t]*(?:室|号|號))?"
)

_CLASS_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_GRADE = (
    r"(?:[1-9一二三四五六七八九][ \t]*年[ \t]*[级級]"
    r"|[初高][ \t]*中?[ \t]*[1-3一二三](?:[ \t]*年[ \t]*[级級])?)"
)
_SCHOOL_RE = re.compile(
    rf"(?=[1-9一二三四五六七八九初高])(?<![0-9])(?:"
    rf"{_GRADE}[ \t]*(?:\([ \t]*{_CLASS_NUM}[ \t]*\)|{_CLASS_NUM})"
    rf"|[1-9一二三四五六七八九][ \t]*\([ \t]*{_CLASS_NUM}[ \t]*\)"
    # 三年二班: the usual form in Taiwan, also written 3年2班.
    rf"|[一二三四五六1-6]年{_CLASS_NUM}"
    # 班次 and 班车 are runs of a bus or a train: 近3年20班次 is not a class.
    rf")[ \t]*班(?![次车車])"
)

# Where a displayed address stops growing to the left (家住在|人民路18号).
_ADDRESS_STOP = frozenset("在住于於址是的到从從向往和与與及")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# --- identifiers not in the record ---------------------------------------------------------

# A chat ID counts only with its label in front: five to eleven digits alone are an amount,
# a count or an order number far more often. "QQ群" is a group (an organisation's, usually),
# "微信公众号" a public account: neither is matched, because the label must be followed by
# the number or ID itself.
_QQ_RE = re.compile(
    r"(?=[q扣企])(?<![a-z])(?:qq|扣扣|企鹅号|q(?=号))[ \t]*(?:号码|号|账号|帐号)?"
    r"[ \t]*(?:是|为|:|：)?[ \t]*(?P<id>[1-9]\d{4,10})(?![0-9])"
)
_WECHAT_RE = re.compile(
    r"(?=[微威薇vw])(?<![a-z])"
    r"(?:(?:微信|威信|薇信|v信)(?:号码|号|账号|帐号|id)?[ \t]*(?:是|为|:|：)?"
    r"|(?:wechat|weixin|vx|wx)(?:[ \t]*id)?[ \t]*(?:是|为|:|：|[ \t]))"
    r"[ \t]*(?P<id>[a-z][-_a-z0-9]{5,19})(?![-_a-z0-9])"
)
# Province abbreviation, the issuing city's letter, then five (six: new-energy) characters
# with at least one digit, optionally after a middle dot, space or hyphen: 贵E·3K582.
_PLATE_RE = re.compile(
    r"(?=[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼黔滇蜀陇])"
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼黔滇蜀陇]"
    r"[ \t]?[a-hj-np-z][ \t]?[·•・.\-]?[ \t]?(?=[a-z0-9]{0,5}\d)[a-z0-9]{5,6}(?![a-z0-9])"
)
# A bed number is a number directly on 床 (12床, 12号床); with a measure word between
# (两张床) or a quilt after it (两床被子) it is furniture. Wards and rooms: 二病区, 307病房.
_CN_NUM = r"[零〇一二三四五六七八九十百两]"
_BED_RE = re.compile(
    rf"(?=[0-9零〇一二三四五六七八九十百两])(?<![0-9.])"
    rf"(?:\d{{1,4}}[ \t]*号?|{_CN_NUM}{{1,4}}号)[ \t]*(?:病|加)?床"
    r"(?![上下边头单铺费被褥垫罩板前旁沿])(?<![0-9 \t]床(?=位))"
    rf"|(?<![0-9.])(?:\d{{1,4}}|{_CN_NUM}{{1,4}})[ \t]*号?[ \t]*(?:病区|病房|病室)"
    # The label first: 病房302, 床位号12, 床号：8 (not 床位500张, 在病房3天).
    r"|(?:病房|病室)号?[ \t]*(?:是|为|:|：)?[ \t]*\d{3,4}(?![0-9天日年月周个次间])"
    r"|(?:床位|床号)号?[ \t]*(?:是|为|:|：)?[ \t]*\d{1,3}(?![0-9天日年月周个次张间])"
)
# An exact date of birth: a full date (year, month and day) next to 出生, 生于, 生日.
_Y = r"(?:(?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})"
_M = r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})"
_D = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# Year, month and day in figures or Chinese numerals, also mixed (2014年三月十五日).
_DATE = (
    rf"(?:{_Y}[ \t]*年[ \t]*{_M}[ \t]*月[ \t]*{_D}(?![0-9])[ \t]*[日号]?"
    r"|(?:19|20)\d{2}[ \t]*[-./][ \t]*\d{1,2}[ \t]*[-./][ \t]*\d{1,2}(?![0-9]))"
)
# A few words may come between (出生那天是…, …，她出生了), but not a birthday party's date
# (生日会在2026年6月1日举行) nor a sentence end.
_BIRTH_RE = re.compile(
    r"(?:出生|生于|生日|诞生|出世|降生|生辰)(?!会|派对|聚会|宴|晚会|蛋糕|礼物|愿望|活动)"
    r"(?:日期|年月日|时间)?[^。！？!?；;\n0-9]{0,4}?"
    rf"(?P<d1>{_DATE}|(?:19|20)\d{{6}}(?![0-9]))"
    rf"|(?P<d2>{_DATE})(?:[ \t]*生(?![活病产效意气长成动命日物])"
    # 2014年3月15日，她出生了; not an event date before 出生在山村的小雨 (where she was born).
    # 于2013年9月21日在县医院出生: the place of birth may come between.
    r"|[，,、 \t]{0,2}[她他]?(?:就|便)?(?:在[^，,。！？!?；;\n0-9]{1,10})?"
    r"(?:出生|诞生|降生|出世|呱呱坠地)"
    r"(?!不久|以来|后|在[^，,。！？!?；;\n]{0,10}的(?:小|孩子|她|他|女孩|男孩|姑娘|娃|少|学生|儿童)))"
)

# Labels of an organisation's public line, in the same sentence before the number: a
# charity's hotline or a bureau's consultation line is printed on purpose.
_PUBLIC_LINE_RE = re.compile(
    r"热线|咨询电话|办公室电话|办公电话|服务电话|客服电话|举报电话|投诉电话|监督电话|值班电话"
    r"|捐赠电话|捐款电话|报名电话|官方电话|传真|总机|官方qq|官方微信|客服qq|客服微信"
    r"|(?:基金会|协会|慈善会|总会|中心|办公室|民政局|教育局|妇联|团委|红十字会|委员会|秘书处"
    r"|机构|项目组|服务站|工作站)[^。！？!?；;\n]{0,6}(?:电话|联系方式|qq|微信)"
)
# A number right after an organisation's name: 县民政局 0851-86123456, 福利院（0851-…）.
_ORGANISATION_END_RE = re.compile(
    r"(?:基金会|协会|慈善会|总会|民政局|教育局|妇联|团委|红十字会|委员会|服务中心|指导中心"
    r"|救助站|救助管理站|福利院|办公室|秘书处|社工站|服务站)[ \t:：(（]*$"
)
_ORGANISATION_RE = re.compile(
    r"基金会|协会|慈善会|总会|民政局|教育局|妇联|团委|红十字会|委员会|服务中心|指导中心|救助站"
    r"|福利院|办公室|秘书处|社工站|服务站|项目组|项目办"
)
_OTHER_LABEL_RE = re.compile(r"电话|手机|号码|联系|微信|qq|座机")
# An organisation's contact person or sign-up line, whose own label (电话, 联系电话) follows:
# 报名请联系项目负责人王老师，电话…; 联系人：刘女士，联系电话：…. Here only a word about the
# child or the family in between (孩子妈妈的电话) ends the cover.
_CONTACT_RE = re.compile(
    r"(?:报名|预约|认捐|捐赠|捐款|咨询)(?:请|可|时|事宜)?(?:联系|致电|拨打)"
    r"|联系人[ \t]*[:：]?[^。！？!?；;\n，,]{0,6}(?:老师|女士|先生|主任|经理|社工|干事|专员)"
    r"|项目(?:负责人|官员|主管|联系人|专员)|机构联系人"
)
_PRIVATE_WORD_RE = re.compile(
    r"孩子|儿童|学生|家长|家属|家人|家里|家中|本人|亲属|亲戚|邻居|监护人|她|他|我(?!们)"
    r"|爷|奶|外公|外婆|姥|爸|妈|父|母|叔|婶|姑|舅|姨|伯|哥|姐|弟|妹"
)
_SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")


def _public_line(text: str, start: int, end: int, digits: str, public: frozenset[str]) -> bool:
    """Is the number at text[start:end] an organisation's public line?"""
    if digits in public or any(digits.endswith(p) and len(p) >= 7 for p in public):
        return True
    before = text[max(0, start - 24) : start]
    cut = list(_SENTENCE_END_RE.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    if _ORGANISATION_END_RE.search(before):
        return True
    labels = list(_PUBLIC_LINE_RE.finditer(before))
    # 热线 12355 或孩子妈妈的电话 139…: another number's label in between ends the cover.
    if labels and not _OTHER_LABEL_RE.search(before, labels[-1].end()):
        return True
    contacts = list(_CONTACT_RE.finditer(before))
    if contacts and not _PRIVATE_WORD_RE.search(before, contacts[-1].end()):
        return True
    # 0851-8612345（咨询电话）, 0851-86901234（基金会办公室）
    bracket = re.match(r"[ \t]*[(（]([^)）]{0,10})[)）]", text[end : end + 14])
    return bool(bracket) and bool(
        _PUBLIC_LINE_RE.search(bracket.group(1)) or _ORGANISATION_RE.search(bracket.group(1))
    )


# An organisation's own address is printed on purpose: 办公地址：…路95号, 基金会位于…,
# …路88号（基金会秘书处）.
_PUBLIC_ADDRESS_RE = re.compile(
    r"(?:办公|办公室|机构|秘书处|会址|总部)(?:地址|地点)|会址"
    r"|(?:基金会|协会|慈善会|总会|秘书处|服务中心|指导中心|社工站|服务站|救助站|福利院|民政局|教育局"
    r"|妇联|团委|红十字会|委员会|办公室|本会|本机构)(?:的)?(?:地址|办公地点|位于|设在|办公室在|搬到了?)"
)
_PUBLIC_ADDRESS_AFTER_RE = re.compile(
    r"[ \t]*[(（][^)）]{0,10}(?:基金会|协会|秘书处|办公室|服务中心|社工站|民政局|教育局|妇联|团委)"
)


def _public_address(text: str, start: int, end: int) -> bool:
    """Is the address ending at text[end] an organisation's, by its label in the sentence?"""
    before = text[max(0, start - 30) : start]
    cut = list(_SENTENCE_END_RE.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    if _PRIVATE_WORD_RE.search(before):
        return False
    return bool(_PUBLIC_ADDRESS_RE.search(before) or _PUBLIC_ADDRESS_AFTER_RE.match(text, end))


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_card_checksum_ok(s: str) -> bool:
    """True when `s` is 17 digits plus the right ISO 7064 MOD 11-2 check character."""
    if len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == s[17].upper()


def _plausible_birth_date(year: str, month: str, day: str) -> bool:
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


# --- the check ---------------------------------------------------------------------------


def _expand_left(visible: str, start: int, limit: int = 8) -> int:
    """Include the road or estate name before a match, for the editor to recognise it."""
    i = start
    if visible[start] == "弄":
        # The lane number belongs to the address: 长乐路 123 弄.
        while i > 0 and (visible[i - 1].isdigit() or visible[i - 1] == " "):
            i -= 1
        start = i
    while i > 0 and start - i < limit:
        c = visible[i - 1]
        if not _CJK_RE.match(c) or c in _ADDRESS_STOP:
            break
        i -= 1
    return i


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    # +86 / 0086 in front of a mobile: compared without it.
    return re.sub(r"^(?:0086|86)(?=1[3-9]\d{9}$)", "", digits)


def public_digits(numbers) -> frozenset[str]:
    """Public phone numbers (an Organization's) as digit strings, for `find_leaks`."""
    return frozenset(d for d in (_digits(str(n)) for n in numbers or ()) if len(d) >= 5)


def _pattern_hits(
    prep: _Prepared, public: frozenset[str] = frozenset()
) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, masked form) for every identifying pattern in one field."""
    text, visible = prep.norm, prep.visible
    hits: list[tuple[int, int, str, str]] = []
    # One digit run is one leak: an ID is not also reported as a phone, nor a mobile as a
    # landline, so the most specific pattern claims its digits first. A public line claims
    # its digits too, so no later pattern reports part of it.
    digits_taken: list[tuple[int, int]] = []

    for m in _ID_RE.finditer(text):
        raw = visible[m.start() : m.end()]
        compact = re.sub(r"[ -]", "", m.group()).upper()
        born = compact[6:10], compact[10:12], compact[12:14]
        if id_card_checksum_ok(compact) and _plausible_birth_date(*born):
            digits_taken.append(m.span())
            hits.append((m.start(), m.end(), "id_card", _mask(raw, 3, 4, _is_digit)))

    for m in _MOBILE_RE.finditer(text):
        if _overlaps(m.span(), digits_taken):
            continue
        number = m.group("number")
        # A list of small numbers (15 20 30 40 50 6) is not a phone: at most three breaks.
        if len(re.findall(r"[ .-]+", number)) > 3:
            continue
        digits_taken.append(m.span())
        digits = _digits("".join(_CN_DIGIT_VALUE.get(c, c) for c in number))
        if _public_line(text, m.start(), m.end(), digits, public):
            continue
        cut = m.start("number") - m.start()
        raw = visible[m.start() : m.end()]
        hits.append((m.start(), m.end(), "mobile", raw[:cut] + _mask(raw[cut:], 3, 4, _is_digit)))

    for m in _LANDLINE_RE.finditer(text):
        if _overlaps(m.span(), digits_taken):
            continue
        digits_taken.append(m.span())
        if _public_line(text, m.start(), m.end(), _digits(m.group()), public):
            continue
        area = m.group("a1") or m.group("a2") or m.group("a3")
        raw = visible[m.start() : m.end()]
        hits.append((m.start(), m.end(), "landline", _mask(raw, len(area), 2, _is_digit)))

    for m in _LOCAL_LINE_RE.finditer(text):
        start, end = m.span("number")
        if _overlaps((start, end), digits_taken):
            continue
        digits_taken.append((start, end))
        if _public_line(text, start, end, _digits(m.group("number")), public):
            continue
        hits.append((start, end, "landline", _mask(visible[start:end], 1, 2, _is_digit)))

    for pattern in (_QQ_RE, _WECHAT_RE):
        for m in pattern.finditer(text):
            if _overlaps(m.span("id"), digits_taken):
                continue
            # The label is read too: 官方微信：tongxin2008 is the organisation's account.
            if _public_line(text, m.start("id"), m.end(), _digits(m.group("id")), public):
                continue
            raw = visible[m.start() : m.end()]
            cut = m.start("id") - m.start()
            masked = raw[:cut] + _mask(raw[cut:], 2, 2, lambda c: c.isalnum())
            hits.append((m.start(), m.end(), "chat_id", masked))

    for m in _PLATE_RE.finditer(text):
        raw = visible[m.start() : m.end()]
        hits.append((m.start(), m.end(), "licence_plate", _mask(raw, 2, 0, lambda c: c.isalnum())))

    for m in _BED_RE.finditer(text):
        masked = _mask_numbers(visible[m.start() : m.end()])
        hits.append((m.start(), m.end(), "hospital_bed", masked))

    for m in _BIRTH_RE.finditer(text):
        group = "d1" if m.group("d1") else "d2"
        start, end = m.span(group)
        hits.append((start, end, "birth_date", _mask_numbers(visible[start:end])))

    for pattern in (_STREET_RE, _BUILDING_RE, _VILLAGE_RE):
        for m in pattern.finditer(text):
            if _public_address(text, m.start(), m.end()):
                continue
            start = _expand_left(visible, m.start())
            # Numerals inside a road name (三马路) stay; house, lane and unit numbers do not.
            name = re.sub(r"\d", "*", visible[start : m.start()])
            rest = _mask_numbers(visible[m.start() : m.end()])
            hits.append((start, m.end(), "street_address", name + rest))

    for m in _SCHOOL_RE.finditer(text):
        hits.append((m.start(), m.end(), "school_class", visible[m.start() : m.end()]))

    return hits
