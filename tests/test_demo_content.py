"""The demo content `make run` loads (site/demo/content.json), through `import_content`.

It must import cleanly into a fresh database, hold what the README promises (one campaign
with a five-episode series, a fund launch, three stories, three news), serve every page in
both scripts, import a second time without changing anything, and leak no identity: every
story passes the privacy guard, and no private value of any story appears on any page.
"""

from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from campaigns.models import (
    CampaignPage,
    EpisodePage,
    Fund,
    FundLaunchEventPage,
    NewsPage,
    Organization,
    SeriesPage,
)
from stories.guard import check_story, identity_record
from stories.models import StoryIdentity, StoryPage
from stories.privacy import collect_private_values, find_leaks, visible_text

DEMO = Path(settings.BASE_DIR) / "site" / "demo" / "content.json"
LANGUAGES = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}


def run_import():
    stdout, stderr = StringIO(), StringIO()
    call_command("import_content", str(DEMO), stdout=stdout, stderr=stderr)
    return SimpleNamespace(stdout=stdout.getvalue(), stderr=stderr.getvalue())


def snapshot():
    """What a second import must leave exactly as it was."""
    pages = Page.objects.order_by("pk")
    return {
        "pages": list(
            pages.values_list("pk", "path", "live", "latest_revision_id", "last_published_at")
        ),
        "revisions": Revision.objects.count(),
        "organizations": Organization.objects.count(),
        "funds": list(Fund.objects.order_by("pk").values_list("pk", "raised", "status")),
        "images": list(get_image_model().objects.order_by("pk").values_list("pk", "file")),
        "identities": StoryIdentity.objects.count(),
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo imported once for the module, rolled back at its end (see tests/test_feeds.py).
    Its pages by URL in both renditions, fetched once: pages do not change between tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        outcome = run_import()
        urls = []
        for page in Page.objects.live().filter(depth__gte=2).specific().order_by("path"):
            for language in LANGUAGES:
                with translation.override(language):
                    urls.append((language, page, page.get_url()))
        yield SimpleNamespace(outcome=outcome, urls=urls, before=snapshot())
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def rendered(demo, django_db_blocker):
    """{url: (status, html)} of every live page of the demo in both renditions."""
    from django.test import Client

    client = Client()
    with django_db_blocker.unblock():
        return {
            url: (response.status_code, response.content.decode())
            for _, _, url in demo.urls
            for response in [client.get(url)]
        }


@pytest.mark.django_db
def test_the_demo_imports_without_errors_or_held_stories(demo):
    assert demo.outcome.stderr == ""
    assert "0 held as draft" in demo.outcome.stdout
    assert "images: 10 added" in demo.outcome.stdout


@pytest.mark.django_db
def test_the_demo_holds_one_campaign_with_a_five_episode_series(demo):
    campaign = CampaignPage.objects.live().get()
    series = SeriesPage.objects.child_of(campaign).live().get()
    assert series.planned_episodes == 5
    episodes = EpisodePage.objects.child_of(series).live().order_by("number")
    assert [episode.number for episode in episodes] == [1, 2, 3, 4, 5]
    assert all(episode.video_url.startswith("https://") for episode in episodes)
    launch = FundLaunchEventPage.objects.child_of(campaign).live().get()
    assert launch.fund is not None and launch.fund in campaign.funds.all()
    assert StoryPage.objects.live().consented("web").count() == 3
    assert StoryPage.objects.count() == 3
    assert NewsPage.objects.live().count() == 3
    assert not Page.objects.filter(live=False).exists()


@pytest.mark.django_db
def test_every_demo_page_answers_in_both_scripts(demo, rendered):
    assert len(demo.urls) == 2 * 19
    for language, page, url in demo.urls:
        assert url.startswith(f"/{language}/"), (page, url)
        status, html = rendered[url]
        assert status == 200, url
        soup = BeautifulSoup(html, "html.parser")
        assert soup.html["lang"] == LANGUAGES[language], url
        assert len(soup.find_all("h1")) == 1, url
        assert soup.main is not None, url


@pytest.mark.django_db
def test_the_last_demo_episode_ends_the_series(demo, rendered):
    for language in LANGUAGES:
        soup = BeautifulSoup(
            rendered[f"/{language}/qingyun-tongxin/weizhuanti/ep-5/"][1], "html.parser"
        )
        assert soup.select_one(".episode-position").get_text(strip=True) == "第 5 集 / 共 5 集"
        ending = soup.select_one("aside.series-end a")
        assert ending["href"] == f"/{language}/qingyun-tongxin/weizhuanti/"
        assert soup.select_one("a[rel=next]") is None
        middle = BeautifulSoup(
            rendered[f"/{language}/qingyun-tongxin/weizhuanti/ep-3/"][1], "html.parser"
        )
        assert middle.select_one("aside.series-end") is None
        assert middle.select_one("a[rel=prev]") and middle.select_one("a[rel=next]")


@pytest.mark.django_db
def test_importing_the_demo_twice_changes_nothing(demo):
    again = run_import()
    assert again.stderr == ""
    assert "created 0, updated 0" in again.stdout
    assert "images: 0 added" in again.stdout
    assert snapshot() == demo.before


@pytest.mark.django_db
def test_every_demo_story_passes_the_privacy_guard(demo):
    stories = list(StoryPage.objects.all())
    assert len(stories) == 3
    for story in stories:
        identity = StoryIdentity.objects.get(story=story)
        # The demo has a private record for each story, as a real site would.
        assert identity.real_name and identity.consent_web
        assert check_story(story, identity) == [], story.title


@pytest.mark.django_db
def test_no_page_of_the_demo_shows_any_private_value_or_identifying_pattern(demo, rendered):
    """Every rendered page, in both scripts, read as a scraper reads it (text plus alt, title
    and href values), against every story's private record and the guard's patterns (ID-card
    and phone numbers, street addresses with a house number, school with grade and class)."""
    private_values = []
    for identity in StoryIdentity.objects.all():
        private_values += collect_private_values(identity_record(identity))
    assert len(private_values) >= 3 * 4
    pages = {url: visible_text(html) for url, (_, html) in rendered.items()}
    leaks = find_leaks(pages, tuple(private_values))
    assert leaks == [], [leak.message for leak in leaks]
