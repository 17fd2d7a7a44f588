"""Episode numbers never contradict the series: an episode past the planned count is refused
in the admin and on import, naming both numbers; the ending notice appears only on the last
planned episode when no later one exists."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from campaigns.models import EpisodePage, SeriesPage
from tests.factories import EpisodePageFactory, build_site_tree
from tests.test_content_import import build_document, refused, run_import, write_document


@pytest.fixture
def tree(db):
    return build_site_tree()  # a series planned for 3 episodes, with episodes 1-3


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("chief", password="pw-not-secret-123")
    client.force_login(user)
    return client


def episode_form(number, title="第四集"):
    return nested_form_data(
        {
            "title": title,
            "slug": f"ep-x{number or ''}",
            "number": number or "",
            "summary": "",
            "script": "hans",
            "date": "",
            "tags": "",
            "region": "",
            "video_url": "",
            "credits": streamfield([]),
            "body": streamfield([]),
            "conversion_rules": streamfield([]),
            "seo_title": "",
            "search_description": "",
        }
    )


def add_episode(admin_client, series, number):
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "episodepage", series.pk])
    return admin_client.post(url, episode_form(number))


@pytest.mark.parametrize("number", [4, None])
def test_admin_refuses_an_episode_past_the_planned_count(admin_client, tree, number):
    response = add_episode(admin_client, tree.series, number)
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 4 集超出了本系列的计划集数（共 3 集）" in html
    assert "计划集数改为 4 或更多" in html
    assert EpisodePage.objects.child_of(tree.series).count() == 3


def test_raising_the_planned_count_lets_the_episode_in(admin_client, tree):
    tree.series.planned_episodes = 4
    tree.series.save_revision().publish()
    response = add_episode(admin_client, tree.series, 4)
    assert response.status_code == 302
    assert EpisodePage.objects.child_of(tree.series).filter(number=4).exists()


def test_a_series_without_a_planned_count_takes_any_number(admin_client, tree):
    SeriesPage.objects.filter(pk=tree.series.pk).update(planned_episodes=None)
    assert add_episode(admin_client, tree.series, 9).status_code == 302


def public_html(client, page):
    path = page.url_path.split("/", 2)[2]
    return client.get(f"/zh-hans/{path}").content.decode()


def test_ending_notice_only_on_the_last_planned_episode(client, tree):
    last = tree.episodes[-1]
    html = public_html(client, last)
    assert "本系列已全部播出" in html and "第 3 集 / 共 3 集" in html
    assert "本系列已全部播出" not in public_html(client, tree.episodes[0])


def test_no_ending_notice_next_to_a_later_episode(client, tree):
    # A later episode that slipped in before the check existed (or with no planned count).
    SeriesPage.objects.filter(pk=tree.series.pk).update(planned_episodes=None)
    EpisodePageFactory(parent=tree.series, slug="ep-4", title="第4集", number=4)
    SeriesPage.objects.filter(pk=tree.series.pk).update(planned_episodes=3)
    html = public_html(client, tree.episodes[-1])
    assert "下一集 · 第 4 集" in html
    assert "本系列已全部播出" not in html


def series_planned(document):
    return next(p for p in document["pages"] if p["type"] == "series")


@pytest.mark.django_db
def test_import_refuses_an_episode_past_the_planned_count(tmp_path):
    document = build_document(tmp_path)
    series = series_planned(document)
    planned = series["planned_episodes"]
    run_import(write_document(tmp_path, document))
    extra = {
        "format": "tongxin-content/1",
        "pages": [
            {
                "type": "episode",
                "path": series["path"] + "ep-extra/",
                "title": "加更",
                "number": planned + 1,
            }
        ],
    }
    err = refused(write_document(tmp_path, extra, "extra.json"))
    assert f"episode {planned + 1} is past the planned count of {planned}" in err

    # Raised in the same file: accepted.
    extra["pages"].insert(0, {**series, "planned_episodes": planned + 1})
    run_import(write_document(tmp_path, extra, "extra2.json"))
    assert EpisodePage.objects.filter(number=planned + 1).exists()
