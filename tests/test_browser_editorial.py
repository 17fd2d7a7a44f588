"""The editorial desk in a real browser, as docs/editors.md shows it: an 编辑 writes an episode
(the slug fills itself in pinyin) and submits it; the 责任编辑 first asks for changes with a
comment, which the editor reads, then approves; the 主编 approves and the episode is live
naming its 责任编辑 in both scripts. Stories go through the 隐私专员; scheduling and the
conversion rules are shown too.

The screenshots are the guide's (docs/img/, committed, small PNGs): run with
`make browser-test`; it needs Debian's chromium and fonts-noto-cjk.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

from campaigns.models import EpisodePage, SeriesPage
from stories.models import StoryPage
from tests.factories import build_site_tree

from .browsers import launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESK = {"width": 1100, "height": 760}
DOCS_IMG = Path(settings.BASE_DIR) / "docs" / "img"
PASSWORD = "pw-not-secret-123"


@pytest.fixture(scope="module")
def browser():
    yield from launched()


def make_user(username, group, first_name, last_name):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    return user


class Desk:
    """One signed-in admin user in their own browser context."""

    def __init__(self, browser, base_url, user):
        self.context = browser.new_context(viewport=DESK, locale="zh-CN")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.open("/admin/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation(wait_until="load"):
            self.page.click("button[type=submit]")

    def open(self, path):
        self.page.goto(self.base_url + path, wait_until="load")

    def shot(self, name):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        path = DOCS_IMG / f"{name}.png"
        self.page.screenshot(path=path)
        # A 64-colour palette keeps the committed screenshots small and the text readable.
        with Image.open(path) as image:
            image.convert("RGB").quantize(colors=64).save(path, optimize=True)

    def press(self, selector, navigates=True):
        # Footer actions sit in a drop-down; clicking through the DOM avoids opening it.
        # Waiting for the navigation matters: the test's own queries must not meet the live
        # server's write on the shared SQLite database.
        button = self.page.locator(selector).first
        if not navigates:
            button.evaluate("button => button.click()")
            return
        with self.page.expect_navigation(wait_until="load"):
            button.evaluate("button => button.click()")

    def close(self):
        self.context.close()


@pytest.fixture
def desk(browser, live_server):
    tree = build_site_tree()
    SeriesPage.objects.filter(pk=tree.series.pk).update(planned_episodes=4)
    people = {
        "editor": make_user("xiaowang", "编辑", "小", "王"),
        "reviewer": make_user("zhangwei", "责任编辑", "伟", "张"),
        "chief": make_user("chenzhu", "主编", "主", "陈"),
        "officer": make_user("zhouyin", "隐私专员", "隐", "周"),
    }
    opened = []

    def sign_in(role):
        desk = Desk(browser, live_server.url, people[role])
        opened.append(desk)
        return desk

    yield tree, sign_in
    for desk in opened:
        desk.close()


def open_status_panel(desk):
    desk.page.get_by_role("button", name="状态").first.click()
    desk.page.wait_for_timeout(300)


def workflow_action(desk, name, comment=None):
    selector = f'[data-workflow-action-name="{name}"]'
    if comment is None:
        desk.press(selector)
        return
    desk.press(selector, navigates=False)
    dialog = desk.page.locator("textarea[name=comment]")
    dialog.wait_for()
    dialog.fill(comment)
    with desk.page.expect_navigation(wait_until="load"):
        desk.page.locator("form:has(textarea[name=comment]) button[type=submit]").click()


def test_an_episode_through_the_review_chain(desk, live_server):
    tree, sign_in = desk
    editor = sign_in("editor")
    editor.open(f"/admin/pages/add/campaigns/episodepage/{tree.series.pk}/")
    editor.page.fill("#id_title", "第四集 奶奶的菜园")
    editor.page.locator("#id_title").press("Tab")
    slug = editor.page.locator("#id_slug")
    editor.page.wait_for_function(
        "() => document.getElementById('id_slug').value === 'disiji-nainai-de-caiyuan'"
    )
    editor.page.fill("#id_summary", "奶奶在屋后开了一块菜园，小雨放学后去帮忙。")
    editor.shot("editor-write-episode")
    # On a loaded machine Wagtail's own title→slug sync has been seen to write the Chinese
    # auto-slug once more after the pinyin; the form's fallback turns such a slug into pinyin
    # on saving, which the lookup by slug below checks.
    editor.page.get_by_role("tab", name="推荐").click()
    slug.scroll_into_view_if_needed()
    editor.shot("editor-pinyin-slug")
    editor.page.get_by_role("tab", name="内容").click()

    editor.press("button[name=action-submit]")
    episode = EpisodePage.objects.get(slug="disiji-nainai-de-caiyuan")
    assert episode.number == 4 and not episode.live
    editor.open(f"/admin/pages/{episode.pk}/edit/")
    editor.shot("editor-submitted")

    reviewer = sign_in("reviewer")
    reviewer.open("/admin/")
    assert "第四集 奶奶的菜园" in reviewer.page.content()
    reviewer.shot("reviewer-dashboard")
    reviewer.open(f"/admin/pages/{episode.pk}/edit/")
    workflow_action(reviewer, "reject", comment="导语请写明菜园在哪个村。")

    editor.open(f"/admin/pages/{episode.pk}/edit/")
    assert "导语请写明菜园在哪个村。" in editor.page.content()
    open_status_panel(editor)
    editor.shot("editor-changes-requested")
    editor.page.fill("#id_summary", "奶奶在青石村屋后开了一块菜园，小雨放学后去帮忙。")
    editor.press("button[name=action-submit]")

    reviewer.open(f"/admin/pages/{episode.pk}/edit/")
    open_status_panel(reviewer)
    reviewer.shot("reviewer-approve")
    workflow_action(reviewer, "approve")

    chief = sign_in("chief")
    chief.open(f"/admin/pages/{episode.pk}/edit/")
    workflow_action(chief, "approve")
    episode.refresh_from_db()
    assert episode.live and episode.responsible_editor == "张伟"

    path = episode.url_path.split("/", 2)[2]
    chief.open(f"/zh-hans/{path}")
    assert "责任编辑：张伟" in chief.page.content()
    chief.shot("published-responsible-editor")
    chief.open(f"/zh-hant/{path}")
    assert "責任編輯：張偉" in chief.page.content()
    assert editor.errors == [] and reviewer.errors == [] and chief.errors == []


def test_a_story_goes_through_the_privacy_review(desk):
    tree, sign_in = desk
    story = StoryPage.objects.get(pk=tree.story.pk)
    editor = get_user_model().objects.get(username="xiaowang")
    story.save_revision(user=editor)
    story.get_workflow().start(story, editor)

    reviewer = sign_in("reviewer")
    reviewer.open(f"/admin/pages/{story.pk}/edit/")
    workflow_action(reviewer, "approve")

    officer = sign_in("officer")
    officer.open(f"/admin/pages/{story.pk}/edit/")
    assert "隐私审核" in officer.page.content()
    open_status_panel(officer)
    officer.shot("privacy-review")
    workflow_action(officer, "approve")
    officer.open("/admin/reports/identity-access/")
    officer.shot("identity-access-report")


def test_scheduling_and_conversion_rules(desk):
    tree, sign_in = desk
    chief = sign_in("chief")
    chief.open(f"/admin/pages/{tree.news.pk}/edit/")
    open_status_panel(chief)
    chief.page.get_by_role("button", name="设置计划").first.click()
    chief.page.locator("#id_go_live_at").wait_for()
    chief.page.fill("#id_go_live_at", "2030-06-01 09:00")
    chief.page.wait_for_timeout(300)
    chief.shot("scheduling")

    reviewer = sign_in("reviewer")
    reviewer.open("/admin/snippets/scripts/conversionrule/add/")
    reviewer.page.fill("#id_hans", "微心愿")
    reviewer.page.fill("#id_hant", "微心願")
    reviewer.page.fill("#id_note", "活动名称，两岸写法一致")
    reviewer.shot("conversion-rule")
