"""The edge page cache and HTTP caching (issue 11, points 1 and 2).

A hit is answered right after WhiteNoise with one cache round trip and no database query,
for every page type, feed and widget in both scripts (the per-page-type budgets are in
tests/test_query_budgets.py); public answers tell the layer in front how long to keep them
and answer 304s; a CDN or proxy is purged on publish, unpublish, move and expiry, in both
renditions; a cache or CDN that fails never fails a page or a publish.
"""

import datetime
import io
import logging
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page

from stories.models import StoryIdentity
from tongxin.core import pagecache

pytestmark = pytest.mark.django_db

PREFIXES = ("/zh-hans/", "/zh-hant/")


def url_of(page, prefix="/zh-hans/"):
    return prefix + page.url_path[len("/home/") :]


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, [query["sql"] for query in captured.captured_queries]


def hit(client, url, **extra):
    """The second request for `url`: answered from the page cache."""
    first = client.get(url, **extra)
    assert first.status_code == 200, (url, first.status_code)
    response, sql = queries(client, url, **extra)
    return response, sql


def max_ages(response):
    control = response["Cache-Control"]
    browser = int(re.search(r"(?<!s-)max-age=(\d+)", control).group(1))
    shared = int(re.search(r"s-maxage=(\d+)", control).group(1))
    return browser, shared


# --------------------------------------------------------------------------- hits


def partner_urls(tree, prefix):
    feeds = [
        url_of(page, prefix) + f"feed/{kind}/"
        for page in (tree.home, tree.campaign, tree.series, tree.story_index, tree.news_index)
        for kind in ("rss", "atom", "json")
    ]
    embeds = [url_of(page, prefix) + "embed/" for page in (tree.story, tree.news, tree.campaign)]
    return feeds + embeds


@pytest.mark.parametrize("prefix", PREFIXES)
def test_feed_and_embed_hits_cost_no_query(client, site_tree, prefix):
    for url in partner_urls(site_tree, prefix):
        response, sql = hit(client, url)
        assert response.status_code == 200, url
        assert getattr(response, "tongxin_cached", False), url
        assert sql == [], (url, sql)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_story_hit_costs_no_query_and_keeps_its_headers(client, site_tree, prefix):
    url = url_of(site_tree.story, prefix)
    first = client.get(url)
    response, sql = queries(client, url)
    assert sql == [] and response.tongxin_cached
    assert response.content == first.content
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "ETag"):
        assert response[name] == first[name], name
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware, outside
    assert "Set-Cookie" not in response


def test_page_parameter_is_cached_per_page_and_junk_bypasses(client, site_tree):
    url = url_of(site_tree.news_index)
    _, sql = hit(client, url + "?page=1")
    assert sql == []
    _, sql = hit(client, url + "?page=1&from=singlemessage")
    assert sql == []
    for junk in ("?page=abc", "?page=-1", "?page=0", "?page=99999999", "?page=1&page=2"):
        client.raise_request_exception = False
        response = client.get(url + junk)
        assert response.status_code in (200, 404), junk
        again, sql = queries(client, url + junk)
        assert again.status_code == response.status_code and sql, junk


def test_release_id_change_is_a_miss(client, site_tree, settings):
    url = url_of(site_tree.campaign, "/zh-hant/")
    _, sql = hit(client, url)
    assert sql == []
    settings.RELEASE_ID = "next-deploy"
    response, sql = queries(client, url)
    assert sql and not getattr(response, "tongxin_cached", False)
    _, sql = queries(client, url)
    assert sql == []


def test_default_release_id_digests_the_code(settings):
    settings.RELEASE_ID = ""
    assert re.fullmatch(r"[0-9a-f]{16}", pagecache.release_id())
    settings.RELEASE_ID = "abc123"
    assert pagecache.release_id() == "abc123"


