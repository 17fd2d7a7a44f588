"""Inline pinyin and zhuyin annotations: 党中央(dǎngzhōngyāng), 兒童（ㄦˊ ㄊㄨㄥˊ）.

Old sites (and converters run over them) put the reading after words, in brackets or not,
with tone marks, tone numbers or none, and often mangled: a tone-marked vowel turned into
“?”, into two Latin-1 characters (UTF-8 read as Latin-1: Ç\x8e), or into a look-alike.
An annotation is recognised by what it spells: the letters, with any unreadable character
standing for one vowel, must split completely into pinyin syllables. English in brackets
(WHO), (UNICEF), (APP) does not: it is upper case, or does not split, or is not right
after Chinese characters.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_INITIALS = [
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "zh",
    "ch",
    "sh",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
]
_FINALS = [
    "a",
    "o",
    "e",
    "i",
    "u",
    "v",
    "ai",
    "ei",
    "ui",
    "ao",
    "ou",
    "iu",
    "ie",
    "ve",
    "er",
    "an",
    "en",
    "in",
    "un",
    "vn",
    "ang",
    "eng",
    "ing",
    "ong",
    "ia",
    "iao",
    "ian",
    "iang",
    "iong",
    "ua",
    "uo",
    "uai",
    "uan",
    "uang",
    "ue",
    "van",
    "ueng",
]
# Syllables that stand alone without an initial.
_BARE = ["a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er", "ou"]


@functools.cache
def _syllables() -> frozenset[str]:
    found = set(_BARE)
    for initial in _INITIALS:
        for final in _FINALS:
            found.add(initial + final)
    found |= {"yu", "yue", "yuan", "yun", "yi", "wu", "ju", "qu", "xu", "lv", "nv", "lve", "nve"}
    return frozenset(found)


_WILD = "#"


@functools.cache
def _syllable_re() -> re.Pattern[str]:
    def pattern(s: str) -> str:
        # A mangled character stands for a vowel (usually the tone-marked one).
        return "".join(f"[{c}{_WILD}]" if c in "aeiouv" else c for c in s)

    alternatives = sorted(_syllables(), key=len, reverse=True)
    return re.compile("(?:" + "|".join(pattern(s) for s in alternatives) + ")+")


_TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_ZHUYIN = "\u3105-\u312f\u31a0-\u31bfˊˇˋ˙"
_HAN = "\u4e00-\u9fff\u3400-\u4dbf"
_OPEN = r"[(（\[【]"
_CLOSE = r"[)）\]】]"
# Inside brackets: letters (any script a mangled vowel may have become), ?, digits 1–5 for
# tones, apostrophes, spaces and hyphens, never more than 80 characters.
# A space on both sides (关爱 (guān ài) 儿童) goes with it.
_BRACKETED_RE = re.compile(
    rf"(?<=[{_HAN}])\s?{_OPEN}\s*([A-Za-z\u00c0-\u024f{_TONE_MARKED}?'’·\s\-1-5\u0080-\u00bf]{{1,80}}?)\s*{_CLOSE}"
    rf"(?:\s(?=[{_HAN}]))?"
)
_ZHUYIN_RE = re.compile(
    rf"(?<=[{_HAN}])\s?(?:{_OPEN}\s*[{_ZHUYIN}\s]+\s*{_CLOSE}|[{_ZHUYIN}][{_ZHUYIN}\s]*(?=[^{_ZHUYIN}]|$))"
)
# Without brackets only tone-marked syllables are taken: plain Latin after Chinese is too
# often a name or a brand.
_BARE_RE = re.compile(
    rf"(?<=[{_HAN}])\s?((?:[a-z]*[{_TONE_MARKED}][a-z{_TONE_MARKED}]*[\s'’]?)+)(?=[\s{_HAN}，。、；：！？,.;:!?)）]|$)"
)
_HAN_RUN_RE = re.compile(rf"[{_HAN}]+$")


def _fold(letters: str) -> tuple[str, bool]:
    """Letters as base pinyin (ü as v), and whether any character was unreadable."""
    out, marked = [], False
    for c in letters:
        if c in " '’-·\t":
            continue
        if c.isdigit():
            marked = True  # a tone number
            continue
        base = unicodedata.normalize("NFD", c)[0].lower()
        if c in "üǖǘǚǜ":
            out.append("v")
            marked = True
        elif c.isascii() and c.isalpha():
            out.append(base)
        elif c in _TONE_MARKED:
            out.append(base)
            marked = True
        else:
            # "?" or a mangled vowel; runs (UTF-8 read as Latin-1) count as one.
            if not out or out[-1] != _WILD:
                out.append(_WILD)
            marked = True
    return "".join(out), marked


def _count_syllables(spelled: str) -> int:
    return len(_one_syllable_re().findall(spelled))


@functools.cache
def _one_syllable_re() -> re.Pattern[str]:
    return re.compile(_syllable_re().pattern[:-1])


def is_annotation(letters: str, before: str) -> bool:
    """True when `letters` (inside brackets after the Chinese text `before`) is a reading."""
    stripped = letters.strip()
    spelled, marked = _fold(stripped)
    if not spelled or not _syllable_re().fullmatch(spelled):
        return False
    if marked:
        return True
    # Upper case without tones is English (WHO) or a romanized name (Li Hua).
    if any(c.isupper() for c in stripped):
        return False
    # No tones: one syllable per Chinese character before it, at least two of them.
    han = _HAN_RUN_RE.search(before)
    n = _count_syllables(spelled)
    return bool(han) and 2 <= n <= len(han.group())


def _spells_pinyin(letters: str) -> bool:
    spelled, _ = _fold(letters)
    return bool(spelled) and bool(_syllable_re().fullmatch(spelled))


def remove_annotations(text: str) -> tuple[str, int]:
    """`text` without its pinyin and zhuyin annotations, and how many were removed."""
    count = 0

    def remove_if(keep_unless: bool, m: re.Match[str]) -> str:
        nonlocal count
        if keep_unless:
            count += 1
            return ""
        return m.group()

    text = _BRACKETED_RE.sub(
        lambda m: remove_if(is_annotation(m.group(1), m.string[: m.start()]), m), text
    )
    text = _ZHUYIN_RE.sub(lambda m: remove_if(True, m), text)
    text = _BARE_RE.sub(lambda m: remove_if(_spells_pinyin(m.group(1)), m), text)
    return text, count


_LINE_WORD_RE = re.compile(rf"[a-z{_TONE_MARKED}'’]+", re.I)


def is_reading_line(text: str) -> bool:
    """A line that is only a reading: the pinyin a page printed above its characters
    (ruby), on its own line once copied: “guān ài liú shǒu ér tóng”, or zhuyin."""
    if re.fullmatch(rf"[{_ZHUYIN}\s]+", text) and len(text.split()) >= 2:
        return True
    words = text.split()
    if len(words) < 2 or not all(_LINE_WORD_RE.fullmatch(w) for w in words):
        return False
    # Tone marks are what tell pinyin from English or a romanized name.
    return any(c in _TONE_MARKED for c in text.lower()) and all(map(_spells_pinyin, words))
