"""What the privacy guard (stories.privacy) would refuse, found before an editor sees it.

The guard's own `find_leaks` decides: the same patterns refuse a story's publication, so an
imported article is flagged exactly when its text would be refused. Its messages already
mask what they quote; a child is usually named right next to the school and class, so the
name there is masked too (王** … 六(2)班) and the flag can go to a terminal or the admin.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from stories.privacy import find_leaks

_QUOTED_RE = re.compile(r"“(.*)”（第")
_SENTENCE_SPLIT_RE = re.compile(r"[。！？!?；;\n]")
# Names are looked for this many characters around a school-and-class match.
_NEAR = 16


@dataclass(frozen=True)
class Flag:
    line: int
    kind: str
    text: str  # masked, safe to print and to store

    def as_dict(self) -> dict:
        return {"line": self.line, "kind": self.kind, "text": self.text}


@functools.cache
def _posseg():
    from tongxin.search.analysis import segmenter

    segmenter()  # loads the dictionary once
    import jieba.posseg

    return jieba.posseg


def mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


def _names_near(text: str, start: int, end: int) -> tuple[str, str]:
    """(masked name before the match, masked name after it), each possibly empty."""
    left = text[max(0, start - _NEAR) : start]
    right = text[end : end + _NEAR]
    left = _SENTENCE_SPLIT_RE.split(left)[-1]
    right = _SENTENCE_SPLIT_RE.split(right)[0]

    def names(piece: str) -> list[str]:
        return [w.word for w in _posseg().cut(piece) if w.flag == "nr" and 2 <= len(w.word) <= 4]

    before, after = names(left), names(right)
    return (mask_name(before[-1]) if before else "", mask_name(after[0]) if after else "")


def find_flags(lines: list[tuple[int, str]]) -> list[Flag]:
    """Flags for (line number, text) pairs, in order."""
    flags = []
    for number, text in lines:
        for leak in find_leaks({str(number): text}):
            quoted = _QUOTED_RE.search(leak.message)
            masked = quoted.group(1) if quoted else leak.kind
            if leak.kind == "school_class":
                start = text.find(leak.match)
                before, after = _names_near(text, start, start + len(leak.match))
                masked = " … ".join(p for p in (before, masked, after) if p)
            flags.append(Flag(number, leak.kind, masked))
    return flags
