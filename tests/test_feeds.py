"""RSS, Atom and JSON Feed for partners: both scripts, stable ids, media, credits, what is
left out, `?limit=`, conditional GET, caching per script, flat query counts."""

import datetime
import json
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import feedparser
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from stories.models import StoryPage
from tongxin.scripts.rendition import render_for_script

from .factories import (
    EpisodePageFactory,
    ImageFactory,
    NewsPageFactory,
    SeriesPageFactory,
    StoryIdentityFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    build_site_tree,
)

SCRIPTS = ("zh-hans", "zh-hant")
XML_KINDS = ("rss", "atom")


def image_body(image, text="正文里有一张图。"):
    return json.dumps(
        [
            {"type": "paragraph", "value": f"<p>{text}</p>"},
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt": "孩子们在教室里读书",
                    "caption": "读书角",
                    "credit": "青云日报 摄",
                    "consent": "illustrative",
                },
            },
        ]
    )


def credits(*rows):
    return json.dumps(
        [{"type": "credit", "value": {"role": role, "names": list(names)}} for role, names in rows]
    )


def build_feed_tree():
    """The shared tree plus what feeds must show (an image, credits, a traditional-script
    page) and what they must never show (drafts, private pages, stories without partner
    consent or with expired consent)."""
    t = build_site_tree()
    t.image = ImageFactory()
    for episode in t.episodes:
        episode.credits = credits(("记者", ["王芳"]), ("摄像", ["李强", "赵磊"]))
        episode.save()
    t.episodes[2].summary = ""  # the feed summary then starts from the body text
    t.episodes[2].save()
    t.news.body = image_body(t.image)
    t.news.byline = credits(("记者", ["陈晨"]))
    t.news.save()
    t.hant_news = NewsPageFactory(
        parent=t.news_index,
        slug="hant",
        title="兒童節關愛活動",
        script="hant",
        summary="臺灣志願者與孩子們一起過節。",
        body=[("paragraph", RichText("<p>這裡的孩子們收到了新書包。</p>"))],
    )
    t.web_only = StoryPageFactory(
        parent=t.story_index, slug="web-only", title="仅限本站的故事", identity=None
    )
    StoryIdentityFactory(story=t.web_only, consent_partners=False)
    t.expired = StoryPageFactory(
        parent=t.story_index, slug="expired", title="同意已过期的故事", identity=None
    )
    StoryIdentityFactory(
        story=t.expired,
        consent_obtained_on=timezone.localdate() - datetime.timedelta(days=400),
        consent_expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    t.no_identity = StoryPageFactory(
        parent=t.story_index, slug="no-consent", title="没有同意记录的故事", identity=None
    )
    t.draft = EpisodePageFactory(parent=t.series, slug="draft", title="尚未发布的一集", live=False)
    t.lapsed = NewsPageFactory(
        parent=t.news_index,
        slug="lapsed",
        title="已过下线时间的新闻",
        expire_at=timezone.now() - datetime.timedelta(hours=1),
    )
    t.private = NewsPageFactory(parent=t.news_index, slug="private", title="内部通报")
    PageViewRestriction.objects.create(
        page=t.private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    t.feed_pages = {
        "home": "/",
        "campaign": "/qingyun/",
        "series": "/qingyun/series/",
        "story_index": "/gushi/",
        "news_index": "/xinwen/",
    }
    t.excluded_titles = [
        t.web_only.title,
        t.expired.title,
        t.no_identity.title,
        t.draft.title,
        t.private.title,
        t.lapsed.title,
    ]
    return t


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in its own savepoint, so what a test writes is undone. Tests that change a
    page load their own copy (the objects here are shared)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_feed_tree()
        transaction.set_rollback(True)


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def feed_url(language, path, kind):
    return f"/{language}{path}feed/{kind}/"


def parse(response):
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


# --------------------------------------------------------------------------- parsing


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("kind", XML_KINDS)
def test_every_feed_parses_with_absolute_links_ids_and_dates(client, tree, language, kind):
    for name, path in tree.feed_pages.items():
        response = client.get(feed_url(language, path, kind))
        assert response.status_code == 200, name
        expected_type = f"application/{kind}+xml"
        assert response["Content-Type"].startswith(expected_type)
        parsed = parse(response)
        assert parsed.feed.title
        assert parsed.entries, name
        assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)
        for entry in parsed.entries:
            parts = urlsplit(entry.link)
            assert parts.scheme == "http" and parts.netloc == "testserver", entry.link
            assert parts.path.startswith(f"/{language}/")
            assert client.get(parts.path).status_code == 200, entry.link
            assert entry.id.startswith("urn:uuid:")
            assert entry.published_parsed and entry.updated_parsed
            assert entry.title and entry.summary
            assert entry.content[0].value


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_json_feed_has_the_required_fields_and_cors(client, tree, language):
    for name, path in tree.feed_pages.items():
        response = client.get(feed_url(language, path, "json"))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/feed+json"
        assert response["Access-Control-Allow-Origin"] == "*"
        document = json.loads(response.content)
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["title"]
        assert document["home_page_url"].startswith(f"http://testserver/{language}/")
        assert document["feed_url"] == f"http://testserver{feed_url(language, path, 'json')}"
        assert document["language"] == ("zh-Hant" if language == "zh-hant" else "zh-Hans")
        assert document["items"], name
        for item in document["items"]:
            assert item["id"].startswith("urn:uuid:")
            assert item["content_html"]
            assert item["url"].startswith(f"http://testserver/{language}/")
            for key in ("date_published", "date_modified"):
                assert datetime.datetime.fromisoformat(item[key]).tzinfo is not None


# --------------------------------------------------------------------------- scripts


@pytest.mark.django_db
def test_text_is_converted_to_the_script_of_the_prefix(client, tree):
    hans = client.get(feed_url("zh-hans", "/xinwen/", "rss"))
    hant = client.get(feed_url("zh-hant", "/xinwen/", "rss"))
    hans_titles = [e.title for e in parse(hans).entries]
    hant_titles = [e.title for e in parse(hant).entries]
    # A page written in traditional characters, read in simplified, and the other way round.
    assert "儿童节关爱活动" in hans_titles and "兒童節關愛活動" in hant_titles
    assert tree.news.title in hans_titles
    assert tree.news.title.replace("护", "護").replace("动", "動").replace("启", "啟") in (
        hant_titles
    )
    hant_text = hant.content.decode()
    assert "這裡的孩子們收到了新書包" in hant_text
    assert "这里的孩子们收到了新书包" in hans.content.decode()
    # Labels written in simplified are converted too; origin markers never leak.
    assert "來源：" in hant_text and "来源：" not in hant_text
    for text in (hans.content.decode(), hant_text):
        assert not any(c in text for c in "\ue000\ue001\ue002")


@pytest.mark.django_db
def test_ids_are_stable_across_edits_and_each_script_has_its_own(client, tree):
    def ids_by_link_path(language, kind="atom"):
        parsed = parse(client.get(feed_url(language, "/xinwen/", kind)))
        return {urlsplit(e.link).path.split("/", 2)[2]: e.id for e in parsed.entries}

    before = ids_by_link_path("zh-hans")
    hant = ids_by_link_path("zh-hant")
    assert before.keys() == hant.keys()
    for path, entry_id in before.items():
        assert hant[path] != entry_id and hant[path].startswith("urn:uuid:"), path
    news = fresh(tree.news)
    news.title = "童心守护行动正式启动"
    news.slug = "launch-renamed"
    news.save_revision().publish()
    response = client.get(feed_url("zh-hans", "/xinwen/", "atom"))
    entry = next(e for e in parse(response).entries if e.link.endswith("/xinwen/launch-renamed/"))
    assert entry.title == "童心守护行动正式启动"  # the publish cleared the cached feed
    # Simplified keeps the id feeds always had; traditional's is derived from it.
    assert entry.id == before["xinwen/launch/"] == f"urn:uuid:{tree.news.translation_key}"
    assert ids_by_link_path("zh-hant")["xinwen/launch-renamed/"] == hant["xinwen/launch/"]


@pytest.mark.django_db
def test_a_reader_subscribed_to_both_scripts_keeps_both_items(client, tree):
    """newsboat and feedparser-based readers key items by id: the two scripts never share
    one, in any format, while the three formats of one script agree (feedparser reads RSS
    and Atom; the JSON Feed is read as JSON)."""
    for path in tree.feed_pages.values():
        ids = {}
        for language in SCRIPTS:
            for kind in ("rss", "atom"):
                parsed = parse(client.get(feed_url(language, path, kind)))
                ids[language, kind] = [entry.id for entry in parsed.entries]
                assert ids[language, kind] and all(ids[language, kind]), (path, language, kind)
            document = json.loads(client.get(feed_url(language, path, "json")).content)
            ids[language, "json"] = [item["id"] for item in document["items"]]
            assert ids[language, "rss"] == ids[language, "atom"] == ids[language, "json"]
        assert not set(ids["zh-hans", "rss"]) & set(ids["zh-hant", "rss"]), path
    rss = client.get(feed_url("zh-hant", "/xinwen/", "rss")).content.decode()
    assert '<guid isPermaLink="false">urn:uuid:' in rss


@pytest.mark.django_db
def test_several_authors_are_one_dc_creator_in_rss(client, tree):
    response = client.get(feed_url("zh-hans", "/qingyun/series/", "rss"))
    body = response.content.decode()
    for item in body.split("<item>")[1:]:
        assert item.count("<dc:creator>") == 1
        assert "<dc:creator>王芳、李强、赵磊</dc:creator>" in item
    entry = parse(response).entries[0]
    assert entry.author == "王芳、李强、赵磊"
    assert [a["name"] for a in entry.authors] == ["王芳、李强、赵磊"]
    hant = parse(client.get(feed_url("zh-hant", "/qingyun/series/", "rss"))).entries[0]
    assert hant.author == "王芳、李強、趙磊"
    # Atom and JSON Feed have a list of authors: each name stays its own.
    atom = parse(client.get(feed_url("zh-hans", "/qingyun/series/", "atom"))).entries[0]
    assert [a["name"] for a in atom.authors] == ["王芳", "李强", "赵磊"]
    document = json.loads(client.get(feed_url("zh-hans", "/qingyun/series/", "json")).content)
    assert document["items"][0]["authors"] == [{"name": n} for n in ("王芳", "李强", "赵磊")]
    # One author stays as it was.
    news = parse(client.get(feed_url("zh-hans", "/xinwen/", "rss"))).entries
    assert next(e for e in news if e.link.endswith("/xinwen/launch/")).author == "陈晨"


# --------------------------------------------------------------------------- content


@pytest.mark.django_db
def test_series_feed_lists_episodes_in_order_with_video_enclosures_and_credits(client, tree):
    parsed = parse(client.get(feed_url("zh-hans", "/qingyun/series/", "rss")))
    assert [e.title for e in parsed.entries] == ["第1集", "第2集", "第3集"]
    for entry in parsed.entries:
        enclosure = entry.enclosures[0]
        assert enclosure.href == "https://video.example.cn/qingyun/ep.mp4"
        assert enclosure.type == "video/mp4"
        assert entry.author == "王芳、李强、赵磊"
        assert "记者：王芳；摄像：李强、赵磊" in entry.content[0].value
    document = json.loads(client.get(feed_url("zh-hant", "/qingyun/series/", "json")).content)
    first = document["items"][0]
    assert first["_tongxin"]["episode"] == 1
    assert first["attachments"][0]["mime_type"] == "video/mp4"
    assert {"role": "攝像", "names": ["李強", "趙磊"]} in first["_tongxin"]["credits"]


@pytest.mark.django_db
def test_lead_image_source_and_full_content_with_absolute_urls(client, tree):
    response = client.get(feed_url("zh-hans", "/xinwen/", "rss"))
    entry = next(e for e in parse(response).entries if e.link.endswith("/xinwen/launch/"))
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/")
    assert client.get(urlsplit(enclosure.href).path).status_code in (200, 404)  # media via CDN
    assert entry.media_content[0]["url"] == enclosure.href
    assert entry.source.href == "https://news.example.cn/qingyun/1.html"
    assert entry.source.title == "青云日报"
    assert entry.author_detail.name == "陈晨"
    content = entry.content[0].value
    assert f'src="{enclosure.href}"' in content
    assert 'alt="孩子们在教室里读书"' in content
    assert 'href="http://testserver/zh-hans/xinwen/launch/"' in content  # the link back
    assert 'src="/' not in content and 'href="/' not in content
    assert entry.summary == "一段摘要。"

    atom = parse(client.get(feed_url("zh-hant", "/xinwen/", "atom")))
    entry = next(e for e in atom.entries if e.link.endswith("/xinwen/launch/"))
    assert any(link.rel == "enclosure" and link.type == "image/jpeg" for link in entry.links)
    assert any(link.rel == "via" for link in entry.links)
    assert 'alt="孩子們在教室裡讀書"' in entry.content[0].value

    document = json.loads(client.get(feed_url("zh-hans", "/xinwen/", "json")).content)
    item = next(i for i in document["items"] if i["url"].endswith("/xinwen/launch/"))
    assert item["image"] == enclosure.href
    assert item["external_url"] == "https://news.example.cn/qingyun/1.html"
    assert item["authors"] == [{"name": "陈晨"}]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ("rss", "atom", "json"))
