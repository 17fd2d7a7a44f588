"""The framable widget at `<page URL>embed/`: a list for index-like pages, a card otherwise.

Light and self-contained: its own small HTML and stylesheet, no site chrome, no form, no
cookie, one static script that only posts the widget's height to the framing page (for the
optional partner-side js/embed-resize.js); links open in the top window. The embed code's
height fits each widget (`embed_size`). Only these routes may be framed, and only by
settings.EMBED_FRAME_ANCESTORS (`*` by default); every other route keeps X-Frame-Options
DENY and CSP frame-ancestors 'none'. The HTML goes through the script conversion middleware
like every page.
"""

import math
from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from wagtail.models import Site

from campaigns.models import EpisodePage, SeriesPage
from tongxin.core.formatting import cn_date
from tongxin.core.pagecache import mark_shareable
from tongxin.core.routes import PARTNERS
from tongxin.core.tags.listings import lead_images
from tongxin.scripts import script as scripts

from .conditional import CACHE_CONTROL, without_cookies
from .feeds import bad_request
from .pages import (
    EMBED_DEFAULT,
    EMBED_MAX,
    BadParameter,
    entry_ids,
    load_entries,
    page_url,
    parse_limit,
    shape_of,
    site_root_path,
)

EMBED_WIDTH = 480
# The widget posts its height to the page framing it (js/embed-height.js), and links
# navigate the top window: scripts run, with our own origin so the partner-side
# js/embed-resize.js can check where a message comes from. Nothing else is allowed.
IFRAME_SANDBOX = (
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox "
    "allow-top-navigation-by-user-activation"
)

# Pixel heights of the widget's parts, as css/embed.css fixes them (keep the two in step).
BORDERS = 5  # 4px on top, 1px below (1px on each side)
HEAD = 41
ITEM = 80  # every list item, 1px rule between two
FOOT = 37
CARD_PADDING = (10 + 12, 14 + 14)  # card text: vertical, horizontal
KICKER = 20
TITLE = (18, 26, 2, 4)  # font size, line height, at most lines, margin below
META = (13, 20, 2, 0)
SUMMARY = (15, 24, 3, 6)  # margin above
SUMMARY_CHARS = 120
NARROW = 320  # below this the footer may take two lines


def _text_width(text, font_size):
    """Pixels a line of `text` takes: CJK and full-width characters are 1em, the rest less."""
    ems = 0.0
    for char in text:
        if char.isspace():
            ems += 0.3
        elif ord(char) < 0x2E80 and char not in "·":
            ems += 0.6
        else:
            ems += 1.0
    return ems * font_size


def _lines(text, font_size, width, at_most):
    """How many lines `text` wraps to in `width` pixels (half a character of slack for
    line-breaking rules), at most `at_most` (the stylesheet's line clamp)."""
    if not text:
        return 0
    needed = _text_width(text, font_size) + font_size / 2
    return max(1, min(at_most, math.ceil(needed / max(width, font_size))))


def _block(text, spec, width):
    font_size, line_height, at_most, margin = spec
    lines = _lines(text, font_size, width, at_most)
    return lines * line_height + margin if lines else 0


def _has_image(page):
    """Whether the card shows a lead image (the first image block has one), read from the
    body's raw data: no query."""
    body = getattr(page, "body", None)
    for block in getattr(body, "raw_data", None) or []:
        if block.get("type") == "image" and (block.get("value") or {}).get("image"):
            return True
    return False


def _card_meta(page):
    """The card's meta line as the widget writes it (for its length only)."""
    parts = [cn_date(page.display_date)] if page.display_date else []
    pseudonym = getattr(page, "pseudonym", "")
    if pseudonym:
        age = getattr(page, "age", None)
        parts.append(f"{pseudonym}（化名）" + (f"，{age} 岁" if age is not None else ""))
    if getattr(page, "region", ""):
        parts.append(page.region)
    if getattr(page, "source_name", ""):
        parts.append(f"来源：{page.source_name}")
    return " · ".join(parts)


