"""The excerpt a result card shows: the page's own words around the match, as written.

The text is the page's body prose (``indexing.prose``): paragraphs, headings and quotes,
never its tags, region, credits or other fields. The match is found in the folded form
(``analysis.fold_with_positions``) and the window is cut from the source, so full-width
punctuation, the page's script and its spacing stay as the editor wrote them. The result is
a list of (text, highlighted) parts; the template renders each part escaped, inside
``<mark>`` when highlighted: no markup is built in Python.
"""

from dataclasses import dataclass

from .analysis import fold_with_positions

# Where a sentence (or a paragraph: body_text keeps paragraphs on lines of their own) ends.
SENTENCE_ENDS = "。！？!?；;\n"
BEFORE = 30
LENGTH = 100


@dataclass(frozen=True)
class Part:
    text: str
    mark: bool = False


@dataclass(frozen=True)
class Excerpt:
    parts: tuple
    script: str  # the page's script: the converter renders it in the reader's

    @property
    def text(self):
        return "".join(part.text for part in self.parts)


def _first_match(folded, needles):
    best = None
    for needle in needles:
        if not needle:
            continue
        at = folded.find(needle)
        if at < 0:
            continue
        if best is None or at < best[0] or (at == best[0] and len(needle) > best[1] - best[0]):
            best = (at, at + len(needle))
    return best


def _marks(folded, where, needles, lo, hi):
    """Source intervals within [lo, hi) of every needle occurrence, overlaps merged."""
    spans = []
    for needle in needles:
        if not needle:
            continue
        at = folded.find(needle)
        while at >= 0:
            start, end = where[at], where[at + len(needle) - 1] + 1
            if start >= hi:
                break
            if end > lo:
                spans.append((max(start, lo), min(end, hi)))
            at = folded.find(needle, at + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _display(text):
    return text.replace("\n", " ")


def excerpt(text, needles, script, before=BEFORE, length=LENGTH):
    """The window of ``text`` around the first match of a (normalised) needle, or None."""
    if not text or not needles:
        return None
    folded, where = fold_with_positions(text)
    found = _first_match(folded, needles)
    if found is None:
        return None
    start, end = where[found[0]], where[found[1] - 1] + 1
    lo = max(0, start - before)
    # Start at the beginning of the sentence when it is near.
    boundary = max(text.rfind(ch, lo, start) for ch in SENTENCE_ENDS)
    if boundary >= 0:
        lo = boundary + 1
    while lo < start and text[lo].isspace():
        lo += 1
    hi = min(len(text), max(end, lo + length))
    parts = []
    if lo > 0 and text[lo - 1] not in SENTENCE_ENDS:
        parts.append(Part("…"))
    at = lo
    for mark_start, mark_end in _marks(folded, where, needles, lo, hi):
        if mark_start > at:
            parts.append(Part(_display(text[at:mark_start])))
        parts.append(Part(_display(text[mark_start:mark_end]), mark=True))
        at = mark_end
    tail = text[at:hi].rstrip()
    if tail:
        parts.append(Part(_display(tail)))
    if hi < len(text):
        parts.append(Part("…"))
    return Excerpt(parts=tuple(parts), script=script)


def lead(text, script, length=LENGTH):
    """The start of ``text``, for a page matched by its title alone."""
    text = (text or "").strip()
    if not text:
        return None
    shown = text[:length].rstrip()
    parts = [Part(_display(shown))]
    if len(text) > length:
        parts.append(Part("…"))
    return Excerpt(parts=tuple(parts), script=script)