def test_drafts_private_pages_and_uncleared_stories_never_appear(client, tree, kind):
    for language in SCRIPTS:
        for path in ("/", "/qingyun/", "/gushi/", "/xinwen/", "/qingyun/series/"):
            body = client.get(feed_url(language, path, kind)).content.decode()
            for title in tree.excluded_titles:
                for variant in (title, title.replace("仅", "僅").replace("过", "過")):
                    assert variant not in body, (path, title)
    body = client.get(feed_url("zh-hans", "/gushi/", kind)).content.decode()
    assert tree.story.title in body  # the cleared one is there


@pytest.mark.django_db
def test_withdrawing_partner_consent_removes_a_story_at_once(client, tree):
    url = feed_url("zh-hans", "/gushi/", "json")
    assert tree.story.title in client.get(url).content.decode()
    identity = fresh(tree.story).identity
    identity.consent_partners = False
    identity.save()
    assert tree.story.title not in client.get(url).content.decode()
    assert tree.story.title not in client.get(feed_url("zh-hans", "/", "json")).content.decode()


@pytest.mark.django_db
def test_publishing_clears_the_cached_feeds(client, tree):
    url = feed_url("zh-hant", "/qingyun/series/", "rss")
    assert len(parse(client.get(url)).entries) == 3
    episode = fresh(tree.draft)
    episode.title = "第4集"
    episode.save_revision().publish()
    entries = parse(client.get(url)).entries
    assert [e.title for e in entries][-1] == "第4集"


