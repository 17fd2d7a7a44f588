"""`manage.py import_legacy`: saved pages of old sites become clean draft news pages, once,
with the original kept, the privacy problems flagged in the admin, and every bad file
reported without stopping the others."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision

from campaigns.models import NewsPage
from tongxin.exchange.models import LegacyImport

from . import legacy_samples as s
from .factories import build_site_tree

PARENT = "/xinwen/"


@pytest.fixture
def tree(db):
    return build_site_tree()


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_legacy", *map(str, args), stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def imported():
    return NewsPage.objects.filter(legacy_import__isnull=False)


@pytest.mark.parametrize(("script", "encoding"), s.COMBINATIONS)
def test_saved_page_becomes_a_clean_draft(tree, tmp_path, script, encoding):
    charset = {"gb18030": "gb2312"}.get(encoding, encoding)
    data = s.encode(s.html_page(script, charset), encoding)
    path = write(tmp_path, "content_1234.htm", data)
    out, err, code = run(path, "--parent", PARENT)
    assert (code, err) == (0, "")
    page = imported().get()
    assert f"{path} -> /xinwen/{page.slug}/ (draft)" in out.splitlines()
    assert "removed: " in out and "spam " in out and "pinyin " in out
    assert "flag: " in out and f"{path}:" in out and "school_class 六(2)班 … 王**" in out
    assert "王小明" not in out
    # Never published, as written, in its script.
    assert not page.live and page.first_published_at is None
    t = lambda text: s.in_script(text, script)  # noqa: E731
    assert page.title == t(s.TITLE)
    assert page.script == script
    assert timezone.localtime(page.date).replace(tzinfo=None) == s.DATE
    assert (page.source_name, page.source_url) == (t(s.SOURCE), s.SOURCE_URL)
    assert [(c.value["role"], list(c.value["names"])) for c in page.byline] == [
        (t(role), [t(n) for n in names]) for role, names in s.CREDITS
    ]
    assert page.responsible_editor == t(s.EDITOR)
    assert page.photo_credit == t(s.PHOTO)
    assert [b.block_type for b in page.body] == ["paragraph"] * len(s.PARAGRAPHS)
    assert [b.value.source for b in page.body] == [
        f"<p>{p}</p>" for p in s.clean_paragraphs(script)
    ]
    # The original, byte for byte, kept privately beside the draft.
    record = LegacyImport.objects.get(page=page)
    with record.original.open("rb") as f:
        assert f.read() == data
    assert record.encoding == encoding
    assert {
        "kind": "school_class",
        "line": record.report["flags"][0]["line"],
        "text": "六(2)班 … 王**",
    } in record.report["flags"]


def test_rerun_updates_the_same_draft_and_writes_nothing_when_unchanged(tree, tmp_path):
    html = write(tmp_path, "a.html", s.encode(s.html_page("hant", "big5"), "big5"))
    run(html, "--parent", PARENT)
    page = imported().get()
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    out, _, code = run(html, "--parent", PARENT)
    assert code == 0 and "unchanged" in out
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions
    # The same article from a content farm and as plain text: the same draft, left as the
    # first file made it (with its source link, which the text copy lacks).
    farm = write(tmp_path, "farm.html", s.encode(s.html_page("hant", "big5", farm=True), "big5"))
    text = write(tmp_path, "a.txt", s.encode(s.text_page("hant"), "utf-8"))
    out, _, code = run(farm, text, "--parent", PARENT)
    assert code == 0
    assert imported().count() == 1
    assert out.count(f"-> /xinwen/{page.slug}/ (draft)") == 2
    assert out.count("the same article as a.html") == 2
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions
    page = NewsPage.objects.get(pk=page.pk)
    assert page.source_url == s.SOURCE_URL
    with LegacyImport.objects.get(page=page).original.open("rb") as f:
        assert f.read() == html.read_bytes()


def test_rerun_with_changed_cleaning_makes_a_new_revision_of_the_same_draft(tree, tmp_path):
    html = write(tmp_path, "a.html", s.encode(s.html_page("hans", "utf-8"), "utf-8"))
    run(html, "--parent", PARENT)
    page = imported().get()
    # As if an older importer had cleaned this file differently.
    LegacyImport.objects.filter(page=page).update(fingerprint="0" * 64, report={})
    NewsPage.objects.filter(pk=page.pk).update(title="旧标题")
    before = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    out, _, code = run(html, "--parent", PARENT)
    assert code == 0 and "updated" in out
    page = NewsPage.objects.get(pk=page.pk)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == before + 1
    assert page.get_latest_revision_as_object().title == s.TITLE
    assert not page.live and imported().count() == 1


def test_dry_run_writes_nothing(tree, tmp_path):
    html = write(tmp_path, "a.html", s.encode(s.html_page("hans", "gb2312"), "gb18030"))
    pages = Page.objects.count()
    out, err, code = run(html, "--parent", PARENT, "--dry-run")
    assert code == 0 and "(draft) (dry run)" in out and "created" in out
    assert Page.objects.count() == pages and not LegacyImport.objects.exists()


def test_bad_files_are_reported_and_the_others_still_imported(tree, tmp_path):
    good = write(tmp_path, "good.html", s.encode(s.html_page("hans"), "utf-8"))
    bad = {
        "empty.html": b"",
        "image.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200),
        "broken.htm": bytes(range(128, 256)) * 20,
        "notitle.txt": "这是一段没有标题的正文，只有一句话。".encode(),
    }
    paths = [write(tmp_path, name, data) for name, data in bad.items()]
    missing = tmp_path / "missing.html"
    out, err, code = run(*paths, good, missing, "--parent", PARENT)
    assert code == 1
    assert "Traceback" not in out + err
    assert f"{good} -> /xinwen/" in out
    assert imported().count() == 1
    for path in [*paths, missing]:
        assert f"{path}: error: " in err
    assert "空" in err and "二进制" in err and "编码" in err and "标题" in err and "不存在" in err
    assert "5 of 6 files failed" in err


@pytest.mark.parametrize(
    ("parent", "reason"), [("/nowhere/", "没有这个页面"), ("/gushi/", "不是新闻栏目")]
)
def test_unknown_or_wrong_parent_is_refused(tree, tmp_path, parent, reason):
    good = write(tmp_path, "good.html", s.encode(s.html_page("hans"), "utf-8"))
    out, err, code = run(good, "--parent", parent)
    assert code == 1 and reason in err and parent in err
    assert "Traceback" not in err and not imported().exists()


def test_export_content_writes_the_draft_for_review(tree, tmp_path):
    run(
        write(tmp_path, "a.html", s.encode(s.html_page("hant", "big5"), "big5")), "--parent", PARENT
    )
    page = imported().get()
    out = StringIO()
    call_command("export_content", stdout=out, stderr=StringIO())
    exported = next(
        p for p in json.loads(out.getvalue())["pages"] if p["path"] == f"/xinwen/{page.slug}/"
    )
    assert exported["live"] is False
    assert exported["type"] == "news" and exported["script"] == "hant"
    assert exported["title"] == s.in_script(s.TITLE, "hant")
    assert exported["responsible_editor"] == s.in_script(s.EDITOR, "hant")
    assert exported["source"] == {"name": s.SOURCE, "url": s.SOURCE_URL}
    assert [b["type"] for b in exported["body"]] == ["paragraph"] * len(s.PARAGRAPHS)
    # The file reads back: `responsible_editor` is part of the format Tongxin reads.
    document = tmp_path / "review.json"
    document.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_content", str(document), stdout=StringIO(), stderr=StringIO())
    page = NewsPage.objects.get(pk=page.pk)
    assert not page.live
    assert page.get_latest_revision_as_object().responsible_editor == s.in_script(s.EDITOR, "hant")


def test_admin_shows_the_warning_and_the_original(tree, tmp_path, client):
    data = s.encode(s.html_page("hans"), "utf-8")
    run(write(tmp_path, "a.html", data), "--parent", PARENT)
    page = imported().get()
    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw-not-secret-123")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "此草稿由旧网站的页面" in html
    assert "可能暴露儿童身份" in html and "六(2)班" in html
    assert "责任编辑" in html and s.EDITOR in html
    response = client.get(reverse("legacy_original", args=[page.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data
    # A page that was not imported has no warning and no original.
    other = NewsPage.objects.exclude(pk=page.pk).first()
    html = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk])).content.decode()
    assert "此草稿由旧网站的页面" not in html
    response = client.get(reverse("legacy_original", args=[other.pk]), follow=True)
    assert response.status_code == 404


def test_original_is_not_given_to_users_who_cannot_edit_the_page(tree, tmp_path, client):
    run(write(tmp_path, "a.html", s.encode(s.html_page("hans"), "utf-8")), "--parent", PARENT)
    page = imported().get()
    user = get_user_model().objects.create_user("reader", "r@example.com", "pw-not-secret-123")
    client.force_login(user)
    response = client.get(reverse("legacy_original", args=[page.pk]), follow=True)
    assert response.status_code in (200, 403)
    assert response.status_code == 403 or "login" in response.request["PATH_INFO"]
    assert b"<html" not in b"".join(getattr(response, "streaming_content", [b""]))


def test_a_title_that_names_a_child_is_not_printed(tree, tmp_path):
    page = "<h1>六(2)班王小明获得助学金</h1><p>2022-01-10</p><p>学校为他送去了助学金。</p>"
    out, err, code = run(write(tmp_path, "a.html", page.encode()), "--parent", PARENT)
    assert code == 0
    assert "王小明" not in out and "标题有隐私问题" in out
    assert "school_class 六(2)班 … 王**" in out or "school_class 王** … 六(2)班" in out
