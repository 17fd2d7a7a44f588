"""The audit log: every view or edit of an identity record (who, when, which record), in a
report only privacy officers and superusers see; fund figure changes with before and after;
publishes and unpublishes (Wagtail's own entries)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test.utils import override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from campaigns.models import Fund
from stories.models import StoryIdentity
from tests import test_story_identity_admin as identity_admin
from tests.factories import build_site_tree
from tests.test_donation import fund_form
from tests.test_story_identity_admin import PRIVATE_VALUES, body_of, identity_form, make_user

REPORT = "stories_identity_access"


@pytest.fixture
def tree(db, tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=str(tmp_path / "private")):
        tree = build_site_tree()
        identity = tree.story.identity
        identity.real_name = identity_admin.REAL_NAME
        identity.school = identity_admin.SCHOOL
        identity.address = identity_admin.ADDRESS
        identity.save()
        tree.identity = identity
        yield tree


@pytest.fixture
def users(db):
    return {
        "privacy_officer": make_user("officer", "隐私专员"),
        "editor": make_user("editor", "编辑"),
        "moderator": make_user("moderator", "责任编辑"),
        "superuser": make_user("admin", superuser=True),
    }


def identity_entries(identity):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StoryIdentity), object_id=str(identity.pk)
    ).order_by("timestamp", "pk")


def test_opening_an_identity_record_is_logged(client, tree, users):
    client.force_login(users["privacy_officer"])
    edit = reverse("story_identities:edit", args=[tree.identity.pk])
    assert client.get(edit).status_code == 200
    entry = identity_entries(tree.identity).get(action="tongxin.identity.view")
    assert entry.user == users["privacy_officer"]
    assert tree.story.title in entry.label  # the story, never the real name
    assert identity_admin.REAL_NAME not in entry.label
    assert entry.timestamp is not None

    client.post(edit, identity_form(tree.story, notes="新的备注"))
    actions = list(identity_entries(tree.identity).values_list("action", flat=True))
    assert actions[-1] == "wagtail.edit"


def test_refused_visitors_leave_no_view_entry(client, tree, users):
    client.force_login(users["editor"])
    client.get(reverse("story_identities:edit", args=[tree.identity.pk]))
    assert not identity_entries(tree.identity).filter(action="tongxin.identity.view").exists()


def test_privacy_officers_read_the_access_report(client, tree, users):
    officer = users["privacy_officer"]
    client.force_login(officer)
    client.get(reverse("story_identities:edit", args=[tree.identity.pk]))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(REPORT) in home

    html = client.get(reverse(REPORT)).content.decode()
    assert "身份记录访问" in html
    assert "查看" in html and officer.username in html and tree.story.title in html
    for value in PRIVATE_VALUES:
        assert value not in html

    csv = body_of(client.get(reverse(REPORT), {"export": "csv"}))
    assert csv.splitlines()[0] == "时间,操作人,操作,记录（故事标题）,记录编号"
    assert officer.username in csv and tree.story.title in csv

    client.force_login(users["superuser"])
    assert client.get(reverse(REPORT)).status_code == 200


def test_nobody_else_sees_the_access_report(client, tree, users):
    for role in ("editor", "moderator"):
        client.force_login(users[role])
        assert client.get(reverse(REPORT)).status_code in (302, 403), role
        assert reverse(REPORT) not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    assert client.get(reverse(REPORT)).status_code == 302


def test_fund_figure_changes_are_logged_with_before_and_after(client, tree):
    manager = get_user_model().objects.create_user("jijin", password="pw-not-secret-123")
    manager.groups.add(Group.objects.get(name="基金管理员"))
    client.force_login(manager)
    fund = tree.fund
    edit = reverse(Fund.snippet_viewset.get_url_name("edit"), args=[fund.pk])
    old_raised = fund.raised
    data = fund_form(tree.organization, key=fund.key, name=fund.name, raised="123456")
    data["donate_url"] = fund.donate_url
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ModelLogEntry.objects.get(action="tongxin.fund.figures", object_id=str(fund.pk))
    assert entry.user == manager
    old, new = entry.data["raised"]
    assert Decimal(old) == old_raised and Decimal(new) == Decimal("123456")
    history = reverse(Fund.snippet_viewset.get_url_name("history_results"), args=[fund.pk])
    assert "已筹金额（元）：" in client.get(history).content.decode()


def test_unpublishing_is_logged(client, tree, users):
    client.force_login(users["superuser"])
    url = reverse("wagtailadmin_pages:unpublish", args=[tree.news.pk])
    client.post(url)
    entry = PageLogEntry.objects.get(page=tree.news, action="wagtail.unpublish")
    assert entry.user == users["superuser"]
