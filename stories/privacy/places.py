"""Places below the county and named schools, found without the private record.

A public story may name the county (its region) and nothing finer: a township, a village,
a village group, a hamlet, a residential community, a sub-district or an estate narrows the
child down to a few hundred people. These are found by their suffix (乡, 镇, 村, 组, 屯, 寨,
社区, 街道, 小区) and the name in front of it. Chinese has no word spaces, so the name is
read leftwards from the suffix until a word that cannot be part of a place name (在, 住, 的,
a pronoun, punctuation…), and the generic words that end in the same characters (山村, 农村,
全村, 城镇, 乡镇, 家乡, 所在社区…) are left alone.

A school is identifying together with a grade (白岩小学 + 三年级): a named school (not a
kind of school: 中心小学, 村小, 县城的小学) and a grade in the same sentence.
"""

from __future__ import annotations

import re

_HAN = r"\u4e00-\u9fff"
# Characters that end a place name on its left: verbs of motion and place, particles,
# pronouns, measure words, and the other administrative suffixes (花溪乡|白岩村). Not 那
# (那坡屯, 那桐镇: a common first syllable in Zhuang place names) nor 旗 (红旗村).
_STOP = frozenset(
    "在住于自从到去回来往向至是的了和与及跟让给把被对为由离进出过经条个座片所位名这该本"
    "每各全整此其我你他她它们咱俺某同邻外省市州县区乡镇村屯寨组社街之"
)
_COUNTY_AHEAD_RE = re.compile(r"[\u4e00-\u9fff]{1,2}(?:自治县|县|市|区|旗)")
# What follows a place name and ends in 市 or 区 without being a county: 羊场镇的集市,
# 大湾镇离县城 (the 1–2 characters hold a particle or a verb), 镇集市, 镇社区, 镇辖区.
_NOT_COUNTY_AHEAD_RE = re.compile(
    r"[\u4e00-\u9fff]{0,1}(?:集|超|城|门|夜|菜|股|早|上|社|辖|景|园|山|片|库|灾|校|街|矿|牧|林|湾"
    r"|新|老|老城|城|学|住|生活|功能|商业|工业|开发|示范|保护|试验)(?:市|区)"
)
_ADMIN = frozenset("省市州县区旗乡镇村屯寨社街")
# Words in front of the suffix that make it generic: 山村, 农村, 偏远山村, 城镇, 家乡…
_GENERIC_BEFORE = {
    "村": (
        "山",
        "农",
        "乡",
        "渔",
        "古",
        "小",
        "穷",
        "贫困",
        "行政",
        "自然",
        "城中",
        "空心",
        "示范",
        "重点",
        "边远",
        "偏远",
        "搬迁",
        "留守",
        "美丽",
        "新",
        "老",
        "大",
        "少数民族",
        "民族",
        "文明",
        "和谐",
        "特色",
        "传统",
        "幸福美丽",
        "一个",
        "驻",
        "帮扶",
        "结对",
        "定点",
        "地球",
        "度假",
        "奥运",
        "文化",
        "明星",
        "网红",
        "淘宝",
        "脱贫",
        "扶贫",
        "红色",
        "旅游",
        "生态",
        "模范",
        "先进",
        "长寿",
        "亿元",
        "移民",
        "旧",
        "试点",
        "宜居",
    ),
    "乡": (
        "城",
        "家",
        "老",
        "故",
        "异",
        "他",
        "下",
        "返",
        "回",
        "还",
        "思",
        "水",
        "梦",
        "原",
        "本",
        "外",
        "贫困",
        "少数民族",
        "民族",
        "偏远",
    ),
    "镇": (
        "城",
        "乡",
        "小",
        "古",
        "重",
        "集",
        "坐",
        "冰",
        "名",
        "特色",
        "一个",
        "偏远",
        "爱心",
        "建制",
    ),
    "屯": ("屯", "大", "小"),
    "寨": ("山", "村", "苗", "侗", "瑶", "壮", "彝", "布依", "古", "营", "水", "一个"),
    "组": (),
    "社区": (
        "所在",
        "当地",
        "附近",
        "农村",
        "城市",
        "城乡",
        "和谐",
        "安置",
        "搬迁",
        "居住",
        "生活",
        "周边",
        "各",
        "多个",
        "一个",
        "每个",
        "基层",
        "老旧",
        "新型",
        "网格",
        "服务",
        "回馈",
        "融入",
        "扎根",
        "深入",
        "建设",
        "关爱",
        "走访",
        "学习型",
        "智慧",
        "文明",
        "绿色",
        "平安",
        "美丽",
        "社会",
        "城镇",
        "示范",
        "友好",
        "模范",
        "先进",
        "试点",
        "现代化",
        "数字",
        "宜居",
        "儿童友好",
    ),
    "街道": (
        "城市",
        "当地",
        "附近",
        "所在",
        "各",
        "一条",
        "狭窄",
        "热闹",
        "老",
        "清扫",
        "打扫",
        "整洁",
        "干净",
        "宽阔",
        "繁华",
        "两旁",
        "乡村",
        "城镇",
        "各个",
    ),
    "小区": (
        "所在",
        "当地",
        "附近",
        "安置",
        "搬迁",
        "老旧",
        "一个",
        "各",
        "新",
        "居民",
        "高档",
        "老",
        "封闭",
        "同一",
        "住宅",
        "商品房",
    ),
}
# Words after the suffix that show it is not a place name's end: 乡村, 乡亲, 村子, 寨子…
_GENERIC_AFTER = {
    "乡": "村镇亲下间土愁音情邻野俗里民",
    "镇": "子静定痛压守住",
    "村": "子庄落寨级务规容貌干医",
    "寨": "子",
    "屯": "子",
    "组": "织成合长员",
    "社区": "",
    "街道": "口上旁边两中",
    "小区": "",
}
# Names in front that are never a place: ordinal and kind words.
_NOT_A_NAME = re.compile(r"^(?:第?[一二三四五六七八九十\d]+|[东西南北上下前后中]|各|本|全|这|那)$")
_LEFT_TRIM = ("老家", "家乡", "故乡", "隔壁", "附近", "邻近", "当地", "一个", "那个", "这个")

