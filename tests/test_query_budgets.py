"""Query budgets of the public pages (issue 2, point 9).

Every public page type, in both scripts, renders without any cache in at most BUDGET SQL
queries (Wagtail's bakerydemo home page makes 43), and in exactly as many on a small site
(`build_site_tree`: a series of three episodes) as after the site grows: the series to thirty
episodes, thirty stories in a story index of the campaign and more under the home page's,
more news in both news lists, a second campaign. A count that moves with the content is a
query per item somewhere. Answers from the page cache are counted the same way.

Some bodies carry an image in both states, so the cards' lead images and their renditions are
part of what is counted. On failure the message lists the queries, with a diff of the two
states when the count moved, so a regression names its own culprit.
"""

import difflib
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from tongxin.core.visibility import without_view_restrictions as public_pages

from .factories import (
    CampaignPageFactory,
    EpisodePageFactory,
    ImageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    build_site_tree,
)

pytestmark = pytest.mark.django_db

# A render from scratch also fills the site-wide caches every later render reads: the
# conversion configuration (variant, rules, quotes setting), the names the site holds
# (bylines, credits, pseudonyms, organisations: tongxin.scripts.site_terms) and the next
# moment something expires (tongxin.core.visibility.next_change), ten queries in all.
BUDGET = 23
# An uncached render in production finds those caches and the site-wide fragments (menu,
# breadcrumbs, donation banner: tongxin.core.fragments) warm: routing, the page's own
# visibility, and what the page itself lists.
WARM_BUDGET = 13
# A cache hit is answered right after WhiteNoise, before sessions and routing
# (tongxin.core.pagecache): one cache round trip and no query, stories included.
HIT_BUDGET = 0
PREFIXES = ("/zh-hans/", "/zh-hant/")

