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


def script_sources(policy):
    return policy.split("script-src")[1].split(";")[0].split()


def inline_script_hashes(html):
    import base64
    import hashlib

    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for attrs, body in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
        if "type=" not in attrs
    }


@pytest.mark.parametrize("which", ["home", "campaign", "news"])
def test_wagtails_widget_scripts_run_in_the_page_editor(client, site_tree, admin_user, which):
    """The editor's date pickers (go-live, expiry), page and snippet choosers and inline
    panels start with an inline script: each is allowed by its hash, nothing else is."""
    client.force_login(admin_user)
    page = getattr(site_tree, which)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    inline = inline_script_hashes(html)
    assert inline, "the editor has widget scripts"
    sources = script_sources(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in sources
    assert inline <= set(sources)
    assert "initDateTimeChooser(" in html


@pytest.mark.parametrize(
    ("body", "allowed"),
    [
        ('initDateChooser("id_x", {"dayOfWeekStart": 1, "format": "Y-m-d"});', True),
        ('new PageChooser("id_p", {"modelNames": ["a.b"], "userPerms": null});', True),
        (
            "\n  (function() {\n    var panel = "
            'new InlinePanel(JSON.parse("{\\u0022a\\u0022: 1}"));\n  })();\n',
            True,
        ),
        ('initDateChooser("id_x", fetch("//evil.example"));', False),
        ("alert(1);", False),
        ('new PageChooser("x"); alert(1);', False),
        ('(function() { var panel = new InlinePanel(JSON.parse("x")); alert(1) })();', False),
    ],
)
def test_only_wagtails_widget_initialisers_are_hashed(body, allowed):
    from tongxin.core.csp import widget_script_hashes

    assert bool(widget_script_hashes(f"<p>x</p><script>{body}</script>")) is allowed


def test_public_pages_get_no_script_hashes(client, site_tree):
    policy = client.get("/zh-hans/")["Content-Security-Policy"]
    assert script_sources(policy) == ["'self'"]
