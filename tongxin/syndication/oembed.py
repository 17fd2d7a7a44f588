"""oEmbed 1.0 provider: `/oembed/?url=<absolute page URL>&format=json&maxwidth=&maxheight=`.

Answers a `rich` response whose html is the page's embed iframe, for public pages partners
may embed, on the request's own host or a host of a configured Wagtail Site. The script
follows the URL's prefix (`/zh-hant/…` → traditional; no prefix → simplified).

- missing, malformed or over-long `url`, or a `maxwidth`/`maxheight` that is not a positive
  integer → 400
- `format` other than json (xml included) → 501
- anything that is not a public, partner-cleared page here (another host, a draft, a
  private page, a story without partner consent, a feed or embed URL) → 404
"""

import json
import re
from urllib.parse import unquote, urlsplit

from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.views.decorators.http import require_safe
from wagtail.models import Site

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import text_for_script

from .conditional import CACHE_CONTROL, cors, without_cookies
from .content import SITE_NAME
from .embeds import EMBED_SIZES, iframe_html
from .pages import find_public_page, page_path, shape_of, site_root_path

MAX_URL_LENGTH = 2048
CACHE_AGE = 3600
DIMENSION_RE = re.compile(r"[0-9]{1,5}")
DEFAULT_PORTS = {"http": 80, "https": 443}


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
        response["Cache-Control"] = CACHE_CONTROL
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

    shape = shape_of(page)
    width, height = EMBED_SIZES[shape]
    width = min(width, maxwidth) if maxwidth else width
    height = min(height, maxheight) if maxheight else height
    host = f"[{hostname}]" if ":" in hostname else hostname
    origin = f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")
    with script.activate():
        src = origin + page_path(page, site_root_path(site)) + "embed/"
        title = text_for_script(page.title, script.code, source=page.script, page=page)
        html = str(iframe_html(src, title, shape, width, height))
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": SITE_NAME,
        "provider_url": f"{origin}{script.prefix}/",
        "html": html,
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
    }


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
