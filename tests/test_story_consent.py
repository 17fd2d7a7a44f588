"""Consent decides where a story appears, by query, at the moment of the request.

Scope `web` puts a story on this site: its page, the story index, the campaign and home page
listings, the sitemap and search. Scope `partners` (on top of `web`) also lets it into
feeds, embeds and oEmbed answers. Outside [obtained_on, expires_on] neither holds. No
scheduled job is needed for a story to disappear: the day after its consent ends it is gone
from every surface even though the page is still `live` (publish_scheduled then unpublishes
it; see test_story_guard.py).

Feeds, embeds, oEmbed and search are other apps' URLs: each check runs when the URL answers
and is skipped (not failed) while that URL does not exist yet.
"""

import contextlib
import datetime
from io import StringIO
from types import SimpleNamespace
from unittest import mock
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from .factories import (
    CampaignPageFactory,
    HomePageFactory,
    StoryIdentityFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)
from .sitemap_urls import sitemap_text

SCRIPTS = ("zh-hans", "zh-hant")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# name: (identity fields or None for no record, on web?, to partners?)
CASES = {
    "both": ({}, True, True),
    "webonly": ({"consent_partners": False}, True, False),
    "endstoday": ({"consent_expires_on": 0}, True, True),
    "expired": ({"consent_expires_on": -1}, False, False),
    "notyet": ({"consent_obtained_on": 1}, False, False),
    "partnersonly": ({"consent_web": False}, False, False),
    "nodates": ({"consent_obtained_on": None, "consent_expires_on": None}, False, False),
    "norecord": (None, False, False),
}


