"""Purging the layer in front (a CDN or a caching proxy) when public content changes.

Wagtail's frontend cache backends (`wagtail.contrib.frontend_cache.backends`: Cloudflare,
CloudFront, or a generic HTTP PURGE to Varnish or nginx) are configured from the environment
(settings.WAGTAILFRONTENDCACHE, docs/operators.md). On publish, unpublish (the scheduled job's
expiry and lapsed-consent unpublishing included), move and deletion of a page, the URLs that
may show it are purged:

- the page and its routes (`feed/rss/`, `feed/atom/`, `feed/json/`, `embed/`) in both
  renditions, `/zh-hans/…` and `/zh-hant/…`, on every site that holds it; after a move,
  at the old and the new place;
- the same for each ancestor up to the site's home page: the listings, navigation and
  feeds that show the page;
- the site-wide paths of settings.FRONTEND_CACHE_SITE_PATHS (the sitemap).

The purge is sent after the transaction commits, in a background thread, so a slow or dead
CDN never holds up a publish. A failure (an exception, or an error Wagtail's backend logged)
is logged and retried: a few times at once with backoff (FRONTEND_CACHE_RETRY_DELAYS), then
queued in the cache for the scheduled job (`publish_scheduled`), which retries with growing
pauses up to MAX_ATTEMPTS. The cache headers' s-maxage bounds what a lost purge can cost.

Wagtail's own `wagtail.contrib.frontend_cache` app is deliberately not installed: its signal
handlers purge one rendition of the page only, and without retries.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from tongxin.scripts.script import SCRIPTS

logger = logging.getLogger(__name__)

WAGTAIL_LOGGER = "wagtail.frontendcache"
QUEUE_KEY = "frontendcache:retry:v1"
QUEUE_SECONDS = 24 * 3600
MAX_ATTEMPTS = 6
# Pauses (seconds) of the scheduled job's retries: attempt n waits RETRY_BACKOFF * 2**n.
RETRY_BACKOFF = 60
# The page's own routes that a shared cache may hold (tongxin.core.routes).
ROUTE_PATHS = ("", "feed/rss/", "feed/atom/", "feed/json/", "embed/")


def backends():
    from wagtail.contrib.frontend_cache.utils import get_backends

    return get_backends(getattr(settings, "WAGTAILFRONTENDCACHE", None) or {})


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# --------------------------------------------------------------------------- which URLs


def _site_roots():
    from wagtail.models import Site

    return Site.get_site_root_paths()


def urls_for_path(url_path):
    """Absolute URLs of a page at `url_path` (Wagtail's tree path) and its routes, in both
    renditions, on every site whose root holds it."""
    urls = []
    for root in _site_roots():
        if not url_path.startswith(root.root_path):
            continue
        relative = "/" + url_path[len(root.root_path) :]
        for script in SCRIPTS:
            for route in ROUTE_PATHS:
                urls.append(f"{root.root_url}{script.prefix}{relative}{route}")
    return urls


def site_urls(url_path):
    urls = []
    for root in _site_roots():
        if url_path.startswith(root.root_path):
            paths = getattr(settings, "FRONTEND_CACHE_SITE_PATHS", ["/sitemap.xml"])
            urls.extend(f"{root.root_url}{path}" for path in paths)
    return urls


def page_urls(page, url_path=None):
    """What may show `page` (at `url_path`, default its current one): the page, its
    ancestors' listings and feeds, the site's sitemap."""
    url_path = url_path or page.url_path
    urls = urls_for_path(url_path)
    # Ancestors by their tree path prefixes: "/home/a/b/" → "/home/a/", "/home/".
    parts = url_path.strip("/").split("/")
    for depth in range(len(parts) - 1, 0, -1):
        urls.extend(urls_for_path("/" + "/".join(parts[:depth]) + "/"))
    urls.extend(site_urls(url_path))
    return list(dict.fromkeys(urls))


# --------------------------------------------------------------------------- sending


class _Errors(logging.Handler):
    """Errors Wagtail's backends log (they catch their own HTTP errors) in this thread."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.thread = threading.get_ident()
        self.messages = []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def send(name, backend, urls):
    """Purge `urls` through one backend; True when it reported no error."""
    wagtail_logger = logging.getLogger(WAGTAIL_LOGGER)
    errors = _Errors()
    wagtail_logger.addHandler(errors)
    try:
        backend.purge_batch(urls)
    except Exception as exc:  # noqa: BLE001 (any backend failure is logged below and retried)
        errors.messages.append(f"{type(exc).__name__}: {exc}")
    finally:
        wagtail_logger.removeHandler(errors)
    if errors.messages:
        logger.warning(
            "Frontend cache purge through %s failed for %d URLs: %s",
            name,
            len(urls),
            "; ".join(errors.messages[:3]),
        )
        return False
    return True


def purge(urls):
    """Purge `urls` everywhere configured, retrying failures; never raises."""
    try:
        _purge(urls)
    except Exception:
        logger.exception("Frontend cache purge failed")


def _purge(urls):
    found = backends()
    delays = list(getattr(settings, "FRONTEND_CACHE_RETRY_DELAYS", (1, 4)))
    for name, backend in found.items():
        mine = [url for url in urls if backend.invalidates_hostname(_host(url))]
        if not mine:
            continue
        for delay in [None, *delays]:
            if delay is not None:
                time.sleep(delay)
            if send(name, backend, mine):
                break
        else:
            enqueue(name, mine)


def _host(url):
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def dispatch(urls):
    """After the transaction commits: purge in the background (or at once when
    FRONTEND_CACHE_BACKGROUND is off, as in tests)."""
    if not urls or not configured():
        return

    def run():
        if getattr(settings, "FRONTEND_CACHE_BACKGROUND", True):
            threading.Thread(target=purge, args=(urls,), daemon=True, name="purge").start()
        else:
            purge(urls)

    transaction.on_commit(run, robust=True)


# --------------------------------------------------------------------------- the retry queue


def _queue():
    try:
        return list(cache.get(QUEUE_KEY) or [])
    except Exception:
        logger.warning("Frontend cache retry queue unreadable", exc_info=True)
        return []


def enqueue(name, urls, attempt=1):
    entry = {
        "backend": name,
        "urls": list(urls),
        "attempt": attempt,
        "not_before": time.time() + RETRY_BACKOFF * 2 ** (attempt - 1),
    }
    try:
        cache.set(QUEUE_KEY, [*_queue(), entry], QUEUE_SECONDS)
    except Exception:
        logger.error("Frontend cache purge of %d URLs lost", len(urls), exc_info=True)
        return
    logger.warning(
        "Frontend cache purge of %d URLs through %s queued (attempt %d)", len(urls), name, attempt
    )


def retry_pending():
    """The scheduled job's turn: send queued purges whose pause has passed. Returns the
    number of URLs purged."""
    queue = _queue()
    if not queue:
        return 0
    now = time.time()
    due = [entry for entry in queue if entry["not_before"] <= now]
    waiting = [entry for entry in queue if entry["not_before"] > now]
    try:
        cache.set(QUEUE_KEY, waiting, QUEUE_SECONDS)
    except Exception:
        logger.warning("Frontend cache retry queue unwritable", exc_info=True)
        return 0
    found = backends()
    done = 0
    for entry in due:
        backend = found.get(entry["backend"])
        if backend is None:
            continue
        if send(entry["backend"], backend, entry["urls"]):
            done += len(entry["urls"])
        elif entry["attempt"] + 1 >= MAX_ATTEMPTS:
            logger.error(
                "Frontend cache purge through %s given up after %d attempts: %s",
                entry["backend"],
                MAX_ATTEMPTS,
                " ".join(entry["urls"][:5]),
            )
        else:
            enqueue(entry["backend"], entry["urls"], entry["attempt"] + 1)
    return done


# --------------------------------------------------------------------------- signals


def page_changed(sender, instance, **kwargs):
    # Nothing to purge: no URL to work out (an import publishes thousands of pages).
    if configured():
        dispatch(page_urls(instance))


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    urls = page_urls(instance, url_path_before) if url_path_before else []
    urls += page_urls(instance, url_path_after)
    dispatch(list(dict.fromkeys(urls)))


def page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.live:
        dispatch(page_urls(instance))


def connect_signals():
    """Called from CoreConfig.ready()."""
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "frontendcache.purge"
    page_published.connect(page_changed, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(page_changed, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(page_moved, dispatch_uid=f"{uid}.moved")
    post_delete.connect(page_deleted, dispatch_uid=f"{uid}.deleted")
