"""What a new editor and a reader of the traditional rendition see, in headless Chromium:
the admin's dashboard and page editor in Chinese, the public page's interface in Taiwan
usage. Screenshots go to tests/screenshots/ (look at them).

Run by `make browser-test`, not by `make test` (needs Debian's chromium and a live server).
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .browsers import launched
from .factories import build_site_tree
from .test_admin_chinese import ENGLISH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "pw-not-secret-123"


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture
def tree(live_server):
    return build_site_tree()


def test_a_new_editor_meets_a_chinese_admin(browser, live_server, tree):
    user = get_user_model().objects.create_user("xinren", password=PASSWORD)
    user.groups.add(Group.objects.get(name="编辑"))
    SCREENSHOTS.mkdir(exist_ok=True)
    # The browser asks for English: the admin answers in simplified Chinese all the same.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "xinren")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("main")
    page.screenshot(path=SCREENSHOTS / "admin-new-editor-dashboard.png")
    for phrase in ENGLISH:
        assert phrase not in page.content(), phrase
    page.goto(f"{live_server.url}/admin/pages/{tree.episodes[0].pk}/edit/")
    page.wait_for_selector("form")
    page.screenshot(path=SCREENSHOTS / "admin-new-editor-episode.png")
    html = page.content()
    assert "集数" in html and "视频地址" in html
    for phrase in ENGLISH:
        assert phrase not in html, phrase
    context.close()


def test_a_reader_of_the_traditional_rendition_meets_taiwan_wording(browser, live_server, tree):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    path = tree.episodes[0].get_url().replace("/zh-hans/", "/zh-hant/")
    page.goto(live_server.url + path)
    page.screenshot(path=SCREENSHOTS / "interface-hant-episode.png", full_page=True)
    text = page.inner_text("body")
    assert "搜尋" in text and "觀看影片" in page.content()
    for mainland in ("搜索", "視頻", "默認字號"):
        assert mainland not in page.content()
    context.close()
