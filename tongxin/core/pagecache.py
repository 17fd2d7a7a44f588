"""The edge page cache and the HTTP caching headers of public answers.

The one module that keys, finds and stores cached answers, and says how long the layer in
front (a CDN, nginx's proxy_cache, Varnish) may keep them. `PageCacheMiddleware`
(tongxin.core.middleware) sits right after WhiteNoise, before sessions, locale, CSRF, auth
and routing: a hit is answered with one cache round trip (`get_many`) and no database query,
for every page type, feed and widget. A miss goes through the whole stack (the conversion to
the reader's script happens once, in RenditionMiddleware) and the finished answer, with the
headers every inner middleware added (CSP, X-Frame-Options, CORS), is stored on the way out.

What is answered and stored: anonymous GET/HEAD requests (no session cookie) for a
rendition URL (`/zh-hans/…`, `/zh-hant/…`) or a sitemap, whose view marked the answer with
`mark_shareable` (pages for the web scope, feeds, embeds), 200, with no Set-Cookie, no
`Vary: Cookie`, no session read and no private Cache-Control. The query string may hold
share-tracking parameters (WeChat's `from`/`isappinstalled`, `utm_*`) and `page=N`
(pagination): each such URL is its own entry. Anything else (search, filters, `?limit=`,
`?page=abc`) is rendered every time.

The key: release id, script, scheme, host, path and query. The entry carries what else its
bytes depend on, checked on every hit from the same round trip:

- the content version (tongxin.core.contentversion), bumped on publish, unpublish, moves,
  snippets, rules, consent, settings and images: another version is a miss;
- the site's conversion configuration (`rendition.site_rules_version`);
- the moment the entry stops being valid by the clock alone (`visibility.next_change`: the
  next `expire_at` of a live page, or midnight, when consents end): a miss from then on.
  This replaces asking the database whether a story's consent still holds: consent changes
  made through the CMS bump the content version, and a consent's end is a date.

The release id (settings.RELEASE_ID, environment `RELEASE_ID`; by default a digest of the
installed code, templates, static files and catalogues computed at start-up) makes a deploy
miss every entry written by the code before it.

Entries live `PAGE_CACHE_SECONDS` (environment; default 15 minutes; 0 turns the page cache
off; the older setting name TONGXIN_PAGE_CACHE_SECONDS still wins when set). HTTP caching
stays on: public answers carry `Cache-Control: public, max-age=HTTP_CACHE_MAX_AGE,
s-maxage=HTTP_CACHE_S_MAXAGE` (both cut to the entry's validity), a strong ETag, and requests
with a matching If-None-Match (or If-Modified-Since, where the view sets Last-Modified) get a
304, on hits and misses alike. Answers for a request with a session cookie, and the admin,
are `private, no-store` unless the view said otherwise.

CSP: the policy is a fixed header (no nonces; settings.CONTENT_SECURITY_POLICY), stored and
replayed with the answer. An answer whose policy carries a nonce is never stored.

A cache that fails (Redis down) is a miss: logged, and the page is rendered.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import (
    site_rules_version,
    site_rules_version_from,
    site_rules_version_keys,
)

from .contentversion import VERSION_KEY, content_version
from .visibility import next_change

logger = logging.getLogger(__name__)

KEY_PREFIX = "page:edge:v3"
ENTRY_FORMAT = 3
DEFAULT_CACHE_SECONDS = 15 * 60
DEFAULT_MAX_AGE = 60
DEFAULT_S_MAXAGE = 10 * 60
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
# `?page=N` of the paginated indexes: cached per page; anything else in it is not.
PAGE_PARAMETER = "page"
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
MAX_QUERY_STRING = 200
# Outside the renditions, the sitemaps are public answers too (both renditions in one).
SHARED_PATHS = re.compile(r"/sitemap[\w.-]*\.xml|/sitemaps/[\w./-]+\.xml")
# Never replayed: the outer middlewares (SecurityMiddleware) add theirs again.
NOT_STORED_HEADERS = frozenset({"set-cookie", "date", "x-page-cache"})
# Repeated on a 304 besides those Django repeats (Cache-Control, ETag, Last-Modified, Vary).
NOT_MODIFIED_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Expose-Headers")
SHAREABLE = "tongxin_shareable"
# On every answer the page cache was asked for: "hit" or "miss" (for logs and tests).
STATUS_HEADER = "X-Page-Cache"
ADMIN_PREFIX = "/admin/"

# Code whose change changes markup: the default release id is their digest.
RELEASE_FOLDERS = (
    "tongxin",
    "campaigns",
    "stories",
    "site/templates",
    "site/static",
    "site/locale",
)
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".css", ".js", ".svg", ".mo"})


# --------------------------------------------------------------------------- settings


def cache_seconds():
    legacy = getattr(settings, "TONGXIN_PAGE_CACHE_SECONDS", None)
    if legacy is not None:
        return int(legacy)
    return int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def max_age():
    return int(getattr(settings, "HTTP_CACHE_MAX_AGE", DEFAULT_MAX_AGE))


def s_maxage():
    return int(getattr(settings, "HTTP_CACHE_S_MAXAGE", DEFAULT_S_MAXAGE))


@once
def _code_digest():
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in RELEASE_FOLDERS:
        root = base / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    import django
    import wagtail

    digest.update(f"{django.__version__}/{wagtail.__version__}".encode())
    return digest.hexdigest()[:16]


def release_id():
    """This deploy's name in every key: RELEASE_ID, or the digest of the installed code."""
    return str(getattr(settings, "RELEASE_ID", "") or _code_digest())


