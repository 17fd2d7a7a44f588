"""Simplified/traditional conversion engine for one run of text: OpenCC configs, editor
rules, origin and keep markers.

Pure Python on top of the native OpenCC binding; it must not import Django, so that feeds,
search indexing, the importer and tests can all use it outside a request.

Conversion of one run of text, in order of precedence:

1. ``-{...}-`` spans are kept exactly as written (the markers are removed);
2. editor rules (``Rules``) replace their phrase with their exact rendition, longest match;
3. everything else goes through OpenCC (phrase-aware, character forms only — never the
   ``*p`` configs, which would also swap vocabulary such as 软件→軟體).

Rendered pages mix scripts: template UI strings are simplified, a page's own fields may be
traditional. Templates wrap text in private-use *origin markers* (``wrap``); the HTML walker
(``html_walker.convert_html``) converts each run from its own origin to the requested script.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import opencc

HANS = "hans"
HANT = "hant"
SCRIPTS = (HANS, HANT)

# variant -> (simplified->traditional config, traditional->simplified config)
VARIANTS = {
    "tw": ("s2tw", "tw2s"),
    "hk": ("s2hk", "hk2s"),
    "t": ("s2t", "t2s"),
}
DEFAULT_VARIANT = "tw"

# The same code points as tongxin.scripts.markers (which needs Django for SafeString).
ORIGIN_HANT = "\ue000"
ORIGIN_HANS = "\ue001"
ORIGIN_POP = "\ue002"
_ORIGIN_OPEN = {HANT: ORIGIN_HANT, HANS: ORIGIN_HANS}
_ORIGIN_OF_MARKER = {ORIGIN_HANT: HANT, ORIGIN_HANS: HANS}

KEEP_OPEN = "-{"
KEEP_CLOSE = "}-"

AMBIGUOUS_FILE = Path(__file__).with_name("ambiguous.txt")

# Joins text nodes for one batched OpenCC call; reserved like the markers (not in rules).
_BATCH_SEP = "\ue003"
_RESERVED_RE = re.compile(r"[\ue000-\ue003]|-\{|\}-")
_MARKER_RE = re.compile(r"[\ue000-\ue002]|-\{|\}-")
_ORIGIN_RE = re.compile(r"[\ue000-\ue002]")
_KEEP_MARKER_RE = re.compile(r"-\{|\}-")
_KEEP_PAIR_RE = re.compile(r"-\{(.*?)\}-", re.S)


# --------------------------------------------------------------------------- OpenCC


def _check_script(script: str) -> str:
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}; expected 'hans' or 'hant'")
    return script


def _check_variant(variant: str) -> str:
    if variant not in VARIANTS:
        raise ValueError(f"unknown traditional variant {variant!r}; expected tw, hk or t")
    return variant


def config_for(source: str, target: str, variant: str = DEFAULT_VARIANT) -> str:
    """The OpenCC config converting ``source`` to ``target`` for ``variant``."""
    _check_script(source)
    _check_script(target)
    forward, backward = VARIANTS[_check_variant(variant)]
    if source == target:
        raise ValueError("no conversion needed between a script and itself")
    return forward if source == HANS else backward


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    # Building one loads several marisa dictionaries (~20 ms); convert() is reentrant.
    return opencc.OpenCC(config)


@functools.cache
def plain_converter(config: str):
    """OpenCC alone, ``str -> str``, for ``config``: one function per config, so that what
    is memoised per converter (``words``) is shared by every caller."""
    return functools.partial(_opencc, _converter(config))


@functools.cache
def text_converter(config: str):
    """``str -> str`` for one run of marker-free text in ``config``'s direction.

    Simplified to traditional goes through the word-aware pass (names, word boundaries,
    context: ``tongxin.scripts.words``); every other direction is OpenCC alone.
    """
    plain = plain_converter(config)
    if not config.startswith("s2"):

        def opencc_only(text: str, open_left: bool = False, open_right: bool = False) -> str:
            return plain(text)

        opencc_only.many = functools.partial(_convert_many, opencc_only, plain, None)
        return opencc_only
    from .words import analyse

    def word_aware(text: str, open_left: bool = False, open_right: bool = False) -> str:
        return analyse(text, plain, open_left, open_right)[0]

    word_aware.many = functools.partial(_convert_many, word_aware, plain, analyse)
    return word_aware


# Joins the stretches of text between editor-rule matches for one conversion call; the
# word-aware pass reads it as a sentence that goes on beyond (``words.OPEN_EDGE``).
_OPEN_SEP = "\ue004"


def _convert_many(one, plain, analyse, runs: list[tuple[str, bool, bool]]) -> list[str]:
    """Convert ``(text, open_left, open_right)`` runs as ``one`` would, one by one, but
    with one OpenCC call and one word-aware pass: a page's rules cut its text into many
    short runs, and a call per run costs more than the conversion."""
    if len(runs) > 1:
        texts = [text for text, _, _ in runs]
        joined = _OPEN_SEP.join(texts)
        if joined.count(_OPEN_SEP) == len(runs) - 1:
            base = plain(joined)
            # A conversion that changes a length cannot be cut back by position.
            if len(base) == len(joined):
                if analyse is not None:
                    base = analyse(joined, plain, runs[0][1], runs[-1][2], base=base)[0]
                parts = base.split(_OPEN_SEP)
                if len(parts) == len(runs):
                    return parts
    return [one(text, left, right) for text, left, right in runs]


# Taiwan and Hong Kong publishers quote with corner brackets. A right single quote between
# two Latin letters or digits is an apostrophe (it’s), not a closing quote.
_APOSTROPHE_RE = re.compile(r"(?<=[A-Za-z0-9])’(?=[A-Za-z0-9])")
_CORNER = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


def corner_quotes(text: str) -> str:
    """“ ” ‘ ’ as 「 」 『 』 (the site setting for the traditional rendition)."""
    if "“" not in text and "‘" not in text and "”" not in text and "’" not in text:
        return text
    if "’" in text:
        parts = _APOSTROPHE_RE.split(text)
        return "’".join(part.translate(_CORNER) for part in parts)
    return text.translate(_CORNER)


def _opencc(conv: opencc.OpenCC, text: str) -> str:
    if not text or text.isascii():
        return text
    if "\x00" in text:
        # The native binding treats NUL as end of string and silently drops the rest.
        return "\x00".join(_opencc(conv, part) for part in text.split("\x00"))
    try:
        return conv.convert(text)
    except UnicodeEncodeError:
        # Lone surrogates cannot be handed to C as UTF-8; showing them unconverted beats
        # failing the whole page.
        return text


# --------------------------------------------------------------------------- rules


def _escape_html(text: str) -> str:
    return html_lib.escape(text, quote=True)


def _escape_json(text: str) -> str:
    # Inside <script type="application/ld+json">: a JSON string body that cannot close the
    # script element.
    return (
        json.dumps(text, ensure_ascii=False)[1:-1]
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


_ESCAPES = {None: None, "html": _escape_html, "json": _escape_json}


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, preferring the longest at a given position.

    A trie keeps matching linear in the longest phrase instead of trying every rule at
    every position, so a site can hold thousands of rules.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        terminal = "" in node
        if len(branches) == 1 and not terminal:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        # Greedy optional: the longer phrase is tried first, the shorter one is the fallback.
        return group + "?" if terminal else group

    return build(trie)


class Rules:
    """Editor conversion rules: each ``(hans, hant)`` pair converts exactly, both ways.

    Built from pairs or from ``{"hans": ..., "hant": ...}`` mappings (the content format);
    ``corner_quotes`` renders “ ” ‘ ’ as 「 」 『 』 in traditional output (a site setting).
    Later pairs win over earlier ones on the same phrase (per direction), so
    ``Rules.merge(site_rules, page_rules)`` lets page-level rules override site-wide ones.
    Instances are immutable and hashable; compiled matchers are cached per rule set.
    """

    __slots__ = ("pairs", "corner_quotes", "has_ascii_phrase", "_hash", "_matchers")

    def __init__(self, pairs: Iterable = (), *, corner_quotes: bool = False):
        collected: list[tuple[str, str]] = []
        for index, item in enumerate(pairs):
            if isinstance(item, Rules):
                collected.extend(item.pairs)
                corner_quotes = corner_quotes or item.corner_quotes
                continue
            if isinstance(item, Mapping):
                hans, hant = item.get("hans"), item.get("hant")
            else:
                try:
                    hans, hant = item
                except (TypeError, ValueError):
                    raise ValueError(f"rule {index}: expected a (hans, hant) pair") from None
            for side, value in (("hans", hans), ("hant", hant)):
                if not isinstance(value, str) or not value:
                    raise ValueError(f"rule {index}: {side} must be a non-empty string")
                if _RESERVED_RE.search(value):
                    raise ValueError(f"rule {index}: {side} must not contain markers")
            collected.append((hans, hant))
        self.pairs: tuple[tuple[str, str], ...] = tuple(collected)
        self.has_ascii_phrase = any(side.isascii() for pair in self.pairs for side in pair)
        self.corner_quotes = bool(corner_quotes)
        self._hash = hash((self.pairs, self.corner_quotes))
        self._matchers: dict = {}

    @classmethod
    def merge(cls, *rule_sets: Rules | Iterable | None) -> Rules:
        """Site-wide first, page-level last: the last one wins on the same phrase."""
        pairs: list = []
        quotes = False
        for rule_set in rule_sets:
            if rule_set:
                rule_set = _as_rules(rule_set)
                pairs.extend(rule_set.pairs)
                quotes = quotes or rule_set.corner_quotes
        return cls(pairs, corner_quotes=quotes)

    def __add__(self, other: Rules) -> Rules:
        return Rules.merge(self, other)

    def __len__(self) -> int:
        return len(self.pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs) or self.corner_quotes

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return (
            isinstance(other, Rules)
            and self._hash == other._hash
            and self.pairs == other.pairs
            and self.corner_quotes == other.corner_quotes
        )

    def __repr__(self) -> str:
        quotes = ", corner_quotes=True" if self.corner_quotes else ""
        return f"Rules({list(self.pairs)!r}{quotes})"

    def mapping(self, source: str) -> dict[str, str]:
        """Phrase in ``source`` script -> exact rendition in the other script."""
        _check_script(source)
        if source == HANS:
            return {hans: hant for hans, hant in self.pairs}
        return {hant: hans for hans, hant in self.pairs}

    def matcher(self, source: str, escape: str | None = None):
        """``(compiled regex, table)`` for text in ``source`` script, or None without rules.

        ``escape`` ("html" / "json") matches and emits the phrases as they appear escaped in
        that context, so a rule such as ``A&B`` matches ``A&amp;B`` and cannot inject markup.
        """
        if not self.pairs:
            return None
        key = (source, escape)
        found = self._matchers.get(key)
        if found is None:
            found = self._matchers[key] = _compile_matcher(self, source, escape)
        return found


@functools.lru_cache(maxsize=256)
def _compile_matcher(rules: Rules, source: str, escape: str | None):
    # Shared across equal Rules instances, which callers typically rebuild per request.
    esc = _ESCAPES[escape]
    table = rules.mapping(source)
    if esc is not None:
        table = {esc(phrase): esc(rendition) for phrase, rendition in table.items()}
    return re.compile(_trie_pattern(table)), table


NO_RULES = Rules()


def _as_rules(rules) -> Rules:
    if rules is None:
        return NO_RULES
    return rules if isinstance(rules, Rules) else Rules(rules)


# Phrasing elements that sit inside a phrase: "<b>头发</b>干了", "头发<mark>干</mark>了" (a
# search excerpt's highlight). The phrase is read across them; block tags and <br> still
# end it.
_INLINE_TAG_RE = re.compile(
    r"""</?(?:a|abbr|b|bdi|bdo|cite|data|dfn|em|i|ins|del|mark|q|s|small|span|strong|sub|sup
    |time|u|var)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?/?>""",
    re.I | re.X,
)


def _segments(text: str, convert, found) -> list[tuple[int, int, str, bool]]:
    """``(start, end, converted, by_rule)`` pieces of ``text``: rule matches, OpenCC between."""
    if found is None:
        return [(0, len(text), convert(text), False)]
    regex, table = found
    pieces = []
    gaps = []  # (index in pieces, text, open_left, open_right): what OpenCC converts
    pos = 0
    for match in regex.finditer(text):
        if match.start() > pos:
            gaps.append((len(pieces), text[pos : match.start()], pos > 0, True))
            pieces.append((pos, match.start(), "", False))
        pieces.append((match.start(), match.end(), table[match.group()], True))
        pos = match.end()
    if pos < len(text) or not pieces:
        gaps.append((len(pieces), text[pos:], bool(pieces), False))
        pieces.append((pos, len(text), "", False))
    many = getattr(convert, "many", None)
    if many is None or len(gaps) == 1:
        converted = [convert(gap, left, right) for _, gap, left, right in gaps]
    else:
        converted = many([(gap, left, right) for _, gap, left, right in gaps])
    for (index, _, _, _), piece in zip(gaps, converted, strict=True):
        start, end, _, _ = pieces[index]
        pieces[index] = (start, end, piece, False)
    return pieces


def _convert_across_tags(text: str, convert, found, tags: list) -> str:
    """Convert ``text`` as if its inline tags were not there, then put them back.

    OpenCC and the rules see the words whole; each tag returns to the same character
    offset. Where a conversion changed the length of a piece (a rule's rendition can), its
    tags cannot be placed by offset: that piece is converted part by part between its tags,
    as if the phrase had not been read across them.
    """
    clean_parts = []
    at = []  # (offset in the tag-free text, tag)
    pos = length = 0
    for match in tags:
        clean_parts.append(text[pos : match.start()])
        length += match.start() - pos
        at.append((length, match.group()))
        pos = match.end()
    clean_parts.append(text[pos:])
    clean = "".join(clean_parts)
    out = []
    ti = 0
    for start, end, converted, by_rule in _segments(clean, convert, found):
        if len(converted) == end - start:
            cursor = start
            while ti < len(at) and at[ti][0] < end:
                offset, tag = at[ti]
                out.append(converted[cursor - start : offset - start])
                out.append(tag)
                cursor = offset
                ti += 1
            out.append(converted[cursor - start :])
            continue
        while ti < len(at) and at[ti][0] <= start:
            out.append(at[ti][1])
            ti += 1
        if ti == len(at) or at[ti][0] >= end:
            out.append(converted)
            continue
        # Moving the tags to the end of the rendition could leave a link empty.
        cursor = start
        while ti < len(at) and at[ti][0] < end:
            offset, tag = at[ti]
            out.append(_convert_piece(clean[cursor:offset], convert, found if by_rule else None))
            out.append(tag)
            cursor = offset
            ti += 1
        out.append(_convert_piece(clean[cursor:end], convert, found if by_rule else None))
    out.extend(tag for _, tag in at[ti:])
    return "".join(out)


def _convert_piece(text: str, convert, found) -> str:
    if found is None:
        return convert(text)
    return "".join(converted for _, _, converted, _ in _segments(text, convert, found))


def _convert_run(
    text: str, source: str, target: str, variant: str, rules: Rules, escape: str | None
) -> str:
    """Convert marker-free text: rules first, OpenCC between the rule matches."""
    convert = text_converter(config_for(source, target, variant))
    found = rules.matcher(source, escape)
    if escape == "html" and "<" in text:
        tags = list(_INLINE_TAG_RE.finditer(text))
        if tags:
            converted = _convert_across_tags(text, convert, found, tags)
        else:
            converted = _convert_piece(text, convert, found)
    else:
        converted = _convert_piece(text, convert, found)
    if rules.corner_quotes and target == HANT:
        converted = corner_quotes(converted)
    return converted


# --------------------------------------------------------------------------- marker stream


class _Stream:
    """Origin and keep state of a text stream, fed one text node at a time.

    State is a stack of ``[origin, keeping]`` frames: an origin marker pushes a frame, POP
    drops it — and with it any ``-{`` left open inside, so a stray keep marker in one field
    cannot freeze the rest of the page.

    A batched stream defers conversion: ``feed`` leaves the source text as a placeholder in
    ``out`` and ``flush`` converts all of them with one OpenCC call per origin, which is
    several times cheaper than one call per text node.
    """

    __slots__ = ("target", "variant", "rules", "escape", "frames", "pending")

    def __init__(self, base, target, variant, rules, escape=None, keeping=False, batched=False):
        self.target = target
        self.variant = variant
        self.rules = rules
        self.escape = escape
        self.frames = [[base, keeping]]
        self.pending = {} if batched else None

    def child(self, escape=None) -> _Stream:
        """A stream for a self-contained value (attribute, raw-text body) at this point.

        It shares this stream's batch when it escapes the same way, so that attribute
        values are converted in the same OpenCC call as the text around them.
        """
        origin, keeping = self.frames[-1]
        child = _Stream(origin, self.target, self.variant, self.rules, escape, keeping)
        if escape == self.escape:
            child.pending = self.pending
        return child

    def _marker(self, token: str) -> None:
        frames = self.frames
        if token == ORIGIN_POP:
            if len(frames) > 1:
                frames.pop()
        elif token in _ORIGIN_OF_MARKER:
            frames.append([_ORIGIN_OF_MARKER[token], False])
        elif token == KEEP_OPEN:
            frames[-1][1] = True
        else:
            frames[-1][1] = False

    def chunks(self, text: str):
        """Yield ``(offset, chunk, origin, keeping)`` for the marker-free parts of ``text``."""
        pos = 0
        for match in _MARKER_RE.finditer(text):
            start = match.start()
            if start > pos:
                origin, keeping = self.frames[-1]
                yield pos, text[pos:start], origin, keeping
            self._marker(match.group())
            pos = match.end()
        if pos < len(text):
            origin, keeping = self.frames[-1]
            yield pos, text[pos:], origin, keeping

    def _emit(self, out: list, chunk: str, origin: str, keeping: bool) -> None:
        if keeping or origin == self.target or chunk.isascii():
            out.append(chunk)
        elif self.pending is not None:
            self.pending.setdefault(origin, []).append(len(out))
            out.append(chunk)
        else:
            out.append(
                _convert_run(chunk, origin, self.target, self.variant, self.rules, self.escape)
            )

    def feed(self, text: str, out: list) -> None:
        if text.isascii():
            if "-{" not in text and "}-" not in text:
                out.append(text)
                return
        elif "-{" not in text and "}-" not in text and not _ORIGIN_RE.search(text):
            self._emit(out, text, *self.frames[-1])
            return
        for _, chunk, origin, keeping in self.chunks(text):
            self._emit(out, chunk, origin, keeping)

    def feed_verbatim(self, text: str, out: list) -> None:
        """Text that is never converted (code): follow and strip origin markers only."""
        if text.isascii():
            out.append(text)
            return
        pos = 0
        for match in _ORIGIN_RE.finditer(text):
            out.append(text[pos : match.start()])
            self._marker(match.group())
            pos = match.end()
        out.append(text[pos:])

    def flush(self, out: list) -> None:
        for origin, indexes in self.pending.items():
            chunks = [out[i] for i in indexes]
            converted = None
            if len(chunks) > 1:
                joined = _BATCH_SEP.join(chunks)
                # Page text could contain the separator itself; then convert one by one.
                if joined.count(_BATCH_SEP) == len(chunks) - 1:
                    parts = _convert_run(
                        joined, origin, self.target, self.variant, self.rules, self.escape
                    ).split(_BATCH_SEP)
                    if len(parts) == len(chunks):
                        converted = parts
            if converted is None:
                converted = [
                    _convert_run(c, origin, self.target, self.variant, self.rules, self.escape)
                    for c in chunks
                ]
            for i, part in zip(indexes, converted, strict=True):
                out[i] = part
        self.pending.clear()

    def convert(self, text: str) -> str:
        """Convert ``text`` now (the stream must not be batched)."""
        out: list = []
        self.feed(text, out)
        return "".join(out)


def _stream(source, target, variant, rules, escape=None, batched=False) -> _Stream:
    _check_script(source)
    _check_script(target)
    _check_variant(variant)
    return _Stream(source, target, variant, _as_rules(rules), escape, batched=batched)


# --------------------------------------------------------------------------- public text API


def wrap(text: str, source: str) -> str:
    """Mark ``text`` as written in ``source`` script for ``convert_html``/``convert_text``."""
    if not text:
        return text
    return _ORIGIN_OPEN[_check_script(source)] + text + ORIGIN_POP


def _strip_origin(text: str) -> str:
    # Three str.replace calls are ~15x faster than str.translate on CJK text.
    if text.isascii():
        return text
    return text.replace(ORIGIN_HANT, "").replace(ORIGIN_HANS, "").replace(ORIGIN_POP, "")


def strip_markers(text: str) -> str:
    """Remove origin markers and keep markers, keeping the text they enclose.

    For places that show source text as written (search index, slugs, admin listings).
    """
    if not text:
        return text
    return _KEEP_MARKER_RE.sub("", _strip_origin(text))


def convert_text(
    text: str,
    *,
    source: str,
    target: str,
    variant: str = DEFAULT_VARIANT,
    rules: Rules | Iterable | None = None,
) -> str:
    """Convert plain text written in ``source`` script to ``target`` script.

    Origin markers inside ``text`` override ``source`` for the runs they enclose; all
    markers are removed from the result. Not HTML-aware: use ``convert_html`` for markup.
    """
    stream = _stream(source, target, variant, rules)
    if not text:
        return text
    if source == target and _ORIGIN_OPEN[HANT if target == HANS else HANS] not in text:
        return strip_markers(text)
    return stream.convert(text)
