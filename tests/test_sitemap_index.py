"""`/sitemap.xml` is a sitemap index: its files together list every public page in both
renditions with hreflang alternates, and nothing the public may not see (drafts, private
pages, expired pages, stories without consent for the web). Files are cached under the
content state (a publish shows at once) and cost a constant number of queries."""

import datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tongxin.core import sitemaps

from .factories import NewsPageFactory, StoryIdentityFactory, StoryPageFactory
from .sitemap_urls import NS, sitemap_entries, sitemap_files

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def renditions(page, home):
    path = page.url_path[len(home.url_path) :]
    return f"{BASE}/zh-hans/{path}", f"{BASE}/zh-hant/{path}"


def test_the_index_lists_every_public_page_in_both_renditions(client, site_tree):
    entries = sitemap_entries(client)
    public = Page.objects.live().descendant_of(site_tree.home, inclusive=True)
    assert len(entries) == 2 * public.count()
    for page in public:
        hans, hant = renditions(page, site_tree.home)
        for loc in (hans, hant):
            assert entries[loc] == {"zh-hans": hans, "zh-hant": hant, "x-default": hans}


def test_hidden_pages_are_in_no_file(client, site_tree):
    today = timezone.localdate()
    draft = NewsPageFactory(parent=site_tree.news_index, slug="draft", live=False)
    expired = NewsPageFactory(
        parent=site_tree.news_index,
        slug="expired",
        expire_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    private = NewsPageFactory(parent=site_tree.news_index, slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    lapsed = StoryPageFactory(parent=site_tree.story_index, slug="lapsed", identity=None)
    StoryIdentityFactory(story=lapsed, consent_expires_on=today - datetime.timedelta(days=1))
    partners_only = StoryPageFactory(parent=site_tree.story_index, slug="noweb", identity=None)
    StoryIdentityFactory(story=partners_only, consent_web=False)
    text = "\n".join(sitemap_entries(client))
    assert "/xinwen/launch/" in text and "/gushi/xiaoyu/" in text
    for page in (draft, expired, private, lapsed, partners_only):
        assert f"/{page.slug}/" not in text, page.slug


def test_sections_are_split_into_files_that_together_list_everything(
    client, site_tree, monkeypatch
):
    monkeypatch.setattr(sitemaps.PageSitemap, "limit", 2)
    for n in range(4):
        NewsPageFactory(parent=site_tree.news_index, slug=f"more-{n}")
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locs = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert f"{BASE}/sitemap-news.xml" in locs and f"{BASE}/sitemap-news.xml?p=3" in locs
    entries = sitemap_entries(client)
    for n in range(4):
        assert f"{BASE}/zh-hant/xinwen/more-{n}/" in entries
    assert client.get("/sitemap-news.xml?p=4").status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404
    client.raise_request_exception = False
    for bad in ("abc", "0", "-1", "99999"):
        assert client.get(f"/sitemap-news.xml?p={bad}").status_code == 404


def test_files_are_cached_with_cache_control_and_follow_a_publish(client, site_tree):
    for response in [client.get("/sitemap.xml"), *sitemap_files(client)]:
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
        assert response["Content-Type"].startswith("application/xml")
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap.xml")
        client.get("/sitemap-news.xml")
    assert len(queries) == 0
    fresh = NewsPageFactory(parent=site_tree.news_index, slug="fresh", live=False)
    assert f"{BASE}/zh-hans/xinwen/fresh/" not in sitemap_entries(client)
    fresh.save_revision().publish()  # as the editor's button does
    assert f"{BASE}/zh-hans/xinwen/fresh/" in sitemap_entries(client)
    Page.objects.get(pk=fresh.pk).specific.unpublish()
    assert f"{BASE}/zh-hans/xinwen/fresh/" not in sitemap_entries(client)


def count(client, url):
    from django.core.cache import cache

    cache.clear()
    client.get(url)  # the site-wide settings rows and caches
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_file_costs_the_same_queries_however_many_pages(client, site_tree):
    before = {url: count(client, url) for url in ("/sitemap.xml", "/sitemap-story.xml")}
    for n in range(15):
        StoryPageFactory(parent=site_tree.story_index, slug=f"s-{n}")
        NewsPageFactory(parent=site_tree.news_index, slug=f"n-{n}")
    after = {url: count(client, url) for url in before}
    assert after == before