# --------------------------------------------------------------------------- views' word


def mark_shareable(response, page=None, scope="web"):
    """The view's word that this answer is the same for every anonymous reader.

    `page` and `scope` are accepted for the callers' sake: whether the page may still be
    shown is decided by the content version and the entry's validity moment, not per hit.
    """
    setattr(response, SHAREABLE, True)
    return response


# --------------------------------------------------------------------------- requests


def _is_anonymous(request):
    # Without a session cookie the reader cannot be logged in. With one (an editor, or a
    # stale cookie) the cache stays out of the way: reading request.user to tell would load
    # the session and make the answer `Vary: Cookie`.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable_query(request):
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if len(query) > MAX_QUERY_STRING:
        return False
    for name, values in request.GET.lists():
        if len(values) != 1:
            return False
        if name in TRACKING_PARAMETERS:
            continue
        if name == PAGE_PARAMETER and PAGE_NUMBER.fullmatch(values[0]):
            continue
        return False
    return True


def _shared_path(path):
    return scripts.from_path(path) is not None or SHARED_PATHS.fullmatch(path) is not None


def cacheable(request):
    """Whether this request may be answered from, and stored in, the page cache."""
    if cache_seconds() <= 0 or request.method not in SAFE_METHODS:
        return False
    if getattr(request, "is_preview", False) or not _is_anonymous(request):
        return False
    if not _shared_path(request.path) or not _cacheable_query(request):
        return False
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def cache_key(request):
    script = scripts.from_path(request.path) or "any"
    query = request.META.get("QUERY_STRING", "")
    where = hashlib.sha256(
        f"{request.scheme}\x1f{request.get_host()}\x1f{request.path}\x1f{query}".encode()
    ).hexdigest()[:32]
    return f"{KEY_PREFIX}:{release_id()}:{script}:{where}"


def _now_us():
    # The clock visibility.next_change reads.
    return int(timezone.now().timestamp() * 1_000_000)


# --------------------------------------------------------------------------- the lookup


@dataclass
class Probe:
    """What one lookup found: the answer of a hit, and for a miss the state to store with."""

    key: str
    version: int | None = None
    rules: str | None = None
    response: HttpResponse | None = None
    # The shared entries the lookup's round trip brought besides the page (the request's
    # reads start from them: tongxin.core.requestmemo).
    found: dict | None = None

    def prepare(self):
        """Before a miss renders: the version and rules its answer will be made with."""
        try:
            if self.version is None:
                self.version = content_version()
            if self.rules is None:
                self.rules = site_rules_version()
        except Exception:  # the cache or the database is down: the render decides
            logger.warning("Page cache: state unavailable for %s", self.key, exc_info=True)
            self.version = self.rules = None


def shared_state():
    """The content version and conversion configuration in one round trip, for a read the
    page cache does not answer (seeds tongxin.core.requestmemo)."""
    try:
        return cache.get_many([VERSION_KEY, *site_rules_version_keys()])
    except Exception:
        logger.warning("Cache unavailable; the render reads the database", exc_info=True)
        return {}


def lookup(request):
    """A Probe for this request: `.response` is the stored answer (or a 304) on a hit.

    One cache round trip: the entry, the content version and the conversion rules.
    """
    probe = Probe(cache_key(request))
    wanted = [probe.key, VERSION_KEY, *site_rules_version_keys()]
    try:
        found = cache.get_many(wanted)
    except Exception:
        logger.warning("Page cache unavailable; rendering %s", request.path, exc_info=True)
        return probe
    probe.version = found.get(VERSION_KEY)
    probe.rules = site_rules_version_from(found)
    entry = found.pop(probe.key, None)
    probe.found = found
    if valid(entry, probe.version, probe.rules):
        probe.response = replay(request, entry)
    return probe


def valid(entry, version, rules=None, check_rules=True):
    return (
        isinstance(entry, dict)
        and entry.get("format") == ENTRY_FORMAT
        and version is not None
        and entry["version"] == version
        and (not check_rules or (rules is not None and entry["rules"] == rules))
        and _now_us() < entry["until"]
    )


