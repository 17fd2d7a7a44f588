"""verify_integrity: live pages changed outside the CMS are reported by path, exit non-zero;
/healthz?deep=1 includes the check for whoever holds HEALTHZ_TOKEN."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from campaigns.models import CampaignPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_tree(site_tree):
    """The tree as an editor leaves it: every live page published from a revision."""
    from wagtail.models import Page

    for page in Page.objects.live().exclude(depth=1).specific():
        page.save_revision().publish()
    return site_tree


def verify(*args):
    out = StringIO()
    try:
        call_command("verify_integrity", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_published_site_is_intact(site_tree):
    code, out = verify()
    assert code == 0, out
    assert "OK" in out


def test_a_title_changed_by_sql_is_reported_by_path(site_tree):
    table = NewsPage._meta.get_field("title").model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET title = %s WHERE id = %s",  # noqa: S608 - fixed names
            ["澳门新葡京娱乐场", site_tree.news.pk],
        )
    cache.clear()
    code, out = verify()
    assert code == 1
    assert "CHANGED /xinwen/launch/" in out
    assert "title" in out
    # Field names only: the injected text itself is not echoed into logs and mails.
    assert "澳门新葡京娱乐场" not in out
    assert "/qingyun/" not in out


def test_a_summary_changed_by_sql_is_reported(site_tree):
    CampaignPage.objects.filter(pk=site_tree.campaign.pk).update(summary="改过的摘要")
    code, out = verify("--no-render")
    assert code == 1
    assert "CHANGED /qingyun/: 与已发布版本不同的字段：summary" in out


def test_a_page_without_revision_is_noted_not_failed(site_tree):
    from wagtail.models import Page

    Page.objects.filter(pk=site_tree.news.pk).update(live_revision=None)
    code, out = verify()
    assert code == 0
    assert "UNVERIFIED /xinwen/launch/" in out


def test_a_draft_is_not_a_change(site_tree):
    page = site_tree.news
    page.title = "新的草稿标题"
    page.save_revision()
    assert verify()[0] == 0


class TestDeepHealthz:
    @override_settings(HEALTHZ_TOKEN="s3cret-token")
    def test_deep_needs_the_token(self, client, site_tree):
        assert client.get("/healthz?deep=1").status_code == 403
        assert client.get("/healthz?deep=1&token=wrong").status_code == 403
        response = client.get("/healthz?deep=1", headers={"X-Healthz-Token": "s3cret-token"})
        assert response.status_code == 200
        assert response.json()["integrity"] == "ok"

    @override_settings(HEALTHZ_TOKEN="s3cret-token")
    def test_deep_reports_changed_pages(self, client, site_tree):
        NewsPage.objects.filter(pk=site_tree.news.pk).update(search_description="百家乐")
        response = client.get("/healthz?deep=1&token=s3cret-token")
        assert response.status_code == 503
        assert response.json()["changed"] == ["/xinwen/launch/"]

    def test_deep_is_off_without_a_token_configured(self, client, site_tree):
        assert client.get("/healthz?deep=1&token=").status_code == 403
        assert client.get("/healthz").json()["status"] == "ok"