_SUFFIX_RE = re.compile(r"社区|街道|小区|[乡镇村屯寨]")
_PEOPLES = ("苗", "侗", "瑶", "壮", "彝", "布依", "水")
_GENERIC_PEOPLE_PLACE = frozenset(["偏远", "古老", "传统", "美丽", "千户", "山区", "深山", "大山"])
# A village group named where someone lives: 住在坝子组, 家在三组 (without the village).
_RESIDENT_GROUP_RE = re.compile(
    rf"(?:家?住[在进]?|家在|搬[到进]|生活在|居住在)[ \t]*"
    rf"(?P<place>(?P<name>[{_HAN}0-9]{{1,4}}?)[ \t]*组)(?![织成合长员里])"
)
# A numbered village group after a village: 白岩村三组, 幸福村 5 组; the village may be
# unnamed (村3组) — a group is still a few dozen households.
_GROUP_RE = re.compile(
    rf"(?<=[{_HAN}])(?:村|屯|寨)[ \t]*(?:[1-9]\d?|[一二三四五六七八九十]{{1,3}})[ \t]*(?:组|社|队)"
    r"(?![织成合长员])"
)


def _name_before(text: str, end: int, limit: int) -> tuple[int, str]:
    """The place name ending at `end`: start position and text (may be empty)."""
    i = end
    passed = False
    while i > 0 and end - i < limit:
        c = text[i - 1]
        if not ("\u4e00" <= c <= "\u9fff"):
            break
        if c in _STOP:
            # 西秀区|旧州镇: an administrative character inside a short name is part of it.
            if passed or c not in _ADMIN or end - i >= 2:
                break
            passed = True
        i -= 1
    name = text[i:end]
    for word in _LEFT_TRIM:
        if name.startswith(word) and len(name) > len(word):
            i += len(word)
            name = name[len(word) :]
    cut = _phrase_end(name) if len(name) >= 3 else 0
    return i + cut, name[cut:]


_NOT_NAME_FLAGS = ("v", "p", "r", "d", "c", "u", "m", "q", "t", "f")


def _phrase_end(name: str) -> int:
    """Where a place name starts after a verb phrase read into it (3月底前完成|村): after the
    last verb, preposition, pronoun, adverb, numeral or time word that has something before
    it. A name that *starts* with a verb stays whole: 团结村, 前进村 and 新建村 are villages."""
    from .names import _posseg

    cut = pos = 0
    for token in _posseg().cut(name):
        pos += len(token.word)
        if pos < len(name) and token.flag.startswith(_NOT_NAME_FLAGS) and pos > len(token.word):
            cut = pos
        elif pos == len(name) and token.flag.startswith(_NOT_NAME_FLAGS) and cut == 0:
            cut = pos if pos > len(token.word) else 0
    return cut