@pytest.mark.django_db
def test_summary_falls_back_to_the_text_and_organizers_author_campaigns(client, tree):
    parsed = parse(client.get(feed_url("zh-hant", "/qingyun/", "atom")))
    by_link = {urlsplit(e.link).path: e for e in parsed.entries}
    assert by_link["/zh-hant/qingyun/series/ep-3/"].summary == "本集正文。"
    home = parse(client.get(feed_url("zh-hant", "/", "atom")))
    campaign = next(e for e in home.entries if urlsplit(e.link).path == "/zh-hant/qingyun/")
    assert campaign.author_detail.name == "青雲縣民政局"
    assert "主辦單位：青雲縣民政局" in campaign.content[0].value


# --------------------------------------------------------------------------- limit


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("limit=2", 2),
        ("limit=1", 1),
        ("limit=0", 1),
        ("limit=-4", 1),
        ("limit=500", None),
        ("limit=", None),
    ],
)
def test_limit_is_clamped_into_1_to_50(client, tree, query, expected):
    everything = len(parse(client.get(feed_url("zh-hans", "/", "rss"))).entries)
    response = client.get(feed_url("zh-hans", "/", "rss") + "?" + query)
    assert response.status_code == 200
    assert len(parse(response).entries) == (expected or everything)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1.5", "2e3", "１０", "9" * 40, "5;drop"])
