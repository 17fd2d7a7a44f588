"""Text preparation for the privacy check: what a reader sees, folded for comparison.

Every check compares folded text (full-width forms narrowed, simplified, lower case) while
reporting positions in the text as the editor wrote it, so every fold keeps the length.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache

import opencc

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
# Also the punctuation put inside a name to dodge a filter (张-浩然, 张_浩然, 张/浩然, 张*浩然,
# “张”浩然) or used in dates and numbers (2014.03.15, 0851-8612345). Clause and sentence
# punctuation (，。、！？；：) is not ignored: a given name of two common characters would
# otherwise be found across the end of one clause and the start of the next.
_IGNORABLE_RE = re.compile(
    r"[\s·•・‧･∙⋅\u200b\u200c\u200d\u2060\ufeff"
    r"\-_./\\|~*+=#'\"`()\[\]{}（）【】「」『』“”‘’《》〈〉]+"
)

_COMMENT_RE = re.compile(r"<!--|-->")
# A tag never spans another "<" (rich text escapes it inside attributes); without that
# bound every unclosed "<a" would scan to the end of the text, quadratic in its length.
_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*)>",
)
_ATTR_RE = re.compile(
    r"""(?<![\w-])(alt|title|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
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
    """Text as readers and scrapers see it: tags removed, alt/title/href/src values kept."""
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


# --- masking ----------------------------------------------------------------------------


def _mask(text: str, head: int, tail: int, significant: Callable[[str], bool]) -> str:
    positions = [i for i, c in enumerate(text) if significant(c)]
    hidden = set(positions[head : len(positions) - tail if tail else None])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _is_digit(c: str) -> bool:
    return c.isdigit() or c in "Xx〇零一二三四五六七八九"


def _is_significant(c: str) -> bool:
    return not _IGNORABLE_RE.match(c)


def _mask_value(text: str) -> str:
    n = sum(1 for c in text if _is_significant(c))
    if n <= 2:
        return _mask(text, 1, 0, _is_significant)
    masked = _mask(text, 2 if n >= 6 else 1, 1, _is_significant)
    # A notes line can be long; the editor needs its start and the position, not its length.
    return re.sub(r"\*{7,}", "******…", masked)


_NUM_PART_RE = re.compile(r"\d+|[零〇一二三四五六七八九十百千两兩]+")


def _mask_numbers(text: str) -> str:
    return _NUM_PART_RE.sub(lambda m: "*" * len(m.group()), text)
