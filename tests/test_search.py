"""Chinese search: segmented, script-insensitive, filtered, and never showing what must not be.

Pages from the factories are live without having gone through publishing, so most tests
publish them (`save_revision().publish()`, what an editor's button does) to let the
`page_published` signal index them, or run the operator's `rebuild_search_index`.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from tongxin.search.analysis import normalise, terms
from tongxin.search.models import SearchEntry

from .factories import (
    CampaignPageFactory,
    EpisodePageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    SeriesPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    paragraph,
)

pytestmark = pytest.mark.django_db

SEARCH = "/zh-hans/search/"
SEARCH_HANT = "/zh-hant/search/"


def publish(page):
    """Publish the page's current state the way the admin does, which indexes it."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def titles(response):
    """Result titles as shown (origin markers are stripped by the converter)."""
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", t).strip()
        for t in re.findall(r'<h2 class="card-title">.*?</span>(.*?)</a></h2>', html, re.S)
    ]


def search(client, url=SEARCH, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response


@pytest.fixture
def news_index():
    return NewsIndexPageFactory(parent=HomePageFactory(), slug="xinwen")


def news(news_index, title, body="新闻正文。", **kwargs):
    return publish(NewsPageFactory(parent=news_index, title=title, body=paragraph(body), **kwargs))


class TestScriptInsensitive:
    def test_traditional_query_finds_simplified_page(self, client, news_index):
        news(news_index, "关爱留守儿童暖冬行动")
        assert titles(search(client, q="兒童")) == ["关爱留守儿童暖冬行动"]

    def test_simplified_query_finds_traditional_page(self, client, news_index):
        news(news_index, "關愛留守兒童暖冬行動", body="志願者走進山區。", script="hant")
        # Shown at /zh-hans/, so in simplified.
        assert titles(search(client, q="儿童")) == ["关爱留守儿童暖冬行动"]
        # Body text of a traditional page is found in simplified too.
        assert titles(search(client, q="志愿者")) == ["关爱留守儿童暖冬行动"]

    def test_results_are_shown_in_the_readers_script(self, client, news_index):
        news(news_index, "关爱留守儿童暖冬行动", summary="为留守儿童送去冬衣。")
        news(news_index, "兒童節獻愛心", summary="志願者為兒童送上禮物。", script="hant")
        hant = search(client, SEARCH_HANT, q="儿童").content.decode()
        assert "關愛留守兒童暖冬行動" in hant
        assert "兒童節獻愛心" in hant
        assert "找到 2 筆結果" in hant
        # Everything but the search box (which keeps what the reader typed) is traditional.
        assert 'value="儿童"' in hant
        assert "儿童" not in hant.replace('value="儿童"', "")
        hans = search(client, SEARCH, q="兒童").content.decode()
        assert "儿童节献爱心" in hans
        assert "志愿者为儿童送上礼物" in hans
        assert "“儿童”的搜索结果" in hans  # the echo too, in the reader's script
        assert "兒童" not in hans.replace('value="兒童"', "")

    def test_index_is_normalised_to_simplified(self, news_index):
        page = news(news_index, "兒童節獻愛心", script="hant")
        entry = SearchEntry.objects.get(page=page)
        assert "儿童" in entry.title_terms.split()
        assert entry.plain_text.startswith("儿童节献爱心\n")
        assert entry.script == "hant"
        assert entry.page_type == "newspage"

    def test_keep_as_written_markers_are_not_indexed(self, client, news_index):
        page = news(news_index, "-{臺灣}-兒童探訪", body="-{乾}-淨的-{教室}-", script="hant")
        entry = SearchEntry.objects.get(page=page)
        for column in (entry.title_terms, entry.body_terms, entry.plain_text, entry.body_text):
            assert "-{" not in column and "}-" not in column
        assert titles(search(client, SEARCH_HANT, q="台湾")) == ["臺灣兒童探訪"]


class TestMatching:
    def test_every_word_must_match(self, client, news_index):
        news(news_index, "留守儿童助学金发放", body="资助贫困学生。")
        news(news_index, "留守儿童过冬", body="送去冬衣。")
        assert titles(search(client, q="留守 助学")) == ["留守儿童助学金发放"]
        assert len(titles(search(client, q="留守儿童"))) == 2
        # One word in the title, the other in the body.
        assert titles(search(client, q="儿童 冬衣")) == ["留守儿童过冬"]

    def test_single_characters_and_phrases_match_as_substrings(self, client, news_index):
        news(news_index, "留守儿童过冬")
        assert titles(search(client, q="兒")) == ["留守儿童过冬"]
        assert titles(search(client, q="童过")) == ["留守儿童过冬"]

    def test_title_matches_rank_first_then_newest(self, client, news_index):
        now = timezone.now()
        news(news_index, "社区活动", body="助学金发放到位。", date=now)
        news(news_index, "助学金发放仪式", date=now - datetime.timedelta(days=30))
        news(news_index, "助学金申请指南", date=now - datetime.timedelta(days=10))
        assert titles(search(client, q="助学金")) == [
            "助学金申请指南",
            "助学金发放仪式",
            "社区活动",
        ]

    def test_snippet_shows_the_matched_text(self, client, news_index):
        body = "开头的一段话。" * 10 + "志愿者为孩子们送来了新书包。" + "结尾。" * 30
        news(news_index, "暖冬行动", body=body)
        html = search(client, q="书包").content.decode()
        assert "<mark>书包</mark>" in html
        assert "志愿者为孩子们送来了新" in html

    def test_snippet_converts_as_one_phrase_across_the_highlight(self, client, news_index):
        """头发干了 is one phrase (頭髮乾了) even when only 头发 is highlighted."""
        body = "开头的一段话。" * 10 + "洗完澡，头发干了。" + "结尾。" * 30
        news(news_index, "冬天的早晨", body=body)
        html = search(client, url=SEARCH_HANT, q="头发").content.decode()
        assert "<mark>頭髮</mark>乾了" in html

    def test_snippet_does_not_repeat_the_summary(self, client, news_index):
        news(news_index, "暖冬行动", summary="为留守儿童送去冬衣。", body="志愿者走进山区。")
        html = search(client, q="冬衣").content.decode()
        assert html.count("为留守儿童送去冬衣") == 1
        assert "<mark>" not in html

    def test_empty_query_shows_the_form_and_a_hint(self, client, news_index):
        news(news_index, "留守儿童过冬")
        for q in ("", "   ", "，。！"):
            html = search(client, q=q).content.decode()
            assert '<form class="search-form"' in html
            assert "输入要找的字词" in html
            assert titles(search(client, q=q)) == []


class TestFilters:
    def test_type(self, client, news_index):
        news(news_index, "小雨的新书包 新闻")
        publish(StoryPageFactory(title="小雨的新书包"))
        assert len(titles(search(client, q="书包"))) == 2
        assert titles(search(client, q="书包", type="news")) == ["小雨的新书包 新闻"]
        assert titles(search(client, q="书包", type="story")) == ["小雨的新书包"]
        html = search(client, q="书包", type="story").content.decode()
        assert '<option value="story" selected>' in html

    def test_campaign_by_id_or_slug(self, client):
        home = HomePageFactory()
        a = publish(CampaignPageFactory(parent=home, slug="qingyun", title="青云童心守护"))
        b = publish(CampaignPageFactory(parent=home, slug="baishui", title="白水春蕾计划"))
        series = publish(SeriesPageFactory(parent=a, title="留守儿童系列"))
        publish(EpisodePageFactory(parent=series, title="留守儿童第一集"))
        index_b = NewsIndexPageFactory(parent=b)
        news(index_b, "白水县留守儿童调查")
        assert len(titles(search(client, q="留守"))) == 3
        for value in (str(a.pk), "qingyun"):
            shown = titles(search(client, q="留守", campaign=value))
            assert sorted(shown) == ["留守儿童第一集", "留守儿童系列"]
        assert titles(search(client, q="留守", campaign="baishui")) == ["白水县留守儿童调查"]
        # The campaign's own page is inside the campaign.
        assert titles(search(client, q="春蕾", campaign=str(b.pk))) == ["白水春蕾计划"]

    def test_region_by_containment_and_either_script(self, client, news_index):
        news(news_index, "青云县助学", region="青云县")
        news(news_index, "白水县助学", region="白水縣", script="hant")
        assert titles(search(client, q="助学", region="青云县")) == ["青云县助学"]
        assert titles(search(client, q="助学", region="青云")) == ["青云县助学"]
        assert titles(search(client, q="助学", region="云县")) == ["青云县助学"]
        assert titles(search(client, q="助学", region="白水县")) == ["白水县助学"]
        assert titles(search(client, q="助学", region="青雲縣")) == ["青云县助学"]
        assert titles(search(client, q="助学", region="红河县")) == []

    def test_pages(self, client, news_index):
        for n in range(12):
            news(news_index, f"助学金发放第{n}批")
        first = search(client, q="助学金")
        assert len(titles(first)) == 10
        html = first.content.decode()
        assert "找到 12 条结果" in html
        assert 'href="/zh-hans/search/?q=%E5%8A%A9%E5%AD%A6%E9%87%91&amp;page=2" rel="next"' in html
        assert len(titles(search(client, q="助学金", page="2"))) == 2
        for bad in ("abc", "-1", "0", "", "1.5", "２", "9" * 40):
            assert len(titles(search(client, q="助学金", page=bad))) == 10, bad
        # Past the end: the last page, not an error.
        assert len(titles(search(client, q="助学金", page="99999"))) == 2

    def test_links_keep_the_filters(self, client, news_index):
        for n in range(11):
            news(news_index, f"助学金发放第{n}批", region="青云县")
        html = search(client, q="助学金", type="news", region="青云").content.decode()
        assert "?q=%E5%8A%A9%E5%AD%A6%E9%87%91&amp;type=news&amp;region=%E9%9D%92%E4%BA%91" in html


class TestNeverFound:
    def test_drafts_and_unpublished_changes(self, client, news_index):
        NewsPageFactory(parent=news_index, title="草稿里的助学计划", live=False)
        page = news(news_index, "已发布的助学计划")
        page.title = "尚未发布的秘密标题"
        page.save_revision()
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert titles(search(client, q="助学")) == ["已发布的助学计划"]
        assert titles(search(client, q="秘密标题")) == []

    def test_unpublished_and_deleted_pages_leave_the_index(self, client, news_index):
        gone = news(news_index, "下线的助学计划")
        deleted = news(news_index, "删除的助学计划")
        gone.unpublish()
        deleted.delete()
        assert titles(search(client, q="助学")) == []
        assert not SearchEntry.objects.exists()

    def test_private_pages(self, client, news_index):
        page = news(news_index, "内部助学名单")
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        assert titles(search(client, q="助学")) == []

    def test_pages_in_a_private_section(self, client, news_index):
        news(news_index, "内部助学名单")
        PageViewRestriction.objects.create(
            page=news_index, restriction_type=PageViewRestriction.LOGIN
        )
        assert titles(search(client, q="助学")) == []

    def test_stories_only_while_consent_covers_the_web(self, client):
        index = StoryIndexPageFactory(parent=HomePageFactory())
        story = publish(StoryPageFactory(parent=index, title="小雨的新书包"))
        no_web = publish(StoryPageFactory(parent=index, title="小明的新书包"))
        no_web.identity.consent_web = False
        no_web.identity.save()
        publish(StoryPageFactory(parent=index, title="小红的新书包", identity=None))
        assert titles(search(client, q="书包")) == ["小雨的新书包"]

        # Expiry takes effect at once, without re-indexing.
        identity = story.identity
        identity.consent_expires_on = timezone.localdate() - datetime.timedelta(days=1)
        identity.save()
        assert SearchEntry.objects.filter(page=story).exists()
        assert titles(search(client, q="书包")) == []
        assert titles(search(client, q="书包", type="story")) == []

    def test_private_identity_is_never_indexed_or_found(self, client):
        story = publish(StoryPageFactory(title="小雨的新书包"))
        identity = story.identity
        assert identity.real_name == "林晓雨"
        entry = SearchEntry.objects.get(page=story)
        private = [identity.real_name, identity.school, identity.address, *identity.guardians]
        for column in (entry.title_terms, entry.body_terms, entry.plain_text, entry.body_text):
            for value in private:
                assert normalise(value) not in column and value not in column
        for q in ("林晓雨", "林曉雨", "实验小学", "幸福村", "林大山"):
            response = search(client, q=q)
            assert titles(response) == [], q
            assert "没有找到与" in response.content.decode()
        # The story itself is found, and its card shows nothing private.
        response = search(client, q="书包")
        assert titles(response) == ["小雨的新书包"]
        for value in private:
            assert value not in response.content.decode()


class TestBadInput:
    @pytest.mark.parametrize(
        "params",
        [
            {"q": "儿童", "type": "x"},
            {"q": "儿童", "type": "<b>x</b>"},
            {"q": "儿童", "page": "abc"},
            {"q": "儿童", "page": "-1"},
            {"q": "儿童", "page": "99999"},
            {"q": "儿童", "campaign": "nope"},
            {"q": "儿童", "campaign": "99999999999999999999999999"},
            {"q": "儿童", "region": "青" * 5000},
            {"q": "儿" * 10_000},
            {"q": "儿童 " * 200},
            {"q": "\x00\ue000\ue002-{儿童}-\x1b"},
            {"q": "%_\\' OR 1=1 --"},
            {"q": "儿童", "type": ["news", "story"]},
        ],
    )
    def test_never_a_server_error(self, client, news_index, params):
        news(news_index, "关爱留守儿童")
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        assert "\ue000" not in response.content.decode()

    def test_undecodable_query_bytes(self, client, news_index):
        news(news_index, "关爱留守儿童")
        response = client.get(SEARCH + "?q=%ED%A0%80%FF%E5%84%BF%E7%AB%A5&page=%FF")
        assert response.status_code == 200
        assert titles(response) == ["关爱留守儿童"]

    def test_unknown_type_is_explained(self, client, news_index):
        news(news_index, "关爱留守儿童")
        response = search(client, q="儿童", type="x")
        assert "没有“x”这种内容类型" in response.content.decode()
        assert titles(response) == ["关爱留守儿童"]

    def test_unknown_campaign_is_explained(self, client, news_index):
        response = search(client, q="儿童", campaign="nope")
        assert "没有找到这个活动" in response.content.decode()

    def test_long_query_is_cut(self, client, news_index):
        news(news_index, "关爱留守儿童")
        response = search(client, q="儿童" + "。" * 10_000)
        html = response.content.decode()
        assert "搜索词太长" in html
        assert titles(response) == ["关爱留守儿童"]
        assert 'maxlength="100"' in html

    def test_markup_in_the_query_is_escaped(self, client):
        html = search(client, q='<script>alert("x")</script>').content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html

    def test_post_is_refused(self, client):
        assert client.post(SEARCH, {"q": "儿童"}).status_code == 405


class TestPage:
    def test_noindex_and_labelled_form(self, client):
        html = search(client, q="儿童").content.decode()
        assert '<meta name="robots" content="noindex">' in html
        for field in ("search-q", "search-type", "search-region"):
            assert f'<label for="{field}">' in html
            assert f'id="{field}"' in html
        assert 'method="get" action="/zh-hans/search/"' in html

    def test_both_renditions_are_served(self, client):
        assert client.get(SEARCH_HANT).status_code == 200
        html = search(client, SEARCH_HANT).content.decode()
        assert 'action="/zh-hant/search/"' in html
        assert '<html lang="zh-Hant">' in html

    def test_site_navigation_links_to_search(self, client, news_index):
        page = news(news_index, "关爱留守儿童")
        with translation.override("zh-hans"):
            url = page.url
        html = client.get(url).content.decode()
        assert 'href="/zh-hans/search/"' in html

    def test_query_count_does_not_grow_with_results(self, client, news_index):
        def count_queries():
            with CaptureQueriesContext(connection) as queries:
                response = search(client, q="助学")
            return len(queries), len(titles(response))

        for n in range(3):
            news(news_index, f"助学金发放第{n}批")
        client.get(SEARCH, {"q": "助学"})  # warm the site root paths cache
        few, shown = count_queries()
        assert shown == 3
        for n in range(3, 30):
            news(news_index, f"助学金发放第{n}批")
        # Publishing moved the content version: site-wide caches (the names the site holds,
        # the next expiry) are filled again once, whatever the number of results.
        client.get(SEARCH, {"q": "助学"})
        many, shown = count_queries()
        assert shown == 10
        assert many == few


class TestIndexing:
    def test_rebuild_command_indexes_live_pages(self, site_tree):
        assert not SearchEntry.objects.exists()
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
        assert site_tree.news.pk in indexed
        assert site_tree.story.pk in indexed
        assert {e.pk for e in site_tree.episodes} <= indexed
        entry = SearchEntry.objects.get(page=site_tree.episodes[0])
        assert entry.campaign_id == site_tree.campaign.pk
        assert entry.page_type == "episodepage"
        assert SearchEntry.objects.get(page=site_tree.campaign).campaign_id == site_tree.campaign.pk
        assert SearchEntry.objects.get(page=site_tree.news).campaign_id is None
        # The home page is where a reader starts, not a result.
        assert site_tree.home.pk not in indexed

    def test_republishing_updates_the_entry(self, client, news_index):
        page = news(news_index, "旧标题助学")
        page.title = "新标题暖冬"
        publish(page)
        assert titles(search(client, q="助学")) == []
        assert titles(search(client, q="暖冬")) == ["新标题暖冬"]
        assert SearchEntry.objects.count() == 1

    def test_moving_a_page_changes_its_campaign(self):
        home = HomePageFactory()
        a = publish(CampaignPageFactory(parent=home))
        b = publish(CampaignPageFactory(parent=home))
        series = publish(SeriesPageFactory(parent=a))
        episode = publish(EpisodePageFactory(parent=series))
        series.move(b, pos="last-child")
        assert SearchEntry.objects.get(page=series).campaign_id == b.pk
        assert SearchEntry.objects.get(page=episode).campaign_id == b.pk

    def test_urls_and_editor_rules_are_not_indexed(self, news_index):
        page = news(news_index, "助学", source_url="https://news.example.cn/zhuxue.html")
        entry = SearchEntry.objects.get(page=page)
        assert "example" not in entry.body_terms
        assert "https" not in entry.plain_text

    def test_terms_are_space_delimited_words(self):
        assert terms(normalise("留守兒童，關愛！")) == " 留守 儿童 关爱 "
        assert terms("") == ""
