"""Rate limits per client address on search, feeds, embeds, oEmbed and the donation
click-through: 429 with Retry-After past the limit; cached answers and 304s are free."""

import pytest
from django.test import override_settings

from tongxin.core import ratelimit

pytestmark = pytest.mark.django_db

LIMITS = {"search": "3/60", "feed": "3/60", "embed": "3/60", "oembed": "3/60", "donate": "3/60"}


@pytest.fixture
def limited(monkeypatch):
    # One fixed moment, 10 s into a window: a slow test must not cross into the next one.
    monkeypatch.setattr(ratelimit, "_now", lambda: 60 * 28_000_000 + 10.0)
    with override_settings(RATE_LIMITS=LIMITS, TRUSTED_PROXY_COUNT=1):
        yield


def get(client, url, address="203.0.113.5", **headers):
    return client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address, **headers)


@pytest.mark.parametrize(
    ("urls", "kind"),
    [
        (["/zh-hans/search/?q=儿童", "/zh-hans/search/?q=关爱"], "html"),
        # `?limit=` keeps the widgets out of the response cache: cached answers are free.
        (["/zh-hans/qingyun/embed/?limit=3", "/zh-hans/xinwen/embed/?limit=3"], "html"),
        (["/oembed/?url=http://testserver/zh-hans/qingyun/"], "json"),
        (["/donate/tongxin-fund/"], "html"),
    ],
)
def test_past_the_limit_429_with_retry_after(client, site_tree, limited, urls, kind):
    for n in range(3):
        assert get(client, urls[n % len(urls)]).status_code != 429
    response = get(client, urls[0])
    assert response.status_code == 429
    assert response["Retry-After"] == "51"
    if kind == "json":
        assert response.json()["status"] == 429
    else:
        assert "请求太频繁" in response.content.decode()
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # Another reader is not affected.
    assert get(client, urls[0], address="198.51.100.7").status_code != 429


def test_traditional_readers_get_the_page_in_their_script(client, site_tree, limited):
    for _ in range(3):
        get(client, "/zh-hant/search/?q=兒童")
    response = get(client, "/zh-hant/search/?q=兒童")
    assert response.status_code == 429
    assert "請求太頻繁" in response.content.decode()
    assert 'lang="zh-Hant"' in response.content.decode()


def test_cached_feed_answers_and_304s_are_free(client, site_tree, limited):
    first = get(client, "/zh-hans/feed/rss/")  # a miss: counts
    assert first.status_code == 200
    for _ in range(10):  # feed cache hits
        assert get(client, "/zh-hans/feed/rss/").status_code == 200
    for _ in range(10):
        answer = get(client, "/zh-hans/feed/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert answer.status_code == 304
    # Misses (other feeds) count: two more are allowed, then 429.
    assert get(client, "/zh-hans/qingyun/feed/atom/").status_code == 200
    assert get(client, "/zh-hans/qingyun/feed/json/").status_code == 200
    limited_json = get(client, "/zh-hans/xinwen/feed/json/")
    assert limited_json.status_code == 429
    assert limited_json.json()["status"] == 429
    assert limited_json["Access-Control-Allow-Origin"] == "*"


def test_pages_are_not_limited(client, site_tree, limited):
    for _ in range(10):
        assert get(client, "/zh-hans/qingyun/").status_code == 200


def test_a_limit_of_zero_is_off(client, site_tree):
    with override_settings(RATE_LIMITS={**LIMITS, "search": "0"}):
        for _ in range(6):
            assert get(client, "/zh-hans/search/?q=儿童").status_code == 200
