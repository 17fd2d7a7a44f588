"""What readers see of a story and of the story index, in both renditions.

A story shows its pseudonym followed by 化名, the age in 岁, the gender when given, the
region (county at most), its circumstances, what support was given and the story itself.
The story index filters by region and circumstance (`?region=`, `?circumstance=`).

Decision on scripts: filtering is script-insensitive. Values are compared folded to
simplified characters, so a story written in traditional characters (青雲縣, 農村留守兒童)
and one written in simplified (青云县, 农村留守儿童) make one option each, and either form
in the query string finds both. Unknown or odd values give an empty list, never an error.
"""

import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import HomePageFactory, StoryIndexPageFactory, StoryPageFactory, paragraph


@pytest.fixture
def site(db):
    home = HomePageFactory()
    index = StoryIndexPageFactory(parent=home, slug="gushi")
    xiaoyu = StoryPageFactory(
        parent=index,
        slug="xiaoyu",
        title="小雨的新书包",
        pseudonym="小雨",
        age=9,
        region="青云县",
        circumstances=["农村留守儿童", "困境儿童"],
        support="每月生活补贴和一对一学业辅导。",
        body=paragraph("小雨和奶奶住在山里，每天走一个小时的山路去上学。"),
    )
    ahua = StoryPageFactory(
        parent=index,
        slug="ahua",
        title="阿華的畫",
        script="hant",
        pseudonym="阿華",
        age=11,
        gender="男",
        region="青雲縣",
        circumstances=["農村留守兒童"],
        support="美術老師每週上門輔導。",
        body=paragraph("阿華喜歡畫畫，他的畫掛在教室後牆上。"),
    )
    dandan = StoryPageFactory(
        parent=index,
        slug="dandan",
        title="丹丹的轮椅",
        pseudonym="丹丹",
        age=None,
        gender="",
        region="白沙县",
        circumstances=["残疾儿童", "孤儿"],
        support="",
        body=paragraph("丹丹有了一辆新轮椅。"),
    )
    return SimpleNamespace(home=home, index=index, xiaoyu=xiaoyu, ahua=ahua, dandan=dandan)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def facts(soup):
    """{dt: dd text} of the story's facts list."""
    box = soup.select_one("dl.story-facts")
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in box.find_all("dt")
    }


def text_of(soup):
    return soup.get_text(" ", strip=True)


# --- the story page ---------------------------------------------------------------------------


def test_story_page_in_simplified(client, site):
    soup = page(client, "/zh-hans/gushi/xiaoyu/")
    shown = facts(soup)
    assert shown["孩子"] == "小雨（化名）"
    assert shown["年龄"] == "9 岁"
    assert shown["性别"] == "女"
    assert shown["地区"] == "青云县"
    assert shown["困境类型"].split() == ["农村留守儿童", "困境儿童"]
    support = soup.select_one("section.support")
    assert support.h2.get_text(strip=True) == "获得的帮助"
    assert "每月生活补贴和一对一学业辅导。" in support.get_text()
    assert "每天走一个小时的山路去上学" in soup.select_one("article .body").get_text()
    assert "“小雨”为化名" in text_of(soup)
    assert soup.h1.get_text(strip=True) == "小雨的新书包"


def test_story_page_in_traditional(client, site):
    soup = page(client, "/zh-hant/gushi/xiaoyu/")
    shown = facts(soup)
    assert shown["孩子"] == "小雨（化名）"
    assert shown["年齡"] == "9 歲"
    assert shown["地區"] == "青雲縣"
    assert shown["困境類型"].split() == ["農村留守兒童", "困境兒童"]
    assert "每月生活補貼和一對一學業輔導。" in soup.select_one("section.support").get_text()
    assert "獲得的協助" in soup.select_one("section.support").h2.get_text()
    assert soup.h1.get_text(strip=True) == "小雨的新書包"


def test_story_written_in_traditional_reads_in_both_scripts(client, site):
    hant = facts(page(client, "/zh-hant/gushi/ahua/"))
    assert hant["孩子"] == "阿華（化名）"
    assert hant["年齡"] == "11 歲"
    assert hant["性別"] == "男"
    assert hant["地區"] == "青雲縣"
    hans_soup = page(client, "/zh-hans/gushi/ahua/")
    hans = facts(hans_soup)
    assert hans["孩子"] == "阿华（化名）"
    assert hans["年龄"] == "11 岁"
    assert hans["地区"] == "青云县"
    assert hans["困境类型"] == "农村留守儿童"
    assert "美术老师每周上门辅导。" in hans_soup.select_one("section.support").get_text()


def test_age_gender_and_support_are_left_out_when_not_given(client, site):
    soup = page(client, "/zh-hans/gushi/dandan/")
    shown = facts(soup)
    assert shown["孩子"] == "丹丹（化名）"
    assert "年龄" not in shown and "性别" not in shown
    assert soup.select_one("section.support") is None
    assert "岁" not in soup.select_one("dl.story-facts").get_text()


