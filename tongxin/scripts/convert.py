"""Simplified/traditional conversion engine: plain text, rendered HTML, ambiguity report.

Pure Python on top of the native OpenCC binding; it must not import Django, so that feeds,
search indexing, the importer and tests can all use it outside a request.

Conversion of one run of text, in order of precedence:

1. ``-{...}-`` spans are kept exactly as written (the markers are removed);
2. editor rules (``Rules``) replace their phrase with their exact rendition, longest match;
3. everything else goes through OpenCC (phrase-aware, character forms only — never the
   ``*p`` configs, which would also swap vocabulary such as 软件→軟體).

Rendered pages mix scripts: template UI strings are simplified, a page's own fields may be
traditional. Templates wrap text in private-use *origin markers* (``wrap``) and
``convert_html`` converts each run from its own origin to the requested script.
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

    Built from pairs or from ``{"hans": ..., "hant": ...}`` mappings (the content format).
    Later pairs win over earlier ones on the same phrase (per direction), so
    ``Rules.merge(site_rules, page_rules)`` lets page-level rules override site-wide ones.
    Instances are immutable and hashable; compiled matchers are cached per rule set.
    """

    __slots__ = ("pairs", "has_ascii_phrase", "_hash", "_matchers")

    def __init__(self, pairs: Iterable = ()):
        collected: list[tuple[str, str]] = []
        for index, item in enumerate(pairs):
            if isinstance(item, Rules):
                collected.extend(item.pairs)
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
        self._hash = hash(self.pairs)
        self._matchers: dict = {}

    @classmethod
    def merge(cls, *rule_sets: Rules | Iterable | None) -> Rules:
        """Site-wide first, page-level last: the last one wins on the same phrase."""
        pairs: list = []
        for rule_set in rule_sets:
            if rule_set:
                pairs.extend(_as_rules(rule_set).pairs)
        return cls(pairs)

    def __add__(self, other: Rules) -> Rules:
        return Rules.merge(self, other)

    def __len__(self) -> int:
        return len(self.pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Rules) and self._hash == other._hash and self.pairs == other.pairs

    def __repr__(self) -> str:
        return f"Rules({list(self.pairs)!r})"

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


def _segments(text: str, conv: opencc.OpenCC, found) -> list[tuple[int, int, str, bool]]:
    """``(start, end, converted, by_rule)`` pieces of ``text``: rule matches, OpenCC between."""
    pieces = []
    pos = 0
    if found is not None:
        regex, table = found
        for match in regex.finditer(text):
            if match.start() > pos:
                pieces.append((pos, match.start(), _opencc(conv, text[pos : match.start()]), False))
            pieces.append((match.start(), match.end(), table[match.group()], True))
            pos = match.end()
    if pos < len(text) or not pieces:
        pieces.append((pos, len(text), _opencc(conv, text[pos:]), False))
    return pieces


def _convert_across_tags(text: str, conv: opencc.OpenCC, found, tags: list) -> str:
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
    for start, end, converted, by_rule in _segments(clean, conv, found):
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
            out.append(_convert_piece(clean[cursor:offset], conv, found if by_rule else None))
            out.append(tag)
            cursor = offset
            ti += 1
        out.append(_convert_piece(clean[cursor:end], conv, found if by_rule else None))
    out.extend(tag for _, tag in at[ti:])
    return "".join(out)


def _convert_piece(text: str, conv: opencc.OpenCC, found) -> str:
    if found is None:
        return _opencc(conv, text)
    return "".join(converted for _, _, converted, _ in _segments(text, conv, found))


def _convert_run(
    text: str, source: str, target: str, variant: str, rules: Rules, escape: str | None
) -> str:
    """Convert marker-free text: rules first, OpenCC between the rule matches."""
    conv = _converter(config_for(source, target, variant))
    found = rules.matcher(source, escape)
    if escape == "html" and "<" in text:
        tags = list(_INLINE_TAG_RE.finditer(text))
        if tags:
            return _convert_across_tags(text, conv, found, tags)
    return _convert_piece(text, conv, found)


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


# --------------------------------------------------------------------------- HTML

