"""The menu, breadcrumbs, footer and donation banner are site-wide fragments (issue 11, point
3): rendered and converted once per script, kept under the content state, so a publish or a
fund change shows at once, in both scripts, and an uncached page render does not rebuild them.

The page cache is off here (TONGXIN_PAGE_CACHE_SECONDS=0): what is seen is each render's.
"""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tongxin.core.contentversion import bump_content_version
from tongxin.scripts.convert import ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP

from .factories import CampaignPageFactory, build_site_tree
from .test_donation import banner_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

PREFIXES = ("/zh-hans/", "/zh-hant/")


@pytest.fixture
def no_page_cache():
    with override_settings(TONGXIN_PAGE_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0):
        yield


def url_of(page, prefix):
    return prefix + page.url_path[len("/home/") :]


def html_of(client, page, prefix):
    response = client.get(url_of(page, prefix))
    assert response.status_code == 200
    return response.content.decode()


def menu(html):
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def banner(html):
    found = re.search(r'<aside class="donate donate--banner.*?</aside>', html, re.S)
    return found.group(0) if found else ""


def assert_no_markers(html):
    for marker in (ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP):
        assert marker not in html


def test_menu_shows_a_new_section_after_it_is_published_in_both_scripts(client):
    tree = build_site_tree()
    for prefix in PREFIXES:
        html_of(client, tree.news, prefix)  # the fragments are cached now
    section = CampaignPageFactory(parent=tree.home, slug="kaixue", title="开学季专题", live=False)
    section.save_revision().publish()
    expected = {"/zh-hans/": "开学季专题", "/zh-hant/": "開學季專題"}
    for prefix in PREFIXES:
        html = html_of(client, tree.news, prefix)
        assert expected[prefix] in menu(html), prefix
        assert f'href="{url_of(section, prefix)}"' in menu(html)
        assert_no_markers(html)


def test_fragments_are_kept_under_the_content_version(client):
    """A change that bumps nothing (a raw UPDATE) is not seen; the next bump shows it."""
    tree = build_site_tree()
    for prefix in PREFIXES:
        assert "第二课堂" not in menu(html_of(client, tree.story, prefix))
    Page.objects.filter(pk=tree.campaign.pk).update(title="第二课堂")
    for prefix in PREFIXES:
        html = html_of(client, tree.story, prefix)
        assert "第二课堂" not in menu(html) and "第二課堂" not in menu(html)
    bump_content_version()
    assert "第二课堂" in menu(html_of(client, tree.story, "/zh-hans/"))
    assert "第二課堂" in menu(html_of(client, tree.story, "/zh-hant/"))


def test_breadcrumbs_and_current_section_follow_the_page(client):
    tree = build_site_tree()
    for prefix in PREFIXES:
        episode = html_of(client, tree.episodes[1], prefix)
        crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', episode, re.S).group(0)
        assert f'href="{url_of(tree.series, prefix)}"' in crumbs
        # The page's own title ends the crumbs, the current section is marked in the menu.
        assert re.search(r'<span aria-current="page">第2集</span>', crumbs)
        current = menu(episode).split(f'href="{url_of(tree.campaign, prefix)}"')[1]
        assert current.startswith(' aria-current="true"')
        # Another section's page: its own crumbs and current item, not the episode's.
        news = html_of(client, tree.news, prefix)
        crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', news, re.S).group(0)
        assert url_of(tree.series, prefix) not in crumbs
        assert f'href="{url_of(tree.news_index, prefix)}" aria-current="true"' in menu(news)
        section = html_of(client, tree.news_index, prefix)
        assert f'href="{url_of(tree.news_index, prefix)}" aria-current="page"' in menu(section)


def test_banner_changes_after_a_fund_change_in_both_scripts(client):
    tree = build_site_tree()
    banner_on(tree.fund)
    for prefix in PREFIXES:
        assert "童心守护基金" in banner(html_of(client, tree.story, prefix)).replace("護", "护")
    tree.fund.name = "春蕾助学基金"
    tree.fund.save()
    expected = {"/zh-hans/": "春蕾助学基金", "/zh-hant/": "春蕾助學基金"}
    for prefix in PREFIXES:
        html = html_of(client, tree.story, prefix)
        assert expected[prefix] in banner(html), prefix
        assert_no_markers(html)
    tree.fund.status = "closed"
    tree.fund.save()
    for prefix in PREFIXES:
        assert banner(html_of(client, tree.story, prefix)) == ""


def test_cached_banner_links_each_page_as_its_source(client):
    tree = build_site_tree()
    banner_on(tree.fund)
    for page in (tree.story, tree.news, tree.episodes[0]):
        for prefix in PREFIXES:
            found = re.search(
                r'class="button donate-button" href="([^"]+)"', html_of(client, page, prefix)
            )
            assert found.group(1) == f"/donate/{tree.fund.key}/?from={page.pk}"


def test_an_uncached_render_does_not_rebuild_the_fragments(client):
    """Warm fragments: the banner's query and the menu's and breadcrumbs' (the only ones that
    read each page's script through COALESCE) are not made again."""
    tree = build_site_tree()
    banner_on(tree.fund)
    url = url_of(tree.episodes[1], "/zh-hant/")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "campaigns_donationbanner" not in sql
    assert "COALESCE" not in sql.upper()
