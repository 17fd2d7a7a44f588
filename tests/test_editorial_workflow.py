"""The 审核发布 workflow end to end through the admin, as the newsroom uses it: an 编辑
writes and submits, the 责任编辑 approves (初审) or requests changes with a comment, the 主编
approves (终审) and the article goes live naming its 责任编辑 in both scripts."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from campaigns.models import NewsPage
from stories.models import StoryPage
from tests.factories import build_site_tree


@pytest.fixture
def tree(db):
    return build_site_tree()


def make_user(username, group, first_name="", last_name=""):
    user = get_user_model().objects.create_user(
        username, password="pw-not-secret-123", first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def desk(db):
    return {
        "editor": make_user("xiaowang", "编辑", "小", "王"),
        "reviewer": make_user("zhangwei", "责任编辑", "伟", "张"),
        "other_reviewer": make_user("lina", "责任编辑", "娜", "李"),
        "chief": make_user("chenzhu", "主编", "主", "陈"),
        "officer": make_user("zhouyin", "隐私专员", "隐", "周"),
    }


def news_form(title, body="<p>民政局为困境儿童送去冬衣。</p>", **extra):
    data = {
        "title": title,
        "slug": "dongyi",
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
        "body": streamfield([("paragraph", rich_text(body))]),
        "conversion_rules": streamfield([]),
    }
    data.update(extra)
    return nested_form_data(data)


def submit_news(client, editor, tree, title="送冬衣到村里"):
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", tree.news_index.pk])
    response = client.post(add, {**news_form(title), "action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return NewsPage.objects.get(title=title)


def act(client, user, page, action, comment=""):
    client.force_login(user)
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    data = {"comment": comment} if comment else {}
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    return task_state


def public(client, page, language="zh-hans"):
    client.logout()
    path = page.url_path.split("/", 2)[2]  # drop the root and the home page's slug
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 200
    return response.content.decode()


def test_submit_first_review_final_review_publishes_with_the_responsible_editor(client, tree, desk):
    page = submit_news(client, desk["editor"], tree)
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.workflow.name == "审核发布"
    assert state.current_task_state.task.name == "初审"

    # The editor cannot approve their own article.
    client.force_login(desk["editor"])
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", state.current_task_state.pk],
    )
    assert client.post(url).status_code in (302, 403)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "初审"

    act(client, desk["reviewer"], page, "approve")
    state.refresh_from_db()
    # 隐私审核 is for stories: a news article goes straight on to 终审.
    assert state.current_task_state.task.name == "终审"
    assert not NewsPage.objects.get(pk=page.pk).live

    act(client, desk["chief"], page, "approve")
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert page.responsible_editor == "张伟"
    assert "责任编辑：张伟" in public(client, page)
    assert "責任編輯：張偉" in public(client, page, "zh-hant")

    # Kept with the revision: a later edit approved by someone else shows the new name.
    client.force_login(desk["editor"])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(edit, {**news_form("送冬衣到村里（续）"), "action-submit": "submit"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=page.pk).responsible_editor == "张伟"
    act(client, desk["other_reviewer"], page, "approve")
    act(client, desk["chief"], page, "approve")
    page = NewsPage.objects.get(pk=page.pk)
    assert page.title == "送冬衣到村里（续）"
    assert "责任编辑：李娜" in public(client, page)
    assert page.live_revision.as_object().responsible_editor == "李娜"

    steps = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= steps


def test_a_rejection_brings_the_comment_back_to_the_editor(client, tree, desk):
    page = submit_news(client, desk["editor"], tree)
    act(client, desk["reviewer"], page, "reject", comment="导语太长，请压缩到两句话")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not NewsPage.objects.get(pk=page.pk).live

    client.force_login(desk["editor"])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "导语太长，请压缩到两句话" in edit
    assert "要求修改" in edit


def test_stories_pass_the_privacy_review_before_the_final_review(client, tree, desk):
    story = StoryPage.objects.get(pk=tree.story.pk)
    story.save_revision(user=desk["editor"])
    state = story.get_workflow().start(story, desk["editor"])
    act(client, desk["reviewer"], story, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "隐私审核"
    # Only privacy officers (and administrators) act on the privacy review.
    client.force_login(desk["chief"])
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[story.pk, "approve", state.current_task_state.pk],
    )
    client.post(url)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "隐私审核"
    act(client, desk["officer"], story, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "终审"
    act(client, desk["chief"], story, "approve")
    assert StoryPage.objects.get(pk=story.pk).responsible_editor == "张伟"


@pytest.mark.parametrize(
    ("role", "can_create", "can_publish", "sees_identities", "changes_funds"),
    [
        ("编辑", True, False, False, False),
        ("责任编辑", True, False, False, False),
        ("主编", True, True, False, False),
        ("隐私专员", True, False, True, False),
        ("基金管理员", False, False, False, True),
        ("站点管理员", False, False, False, False),
    ],
)
def test_roles_and_what_they_may_do(
    tree, role, can_create, can_publish, sees_identities, changes_funds
):
    user = make_user("someone", role)
    perms = tree.news.permissions_for_user(user)
    assert perms.can_edit() is can_create
    assert tree.news_index.permissions_for_user(user).can_add_subpage() is can_create
    assert perms.can_publish() is can_publish
    assert perms.can_unpublish() is can_publish
    assert user.has_perm("stories.view_storyidentity") is sees_identities
    assert user.has_perm("campaigns.change_fund") is changes_funds
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("campaigns.add_donationhost") is (role == "站点管理员")
    assert user.has_perm("scripts.change_conversionrule") is (role in ("责任编辑", "站点管理员"))


def test_who_may_act_on_each_step(tree):
    workflow = tree.news.get_workflow()
    steps = {task.name: task.specific for task in workflow.tasks.all()}
    assert list(steps) == ["初审", "隐私审核", "终审"]
    assert [g.name for g in steps["初审"].groups.all()] == ["责任编辑"]
    assert [g.name for g in steps["隐私审核"].groups.all()] == ["隐私专员"]
    assert [g.name for g in steps["终审"].groups.all()] == ["主编"]
    assert steps["初审"].credits_approver and steps["隐私审核"].stories_only


def test_publishing_outside_the_workflow_is_for_the_chief_editor_and_is_logged(client, tree, desk):
    for role in ("editor", "reviewer"):
        client.force_login(desk[role])
        edit = reverse("wagtailadmin_pages:edit", args=[tree.news.pk])
        client.post(edit, {**news_form("直接发布的尝试"), "action-publish": "publish"})
        assert NewsPage.objects.get(pk=tree.news.pk).title != "直接发布的尝试", role

    client.force_login(desk["chief"])
    edit = reverse("wagtailadmin_pages:edit", args=[tree.news.pk])
    response = client.post(edit, {**news_form("主编直接发布"), "action-publish": "publish"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=tree.news.pk).title == "主编直接发布"
    entry = PageLogEntry.objects.filter(page=tree.news, action="wagtail.publish").latest(
        "timestamp"
    )
    assert entry.user == desk["chief"]
