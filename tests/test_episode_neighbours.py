"""Previous and next episode (issue 11, point 3): the nearest public episode below and above
in number, found by two indexed queries, not by loading the series; right at both ends, across
gaps in the numbering and around unpublished episodes, in both scripts, with as many queries
for an episode among 3 siblings as among 30."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from .factories import EpisodePageFactory, build_site_tree

pytestmark = pytest.mark.django_db

PREFIXES = ("/zh-hans/", "/zh-hant/")


def url_of(page, prefix):
    return prefix + page.url_path[len("/home/") :]


def pager(client, page, prefix="/zh-hans/"):
    """(previous URL, next URL) as the episode's pager links them."""
    html = client.get(url_of(page, prefix)).content.decode()
    previous = re.search(r'class="pager-prev" rel="prev" href="([^"]+)"', html)
    following = re.search(r'class="pager-next" rel="next" href="([^"]+)"', html)
    return (previous and previous.group(1), following and following.group(1))


@pytest.fixture
def gappy_series():
    """Episodes numbered 1, 2, 5, 7 and 9 (planned 10), the 7th not published."""
    tree = build_site_tree()
    tree.series.planned_episodes = 10
    tree.series.save()
    for page in tree.episodes[2:]:
        page.delete()
    numbered = {1: tree.episodes[0], 2: tree.episodes[1]}
    for number in (5, 7, 9):
        numbered[number] = EpisodePageFactory(
            parent=tree.series, slug=f"ep-{number}", title=f"第{number}集", number=number
        )
    numbered[7].unpublish()
    tree.numbered = numbered
    return tree


@pytest.mark.parametrize("prefix", PREFIXES)
def test_neighbours_at_the_ends_and_across_gaps(client, gappy_series, prefix):
    ep = gappy_series.numbered

    def url(number):
        return url_of(ep[number], prefix)

    assert pager(client, ep[1], prefix) == (None, url(2))
    assert pager(client, ep[2], prefix) == (url(1), url(5))
    # 3 and 4 were never made, 7 is unpublished: skipped.
    assert pager(client, ep[5], prefix) == (url(2), url(9))
    assert pager(client, ep[9], prefix) == (url(5), None)


def test_pager_names_the_neighbours_number(client, gappy_series):
    html = client.get(url_of(gappy_series.numbered[5], "/zh-hant/")).content.decode()
    assert "上一集 · 第 2 集" in html
    assert "下一集 · 第 9 集" in html
    assert "第 5 集 / 共 10 集" in html


def test_total_without_a_planned_count_is_the_public_episodes(client, gappy_series):
    gappy_series.series.planned_episodes = None
    gappy_series.series.save()
    html = client.get(url_of(gappy_series.numbered[5], "/zh-hans/")).content.decode()
    assert "第 5 集 / 共 4 集" in html


def render_queries(client, page, prefix):
    url = url_of(page, prefix)
    client.get(url)  # warm the site-wide caches, as in production
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@override_settings(TONGXIN_PAGE_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0)
def test_queries_flat_with_3_or_30_siblings(client):
    tree = build_site_tree()
    tree.series.planned_episodes = 30
    tree.series.save()
    middle = tree.episodes[1]
    small = {prefix: render_queries(client, middle, prefix) for prefix in PREFIXES}
    for number in range(4, 31):
        EpisodePageFactory(parent=tree.series, slug=f"ep-{number}", title=f"第{number}集")
    large = {prefix: render_queries(client, middle, prefix) for prefix in PREFIXES}
    for prefix in PREFIXES:
        assert len(large[prefix]) == len(small[prefix]), prefix
        # No query lists the series' episodes without a LIMIT.
        for sql in large[prefix]:
            if "campaigns_episodepage" in sql and '"number"' in sql and "ORDER BY" in sql:
                assert "LIMIT 1" in sql, sql