def test_page_cache_seconds_zero_turns_it_off(client, site_tree, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = url_of(site_tree.news)
    client.get(url)
    response, sql = queries(client, url)
    # Rendered, not answered from the page cache (a render of a kept path may cost no query).
    assert not getattr(response, "tongxin_cached", False)
    assert response.get("X-Page-Cache") != "hit"
    # The layer in front may still keep it.
    assert response["Cache-Control"].startswith("public")


def test_logged_in_editor_never_gets_nor_fills_the_cache(client, site_tree, django_user_model):
    url = url_of(site_tree.campaign)
    editor = django_user_model.objects.create_superuser("bianji", "bj@example.cn", "x")
    client.force_login(editor)
    for _ in range(2):
        response, sql = queries(client, url)
        assert response.status_code == 200 and sql
        assert not getattr(response, "tongxin_cached", False)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    # Nothing the editor saw was stored: the first anonymous request renders.
    cache_keys_before = set(cache._cache)  # locmem
    response, sql = queries(client, url)
    assert sql and not getattr(response, "tongxin_cached", False)
    assert set(cache._cache) - cache_keys_before


def test_admin_is_private(client, django_user_model):
    editor = django_user_model.objects.create_superuser("bianji", "bj@example.cn", "x")
    client.force_login(editor)
    response = client.get("/admin/")
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_consent_ending_is_a_miss_after_the_end(client, site_tree):
    identity = StoryIdentity.objects.get(story=site_tree.story)
    identity.consent_expires_on = timezone.localdate()
    identity.save()
    url = url_of(site_tree.story)
    _, sql = hit(client, url)
    assert sql == []
    # The entry's validity, and what the layer in front is told, stop at midnight.
    response = client.get(url)
    midnight = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=1), datetime.time()
        )
    )
    left = (midnight - timezone.now()).total_seconds()
    assert max(max_ages(response)) <= left + 1
    with time_machine.travel(midnight + datetime.timedelta(seconds=1), tick=False):
        client.raise_request_exception = False
        assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- HTTP caching


def check_public(response, etag=True):
    control = response["Cache-Control"]
    assert control.startswith("public"), control
    browser, shared = max_ages(response)
    assert 0 < browser <= shared
    if etag:
        assert response["ETag"].startswith('"')
    assert "cookie" not in response.get("Vary", "").lower()
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("prefix", PREFIXES)
def test_pages_carry_cache_headers_and_answer_304(client, site_tree, prefix, settings):
    settings.HTTP_CACHE_MAX_AGE, settings.HTTP_CACHE_S_MAXAGE = 30, 900
    for page in (site_tree.home, site_tree.story, site_tree.episodes[1], site_tree.news_index):
        url = url_of(page, prefix)
        miss = client.get(url)
        check_public(miss)
        assert max_ages(miss) == (30, 900) or max(max_ages(miss)) < 900
        cached = client.get(url)
        assert cached.tongxin_cached and cached["ETag"] == miss["ETag"]
        check_public(cached)
        # 304 on a hit, and on a miss (cache emptied)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=miss["ETag"])
        assert not_modified.status_code == 304 and not not_modified.content
        assert not_modified["ETag"] == miss["ETag"]
        assert not_modified["Cache-Control"].startswith("public")
        cache.clear()
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=miss["ETag"])
        assert not_modified.status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_feeds_carry_cache_headers_and_answer_304(client, site_tree):
    url = url_of(site_tree.news_index, "/zh-hant/") + "feed/rss/"
    miss = client.get(url)
    check_public(miss)
    assert miss["Last-Modified"]
    assert max_ages(miss)[0] == 300  # the feeds' own freshness for pollers
    cached = client.get(url)
    check_public(cached)
    for headers in (
        {"HTTP_IF_NONE_MATCH": miss["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": miss["Last-Modified"]},
    ):
        answer = client.get(url, **headers)
        assert answer.status_code == 304, headers
        assert answer["Access-Control-Allow-Origin"] == "*"
        cache.clear()


def test_sitemap_carries_cache_headers_and_answers_304(client, site_tree):
    miss = client.get("/sitemap.xml")
    assert miss.status_code == 200
    check_public(miss)
    _, sql = queries(client, "/sitemap.xml")
    assert sql == []
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=miss["ETag"]).status_code == 304