@pytest.mark.parametrize(
    ("script", "label"), [("zh-hans", "小雨（化名），9 岁"), ("zh-hant", "小雨（化名），9 歲")]
)
def test_cards_show_the_pseudonym_with_hua_ming(client, site, script, label):
    for url in (f"/{script}/gushi/", f"/{script}/"):
        cards = page(client, url).select("article.card")
        metas = [
            c.select_one(".card-meta").get_text(" ", strip=True)
            for c in cards
            if c.select_one(".card-meta")
        ]
        assert any(label in meta for meta in metas), (url, metas)


# --- the index and its filters -----------------------------------------------------------------


def card_slugs(soup):
    return sorted(
        re.search(r"/gushi/([\w-]+)/$", a["href"]).group(1)
        for a in soup.select("article.card .card-title a")
    )


def options(soup, name):
    select = soup.select_one(f"select[name={name}]")
    return [(o["value"], o.get_text(strip=True)) for o in select.find_all("option") if o["value"]]


def test_index_lists_every_story_and_offers_each_value_once(client, site):
    soup = page(client, "/zh-hans/gushi/")
    assert card_slugs(soup) == ["ahua", "dandan", "xiaoyu"]
    # 青雲縣 (traditional story) and 青云县 are one region.
    assert options(soup, "region") == [("白沙县", "白沙县"), ("青云县", "青云县")]
    assert options(soup, "circumstance") == [
        ("孤儿", "孤儿"),
        ("农村留守儿童", "农村留守儿童"),
        ("困境儿童", "困境儿童"),
        ("残疾儿童", "残疾儿童"),
    ]


def test_index_options_read_in_the_traditional_rendition(client, site):
    soup = page(client, "/zh-hant/gushi/")
    # Values stay the simplified keys (URLs are not converted); labels are converted.
    assert options(soup, "region") == [("白沙县", "白沙縣"), ("青云县", "青雲縣")]
    assert ("农村留守儿童", "農村留守兒童") in options(soup, "circumstance")


@pytest.mark.parametrize("script", ["zh-hans", "zh-hant"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "青云县"}, ["ahua", "xiaoyu"]),
        ({"region": "青雲縣"}, ["ahua", "xiaoyu"]),
        ({"region": " 白沙县 "}, ["dandan"]),
        ({"circumstance": "农村留守儿童"}, ["ahua", "xiaoyu"]),
        ({"circumstance": "農村留守兒童"}, ["ahua", "xiaoyu"]),
        ({"circumstance": "孤儿"}, ["dandan"]),
        ({"region": "青云县", "circumstance": "困境儿童"}, ["xiaoyu"]),
        ({"region": "白沙县", "circumstance": "困境儿童"}, []),
        ({"region": "", "circumstance": ""}, ["ahua", "dandan", "xiaoyu"]),
    ],
)
def test_index_filters(client, site, script, query, expected):
    soup = page(client, f"/{script}/gushi/?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert card_slugs(soup) == expected
    count = soup.select_one(".result-count").get_text(strip=True)
    assert str(len(expected)) in count


@pytest.mark.parametrize(
    "query",
    [
        "region=火星县",
        "circumstance=不存在",
        "region=" + "县" * 5000,
        "region=%00%01",
        "region=a&region=b&circumstance=%E5",
        "circumstance=%ZZ",
        "region[]=x",
        "page=1&region=<script>alert(1)</script>",
    ],
)
def test_unknown_or_odd_filter_values_give_an_empty_list_not_an_error(client, site, query):
    response = client.get(f"/zh-hans/gushi/?{query}")
    assert response.status_code == 200, query
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    soup = BeautifulSoup(body, "html.parser")
    if "region[]" not in query:
        assert card_slugs(soup) == []
        assert soup.select_one(".empty") is not None


def test_a_page_number_that_does_not_exist_is_not_found_and_echoes_nothing(client, site):
    response = client.get("/zh-hans/gushi/?page=-1&region=<script>alert(1)</script>")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_selected_option_is_marked(client, site):
    soup = page(client, "/zh-hant/gushi/?region=青雲縣")
    selected = soup.select_one("select[name=region] option[selected]")
    assert selected["value"] == "青云县"
    assert soup.select_one('a[href="/zh-hant/gushi/"]') is not None  # clear the filter


def test_index_query_count_does_not_grow_with_stories(client, site):
    """One query per kind of thing, whatever the number of stories (identities included:
    consent is a join, not a query per story). A query string keeps the page cache out."""

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/zh-hans/gushi/?region=").status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        StoryPageFactory(parent=site.index, slug=f"more-{n}", region=f"县{n}")
    assert count() == few
