"""export_content: the site as a tongxin-content/1 document, and back again."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from campaigns.models import DonationHost, Fund, Organization
from stories.models import StoryIdentity
from tongxin.scripts.models import ConversionRule

from .test_content_import import (
    build_document,
    page_at,
    run_import,
    site_state,
    story,
    write_document,
)

EXPIRED = {"obtained_on": "2020-01-01", "expires_on": "2021-01-01", "scope": ["web"]}


def export(*args):
    out, err = StringIO(), StringIO()
    call_command("export_content", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export_to(path, *args):
    export("--output", str(path), *args)
    return json.loads(path.read_text(encoding="utf-8"))


def pages_by_path(document):
    return {page["path"]: page for page in document["pages"]}


def publication_state():
    """Per path: live, and whether a revision waits for its go-live time."""
    home = page_at("/")
    return {
        page.url_path[len(home.url_path) - 1 :]: (
            page.live,
            bool(page.latest_revision and page.latest_revision.approved_go_live_at),
        )
        for page in Page.objects.descendant_of(home, inclusive=True).select_related(
            "latest_revision"
        )
    }


def wipe_site():
    """Everything an import writes, gone: pages below home, snippets, images."""
    for child in page_at("/").get_children():
        child.specific.delete()
    Fund.objects.all().delete()
    Organization.objects.all().delete()
    DonationHost.objects.all().delete()
    ConversionRule.objects.all().delete()
    get_image_model().objects.all().delete()


def rich_document(tmp_path):
    """build_document plus a draft, a scheduled page and a story held by the privacy check."""
    document = build_document(tmp_path)
    document["pages"] += [
        {
            "type": "news",
            "path": "/xinwen/draft/",
            "title": "还在写的新闻",
            "live": False,
            "body": [{"type": "paragraph", "text": "草稿。"}],
        },
        {
            "type": "news",
            "path": "/xinwen/later/",
            "title": "明年的新闻",
            "go_live_at": "2099-01-01T10:00:00+08:00",
            "expire_at": "2099-06-01T00:00:00+08:00",
        },
        story("/gushi/aduo/", title="阿朵听见了春天", pseudonym="阿朵", consent=EXPIRED),
    ]
    return document


@pytest.mark.django_db
def test_export_then_import_into_an_empty_site_reproduces_it(tmp_path):
    out, _ = run_import(write_document(tmp_path / "source", rich_document(tmp_path / "source")))
    assert "1 held as draft" in out
    state, counts = publication_state(), site_state()
    first = export_to(tmp_path / "first" / "content.json", "--include-private")

    wipe_site()
    assert Page.objects.count() == 2  # Wagtail's root and the home page
    out, err = run_import(tmp_path / "first" / "content.json")
    second = export_to(tmp_path / "second" / "content.json", "--include-private")

    assert second == first
    assert publication_state() == state
    assert {k: v for k, v in site_state().items() if k != "revisions"} == {
        k: v for k, v in counts.items() if k != "revisions"
    }
    first_images = sorted((tmp_path / "first" / "images").iterdir())
    second_images = sorted((tmp_path / "second" / "images").iterdir())
    assert (
        [p.name for p in first_images]
        == [p.name for p in second_images]
        == [
            "hero.jpg",
            "lamp.jpg",
        ]
    )
    assert [p.read_bytes() for p in first_images] == [p.read_bytes() for p in second_images]
    files = {
        block["file"]
        for page in first["pages"]
        for block in page.get("body", [])
        if block["type"] == "image"
    }
    assert files == {"images/hero.jpg", "images/lamp.jpg"}


@pytest.mark.django_db
def test_drafts_and_scheduled_pages_keep_their_state_in_the_export(tmp_path):
    run_import(write_document(tmp_path, rich_document(tmp_path)))

    pages = pages_by_path(json.loads(export()[0]))

    assert pages["/xinwen/draft/"]["live"] is False
    assert pages["/gushi/aduo/"]["live"] is False  # held by the privacy check
    later = pages["/xinwen/later/"]
    assert "live" not in later and later["go_live_at"] == "2099-01-01T10:00:00+08:00"
    assert later["expire_at"] == "2099-06-01T00:00:00+08:00"
    assert "live" not in pages["/camp/"]


@pytest.mark.django_db
def test_export_follows_the_latest_revision_of_drafts_and_the_live_version_of_live_pages(
    tmp_path,
):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    news = page_at("/xinwen/qidong/")
    news.title = "改过的标题"
    news.save_revision()
    news.unpublish()
    campaign = page_at("/camp/")
    campaign.title = "还没发布的新标题"
    campaign.save_revision()

    pages = pages_by_path(json.loads(export()[0]))

    assert pages["/xinwen/qidong/"]["title"] == "改过的标题"
    assert pages["/xinwen/qidong/"]["live"] is False
    assert pages["/camp/"]["title"] == "童心守护专项行动"


@pytest.mark.django_db
def test_private_story_data_only_with_include_private(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))

    public, _ = export()
    private, _ = export("--include-private")

    xiaoyu = pages_by_path(json.loads(public))["/gushi/xiaoyu/"]
    assert "private" not in xiaoyu
    assert "陈思琪" not in public and "石桥镇" not in public
    assert xiaoyu["consent"] == {
        "obtained_on": "2026-03-01",
        "expires_on": "2099-12-31",
        "scope": ["web", "partners"],
    }
    xiaoyu = pages_by_path(json.loads(private))["/gushi/xiaoyu/"]
    assert xiaoyu["private"]["real_name"] == "陈思琪"
    assert xiaoyu["private"]["guardians"] == ["陈玉兰"]


@pytest.mark.django_db
def test_reimporting_an_export_without_private_data_keeps_the_private_record(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    export_to(tmp_path / "out" / "content.json")

    out, _ = run_import(tmp_path / "out" / "content.json")

    assert "created 0, updated 0, unchanged 10 pages" in out
    assert StoryIdentity.objects.get(story=page_at("/gushi/xiaoyu/")).real_name == "陈思琪"


@pytest.mark.django_db
def test_stdout_export_names_stored_originals_and_imports_unchanged(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    before = site_state()

    text, _ = export()
    files = [
        block["file"]
        for page in json.loads(text)["pages"]
        for block in page.get("body", [])
        if block["type"] == "image"
    ]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "export.json").write_text(text, encoding="utf-8")
    out, _ = run_import(elsewhere / "export.json")

    assert files and all(Path(f).is_absolute() and Path(f).is_file() for f in files)
    assert "created 0, updated 0, unchanged 10 pages" in out
    assert site_state() == before


@pytest.mark.django_db
def test_rich_text_edited_in_the_admin_is_exported_in_the_format(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    campaign = page_at("/camp/")
    news = page_at("/xinwen/qidong/")
    news.body = [
        {
            "type": "paragraph",
            "value": '<p data-block-key="a1">一<strong>二</strong></p>'
            f'<p data-block-key="b2">见<a linktype="page" id="{campaign.pk}">活动</a></p>',
        }
    ]
    news.save_revision().publish()

    body = pages_by_path(json.loads(export()[0]))["/xinwen/qidong/"]["body"]

    assert body[0] == {"type": "paragraph", "text": "一<b>二</b>"}
    assert body[1]["text"].startswith('见<a href="http')
    assert body[1]["text"].endswith('/camp/">活动</a>')


@pytest.mark.django_db
def test_export_lists_snippets_and_settings(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))

    document = json.loads(export()[0])

    assert document["format"] == "tongxin-content/1"
    assert document["settings"] == {"donation_hosts": ["gongyi.qq.com"], "hant_variant": "hk"}
    assert document["conversion_rules"] == [{"hans": "台账", "hant": "臺帳"}]
    assert [o["key"] for o in document["organizations"]] == ["bank", "cszh", "mzj"]
    fund = document["funds"][0]
    assert fund["raised"] == 1862400.5 and fund["target"] == 5000000
    assert fund["organization"] == "cszh" and fund["custodian"] == "bank"