def test_search_is_not_public(client, site_tree):
    response = client.get("/zh-hans/search/?q=小雨")
    assert not response.get("Cache-Control", "").startswith("public")


# --------------------------------------------------------------------------- faults


class BrokenCache:
    """A cache whose every call raises."""

    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("redis is down")

        return down


def test_a_failing_cache_never_fails_a_page(client, site_tree, monkeypatch, caplog):
    """The page cache's own round trips raise: logged, and the page is rendered."""
    monkeypatch.setattr(pagecache, "cache", BrokenCache())
    url = url_of(site_tree.story, "/zh-hant/")
    with caplog.at_level(logging.WARNING, logger="tongxin.core.pagecache"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert not getattr(response, "tongxin_cached", False)
    assert "Page cache unavailable" in caplog.text


def test_redis_down_never_fails_a_page(client, site_tree, settings):
    """The production cache (django-redis, errors ignored) pointed at nothing listening."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    for page in (site_tree.home, site_tree.story):
        for prefix in PREFIXES:
            assert client.get(url_of(page, prefix)).status_code == 200
    assert client.get(url_of(site_tree.news_index) + "feed/rss/").status_code == 200


# --------------------------------------------------------------------------- purging


class RecordingBackend(BaseBackend):
    sent = []

    def purge(self, url):
        RecordingBackend.sent.append(url)


class FailingBackend(BaseBackend):
    calls = 0

    def purge(self, url):
        FailingBackend.calls += 1
        # As Wagtail's HTTP backend does: it catches its own error and logs it.
        logging.getLogger("wagtail.frontendcache").error("Couldn't purge '%s'", url)


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {"fake": {"BACKEND": f"{__name__}.RecordingBackend"}}
    settings.FRONTEND_CACHE_BACKGROUND = False
    settings.FRONTEND_CACHE_RETRY_DELAYS = ()
    RecordingBackend.sent = []
    return RecordingBackend.sent


def both(page_path):
    return {f"http://localhost/zh-hans/{page_path}", f"http://localhost/zh-hant/{page_path}"}


def assert_purged(sent, *page_paths):
    sent = set(sent)
    for page_path in page_paths:
        for suffix in ("", "feed/rss/", "feed/atom/", "feed/json/", "embed/"):
            missing = both(page_path + suffix) - sent
            assert not missing, (missing, sorted(sent))
    assert "http://localhost/sitemap.xml" in sent


def site_host(site_tree):
    site = site_tree.home.get_site()
    assert site.root_url == "http://localhost", site.root_url


def test_publish_purges_both_renditions_listings_and_feeds(
    site_tree, purged, django_capture_on_commit_callbacks
):
    site_host(site_tree)
    story = Page.objects.get(pk=site_tree.story.pk).specific
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert_purged(purged, "gushi/xiaoyu/", "gushi/", "")


def test_unpublish_purges(site_tree, purged, django_capture_on_commit_callbacks):
    news = Page.objects.get(pk=site_tree.news.pk).specific
    with django_capture_on_commit_callbacks(execute=True):
        news.unpublish()
    assert_purged(purged, "xinwen/launch/", "xinwen/", "")


def test_move_purges_old_and_new_places(site_tree, purged, django_capture_on_commit_callbacks):
    news = Page.objects.get(pk=site_tree.news.pk).specific
    with django_capture_on_commit_callbacks(execute=True):
        news.move(site_tree.campaign, pos="last-child")
    assert_purged(purged, "xinwen/launch/", "xinwen/", "qingyun/launch/", "qingyun/", "")


def test_expiry_by_the_scheduled_job_purges(site_tree, purged, django_capture_on_commit_callbacks):
    Page.objects.filter(pk=site_tree.episodes[0].pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert_purged(purged, "qingyun/series/ep-1/", "qingyun/series/", "qingyun/", "")


def test_purge_failure_is_logged_queued_and_retried(
    site_tree, settings, caplog, django_capture_on_commit_callbacks
):
    from tongxin.core import frontendcache

    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.FailingBackend"}}
    settings.FRONTEND_CACHE_BACKGROUND = False
    settings.FRONTEND_CACHE_RETRY_DELAYS = (0, 0)
    FailingBackend.calls = 0
    news = Page.objects.get(pk=site_tree.news.pk).specific
    with (
        caplog.at_level(logging.WARNING, logger="tongxin.core.frontendcache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        revision = news.save_revision()
        revision.publish()
    # The publish went through; three attempts were made, then the purge was queued.
    assert Page.objects.get(pk=news.pk).live_revision_id == revision.pk
    assert "purge through cdn failed" in caplog.text and "queued" in caplog.text
    per_attempt = FailingBackend.calls // 3
    assert per_attempt and FailingBackend.calls == 3 * per_attempt
    (entry,) = cache.get(frontendcache.QUEUE_KEY)
    assert entry["backend"] == "cdn" and len(entry["urls"]) == per_attempt
    # The scheduled job retries once the pause has passed, with the CDN back.
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.sent = []
    assert frontendcache.retry_pending() == 0  # still pausing
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert len(RecordingBackend.sent) == per_attempt
    assert cache.get(frontendcache.QUEUE_KEY) == []


def test_purge_exception_never_blocks_a_publish(
    site_tree, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from tongxin.core import frontendcache

    settings.WAGTAILFRONTENDCACHE = {"fake": {"BACKEND": f"{__name__}.RecordingBackend"}}
    settings.FRONTEND_CACHE_BACKGROUND = False
    settings.FRONTEND_CACHE_RETRY_DELAYS = ()

    def explode(self, urls):
        raise OSError("CDN unreachable")

    monkeypatch.setattr(RecordingBackend, "purge_batch", explode)
    news = Page.objects.get(pk=site_tree.news.pk).specific
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    assert len(cache.get(frontendcache.QUEUE_KEY)) == 1


def test_nothing_is_purged_without_a_configured_cdn(
    site_tree, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Page.objects.get(pk=site_tree.news.pk).specific.save_revision().publish()
    from tongxin.core import frontendcache

    assert not [c for c in callbacks if getattr(c, "__qualname__", "").startswith("dispatch")]
    assert frontendcache.configured() is False


def test_http_purge_reaches_a_proxy(site_tree, settings, django_capture_on_commit_callbacks):
    """Wagtail's generic HTTP backend, as configured by FRONTEND_CACHE=http: PURGE requests
    with the page's host, for both renditions; a dead proxy is logged and queued."""
    import http.server
    import threading

    from tongxin.core import frontendcache

    received = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the method's name is the HTTP verb)
            received.append((self.command, self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backend = {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend"}
    settings.WAGTAILFRONTENDCACHE = {
        "http": {**backend, "LOCATION": f"http://127.0.0.1:{server.server_port}"}
    }
    settings.FRONTEND_CACHE_BACKGROUND = False
    settings.FRONTEND_CACHE_RETRY_DELAYS = ()
    news = Page.objects.get(pk=site_tree.news.pk).specific
    try:
        with django_capture_on_commit_callbacks(execute=True):
            news.save_revision().publish()
    finally:
        server.shutdown()
        server.server_close()
    paths = {path for method, host, path in received if method == "PURGE" and host == "localhost"}
    assert {"/zh-hans/xinwen/launch/", "/zh-hant/xinwen/launch/", "/sitemap.xml"} <= paths
    assert {"/zh-hans/xinwen/feed/rss/", "/zh-hant/xinwen/feed/rss/"} <= paths
    # The proxy is gone now: the next purge fails, is logged and waits in the queue.
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    (entry,) = cache.get(frontendcache.QUEUE_KEY)
    assert "http://localhost/zh-hant/xinwen/launch/" in entry["urls"]
