"""Converted public pages, cached per page revision and script.

`TongxinPage.serve` asks `cached_response` first. On a hit the reader gets the stored bytes
and nothing is rendered or converted; on a miss `serve` renders as usual with
`request.tongxin_cache_key` set, and `ScriptConversionMiddleware` calls `store` once the
response is in the reader's script.

Only anonymous GET/HEAD requests for the page itself are cached: no preview, no sub-route,
and no query string except share-tracking parameters (WeChat appends `from=singlemessage&
isappinstalled=0` to every shared link, campaigns add `utm_*`). Those change nothing a page
shows except the switcher's links, which repeat them, so the query string is part of the key.
Any other parameter (search, filters, paging) is rendered every time: pages read them.

The key holds everything the converted bytes depend on:

- the page and its live revision (a publish changes it on every app server, Redis or not);
- the global content version of `tongxin.syndication.cache`, bumped on publish, unpublish,
  moves, snippet, rule and consent changes (listings, organizations and funds on a page),
  and, through `connect_signals` below, on changes to Wagtail settings and images;
- today's date (Asia/Shanghai): stories whose consent ends today leave listings at midnight,
  and a story page itself is refused by `StoryPage.serve` before the cache is asked;
- the site's conversion configuration (variant and rules, see `rendition.site_rules_version`);
- the rendition (script); scheme, host and path, which absolute links and QR codes use; the
  query string, which the switcher's links repeat.

Entries live `TONGXIN_PAGE_CACHE_SECONDS` (default 15 minutes; 0 turns the cache off), which
also bounds how stale another process's per-process memory cache can be without Redis.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from tongxin.syndication.cache import bump_content_version, content_version

from .rendition import site_rules_version

KEY_PREFIX = "scripts:page:v1"
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


def cache_seconds():
    return int(getattr(settings, "TONGXIN_PAGE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _is_anonymous(request):
    # Without a session cookie the reader cannot be logged in; reading request.user would
    # touch the session and make every public page `Vary: Cookie`.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _only_tracking(request):
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if len(query) > MAX_QUERY_STRING:
        return False
    return all(
        name in TRACKING_PARAMETERS and len(values) == 1 for name, values in request.GET.lists()
    )


def cacheable(request, args=(), kwargs=None):
    """Whether this request for a page may be answered from, and stored in, the cache."""
    return (
        cache_seconds() > 0
        and request.method in SAFE_METHODS
        and not args
        and not kwargs
        and not getattr(request, "is_preview", False)
        and _only_tracking(request)
        and _is_anonymous(request)
    )


def page_cache_key(request, page, script):
    query = request.META.get("QUERY_STRING", "")
    where = hashlib.sha256(
        f"{request.scheme}\x1f{request.get_host()}\x1f{request.path}\x1f{query}".encode()
    ).hexdigest()[:32]
    # The rules first: reading them may fill their cache, never the other way round.
    rules = site_rules_version()
    return ":".join(
        str(part)
        for part in (
            KEY_PREFIX,
            page.pk,
            page.live_revision_id or 0,
            script,
            content_version(),
            timezone.localdate().isoformat(),
            rules,
            where,
        )
    )


def cached_response(request, page, script, args=(), kwargs=None):
    """The stored response for this request, or None (then `store` may keep the render)."""
    request.tongxin_cache_key = None
    if not cacheable(request, args, kwargs):
        return None
    key = page_cache_key(request, page, script)
    found = cache.get(key)
    if found is None:
        request.tongxin_cache_key = key
        return None
    content_type, content = found
    response = HttpResponse(content, content_type=content_type)
    # Already in the reader's script: the conversion middleware must leave it alone.
    response.tongxin_cached = True
    return response


def storable(request, response):
    if not getattr(request, "tongxin_cache_key", None):
        return False
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    # Anything personal in the render: a cookie, a CSRF token, the session, a private answer.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "accessed", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in UNSHARED)


def store(request, response):
    """Keep the converted response of a cache miss (see `cached_response`)."""
    if storable(request, response):
        cache.set(
            request.tongxin_cache_key,
            (response["Content-Type"], response.content),
            cache_seconds(),
        )
        _keep_for_outage(request, response)


# --- a copy for when the database is down (tongxin.core.outage) ---------------------------
# The key above needs the database (the page, its live revision); this one only the request.
# The copy is served only while the content version and the date it was made with still
# hold, both read from the cache: anything published, withdrawn or expired since then (a
# story whose consent ended) is never shown from it.
OUTAGE_PREFIX = "scripts:page:outage:v1"
OUTAGE_SECONDS = 24 * 3600


def _outage_key(request):
    query = request.META.get("QUERY_STRING", "")
    where = f"{request.scheme}\x1f{request.get_host()}\x1f{request.path}\x1f{query}"
    return f"{OUTAGE_PREFIX}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def _keep_for_outage(request, response):
    version = (content_version(), timezone.localdate().isoformat())
    cache.set(
        _outage_key(request),
        (version, response["Content-Type"], response.content),
        OUTAGE_SECONDS,
    )


def lookup_for_request(request):
    """The cached page for this request without asking the database, or None."""
    if request.method not in SAFE_METHODS or not _only_tracking(request):
        return None
    found = cache.get(_outage_key(request))
    if found is None:
        return None
    version, content_type, content = found
    if version != (content_version(), timezone.localdate().isoformat()):
        return None
    response = HttpResponse(content, content_type=content_type)
    response.tongxin_cached = True
    return response


def setting_saved(sender, created=False, **kwargs):
    # Settings rows are created with their defaults on first read (`for_request`, `load`),
    # mid-request; that changes nothing a reader sees. Only an edit does.
    if not created:
        bump_content_version()


def content_changed(sender, **kwargs):
    bump_content_version()


def connect_signals():
    """Called from ScriptsConfig.ready(): what templates show beyond pages and snippets.

    The content version (tongxin.syndication.cache) already moves on publishing, snippets,
    rules and consent. Cached pages also show every Wagtail setting (the donation banner, the
    conversion settings: templates read them through the `settings` context processor) and
    images (their renditions' URLs), so saving or deleting one bumps it too.
    """
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images import get_image_model

    settings_models = [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseGenericSetting, BaseSiteSetting))
    ]
    for model in settings_models:
        uid = f"scripts.pagecache.{model._meta.label}"
        post_save.connect(setting_saved, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.delete")
    image_model = get_image_model()
    uid = f"scripts.pagecache.{image_model._meta.label}"
    post_save.connect(content_changed, sender=image_model, dispatch_uid=f"{uid}.save")
    post_delete.connect(content_changed, sender=image_model, dispatch_uid=f"{uid}.delete")
