"""oEmbed 1.0 provider: `/oembed/?url=<absolute page URL>&format=json&maxwidth=&maxheight=`.

Answers a `rich` response whose html is the page's embed iframe, for public pages partners
may embed, on the request's own host or a host of a configured Wagtail Site. The script
follows the URL's prefix (`/zh-hant/…` → traditional; no prefix → simplified).

- missing, malformed or over-long `url`, or a `maxwidth`/`maxheight` that is not a positive
  integer → 400
- `format` other than json (xml included) → 501
- anything that is not a public, partner-cleared page here (another host, a draft, a
  private page, a story without partner consent, a feed or embed URL) → 404

Besides the iframe, an answer carries a thumbnail (a rendition of the page's first image;
for a story only an image the privacy guard lets through; else the site's card), the
authors (credits and byline, else the organizing bodies, else 童心: never anything from a
story's identity record) and the provider.
"""

import json
import re
from urllib.parse import unquote, urlsplit

from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from wagtail.models import Site

from stories.models import StoryPage
from tongxin.core.visibility import seconds_valid
from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import text_for_script

from .conditional import cors, without_cookies
from .content import SITE_NAME, credit_names, organizer_names
from .embeds import embed_size, iframe_html
from .pages import find_public_page, page_path, shape_of, site_root_path

MAX_URL_LENGTH = 2048
CACHE_AGE = 3600
MAX_AGE = 300  # as every other partner answer (syndication.conditional.CACHE_CONTROL)
DIMENSION_RE = re.compile(r"[0-9]{1,5}")
DEFAULT_PORTS = {"http": 80, "https": 443}
# A 16:9 JPEG every consumer accepts; one fixed size (no rendition per request parameter).
THUMBNAIL_SPEC = "fill-640x360|format-jpeg|jpegquality-85"
# The site's own card (site/static/img/oembed-card.png) when a page has no usable image.
FALLBACK_THUMBNAIL = ("img/oembed-card.png", 640, 360)
AUTHOR_SEPARATOR = "、"


class WithoutScriptPrefixes:
    """A URLconf without i18n_patterns, set on the request for a 404 answer: LocaleMiddleware
    would otherwise turn a 404 on this unprefixed path into a redirect to /zh-hans/oembed/
    (Wagtail's catch-all resolves every path). Only what LocaleMiddleware checks on the way
    out changes; the request was resolved already. (campaigns.views.donate does the same.)"""

    urlpatterns = []


