"""oEmbed provider: `/oembed/?url=&format=json&maxwidth=&maxheight=` answers and errors."""

import html as html_lib
import json
import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Site

from .test_feeds import build_feed_tree

IFRAME_SRC_RE = re.compile(r'<iframe src="([^"]+)"')


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end (see tests/test_feeds.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_feed_tree()
        transaction.set_rollback(True)


def oembed(client, url=None, **params):
    if url is not None:
        params["url"] = url
    return client.get("/oembed/", params)


def answer(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["provider_name"] == "童心"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert f'width="{data["width"]}"' in data["html"]
    assert f'height="{data["height"]}"' in data["html"]
    # A picture and a source for every answer.
    assert data["thumbnail_url"].startswith(("http://", "https://"))
    assert data["thumbnail_width"] > 0 and data["thumbnail_height"] > 0
    assert data["author_name"]
    assert data["provider_url"].startswith(("http://", "https://"))
    return data


@pytest.mark.django_db
def test_rich_answer_with_the_embed_iframe(client, tree):
    data = answer(oembed(client, "http://testserver/zh-hans/qingyun/", format="json"))
    assert data["title"] == tree.campaign.title
    assert data["provider_url"] == "http://testserver/zh-hans/"
    src = IFRAME_SRC_RE.search(data["html"]).group(1)
    assert src == "http://testserver/zh-hans/qingyun/embed/"
    assert f'title="{html_lib.escape(tree.campaign.title)}"' in data["html"]
    assert (data["width"], data["height"]) == (480, 487)  # a list of 5
    assert data["cache_age"] > 0
    # The iframe works and is framable.
    widget = client.get(urlsplit(src).path)
    assert widget.status_code == 200 and "X-Frame-Options" not in widget


@pytest.mark.django_db
def test_format_defaults_to_json_and_the_script_follows_the_url(client, tree):
    data = answer(oembed(client, "http://testserver/zh-hant/xinwen/hant/"))
    assert data["title"] == "兒童節關愛活動"
    assert "/zh-hant/xinwen/hant/embed/" in data["html"]
    data = answer(oembed(client, "http://testserver/zh-hans/xinwen/hant/"))
    assert data["title"] == "儿童节关爱活动"
    data = answer(oembed(client, "http://testserver/zh-hant/gushi/xiaoyu/"))
    assert data["title"] == "小雨的新書包" + tree.story.title.removeprefix("小雨的新书包")
    assert data["width"] == 480 and data["height"] < 440  # a card without an image


@pytest.mark.django_db
def test_urls_in_other_spellings(client, tree):
    for url, src in (
        ("http://testserver/qingyun/", "http://testserver/zh-hans/qingyun/embed/"),
        ("http://testserver/zh-TW/qingyun", "http://testserver/zh-hant/qingyun/embed/"),
        (
            "http://TESTSERVER/zh-hant/qingyun/?from=wechat#top",
            "http://testserver/zh-hant/qingyun/embed/",
        ),
        ("http://testserver/zh-hans/", "http://testserver/zh-hans/embed/"),
        ("http://testserver", "http://testserver/zh-hans/embed/"),
    ):
        data = answer(oembed(client, url))
        assert IFRAME_SRC_RE.search(data["html"]).group(1) == src, url


@pytest.mark.django_db
def test_maxwidth_and_maxheight_are_respected(client, tree):
    data = answer(oembed(client, "http://testserver/zh-hans/qingyun/", maxwidth="320"))
    assert (data["width"], data["height"]) == (320, 487)
    data = answer(
        oembed(client, "http://testserver/zh-hans/qingyun/", maxwidth="1000", maxheight="300")
    )
    assert (data["width"], data["height"]) == (480, 300)


@pytest.mark.django_db
def test_urls_on_a_configured_site_hostname(client, tree):
    # The default Site's hostname (the factories use localhost) and another one added here.
    Site.objects.create(hostname="tongxin.example", port=443, root_page=tree.home)
    for url, src in (
        ("http://localhost/zh-hans/qingyun/", "http://localhost/zh-hans/qingyun/embed/"),
        ("http://localhost:80/zh-hans/qingyun/", "http://localhost/zh-hans/qingyun/embed/"),
        (
            "https://tongxin.example/zh-hant/qingyun/",
            "https://tongxin.example/zh-hant/qingyun/embed/",
        ),
    ):
        data = answer(oembed(client, url))
        assert IFRAME_SRC_RE.search(data["html"]).group(1) == src
        assert data["provider_url"] == src.split("/zh-")[0] + "/" + src.split("/")[3] + "/"


@pytest.mark.django_db
def test_urls_that_are_not_public_pages_here_are_404(client, tree):
    for url in (
        "http://testserver/zh-hans/nowhere/",
        "http://testserver/zh-hans/qingyun/series/draft/",
        "http://testserver/zh-hans/xinwen/private/",
        "http://testserver/zh-hans/xinwen/lapsed/",
        "http://testserver/zh-hans/gushi/web-only/",
        "http://testserver/zh-hans/gushi/expired/",
        "http://testserver/zh-hans/gushi/no-consent/",
        "http://testserver/zh-hans/qingyun/feed/rss/",
        "http://testserver/zh-hans/qingyun/embed/",
        "http://testserver/admin/",
        "http://partner.example/zh-hans/qingyun/",
        "https://evil.example/zh-hans/qingyun/",
        "http://testserver/zh-hans/qingyun/../gushi/web-only/",
        "http://testserver:8081/zh-hans/qingyun/",
        "https://tongxin.example:8443/zh-hans/qingyun/",
    ):
        response = oembed(client, url)
        assert response.status_code == 404, url
        assert "error" in json.loads(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"url": ""},
        {"url": "   "},
        {"url": "qingyun"},
        {"url": "/zh-hans/qingyun/"},
        {"url": "ftp://testserver/zh-hans/qingyun/"},
        {"url": "javascript:alert(1)"},
        {"url": "http://"},
        {"url": "http://[::1/zh-hans/"},
        {"url": "http://testserver:99999/zh-hans/"},
        {"url": "http://user:secret@testserver/zh-hans/qingyun/"},
        {"url": "http://testserver/zh-hans/" + "a" * 3000},
        {"url": "http://testserver/zh-hans/qingyun/", "maxwidth": "wide"},
        {"url": "http://testserver/zh-hans/qingyun/", "maxwidth": "0"},
        {"url": "http://testserver/zh-hans/qingyun/", "maxheight": "-5"},
    ],
)
def test_missing_or_malformed_parameters_are_400(client, tree, params):
    response = client.get("/oembed/", params)
    assert response.status_code == 400, params
    assert json.loads(response.content)["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xml", "XML", "yaml"])
