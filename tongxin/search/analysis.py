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


# A term the full-text engines store: a run of letters and decimal digits only. PostgreSQL's
# parser (``to_tsvector('simple', …)``) and SQLite FTS5's ``unicode61`` tokenizer both split
# text at anything else, so a term made only of these characters reaches either engine as
# exactly one token, and the same Python function decides what both databases index.
_TERM_BREAK_RE = re.compile(r"[^\w]|_")
MAX_TERM_LENGTH = 60


def _term_char(ch):
    category = unicodedata.category(ch)
    return category[0] == "L" or category == "Nd"


def pieces(token):
    """``token`` cut at every character that is not a letter or decimal digit."""
    out, run = [], []
    for ch in token:
        if _term_char(ch):
            run.append(ch)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return [p for p in out if len(p) <= MAX_TERM_LENGTH]


def index_terms(normalised):
    """The full-text terms of normalised text, space-joined, each once: the one function that
    builds what PostgreSQL's ``tsvector`` and SQLite's FTS5 table index.

    jieba's search tokens (words and the words inside them), plus every non-ASCII letter on
    its own, so that single characters and words jieba does not know (names, new words) can
    be found through the index too (see ``query_terms``).
    """
    if not normalised:
        return ""
    found = {}
    for token in tokens(normalised):
        for piece in pieces(token):
            found.setdefault(piece, None)
    for ch in normalised:
        if not ch.isascii() and _term_char(ch):
            found.setdefault(ch, None)
    return " ".join(found)


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


def query_terms(words):
    """What the index must hold for a page to match every query word: (exact terms, prefix
    terms, substrings to confirm).

    A dictionary word must be one of the page's terms. A single character matches its own
    term. A word jieba does not know may be segmented differently in a page than in the
    query: the page must hold each of its characters (the index narrows the candidates) and
    contain the word as written (``plain_text``, checked on those candidates only). Latin
    words and numbers match as term prefixes (``covid`` finds ``covid19``).
    """
    exact, prefixes, substrings = {}, {}, []
    for word in words:
        parts = pieces(word)
        if not parts:
            continue
        if not needs_substring(word):
            exact.update(dict.fromkeys(parts))
            continue
        for part in parts:
            if part.isascii():
                prefixes.setdefault(part, None)
                continue
            for ch in part:
                if ch.isascii():
                    continue
                exact.setdefault(ch, None)
            # ASCII runs inside a mixed part are prefixes of the part's own term.
            for run in re.findall(r"[0-9a-z]+", part):
                prefixes.setdefault(run, None)
        single = len(parts) == 1 and (len(word) == 1 or word.isascii())
        if not single:
            substrings.append(word)
    return list(exact), list(prefixes), substrings


def fold_with_positions(text):
    """(folded text, source index of each folded character): ``normalise`` applied so that
    every position of the folded text points back into ``text``, whatever NFKC expands
    (…→..., ㎡→m2). Excerpts are found in the folded text and cut from the source."""
    chars, where = [], []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).lower() if not ch.isascii() else ch.lower()
        for out in folded:
            chars.append(out)
            where.append(i)
    folded = "".join(chars)
    if not folded.isascii():
        converted = _t2s().convert(folded)
        if len(converted) != len(folded):
            # A phrase conversion changed the length: character by character keeps positions.
            converted = "".join(_t2s_char(ch) for ch in folded)
        folded = converted
    return folded, where


@functools.lru_cache(maxsize=8192)
def _t2s_char(ch):
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch
