"""Search that scales: the database's full-text index, readable excerpts, numbered pages.

Run on SQLite (FTS5) and on PostgreSQL (tsvector + GIN): the expectations are the same, so
passing on both shows that both databases find the same pages.

    DJANGO_ENV=test pytest -p no:xdist -q tests/test_search_fts.py
    DATABASE_URL=postgres://… DJANGO_ENV=test pytest -p no:xdist -q tests/test_search_fts.py
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from tongxin.search.analysis import index_terms, normalise, query_terms, tokens
from tongxin.search.index import deferred, rebuild_search_index
from tongxin.search.models import SearchEntry

from .factories import (
    CampaignPageFactory,
    EpisodePageFactory,
    FundLaunchEventPageFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    SeriesPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    paragraph,
)
from .test_search import SEARCH, SEARCH_HANT, publish

pytestmark = pytest.mark.django_db


def get(client, url=SEARCH, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def titles(html):
    return [
        re.sub(r"<[^>]+>", "", t).strip()
        for t in re.findall(r'<h2 class="card-title">.*?</span>(.*?)</a></h2>', html, re.S)
    ]


def cards(html):
    return re.findall(r'<article class="card">(.*?)</article>', html, re.S)


def excerpts(html):
    return re.findall(r'<p class="card-summary search-excerpt">(.*?)</p>', html, re.S)


@pytest.fixture
def news_index():
    return NewsIndexPageFactory(parent=HomePageFactory(), slug="xinwen")


def news(news_index, title, body=None, **kwargs):
    body = paragraph("新闻正文。") if body is None else body
    return publish(NewsPageFactory(parent=news_index, title=title, body=body, **kwargs))


@pytest.fixture
def corpus(news_index):
    """A few pages in both scripts; the expectations below hold on every database."""
    now = timezone.now()
    pages = {
        "winter": news(
            news_index,
            "关爱留守儿童暖冬行动",
            body=paragraph("志愿者为山区孩子送去冬衣和书包。"),
            date=now - datetime.timedelta(days=1),
        ),
        "hant": news(
            news_index,
            "兒童節獻愛心",
            body=paragraph("志願者為兒童送上禮物，學校師生一同參加。"),
            script="hant",
            date=now - datetime.timedelta(days=2),
        ),
        "fund": news(
            news_index,
            "助学金发放仪式",
            body=paragraph("首批助学金发放到位，covid19 期间也未中断。"),
            date=now - datetime.timedelta(days=3),
        ),
        "name": news(
            news_index,
            "社区走访",
            body=paragraph("居民蔺晓禾讲述了社区变化。"),
            date=now - datetime.timedelta(days=4),
        ),
    }
    return pages


class TestSameResultsOnEveryDatabase:
    """One set of expectations: this file passes on SQLite and PostgreSQL alike."""

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("儿童", {"关爱留守儿童暖冬行动", "兒童節獻愛心"}),
            ("兒童", {"关爱留守儿童暖冬行动", "兒童節獻愛心"}),
            ("志愿者", {"关爱留守儿童暖冬行动", "兒童節獻愛心"}),
            ("書包", {"关爱留守儿童暖冬行动"}),
            ("助学金", {"助学金发放仪式"}),
            ("covid", {"助学金发放仪式"}),  # a Latin word: prefix of the page's term
            ("蔺晓禾", {"社区走访"}),  # a name jieba does not know
            ("晓", {"社区走访"}),  # a single character
            ("童节", {"兒童節獻愛心"}),  # across jieba's words: a substring
            ("儿童 冬衣", {"关爱留守儿童暖冬行动"}),  # every word must match
            ("冬衣 助学金", set()),
            ("不存在的词语", set()),
        ],
    )
    def test_found(self, client, corpus, q, expected):
        shown = {re.sub(r"\s+", "", t) for t in titles(get(client, q=q))}
        # Shown at /zh-hans/: traditional titles come out simplified.
        expected = {normalise(t) for t in expected}
        assert {normalise(t) for t in shown} == expected, q

    def test_traditional_reader_gets_the_same_pages_in_traditional(self, client, corpus):
        hans = titles(get(client, q="儿童"))
        hant = titles(get(client, SEARCH_HANT, q="兒童"))
        assert len(hans) == len(hant) == 2
        assert "兒童節獻愛心" in hant and "關愛留守兒童暖冬行動" in hant
        assert "儿童节献爱心" in hans
        html = get(client, SEARCH_HANT, q="志愿者")
        assert "<mark>志願者</mark>" in html
        assert "志愿者" not in html.replace('value="志愿者"', "")

    def test_uses_the_databases_full_text_index(self, corpus):
        tables = connection.introspection.table_names()
        if connection.vendor == "sqlite":
            assert "search_fts" in tables
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"儿童\"'")
                assert cursor.fetchone()[0] == 2
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_searchentry'"
                )
                assert any("gin (search_vector)" in row[0] for row in cursor.fetchall())
                cursor.execute(
                    "SELECT count(*) FROM search_searchentry "
                    "WHERE search_vector @@ to_tsquery('simple', '''儿童''')"
                )
                assert cursor.fetchone()[0] == 2


class TestTerms:
    def test_one_function_builds_the_terms(self):
        terms = index_terms(normalise("關愛留守兒童，covid-19！")).split()
        assert "儿童" in terms and "关爱" in terms
        assert "covid" in terms and "19" in terms
        # Every character on its own, for single characters and unknown words.
        assert {"关", "爱", "留", "守", "儿", "童"} <= set(terms)
        assert all(re.fullmatch(r"\w+", t) and "_" not in t for t in terms)

    def test_query_terms(self):
        exact, prefixes, substrings = query_terms(tokens(normalise("兒童 林晓雨 covid")))
        assert "儿童" in exact
        assert {"林", "晓", "雨"} <= set(exact)
        assert prefixes == ["covid"]
        assert substrings == ["林晓雨"]


class TestRanking:
    def test_title_above_summary_above_body(self, client, news_index):
        now = timezone.now()
        # The newest page has the word in its body only; the oldest in its title.
        news(news_index, "社区活动", body=paragraph("助学金发放到位。"), date=now)
        news(
            news_index,
            "暖冬行动",
            summary="助学金申请说明。",
            date=now - datetime.timedelta(days=5),
        )
        news(news_index, "助学金发放", date=now - datetime.timedelta(days=30))
        assert titles(get(client, q="助学金")) == ["助学金发放", "暖冬行动", "社区活动"]


class TestExcerpts:
    BODY = (
        "<p>青云县童心守护基金启动仪式今天举行。</p>"
        "<p>启动仪式：首批资金由三家企业捐赠，共计120万元……资金由民政局监管。</p>"
    )

    @pytest.fixture
    def launch(self, news_index):
        return news(
            news_index,
            "基金启动",
            body=[("paragraph", RichText(self.BODY))],
            region="青云县",
            tags=["基金", "捐赠"],
            byline=[("credit", {"role": "记者", "names": ["王记者"]})],
            source_name="青云日报",
            summary="",
        )

    def test_text_as_written_with_the_match_highlighted(self, client, launch):
        html = get(client, q="首批")
        [shown] = excerpts(html)
        assert "启动仪式：首批资金由三家企业捐赠，共计120万元……" in re.sub(r"</?mark>", "", shown)
        assert "<mark>首批</mark>" in shown
        # Full-width punctuation stays full-width, even with an ellipsis in the text.
        assert "：" in shown and "，" in shown
        assert ":" not in shown and "," not in shown

    def test_no_tags_region_or_credits_glued_in(self, client, launch):
        html = get(client, q="资金")
        [shown] = excerpts(html)
        for glued in ("王记者", "记者", "青云日报", "基金、捐赠", "捐赠 "):
            assert glued not in shown, glued
        # Paragraphs are not run together.
        assert "举行。启动" not in shown
        # Every occurrence in the window is highlighted.
        assert shown.count("<mark>资金</mark>") == 2

    def test_other_fields_still_find_the_page(self, client, launch):
        assert titles(get(client, q="王记者")) == ["基金启动"]
        # Matched elsewhere: the excerpt is the start of the body.
        [shown] = excerpts(get(client, q="王记者"))
        assert shown.startswith("青云县童心守护基金启动仪式今天举行。 启动仪式：首批资金")

    def test_markup_in_the_text_is_escaped(self, client, news_index):
        news(news_index, "转义", body=paragraph("写着&lt;b&gt;粗体&lt;/b&gt;的助学金。"))
        html = get(client, q="助学金")
        [shown] = excerpts(html)
        assert "&lt;b&gt;粗体&lt;/b&gt;" in shown
        assert "<b>" not in shown

    def test_excerpt_in_the_readers_script(self, client, news_index):
        news(news_index, "冬天", body=paragraph("开头。" * 20 + "洗完澡，头发干了。"))
        html = get(client, SEARCH_HANT, q="頭髮")
        assert "<mark>頭髮</mark>乾了。" in html


class TestCards:
    def test_own_date_and_type(self, client):
        home = HomePageFactory()
        campaign = publish(CampaignPageFactory(parent=home, title="青云助学活动"))
        series = publish(SeriesPageFactory(parent=campaign, title="助学系列"))
        publish(EpisodePageFactory(parent=series, title="助学第一集"))
        publish(FundLaunchEventPageFactory(parent=campaign, title="助学基金启动"))
        stories = StoryIndexPageFactory(parent=campaign)
        publish(StoryPageFactory(parent=stories, title="小雨的助学金"))
        index = NewsIndexPageFactory(parent=campaign, title="助学新闻栏目")
        publish(index)
        when = timezone.make_aware(datetime.datetime(2024, 6, 1, 10))
        publish(NewsPageFactory(parent=index, title="助学新闻", date=when))

        html = get(client, q="助学")
        found = {}
        for card in cards(html):
            kicker = re.search(r'<span class="card-kicker">(.*?)</span>', card).group(1)
            title = re.search(r"</span>\s*(.*?)</a>", card, re.S).group(1)
            found[re.sub(r"<[^>]+>", "", title).strip()] = (kicker, card)
        assert {title: kicker for title, (kicker, _) in found.items()} == {
            "青云助学活动": "活动",
            "助学系列": "系列专题",
            "助学第一集": "分集",
            "助学基金启动": "基金启动",
            "小雨的助学金": "故事",
            "助学新闻": "新闻",
        }
        # A listing page is not a result (and so never dated "today").
        assert "助学新闻栏目" not in found
        assert '<time datetime="2024-06-01">2024年6月1日</time>' in found["助学新闻"][1]

    def test_index_pages_are_not_indexed(self, site_tree):
        rebuild_search_index()
        indexed = set(SearchEntry.objects.values_list("page__content_type__model", flat=True))
        assert "newsindexpage" not in indexed and "storyindexpage" not in indexed
        assert "newspage" in indexed


class TestRegion:
    def test_placeholder_example_finds_pages_of_that_county(self, client, news_index):
        news(news_index, "县里的助学", region="青云县")
        news(news_index, "市县两级助学", region="青云市青云县")
        news(news_index, "别处的助学", region="白水县")
        publish(StoryPageFactory(title="小雨的助学金", region="青雲縣", script="hant"))
        shown = set(titles(get(client, q="助学", region="青云县")))
        assert shown == {"县里的助学", "市县两级助学", "小雨的助学金"}
        # A fuller name finds pages carrying a part of it.
        assert set(titles(get(client, q="助学", region="青云市青云县"))) == {
            "县里的助学",
            "市县两级助学",
            "小雨的助学金",
        }
        assert titles(get(client, SEARCH_HANT, q="助學", region="白水縣")) == ["別處的助學"]

    def test_known_regions_are_suggested(self, client, news_index):
        news(news_index, "县里的助学", region="青云县")
        hidden = news(news_index, "内部助学", region="保密县")
        PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
        html = get(client)
        assert 'list="search-regions"' in html
        assert '<option value="青云县">' in html
        assert "保密县" not in html
        assert '<option value="青雲縣">' in get(client, SEARCH_HANT)


class TestPagination:
    @pytest.fixture
    def many(self, news_index):
        now = timezone.now()
        with deferred():
            for n in range(23):
                news(
                    news_index,
                    f"助学金发放第{n}批",
                    date=now - datetime.timedelta(days=n),
                )

    def test_every_result_is_reachable(self, client, many):
        seen = []
        url, params = SEARCH, {"q": "助学金"}
        for _ in range(5):
            response = client.get(url, params)
            html = response.content.decode()
            seen += titles(html)
            found = re.search(r'<a href="([^"]+)" rel="next">', html)
            if not found:
                break
            url, params = found.group(1).replace("&amp;", "&"), {}
        assert len(seen) == 23 == len(set(seen))
        assert seen[-1] == "助学金发放第22批"

    def test_numbered_links_and_rel(self, client, many):
        html = get(client, q="助学金", page="2")
        assert '<link rel="prev" href="/zh-hans/search/?q=%E5%8A%A9%E5%AD%A6%E9%87%91">' in html
        assert (
            '<link rel="next" href="/zh-hans/search/?q=%E5%8A%A9%E5%AD%A6%E9%87%91&amp;page=3">'
            in html
        )
        assert 'aria-current="page">2</a>' in html
        assert '<a href="/zh-hans/search/?q=%E5%8A%A9%E5%AD%A6%E9%87%91&amp;page=3">3</a>' in html
        assert "第 2 / 3 页" in html
        assert titles(get(client, q="助学金", page="3"))[-1] == "助学金发放第22批"

    @pytest.mark.parametrize("bad", ["abc", "-1", "0", "", "1.5", "２", "9" * 40, "99999"])
    def test_bad_page_is_never_an_error(self, client, many, bad):
        response = client.get(SEARCH, {"q": "助学金", "page": bad})
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert len(titles(response.content.decode())) in (10, 3)

    def test_constant_queries_per_page(self, client, many):
        get(client, q="助学金")  # warm site-wide caches

        def count(page):
            with CaptureQueriesContext(connection) as queries:
                get(client, q="助学金", page=page)
            return len(queries)

        assert count("1") == count("2") == count("3")


class TestNeverFound:
    def test_drafts_private_expired_and_consent(self, client, news_index):
        NewsPageFactory(parent=news_index, title="草稿助学", live=False)
        private = news(news_index, "内部助学")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        expired = news(news_index, "过期助学")
        Page.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        index = StoryIndexPageFactory(parent=news_index.get_parent())
        story = publish(StoryPageFactory(parent=index, title="小雨的助学金"))
        identity = story.identity
        identity.consent_expires_on = timezone.localdate() - datetime.timedelta(days=1)
        identity.save()
        news(news_index, "公开助学")
        rebuild_search_index()
        assert titles(get(client, q="助学")) == ["公开助学"]
        assert titles(get(client, SEARCH_HANT, q="助學")) == ["公開助學"]

    def test_identity_record_never_indexed_or_found(self, client):
        story = publish(StoryPageFactory(title="小雨的新书包"))
        identity = story.identity
        entry = SearchEntry.objects.get(page=story)
        private = [identity.real_name, identity.school, identity.address, *identity.guardians]
        columns = [
            entry.title_terms,
            entry.summary_terms,
            entry.body_terms,
            entry.meta_terms,
            entry.plain_text,
            entry.body_text,
            entry.summary,
        ]
        for value in private:
            for column in columns:
                assert normalise(value) not in column and value not in column
        for q in (identity.real_name, "林曉雨", identity.guardians[0]):
            assert titles(get(client, q=q)) == [], q
        assert titles(get(client, q="书包")) == ["小雨的新书包"]


class TestBulk:
    def test_deferred_indexes_once_at_the_end(self, news_index):
        with deferred():
            page = news(news_index, "批量导入的助学")
            gone = news(news_index, "导入后下线")
            gone.unpublish()
            assert not SearchEntry.objects.exists()
        assert list(SearchEntry.objects.values_list("page_id", flat=True)) == [page.pk]

    def test_deferred_without_flush_then_rebuild(self, client, news_index):
        with deferred(flush=False):
            news(news_index, "批量导入的助学")
        assert not SearchEntry.objects.exists()
        assert rebuild_search_index() == 1
        assert titles(get(client, q="助学")) == ["批量导入的助学"]

    def test_management_command(self, news_index):
        from django.core.management import call_command

        with deferred(flush=False):
            news(news_index, "批量导入的助学")
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert SearchEntry.objects.count() == 1


class TestOneIndex:
    def test_saving_a_page_writes_no_wagtail_index(self, news_index):
        from wagtail.search.models import IndexEntry

        news(news_index, "关爱留守儿童")
        assert not IndexEntry.objects.exists()

    def test_admin_page_search_finds_titles_in_either_script(
        self, client, news_index, django_user_model
    ):
        news(news_index, "关爱留守儿童暖冬行动")
        admin = django_user_model.objects.create_superuser("boss", "boss@example.cn", "pw")
        client.force_login(admin)
        for q in ("留守儿童", "留守兒童"):
            response = client.get("/admin/pages/search/", {"q": q})
            assert response.status_code == 200
            assert "关爱留守儿童暖冬行动" in response.content.decode(), q
