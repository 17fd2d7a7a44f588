"""Index pages page through everything they list (`?page=N`), with numbered links and
rel="prev"/rel="next" in the head: the oldest item is reachable, bad page numbers are 404,
and a page costs as many queries however long the listing grows."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import models as campaign_models
from tongxin.core import paginate

from .factories import EpisodePageFactory, NewsPageFactory, SeriesPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db
PREFIXES = ("/zh-hans/", "/zh-hant/")
NEXT_RE = re.compile(r'<link rel="next" href="([^"]+)">')
PREV_RE = re.compile(r'<link rel="prev" href="([^"]+)">')


def day(n):
    return timezone.make_aware(datetime.datetime(2025, 1, 1) + datetime.timedelta(days=n))


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paginate, "PER_PAGE", 4)
    monkeypatch.setattr(campaign_models, "EPISODES_PER_PAGE", 3)


def walk(client, url):
    """Follow rel="next" from `url`; the pages' HTML, in order."""
    pages, seen = [], set()
    while url:
        assert url not in seen
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        pages.append(html)
        found = NEXT_RE.search(html)
        url = unescape(found.group(1)) if found else None
    return pages


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_news_index_reaches_its_oldest_item(client, site_tree, small_pages, prefix):
    items = [
        NewsPageFactory(parent=site_tree.news_index, slug=f"n{n}", date=day(n)) for n in range(10)
    ]
    pages = walk(client, f"{prefix}xinwen/")
    assert len(pages) == 3  # 11 items (the tree's own news too), 4 a page
    listed = [re.findall(r'href="([^"]*/xinwen/n\d+/)"', html) for html in pages]
    flat = [link for page in listed for link in dict.fromkeys(page)]
    assert len(flat) == len(set(flat)) == 10
    assert flat[0].endswith("/n9/") and flat[-1].endswith("/n0/")  # newest first, oldest last
    assert all(len(page) for page in listed)
    # Numbered links, the current page marked; the last page links back.
    assert 'aria-current="page">2<' in client.get(f"{prefix}xinwen/?page=2").content.decode()
    assert PREV_RE.search(pages[-1]).group(1) == f"/{prefix.strip('/')}/xinwen/?page=2"
    assert PREV_RE.search(pages[1]).group(1) == f"/{prefix.strip('/')}/xinwen/"
    assert not PREV_RE.search(pages[0])
    assert items


def test_the_story_index_pages_filtered_results_keeping_the_filter(client, site_tree, small_pages):
    for n in range(9):
        StoryPageFactory(
            parent=site_tree.story_index,
            slug=f"s{n}",
            date=day(n),
            region="青云县" if n % 2 else "白溪县",
        )
    pages = walk(client, "/zh-hans/gushi/?region=青云县")
    assert len(pages) == 2  # 4 odd stories + the tree's own (青云县): 5
    slugs = [s for html in pages for s in dict.fromkeys(re.findall(r"/gushi/(s\d+)/", html))]
    assert slugs == ["s7", "s5", "s3", "s1"]
    assert "region=" in NEXT_RE.search(pages[0]).group(1)
    assert "找到 5 个故事" in pages[0]
    everything = walk(client, "/zh-hans/gushi/")
    found = {s for html in everything for s in re.findall(r"/gushi/(s\d+)/", html)}
    assert found == {f"s{n}" for n in range(9)}


def test_a_series_lists_every_episode_and_planned_number_once(client, site_tree, small_pages):
    series = SeriesPageFactory(parent=site_tree.campaign, slug="long", planned_episodes=12)
    for number in (1, 2, 3, 4, 6, 7, 8, 9):
        EpisodePageFactory(parent=series, slug=f"e{number}", number=number, title=f"标题{number}")
    pages = walk(client, "/zh-hans/qingyun/long/")
    assert len(pages) == 3
    shown = [
        int(n)
        for html in pages
        for n in re.findall(r'<span class="episode-number">第 (\d+) 集</span>', html)
    ]
    assert sorted(shown) == list(range(1, 13)) and len(shown) == 12
    assert "已播出 8 集" in pages[0]


@pytest.mark.parametrize(
    "value", ["abc", "-1", "0", "99999", "1.5", "", "%20", "１", "9" * 40, "2&page=3"]
)
def test_bad_page_numbers_are_404_never_500(client, site_tree, small_pages, value):
    client.raise_request_exception = False
    for path in ("/zh-hans/xinwen/", "/zh-hant/gushi/", "/zh-hans/qingyun/series/"):
        response = client.get(f"{path}?page={value}")
        if value in ("", "2&page=3"):
            assert response.status_code in (200, 404), path
        else:
            assert response.status_code == 404, (path, value)


def test_page_one_and_an_empty_listing_answer_200(client, site_tree, small_pages):
    assert client.get("/zh-hans/xinwen/?page=1").status_code == 200
    site_tree.story.unpublish()
    response = client.get("/zh-hans/gushi/")
    assert response.status_code == 200
    assert not NEXT_RE.search(response.content.decode())


def count_queries(client, url):
    client.get(url)  # warm the site-wide caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_COOKIE="x=1").status_code == 200
    return len(queries)


def test_a_page_of_a_listing_costs_the_same_queries_as_it_grows(client, site_tree, small_pages):
    for n in range(9):
        NewsPageFactory(parent=site_tree.news_index, slug=f"a{n}", date=day(n))
    before = count_queries(client, "/zh-hans/xinwen/?page=2")
    for n in range(9):
        NewsPageFactory(parent=site_tree.news_index, slug=f"b{n}", date=day(20 + n))
    assert count_queries(client, "/zh-hans/xinwen/?page=2") == before
