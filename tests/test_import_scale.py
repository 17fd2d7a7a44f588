"""A generated 300-page site (benchmarks/generate_site.py) imports in one transaction, all
or nothing, with the search index written once at the end (tongxin.core.bulk), and the
imported pages are then found, listed and in the sitemap."""

import importlib.util
import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils.timezone import localtime
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from tongxin.core import bulk
from tongxin.exchange.importer import import_document
from tongxin.search import index as search_index
from tongxin.search.models import SearchEntry

from .sitemap_urls import sitemap_entries

pytestmark = pytest.mark.django_db
GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate_site.py"


def generate(pages):
    spec = importlib.util.spec_from_file_location("generate_site", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(pages)


@pytest.fixture(scope="module")
def document():
    return generate(300)


def test_the_generator_writes_the_documented_format(tmp_path):
    out = tmp_path / "site.json"
    spec = importlib.util.spec_from_file_location("generate_site", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--pages", "120", "--out", str(out)])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["format"] == "tongxin-content/1"
    assert len(written["pages"]) == 120
    kinds = {page["type"] for page in written["pages"]}
    assert kinds >= {"home", "campaign", "series", "episode", "fund_launch", "news", "story"}
    for story in (p for p in written["pages"] if p["type"] == "story"):
        assert story["pseudonym"] and story["consent"]["scope"]
        assert story["private"]["real_name"] not in json.dumps(story["body"], ensure_ascii=False)
    assert written == module.generate(120)  # the same arguments, the same file


def test_a_generated_site_imports_whole_and_is_indexed_once(client, document):
    calls = []
    real = search_index.update_pages

    def counted(page_ids):
        calls.append(len(page_ids))
        return real(page_ids)

    with (
        mock.patch("tongxin.search.signals.index_page", side_effect=AssertionError("per page")),
        mock.patch("tongxin.search.signals.update_pages", side_effect=counted),
    ):
        outcome = import_document(document)
    assert not outcome.errors and outcome.written
    assert not outcome.held, outcome.held[:3]
    assert outcome.pages["created"] + outcome.pages["updated"] == 300
    live = [p for p in document["pages"] if p.get("live", True) and p["path"] != "/"]
    assert len(calls) == 1  # one pass over every published page, at the end
    # Listing pages (the news and story indexes) are not search results.
    listings = {"news_index", "story_index"}
    assert SearchEntry.objects.count() == len([p for p in live if p["type"] not in listings])
    assert not bulk.active()

    # A page from the file is found by search, listed, and in the sitemap.
    story = next(p for p in live if p["type"] == "story")
    response = client.get("/zh-hans/search/", {"q": story["title"]})
    assert story["path"] in response.content.decode()
    assert f"http://testserver/zh-hant{story['path']}" in sitemap_entries(client)
    # Wagtail's reference index was written at the end too: a campaign's funds and
    # organisers are known to be used there.
    campaign = next(p for p in live if p["type"] == "campaign")
    page = Page.objects.get(url_path__endswith=campaign["path"])
    assert ReferenceIndex.objects.filter(object_id=str(page.pk)).exists()

    # Importing the same file again changes nothing.
    again = import_document(document)
    assert again.pages["unchanged"] == 300 and not again.errors


def test_a_bad_item_writes_nothing(document):
    broken = json.loads(json.dumps(document))
    broken["pages"][-1]["consent"] = {"obtained_on": "not a date"}
    before = Page.objects.count()
    outcome = import_document(broken)
    assert outcome.errors and not outcome.written
    assert Page.objects.count() == before
    assert SearchEntry.objects.count() == 0


def test_a_failure_while_writing_rolls_everything_back(document):
    """An error found only while writing (here: the database refusing the 200th page) still
    leaves nothing: no page, no search entry, and the deferred work never runs."""
    before = Page.objects.count()
    real = Page.save
    made = {"n": 0}

    def failing(self, *args, **kwargs):
        made["n"] += 1
        if made["n"] == 200:
            raise RuntimeError("disk full")
        return real(self, *args, **kwargs)

    with (
        mock.patch.object(Page, "save", failing),
        mock.patch("tongxin.search.signals.update_pages") as update_pages,
        pytest.raises(RuntimeError),
    ):
        import_document(document)
    assert Page.objects.count() == before
    assert SearchEntry.objects.count() == 0
    update_pages.assert_not_called()
    assert not bulk.active()


def test_the_command_imports_a_generated_file(tmp_path, document):
    path = tmp_path / "site.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(path), stdout=out)
    # The home page is there before any import (migrations make it): updated, not created.
    assert "created 299, updated 1, unchanged 0 pages; 0 held as draft" in out.getvalue()


def test_imported_pages_are_as_wagtail_leaves_a_published_page(admin_client, document):
    """New pages are published in one pass (tongxin.exchange.newpages), not through
    add_child, save_revision and publish: what an editor and the tree see is the same."""
    outcome = import_document(document)
    assert outcome.written and not outcome.errors
    story = next(p for p in document["pages"] if p["type"] == "story" and p.get("live", True))
    page = Page.objects.get(url_path__endswith=story["path"]).specific
    assert page.live and not page.has_unpublished_changes and not page.expired
    # One revision, the one that is live, holding the page as published.
    (revision,) = page.revisions.all()
    assert page.latest_revision == page.live_revision == revision
    assert revision.as_object().title == page.title == page.draft_title
    assert localtime(page.first_published_at).date().isoformat() == story["date"]
    assert page.last_published_at >= revision.created_at
    # The history: created, edited (the revision), published, in that order.
    history = PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    assert [(e.action, e.revision_id) for e in history] == [
        ("wagtail.create", None),
        ("wagtail.edit", revision.pk),
        ("wagtail.publish", revision.pk),
    ]
    response = admin_client.get(f"/admin/pages/{page.pk}/history/")
    assert response.status_code == 200
    assert page.title in response.content.decode()
    # Treebeard's paths, depths and child counts hold for the whole tree.
    assert Page.find_problems() == ([], [], [], [], [])
    # A page added to a parent that already has children comes after the last one.
    parent = page.get_parent()
    last = parent.get_children().last()
    more = json.loads(json.dumps({**document, "pages": [story]}))
    more["pages"][0]["path"] = story["path"].rstrip("/") + "-more/"
    assert import_document(more).pages["created"] == 1
    added = Page.objects.get(url_path__endswith=more["pages"][0]["path"])
    assert added.path == last._inc_path()
    assert Page.find_problems() == ([], [], [], [], [])
