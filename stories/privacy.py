"""Find private data and identifying patterns in a story's public text.

Pure Python on purpose (no Django import): the same check runs on import, on publish, on
scheduled publish and in tests, and it must be cheap enough to run on every save.

What counts as a leak (contract: contracts/content-format.md, `story` → Privacy check):

* ``private_value`` — any value from the story's private record (real name, guardians,
  school, address, notes lines), in either script. Only the *whole* value is matched, also
  when written with spaces or middle dots between the characters (王 小 明, 王·小明). A
  given name alone (小明 out of 王小明) is deliberately not matched: two-character given
  names are ordinary words (小华, 明明, 欣怡) and pseudonyms are often chosen to look like
  them, so matching them would block most stories for nothing. A value is also found
  romanized, as Wagtail spells it in an image's file name (王小明.jpg is stored as
  WangXiaoMing.jpg) and as editors write slugs (wang-xiaoming, xiaoming-wang): its
  syllables in order, each a whole word or a camel-case part, separated by nothing or by
  spaces, hyphens, underscores or dots. `collect_private_values`
  adds the sub-county parts of an address (石桥镇, 幸福村, 幸福小区) because a public story
  may name the county at most.
* ``id_card`` — an 18-character resident ID (GB 11643) with a valid ISO 7064 MOD 11-2
  check character and a real birth date no later than today. Eighteen digits with a wrong
  check character are not reported: they are order or account numbers far more often than
  mistyped IDs. The 15-digit first-generation ID is not detected: it has no check
  character, so any 15-digit number with a date inside would be flagged; those cards have
  been void since 2013 and no child in a story is old enough to have had one.
* ``mobile`` — 1[3-9] + 9 digits, optionally grouped 3-4-4 with spaces or hyphens and
  prefixed with +86 / 0086.
* ``landline`` — a real area code (010, 02x, 0[3-9]xx) and a 7–8 digit local number, with
  a hyphen, space or parentheses between them; without a separator the local number must
  start with 2–9 as real ones do, to keep record numbers out.
* ``street_address`` — a road-like word (路/街/道/巷/弄/胡同/大道/里) directly followed by a
  house number and 号 (人民路18号, 解放大道 1024 號, 幸福巷七号), or a building plus unit
  (3栋2单元, 5号楼1单元), or a village, its group and a house (幸福村5组12号). A group and a
  number without the village word in front are not matched: they read the same as a team and
  a player number (第一组 3 号选手) too often.
* ``school_class`` — a grade together with a class: 五(2)班, 初二3班, 三年级（1）班,
  三年二班. A class or a grade alone is not specific enough to report.

Text is compared after folding: full-width forms to ASCII, traditional (Taiwan and Hong
Kong forms included) to simplified, lower case. Rich-text HTML is reduced to what a reader
or a scraper can see: the text plus the alt, title and href attribute values.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import opencc
from anyascii import anyascii

__all__ = [
    "KINDS",
    "Leak",
    "collect_private_values",
    "find_leaks",
    "id_card_checksum_ok",
    "visible_text",
]

KINDS = ("private_value", "id_card", "mobile", "landline", "street_address", "school_class")

_KIND_LABELS = {
    "private_value": "本故事隐私资料中的内容",
    "id_card": "疑似身份证号码",
    "mobile": "疑似手机号码",
    "landline": "疑似固定电话号码",
    "street_address": "疑似带门牌号的详细地址",
    "school_class": "疑似具体的年级和班级",
}


@dataclass(frozen=True)
class Leak:
    """One leak. `match` is the raw text for code only; `message` is safe to show."""

    field: str
    kind: str
    match: str
    message: str


# --- text preparation -------------------------------------------------------------------

# Full-width digits, letters and the punctuation the patterns look at, odd dashes and odd
# spaces become plain ASCII, one character for one so positions stay valid. Full-width
# commas and colons are left alone: they are in every sentence and no pattern needs them.
_NARROW = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_NARROW = {k: v for k, v in _NARROW.items() if v.isalnum() or v in "()+-./_"}
_NARROW.update(dict.fromkeys("‐‑‒–—―−﹣", "-"))
_NARROW.update(dict.fromkeys("\u3000\u00a0\u2009\u202f\u200b\u200c\u200d\u2060\ufeff", " "))
_NARROW_RE = re.compile("[" + re.escape("".join(_NARROW)) + "]")


def _narrow(text: str) -> str:
    return _NARROW_RE.sub(lambda m: _NARROW[m.group()], text)


# Ignored inside names and private values: spacing and the middle-dot family used between
# the parts of a name (阿依古丽·买买提), and the zero-width characters pasted from WeChat.
_IGNORABLE_RE = re.compile(r"[\s·•・‧･∙⋅\u200b\u200c\u200d\u2060\ufeff]+")

_COMMENT_RE = re.compile(r"<!--|-->")
# A tag never spans another "<" (rich text escapes it inside attributes); without that
# bound every unclosed "<a" would scan to the end of the text, quadratic in its length.
_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*)>",
)
_ATTR_RE = re.compile(
    r"""(?<![\w-])(alt|title|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.IGNORECASE,
)
# Block-level tags end a line: a road name at the end of one paragraph and a number at the
# start of the next are not an address. Inline tags vanish so 王<b>小明</b> is still 王小明.
_BLOCK_TAG_RE = re.compile(
    r"address|article|aside|blockquote|br|div|d[dlt]|fig(?:caption|ure)|footer|h[1-6r]|header"
    r"|li|ol|p|pre|section|table|t[dhr]|ul",
    re.IGNORECASE,
)


