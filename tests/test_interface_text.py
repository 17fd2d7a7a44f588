"""Readers of the traditional rendition meet Taiwan interface wording (搜尋, 預設字級, 影片,
程式碼, 貼上, 點選) from the zh_Hant catalogue, not the mainland wording a character
conversion of the simplified interface gives; the simplified rendition is unchanged, and the
converter leaves the catalogue's text as written."""

import re

import pytest
from django.test import override_settings

from tests.factories import build_site_tree

# Mainland interface wording a character conversion produced (issue 16, point 6).
MAINLAND = [
    *("搜索", "默認字號", "視頻", "信息", "代碼", "粘貼", "點擊"),
    *("打開", "主導航", "當前位置", "鏈接", "數據庫"),
]
MARKERS = re.compile("[\ue000-\ue002]")


@pytest.fixture
def tree(db):
    return build_site_tree()


def pages(tree):
    return {
        "home": tree.home,
        "campaign": tree.campaign,
        "series": tree.series,
        "episode": tree.episodes[0],
        "fund launch": tree.fund_launch,
        "news index": tree.news_index,
        "news": tree.news,
        "story index": tree.story_index,
        "story": tree.story,
    }


def url(page, language):
    """The page's path in `language`, whichever language a previous request left active."""
    return re.sub(r"^/zh-han[st]/", f"/{language}/", page.get_url())


def get(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    return response.content.decode()


@pytest.fixture
def hant(client, tree):
    return {name: get(client, url(page, "zh-hant")) for name, page in pages(tree).items()}


def test_every_page_type_speaks_taiwan_usage(hant):
    for name, html in hant.items():
        assert "搜尋" in html, name
        assert "（預設字級）" in html, name
        assert 'aria-label="主要導覽"' in html, name
        for word in MAINLAND:
            assert word not in html, (name, word)
        assert not MARKERS.search(html), name


def test_catalogue_text_on_each_page(hant):
    assert "觀看影片" in hant["episode"]
    assert "嵌入程式碼" in hant["campaign"]
    assert "貼上到自己的網頁中" in hant["campaign"] and "點選後開啟本站原文" in hant["campaign"]
    assert "篩選" in hant["story index"]
    assert "為保護兒童，文中「" in hant["story"]
    assert "關鍵數字" in hant["campaign"] or "主協辦單位" in hant["campaign"]
    assert "每年挹注" in hant["fund launch"]


def test_simplified_rendition_is_unchanged(client, tree):
    html = get(client, url(tree.episodes[0], "zh-hans"))
    assert "搜索" in html and "（默认字号）" in html and "观看视频" in html
    assert 'aria-label="主导航"' in html and "跳到正文" in html
    assert "搜尋" not in html and "影片" not in html
    assert not MARKERS.search(html)
    campaign = get(client, url(tree.campaign, "zh-hans"))
    assert "嵌入代码" in campaign and "粘贴" in campaign and "点击后打开本站原文" in campaign


def test_article_text_still_goes_through_the_converter(client, tree):
    from tongxin.scripts.rendition import text_for_script

    html = get(client, url(tree.news, "zh-hant"))
    converted = text_for_script(tree.news.title, "hant")
    assert converted != tree.news.title
    assert f"<h1>{converted}</h1>" in html


@pytest.mark.parametrize(
    ("prefix", "wanted", "unwanted"),
    [
        ("/zh-hans/", ["页面不存在", "搜索本站", "返回首页"], ["頁"]),
        ("/zh-hant/", ["找不到頁面", "搜尋本站", "返回首頁"], ["搜索", "页面不存在"]),
    ],
)
def test_not_found_page_in_both_scripts(client, tree, prefix, wanted, unwanted):
    response = client.get(prefix + "no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    for text in wanted:
        assert text in html
    for text in unwanted:
        assert text not in html
    assert not MARKERS.search(html)


@override_settings(DEBUG=False)
def test_rate_limit_page_is_written_from_the_catalogue(rf, tree):
    from tongxin.core.ratelimit import too_many
    from tongxin.scripts.script import HANT

    request = rf.get("/zh-hant/")
    request.script = HANT
    html = too_many(request, "page", 30).content.decode()
    assert "請求太頻繁" in html and "返回首頁" in html and 'lang="zh-Hant"' in html
    assert not MARKERS.search(html)


def test_search_page_in_taiwan_usage(client, tree):
    html = get(client, "/zh-hant/search/?q=儿童")
    assert "<h1>搜尋</h1>" in html and "搜尋關鍵字" in html
    assert "搜索" not in html
    assert not MARKERS.search(html)
