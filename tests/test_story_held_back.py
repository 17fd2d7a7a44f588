"""What the editor sees when the privacy check holds a story back in the admin: the draft is
saved, nothing is published, and a Chinese message lists every finding with its field and
position — never Wagtail's English "The page could not be created/saved". Possible names the
record does not know are shown to privacy reviewers as warnings, which never block."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from stories.models import StoryPage
from stories.roles import PRIVACY_OFFICERS
from tongxin.editorial.roles import EDITORS

from .factories import build_site_tree
from .test_story_guard import CLEAN_TEXT, leaking_revision, live_text, post_edit, story_form

LEAKY = "<p>她家在花溪乡白岩村，住在儿科二病区12床，生日是2013.09.21。</p>"


@pytest.fixture
def tree(db):
    return build_site_tree()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-123456")


@pytest.fixture
def officer(db):
    user = get_user_model().objects.create_user("officer", "o@example.com", "pw-123456")
    user.groups.add(Group.objects.get(name=PRIVACY_OFFICERS))
    return user


def test_publishing_a_leaky_story_saves_a_draft_and_says_so_in_chinese(client, tree, superuser):
    client.force_login(superuser)
    before = live_text(tree.story)
    response = post_edit(client, tree.story, story_form(tree.story, LEAKY))

    html = response.content.decode()
    assert response.status_code == 200
    assert "已保存为草稿，没有发布：隐私检查发现 5 处问题" in html
    for finding in ["花*乡", "白*村", "*病区", "**床", "****.**.**"]:
        assert finding in html, finding
    assert "「正文第 1 块（段落）」包含疑似县以下的具体地名" in html and "第 7 个字起" in html
    assert "The page could not be" not in html
    # Saved, not published: the live page is unchanged, the draft holds the text.
    assert live_text(tree.story) == before
    page = StoryPage.objects.get(pk=tree.story.pk)
    assert page.has_unpublished_changes
    assert "白岩村" in str(page.get_latest_revision_as_object().body[0].value)
    # The page history says why, without the matched text.
    entry = PageLogEntry.objects.get(page=page, action="tongxin.privacy_guard.refused")
    assert entry.data["kinds"] == ["birth_date", "hospital_bed", "place"]
    assert "白岩" not in str(entry.data)


def test_the_next_publish_after_fixing_goes_live(client, tree, superuser):
    client.force_login(superuser)
    post_edit(client, tree.story, story_form(tree.story, LEAKY))
    response = post_edit(client, tree.story, story_form(tree.story, CLEAN_TEXT))
    assert response.status_code == 302
    assert "图书室" in live_text(tree.story)[1]


def test_a_new_leaky_story_is_created_as_a_draft(client, tree, superuser):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=["stories", "storypage", tree.story_index.pk])
    data = story_form(tree.story, LEAKY, slug="held-back", title="新故事")
    data["action-publish"] = "action-publish"
    response = client.post(url, data, follow=True)
    page = StoryPage.objects.get(slug="held-back")
    assert not page.live
    html = response.content.decode()
    assert "已保存为草稿，没有发布" in html and "白*村" in html
    assert "The page could not be" not in html
    assert client.get(page.url or "/nowhere/").status_code == 404


def test_privacy_reviewers_see_possible_names_as_warnings(client, tree, superuser, officer):
    client.force_login(superuser)
    body = "<p>小雨和同桌赵小梅一起去上学。</p>"
    response = post_edit(client, tree.story, story_form(tree.story, body), publish=True)
    assert response.status_code == 302  # a warning never blocks
    assert "赵小梅" in live_text(tree.story)[1]
    # The privacy officer (who reviews, but does not publish) sees them on saving a draft.
    client.force_login(officer)
    response = post_edit(client, tree.story, story_form(tree.story, body), publish=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "可能含有未登记的人名" in page and "赵小梅" in page


def test_editors_without_access_to_identities_get_no_name_warnings(client, tree, superuser):
    editor = get_user_model().objects.create_user("ed", "ed@example.com", "pw-123456")
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    body = "<p>小雨和同桌赵小梅一起去上学。</p>"
    response = post_edit(client, tree.story, story_form(tree.story, body), publish=False)
    assert response.status_code == 302
    assert "可能含有未登记的人名" not in client.get(response["Location"]).content.decode()


# --- the moderator's last approval, outside the edit page ---------------------------------


def in_moderation_at_the_last_step(story, html):
    """The story submitted with `html`, through 初审 and 隐私审核: the 主编's approval is next."""
    make = get_user_model().objects.create_user
    editor, reviewer, chief = make("ed"), make("rev"), make("chief2")
    for user, group in ((editor, "编辑"), (reviewer, "责任编辑"), (chief, "主编")):
        user.groups.add(Group.objects.get(name=group))
    leaking_revision(story, user=editor, html=html)
    page = StoryPage.objects.get(pk=story.pk)
    state = page.get_workflow().start(page, editor)
    for _ in range(2):
        state.refresh_from_db()
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    state.refresh_from_db()
    return chief, state


def approve_url(page, state):
    task_state = state.current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


@pytest.mark.parametrize("xhr", [False, True], ids=["button", "modal"])
def test_the_last_approval_of_a_leaky_story_is_refused_in_chinese(client, tree, xhr):
    """The dashboard's and the listing's approve button (and its modal) go through Wagtail's
    workflow action view, not the edit form: it would mark the workflow approved while the
    guard quietly kept the story offline. It is refused first, and the moderator told."""
    chief, state = in_moderation_at_the_last_step(tree.story, LEAKY)
    before = live_text(tree.story)
    client.force_login(chief)
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    response = client.post(approve_url(tree.story, state), **headers)
    if xhr:
        assert response.json()["step"] == "success"
        html = client.get(response.json()["redirect"]).content.decode()
    else:
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()

    assert "没有批准，也没有发布：隐私检查发现 5 处问题，请修改后再批准。" in html
    assert "白*村" in html and "第 7 个字起" in html
    assert "The page could not be" not in html and "has been approved" not in html
    state.refresh_from_db()
    assert state.status == state.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "终审"
    assert live_text(tree.story) == before
    entry = PageLogEntry.objects.get(page=tree.story, action="tongxin.privacy_guard.refused")
    assert "白岩" not in str(entry.data)


def test_the_last_approval_of_a_clean_story_publishes(client, tree):
    chief, state = in_moderation_at_the_last_step(tree.story, CLEAN_TEXT)
    client.force_login(chief)
    assert client.post(approve_url(tree.story, state)).status_code == 302
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED
    assert "图书室" in live_text(tree.story)[1]


def test_traditional_chinese_editors_read_the_held_back_message_in_taiwan_usage(
    client, tree, superuser
):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "zh-hant"
    profile.save()
    client.force_login(superuser)
    html = post_edit(client, tree.story, story_form(tree.story, LEAKY)).content.decode()
    assert "已儲存為草稿，沒有發布：隱私檢查發現 5 處問題" in html
    assert "The page could not be" not in html
    url = reverse("wagtailadmin_pages:add", args=["stories", "storypage", tree.story_index.pk])
    data = story_form(tree.story, LEAKY, slug="held-back-hant", title="新故事")
    data["action-publish"] = "action-publish"
    html = client.post(url, data, follow=True).content.decode()
    assert "已儲存為草稿，沒有發布" in html and "The page could not be" not in html