def visible_text(text: str) -> str:
    """Text as readers and scrapers see it: tags removed, alt/title/href values kept."""
    if "<" not in text:
        return html.unescape(text) if "&" in text else text

    def replace(m: re.Match[str]) -> str:
        sep = "\n" if _BLOCK_TAG_RE.fullmatch(m.group(2)) else ""
        attrs = m.group(3)
        if not attrs.strip():
            return sep
        values = [
            html.unescape(a.group(2) or a.group(3) or a.group(4) or "")
            for a in _ATTR_RE.finditer(attrs)
        ]
        # Spaces keep an attribute value from gluing onto the text around the tag.
        return f"{sep} {' '.join(values)} {sep}" if values else sep

    # Comment text is in the page source, which scrapers read, so only its markers go.
    stripped = _TAG_RE.sub(replace, _COMMENT_RE.sub(" ", text))
    return html.unescape(stripped)


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _same_length(convert: Callable[[str], str], text: str) -> str:
    out = convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length somewhere; fall back to character by character so
    # every position still maps back to the editor's text.
    return "".join(_char_fold(convert, c) for c in text)


@lru_cache(maxsize=8192)
def _char_fold(convert: Callable[[str], str], char: str) -> str:
    out = convert(char)
    return out if len(out) == 1 else char


def _to_simplified(text: str) -> str:
    # tw2s also undoes Taiwan variants (著→着, 裡→里) and hk2s Hong Kong ones (衞→卫); the
    # value and the text go through the same chain, so the fold only has to be consistent.
    return _converter("hk2s").convert(_converter("tw2s").convert(text))


def _to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def _lower(text: str) -> str:
    return _same_length(str.lower, text)


class _Compact:
    """A text without its ignorable characters, mapping positions back to the original.

    Kept as runs (where each stretch between removed characters starts in both texts)
    rather than one index per character: a 50 KB story has few spaces but many characters.
    """

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        self.run_compact = [0]
        self.run_original = [0]
        pos = removed = 0
        for m in _IGNORABLE_RE.finditer(text):
            parts.append(text[pos : m.start()])
            removed += m.end() - m.start()
            pos = m.end()
            self.run_original.append(pos)
            self.run_compact.append(pos - removed)
        parts.append(text[pos:])
        self.text = "".join(parts)

    def original(self, k: int) -> int:
        i = bisect_right(self.run_compact, k) - 1
        return self.run_original[i] + k - self.run_compact[i]