class OEmbedError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _answer(status, payload):
    body = json.dumps(payload, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json")
    cors(response)
    if status == 200:
        # Never kept past the moment a page or consent expires (the answer would still
        # offer the widget of a page that is gone).
        response["Cache-Control"] = f"public, max-age={seconds_valid(MAX_AGE)}"
    return response


def _dimension(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not DIMENSION_RE.fullmatch(raw) or int(raw) < 1:
        raise OEmbedError(400, f"{name} must be a positive integer")
    return int(raw)


def parse_url(raw):
    """(scheme, hostname, port, path) of an absolute http(s) URL, or a 400."""
    raw = (raw or "").strip()
    if not raw:
        raise OEmbedError(400, "url is required")
    if len(raw) > MAX_URL_LENGTH or any(ord(c) < 33 for c in raw):
        raise OEmbedError(400, "url is malformed")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as error:
        raise OEmbedError(400, "url is malformed") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OEmbedError(400, "url must be an absolute http or https URL")
    if parts.username is not None or parts.password is not None:
        raise OEmbedError(400, "url must not contain credentials")
    return parts.scheme, parts.hostname.rstrip("."), port, parts.path or "/"


def site_for(request, scheme, hostname, port):
    """The Site serving `hostname`: the request's own (when it is the request's host), else a
    Site configured with that hostname. An explicit port must be the scheme's default, the
    request's port (own host) or the Site's port; otherwise the URL is not ours (None)."""
    default_port = DEFAULT_PORTS[scheme]
    request_host = split_domain_port(request.get_host())[0].rstrip(".")
    if hostname == request_host:
        if port not in (None, default_port, int(request.get_port() or default_port)):
            return None
        return Site.find_for_request(request)
    sites = Site.objects.filter(hostname__iexact=hostname).select_related("root_page")
    wanted = port or default_port
    sites = sorted(sites, key=lambda site: site.port != wanted)
    if not sites or port not in (None, default_port, sites[0].port):
        return None
    return sites[0]


def split_script_prefix(path):
    """(HANT, "qingyun/") from "/zh-hant/qingyun/"; spellings like /zh-TW/ are accepted as
    the site redirects them; no prefix → the default, simplified."""
    path = unquote(path)
    first, _, rest = path.lstrip("/").partition("/")
    script = scripts.from_prefix(first)
    if script is None:
        script, rest = scripts.DEFAULT, path.lstrip("/")
    if rest and not rest.endswith("/"):
        rest += "/"
    return script, rest


def oembed_answer(request):
    fmt = request.GET.get("format", "").strip().lower() or "json"
    if fmt != "json":
        raise OEmbedError(501, "only format=json is implemented")
    scheme, hostname, port, path = parse_url(request.GET.get("url"))
    maxwidth, maxheight = _dimension(request, "maxwidth"), _dimension(request, "maxheight")

    site = site_for(request, scheme, hostname, port)
    if site is None:
        raise Http404("not a host of this site")
    script, rest = split_script_prefix(path)
    page = find_public_page(site, rest)
    if page is None or not shape_of(page):
        raise Http404("not a public page here")

    width, height = embed_size(page, maxwidth=maxwidth)
    height = min(height, maxheight) if maxheight else height
    host = f"[{hostname}]" if ":" in hostname else hostname
    origin = f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")
    with script.activate():
        src = origin + page_path(page, site_root_path(site)) + "embed/"
        title = text_for_script(page.title, script.code, source=page.script, page=page)
        html = str(iframe_html(src, title, width, height))
    thumbnail_url, thumbnail_width, thumbnail_height = thumbnail(page, origin)
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "author_name": author_name(page, script.code),
        "provider_name": SITE_NAME,
        "provider_url": f"{origin}{script.prefix}/",
        "html": html,
        "width": width,
        "height": height,
        "thumbnail_url": thumbnail_url,
        "thumbnail_width": thumbnail_width,
        "thumbnail_height": thumbnail_height,
        "cache_age": seconds_valid(CACHE_AGE),
    }


def thumbnail_image(page):
    """The page's first image; for a story the first the privacy guard lets through (its
    portrait consent stated: stories.guard.image_consent_problems)."""
    for block in getattr(page, "body", None) or []:
        if block.block_type != "image" or block.value.get("image") is None:
            continue
        if isinstance(page, StoryPage) and not block.value.get("consent"):
            continue
        return block.value["image"]
    return None


def _absolute(url, origin):
    return url if urlsplit(url).scheme else origin + url


def thumbnail(page, origin):
    """(absolute URL, width, height): a rendition of the page's image, or the site's card."""
    image = thumbnail_image(page)
    if image is not None:
        try:
            rendition = image.get_rendition(THUMBNAIL_SPEC)
        except (OSError, ValueError):  # a missing original, a broken file: the card instead
            rendition = None
        if rendition is not None:
            return _absolute(rendition.url, origin), rendition.width, rendition.height
    path, width, height = FALLBACK_THUMBNAIL
    return _absolute(static(path), origin), width, height


def author_name(page, script_code):
    """Who the page is by, in the reader's script: the names in its credits and byline, else
    its organizing bodies (主办/承办), else the site. A story shows only its byline (the
    reporters), never anything from the identity record."""
    names = [
        text_for_script(name, script_code, source=page.script, page=page)
        for name in credit_names(page)
    ]
    if not names:
        names = [
            text_for_script(name, script_code, source="hans", page=page)
            for name in dict.fromkeys(organizer_names([page]).get(page.pk, []))
        ]
    return AUTHOR_SEPARATOR.join(names) or SITE_NAME


@require_safe
@without_cookies
def oembed_view(request):
    try:
        return _answer(200, oembed_answer(request))
    except OEmbedError as error:
        return _answer(error.status, {"error": error.message})
    except Http404 as error:
        request.urlconf = WithoutScriptPrefixes
        return _answer(404, {"error": str(error) or "not found"})