def list_height(limit):
    return BORDERS + HEAD + limit * (ITEM + 1) - 1 + FOOT


def card_height(page, width):
    """The height a card needs at `width`: image (16:9 of the inner width), text, footer."""
    inner = width - 2
    text_width = inner - CARD_PADDING[1]
    height = BORDERS + FOOT + (FOOT - 17 if width < NARROW else 0)
    if _has_image(page):
        height += round(inner * 9 / 16)
    height += CARD_PADDING[0]
    if isinstance(page, EpisodePage) or getattr(page, "number", None):
        height += KICKER  # the series and episode number
    height += _block(page.title, TITLE, text_width)
    height += _block(_card_meta(page), META, text_width)
    summary = (page.summary or "")[:SUMMARY_CHARS]
    height += _block(summary, SUMMARY, text_width)
    return height


def embed_size(page, maxwidth=None, limit=EMBED_DEFAULT):
    """(width, height) of the iframe for `page`'s widget: a list of `limit` items, or the
    page's card at that width. A height that fits: nothing is cut off and little is blank."""
    width = min(EMBED_WIDTH, maxwidth) if maxwidth else EMBED_WIDTH
    if shape_of(page) == "list":
        return width, list_height(limit)
    return width, card_height(page, width)


def frame_ancestors():
    ancestors = [str(a) for a in getattr(settings, "EMBED_FRAME_ANCESTORS", ["*"]) if str(a)]
    return ancestors or ["'none'"]


def partner_framing(view):
    """Framable by the configured partner origins: X-Frame-Options off, CSP frame-ancestors
    replaced (django-csp reads the decorator's attribute in its middleware). The setting is
    read per request, so tests and operators can change it without a restart of the view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        framed = csp_replace({"frame-ancestors": frame_ancestors()})(xframe_options_exempt(view))
        return framed(request, *args, **kwargs)

    return wrapped


def iframe_html(src, title, width, height):
    """The iframe partners paste (also the oEmbed `html`), `width`×`height` from embed_size.
    `title` may carry origin markers: escaping keeps them, and the converter renders them
    for the reader."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" style="border:0;max-width:100%" '
        'loading="lazy" referrerpolicy="strict-origin-when-cross-origin" sandbox="{}">'
        "</iframe>",
        src,
        title,
        width,
        height,
        IFRAME_SANDBOX,
    )


def _series_of(page):
    return SeriesPage.objects.parent_of(page).only("id", "title", "script").first()


@without_cookies
@partner_framing
def embed_view(request, page):
    """The widget of `page` (a route of the page: tongxin.core.routes), which Wagtail's
    routing found and the page's serve checked is visible to partners."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    shape = shape_of(page)
    if not shape:
        raise Http404("this page has no embed")
    try:
        limit = parse_limit(request, default=EMBED_DEFAULT, maximum=EMBED_MAX)
    except BadParameter as error:
        return bad_request(str(error))
    root_path = site_root_path(Site.find_for_request(request))
    context = {
        "page": page,
        "shape": shape,
        "page_url": page_url(request, page, root_path),
        "home_url": request.build_absolute_uri(scripts.of_request(request).prefix + "/"),
    }
    if shape == "list":
        items = load_entries(entry_ids(page, limit), with_bodies=False)
        leads = lead_images(items)
        context["cards"] = [
            {
                "page": item,
                "url": page_url(request, item, root_path),
                "image": leads.get(item.pk),
            }
            for item in items
        ]
    else:
        context["image"] = lead_images([page]).get(page.pk)
        context["series"] = _series_of(page) if isinstance(page, EpisodePage) else None
    # A TemplateResponse: the conversion middleware finds the page, and its own rules, in it.
    response = TemplateResponse(request, "syndication/embed.html", context)
    response["Cache-Control"] = CACHE_CONTROL
    return mark_shareable(response, page=page, scope=PARTNERS)
