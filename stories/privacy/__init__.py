"""Find private data and identifying patterns in a story's public text.

Pure Python (no Django import): the same check runs on import, on publish, on scheduled
publish and in tests, and it must be cheap enough to run on every save. docs/privacy.md
lists every kind with examples and the known limits; in short:

* ``private_value`` — any value from the story's private record (real name, guardians,
  school, address, notes lines, birth date, ID number, phones, chat IDs, other identifiers)
  and the other ways the name is written (given name, 小/阿 + its last character, surname +
  同学/某/家: `names.name_variants`), in either script, with spacing or punctuation inside
  (王 小 明, 王·小明, 张-浩然), and romanized as in file names and slugs (WangXiaoMing.jpg,
  xiaoming-wang). `collect_private_values` builds the strings from a record.
* ``id_card``, ``mobile``, ``landline``, ``street_address``, ``school_class``,
  ``chat_id`` (QQ and WeChat IDs after their label), ``licence_plate``, ``hospital_bed``
  (12床, 二病区, 307病房), ``birth_date`` (a full date next to 出生/生于/生日), ``place`` (a
  named township, village, group, hamlet, community, sub-district or estate) and
  ``named_school`` (a named school in a sentence with a grade): patterns, record or not
  (`patterns`, `places`).

An organisation's public line passes: a number labelled 热线, 咨询电话, 办公室电话, 服务电话
(and the like) in the same sentence, or listed as public (`public_numbers`, from the
Organization snippets). Person names the record does not know are not leaks but warnings
for the privacy reviewer (`find_name_warnings`).

Text is compared after folding: full-width forms to ASCII, traditional (Taiwan and Hong
Kong forms included) to simplified, lower case. Rich-text HTML is reduced to what a reader
or a scraper can see: the text plus the alt, title, href and src attribute values.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anyascii import anyascii

from .names import (
    NameVariant,
    NameWarning,
    find_name_warnings,
    in_aabb_word,
    name_variants,
    public_role_around,
)
from .patterns import _overlaps, _pattern_hits, id_card_checksum_ok, public_digits
from .places import named_school_hits, place_hits
from .record import collect_private_values, date_forms, phone_forms
from .text import (
    _IGNORABLE_RE,
    _fold_value,
    _mask_value,
    _narrow,
    _Prepared,
    visible_text,
)

__all__ = [
    "KINDS",
    "Leak",
    "NameWarning",
    "collect_private_values",
    "date_forms",
    "find_leaks",
    "find_name_warnings",
    "id_card_checksum_ok",
    "name_variants",
    "phone_forms",
    "public_digits",
    "visible_text",
]

KINDS = (
    "private_value",
    "id_card",
    "mobile",
    "landline",
    "street_address",
    "school_class",
    "chat_id",
    "licence_plate",
    "hospital_bed",
    "birth_date",
    "place",
    "named_school",
)

_KIND_LABELS = {
    "private_value": "本故事隐私资料中的内容",
    "id_card": "疑似身份证号码",
    "mobile": "疑似手机号码",
    "landline": "疑似固定电话号码",
    "street_address": "疑似带门牌号的详细地址",
    "school_class": "疑似具体的年级和班级",
    "chat_id": "疑似QQ号或微信号",
    "licence_plate": "疑似车牌号",
    "hospital_bed": "疑似医院病区、病房或床号",
    "birth_date": "疑似确切的出生日期",
    "place": "疑似县以下的具体地名（乡镇、村、组、社区、街道）",
    "named_school": "疑似具体学校名称加年级",
}

# What the editor should do about each kind: shown after the finding.
ADVICE = {
    "private_value": "请删除或改用化名、泛称（如“孩子”“她的奶奶”）",
    "id_card": "请删除证件号码",
    "mobile": "请删除；如是机构公开电话，请写明“热线”“咨询电话”等，或登记在机构资料中",
    "landline": "请删除；如是机构公开电话，请写明“热线”“咨询电话”等，或登记在机构资料中",
    "street_address": "请删除门牌号，地点最多写到县（市、区）",
    "school_class": "请删除班级，可写“上小学”",
    "chat_id": "请删除聊天账号",
    "licence_plate": "请删除或打码车牌号",
    "hospital_bed": "请删除病区、病房和床号，可写“在县医院住院”",
    "birth_date": "请只写年龄，不写出生日期",
    "place": "地点最多写到县（市、区），可写“一个山村”“镇上”",
    "named_school": "请删除学校名称，或只写“上小学三年级”",
}


@dataclass(frozen=True)
class Leak:
    """One leak. `match` is the raw text for code only; `message` and `advice` are safe to
    show (the match is masked in the message)."""

    field: str
    kind: str
    match: str
    message: str
    # Not compared: a Leak built the old way, with four fields, still equals a finding.
    advice: str = dataclasses.field(default="", compare=False)


def _private_hits(
    prep: _Prepared,
    values: list[tuple[str, str]],
    surname_forms: frozenset[tuple[str, str]] = frozenset(),
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
                # 局长王某某, 社工王某: an adult in a public role who shares the surname.
                if pair in surname_forms and public_role_around(prep.norm, start, end):
                    continue
                # 乐乐 or 平安 inside 快快乐乐, 平平安安: a wish, not the name.
                if in_aabb_word(prep.norm, start, end):
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
        if not value or not isinstance(value, str) or not getattr(value, "romanize", True):
            continue
        compact = _IGNORABLE_RE.sub("", value)
        # A value without Chinese characters is already matched as written; its romanized
        # form only adds the separators (zhang-xiaoding for Zhang Xiaoding).
        syllables = _syllables(value)
        if len(syllables) < 2 or len("".join(syllables)) < 4:
            continue
        orders = [tuple(syllables)]
        # A name of two to four characters is also written given name first (xiaoming-wang).
        # Not a name variant: 思雨 of 陈思雨 reversed is "yusi", no more the child's name.
        variant = isinstance(value, NameVariant)
        if 2 <= len(compact) <= 4 and all(_HAN_RE.match(c) for c in compact) and not variant:
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


def _contained(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in spans)


def find_leaks(
    fields: Mapping[str, str],
    private_values: Iterable[str] = (),
    public_numbers: Iterable[str] = (),
) -> list[Leak]:
    """Every leak in `fields` (label → public text, HTML allowed), in field and text order.

    `private_values` are the strings from the story's private record; see
    `collect_private_values` to build them from the record. Values shorter than two
    characters are ignored (a single character would match everywhere). `public_numbers`
    are phone numbers published on purpose (an organisation's), which are not leaks.
    """
    private_values = list(private_values)
    values = _prepare_values(private_values)
    surname_forms = frozenset(
        (_fold_value(v, "hans"), _fold_value(v, "hant"))
        for v in private_values
        if getattr(v, "surname_form", False)
    )
    romanized = _romanized_patterns(private_values)
    public = public_digits(public_numbers)
    leaks: list[Leak] = []
    for label, raw in fields.items():
        if not raw:
            continue
        prep = _Prepared(str(raw))
        hits = _pattern_hits(prep, public)
        if values:
            private = _private_hits(prep, values, surname_forms)
            taken = [(start, end) for start, end, _, _ in private]
            private += [h for h in _romanized_hits(prep, romanized) if not _overlaps(h[:2], taken)]
            # 思雨 inside 陈思雨 is one leak, the longer one.
            spans = [h[:2] for h in private]
            hits.extend(h for h in private if not _contained(h[:2], spans))
        # A place or a school that is part of a finding already made is not reported again.
        taken = [h[:2] for h in hits]
        for kind, finder in (("place", place_hits), ("named_school", named_school_hits)):
            found = []
            for start, end in finder(prep.norm):
                if not _overlaps((start, end), taken):
                    found.append((start, end, kind, _mask_value(prep.visible[start:end])))
            taken += [h[:2] for h in found]
            hits.extend(found)
        hits.sort(key=lambda h: (h[0], KINDS.index(h[2]), h[1]))
        for start, end, kind, masked in hits:
            # Counted as the editor counts: line breaks (the ones paragraph tags turn into
            # included) are not characters, so a paragraph's first word is 第 1 个字.
            position = start - prep.visible.count("\n", 0, start) + 1
            message = f"「{label}」包含{_KIND_LABELS[kind]}“{masked}”（第 {position} 个字起）"
            leaks.append(Leak(label, kind, prep.visible[start:end], message, ADVICE[kind]))
    return leaks