def test_limit_that_is_not_an_integer_is_a_clear_400(client, tree, value):
    for kind in ("rss", "atom", "json"):
        response = client.get(feed_url("zh-hans", "/", kind), {"limit": value})
        assert response.status_code == 400
        assert b"limit must be an integer from 1 to 50" in response.content


@pytest.mark.django_db
def test_at_most_50_items(client, tree):
    series = SeriesPageFactory(parent=tree.campaign, slug="long", planned_episodes=60)
    for n in range(1, 56):
        EpisodePageFactory(parent=series, slug=f"long-{n}", title=f"长篇第{n}集", number=n)
    entries = parse(client.get(feed_url("zh-hans", "/qingyun/long/", "rss"))).entries
    assert len(entries) == 50
    # The latest fifty, still in episode order.
    assert entries[0].title == "长篇第6集" and entries[-1].title == "长篇第55集"


# --------------------------------------------------------------------------- routing


@pytest.mark.django_db
def test_pages_without_feeds_and_unknown_paths_are_404(client, tree):
    for path in (
        "/zh-hans/qingyun/series/ep-1/feed/rss/",
        "/zh-hans/gushi/xiaoyu/feed/json/",
        "/zh-hans/nowhere/feed/atom/",
        "/zh-hans/qingyun/series/draft/feed/rss/",
        "/zh-hans/xinwen/lapsed/feed/rss/",
    ):
        assert client.get(path).status_code == 404, path
    # A private section's feed is a route of the page: Wagtail's view restriction answers
    # first, as for the page itself (its password form), and no feed is served.
    private = client.get("/zh-hans/xinwen/private/feed/rss/")
    assert "xml" not in private["Content-Type"] and "<item>" not in private.content.decode()
    assert client.get("/zh-hans/feed/xml/").status_code == 404
    assert client.post(feed_url("zh-hans", "/", "rss")).status_code == 405