# Reader-visible attributes (shown, spoken by screen readers, or used as link previews).
VISIBLE_ATTRIBUTES = frozenset(
    {
        "alt",
        "title",
        "aria-label",
        "aria-description",
        "aria-roledescription",
        "aria-placeholder",
        "aria-valuetext",
        "placeholder",
        "label",
    }
)
# <meta name|property|itemprop=... content=...> whose content readers see in previews.
VISIBLE_META = frozenset(
    {
        "description",
        "og:title",
        "og:description",
        "og:site_name",
        "og:image:alt",
        "twitter:title",
        "twitter:description",
        "twitter:image:alt",
        "application-name",
        "apple-mobile-web-app-title",
        "headline",
        "name",
    }
)
# <input type=... value=...> whose value is the button's caption.
_BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
# Content is code, shown as written in every rendition.
VERBATIM_ELEMENTS = frozenset({"pre", "code", "kbd", "samp"})
_VERBATIM_INITIALS = frozenset("pPcCkKsS")
_VERBATIM_TAG_RE = re.compile(r"<(/?)(?:pre|code|kbd|samp)[\s/>]", re.I)

# Comments and raw-text elements first, so that markup inside them is never taken for tags.
_SPECIAL_RE = re.compile(
    r"""<!--.*?(?:-->|\Z)
    |<(?P<raw>script|style|textarea|title)(?=[\s/>])[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>
        (?P<body>.*?)(?P<end></(?P=raw)\s*>|\Z)""",
    re.S | re.I | re.X,
)
# Splitting (not finditer) is the fastest way through the rest; a quoted ">" stays in its tag.
_TAG = r"""</?[A-Za-z][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""
_TAG_SPLIT_RE = re.compile(rf"""({_TAG}|<[!?][^>]*>)""")
# Only the tags that need attention: code elements, and tags holding non-ASCII text or keep
# markers (in or out of quotes). Everything between them is one run of text for the stream.
_SPECIAL_TAG_SPLIT_RE = re.compile(
    rf"""(<(?=[A-Za-z/])
    (?:(?=/?(?i:pre|code|kbd|samp)[\s/>])
      |(?=(?:[^>"']|"[^"]*"|'[^']*')*?(?:[^\x00-\x7f]|"[^"]*[^\x00-\x7f]|'[^']*[^\x00-\x7f]|-\{{|\}}-)))
    {_TAG[1:]})""",
    re.X,
)
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][^\s/>]*)")
_ATTR_RE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+)))?"""
)
# Cheap pre-check for _convert_tag: could any attribute of the tag be converted?
_VISIBLE_HINT_RE = re.compile(r"\s(?:alt|title|aria-|placeholder|label|content|value)", re.I)
_UNQUOTED_SAFE_RE = re.compile(r"""[^\s"'=<>`]+\Z""")
# \uXXXX escapes of CJK text and origin markers, not preceded by an escaped backslash.
_JSON_ESCAPE_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")


def _unescape_json_cjk(body: str) -> str:
    # json.dumps / DjangoJSONEncoder default to ensure_ascii, which would hide the text
    # (and the origin markers) from the converter; the raw characters are equivalent JSON.
    def repl(match: re.Match) -> str:
        code = int(match.group(2), 16)
        if 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xE000 <= code <= 0xE002:
            return match.group(1) + chr(code)
        return match.group(0)

    return _JSON_ESCAPE_RE.sub(repl, body) if "\\u" in body else body


def _parse_attributes(tag: str, name_end: int):
    """``[(name_lower, value_start, value_end, quoted)]`` of the attributes after the name."""
    attrs = []
    for match in _ATTR_RE.finditer(tag, name_end, len(tag) - 1):
        group = match.lastgroup
        if group == "name":
            attrs.append((match.group("name").lower(), -1, -1, False))
        else:
            attrs.append(
                (match.group("name").lower(), match.start(group), match.end(group), group != "uq")
            )
    return attrs


def _attribute_value(tag: str, attrs, name: str) -> str:
    for attr, start, end, _ in attrs:
        if attr == name and start >= 0:
            return tag[start:end]
    return ""


def _unescape_html_for_unquoted(value: str) -> str:
    # Unquoted values are rare (hand-written templates); unescape so that rules match the
    # raw text and the result is escaped once, consistently, before it is re-quoted.
    return html_lib.unescape(value)


def _strip_value(value: str) -> str:
    """Markers out of an attribute that is not converted (href, src, class...)."""
    if "-{" in value:
        value = _KEEP_PAIR_RE.sub(r"\1", value)
    return _strip_origin(value)


def _convert_tag(tag: str, name: str, name_end: int, stream: _Stream, out: list) -> None:
    """Append ``tag`` to ``out`` with its visible attributes converted, markers removed."""
    if (
        "-{" not in tag
        and "}-" not in tag
        and not _ORIGIN_RE.search(tag)
        and not _VISIBLE_HINT_RE.search(tag, name_end)
    ):
        # Chinese only in attributes nobody reads (href, class...): nothing to do.
        out.append(tag)
        return
    attrs = _parse_attributes(tag, name_end)
    visible = set()
    if name == "meta":
        kinds = {
            _attribute_value(tag, attrs, key).strip().lower()
            for key in ("name", "property", "itemprop")
        }
        if kinds & VISIBLE_META:
            visible.add("content")
    elif name == "input" and _attribute_value(tag, attrs, "type").strip().lower() in _BUTTON_INPUTS:
        visible.add("value")
    pos = 0
    for attr, start, end, quoted in attrs:
        if start < 0:
            continue
        value = tag[start:end]
        if value.isascii() and "-{" not in value and "}-" not in value:
            continue
        if attr in VISIBLE_ATTRIBUTES or attr in visible:
            out.append(tag[pos:start])
            if quoted:
                stream.child("html").feed(value, out)
            else:
                # The rendition (a rule's, say) may need quotes; decide now, not in flush.
                new = stream.child().convert(_unescape_html_for_unquoted(value))
                new = _escape_html(new)
                out.append(new if _UNQUOTED_SAFE_RE.match(new) else f'"{new}"')
            pos = end
        else:
            new = _strip_value(value)
            if new != value:
                out.append(tag[pos:start])
                out.append(new)
                pos = end
    out.append(tag[pos:] if pos else tag)


def _is_ld_json(start_tag: str) -> bool:
    attrs = _parse_attributes(start_tag, len("<script"))
    return _attribute_value(start_tag, attrs, "type").strip().lower() == "application/ld+json"


# JSON-LD: string literals, and what makes one of them a key.
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_KEY_RE = re.compile(r"\s*:")
# Values that are addresses, identifiers, codes or dates, never prose (schema.org names).
JSON_LD_VERBATIM_KEYS = frozenset(
    {
        "url",
        "sameAs",
        "image",
        "logo",
        "contentUrl",
        "embedUrl",
        "thumbnailUrl",
        "mainEntityOfPage",
        "target",
        "email",
        "telephone",
        "inLanguage",
        "identifier",
        "datePublished",
        "dateModified",
        "dateCreated",
        "uploadDate",
        "startDate",
        "endDate",
        "duration",
        "encodingFormat",
        "priceCurrency",
    }
)
_URL_VALUE_RE = re.compile(r"(?:https?:|ftp:|mailto:|tel:|data:|/|\./|\.\./|#|\?)", re.I)


def _json_key(literal: str) -> str:
    try:
        return json.loads(_strip_origin(literal))
    except ValueError:
        return literal[1:-1]


def _convert_json_ld(body: str, stream: _Stream) -> str:
    """The text values of a JSON-LD block in the target script; keys, ``@`` keywords, URLs,
    dates and codes as written (markers removed); the JSON structure untouched."""
    child = stream.child("json")
    body = _unescape_json_cjk(body)
    out: list = []
    pos = 0
    key = ""
    for match in _JSON_STRING_RE.finditer(body):
        child.feed_verbatim(body[pos : match.start()], out)
        pos = match.end()
        literal = match.group()
        if _JSON_KEY_RE.match(body, pos):
            child.feed_verbatim(literal, out)
            key = _json_key(literal)
            continue
        inner = literal[1:-1]
        plain = _KEEP_MARKER_RE.sub("", _strip_origin(inner))
        if key.startswith("@") or key in JSON_LD_VERBATIM_KEYS or _URL_VALUE_RE.match(plain):
            kept: list = []
            child.feed_verbatim(literal, kept)
            value = "".join(kept)
            out.append(_KEEP_PAIR_RE.sub(r"\1", value) if "-{" in value else value)
        else:
            out.append('"')
            child.feed(inner, out)
            out.append('"')
    child.feed_verbatim(body[pos:], out)
    return "".join(out)


def convert_html(
    html: str,
    *,
    target: str,
    variant: str = DEFAULT_VARIANT,
    rules: Rules | Iterable | None = None,
    source: str = HANS,
) -> str:
    """Convert a rendered HTML document or fragment to ``target`` script.

    ``source`` is the origin at the start (templates are simplified); origin markers switch
    it for the runs they enclose, across tags. Text nodes, reader-visible attributes, <title>,
    <textarea> and JSON-LD text values (not its keys, URLs, dates or codes) are converted;
    <pre>/<code>/<kbd>/<samp> content, other scripts,
    styles, comments, href/src/class/id... are left as written. Every origin marker is
    removed; so are keep markers in text and converted attributes, and ``-{...}-`` pairs in
    the other attributes. Code and scripts keep theirs: there they are content.
    """
    stream = _stream(source, target, variant, rules, escape="html", batched=True)
    if not html:
        return html
    if (
        source == target
        and _ORIGIN_OPEN[HANT if target == HANS else HANS] not in html
        and "-{" not in html
        and "}-" not in html
        and "\\ue00" not in html.lower()
    ):
        # Nothing is in the other script: the whole page only needs its markers removed.
        return _strip_origin(html)

    out: list = []
    depth = [0]  # nesting of verbatim (code) elements, carried across regions

    # OpenCC never changes ASCII and an escaped rule phrase with a CJK character cannot
    # match inside an ASCII tag, so plain tags can ride along in the text run: one stream
    # feed per run instead of one per node. Rules made only of ASCII would break that.
    merge_tags = not stream.rules.has_ascii_phrase
    split = (_SPECIAL_TAG_SPLIT_RE if merge_tags else _TAG_SPLIT_RE).split

    def feed_run(run: list) -> None:
        text = "".join(run)
        if depth[0]:
            stream.feed_verbatim(text, out)
        else:
            stream.feed(text, out)

    def markup(region: str) -> None:
        run = []  # text nodes and plain tags, fed to the stream together
        is_tag = False
        for part in split(region):
            if not is_tag:
                is_tag = True
                if part:
                    run.append(part)
                continue
            is_tag = False
            second = part[1]
            verbatim_tag = None
            if second in _VERBATIM_INITIALS or (second == "/" and part[2] in _VERBATIM_INITIALS):
                verbatim_tag = _VERBATIM_TAG_RE.match(part)
            plain = part.isascii() and "-{" not in part and "}-" not in part
            if plain and merge_tags and verbatim_tag is None:
                run.append(part)
                continue
            if run:
                feed_run(run)
                run = []
            if plain:
                out.append(part)
            elif second in "!?":
                out.append(_strip_value(part))
            else:
                name = _TAG_NAME_RE.match(part)
                _convert_tag(part, name.group(1).lower(), name.end(), stream, out)
            if verbatim_tag is not None and not part.endswith("/>"):
                depth[0] = max(0, depth[0] - 1) if verbatim_tag.group(1) else depth[0] + 1
        if run:
            feed_run(run)

    pos = 0
    for match in _SPECIAL_RE.finditer(html):
        if match.start() > pos:
            markup(html[pos : match.start()])
        pos = match.end()
        rawname = match.group("raw")
        if rawname is None:  # comment: never shown, keep as written minus our markers
            out.append(_strip_origin(match.group()))
            continue
        rawname = rawname.lower()
        start_tag = html[match.start() : match.start("body")]
        if start_tag.isascii():
            out.append(start_tag)
        else:
            _convert_tag(start_tag, rawname, 1 + len(rawname), stream, out)
        body = match.group("body")
        if rawname in ("title", "textarea"):
            stream.child("html").feed(body, out)
        elif rawname == "script" and _is_ld_json(start_tag):
            out.append(_convert_json_ld(body, stream))
        else:
            out.append(_strip_origin(body))
        out.append(match.group("end"))
    if pos < len(html):
        markup(html[pos:])
    stream.flush(out)
    return "".join(out)


# --------------------------------------------------------------------------- ambiguity report


def _load_ambiguous(path: Path = AMBIGUOUS_FILE) -> dict[str, tuple[str, ...]]:
    table = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            char, _, candidates = line.partition("\t")
            table[char] = tuple(candidates.split())
    return table


@functools.cache
def ambiguous_characters(variant: str = DEFAULT_VARIANT) -> dict[str, tuple[str, ...]]:
    """Simplified character -> its traditional candidates in ``variant``'s character forms.

    Only characters that still have two or more candidates after the variant's form
    normalisation are listed (TW folds 着/著 into 著, for example).
    """
    config_for(HANS, HANT, variant)
    base = _load_ambiguous()
    # The candidates are OpenCC standard forms; show them as the variant will print them.
    normalise = {"tw": "t2tw", "hk": "t2hk"}.get(variant)
    normalise = _converter(normalise) if normalise else None
    table = {}
    for char, candidates in base.items():
        if normalise is not None:
            candidates = tuple(dict.fromkeys(normalise.convert(c) for c in candidates))
        if len(candidates) > 1:
            table[char] = candidates
    return table


def _rendered_chars(run: str, conv: opencc.OpenCC, indexes: list[int]) -> dict[int, str]:
    converted = _opencc(conv, run)
    if len(converted) == len(run):
        return {i: converted[i] for i in indexes}
    # A phrase changed length somewhere: decide each character from its own neighbourhood.
    result = {}
    for i in indexes:
        lo = max(0, i - 4)
        window = run[lo : i + 5]
        out = _opencc(conv, window)
        result[i] = out[i - lo] if len(out) == len(window) else _opencc(conv, run[i])
    return result


def ambiguous_report(
    text: str,
    *,
    variant: str = DEFAULT_VARIANT,
    rules: Rules | Iterable | None = None,
) -> list[dict]:
    """Every one-to-many simplified character in ``text`` and how it will be rendered.

    ``text`` is simplified source (runs wrapped as traditional are skipped). Each item:
    ``char``, ``position`` (index in ``text``), ``context`` (up to 4 characters either side,
    markers removed), ``rendered`` (what the traditional rendition shows), ``candidates``
    and ``by_rule`` (a rule or a ``-{...}-`` span decided it, not OpenCC).
    """
    rules = _as_rules(rules)
    table = ambiguous_characters(variant)
    if not text or not any(ch in table for ch in text):
        return []
    conv = _converter(config_for(HANS, HANT, variant))
    found = rules.matcher(HANS) if rules else None
    stream = _Stream(HANS, HANT, variant, rules)
    report = []

    chunks = list(stream.chunks(text))
    # Context is cut from the marker-free text so it never shows half a marker.
    clean = "".join(chunk for _, chunk, _, _ in chunks)
    clean_at = {}
    cursor = 0
    for offset, chunk, _, _ in chunks:
        clean_at[offset] = cursor
        cursor += len(chunk)

    def add(position, chunk_offset, rendered, by_rule):
        at = clean_at[chunk_offset] + position - chunk_offset
        report.append(
            {
                "char": text[position],
                "position": position,
                "context": clean[max(0, at - 4) : at + 5],
                "rendered": rendered,
                "candidates": list(table[text[position]]),
                "by_rule": by_rule,
            }
        )

    for offset, chunk, origin, keeping in chunks:
        if origin != HANS:
            continue
        if keeping:
            for i, ch in enumerate(chunk):
                if ch in table:
                    add(offset + i, offset, ch, True)
            continue
        pieces = []  # (start in chunk, end, rule rendition or None)
        pos = 0
        if found is not None:
            regex, mapping = found
            for match in regex.finditer(chunk):
                pieces.append((pos, match.start(), None))
                pieces.append((match.start(), match.end(), mapping[match.group()]))
                pos = match.end()
        pieces.append((pos, len(chunk), None))
        for start, end, rendition in pieces:
            piece = chunk[start:end]
            indexes = [i for i, ch in enumerate(piece) if ch in table]
            if not indexes:
                continue
            if rendition is not None:
                for i in indexes:
                    same_length = len(rendition) == len(piece)
                    add(
                        offset + start + i,
                        offset,
                        rendition[i] if same_length else rendition,
                        True,
                    )
                continue
            rendered = _rendered_chars(piece, conv, indexes)
            for i in indexes:
                add(offset + start + i, offset, rendered[i], False)
    return report


# --------------------------------------------------------------------------- data file


def build_ambiguous_file() -> str:
    """Regenerate ambiguous.txt from the STCharacters dictionary shipped with OpenCC.

    The wheel ships only the binary .ocd2 form; its ``opencc_dict`` tool dumps it as text.
    """
    import subprocess
    import tempfile

    share = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        dumped = Path(tmp) / "STCharacters.txt"
        subprocess.run(  # noqa: S603 - fixed argv, no shell, paths inside the wheel
            [
                str(share / "bin" / "opencc_dict"),
                "-i",
                str(share / "share" / "opencc" / "STCharacters.ocd2"),
                "-o",
                str(dumped),
                "-f",
                "ocd2",
                "-t",
                "text",
            ],
            check=True,
            capture_output=True,
        )
        lines = dumped.read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines:
        char, _, candidates = line.partition("\t")
        if len(candidates.split()) > 1:
            entries.append(f"{char}\t{candidates}")
    header = [
        "# Simplified characters with more than one traditional form (OpenCC STCharacters),",
        f"# OpenCC {opencc.__version__}. Format: simplified TAB candidates separated by spaces,",
        "# OpenCC standard forms; the variant's forms are derived at load time.",
        "# Regenerate: python -m tongxin.scripts.convert > tongxin/scripts/ambiguous.txt",
    ]
    return "\n".join(header + sorted(entries)) + "\n"


if __name__ == "__main__":
    print(build_ambiguous_file(), end="")
