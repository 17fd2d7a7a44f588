"""Health check, the root redirect, error pages and production's refusal to start half-set."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


class TestHealthz:
    def test_ok_when_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["status"] == "ok"
        assert "no-cache" in response["Cache-Control"]

    def test_503_when_database_is_unavailable(self, client, monkeypatch):
        def refuse(*args, **kwargs):
            raise OperationalError("could not connect to server")

        monkeypatch.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["status"] != "ok"
        # The load balancer sees the failure; the reader of the JSON sees no internals.
        assert b"could not connect" not in response.content

    def test_not_under_a_language_prefix(self, client):
        assert client.get("/zh-hans/healthz", follow=True).status_code == 404


class TestRootRedirect:
    def test_defaults_to_simplified(self, client):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/zh-hans/"
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary

    @pytest.mark.parametrize("header", ["zh-TW", "zh-HK,zh;q=0.8", "zh-MO", "zh-Hant"])
    def test_traditional_accept_language(self, client, header):
        response = client.get("/", headers={"accept-language": header})
        assert response["Location"] == "/zh-hant/"

    def test_mainland_accept_language(self, client):
        response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
        assert response["Location"] == "/zh-hans/"

    def test_saved_choice_beats_accept_language(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = client.get("/", headers={"accept-language": "zh-TW"})
        assert response["Location"] == "/zh-hans/"
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
        response = client.get("/", headers={"accept-language": "zh-CN"})
        assert response["Location"] == "/zh-hant/"

    def test_bogus_cookie_is_ignored(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "klingon"
        assert client.get("/")["Location"] == "/zh-hans/"


UNKNOWN_URLS = [
    "/zh-hans/nope/",
    "/zh-hant/nope/",
    "/nope",
    "/nope/",
    "/zh-hans/%E4%B8%AD/",
    "/zh-hans/%E4%B8%AD%E6%96%87/%E9%A1%B5/",
    "/zh-hans/" + "a" * 4000 + "/",
    "/zh-hans/" + "deep/" * 300,
    "/zh-hans/%ZZ/",
    "/zh-hans/..%2F..%2Fetc%2Fpasswd/",
    "/static/nope.css",
    "/media/nope.jpg",
    "/donate/",
    "/donate/nope/",
    "/donate/%E5%9F%BA%E9%87%91/",
    "/switch/",
    "/switch/zh-xx/",
    "/zh-hans/qingyun/feed/",
    "/zh-hans/qingyun/feed/xml/",
    "/zh-hans/qingyun/series/ep-1/feed/rss/",
    "/zh-hans/qingyun/embed/nope/",
    "/zh-hans/xinwen/launch/embed/extra/",
    "/sitemap.xml?p=999",
    "/zh-hans/search/nope/",
]


class TestNotFound:
    @pytest.mark.parametrize("url", UNKNOWN_URLS, ids=lambda u: u[:40])
    def test_unknown_urls_are_404_never_500(self, client, site_tree, url):
        client.raise_request_exception = False
        response = client.get(url, follow=True)
        assert response.status_code == 404

    @pytest.mark.parametrize("prefix, lang", [("/zh-hans/", "zh-Hans"), ("/zh-hant/", "zh-Hant")])
    def test_custom_404_page(self, client, site_tree, prefix, lang):
        """The site's own page, in the rendition's language, pointing the reader home."""
        response = client.get(prefix + "nope/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert f'lang="{lang}"' in html
        assert f'href="{prefix}"' in html
        assert 'content="noindex' in html
        assert "The requested resource was not found on this server" not in html

    def test_unpublished_page_is_404(self, client, site_tree):
        site_tree.news.unpublish()
        assert client.get(site_tree.news.url).status_code == 404

    def test_404_page_has_the_content_security_policy(self, client, site_tree):
        policy = client.get("/zh-hans/nope/")["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


class TestServerError:
    @pytest.fixture
    def broken_news(self, site_tree, monkeypatch):
        from campaigns.models import NewsPage

        def explode(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(NewsPage, "get_context", explode)
        return site_tree.news

    @pytest.mark.parametrize(
        "prefix, lang, heading",
        [("/zh-hans/", "zh-Hans", "服务暂时不可用"), ("/zh-hant/", "zh-Hant", "服務暫時無法使用")],
    )
    def test_custom_500_page_in_the_readers_script(
        self, client, broken_news, prefix, lang, heading
    ):
        client.raise_request_exception = False
        response = client.get(prefix + broken_news.url_path[len("/home/") :])
        assert response.status_code == 500
        html = response.content.decode()
        assert f"<h1>{heading}</h1>" in html
        assert f'lang="{lang}"' in html
        assert "a bug" not in html and "Traceback" not in html
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


class TestErrorPagesUnderDebug:
    """`make run` (DEBUG on) shows readers the site's own pages, not Django's debug pages;
    DEBUG_PAGES=1 (TONGXIN_DEBUG_PAGES) brings those back for developers."""

    @pytest.mark.parametrize(
        "url, lang, heading",
        [
            ("/zh-hans/nope/", "zh-Hans", "页面不存在"),
            ("/zh-hant/nope/", "zh-Hant", "找不到頁面"),
            ("/zh-hant/nope/feed/rss/", "zh-Hant", "找不到頁面"),
        ],
    )
    def test_site_404_in_the_readers_script(self, client, site_tree, settings, url, lang, heading):
        settings.DEBUG = True
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert f"<h1>{heading}</h1>" in html and f'lang="{lang}"' in html
        assert "DEBUG = True" not in html and "Page not found" not in html

    def test_unresolved_url_gets_the_site_404(self, client, site_tree, settings):
        settings.DEBUG = True
        response = client.get("/zh-hans/search/nope/extra", follow=True)
        assert response.status_code == 404
        assert "DEBUG = True" not in response.content.decode()

    def test_site_500_in_the_readers_script(self, client, site_tree, settings, monkeypatch):
        from campaigns.models import NewsPage

        def explode(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(NewsPage, "get_context", explode)
        settings.DEBUG = True
        client.raise_request_exception = False
        response = client.get("/zh-hant/" + site_tree.news.url_path[len("/home/") :])
        assert response.status_code == 500
        html = response.content.decode()
        assert "<h1>服務暫時無法使用</h1>" in html and "Traceback" not in html

    def test_debug_pages_for_developers(self, client, site_tree, settings):
        settings.DEBUG = True
        settings.TONGXIN_DEBUG_PAGES = True
        response = client.get("/zh-hans/nope/")
        assert response.status_code == 404
        assert "DEBUG = True" in response.content.decode()

    @pytest.mark.parametrize("value, expected", [(None, "False"), ("1", "True")])
    def test_dev_settings_read_debug_pages(self, value, expected):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.pop("DEBUG_PAGES", None)
        if value:
            env["DEBUG_PAGES"] = value
        env["DJANGO_SETTINGS_MODULE"] = "tongxin.settings.dev"
        result = run_python(
            "from django.conf import settings; print(settings.DEBUG, settings.TONGXIN_DEBUG_PAGES)",
            env,
        )
        assert result.stdout.split() == ["True", expected], result.stderr


REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")


def production_env(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in REQUIRED_IN_PRODUCTION and not k.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tongxin.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tongxin.example",
        DATABASE_URL="sqlite:////tmp/tongxin-prod-settings-test.db",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionSettings:
    @pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
    @pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
    def test_refuses_to_start_without(self, name, value):
        result = run_python("import django; django.setup()", production_env(**{name: value}))
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert name in result.stderr

    def test_starts_when_everything_is_set(self):
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.ALLOWED_HOSTS)"
        )
        result = run_python(code, production_env())
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "False ['tongxin.example']"

    def test_passes_check_deploy(self):
        env = production_env(DJANGO_ENV="production")
        del env["DJANGO_SETTINGS_MODULE"]
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
