"""The scheduled-publishing job as `make run` runs it (every minute, beside the server):
go-live and expiry happen on their own, and a lock lets only one run work at a time."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from campaigns.models import NewsPage
from tests.factories import build_site_tree
from tongxin.core.joblock import _advisory_key, single_run


@pytest.fixture
def tree(db):
    return build_site_tree()


def run_job(**options):
    out = StringIO()
    call_command("publish_scheduled", stdout=out, **options)
    return out.getvalue()


def schedule_new_title(page, title):
    page = NewsPage.objects.get(pk=page.pk)
    page.title = title
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])


def test_make_run_runs_the_job_every_minute_beside_the_server():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "publish_scheduled --every 60" in recipe
    assert "runserver" in recipe and "trap" in recipe


def test_the_repeating_job_publishes_at_go_live_and_unpublishes_at_expiry(tree):
    schedule_new_title(tree.news, "定时发布的新闻")
    other = tree.campaign
    type(other).objects.filter(pk=other.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    run_job(every=0.01, rounds=2)

    assert NewsPage.objects.get(pk=tree.news.pk).title == "定时发布的新闻"
    other.refresh_from_db()
    assert not other.live and other.expired


def test_a_run_skips_while_another_holds_the_lock(tree):
    schedule_new_title(tree.news, "定时发布的新闻")
    with single_run("publish_scheduled") as acquired:
        assert acquired
        assert "holds the lock; skipped" in run_job()
        assert NewsPage.objects.get(pk=tree.news.pk).title != "定时发布的新闻"
    run_job()
    assert NewsPage.objects.get(pk=tree.news.pk).title == "定时发布的新闻"


def test_the_lock_is_exclusive_and_released(db):
    with single_run("test-job") as first, single_run("test-job") as second:
        assert first and not second
    with single_run("test-job") as again:
        assert again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL advisory lock")
def test_another_server_holding_the_advisory_lock_makes_the_job_skip(tree):
    """Two app servers: the other one's database session holds the lock."""
    other = connections.create_connection("default")
    key = _advisory_key("publish_scheduled")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        assert "holds the lock; skipped" in run_job()
        # Unlock explicitly: a closed session's locks go when its backend exits, which the
        # server does after the client has moved on, so the next run could still see them.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        other.close()
    assert "holds the lock" not in run_job()