def make_story(parent, name, fields):
    story = StoryPageFactory(
        parent=parent,
        slug=f"story-{name}",
        title=f"童心故事{name}",
        pseudonym="小禾",
        identity=None,
    )
    if fields is not None:
        values = {
            key: days(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for key, value in fields.items()
        }
        StoryIdentityFactory(story=story, **values)
    return story


@pytest.fixture
def site(db):
    home = HomePageFactory()
    campaign = CampaignPageFactory(parent=home, slug="qingyun")
    home_index = StoryIndexPageFactory(parent=home, slug="gushi")
    campaign_index = StoryIndexPageFactory(parent=campaign, slug="haizi")
    stories = {name: make_story(home_index, name, f) for name, (f, _, _) in CASES.items()}
    in_campaign = {
        name: make_story(campaign_index, f"c{name}", f) for name, (f, _, _) in CASES.items()
    }
    rebuild_search_index()
    return SimpleNamespace(
        home=home,
        campaign=campaign,
        home_index=home_index,
        campaign_index=campaign_index,
        stories=stories,
        in_campaign=in_campaign,
    )


def rebuild_search_index():
    """Factories create live pages without the publish signal the search index listens to."""
    # Without a search app yet, the search checks skip themselves.
    with contextlib.suppress(CommandError):
        call_command("rebuild_search_index", stdout=StringIO())


def path_of(page):
    """The page's path below the site root: /gushi/story-both/."""
    return page.url_path[len("/home") :]


def url(script, page, suffix=""):
    return f"/{script}{path_of(page)}{suffix}"


def text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def shown(names, body, stories):
    return {name for name in names if path_of(stories[name]) in body}


def expected(where):
    index = {"web": 1, "partners": 2}[where]
    return {name for name, case in CASES.items() if case[index]}


def answering(response):
    if response.status_code == 404:
        pytest.skip(f"{response.wsgi_request.path} does not answer yet")
    assert response.status_code == 200, response.wsgi_request.get_full_path()
    return response


# --- the site: pages, listings, sitemap ------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_story_page_answers_only_with_web_consent(client, site, script):
    for name, story in site.stories.items():
        status = client.get(url(script, story)).status_code
        assert status == (200 if name in expected("web") else 404), (name, status)


@pytest.mark.parametrize("script", SCRIPTS)
def test_listings_show_only_web_consented_stories(client, site, script):
    home_index = text(client.get(url(script, site.home_index)))
    assert shown(CASES, home_index, site.stories) == expected("web")

    campaign_index = text(client.get(url(script, site.campaign_index)))
    assert shown(CASES, campaign_index, site.in_campaign) == expected("web")

    campaign = text(client.get(url(script, site.campaign)))
    assert shown(CASES, campaign, site.in_campaign) == expected("web")
    assert not shown(CASES, campaign, site.stories)  # not under this campaign

    home = text(client.get(f"/{script}/"))
    # The home page shows the six latest: every one of them consented.
    on_home = shown(CASES, home, site.stories) | shown(CASES, home, site.in_campaign)
    assert on_home and on_home <= expected("web")


def test_sitemap_lists_only_web_consented_stories(client, site):
    body = sitemap_text(client)
    for stories in (site.stories, site.in_campaign):
        assert shown(CASES, body, stories) == expected("web")
    for name in expected("web"):
        for script in SCRIPTS:
            assert url(script, site.stories[name]) in body


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_search_finds_only_web_consented_stories(client, site, script):
    response = answering(client.get(f"/{script}/search/", {"q": "童心故事"}))
    body = text(response)
    assert shown(CASES, body, site.stories) == expected("web")
    response = answering(client.get(f"/{script}/search/", {"q": "小禾"}))
    assert shown(CASES, text(response), site.stories) == expected("web")


# --- partners: feeds, embeds, oEmbed ---------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_feeds_carry_only_partner_consented_stories(client, site, script, kind):
    feed = answering(client.get(url(script, site.home_index, f"feed/{kind}/")))
    assert shown(CASES, text(feed), site.stories) == expected("partners")
    feed = answering(client.get(url(script, site.campaign_index, f"feed/{kind}/")))
    assert shown(CASES, text(feed), site.in_campaign) == expected("partners")
    for page in (site.home, site.campaign):
        body = text(answering(client.get(url(script, page, f"feed/{kind}/"))))
        carried = shown(CASES, body, site.stories) | shown(CASES, body, site.in_campaign)
        assert carried <= expected("partners"), page


@pytest.mark.parametrize("script", SCRIPTS)
def test_embeds_carry_only_partner_consented_stories(client, site, script):
    listing = answering(client.get(url(script, site.home_index, "embed/"), {"limit": 20}))
    assert shown(CASES, text(listing), site.stories) == expected("partners")
    for name, story in site.stories.items():
        status = client.get(url(script, story, "embed/")).status_code
        assert status == (200 if name in expected("partners") else 404), (name, status)


@pytest.mark.parametrize("script", SCRIPTS)
def test_oembed_answers_only_for_partner_consented_stories(client, site, script):
    probe = client.get("/oembed/", {"url": "http://testserver" + url(script, site.campaign)})
    answering(probe)
    for name, story in site.stories.items():
        target = "http://testserver" + url(script, story)
        response = client.get(f"/oembed/?format=json&url={quote(target, safe='')}", follow=True)
        # follow: a 404 outside the script prefixes is first redirected to /zh-hans/….
        assert response.status_code == (200 if name in expected("partners") else 404), name


# --- expiry takes effect at once, without any job --------------------------------------------


def test_expiry_removes_a_story_everywhere_the_next_day_without_any_job(client, site):
    """`endstoday` is on every surface today; tomorrow, with no job run and no save, it is
    on none (caches included: their keys carry the date)."""
    story = site.stories["endstoday"]
    surfaces = [
        url("zh-hans", story),
        url("zh-hant", story),
        url("zh-hans", site.home_index),
        url("zh-hant", site.home_index),
        "/sitemap-story.xml",  # the sitemap of stories, listed by the index at /sitemap.xml
    ]
    optional = [
        url("zh-hans", site.home_index, "feed/rss/"),
        url("zh-hant", site.home_index, "feed/json/"),
        url("zh-hans", site.home_index, "embed/"),
        url("zh-hans", story, "embed/"),
        "/zh-hans/search/?q=" + quote("童心故事"),
    ]
    today = {u: client.get(u) for u in surfaces + optional}
    for u in surfaces:
        assert today[u].status_code == 200, u
        if u != url("zh-hans", story) and u != url("zh-hant", story):
            assert path_of(story) in text(today[u]), u
    answering_optional = [u for u in optional if today[u].status_code != 404]
    for u in answering_optional:
        assert path_of(story) in text(today[u]) or u.endswith("embed/"), u

    real_now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=real_now + datetime.timedelta(1)):
        assert client.get(url("zh-hans", story)).status_code == 404
        assert client.get(url("zh-hant", story)).status_code == 404
        for u in surfaces[2:] + answering_optional:
            response = client.get(u)
            assert response.status_code in (200, 404), u
            if response.status_code == 200:
                assert path_of(story) not in text(response), u
        # Others are untouched.
        assert client.get(url("zh-hans", site.stories["both"])).status_code == 200


def test_consent_withdrawn_removes_the_story_at_once(client, site):
    story = site.stories["both"]
    assert client.get(url("zh-hans", story)).status_code == 200
    assert path_of(story) in text(client.get(url("zh-hans", site.home_index)))
    identity = story.identity
    identity.consent_web = False
    identity.save()
    assert client.get(url("zh-hans", story)).status_code == 404
    assert path_of(story) not in text(client.get(url("zh-hans", site.home_index)))
    assert path_of(story) not in sitemap_text(client)


def test_partner_consent_withdrawn_leaves_feeds_at_once_but_not_the_site(client, site):
    story = site.stories["both"]
    feed_url = url("zh-hans", site.home_index, "feed/rss/")
    feed = answering(client.get(feed_url))
    assert path_of(story) in text(feed)
    identity = story.identity
    identity.consent_partners = False
    identity.save()
    assert path_of(story) not in text(client.get(feed_url))
    assert client.get(url("zh-hans", story, "embed/")).status_code == 404
    assert client.get(url("zh-hans", story)).status_code == 200


def test_preview_of_an_unconsented_story_still_works_for_editors(admin_client, site):
    """Editors must be able to see a story before a privacy officer adds the consent."""
    story = site.stories["norecord"]
    response = admin_client.get(f"/admin/pages/{story.pk}/view_draft/")
    assert response.status_code == 200
    assert story.title in text(response)
