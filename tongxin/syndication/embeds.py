"""The framable widget at `<page URL>embed/`: a list for index-like pages, a card otherwise.

Light and self-contained: its own small HTML with inline CSS, no site chrome, no script, no
form, no cookie; links open in the top window. Only these routes may be framed, and only by
settings.EMBED_FRAME_ANCESTORS (`*` by default); every other route keeps X-Frame-Options
DENY and CSP frame-ancestors 'none'. The HTML goes through the script conversion middleware
like every page.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from wagtail.models import Site

from campaigns.models import EpisodePage, SeriesPage
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

# Suggested iframe sizes (CSS pixels) for the copy-paste code and oEmbed.
EMBED_SIZES = {"list": (480, 520), "card": (480, 440)}
# The widget needs no script and no same-origin access; links navigate the top window.
IFRAME_SANDBOX = (
    "allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)


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


def iframe_html(src, title, shape, width=None, height=None):
    """The iframe partners paste (also the oEmbed `html`). `title` may carry origin markers:
    escaping keeps them, and the converter renders them for the reader."""
    default_width, default_height = EMBED_SIZES.get(shape, EMBED_SIZES["card"])
    width, height = width or default_width, height or default_height
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
