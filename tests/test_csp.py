"""Content-Security-Policy: no 'unsafe-inline' on any public answer or the admin's login, and
no inline style left in what public pages render (the policy would block it)."""

import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/zh-hans/",
    "/zh-hant/qingyun/",
    "/zh-hans/qingyun/series/ep-1/",
    "/zh-hans/xinwen/launch/",
    "/zh-hans/gushi/",
    "/zh-hans/search/?q=儿童",
    "/zh-hans/nope/",
    "/zh-hans/feed/rss/",
    "/zh-hant/qingyun/feed/atom/",
    "/zh-hans/qingyun/feed/json/",
    "/zh-hans/qingyun/embed/",
    "/.well-known/security.txt",
    "/admin/login/",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_no_unsafe_inline_anywhere_public(client, site_tree, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "style-src 'self'" in policy
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        # A style attribute of a real tag; the embed code shown escaped for copying is text.
        assert "<style" not in html and not re.search(r"<[a-z][^<>]*\sstyle=", html), url


def test_the_admin_behind_its_login_may_use_inline_styles(client, site_tree, admin_user):
    client.force_login(admin_user)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    script_src = policy.split("script-src")[1].split(";")[0]
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src
