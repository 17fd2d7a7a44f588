"""The public response cache: rendered, converted answers kept per URL, script and content.

The one module that keys, finds and stores cached answers. `RenditionMiddleware` asks
`lookup` before routing (a hit costs no database query and no conversion) and calls `store`
after converting a miss. A view opts its answer in with `mark_shareable`: page views
(TongxinPage.serve for the web scope) and the partner routes (feeds, embeds) do; nothing
else is ever stored (search, donation click-through, the admin, errors).

Only anonymous GET/HEAD requests are answered or stored, and only without a query string
besides share-tracking parameters (WeChat appends `from=singlemessage&isappinstalled=0` to
every shared link, campaigns add `utm_*`). Those change nothing a page shows except the
switcher's links, which repeat them, so the query string is part of the key. Any other
parameter (search, filters, paging, `?limit=`) is rendered every time.

The key holds everything the bytes depend on:

- the content state (tongxin.core.contentversion): the content version, bumped on publish,
  unpublish, moves, snippets, rules, consent, settings and images, and the next moment a page
  or a consent expires, so no answer outlives its page's expiry even if no job runs;
- the site's conversion configuration (variant and rules, `rendition.site_rules_version`);
- the reader's script; scheme, host and path, which absolute links and QR codes use; the
  query string, which the switcher's links repeat.

Entries live `TONGXIN_PAGE_CACHE_SECONDS` (default 15 minutes; 0 turns the cache off).
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import site_rules_version

from .contentversion import content_state, content_version
from .visibility import visible

KEY_PREFIX = "scripts:page:v2"
DEFAULT_CACHE_SECONDS = 15 * 60
SAFE_METHODS = ("GET", "HEAD")
# Cache-Control directives a view sets when its response is not for everyone.
UNSHARED = ("private", "no-store", "no-cache")
# Query parameters that only say where a reader came from; no page reads them.
TRACKING_PARAMETERS = frozenset(
    {
        "from",
        "isappinstalled",
        "scene",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
    }
)
MAX_QUERY_STRING = 200
# Headers replayed from a stored answer; the outer middlewares add the rest (CSP, framing,
# security headers) as they do for a fresh render.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
)
# Per-response choices views make with decorators (django-csp's `_csp_*`, Django's
# `xframe_options_exempt`), read by the outer middlewares: kept with the answer.
KEPT_ATTRIBUTE_PREFIXES = ("_csp", "xframe_options_exempt")
SHAREABLE = "tongxin_shareable"


def cache_seconds():
    return int(getattr(settings, "TONGXIN_PAGE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def mark_shareable(response, page=None, scope="web"):
    """The view's word that this answer is the same for every anonymous reader.

    `page`: the page the answer shows, when its own type narrows who may see it (stories:
    consent). A hit on such an answer asks visibility again (one query), so a consent changed
    even behind the CMS's back (no signal, no content version bump) is never served from here.
    """
    recheck = None
    if page is not None and callable(getattr(type(page), "visible_audience", None)):
        recheck = (page._meta.label, page.pk, scope)
    setattr(response, SHAREABLE, {"recheck": recheck})
    return response


def _still_visible(recheck):
    if recheck is None:
        return True
    label, pk, scope = recheck
    model = apps.get_model(label)
    return visible(model.objects.filter(pk=pk), scope).exists()


def _is_anonymous(request):
    # Without a session cookie the reader cannot be logged in. With one (an editor, or a
    # stale cookie) the cache stays out of the way: reading request.user to tell would load
    # the session and make the answer `Vary: Cookie`.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _only_tracking(request):
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if len(query) > MAX_QUERY_STRING:
        return False
    return all(
        name in TRACKING_PARAMETERS and len(values) == 1 for name, values in request.GET.lists()
    )


def cacheable(request):
    """Whether this request may be answered from, and stored in, the cache."""
    return (
        cache_seconds() > 0
        and request.method in SAFE_METHODS
        and not getattr(request, "is_preview", False)
        and _only_tracking(request)
        and _is_anonymous(request)
    )


def cache_key(request, script):
    query = request.META.get("QUERY_STRING", "")
    where = hashlib.sha256(
        f"{request.scheme}\x1f{request.get_host()}\x1f{request.path}\x1f{query}".encode()
    ).hexdigest()[:32]
    # The rules first: reading them may fill their cache, never the other way round.
    rules = site_rules_version()
    return ":".join((KEY_PREFIX, str(script), content_state(), rules, where))


def lookup(request, script):
    """The stored answer for this request (a 304 when its validators match), or None."""
    if not cacheable(request):
        return None
    found = cache.get(cache_key(request, script))
    if not isinstance(found, dict) or not _still_visible(found.get("recheck")):
        return None
    response = HttpResponse(found["content"])
    for name, value in found["headers"].items():
        response[name] = value
    for name, value in found["attributes"].items():
        setattr(response, name, value)
    # Tests and operators can tell a hit from a render.
    response.tongxin_cached = True
    last_modified = parse_http_date_safe(found["headers"].get("Last-Modified", ""))
    answer = get_conditional_response(
        request,
        etag=found["headers"].get("ETag"),
        last_modified=last_modified,
        response=response,
    )
    if answer is not response:
        # A 304 repeats the validators, freshness and CORS headers of the stored answer.
        for name, value in found["headers"].items():
            if name != "Content-Type":
                answer[name] = value
    return answer


def storable(request, response):
    if not getattr(response, SHAREABLE, False) or not cacheable(request):
        return False
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    # Anything personal in the render: a cookie, a CSRF token, the session, a private answer.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "accessed", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in UNSHARED)


def store(request, response, script):
    """Keep the converted answer of a miss, if the view marked it shareable."""
    if not storable(request, response):
        return
    entry = {
        "recheck": getattr(response, SHAREABLE)["recheck"],
        "content": response.content,
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        "attributes": {
            name: value
            for name, value in vars(response).items()
            if name.startswith(KEPT_ATTRIBUTE_PREFIXES)
        },
    }
    cache.set(cache_key(request, script), entry, cache_seconds())
    if entry["recheck"] is None:
        cache.set(outage_key(request, script), (content_state(), entry), OUTAGE_SECONDS)


# --- a copy for when the database is down (tongxin.core.outage) ---------------------------
# The key above needs the database when its parts are not cached (the conversion rules, the
# next expiry); this one only the request. The copy is served only while the content version
# it was made with still holds and its next expiry moment has not come, both read from the
# cache: nothing published, withdrawn or expired since is ever shown from it. Pages whose
# type re-checks visibility on every hit (stories: consent) are never kept here.
OUTAGE_PREFIX = "scripts:page:outage:v2"
OUTAGE_SECONDS = 24 * 3600


def outage_key(request, script):
    query = request.META.get("QUERY_STRING", "")
    where = f"{request.scheme}\x1f{request.get_host()}\x1f{request.path}\x1f{query}"
    return f"{OUTAGE_PREFIX}:{script}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def lookup_for_request(request):
    """The cached answer for this request without asking the database, or None."""
    if request.method not in SAFE_METHODS or not _only_tracking(request):
        return None
    script = scripts.of_request(request)
    found = cache.get(outage_key(request, script))
    if not found:
        return None
    state, entry = found
    version, _, until = state.partition(".")
    now_us = int(timezone.now().timestamp() * 1_000_000)
    if version != str(content_version()) or now_us >= int(until or 0):
        return None
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    for name, value in entry["attributes"].items():
        setattr(response, name, value)
    response.tongxin_cached = True
    return response
