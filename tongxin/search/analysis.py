"""Text analysis shared by indexing and querying: one normalisation, one segmenter.

Script-insensitivity comes from normalising both sides the same way: whatever script a page
was written in and whatever script a reader types, the index and the query are compared in
simplified characters (OpenCC ``t2s``), lower case, full-width forms folded (NFKC). jieba's
``cut_for_search`` then splits the normalised text into words *and* the shorter words inside
them, so a query for 儿童 finds 留守儿童.

jieba needs about a second to load its dictionary, so it is loaded on first use, not when
Django imports this module (management commands, migrations and most requests never
segment anything).
"""

import functools
import logging
import re
import threading
import unicodedata

import opencc

from tongxin.scripts.convert import strip_markers

MAX_QUERY_LENGTH = 100
# More words than this in one query adds nothing but SQL: the rest are dropped.
MAX_QUERY_TOKENS = 20

# Private-use code points (the converter's origin markers live there), C0/C1 controls other
# than whitespace, and lone surrogates: never indexed, never echoed back to a reader.
_UNSAFE_RE = re.compile(r"[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE_RE = re.compile(r"\s+")

_jieba = None
_jieba_lock = threading.Lock()


def segmenter():
    """The jieba module, its dictionary loaded (once per process, on first use)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


@functools.cache
def _t2s():
    return opencc.OpenCC("t2s")


def clean(text):
    """Text without converter markers or unprintable code points, whitespace collapsed."""
    text = strip_markers(text or "")
    text = _UNSAFE_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def normalise(text):
    """The comparable form of any text: simplified, lower case, full-width folded.

    Applied to every page whatever its script, not only traditional ones: readers type in
    either script, so the query is always converted, and the index must be converted the
    same way or a character t2s changes could never be found.
    """
    text = unicodedata.normalize("NFKC", clean(text))
    if not text.isascii():
        text = _t2s().convert(text)
    return text.lower()


def compact(normalised):
    """Normalised text without whitespace, for plain substring matching."""
    return _SPACE_RE.sub("", normalised)


def is_word(token):
    """A token worth indexing or matching: it has at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokens(normalised):
    """jieba search tokens of normalised text, punctuation and whitespace dropped, unique."""
    if not normalised:
        return []
    seen = {}
    for token in segmenter().cut_for_search(normalised):
        token = token.strip()
        if token and is_word(token):
            seen.setdefault(token, None)
    return list(seen)


def terms(normalised):
    """The index column form: `` tok1 tok2 … `` so that ``contains(" tok ")`` is a word match."""
    found = tokens(normalised)
    return f" {' '.join(found)} " if found else ""


def needs_substring(token):
    """Tokens a word match alone would miss: single characters and words jieba's dictionary
    does not know (names, new words, Latin words, numbers), which it may segment
    differently in a page than in a query."""
    if len(token) == 1:
        return True
    return segmenter().get_FREQ(token) is None


def query_text(raw):
    """A reader's query, cleaned and cut to MAX_QUERY_LENGTH: (text, was_cut)."""
    text = clean(raw)
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


def snippet(text, needles, before=30, after=60):
    """(head, match, tail) around the first needle found in ``text``, or None.

    ``text`` is source text (either script); ``needles`` are normalised. The window is cut
    from the source so the reader sees the page's own characters; when normalising changed
    the text's length (rare NFKC expansions) positions would not line up, and the window
    comes from the normalised text instead: the caller is told by the fourth value, which is
    the script the returned text is in (None: the source's own).
    """
    if not text:
        return None
    folded = normalise(text)
    aligned = len(folded) == len(text)
    for needle in sorted(needles, key=len, reverse=True):
        start = folded.find(needle) if needle else -1
        if start < 0:
            continue
        end = start + len(needle)
        shown = text if aligned else folded
        lo, hi = max(0, start - before), min(len(shown), end + after)
        head = ("…" if lo > 0 else "") + shown[lo:start]
        tail = shown[end:hi] + ("…" if hi < len(shown) else "")
        return head, shown[start:end], tail, None if aligned else "hans"
    return None
