"""A saved page as lines of visible text, each with what its markup said about it.

Everything after this module works on lines, so plain-text files and HTML go through the
same cleaning. What only markup can tell is kept on the line: the tag it sits in (a heading,
a list item), how much of it is link text (menus and related lists are all links), the
links themselves (a source's address) and the line of the file it came from (for flags).
Elements that are page furniture by their class or id (nav, breadcrumb, share, comment…)
and hidden elements (a hacked page's link spam) are dropped here and counted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from .spam import is_spam

# Inside HTML a line break in the source is a space; text files are split into lines first.
_SPACE_RE = re.compile(r"[ \t\n\r\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_HTML_RE = re.compile(r"<\s*(html|head|body|div|p|br|table|meta|title|span|a|h[1-6])\b", re.I)

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "br",
        "caption",
    ]
)
INVISIBLE_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "object",
        "embed",
        "svg",
        "template",
        "head",
        "select",
        "option",
        "button",
        "input",
        "map",
        "audio",
        "video",
        "canvas",
    ]
)
HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])

# Class and id words that name page furniture, by the kind reported. Matched as whole words
# of the attribute (split at -, _, spaces and case changes), never as substrings: "content"
# must not be taken for "tent", nor "newsnav-body" for a menu.
_FURNITURE_WORDS = {
    "nav": "nav navbar navi menu mainnav topnav subnav daohang sitenav topbar",
    "breadcrumb": "breadcrumb breadcrumbs crumb crumbs bread position location weizhi dqwz",
    "share": "share bdshare jiathis fenxiang bshare sharebox qr qrcode ewm erweima",
    "comments": "comment comments cmt pinglun liuyan reply discuss",
    "related": "related relate xgwz xgxw xgyd recommend tuijian hotnews rank sidebar aside",
    "copyright": "copyright banquan footer foot",
    "toolbar": "toolbar fontsize zihao",
    "app": "appdown download",
}
_WORD_KIND = {w: kind for kind, words in _FURNITURE_WORDS.items() for w in words.split()}
_ATTR_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])|\d+")
_TITLE_WORDS = frozenset(
    ["title", "biaoti", "tit", "headline", "arttitle", "articletitle", "newstitle", "bt"]
)
_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px)?\s*(?:;|$)"
    r"|(?:left|top|text-indent)\s*:\s*-\d{3,}|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    # A box too small to show anything: height:0 or 1px with its overflow hidden.
    r"|(?=.*overflow\s*:\s*hidden)(?=.*(?<![\w-])(?:height|width)\s*:\s*[01](?:px)?\s*(?:;|$))",
    re.I,
)
# A furniture element holding more than this share of the page's text is the page itself
# (a site that wraps everything in <div class="main-nav-content">), so it stays.
_MAX_FURNITURE_SHARE = 0.4
_META_NAMES = {
    "articletitle": "title",
    "og:title": "title",
    "pubdate": "date",
    "publishdate": "date",
    "article:published_time": "date",
    "contentsource": "source",
    "source": "source",
    "author": "author",
}


@dataclass
class Line:
    text: str
    number: int  # line of the file it starts on, 1-based
    tag: str = "text"  # h1…h6, li, td, p, div, text
    link_chars: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    title_hint: bool = False

    @property
    def link_share(self) -> float:
        return self.link_chars / max(len(self.text), 1)


@dataclass
class Document:
    lines: list[Line]
    head_title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    removed: Counter = field(default_factory=Counter)
    images: int = 0


def normalize_space(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def looks_like_html(text: str) -> bool:
    return len(_HTML_RE.findall(text[:20000])) >= 2


def read_text(text: str) -> Document:
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = normalize_space(raw)
        if line:
            lines.append(Line(line, number))
    return Document(lines)


def _words(tag: Tag) -> list[str]:
    value = " ".join(
        " ".join(v) if isinstance(v, list) else str(v)
        for v in (tag.get("class"), tag.get("id"))
        if v
    )
    return [w.lower() for w in _ATTR_SPLIT_RE.split(value) if w]


def _furniture_kind(tag: Tag) -> str | None:
    if tag.name == "nav":
        return "nav"
    if tag.name == "textarea":
        return "comments"
    for word in _words(tag):
        if word in _WORD_KIND:
            return _WORD_KIND[word]
    return None


def _text_length(tag: Tag) -> int:
    return len(re.sub(r"\s+", "", tag.get_text()))


class _Walker:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.links: list[tuple[str, str]] = []
        self.number = 1
        self.tag = "text"
        self.title_hint = False

    def flush(self) -> None:
        raw = "".join(self.parts)
        text = normalize_space(raw)
        if text:
            # Link text is counted on the raw text; rescale to the normalized length.
            share = self.link_chars / max(len(raw.strip()), 1)
            self.lines.append(
                Line(
                    text,
                    self.number,
                    self.tag,
                    min(len(text), round(share * len(text))),
                    self.links,
                    self.title_hint,
                )
            )
        self.parts, self.link_chars, self.links = [], 0, []
        self.title_hint = False

    def walk(self, root: Tag) -> None:
        # An explicit stack, not recursion: a page with thousands of unclosed <font> tags
        # nests that deep, past Python's recursion limit.
        stack: list[tuple[str, object, str, bool, bool]] = [
            ("children", root, "text", False, False)
        ]
        while stack:
            action, node, tag, hint, in_link = stack.pop()
            if action == "flush":
                self.flush()
            elif action == "link":
                self.links.append((normalize_space(node.get_text()), str(node.get("href"))))
            elif action == "text":
                self.text(str(node), node, tag, hint, in_link)
            else:
                stack.extend(reversed(list(self.enter(node, tag, hint, in_link))))

    def text(self, text: str, node, tag: str, hint: bool, in_link: bool) -> None:
        if not self.parts and not text.strip():
            return
        if not self.parts:
            self.number = getattr(node.parent, "sourceline", None) or self.number
            self.tag, self.title_hint = tag, hint
        self.parts.append(text)
        if in_link:
            self.link_chars += len(text.strip())

    def enter(self, node: Tag, tag: str, hint: bool, in_link: bool):
        """The work items for `node`'s children, in document order."""
        for child in node.children:
            # Comments, the doctype (<!DOCTYPE html> reads "html"), CDATA and processing
            # instructions are not text a reader saw.
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                yield ("text", child, tag, hint, in_link)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            block = name in BLOCK_TAGS
            if block:
                yield ("flush", None, tag, hint, in_link)
            if name == "br":
                continue
            child_tag = name if name in HEADING_TAGS or name in ("li", "td", "th", "p") else tag
            child_hint = hint or name == "h1" or bool(_TITLE_WORDS & set(_words(child)))
            is_link = name == "a"
            if is_link and child.get("href"):
                yield ("link", child, tag, hint, in_link)
            yield ("children", child, child_tag, child_hint, in_link or is_link)
            if block:
                yield ("flush", None, tag, hint, in_link)


