"""The partner widget at `<page URL>embed/`: list or card, both scripts, framable only there,
no cookies, no forms, only partner-cleared content, and the copy-paste iframe code."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tongxin.syndication.embeds import embed_size, list_height

from .factories import EpisodePageFactory, SeriesPageFactory
from .test_feeds import build_feed_tree

LIST_PAGES = ["/", "/qingyun/", "/qingyun/series/", "/gushi/", "/xinwen/"]
CARD_PAGES = ["/qingyun/series/ep-1/", "/qingyun/fund-launch/", "/xinwen/launch/", "/gushi/xiaoyu/"]
SCRIPTS = ("zh-hans", "zh-hant")
LINK_RE = re.compile(r'<a href="([^"]+)" target="_top"')


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end (see tests/test_feeds.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_feed_tree()
        transaction.set_rollback(True)


def embed(client, language, path, **params):
    return client.get(f"/{language}{path}embed/", params)


def assert_framable_widget(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("public, max-age=300")
    assert not response.cookies
    html = response.content.decode()
    for forbidden in ("<form", "<input", "<textarea", 'class="site-header"'):
        assert forbidden not in html
    # One script: the static file that posts the widget's height to the framing page.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/embed-height.js" defer>']
    assert "<main" in html and html.count("<main") == 1
    assert not any(c in html for c in "\ue000\ue001\ue002")
    return html


def assert_not_framable(response):
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def item_count(html):
    return len(re.findall(r'<li>\s*<a href="', html))


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_index_like_pages_embed_a_list_of_links_to_the_top_window(client, tree, language):
    for path in LIST_PAGES:
        html = assert_framable_widget(embed(client, language, path))
        assert 'class="widget widget--list"' in html, path
        assert '<base target="_top">' in html
        links = LINK_RE.findall(html)
        assert len(links) >= 3, path
        for link in links:
            parts = urlsplit(link)
            assert parts.scheme == "http" and parts.netloc == "testserver"
            assert parts.path.startswith(f"/{language}/")
            assert client.get(parts.path).status_code == 200, link


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_single_pages_embed_a_card(client, tree, language):
    for path in CARD_PAGES:
        html = assert_framable_widget(embed(client, language, path))
        assert 'class="widget widget--card"' in html, path
        assert f'<a href="http://testserver/{language}{path}" target="_top">' in html
    story = embed(client, language, "/gushi/xiaoyu/").content.decode()
    assert "（化名）" in story
    episode = embed(client, language, "/qingyun/series/ep-2/").content.decode()
    assert "第 2 集" in episode


@pytest.mark.django_db
def test_text_is_in_the_script_of_the_prefix(client, tree):
    hans = embed(client, "zh-hans", "/xinwen/").content.decode()
    hant = embed(client, "zh-hant", "/xinwen/").content.decode()
    assert "儿童节关爱活动" in hans and "兒童節關愛活動" in hant
    assert "来自" in hans and "來自" in hant and "来自" not in hant
    assert '<html lang="zh-Hant">' in hant


@pytest.mark.django_db
def test_limit_is_1_to_20(client, tree):
    everything = item_count(embed(client, "zh-hans", "/", limit=20).content.decode())
    assert everything > 5
    assert item_count(embed(client, "zh-hans", "/").content.decode()) == 5  # the default
    assert item_count(embed(client, "zh-hans", "/", limit=2).content.decode()) == 2
    assert item_count(embed(client, "zh-hans", "/", limit=0).content.decode()) == 1
    assert item_count(embed(client, "zh-hans", "/", limit=99).content.decode()) == min(
        everything, 20
    )
    for value in ("abc", "2.5", "x1"):
        response = embed(client, "zh-hans", "/", limit=value)
        assert response.status_code == 400
        assert b"limit must be an integer from 1 to 20" in response.content


@pytest.mark.django_db
def test_default_list_length_and_cap(client, tree):
    series = SeriesPageFactory(parent=tree.campaign, slug="many", planned_episodes=30)
    for n in range(1, 26):
        EpisodePageFactory(parent=series, slug=f"many-{n}", number=n, title=f"多集第{n}集")
    assert item_count(embed(client, "zh-hans", "/qingyun/many/").content.decode()) == 5
    html = embed(client, "zh-hans", "/qingyun/many/", limit=50).content.decode()
    assert item_count(html) == 20
    assert "多集第25集" in html and "多集第5集" not in html


@pytest.mark.django_db
def test_only_partner_cleared_public_content(client, tree):
    for path in (
        "/gushi/web-only/",
        "/gushi/expired/",
        "/gushi/no-consent/",
        "/qingyun/series/draft/",
        "/xinwen/lapsed/",
        "/nowhere/",
    ):
        response = embed(client, "zh-hans", path)
        assert response.status_code == 404, path
        assert_not_framable(response)
    # A private section's widget is a route of the page: Wagtail's view restriction answers
    # first, as for the page itself, and no widget is served or framable.
    private = embed(client, "zh-hans", "/xinwen/private/")
    assert 'class="embed' not in private.content.decode()
    assert_not_framable(private)
    for path in ("/", "/gushi/", "/qingyun/"):
        html = embed(client, "zh-hans", path, limit=20).content.decode()
        for title in tree.excluded_titles:
            assert title not in html, (path, title)
    assert tree.story.title in embed(client, "zh-hans", "/gushi/").content.decode()


@pytest.mark.django_db
def test_frame_ancestors_come_from_settings(client, tree):
    partners = ["https://partner.example", "https://news.example.cn"]
    with override_settings(EMBED_FRAME_ANCESTORS=partners):
        response = embed(client, "zh-hant", "/qingyun/")
    assert response.status_code == 200
    assert (
        "frame-ancestors https://partner.example https://news.example.cn"
        in response["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_every_other_route_refuses_framing(client, tree):
    for url in (
        "/zh-hans/",
        "/zh-hant/qingyun/",
        "/zh-hans/gushi/xiaoyu/",
        "/zh-hans/qingyun/feed/rss/",
        "/zh-hant/feed/json/",
        "/oembed/?url=http://testserver/zh-hans/qingyun/",
        "/zh-hans/nowhere/",
    ):
        assert_not_framable(client.get(url))


@pytest.mark.django_db
def test_no_cookies_even_for_a_signed_in_editor(client, tree):
    user = get_user_model().objects.create_user("editor", password="x-unused-password-1")
    client.force_login(user)
    client.cookies.pop("csrftoken", None)
    for path in ("/qingyun/", "/gushi/xiaoyu/"):
        response = embed(client, "zh-hant", path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_post_is_refused(client, tree):
    assert client.post("/zh-hans/qingyun/embed/").status_code == 405
    assert client.head("/zh-hans/qingyun/embed/").status_code == 200


@pytest.mark.django_db
def test_list_embed_query_count_stays_flat(client, tree):
    series = SeriesPageFactory(parent=tree.campaign, slug="flat-embed", planned_episodes=30)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert embed(client, "zh-hant", "/qingyun/flat-embed/", limit=20).status_code == 200
        return len(queries)

    for n in range(1, 4):
        EpisodePageFactory(parent=series, slug=f"fe-{n}", number=n)
    count()  # first use creates the script settings row
    few = count()
    for n in range(4, 21):
        EpisodePageFactory(parent=series, slug=f"fe-{n}", number=n)
    assert count() == few


# --------------------------------------------------------------------------- iframe code


def render_embed_code(page, language):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        template = Template("{% load syndication %}{% embed_code page %}")
        return template.render(Context({"page": page, "request": request}))


@pytest.mark.django_db
def test_campaign_series_and_story_pages_offer_the_iframe_code(client, tree):
    for page, path in (
        (tree.campaign, "/qingyun/"),
        (tree.series, "/qingyun/series/"),
        (tree.story, "/gushi/xiaoyu/"),
    ):
        html = render_embed_code(page, "zh-hant")
        assert "<details" in html and "<textarea readonly" in html
        src = f"http://testserver/zh-hant{path}embed/"
        assert f"&lt;iframe src=&quot;{src}&quot;" in html
        assert "target" not in html or "_top" not in html  # the widget does that, not the code
        assert "sandbox=&quot;allow-scripts allow-same-origin allow-popups " in html
        width, height = embed_size(page)
        assert f"width=&quot;{width}&quot; height=&quot;{height}&quot;" in html
        assert client.get(urlsplit(src).path).status_code == 200


@pytest.mark.django_db
def test_no_iframe_code_for_content_partners_may_not_embed(tree):
    from stories.models import StoryPage

    for story in (tree.web_only, tree.expired, tree.no_identity):
        assert render_embed_code(StoryPage.objects.get(pk=story.pk), "zh-hans").strip() == ""
    assert render_embed_code(None, "zh-hans").strip() == ""


@pytest.mark.django_db
def test_no_cookie_is_set_or_cleared_whatever_the_request_carries(client, tree):
    """A malformed csrftoken or a dead sessionid must not earn a Set-Cookie on a widget
    answer that shared caches may store (`Cache-Control: public`)."""
    stale = "csrftoken=short; sessionid=gone-session-key"
    for path, status in (("/qingyun/", 200), ("/gushi/xiaoyu/", 200), ("/nowhere/", 404)):
        response = client.get(f"/zh-hans{path}embed/", HTTP_COOKIE=stale)
        assert response.status_code == status
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_the_embed_height_fits_each_kind(tree):
    """Lists: header, `limit` items of 80px (1px rules), footer. Cards: 16:9 image of the
    inner width when there is one, then the text (line clamps) and the footer. The browser
    test (test_browser_widgets.py) checks these in Chromium."""
    assert list_height(5) == 487 and list_height(3) == 325 and list_height(1) == 163
    assert embed_size(tree.campaign) == (480, 487)
    assert embed_size(tree.campaign, maxwidth=320) == (320, 487)
    assert embed_size(tree.campaign, limit=3) == (480, 325)
    news = type(tree.news).objects.get(pk=tree.news.pk)  # has an image
    width, height = embed_size(news)
    assert width == 480 and height > round(478 * 9 / 16) + 37
    narrow = embed_size(news, maxwidth=300)
    assert narrow[0] == 300 and narrow[1] < height  # the image shrinks more than text grows
    story = type(tree.story).objects.get(pk=tree.story.pk)  # no image
    assert embed_size(story)[1] < 240
