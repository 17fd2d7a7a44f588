"""`{% load syndication %}`: feed and oEmbed discovery links, and the copy-paste iframe code.

- `{% feed_links page %}` in <head>: RSS, Atom and JSON Feed <link rel="alternate"> for pages
  that have feeds (home, campaign, series, story index, news index), and the oEmbed discovery
  link for every page partners may embed. Nothing for previews, private pages or stories
  without partner consent. One query (view restrictions), two for a story (its consent);
  `embed_code` reuses the answer.
- `{% embed_code page %}` in a page body: a <details> with the <iframe> code in a readonly
  <textarea>, for pages partners may embed; nothing otherwise.

Links are absolute and in the script being read; titles carry the page's origin marker so
the conversion middleware renders them for the reader.
"""

from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from tongxin.core.routes import PARTNERS
from tongxin.core.visibility import is_visible
from tongxin.scripts import script as scripts
from tongxin.scripts.markers import wrap_origin
from tongxin.scripts.rendition import text_for_script
from tongxin.syndication.embeds import embed_size, iframe_html
from tongxin.syndication.pages import shape_of

register = template.Library()

FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


def _public_url(context, page):
    """The page's absolute URL in the script being read, or None when partners get nothing
    of it (no request, a preview, a draft, a view restriction, a story without consent).

    Kept on the request per page: `feed_links` and `embed_code` both ask, and each answer
    costs two queries (the page's ancestors, their view restrictions).
    """
    request = context.get("request")
    if request is None or page is None or not getattr(page, "pk", None):
        return None
    if getattr(request, "is_preview", False) or not page.live or not shape_of(page):
        return None
    known = request.__dict__.setdefault("_tongxin_public_urls", {})
    if page.pk not in known:
        known[page.pk] = _find_public_url(request, page)
    return known[page.pk]


def _find_public_url(request, page):
    if not is_visible(page, PARTNERS):
        return None
    url = page.get_url(request=request)
    return request.build_absolute_uri(url) if url else None


def _title(page):
    return wrap_origin(page.title, getattr(page, "script", "hans"))


@register.simple_tag(takes_context=True)
def feed_links(context, page=None):
    """`{% feed_links page %}`: <link>s for feed readers and oEmbed consumers."""
    url = _public_url(context, page)
    if url is None:
        return ""
    request = context["request"]
    links = []
    if shape_of(page) == "list":
        links.append(
            format_html_join(
                "\n",
                '<link rel="alternate" type="{}" href="{}" title="{}：{}">',
                (
                    (mime, f"{url}feed/{kind}/", label, _title(page))
                    for kind, mime, label in FEED_TYPES
                ),
            )
        )
    query = urlencode({"url": url, "format": "json"})
    oembed = request.build_absolute_uri("/oembed/") + "?" + query
    links.append(
        format_html(
            '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
            oembed,
            _title(page),
        )
    )
    # Each piece is already a SafeString from format_html, so "{}" adds no second escaping.
    return format_html_join("\n", "{}", ((link,) for link in links))


@register.inclusion_tag("syndication/embed_code.html", takes_context=True)
def embed_code(context, page=None):
    """`{% embed_code page %}`: the iframe partners paste, or nothing.

    The code is HTML shown as text, so the title in it is escaped twice: once in the
    iframe's attribute, once in the textarea. The page-wide conversion could only convert it
    at the outer level (a rule's rendition holding `"` or `<` would come out escaped once,
    and break out of the attribute in the partner's page); so the title is put in the
    reader's script first, as oEmbed's `html` does, and the code is marked as written in the
    reader's script, which the page-wide conversion leaves as it is."""
    url = _public_url(context, page)
    if url is None:
        return {"code": ""}
    shape = shape_of(page)
    width, height = embed_size(page)
    reader = scripts.of_request(context["request"]).code
    title = text_for_script(page.title, reader, source=_script_of(page), page=page)
    code = iframe_html(f"{url}embed/", title, width, height)
    return {"code": wrap_origin(str(code), reader), "shape": shape}


def _script_of(page):
    script = getattr(page, "script", None)
    return script if script in (scripts.HANS.code, scripts.HANT.code) else scripts.HANS.code


# Blocks whose page markup does not suit a feed reader: page images are relative, lazy,
# WebP srcsets; the donation block carries a QR code and the site's CSS classes. These render
# the same block value through a feed template; every other block uses its own template.
FEED_BLOCK_TEMPLATES = {
    "image": "syndication/blocks/image.html",
    "donate": "syndication/blocks/donate.html",
    "video": "syndication/blocks/video.html",
}


@register.simple_tag(takes_context=True)
def feed_block(context, block):
    """`{% feed_block block %}`: one body block as a feed shows it, from the block's value,
    through a template with Django's autoescaping."""
    template_name = FEED_BLOCK_TEMPLATES.get(block.block_type)
    values = context.flatten()
    if template_name is None:
        return block.render(context=values)
    return render_to_string(template_name, values | {"value": block.value, "self": block.value})
