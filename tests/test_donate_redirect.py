"""`/donate/<fund key>/` (contracts/urls.md): a counted click-through to the fund's approved
donation URL and nowhere else; never an open redirect; nothing about the reader is kept.
"""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import DonationClick, DonationHost, Fund

from .factories import FundFactory

pytestmark = pytest.mark.django_db

EVIL = "evil.example"
PARAMETERS = ["next", "url", "to", "redirect", "redirect_to", "return", "return_to", "goto", "r"]
EVIL_VALUES = [
    f"https://{EVIL}/",
    f"http://{EVIL}/",
    f"//{EVIL}",
    f"///{EVIL}",
    f"https:{EVIL}",
    f"https:/{EVIL}",
    f"\\\\{EVIL}",
    f"\\/{EVIL}",
    f"/\\{EVIL}",
    f"%2F%2F{EVIL}",
    f"%252F%252F{EVIL}",
    f"https://gongyi.qq.com@{EVIL}/",
    f"https://gongyi.qq.com%40{EVIL}/",
    f"https://{EVIL}\\@gongyi.qq.com/",
    f"https://{EVIL}#@gongyi.qq.com/",
    f"https://gongyi.qq.com.{EVIL}/",
    "javascript:alert(1)",
    f"data:text/html,<script>location='https://{EVIL}'</script>",
    f"\t//{EVIL}",
    f"https://{EVIL}%0d%0aSet-Cookie:x=1",
]


@pytest.fixture
def fund(db):
    return FundFactory(key="tongxin-fund")


def click(client, key="tongxin-fund", query=None, **extra):
    path = f"/donate/{key}/"
    if query is not None:
        path += f"?{query}"
    return client.get(path, **extra)


# --- where it goes ---------------------------------------------------------------------------


def test_redirects_to_exactly_the_funds_url(client, fund):
    response = click(client)
    assert response.status_code == 302
    assert response["Location"] == fund.donate_url
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", PARAMETERS)
@pytest.mark.parametrize("value", EVIL_VALUES)
def test_no_parameter_changes_the_target(client, fund, name, value):
    from urllib.parse import quote

    for query in (f"{name}={value}", f"{name}={quote(value, safe='')}"):
        response = click(client, query=query)
        assert response.status_code == 302, query
        assert response["Location"] == fund.donate_url, query
    response = click(client, query=f"from=1&{name}={quote(value, safe='')}&{name}=x")
    assert response["Location"] == fund.donate_url


@pytest.mark.parametrize("value", EVIL_VALUES)
def test_the_source_page_parameter_cannot_redirect_either(client, fund, value):
    response = click(client, query=f"from={value}")
    assert response.status_code == 302
    assert response["Location"] == fund.donate_url


