"""Rendered HTML in the reader's script: text nodes, reader-visible attributes, <title>,
<textarea> and JSON-LD text values go through the engine; code, scripts, styles, comments,
URLs and identifiers stay as written."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable

from .engine import (
    _KEEP_MARKER_RE,
    _KEEP_PAIR_RE,
    _ORIGIN_OPEN,
    _ORIGIN_RE,
    DEFAULT_VARIANT,
    HANS,
    HANT,
    Rules,
    _escape_html,
    _Stream,
    _stream,
    _strip_origin,
)

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
