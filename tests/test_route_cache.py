"""Where a path leads, kept per content version (tongxin.core.routing), and the process-local
copies of entries whose keys name their inputs (tongxin.core.keptcache).

An uncached render no longer walks the page tree: routing costs the same few queries at any
depth, and the site and its root page come from the cache. Every change that moves a page
between URLs (a new slug, a move, an unpublish, a delete, a view restriction) is seen by the
next request, with the page cache off so each answer is rendered.
"""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tongxin.core import keptcache

from .factories import EpisodePageFactory, SeriesPageFactory, build_site_tree

pytestmark = pytest.mark.django_db
PREFIXES = ("/zh-hans/", "/zh-hant/")


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0
    keptcache.clear()
    yield
    keptcache.clear()


def url_of(page, prefix="/zh-hans/"):
    page.refresh_from_db()
    return prefix + page.url_path[len("/home/") :]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


def warm_queries(client, url):
    assert client.get(url).status_code == 200, url
    response, count = queries_of(client, url)
    assert response.status_code == 200, url
    return count


def test_routing_costs_the_same_at_every_depth(client):
    """An episode two levels further down costs no more queries than its twin above."""
    tree = build_site_tree()
    nested = SeriesPageFactory(parent=tree.series, slug="nested", planned_episodes=3)
    deeper = SeriesPageFactory(parent=nested, slug="deeper", planned_episodes=3)
    for n in (1, 2, 3):
        EpisodePageFactory(parent=deeper, slug=f"ep-{n}", title=f"第{n}集")
    twin = deeper.get_children().get(slug="ep-2").specific
    for prefix in PREFIXES:
        shallow = warm_queries(client, url_of(tree.episodes[1], prefix))
        deep = warm_queries(client, url_of(twin, prefix))
        assert deep == shallow, (prefix, shallow, deep)


def test_warm_episode_story_and_news_renders_ask_the_database_nothing(client):
    """With the content state unchanged, the page, its visibility, an episode's series and
    neighbours and the site fragments are all kept: bodies without images cost no query."""
    tree = build_site_tree()
    for prefix in PREFIXES:
        for page in (tree.episodes[1], tree.story, tree.news):
            assert warm_queries(client, url_of(page, prefix)) == 0, (prefix, page.slug)


def test_a_new_slug_is_served_at_once_and_the_old_path_is_gone(client):
    tree = build_site_tree()
    episode = tree.episodes[1]
    old = url_of(episode)
    assert client.get(old).status_code == 200
    episode.slug = "renamed"
    episode.save_revision().publish()
    assert client.get(old).status_code == 404
    assert client.get(url_of(episode)).status_code == 200


def test_a_moved_page_answers_at_its_new_place_only(client):
    tree = build_site_tree()
    episode = tree.episodes[0]
    old = url_of(episode)
    other = SeriesPageFactory(parent=tree.campaign, slug="other", planned_episodes=3)
    assert client.get(old).status_code == 200
    episode.move(other, pos="last-child")
    new = url_of(episode)
    moved = client.get(old)
    # Wagtail's redirects app leaves a permanent redirect at the old path on a move.
    assert moved.status_code == 404 or (moved.status_code == 301 and moved["Location"] == new)
    assert client.get(new).status_code == 200


def test_unpublished_and_deleted_pages_are_gone(client):
    tree = build_site_tree()
    first, second = tree.episodes[0], tree.episodes[1]
    urls = [url_of(first), url_of(second)]
    for url in urls:
        assert client.get(url).status_code == 200
    first.unpublish()
    second.delete()
    for url in urls:
        assert client.get(url).status_code == 404


def test_a_view_restriction_applies_to_a_cached_path(client):
    tree = build_site_tree()
    url = url_of(tree.story)
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(
        page=tree.story_index, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(url)
    assert response.status_code == 401 or "password" in response.content.decode().lower()
    assert "xiaoyu" not in response.get("Location", "")


def test_routes_of_a_page_work_through_the_cache(client):
    """`feed/…` and `embed/` of a page reached through a cached path."""
    tree = build_site_tree()
    series = url_of(tree.series)
    for _ in range(2):
        assert client.get(series).status_code == 200
        assert client.get(series + "feed/rss/").status_code == 200
        assert client.get(series + "embed/").status_code == 200
        assert client.get(series + "no-such-route/").status_code == 404


def test_process_copies_answer_when_the_shared_cache_lost_them(client, settings):
    """With the copies on, fragments, restricted paths and resolved paths survive the
    shared cache being emptied while the content version holds; a bump makes new keys."""
    settings.KEPT_CACHE_ENTRIES = 500
    tree = build_site_tree()
    url = url_of(tree.episodes[1])
    warm = warm_queries(client, url)
    kept_version = cache.get("syndication:content-version")
    cache.clear()
    cache.set("syndication:content-version", kept_version, None)
    response, count = queries_of(client, url)
    assert response.status_code == 200
    # Only what has no content version in its key is read again: the conversion settings
    # and rules, the site terms, Wagtail's site root paths.
    assert count <= warm + 4
    tree.episodes[1].title = "改过的标题"
    tree.episodes[1].save_revision().publish()
    assert "改过的标题" in client.get(url).content.decode()


def test_copies_are_bounded(settings):
    settings.KEPT_CACHE_ENTRIES = 3
    for n in range(10):
        keptcache.set(f"test:kept:{n}", n, 60)
    cache.clear()
    assert [keptcache.get(f"test:kept:{n}") for n in range(10)] == [None] * 7 + [7, 8, 9]


def test_one_public_read_asks_the_shared_state_once(client, monkeypatch):
    """The content version and the conversion configuration: one round trip per request,
    however many fragments and checks read them."""
    tree = build_site_tree()
    url = url_of(tree.episodes[1], "/zh-hant/")
    client.get(url)
    asked = []
    inside_many = []
    backend = caches["default"]
    original_get, original_get_many = backend.get, backend.get_many

    def get(key, *args, **kwargs):
        if not inside_many:  # the memory cache's get_many asks get() per key
            asked.append(key)
        return original_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        asked.extend(keys)
        inside_many.append(True)
        try:
            return original_get_many(keys, *args, **kwargs)
        finally:
            inside_many.pop()

    monkeypatch.setattr(backend, "get", get)
    monkeypatch.setattr(backend, "get_many", get_many)
    assert client.get(url).status_code == 200
    for key in ("syndication:content-version", "scripts:site-config:v2", "scripts:site-terms:v1"):
        assert asked.count(key) <= 1, (key, asked.count(key))