@pytest.mark.parametrize(
    "path",
    [
        f"/donate//{EVIL}/",
        f"/donate/%2F%2F{EVIL}/",
        f"/donate/https:{EVIL}/",
        f"/donate/https://{EVIL}/",
        f"/donate/%5C%5C{EVIL}/",
        f"/donate/tongxin-fund/{EVIL}/",
        f"/donate/tongxin-fund/%2F%2F{EVIL}/",
        f"/donate/tongxin-fund@{EVIL}/",
        "/donate/tongxin-fund%2F..%2F..%2Fadmin/",
    ],
)
def test_path_tricks_are_not_found(client, fund, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert EVIL not in response.get("Location", "")
    assert DonationClick.objects.count() == 0


def test_missing_slash_stays_on_this_site(client, fund):
    response = client.get(f"/donate/tongxin-fund?next=//{EVIL}")
    assert response.status_code == 301
    assert response["Location"].startswith("/donate/tongxin-fund/")


def test_a_url_tampered_with_in_the_database_is_not_followed(client, fund):
    for bad in (
        f"https://gongyi.qq.com@{EVIL}/",
        f"https://{EVIL}/",
        "http://gongyi.qq.com/succor/1",
        "javascript:alert(1)",
    ):
        Fund.objects.filter(pk=fund.pk).update(donate_url=bad)
        response = click(client)
        assert response.status_code == 410, bad
        assert "Location" not in response
        assert EVIL not in response.content.decode()
    assert DonationClick.objects.count() == 0


def test_withdrawn_host_approval_stops_the_redirect(client, fund):
    DonationHost.objects.all().delete()
    response = click(client)
    assert response.status_code == 410
    assert "Location" not in response
    html = response.content.decode()
    assert "捐款链接暂不可用" in html
    assert fund.record_number in html
    assert DonationClick.objects.count() == 0


def test_unknown_fund_is_404(client, fund):
    response = click(client, key="no-such-fund")
    assert response.status_code == 404
    assert "Location" not in response
    response = click(client, key="no-such-fund", query=f"next=https://{EVIL}/")
    assert response.status_code == 404
    assert DonationClick.objects.count() == 0


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_do_not_redirect_elsewhere(client, fund, method):
    response = getattr(client, method)(f"/donate/tongxin-fund/?next=https://{EVIL}/")
    assert EVIL not in response.get("Location", "")


def test_head_answers_like_get_but_is_not_counted(client, fund):
    response = client.head("/donate/tongxin-fund/")
    assert response.status_code == 302
    assert response["Location"] == fund.donate_url
    assert DonationClick.objects.count() == 0


# --- a closed fund ---------------------------------------------------------------------------


def test_closed_fund_gets_a_page_saying_so(client, fund):
    Fund.objects.filter(pk=fund.pk).update(status="closed")
    response = click(client, query=f"next=https://{EVIL}/")
    assert response.status_code == 410
    assert "Location" not in response
    html = response.content.decode()
    assert "本次募捐已结束" in html
    assert f"公开募捐备案编号：{fund.record_number}" in html
    assert "募捐组织" in html
    assert fund.donate_url not in html
    assert not re.search(rf'(href|src|action)="[a-z]*:?//{EVIL}', html)
    assert 'content="noindex, nofollow"' in html
    assert 'rel="canonical"' not in html  # not a page of either rendition
    assert DonationClick.objects.count() == 0


def test_closed_fund_page_in_the_readers_script(client, fund):
    Fund.objects.filter(pk=fund.pk).update(status="closed")
    client.cookies["tongxin_script"] = "zh-hant"
    html = click(client).content.decode()
    assert "本次募捐已結束" in html
    assert "公開募捐備案編號" in html


def test_script_switcher_on_the_closed_fund_page_stays_on_it(client, fund):
    Fund.objects.filter(pk=fund.pk).update(status="closed")
    html = click(client).content.decode()
    switch = re.search(r'href="(/switch/zh-hant/\?next=[^"]+)"', html).group(1)
    response = client.get(switch.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == "/donate/tongxin-fund/"
    assert response.cookies["tongxin_script"].value == "zh-hant"
    assert "本次募捐已結束" in client.get(response["Location"]).content.decode()


# --- counting --------------------------------------------------------------------------------


def test_counts_clicks_per_fund_day_and_source_page(client, fund, site_tree):
    other = FundFactory(key="other-fund")
    for _ in range(3):
        click(client)
    click(client, query=f"from={site_tree.news.pk}")
    click(client, query=f"from={site_tree.news.pk}")
    click(client, query=f"from={site_tree.campaign.pk}")
    click(client, key="other-fund", query=f"from={site_tree.news.pk}")
    today = timezone.localdate()
    buckets = {
        (c.fund.key, c.day, c.source_page_id): c.count
        for c in DonationClick.objects.select_related("fund")
    }
    assert buckets == {
        ("tongxin-fund", today, None): 3,
        ("tongxin-fund", today, site_tree.news.pk): 2,
        ("tongxin-fund", today, site_tree.campaign.pk): 1,
        (other.key, today, site_tree.news.pk): 1,
    }


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "0", "999999999", "1e3", "12345678901234", "１", "²", "٣"]
)
def test_unknown_or_malformed_source_page_counts_without_one(client, fund, value):
    response = click(client, query=f"from={value}")
    assert response["Location"] == fund.donate_url
    assert list(DonationClick.objects.values_list("source_page_id", "count")) == [(None, 1)]


def test_each_day_has_its_own_count(client, fund, monkeypatch):
    today = timezone.localdate()
    click(client)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    click(client)
    click(client)
    assert sorted(DonationClick.objects.values_list("day", "count")) == [
        (today, 1),
        (today + datetime.timedelta(days=1), 2),
    ]


def test_no_personal_data_is_kept_or_set(client, fund, site_tree):
    response = click(
        client,
        query=f"from={site_tree.news.pk}",
        REMOTE_ADDR="203.0.113.77",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) MicroMessenger/8.0 UniqueAgent-31337",
        HTTP_REFERER="https://partner.example/article?reader=wang",
        HTTP_COOKIE="tracking=reader-42; tongxin_script=zh-hant",
    )
    assert response.status_code == 302
    # No cookie is set, nothing varies on the reader.
    assert not response.cookies
    assert "Set-Cookie" not in response
    # The model has no field for anything about the reader...
    fields = {f.name for f in DonationClick._meta.get_fields()}
    assert fields == {"id", "fund", "day", "source_page", "count"}
    # ...and nothing of the request reached any table.
    needles = ["203.0.113.77", "198.51.100.23", "UniqueAgent-31337", "reader=wang", "reader-42"]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - test-only introspection
            dump = repr(cursor.fetchall())
            for needle in needles:
                assert needle not in dump, f"{needle} stored in {table}"


def test_session_is_not_started_by_a_click(client, fund):
    from django.contrib.sessions.models import Session

    click(client)
    click(client)
    assert Session.objects.count() == 0


def test_no_cookie_is_set_or_cleared_whatever_the_request_carries(client, fund):
    """Not even the middlewares' own: a fresh csrftoken for a malformed one, or the deletion
    of a dead session cookie."""
    stale = "csrftoken=short; sessionid=gone-session-key"
    FundFactory(key="ended", status="closed")
    for key, status in (("tongxin-fund", 302), ("ended", 410), ("unknown", 404)):
        response = click(client, key=key, HTTP_COOKIE=stale)
        assert response.status_code == status
        assert not response.cookies