def place_hits(text: str) -> list[tuple[int, int]]:
    """(start, end) of every named place below the county in `text` (folded)."""
    spans: list[tuple[int, int]] = []
    for m in _SUFFIX_RE.finditer(text):
        suffix = m.group()
        after = text[m.end() : m.end() + 1]
        if after and after in _GENERIC_AFTER[suffix]:
            continue
        # Inside a county's name: 贵州镇远县, 西乡塘区, 乡城县.
        ahead = _COUNTY_AHEAD_RE.match(text, m.end())
        if (
            ahead
            and not any(c in _STOP for c in ahead.group()[:-1])
            and not _NOT_COUNTY_AHEAD_RE.fullmatch(ahead.group())
        ):
            continue
        limit = 6 if len(suffix) == 2 else 4
        start, name = _name_before(text, m.start(), limit)
        if len(name) < 2 or _NOT_A_NAME.match(name):
            continue
        generic = [word for word in _GENERIC_BEFORE[suffix] if name.endswith(word)]
        # 苗寨 is any Miao village, 岜沙苗寨 one of them: a name before the people's name.
        if generic and not (
            suffix == "寨"
            and generic[0] in _PEOPLES
            and len(name) - len(generic[0]) >= 2
            and name[: -len(generic[0])] not in _GENERIC_PEOPLE_PLACE
        ):
            continue
        spans.append((start, m.end()))
    for m in _RESIDENT_GROUP_RE.finditer(text):
        name = m.group("name")
        if name.startswith("第") or any(c in _STOP for c in name):
            continue
        if name.endswith(("项目", "小", "工作", "专家", "摄制", "节目", "课题", "互助", "兴趣")):
            continue
        spans.append(m.span("place"))
    for m in _GROUP_RE.finditer(text):
        start, _ = _name_before(text, m.start(), 4)
        spans.append((start, m.end()))
    # 白岩村三组 is one place, not 白岩村 and then 白岩村三组.
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# --- named schools with a grade ----------------------------------------------------------

_SCHOOL_KIND_RE = re.compile(r"小学|中学|初中|高中|完小|学校|教学点|幼儿园|国小|国中")
# 县一中, 市二小, 镇三中: a county's numbered school, as surely named as 第一中学.
_NUMBERED_SCHOOL_RE = re.compile(
    r"(?<=[县市区镇乡])[一二三四五六七八九十]{1,2}[中小](?![学心间午])"
)
_SCHOOL_STOP = (_STOP - frozenset("村乡镇街同外")) | frozenset("读上念进考升转入")
_GENERIC_SCHOOL_NAMES = (
    "中心",
    "村",
    "乡",
    "镇",
    "县",
    "市",
    "区",
    "城",
    "县城",
    "寄宿制",
    "寄宿",
    "民族",
    "公办",
    "民办",
    "普通",
    "重点",
    "当地",
    "附近",
    "所在",
    "一所",
    "这所",
    "那所",
    "新",
    "特殊教育",
    "九年一贯制",
    "完全",
    "希望",
    "山区",
    "乡村",
    "农村",
    "寄宿制",
    "初级",
    "高级",
    "子弟",
    "打工子弟",
    "爱心",
)
# A kindergarten's classes are its grades: 在阳光幼儿园读大班.
_GRADE_RE = re.compile(
    r"[一二三四五六1-6][ \t]*年[ \t]*级|[初高][ \t]*[一二三123]|学前班|[大中小]班(?![主长级会子车])"
)
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")


def named_school_hits(text: str) -> list[tuple[int, int]]:
    """(start, end) of a named school in a sentence that also gives a grade."""
    spans: list[tuple[int, int]] = []
    for sentence in _SENTENCE_RE.finditer(text):
        part = sentence.group()
        if not _GRADE_RE.search(part):
            continue
        for m in _SCHOOL_KIND_RE.finditer(part):
            i = m.start()
            while i > 0 and m.start() - i < 6:
                c = part[i - 1]
                if not ("\u4e00" <= c <= "\u9fff") or c in _SCHOOL_STOP:
                    break
                i -= 1
            # 中小学 (schools of both kinds) is not 中 + 小学.
            if m.group() == "小学" and part[m.start() - 1 : m.start()] == "中":
                continue
            name = part[i : m.start()]
            # 石桥镇中心小学: the township is reported as a place; the rest is a kind.
            for cut in ("乡", "镇", "村", "县", "区", "市"):
                if cut in name[:-1]:
                    name = name[name.rindex(cut) + 1 :]
            if len(name) < 2 or any(name.endswith(w) for w in _GENERIC_SCHOOL_NAMES):
                continue
            spans.append((sentence.start() + m.start() - len(name), sentence.start() + m.end()))
        for m in _NUMBERED_SCHOOL_RE.finditer(part):
            spans.append((sentence.start() + m.start() - 1, sentence.start() + m.end()))
    return spans
