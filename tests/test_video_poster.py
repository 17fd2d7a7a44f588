"""Videos wait for the reader: preload="none", a poster (the video block's image, or a title
card drawn from the page's title), and a visible link to the original. The poster is an
optional key of the video block in the content format."""

import base64

import pytest
from django.utils import translation

from .test_content_export import export_to
from .test_content_import import (
    build_document,
    page_at,
    run_import,
    story,
    write_document,
    write_jpeg,
)

pytestmark = pytest.mark.django_db

VIDEO = "https://v.example.cn/1.mp4"


def with_poster(tmp_path):
    document = build_document(tmp_path)
    write_jpeg(tmp_path / "images" / "poster.jpg", (10, 20, 200))
    for page in document["pages"]:
        for block in page.get("body", []):
            if block["type"] == "video":
                block["poster"] = "images/poster.jpg"
                return document, page["path"]
    raise AssertionError("the sample document has no video block")


def card_svg(html):
    poster = html.split('poster="', 1)[1].split('"', 1)[0]
    prefix = "data:image/svg+xml;base64,"
    assert poster.startswith(prefix), poster[:60]
    return base64.b64decode(poster[len(prefix) :]).decode()


def test_a_poster_imports_exports_and_shows(tmp_path, client):
    document, path = with_poster(tmp_path)
    run_import(write_document(tmp_path, document))
    page = page_at(path)
    [video] = [b for b in page.body if b.block_type == "video"]
    assert video.value["poster"].title == "poster"

    exported = export_to(tmp_path / "out" / "content.json")
    [again] = [p for p in exported["pages"] if p["path"] == path]
    [block] = [b for b in again["body"] if b["type"] == "video"]
    assert block["poster"].startswith("images/") and block["url"] == VIDEO

    with translation.override("zh-hans"):
        html = client.get(page.get_url()).content.decode()
    tag = html.split("<video", 1)[1].split(">", 1)[0]
    assert 'preload="none"' in tag and 'poster="/media/images/' in tag
    assert f'<a href="{VIDEO}" rel="noopener">视频无法播放？打开原视频</a>' in html


def test_a_file_without_posters_imports_as_before(tmp_path):
    document = build_document(tmp_path)
    run_import(write_document(tmp_path, document))
    exported = export_to(tmp_path / "out" / "content.json")
    videos = [b for p in exported["pages"] for b in p.get("body", []) if b["type"] == "video"]
    assert videos and all("poster" not in b for b in videos)


def test_without_a_poster_a_title_card_in_the_readers_script(tmp_path, client):
    document = build_document(tmp_path)
    run_import(write_document(tmp_path, document))
    [episode] = [p for p in document["pages"] if p["type"] == "episode" and p.get("video_url")]
    page = page_at(episode["path"])
    for language, title in (("zh-hans", page.title), ("zh-hant", None)):
        with translation.override(language):
            response = client.get(page.get_url())
        html = response.content.decode()
        tag = html.split("<video", 1)[1].split(">", 1)[0]
        assert 'preload="none"' in tag
        svg = card_svg(tag)
        assert f"第 {page.number} 集" in svg and "<image" not in svg  # drawn, never a photo
        # The h1 is the title in the reader's script; the card says the same.
        h1 = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
        assert (title or h1)[:16] in svg


def test_a_story_may_not_use_a_video_poster(tmp_path):
    document = build_document(tmp_path)
    write_jpeg(tmp_path / "images" / "poster.jpg", (10, 20, 200))
    held = story(path="/gushi/poster/", title="有封面的故事")
    held["body"].append({"type": "video", "url": VIDEO, "poster": "images/poster.jpg"})
    document["pages"].append(held)
    out, err = run_import(write_document(tmp_path, document))
    assert "视频封面" in err
    assert not page_at("/gushi/poster/").live


def test_the_format_keys_of_the_video_block():
    from tongxin.exchange.blocks import format_keys

    assert format_keys("video") == ("url", "caption", "poster")


def test_feeds_link_the_video_and_show_the_poster_not_the_title_card(tmp_path, client):
    document = build_document(tmp_path)
    write_jpeg(tmp_path / "images" / "poster.jpg", (10, 20, 200))
    news = next(p for p in document["pages"] if p["type"] == "news")
    news.setdefault("body", []).append(
        {"type": "video", "url": VIDEO, "caption": "宣传片", "poster": "images/poster.jpg"}
    )
    news.setdefault("body", []).append({"type": "video", "url": VIDEO + "?2"})
    run_import(write_document(tmp_path, document))
    with translation.override("zh-hans"):
        feed_url = page_at(news["path"]).get_parent().get_url() + "feed/rss/"
    body = client.get(feed_url).content.decode()
    assert "data:image" not in body  # the title card is for the player only
    assert VIDEO in body and "http://testserver/media/images/" in body
