"""Paragraph text: the format's inline HTML ↔ Wagtail's rich text storage.

The format allows <b>, <i> and <a href> with an http(s) or mailto link, nothing else; the
page body is public, so anything that could run (javascript: links, event attributes,
<script>) is refused rather than cleaned. Every paragraph is re-serialised one fixed way
(lower-case tags, double-quoted href, minimal escaping), so the same text always gives the
same stored HTML and re-imports compare equal.

Wagtail stores a paragraph as `<p>…</p>` with the same <b>, <i> and <a href> for external
links; what the admin's editor adds (data-block-key, <strong>, page links, <br/>) is read
back into the format's form on export.
"""

import html
import re
from html.parser import HTMLParser

from django.utils.html import format_html

LINK_SCHEMES = ("https://", "http://", "mailto:")
INLINE_TAGS = ("b", "i")


def _start(tag, href=None):
    """The canonical start tag: a link with its (escaped) address, or <b>/<i>."""
    if tag == "a":
        return str(format_html('<a href="{}">', href))
    return str(format_html("<{}>", tag))


class _Strict(HTMLParser):
    """Reads the format's paragraph HTML; notes every departure from it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.open, self.problems = [], [], []

    def problem(self, message):
        if message not in self.problems:
            self.problems.append(message)

    def handle_starttag(self, tag, attrs):
        if tag in INLINE_TAGS:
            if attrs:
                self.problem(f"<{tag}> takes no attributes")
            self.out.append(_start(tag))
            self.open.append(tag)
        elif tag == "a":
            names = [name for name, _ in attrs]
            if names != ["href"]:
                self.problem('<a> takes exactly one attribute, href="https://…"')
            href = dict(attrs).get("href") or ""
            if not href.lower().startswith(LINK_SCHEMES) or any(c < " " for c in href):
                self.problem(f'link "{href}" must start with https://, http:// or mailto:')
            if "a" in self.open:
                self.problem("links cannot be nested")
            self.out.append(_start("a", href))
            self.open.append("a")
        else:
            self.problem(f"<{tag}> is not allowed (only <b>, <i> and <a href>)")

    def handle_startendtag(self, tag, attrs):
        self.problem(f"<{tag}/> is not allowed (only <b>, <i> and <a href>)")

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
            self.out.append(f"</{tag}>")
        else:
            self.problem(f"</{tag}> does not close an open tag")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data):
        self.problem("HTML comments are not allowed")

    def handle_decl(self, decl):
        self.problem("declarations are not allowed")

    def unknown_decl(self, data):
        self.problem("declarations are not allowed")

    def handle_pi(self, data):
        self.problem("processing instructions are not allowed")


def clean_paragraph(text):
    """(canonical HTML, problems) for a paragraph's `text`."""
    parser = _Strict()
    parser.feed(text)
    parser.close()
    for tag in reversed(parser.open):
        parser.problem(f"<{tag}> is not closed")
    return "".join(parser.out), parser.problems


# The admin's keep-as-written control (tongxin.scripts) stores <span data-keep>; the
# format writes the same thing as -{…}-. Only spans inside one run of text are converted;
# a marker around tags stays literal text, which the converter honours as well.
KEEP_RE = re.compile(r"-\{([^<>]*?)\}-")
KEEP_OPEN, KEEP_CLOSE = "-{", "}-"


def to_storage(canonical):
    return "<p>" + KEEP_RE.sub(r'<span data-keep="1">\1</span>', canonical) + "</p>"


class _Lenient(HTMLParser):
    """Reads stored rich text (possibly written in the admin) into format paragraphs."""

    RENAME = {"b": "b", "strong": "b", "i": "i", "em": "i"}

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.paragraphs, self.current, self.open = [], [], []

    def close_tag(self, mapped):
        if mapped == "keep":
            self.current.append(KEEP_CLOSE)
        elif mapped:
            self.current.append(f"</{mapped}>")

    def end_paragraph(self):
        for tag in reversed(self.open):
            self.close_tag(tag)
        self.open = []
        text = "".join(self.current)
        if text.strip():
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p":
            self.end_paragraph()
            return
        if tag == "br":
            self.current.append("\n")
            return
        mapped = self.RENAME.get(tag)
        if tag == "span" and "data-keep" in attrs:
            mapped = "keep"
            self.current.append(KEEP_OPEN)
        elif tag == "a":
            href = attrs.get("href") or ""
            if attrs.get("linktype") == "page":
                href = self.page_url(attrs.get("id")) or ""
            if href.lower().startswith(LINK_SCHEMES) and "a" not in self.open:
                mapped = "a"
                self.current.append(_start("a", href))
        elif mapped:
            self.current.append(_start(mapped))
        # Tags the format has no word for (spans, embeds, …) vanish; their text stays.
        self.open.append(mapped)

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.end_paragraph()
            return
        if self.open and tag not in ("br",):
            self.close_tag(self.open.pop())

    def handle_data(self, data):
        self.current.append(html.escape(data, quote=False))


def from_storage(stored, page_url=lambda page_id: None):
    """The format paragraphs (canonical HTML) held by one stored rich text value."""
    parser = _Lenient(page_url)
    parser.feed(stored or "")
    parser.close()
    parser.end_paragraph()
    return parser.paragraphs