# Page type → the page measured, picked from the tree in either state. The middle and the
# last episode are picked anew after growth: the 2nd and 3rd of three, the 16th and 30th of 30.
TARGETS = {
    "HomePage": lambda tree: tree.home,
    "CampaignPage": lambda tree: tree.campaign,
    "SeriesPage": lambda tree: tree.series,
    "EpisodePage (middle)": lambda tree: tree.episodes[len(tree.episodes) // 2],
    "EpisodePage (last)": lambda tree: tree.episodes[-1],
    "FundLaunchEventPage": lambda tree: tree.fund_launch,
    "NewsIndexPage": lambda tree: tree.news_index,
    "NewsPage": lambda tree: tree.news,
    "StoryIndexPage": lambda tree: tree.story_index,
    "StoryPage": lambda tree: tree.story,
}


# --------------------------------------------------------------------------- the two sites


def with_image(text, image):
    return [
        ("paragraph", RichText(f"<p>{text}</p>")),
        (
            "image",
            {"image": image, "alt": "插画", "caption": "", "credit": "", "consent": "illustrative"},
        ),
    ]


def small_site():
    """`build_site_tree()`, with an image in the bodies of the story, the news and the fund
    launch: the home page, the campaign and both indexes show card images from the start."""
    tree = build_site_tree()
    tree.image = ImageFactory()
    for page in (tree.story, tree.news, tree.fund_launch):
        page.body = with_image("正文。", tree.image)
        page.save()
    return tree


def grow(tree):
    """The same site with many more pages under the ones measured. Every other new story and
    news has a card image, the newest of each kind among them."""
    tree.series.planned_episodes = 30
    tree.series.save()
    for n in range(4, 31):
        episode = EpisodePageFactory(parent=tree.series, slug=f"ep-{n}", title=f"第{n}集")
        tree.episodes.append(episode)

    def image(n, text):
        return {"body": with_image(text, tree.image)} if n % 2 else {}

    campaign_stories = StoryIndexPageFactory(parent=tree.campaign, slug="campaign-stories")
    campaign_news = NewsIndexPageFactory(parent=tree.campaign, slug="campaign-news")
    for n in range(30):
        StoryPageFactory(
            parent=campaign_stories,
            slug=f"campaign-story-{n}",
            region=f"青云县{n % 7}镇",
            **image(n, "小雨和奶奶住在山里。"),
        )
    for n in range(12):
        StoryPageFactory(
            parent=tree.story_index, slug=f"story-{n}", region=f"县{n}", **image(n, "新书包。")
        )
        NewsPageFactory(parent=campaign_news, slug=f"campaign-news-{n}", **image(n, "新闻。"))
        NewsPageFactory(parent=tree.news_index, slug=f"news-{n}", **image(n, "新闻。"))
    CampaignPageFactory(parent=tree.home, slug="second-campaign")
    return tree


# --------------------------------------------------------------------------- measuring


def url_of(page, prefix):
    return prefix + page.url_path[len("/home/") :]


def clear_all_caches():
    for cache in caches.all():
        cache.clear()


def request(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, [query["sql"] for query in captured.captured_queries]


def measure(client, page, prefix):
    """(queries of an uncached render, queries of the page-cache hit that follows).

    The page cache (tongxin.core.pagecache) keys a render by URL, script, content state and
    conversion rules; emptying every cache before the request
    makes it a miss whatever the key, and empties the other caches a render reads too (the
    conversion configuration, the content version, Wagtail's site root paths): the render is
    measured from scratch. A request before that generates the image renditions, which is
    done once per image and size, not per render.
    """
    url = url_of(page, prefix)
    client.get(url)
    clear_all_caches()
    miss, miss_queries = request(client, url)
    assert not getattr(miss, "tongxin_cached", False), f"{url}: not a cache miss"
    hit, hit_queries = request(client, url)
    assert getattr(hit, "tongxin_cached", False), f"{url}: the render was not cached"
    assert hit.content == miss.content
    return miss_queries, hit_queries


def normalised(sql):
    """SQL without the values that differ between the two sites (ids, paths, IN lists)."""
    sql = re.sub(r"'(?:[^']|'')*'", "'…'", sql)
    sql = re.sub(r"\b\d+\b", "#", sql)
    return re.sub(r"IN \((?:#, )*#\)", "IN (…)", sql)


def short(sql):
    """The SQL with long column lists cut to their first two columns."""

    def columns(match):
        names = match.group(1).split(", ")
        if len(match.group(1)) <= 120:
            return match.group(0)
        return f"SELECT {', '.join(names[:2])}, … ({len(names)} columns) FROM"

    return re.sub(r"SELECT ((?:(?!SELECT|FROM).)+) FROM", columns, sql)


def listed(queries):
    return "\n".join(f"{n:3}. {short(sql)}" for n, sql in enumerate(queries, 1))


def moved(small, large):
    diff = difflib.unified_diff(
        [short(normalised(sql)) for sql in small],
        [short(normalised(sql)) for sql in large],
        "small site",
        "grown site",
        lineterm="",
        n=1,
    )
    return "\n".join(diff)


# --------------------------------------------------------------------------- the budgets


@pytest.mark.parametrize("page_type", TARGETS)
def test_query_count_within_budget_and_flat(client, page_type):
    """An uncached render stays within BUDGET queries and makes as many on the grown site as
    on the small one, in both scripts; so does the page-cache hit, within HIT_BUDGET."""
    tree = small_site()
    small = {prefix: measure(client, TARGETS[page_type](tree), prefix) for prefix in PREFIXES}
    grow(tree)
    large = {prefix: measure(client, TARGETS[page_type](tree), prefix) for prefix in PREFIXES}

    for prefix in PREFIXES:
        for state, (miss, hit) in (("small", small[prefix]), ("grown", large[prefix])):
            where = f"{page_type} {prefix} ({state} site)"
            assert len(miss) <= BUDGET, (
                f"{where}: {len(miss)} queries, budget {BUDGET}:\n{listed(miss)}"
            )
            assert len(hit) <= HIT_BUDGET, (
                f"{where}, cached: {len(hit)} queries, budget {HIT_BUDGET}:\n{listed(hit)}"
            )
        (small_miss, small_hit), (large_miss, large_hit) = small[prefix], large[prefix]
        assert len(large_miss) == len(small_miss), (
            f"{page_type} {prefix}: {len(small_miss)} queries on the small site, "
            f"{len(large_miss)} on the grown one:\n{moved(small_miss, large_miss)}\n\n"
            f"grown site:\n{listed(large_miss)}"
        )
        assert len(large_hit) == len(small_hit), (
            f"{page_type} {prefix}, cached: {len(small_hit)} queries on the small site, "
            f"{len(large_hit)} on the grown one:\n{moved(small_hit, large_hit)}\n\n"
            f"grown site:\n{listed(large_hit)}"
        )


def test_both_scripts_cost_the_same(client):
    """The traditional rendition is a conversion of the same render: no query of its own."""
    tree = small_site()
    for page_type, pick in TARGETS.items():
        hans, hant = (measure(client, pick(tree), prefix)[0] for prefix in PREFIXES)
        assert len(hant) == len(hans), f"{page_type}:\n{moved(hans, hant)}"


def test_private_sections_stay_out_of_listings(client):
    """Listings filter view restrictions in their own query (`public_pages`), and hide
    exactly what Wagtail's `public()` hides: restricted pages and everything under them."""
    tree = small_site()
    notice = NewsPageFactory(parent=tree.news_index, slug="notice", title="内部通知")
    PageViewRestriction.objects.create(page=notice, restriction_type="password", password="x")
    private = StoryIndexPageFactory(parent=tree.campaign, slug="private-stories")
    StoryPageFactory(parent=private, slug="private-story", title="不公开的故事")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    pages = Page.objects.all()
    assert set(public_pages(pages)) == set(pages.public())
    assert notice.pk not in {page.pk for page in public_pages(pages)}
    for page in (tree.home, tree.campaign, tree.news_index):
        for prefix in PREFIXES:
            html = client.get(url_of(page, prefix)).content.decode()
            assert "内部通知" not in html and "內部通知" not in html
            assert "不公开的故事" not in html and "不公開的故事" not in html
    # The public news beside them is still listed.
    assert tree.news.title in client.get(url_of(tree.news_index, "/zh-hans/")).content.decode()


@pytest.mark.parametrize("page_type", TARGETS)
def test_warm_uncached_render_within_budget_and_flat(client, settings, page_type):
    """With the page cache off and the site-wide caches warm (as every uncached render in
    production finds them), a render stays within WARM_BUDGET and flat as the site grows."""
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0
    tree = small_site()

    def warm(prefix):
        url = url_of(TARGETS[page_type](tree), prefix)
        client.get(url)
        return request(client, url)[1]

    small = {prefix: warm(prefix) for prefix in PREFIXES}
    grow(tree)
    large = {prefix: warm(prefix) for prefix in PREFIXES}
    for prefix in PREFIXES:
        where = f"{page_type} {prefix}"
        assert len(small[prefix]) <= WARM_BUDGET, f"{where}:\n{listed(small[prefix])}"
        assert len(large[prefix]) == len(small[prefix]), (
            f"{where}:\n{moved(small[prefix], large[prefix])}"
        )
