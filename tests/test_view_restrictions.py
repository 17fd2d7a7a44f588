"""Wagtail's view restriction check before serving (password form, login redirect) still
answers for restricted pages, and costs no query for the others (issue 11, point 3): the
restricted paths are cached under the content version, which a restriction's save bumps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from .factories import build_site_tree

pytestmark = pytest.mark.django_db


def url_of(page, prefix="/zh-hans/"):
    return prefix + page.url_path[len("/home/") :]


def restriction_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql = [q["sql"] for q in captured.captured_queries]
    return response, [
        q for q in sql if "wagtailcore_pageviewrestriction" in q and "EXISTS" not in q
    ]


def test_password_and_login_restrictions_still_apply_at_once(client, settings):
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0
    tree = build_site_tree()
    assert client.get(url_of(tree.news)).status_code == 200
    PageViewRestriction.objects.create(
        page=tree.news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(url_of(tree.news))
    assert response.status_code == 200
    assert b'name="password"' in response.content
    PageViewRestriction.objects.create(
        page=tree.campaign, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(url_of(tree.episodes[0], "/zh-hant/"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unrestricted_pages_skip_the_restriction_queries(client, settings):
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0
    tree = build_site_tree()
    PageViewRestriction.objects.create(
        page=tree.news, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response, queries = restriction_queries(client, url_of(tree.episodes[1]))
    assert response.status_code == 200
    assert queries == []
    response, queries = restriction_queries(client, url_of(tree.news))
    assert b'name="password"' in response.content
    assert queries
