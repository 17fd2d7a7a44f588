"""Readable slugs: a page's slug is its title in pinyin (lower case, hyphenated, capped),
filled as the editor types and by the page form when left empty or Chinese; an editor may
still type any slug, and a published page's slug is never rewritten."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from campaigns.models import NewsPage
from tests.factories import NewsPageFactory, build_site_tree
from tongxin.core.slugs import MAX_LENGTH, pinyin_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("童心守护行动启动仪式", "tongxin-shouhu-xingdong-qidong-yishi"),
        ("2026年暑假“微心愿”认领活动", "2026-nian-shujia-wei-xinyuan-renling-huodong"),
        ("兒童節快樂", "ertongjie-kuaile"),
        ("绿色家园", "lvse-jiayuan"),
        ("Hello 世界！", "hello-shijie"),
        ("，。！", ""),
    ],
)
def test_pinyin_slug(title, slug):
    assert pinyin_slug(title) == slug


def test_long_titles_are_cut_at_a_word():
    slug = pinyin_slug("青云县民政局启动困境儿童关爱保护专项行动暨童心守护基金启动仪式在县城举行")
    assert len(slug) <= MAX_LENGTH
    assert not slug.endswith("-")
    assert slug.startswith("qingyun-xian-minzhengju-qidong")


@pytest.fixture
def tree(db):
    return build_site_tree()


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_user("xiaowang", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    return client


def news_form(title, slug):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "seo_title": "",
            "search_description": "",
            "summary": "",
            "script": "hans",
            "date": "",
            "tags": "",
            "region": "",
            "source_name": "",
            "source_url": "",
            "photo_credit": "",
            "byline": streamfield([]),
            "body": streamfield([]),
            "conversion_rules": streamfield([]),
        }
    )


def create(client, tree, title, slug):
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", tree.news_index.pk])
    response = client.post(url, {**news_form(title, slug), "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return NewsPage.objects.get(title=title)


@pytest.mark.parametrize("slug", ["", "暑假送清凉"])  # empty, or Wagtail's Chinese auto-slug
def test_the_page_form_fills_a_pinyin_slug(editor_client, tree, slug):
    page = create(editor_client, tree, "暑假送清凉", slug)
    assert page.slug == "shujia-song-qingliang"


def test_a_taken_slug_gets_a_number(editor_client, tree):
    NewsPageFactory(parent=tree.news_index, slug="shujia-song-qingliang")
    assert create(editor_client, tree, "暑假送清凉", "").slug == "shujia-song-qingliang-2"


@pytest.mark.parametrize("slug", ["summer-2026", "送清凉"])
def test_an_editor_may_type_any_slug(editor_client, tree, slug):
    assert create(editor_client, tree, "暑假送清凉", slug).slug == slug


def test_a_published_page_keeps_its_slug(editor_client, tree):
    news = tree.news
    NewsPage.objects.filter(pk=news.pk).update(slug="旧网址", title="旧网址")
    url = reverse("wagtailadmin_pages:edit", args=[news.pk])
    response = editor_client.post(url, {**news_form("旧网址", "旧网址"), "action-submit": "1"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=news.pk).slug == "旧网址"


def test_the_editor_asks_for_the_slug_as_the_title_is_typed(editor_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", tree.news_index.pk])
    html = editor_client.get(url).content.decode()
    endpoint = reverse("editorial_pinyin_slug")
    assert "editorial/js/pinyin-slug.js" in html and f'data-slug-url="{endpoint}"' in html

    NewsPageFactory(parent=tree.news_index, slug="shujia-song-qingliang")
    answer = editor_client.get(endpoint, {"title": "暑假送清凉", "parent": tree.news_index.pk})
    assert answer.json() == {"slug": "shujia-song-qingliang-2"}
    assert editor_client.get(endpoint, {"title": "暑假送清凉"}).json()["slug"] == (
        "shujia-song-qingliang"
    )
    assert editor_client.get(endpoint, {"parent": "x"}).json() == {"slug": ""}


def test_the_slug_endpoint_is_for_signed_in_editors(client, db):
    response = client.get(reverse("editorial_pinyin_slug"), {"title": "童心"})
    assert response.status_code == 302


# --- import: a page given by its parent, without a path --------------------------------------


@pytest.mark.django_db
def test_import_names_a_page_without_a_path_in_pinyin(tmp_path):
    from tests.test_content_import import build_document, refused, run_import, write_document
    from tongxin.exchange.site import find_page

    document = build_document(tmp_path)
    news_index = next(p for p in document["pages"] if p["type"] == "news_index")
    parent = news_index["path"]
    document["pages"] += [
        {"type": "news", "parent": parent, "title": "暑假送清凉"},
        {"type": "news", "parent": parent, "title": "暑假送清凉", "summary": "第二篇"},
    ]
    path = write_document(tmp_path, document)
    run_import(path)
    first = find_page(f"{parent}shujia-song-qingliang/")
    second = find_page(f"{parent}shujia-song-qingliang-2/")
    assert first is not None and second is not None
    assert second.summary == "第二篇"

    out, _ = run_import(path)  # the same file again: the same pages, nothing new
    assert "created 0" in out

    bad = {
        "format": "tongxin-content/1",
        "pages": [{"type": "news", "parent": parent, "title": "！"}],
    }
    err = refused(write_document(tmp_path, bad, "bad.json"))
    assert "the title gives no slug: give a path instead" in err