def replay(request, entry):
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    # Tests, operators and the rate limits can tell a hit from a render.
    response.tongxin_cached = True
    response[STATUS_HEADER] = "hit"
    set_cache_control(response, entry["until"])
    return conditional(request, response)


# --------------------------------------------------------------------------- the answer


def is_public(request, response):
    """Whether a shared cache may keep this answer and give it to anyone."""
    if request.method not in SAFE_METHODS or getattr(request, "is_preview", False):
        return False
    if not _is_anonymous(request) or request.path.startswith(ADMIN_PREFIX):
        return False
    if not (getattr(response, SHAREABLE, False) or SHARED_PATHS.fullmatch(request.path)):
        return False
    if response.status_code not in (200, 304) or getattr(response, "streaming", False):
        return False
    # Anything personal in the render: a cookie, the session, a private answer.
    if response.cookies or "cookie" in response.get("Vary", "").lower():
        return False
    session = getattr(request, "session", None)
    if session is not None and getattr(session, "accessed", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in UNSHARED)


def set_cache_control(response, until):
    """`public, max-age, s-maxage`, neither past the moment the answer stops being valid.

    A view's own max-age (feeds: five minutes for pollers) is kept."""
    left = max(0, (until - _now_us()) // 1_000_000) if until else None
    current = re.search(r"max-age=(\d+)", response.get("Cache-Control", ""))
    browser = int(current.group(1)) if current else max_age()
    shared = max(s_maxage(), browser)
    if left is not None:
        browser, shared = min(browser, left), min(shared, left)
    response["Cache-Control"] = f"public, max-age={browser}, s-maxage={shared}"


def etag_of(content):
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def conditional(request, response):
    """A 304 when the request's validators match the answer's (hits and misses alike)."""
    if response.status_code != 200:
        return response
    answer = get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )
    if answer is not response:
        for name in NOT_MODIFIED_HEADERS:
            if response.has_header(name):
                answer[name] = response[name]
        answer.tongxin_cached = getattr(response, "tongxin_cached", False)
    return answer


def finish(request, response, probe=None):
    """On the way out of a miss: headers for the layer in front, and the answer stored
    when it may be. Returns the answer to send (a 304 when the validators match)."""
    if not is_public(request, response):
        personal = not _is_anonymous(request) or request.path.startswith(ADMIN_PREFIX)
        if (personal or response.cookies) and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
    until = _until(probe)
    set_cache_control(response, until)
    if response.status_code != 200:
        return response
    if not response.has_header("ETag"):
        response["ETag"] = etag_of(response.content)
    if probe is not None:
        response[STATUS_HEADER] = "miss"
        if until and cacheable(request):
            store(request, response, probe, until)
    return conditional(request, response)


def _until(probe):
    version = probe.version if probe is not None else None
    try:
        return next_change(version if version is not None else content_version())
    except Exception:
        logger.warning("Page cache: next change unknown", exc_info=True)
        return None


def store(request, response, probe, until):
    if probe.version is None or probe.rules is None:
        return
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return  # a nonce is for one answer only
    entry = {
        "format": ENTRY_FORMAT,
        "version": probe.version,
        "rules": probe.rules,
        "until": until,
        "content": response.content,
        "headers": [
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED_HEADERS
        ],
    }
    try:
        cache.set(probe.key, entry, cache_seconds())
        cache.set(outage_key(request), entry, OUTAGE_SECONDS)
    except Exception:
        logger.warning("Page cache: could not store %s", request.path, exc_info=True)


# --- a copy for when the database is down (tongxin.core.outage) ---------------------------
# A miss needs the database; when it is down, the last answer for the URL is served while
# the content version it was made with still holds and its validity moment has not come,
# both read from the cache: nothing published, withdrawn or expired since is ever shown
# from it. It lives a day, independently of PAGE_CACHE_SECONDS.
OUTAGE_PREFIX = "page:outage:v3"
OUTAGE_SECONDS = 24 * 3600


def outage_key(request):
    return cache_key(request).replace(KEY_PREFIX, OUTAGE_PREFIX, 1)


def lookup_for_request(request):
    """The cached answer for this request without asking the database, or None."""
    if request.method not in SAFE_METHODS or not _cacheable_query(request):
        return None
    if not _shared_path(request.path):
        return None
    try:
        request.get_host()
        found = cache.get_many([outage_key(request), VERSION_KEY])
    except Exception:
        logger.warning("Page cache unavailable during an outage", exc_info=True)
        return None
    entry = found.get(outage_key(request))
    if not valid(entry, found.get(VERSION_KEY), check_rules=False):
        return None
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    response.tongxin_cached = True
    return response