def test_other_formats_are_501(client, tree, fmt):
    response = oembed(client, "http://testserver/zh-hans/qingyun/", format=fmt)
    assert response.status_code == 501


@pytest.mark.django_db
def test_post_is_refused(client, tree):
    assert client.post("/oembed/?url=http://testserver/zh-hans/qingyun/").status_code == 405


@pytest.mark.django_db
def test_discovery_link_leads_to_a_working_answer(client, tree):
    request = RequestFactory().get("/zh-hant/gushi/xiaoyu/")
    with translation.override("zh-hant"):
        html = Template("{% load syndication %}{% feed_links page %}").render(
            Context({"page": tree.story, "request": request})
        )
    href = re.search(r'type="application/json\+oembed" href="([^"]+)"', html).group(1)
    data = answer(client.get(html_lib.unescape(href).removeprefix("http://testserver")))
    assert "/zh-hant/gushi/xiaoyu/embed/" in data["html"]
    assert "application/rss+xml" not in html  # a story has no feed of its own


@pytest.mark.django_db
def test_no_cookie_is_set_or_cleared_whatever_the_request_carries(client, tree):
    stale = "csrftoken=short; sessionid=gone-session-key"
    for url, status in (
        ("http://testserver/zh-hans/qingyun/", 200),
        ("http://testserver/zh-hans/nowhere/", 404),
        ("not a url", 400),
    ):
        response = client.get("/oembed/", {"url": url}, HTTP_COOKIE=stale)
        assert response.status_code == status
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_thumbnail_author_and_provider(client, tree):
    # A page with an image: a JPEG rendition of it (16:9, at most 640×360, never upscaled:
    # the test image is small), on the URL's host, with its real size.
    data = answer(oembed(client, "http://testserver/zh-hant/xinwen/launch/"))
    assert data["thumbnail_url"].startswith("http://testserver/")
    assert data["thumbnail_url"].endswith(".jpg")
    rendition = tree.image.get_rendition("fill-640x360|format-jpeg|jpegquality-85")
    assert data["thumbnail_url"] == "http://testserver" + rendition.url
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (
        rendition.width,
        rendition.height,
    )
    assert 0 < data["thumbnail_width"] <= 640 and 0 < data["thumbnail_height"] <= 360
    assert client.get(urlsplit(data["thumbnail_url"]).path).status_code in (200, 404)  # media
    assert data["author_name"] == "陳晨"  # the byline, in the URL's script
    assert data["provider_name"] == "童心"
    assert data["provider_url"] == "http://testserver/zh-hant/"
    # No image: the site's card, a static file.
    data = answer(oembed(client, "http://testserver/zh-hans/qingyun/"))
    assert data["thumbnail_url"] == "http://testserver/static/img/oembed-card.png"
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (640, 360)
    assert data["author_name"] == "青云县民政局"  # the organizing body
    data = answer(oembed(client, "http://testserver/zh-hans/qingyun/series/ep-1/"))
    assert data["author_name"] == "王芳、李强、赵磊"  # the credits


@pytest.mark.django_db
def test_a_story_shows_only_images_the_privacy_guard_allows_and_no_real_name(client, tree):
    from stories.models import StoryPage

    from .test_feeds import image_body

    story = StoryPage.objects.get(pk=tree.story.pk)
    body = json.loads(image_body(tree.image))
    body[1]["value"]["consent"] = ""  # no portrait consent stated
    story.body = json.dumps(body)
    story.save()
    data = answer(oembed(client, "http://testserver/zh-hans/gushi/xiaoyu/"))
    assert data["thumbnail_url"].endswith("/static/img/oembed-card.png")
    body[1]["value"]["consent"] = "illustrative"
    story.body = json.dumps(body)
    story.save()
    data = answer(oembed(client, "http://testserver/zh-hans/gushi/xiaoyu/"))
    assert data["thumbnail_url"].startswith("http://testserver/")
    assert data["thumbnail_url"].endswith(".jpg")
    real_name = story.identity.real_name
    assert real_name and real_name not in json.dumps(data, ensure_ascii=False)
    assert data["author_name"] == "童心"  # a story without a byline
