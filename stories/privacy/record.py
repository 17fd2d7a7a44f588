"""The strings to look for, built from a story's private identity record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from .names import NameVariant, name_variants
from .text import _IGNORABLE_RE, _to_simplified

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

    `real_name`, `school`, `address` as given; the other ways the name is written
    (`name_variants`: 思雨, 小雨, 陈同学… — `pseudonym`, when given, is not one of them); the
    school without the places in front of
    its name (第二小学 of 青云县第二小学); each guardian, and each name in a guardian
    entry such as “王大山（爷爷）” without the kinship word; each line of `notes`; and the
    sub-county parts of the address (镇, 乡, 街道, 村, 社区, 小区, roads), which must not appear
    even when the full address does not; and the identifiers: `birth_date` in every way a date
    is written (`date_forms`), `id_number`, `phones` with and without area code or +86
    (`phone_forms`), `chat_ids` and `other_identifiers` (lists, or one per line).
    """
    values: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, NameVariant):
            values.append(value)
        elif isinstance(value, str) and value.strip():
            values.append(value.strip())

    add(private.get("real_name"))
    for variant in name_variants(private.get("real_name"), str(private.get("pseudonym") or "")):
        add(variant)
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
    for form in date_forms(private.get("birth_date")):
        add(form)
    add(private.get("id_number"))
    for phone in _items(private.get("phones")):
        for form in phone_forms(phone):
            add(form)
    for key in ("chat_ids", "other_identifiers"):
        for item in _items(private.get(key)):
            add(item)
    return list(dict.fromkeys(values))


def _items(value: object) -> list[str]:
    if isinstance(value, str):
        return [line for line in re.split(r"[\n、，,;；]+", value) if line.strip()]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1–31 in Chinese numerals: 十五, 二十一, 三十."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def date_forms(value: object) -> list[str]:
    """A date as people write it: 2014年3月15日, 2014-03-15, 2014.3.15, 20140315,
    二〇一四年三月十五日. Separators are ignored when matching, so 2014/03/15 is 20140315."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return []
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return []
    y, m, d = value.year, value.month, value.day
    cn_year = "".join(_CN_DIGITS[int(c)] for c in str(y))
    cn_date = f"{cn_year}年{_cn_number(m)}月{_cn_number(d)}"
    forms = [
        f"{y}年{m}月{d}日",
        f"{y}年{m}月{d}号",
        f"{y}年{m:02d}月{d:02d}日",
        f"{y}年{m:02d}月{d:02d}号",
        f"{y}{m:02d}{d:02d}",
        f"{y}{m}{d}",
        f"{y}{m:02d}{d}",
        f"{y}{m}{d:02d}",
        cn_date + "日",
        cn_date + "号",
        cn_date.replace("〇", "零") + "日",
    ]
    return list(dict.fromkeys(forms))


_AREA_CODE_RE = re.compile(r"^(?:010|02\d|0[3-9]\d{2})(?=[2-9]\d{6,7}$)")


def phone_forms(value: object) -> list[str]:
    """A phone number's digits, also without +86 and without the area code (the local
    number alone identifies a household within the county)."""
    if not isinstance(value, str):
        return []
    digits = re.sub(r"\D", "", value)
    forms = [digits]
    mobile = re.sub(r"^(?:0086|86)(?=1[3-9]\d{9}$)", "", digits)
    forms.append(mobile)
    area = _AREA_CODE_RE.match(digits)
    if area:
        forms.append(digits[area.end() :])
    return [f for f in dict.fromkeys(forms) if len(f) >= 5]
