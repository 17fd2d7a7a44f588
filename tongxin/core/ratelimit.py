"""Rate limits per client address on the routes scrapers and scripts hammer: search, feeds,
embeds, oEmbed and the donation click-through. Over the limit: 429 with Retry-After.

Counters live in Django's cache (Redis in production, shared by every app server): one key
per route group, address and fixed window. A request is let through while its window's count
is under the limit, and counted only after it was answered, and only when the answer cost
work: 304s and answers from the feed or page cache are free, so a partner polling its feed
properly is never limited. Redis down: the cache ignores errors and nothing is limited.

Why our own middleware and not django-ratelimit: its decorator counts before the view runs,
so cached answers and 304s would count; and its default answer is a 403.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.template import loader

from tongxin.scripts import script as scripts
from tongxin.scripts.uitext import marking

from .clientip import client_key

KEY_PREFIX = "ratelimit:v1"
# url_name → group; each group's limit is settings.RATE_LIMITS[group] ("requests/seconds").
ROUTE_GROUPS = {
    "search": "search",
    "feed": "feed",
    "embed": "embed",
    "oembed": "oembed",
    "donate": "donate",
}
UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate):
    """ "30/60" (30 per 60 s), "30/m", "1000/h" → (30, 60); None or "0" disables."""
    if rate in (None, "", "0", 0):
        return None
    count, _, period = str(rate).partition("/")
    period = period.strip() or "60"
    unit = UNITS.get(period[-1])
    seconds = unit * int(period[:-1] or 1) if unit else int(period)
    count = int(count)
    if count <= 0 or seconds <= 0:
        return None
    return count, seconds


def limit_for(group):
    configured = getattr(settings, "RATE_LIMITS", {}) or {}
    return parse_rate(configured.get(group))


def _now():
    return time.time()


def _key(group, client, window):
    return f"{KEY_PREFIX}:{group}:{client}:{window}"


def free(response):
    """Answers that cost nothing: conditional GETs and cache hits."""
    return (
        response.status_code == 304
        or getattr(response, "tongxin_cached", False)
        or getattr(response, "tongxin_cache_hit", False)
    )


# Feeds and widgets are routes of their page (tongxin.core.routes), served by Wagtail's own
# view: they are told by their path.
PATH_GROUPS = (
    (re.compile(r"/feed/(?:rss|atom|json)/\Z"), "feed"),
    (re.compile(r"/embed/\Z"), "embed"),
)


def group_of(request):
    group = ROUTE_GROUPS.get(getattr(request.resolver_match, "url_name", None))
    if group is None:
        group = next((name for pattern, name in PATH_GROUPS if pattern.search(request.path)), None)
    return group


def too_many(request, group, retry_after):
    wants_json = group == "oembed" or request.path.endswith("/feed/json/")
    if wants_json:
        response = JsonResponse({"error": "too many requests", "status": 429}, status=429)
        response["Access-Control-Allow-Origin"] = "*"
    else:
        script = scripts.of_request(request)
        # The catalogues write it in the reader's script; no converter, no database.
        with script.activate(), marking(False):
            body = loader.render_to_string(
                "429.html", {"script": script.code, "home": script.prefix + "/"}
            )
        response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
        response.tongxin_cached = True  # written in the reader's script already
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        counted = getattr(request, "tongxin_rate", None)
        if counted is not None and not free(response) and response.status_code != 429:
            key, seconds = counted
            # add then incr: atomic in Redis; the key outlives its window only briefly.
            cache.add(key, 0, seconds + 5)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, seconds + 5)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        group = group_of(request)
        limit = limit_for(group) if group else None
        if limit is None:
            return None
        count, seconds = limit
        now = _now()
        window = int(now // seconds)
        key = _key(group, client_key(request), window)
        if (cache.get(key) or 0) >= count:
            return too_many(request, group, max(1, int((window + 1) * seconds - now) + 1))
        request.tongxin_rate = (key, seconds)
        return None