def _revealed(tag: Tag, total: int) -> bool:
    """A hidden element that is the article itself, which the page's script shows once it
    has run: a WeChat article fetched rather than saved from a browser has its text in
    <div id="js_content" style="visibility: hidden">. Sentences, most of the page's text,
    and no spam in it."""
    text = normalize_space(tag.get_text(" "))
    return (
        _text_length(tag) > total * _MAX_FURNITURE_SHARE
        and len(re.findall(r"[。！？]", text)) >= 2
        and not is_spam(text)
    )


def read_html(text: str) -> Document:
    soup = BeautifulSoup(text, "html.parser")
    removed: Counter = Counter()
    head_title = normalize_space(soup.title.get_text()) if soup.title else ""
    meta = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").lower()
        if key in _META_NAMES and tag.get("content") and _META_NAMES[key] not in meta:
            meta[_META_NAMES[key]] = normalize_space(str(tag["content"]))
    images = len(soup.find_all("img"))
    for tag in soup.find_all(["rt", "rp"]):
        if tag.name == "rt" and tag.get_text(strip=True):
            removed["pinyin"] += 1
        tag.decompose()
    for tag in soup.find_all(INVISIBLE_TAGS):
        tag.decompose()
    total = _text_length(soup) or 1
    gone: set[int] = set()  # tags removed with an ancestor, still in the list below

    def remove(tag: Tag) -> None:
        gone.add(id(tag))
        gone.update(id(t) for t in tag.find_all(True))
        tag.decompose()

    for tag in soup.find_all(True):
        if id(tag) in gone:
            continue
        style = str(tag.get("style") or "")
        if (_HIDDEN_STYLE_RE.search(style) or tag.has_attr("hidden")) and not _revealed(tag, total):
            text = normalize_space(tag.get_text(" "))
            if text:
                removed["spam" if is_spam(text) else "hidden"] += 1
            remove(tag)
            continue
        kind = _furniture_kind(tag)
        if kind and _text_length(tag) <= total * _MAX_FURNITURE_SHARE:
            # A comment box is the form around the text area, not the text area alone.
            if tag.name == "textarea":
                tag = tag.find_parent("form") or tag
            if normalize_space(tag.get_text()) or tag.name == "textarea":
                removed[kind] += 1
            remove(tag)
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    _locate(walker.lines, text)
    return Document(walker.lines, head_title, meta, removed, images)


def _locate(lines: list[Line], source: str) -> None:
    """The file line each line starts on, where its first characters appear verbatim (no
    entities in them): text after <br> in one cell is on its own line in the file, not the
    cell's. Lines are in document order, so the search only moves forward."""
    body = re.search(r"<body", source, re.I)
    cursor = body.start() if body else 0
    newlines_before, counted_to = 0, 0
    for line in lines:
        snippet = line.text[:6]
        index = source.find(snippet, cursor) if len(snippet) >= 2 else -1
        if index == -1:
            continue
        newlines_before += source.count("\n", counted_to, index)
        counted_to = cursor = index
        line.number = newlines_before + 1


def read_document(text: str) -> Document:
    return read_html(text) if looks_like_html(text) else read_text(text)