# --------------------------------------------------------------------------- conditional GET


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ("rss", "atom", "json"))
def test_conditional_get_round_trips(client, tree, kind):
    url = feed_url("zh-hans", "/qingyun/", kind)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified
    assert first["Cache-Control"].startswith("public, max-age=300")
    assert parsedate_to_datetime(last_modified) <= timezone.now()

    by_etag = client.get(url, headers={"if-none-match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == etag and by_etag["Cache-Control"].startswith("public, max-age=300")
    assert by_etag["Access-Control-Allow-Origin"] == "*"

    by_date = client.get(url, headers={"if-modified-since": last_modified})
    assert by_date.status_code == 304

    stale = client.get(url, headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200 and stale["ETag"] == etag
    older = (parsedate_to_datetime(last_modified) - datetime.timedelta(days=1)).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    assert client.get(url, headers={"if-modified-since": older}).status_code == 200

    # The ETag follows the bytes: regenerated unchanged content keeps it, a change moves it.
    cache.clear()
    assert client.get(url)["ETag"] == etag
    campaign = fresh(tree.campaign)
    campaign.title = "青云童心守护行动（第二期）"
    campaign.save_revision().publish()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ("rss", "atom", "json"))
def test_last_modified_comes_from_the_content_not_the_render(client, tree, kind):
    """Two app servers (each with its own cache and content version) rendering the same
    content at different times answer the same Last-Modified, and If-Modified-Since alone
    gives a 304; a change that leaves no date on any item still moves it."""
    url = feed_url("zh-hans", "/gushi/", kind)
    start = timezone.now()
    answers = []
    for minutes in (3, 17):
        cache.clear()  # another server: nothing cached, a content version of its own
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            answers.append(client.get(url))
    first, second = answers
    assert first["Last-Modified"] == second["Last-Modified"]
    assert first["ETag"] == second["ETag"]
    assert parsedate_to_datetime(first["Last-Modified"]) <= start
    cache.clear()
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert again.status_code == 304
        assert again["Last-Modified"] == first["Last-Modified"]
        assert again["ETag"] == first["ETag"]

    # A consent withdrawn changes no item's date; Last-Modified moves all the same.
    withdrawn_at = start + datetime.timedelta(minutes=40)
    with time_machine.travel(withdrawn_at, tick=False):
        identity = fresh(tree.story).identity
        identity.consent_partners = False
        identity.save()
    with time_machine.travel(start + datetime.timedelta(minutes=45), tick=False):
        changed = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert changed.status_code == 200
    assert parsedate_to_datetime(changed["Last-Modified"]) == withdrawn_at.replace(microsecond=0)
    assert tree.story.title not in changed.content.decode()


@pytest.mark.django_db
def test_an_unpublished_page_moves_last_modified(client, tree):
    url = feed_url("zh-hant", "/xinwen/", "rss")
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        before = client.get(url)
    unpublished_at = start + datetime.timedelta(minutes=9)
    with time_machine.travel(unpublished_at, tick=False):
        fresh(tree.hant_news).unpublish()
    cache.clear()
    with time_machine.travel(start + datetime.timedelta(minutes=12), tick=False):
        after = client.get(url, headers={"if-modified-since": before["Last-Modified"]})
    assert after.status_code == 200
    assert parsedate_to_datetime(after["Last-Modified"]) == unpublished_at.replace(microsecond=0)


@pytest.mark.django_db
def test_cache_is_per_script_and_answers_without_queries(client, tree, django_assert_num_queries):
    hans_url = feed_url("zh-hans", "/gushi/", "rss")
    hant_url = feed_url("zh-hant", "/gushi/", "rss")
    # A first request anywhere may create settings rows with their defaults (a one-time event
    # per deployment); what is measured here is the steady state.
    client.get(feed_url("zh-hans", "/", "json"))
    hans = client.get(hans_url)
    hant = client.get(hant_url)
    assert hans["ETag"] != hant["ETag"]
    assert "小雨的新书包" in hans.content.decode() and "小雨的新書包" in hant.content.decode()
    with django_assert_num_queries(0):
        again = client.get(hant_url)
        not_modified = client.get(hans_url, headers={"if-none-match": hans["ETag"]})
    assert again.content == hant.content
    assert not_modified.status_code == 304


# --------------------------------------------------------------------------- query counts


def count_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_query_counts_stay_flat_as_items_grow(client, tree):
    """3 vs 30 items, each with an image and credits, in every format. A mixed feed costs one
    query per page type present, so its two measurements keep every type present (3 vs
    15 + 15 new items)."""
    image = ImageFactory()
    series = SeriesPageFactory(parent=tree.campaign, slug="flat", planned_episodes=40)
    index = StoryIndexPageFactory(parent=tree.campaign, slug="flat-stories")
    made = {"n": 1}

    def grow_to(n):
        for i in range(made["n"], n + 1):
            EpisodePageFactory(
                parent=series,
                slug=f"flat-{i}",
                number=i,
                body=image_body(image),
                credits=credits(("记者", [f"记者{i}"])),
            )
            StoryPageFactory(parent=index, slug=f"flat-story-{i}", body=image_body(image))
        made["n"] = n + 1

    kinds = ("rss", "atom", "json")
    single = [
        feed_url(language, path, kind)
        for kind in kinds
        for language, path in (("zh-hant", "/qingyun/flat/"), ("zh-hans", "/qingyun/flat-stories/"))
    ]
    mixed = [
        feed_url(language, path, kind)
        for kind in kinds
        for language, path in (("zh-hant", "/"), ("zh-hans", "/qingyun/"))
    ]
    grow_to(3)
    for url in single + mixed:  # renditions are made once, on the first request
        count_queries(client, url)
    few = {url: count_queries(client, url) for url in single + mixed}
    grow_to(15)
    assert {url: count_queries(client, url) for url in mixed} == {u: few[u] for u in mixed}
    grow_to(30)
    assert {url: count_queries(client, url) for url in single} == {u: few[u] for u in single}
    assert len(parse(client.get(single[0])).entries) == 30
    # From scratch (every cache emptied): Wagtail's routing to the page (kept afterwards per
    # content version: tongxin.core.routing), the site and its root paths, the site-wide
    # caches (conversion configuration, names the site holds, next expiry, restricted paths)
    # and the entries.
    assert max(few.values()) <= 32


# --------------------------------------------------------------------------- discovery


def render_tag(page, path, template="{% load syndication %}{% feed_links page %}"):
    request = RequestFactory().get(path)
    with translation.override(path.split("/")[1]):
        return Template(template).render(Context({"page": page, "request": request}))


@pytest.mark.django_db
def test_discovery_links_for_pages_with_feeds(tree):
    html = render_tag(tree.campaign, "/zh-hant/qingyun/")
    for kind, mime in (
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ):
        assert (
            f'<link rel="alternate" type="{mime}" href="http://testserver/zh-hant/qingyun/feed/{kind}/"'
            in html
        )
    assert 'type="application/json+oembed"' in html
    assert "url=http%3A%2F%2Ftestserver%2Fzh-hant%2Fqingyun%2F&amp;format=json" in html
    # Titles carry the page's origin marker: the conversion middleware renders them.
    converted = render_for_script(html, "hant")
    assert 'title="RSS：青雲童心守護行動' in converted
    assert not any(c in converted for c in "\ue000\ue001\ue002")

    episode = render_tag(tree.episodes[0], "/zh-hans/qingyun/series/ep-1/")
    assert "application/rss+xml" not in episode and "json+oembed" in episode
    web_only = StoryPage.objects.get(pk=tree.web_only.pk)
    assert render_tag(web_only, "/zh-hans/gushi/web-only/").strip() == ""
    assert render_tag(None, "/zh-hans/search/").strip() == ""


@pytest.mark.django_db
def test_pages_carry_the_discovery_links_and_the_embed_code(client, tree):
    html = client.get("/zh-hant/qingyun/").content.decode()
    assert 'type="application/rss+xml" href="http://testserver/zh-hant/qingyun/feed/rss/"' in html
    assert 'type="application/json+oembed"' in html
    assert "&lt;iframe src=&quot;http://testserver/zh-hant/qingyun/embed/&quot;" in html
    assert 'title="RSS：青雲童心守護行動' in html
    assert not any(c in html for c in "\ue000\ue001\ue002")
    web_only = client.get("/zh-hans/gushi/web-only/").content.decode()
    assert "json+oembed" not in web_only and "embed/" not in web_only


# --------------------------------------------------------------------------- cookies

# What a reader's browser may still carry from our site: a csrftoken of the wrong shape and
# a sessionid whose session is gone. On a page the middlewares answer with Set-Cookie.
STALE_COOKIES = "csrftoken=short; sessionid=gone-session-key"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_no_cookie_is_set_or_cleared_whatever_the_request_carries(client, tree, kind):
    """Feeds are `Cache-Control: public`: a shared cache replaying a Set-Cookie would hand
    every reader the same CSRF token, or clear editors' sessions."""
    url = feed_url("zh-hant", "/qingyun/", kind)
    for response in (
        client.get(url, HTTP_COOKIE=STALE_COOKIES),
        client.get(url, {"limit": "abc"}, HTTP_COOKIE=STALE_COOKIES),
    ):
        assert response.status_code in (200, 400)
        assert "Set-Cookie" not in str(response.serialize_headers(), "latin-1")
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
