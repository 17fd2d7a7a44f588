"""The database unreachable: pages, feeds, search and the admin answer a friendly 503 in the
reader's script with Retry-After; a page already in the page cache is served from it."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped."""

    def down(error=OperationalError):
        def refuse(*args, **kwargs):
            raise error('connection to server at "10.0.0.5", port 5432 failed')

        monkeypatch.setattr(connection, "cursor", refuse)
        monkeypatch.setattr(connection, "chunked_cursor", refuse)

    return down


def assert_outage(response, lang="zh-Hans", heading="网站暂时无法访问", strict_csp=True):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert "5432" not in html and "Traceback" not in html
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy or not strict_csp


@pytest.mark.parametrize(
    ("url", "lang", "heading"),
    [
        ("/zh-hans/", "zh-Hans", "网站暂时无法访问"),
        ("/zh-hant/", "zh-Hant", "網站暫時無法連線"),
        ("/zh-hans/qingyun/", "zh-Hans", "网站暂时无法访问"),
        ("/zh-hant/xinwen/launch/", "zh-Hant", "網站暫時無法連線"),
        ("/zh-hans/search/?q=儿童", "zh-Hans", "网站暂时无法访问"),
        ("/zh-hant/search/?q=兒童", "zh-Hant", "網站暫時無法連線"),
        ("/zh-hans/feed/rss/", "zh-Hans", "网站暂时无法访问"),
        ("/zh-hant/qingyun/feed/atom/", "zh-Hant", "網站暫時無法連線"),
        ("/zh-hans/qingyun/embed/", "zh-Hans", "网站暂时无法访问"),
        ("/sitemap.xml", "zh-Hans", "网站暂时无法访问"),
    ],
)
def test_public_urls_answer_503_in_the_readers_script(
    client, site_tree, database_down, url, lang, heading
):
    client.raise_request_exception = False
    database_down()
    assert_outage(client.get(url), lang, heading)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_admin_answers_503(client, site_tree, database_down, django_user_model, error):
    user = django_user_model.objects.create_superuser("admin", "a@example.com", "pw-12345678")
    client.force_login(user)
    client.raise_request_exception = False
    database_down(error)
    # The session and the user are loaded by middleware, before any view: that door too.
    assert_outage(client.get("/admin/"), strict_csp=False)
    assert_outage(client.get("/admin/login/"))


def test_oembed_answers_json(client, site_tree, database_down):
    client.raise_request_exception = False
    database_down()
    response = client.get("/oembed/?url=http://testserver/zh-hans/qingyun/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["status"] == 503


@pytest.mark.parametrize("url", ["/zh-hans/qingyun/feed/json/", "/zh-hant/feed/json/"])
def test_the_json_feed_answers_json(client, site_tree, database_down, url):
    """JSON Feed readers parse the answer, as they do the 429 (tongxin.core.ratelimit)."""
    client.raise_request_exception = False
    database_down()
    response = client.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json() == {"error": "service unavailable", "status": 503}


def test_healthz_says_when_to_retry(client, site_tree, database_down):
    database_down()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


@override_settings(OUTAGE_RETRY_AFTER=300)
def test_retry_after_is_configurable(client, site_tree, database_down):
    client.raise_request_exception = False
    database_down()
    assert client.get("/zh-hans/")["Retry-After"] == "300"


@pytest.mark.parametrize("url", ["/zh-hans/qingyun/", "/zh-hant/qingyun/"])
def test_a_cached_page_is_served_during_the_outage(client, site_tree, database_down, url):
    first = client.get(url)
    assert first.status_code == 200
    client.raise_request_exception = False
    database_down()
    during = client.get(url)
    assert during.status_code == 200
    assert during.content == first.content
    # Another page, never cached, still gets the outage page.
    assert client.get(url.replace("qingyun", "xinwen")).status_code == 503


def test_a_cached_copy_is_not_served_after_a_content_change(client, site_tree, database_down):
    """A withdrawal or unpublication bumps the content version: the old copy is not shown."""
    from tongxin.core.contentversion import bump_content_version

    assert client.get("/zh-hans/gushi/xiaoyu/").status_code == 200
    bump_content_version()
    client.raise_request_exception = False
    database_down()
    assert client.get("/zh-hans/gushi/xiaoyu/").status_code == 503


def refuse_connection(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_recovery_needs_nothing(client, site_tree, monkeypatch):
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", refuse_connection)
        assert client.get("/zh-hans/").status_code == 503
    assert client.get("/zh-hans/").status_code == 200