class _Prepared:
    """One field's text in the forms the checks need, computed once and lazily."""

    def __init__(self, raw: str) -> None:
        self.visible = visible_text(raw)
        self.base = _narrow(self.visible)
        self.norm = _lower(_same_length(_to_simplified, self.base))
        self._compacts: dict[str, _Compact] = {}

    def compact(self, script: str) -> _Compact:
        if script not in self._compacts:
            if script == "hans":
                folded = self.norm
            else:
                folded = _lower(_same_length(_to_traditional, self.base))
            self._compacts[script] = _Compact(folded)
        return self._compacts[script]


def _fold_value(value: str, script: str) -> str:
    base = _narrow(value)
    folded = _to_simplified(base) if script == "hans" else _to_traditional(base)
    return _IGNORABLE_RE.sub("", folded.lower())


# --- patterns ---------------------------------------------------------------------------
# All patterns run on the folded text (simplified, lower case, ASCII digits and brackets).
# They allow spaces but not line breaks, so separate paragraphs never join into one match;
# traditional forms stay in the character classes in case a character escapes the fold.

# Each pattern opens with a lookahead on its possible first characters: it lets the regex
# engine reject most positions at once, which keeps a 50 KB story well under 50 ms.
_ID_RE = re.compile(
    r"(?=[1-9])(?<![0-9])([1-9]\d{5})[ -]?((?:18|19|20)\d{2})(\d{2})(\d{2})[ -]?(\d{3}[0-9x])"
    r"(?![0-9])"
)

_MOBILE_RE = re.compile(
    r"(?=[+01])(?<![0-9+¥￥$])(?P<prefix>(?:\+|00)[ \t]?86[ -]?)?"
    r"(?P<number>1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?![0-9])"
    # 13800000000 元 is an amount, not a phone.
    r"(?!\s*[元万亿块])"
)

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
_NUM_PART_RE = re.compile(r"\d+|[零〇一二三四五六七八九十百千两兩]+")

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


# --- masking ----------------------------------------------------------------------------


def _mask(text: str, head: int, tail: int, significant: Callable[[str], bool]) -> str:
    positions = [i for i, c in enumerate(text) if significant(c)]
    hidden = set(positions[head : len(positions) - tail if tail else None])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _is_digit(c: str) -> bool:
    return c.isdigit() or c in "Xx"


def _is_significant(c: str) -> bool:
    return not _IGNORABLE_RE.match(c)


def _mask_value(text: str) -> str:
    n = sum(1 for c in text if _is_significant(c))
    if n <= 2:
        return _mask(text, 1, 0, _is_significant)
    masked = _mask(text, 2 if n >= 6 else 1, 1, _is_significant)
    # A notes line can be long; the editor needs its start and the position, not its length.
    return re.sub(r"\*{7,}", "******…", masked)


def _mask_numbers(text: str) -> str:
    return _NUM_PART_RE.sub(lambda m: "*" * len(m.group()), text)


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


