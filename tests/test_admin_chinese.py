"""The admin speaks simplified Chinese to every new user, whatever their browser sends, with
none of the English strings editors met in Wagtail's catalogue gaps; a user may switch."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from tests.factories import build_site_tree

# Seen by editors before the project's locale filled the gaps (issue 12).
ENGLISH = [
    "The page could not be created due to validation errors",
    "Go to the first error",
    "Pages <span",
    "created in",
    "Moderators",
    "Editors",
    "Changes requested",
    "Your pages and snippets in a workflow",
    "Search all pages",
    "Content metrics",
    "Reading time",
    "Show keyboard shortcuts",
    "Choose when this page should go live",
    "Page types usage",
    "Date updated",
    "Has child pages",
    ">True<",
    ">False<",
]


@pytest.fixture
def tree(db):
    return build_site_tree()


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("xinren", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


def assert_chinese(html, where):
    for phrase in ENGLISH:
        assert phrase not in html, f"{phrase!r} on {where}"


def test_new_users_get_simplified_chinese(editor):
    assert UserProfile.get_for_user(editor).get_preferred_language() == "zh-hans"


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "zh-TW,zh;q=0.9", "zh-CN"])
def test_dashboard_and_page_editor_have_no_english(client, tree, editor, accept):
    client.force_login(editor)
    headers = {"HTTP_ACCEPT_LANGUAGE": accept}
    dashboard = client.get(reverse("wagtailadmin_home"), **headers).content.decode()
    assert 'lang="zh-hans"' in dashboard
    assert_chinese(dashboard, "dashboard")

    add = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", tree.news_index.pk])
    assert_chinese(client.get(add, **headers).content.decode(), "new page")
    # An empty title: the form comes back with its errors.
    data = nested_form_data(
        {
            "title": "",
            "slug": "",
            "summary": "",
            "script": "hans",
            "date": "",
            "tags": "",
            "region": "",
            "source_name": "",
            "source_url": "",
            "photo_credit": "",
            "byline": streamfield([]),
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "conversion_rules": streamfield([]),
        }
    )
    response = client.post(add, {**data, "action-submit": "submit"}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "填写有误，页面未能创建。" in html
    assert "转到第一个错误" in html
    assert_chinese(html, "page editor with errors")

    edit = reverse("wagtailadmin_pages:edit", args=[tree.news.pk])
    assert_chinese(client.get(edit, **headers).content.decode(), "page editor")
    choose = reverse("wagtailadmin_pages:add_subpage", args=[tree.campaign.pk])
    chooser = client.get(choose, **headers).content.decode()
    assert "基金启动仪式的报道" in chooser  # what each page type is for


def test_submit_button_names_the_workflow_in_chinese(client, tree, editor):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[tree.news.pk])).content.decode()
    assert "审核发布" in edit
    assert "Moderators approval" not in edit


def test_a_user_may_choose_english(client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    assert "Dashboard" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_identity_list_shows_yes_and_no(client, tree, db):
    officer = get_user_model().objects.create_user("officer", password="pw-not-secret-123")
    officer.groups.add(Group.objects.get(name="隐私专员"))
    client.force_login(officer)
    html = client.get(reverse("story_identities:index")).content.decode()
    assert ">是<" in html.replace(" ", "").replace("\n", "") or ">否<" in html.replace(
        " ", ""
    ).replace("\n", "")
    assert "True" not in html and "False" not in html