def _pattern_hits(prep: _Prepared) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, masked form) for every identifying pattern in one field."""
    text, visible = prep.norm, prep.visible
    hits: list[tuple[int, int, str, str]] = []
    # One digit run is one leak: an ID is not also reported as a phone, nor a mobile as a
    # landline, so the most specific pattern claims its digits first.
    digits_taken: list[tuple[int, int]] = []

    for m in _ID_RE.finditer(text):
        raw = visible[m.start() : m.end()]
        compact = re.sub(r"[ -]", "", m.group()).upper()
        if id_card_checksum_ok(compact) and _plausible_birth_date(*m.group(2, 3, 4)):
            digits_taken.append(m.span())
            hits.append((m.start(), m.end(), "id_card", _mask(raw, 3, 4, _is_digit)))

    for m in _MOBILE_RE.finditer(text):
        if _overlaps(m.span(), digits_taken):
            continue
        digits_taken.append(m.span())
        cut = m.start("number") - m.start()
        raw = visible[m.start() : m.end()]
        hits.append((m.start(), m.end(), "mobile", raw[:cut] + _mask(raw[cut:], 3, 4, _is_digit)))

    for m in _LANDLINE_RE.finditer(text):
        if _overlaps(m.span(), digits_taken):
            continue
        digits_taken.append(m.span())
        area = m.group("a1") or m.group("a2") or m.group("a3")
        raw = visible[m.start() : m.end()]
        hits.append((m.start(), m.end(), "landline", _mask(raw, len(area), 2, _is_digit)))

    for pattern in (_STREET_RE, _BUILDING_RE, _VILLAGE_RE):
        for m in pattern.finditer(text):
            start = _expand_left(visible, m.start())
            # Numerals inside a road name (三马路) stay; house, lane and unit numbers do not.
            name = re.sub(r"\d", "*", visible[start : m.start()])
            rest = _mask_numbers(visible[m.start() : m.end()])
            hits.append((start, m.end(), "street_address", name + rest))

    for m in _SCHOOL_RE.finditer(text):
        hits.append((m.start(), m.end(), "school_class", visible[m.start() : m.end()]))

    return hits


def _private_hits(
    prep: _Prepared, values: list[tuple[str, str]]
) -> list[tuple[int, int, str, str]]:
    hits: list[tuple[int, int, str, str]] = []
    seen: set[tuple[int, int]] = set()
    visible = prep.visible
    for script_index, script in enumerate(("hans", "hant")):
        compact = prep.compact(script)
        for pair in values:
            needle = pair[script_index]
            found = compact.text.find(needle)
            while found != -1:
                start = compact.original(found)
                end = compact.original(found + len(needle) - 1) + 1
                found = compact.text.find(needle, found + 1)
                if (start, end) in seen or not _word_bounded(visible, start, end):
                    continue
                seen.add((start, end))
                raw = visible[start:end]
                hits.append((start, end, "private_value", _mask_value(raw)))
    return hits


# --- romanized values ---------------------------------------------------------------------
# Wagtail stores an uploaded file under its name transliterated by anyascii (王小明.jpg →
# original_images/WangXiaoMing.jpg, and every rendition's name starts with it), so a file
# named after the child keeps the name in every public image address. Slugs are typed in
# pinyin for the same reason. The same transliteration, one syllable per character, finds
# both, in either script (陳曉星 and 陈晓星 both give ChenXiaoXing).
_ROMAN_SEP = r"[\s_.\-·'’]{0,2}"
_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_RE = re.compile(r"[A-Za-z]")


def _syllables(value: str) -> list[str]:
    """The value's romanized syllables (CJK) or words (Latin), lower case, ASCII only."""
    words: list[str] = []
    for part in _IGNORABLE_RE.split(_narrow(value)):
        for m in re.finditer(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+", part):
            syllable = anyascii(m.group()).lower()
            syllable = re.sub(r"[^a-z0-9]", "", syllable)
            if syllable:
                words.append(syllable)
    return words


def _romanized_patterns(private_values: Iterable[str]) -> list[re.Pattern[str]]:
    patterns: list[re.Pattern[str]] = []
    seen: set[tuple[str, ...]] = set()
    for value in private_values:
        if not value or not isinstance(value, str):
            continue
        compact = _IGNORABLE_RE.sub("", value)
        # A value without Chinese characters is already matched as written; its romanized
        # form only adds the separators (zhang-xiaoding for Zhang Xiaoding).
        syllables = _syllables(value)
        if len(syllables) < 2 or len("".join(syllables)) < 4:
            continue
        orders = [tuple(syllables)]
        # A name of two to four characters is also written given name first (xiaoming-wang).
        if 2 <= len(compact) <= 4 and all(_HAN_RE.match(c) for c in compact):
            orders.append((*syllables[1:], syllables[0]))
        for order in orders:
            if order in seen:
                continue
            seen.add(order)
            patterns.append(re.compile(_ROMAN_SEP.join(map(re.escape, order)), re.IGNORECASE))
    return patterns


def _roman_bounded(text: str, start: int, end: int) -> bool:
    """A romanized match must start and end at a word or camel-case boundary: WangXiaoMing
    and wang-xiaoming are the name, carolina does not contain 李娜 (lina)."""

    def boundary(before: str, after: str) -> bool:
        letters = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        return not letters or (before.islower() and after.isupper())

    return (start == 0 or boundary(text[start - 1], text[start])) and (
        end == len(text) or boundary(text[end - 1], text[end])
    )


def _romanized_hits(
    prep: _Prepared, patterns: list[re.Pattern[str]]
) -> list[tuple[int, int, str, str]]:
    hits: list[tuple[int, int, str, str]] = []
    text = prep.base  # same length as `visible`, full-width letters narrowed
    if not _LATIN_RE.search(text):
        return hits
    for pattern in patterns:
        for m in pattern.finditer(text):
            if _roman_bounded(text, m.start(), m.end()):
                raw = prep.visible[m.start() : m.end()]
                hits.append((m.start(), m.end(), "private_value", _mask_value(raw)))
    return hits


def _word_bounded(visible: str, start: int, end: int) -> bool:
    # A Latin or numeric value (a pinyin name, a house number) must be a whole word, or
    # “Li” would be found in “Liang”; Chinese has no word spaces, so CJK is matched as is.
    def latin(c: str) -> bool:
        return c.isascii() and c.isalnum()

    if latin(visible[start]) and start > 0 and latin(visible[start - 1]):
        return False
    return not (latin(visible[end - 1]) and end < len(visible) and latin(visible[end]))


def _prepare_values(private_values: Iterable[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for value in private_values:
        if not value or not isinstance(value, str):
            continue
        pair = (_fold_value(value, "hans"), _fold_value(value, "hant"))
        if len(pair[0]) < 2 or len(pair[1]) < 2 or pair in seen:
            continue
        seen.add(pair)
        pairs.append(pair)
    return pairs


def find_leaks(fields: Mapping[str, str], private_values: Iterable[str] = ()) -> list[Leak]:
    """Every leak in `fields` (label → public text, HTML allowed), in field and text order.

    `private_values` are the strings from the story's private record; see
    `collect_private_values` to build them from the record. Values shorter than two
    characters are ignored (a single character would match everywhere).
    """
    private_values = list(private_values)
    values = _prepare_values(private_values)
    romanized = _romanized_patterns(private_values)
    leaks: list[Leak] = []
    for label, raw in fields.items():
        if not raw:
            continue
        prep = _Prepared(str(raw))
        hits = _pattern_hits(prep)
        if values:
            private = _private_hits(prep, values)
            taken = [(start, end) for start, end, _, _ in private]
            private += [h for h in _romanized_hits(prep, romanized) if not _overlaps(h[:2], taken)]
            hits.extend(private)
        hits.sort(key=lambda h: (h[0], KINDS.index(h[2]), h[1]))
        for start, end, kind, masked in hits:
            # Counted as the editor counts: line breaks (the ones paragraph tags turn into
            # included) are not characters, so a paragraph's first word is 第 1 个字.
            position = start - prep.visible.count("\n", 0, start) + 1
            message = f"「{label}」包含{_KIND_LABELS[kind]}“{masked}”（第 {position} 个字起）"
            leaks.append(Leak(label, kind, prep.visible[start:end], message))
    return leaks


# --- building the private values from a record -------------------------------------------

_KINSHIP_RE = re.compile(
    r"爷爷|奶奶|外公|外婆|姥姥|姥爷|父亲|母亲|爸爸|妈妈|叔叔|婶婶|阿姨|舅舅|舅妈|姑姑|姑父|伯伯|伯母"
    r"|哥哥|姐姐|(?:外)?祖[父母]|监护人|[养继][父母]"
)
_GUARDIAN_SPLIT_RE = re.compile(r"[\s,，、;；/()（）:：]+")
_ADDRESS_PART_RE = re.compile(
    r".+?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|区|县|旗|街道|镇|乡|"
    r"社区|小区|新村|村|大道|大街|胡同|路|街|巷|弄|号|组|栋|幢|单元|室|$)"
)
# Parts below the county: the public region may name the county, nothing finer.
_SUB_COUNTY_RE = re.compile(r"(?:街道|镇|乡|社区|小区|新村|村|大道|大街|胡同|路|街|巷|弄)$")


# Places at county level and above, which the public region may name anyway.
_COUNTY_OR_ABOVE_RE = re.compile(r"(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|区|县|旗)$")
# A place name has two characters or more before its suffix (东乡县 is not 东乡 + 县).
_SCHOOL_PLACE_RE = re.compile(
    r".{2,}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|区|县|旗|街道|镇|乡|社区|新村|村|$)"
)
# What is left of a school's name without its places is identifying only when it is more
# than the kind of school: every county has a 中心小学, only one has a 第一小学.
_GENERIC_SCHOOLS = frozenset(
    [
        "小学",
        "中学",
        "初中",
        "高中",
        "初级中学",
        "高级中学",
        "完全中学",
        "幼儿园",
        "学校",
        "中心小学",
        "中心学校",
        "完全小学",
        "中心幼儿园",
        "九年一贯制学校",
        "十二年一贯制学校",
        "特殊教育学校",
        "希望小学",
        "民族小学",
        "民族中学",
        "寄宿制学校",
        "教学点",
    ]
)


def _school_without_places(school: str) -> list[str]:
    """The school's name without the places in front: 青云县石桥镇第二小学 → 石桥镇第二小学
    and 第二小学. The public region names the county, so 第二小学 in the text together with
    it points to the school as surely as the full name."""
    simplified = _to_simplified(_IGNORABLE_RE.sub("", school))
    parts = [m.group() for m in _SCHOOL_PLACE_RE.finditer(simplified)]
    rest = parts
    while rest and _COUNTY_OR_ABOVE_RE.search(rest[0]):
        rest = rest[1:]
    below_county = "".join(rest)
    while rest and _SUB_COUNTY_RE.search(rest[0]):
        rest = rest[1:]
    return [
        part
        for part in dict.fromkeys((below_county, "".join(rest)))
        if len(part) >= 4 and part not in _GENERIC_SCHOOLS and part != simplified
    ]


def collect_private_values(private: Mapping[str, object]) -> list[str]:
    """The strings to look for, from a private record shaped like the exchange format.

    `real_name`, `school`, `address` as given; the school without the places in front of
    its name (第二小学 of 青云县第二小学); each guardian, and each name in a guardian
    entry such as “王大山（爷爷）” without the kinship word; each line of `notes`; and the
    sub-county parts of the address (镇, 乡, 街道, 村, 社区, 小区, roads), which must not appear
    even when the full address does not.
    """
    values: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str) and value.strip():
            values.append(value.strip())

    add(private.get("real_name"))
    school = private.get("school")
    add(school)
    if isinstance(school, str):
        for part in _school_without_places(school):
            add(part)
    guardians = private.get("guardians") or []
    if isinstance(guardians, str):
        guardians = [guardians]
    for guardian in guardians:
        if isinstance(guardian, Mapping):
            guardian = guardian.get("name")
        if not isinstance(guardian, str):
            continue
        add(guardian)
        parts = [p for p in _GUARDIAN_SPLIT_RE.split(guardian) if p]
        if len(parts) > 1:
            for part in parts:
                if len(part) >= 2 and not _KINSHIP_RE.fullmatch(part):
                    add(part)
    address = private.get("address")
    if isinstance(address, str) and address.strip():
        add(address)
        simplified = _to_simplified(_IGNORABLE_RE.sub("", address))
        for m in _ADDRESS_PART_RE.finditer(simplified):
            part = m.group()
            if len(part) >= 3 and _SUB_COUNTY_RE.search(part):
                add(part)
    notes = private.get("notes")
    if isinstance(notes, str):
        for line in notes.splitlines():
            add(line)
    return list(dict.fromkeys(values))
