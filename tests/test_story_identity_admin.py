"""The identity records' admin: who can open what, and what the admin shows and logs.

Roles: a privacy officer (group 隐私专员, created after migrate by stories.roles), a member of
Wagtail's Editors group, one of its Moderators group, anonymous, and a superuser. Only the
privacy officer (and the superuser) may list, add, edit, delete, see the history of, or
download the consent form of an identity record; every other role is refused on every URL,
including the admin's API, search and chooser views, which never show identity data anyway.
"""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from stories.models import StoryIdentity
from stories.roles import PRIVACY_OFFICERS

from .factories import StoryIdentityFactory, StoryPageFactory, build_site_tree

REAL_NAME = "金丝雀真名甲"
GUARDIAN = "金丝雀监护人丙"
SCHOOL = "金丝雀学校乙"
ADDRESS = "金丝雀住址丁"
NOTES = "金丝雀备注戊"
PRIVATE_VALUES = [REAL_NAME, GUARDIAN, SCHOOL, ADDRESS, NOTES]
PDF = b"%PDF-1.4\n% consent form of a test child\n%%EOF\n"


@pytest.fixture
def private_root(tmp_path):
    """Consent forms go to a per-test folder, outside the (test) MEDIA_ROOT."""
    root = tmp_path / "private"
    with override_settings(PRIVATE_MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture
def tree(db, private_root):
    tree = build_site_tree()
    identity = tree.story.identity
    identity.real_name = REAL_NAME
    identity.guardians = [GUARDIAN]
    identity.school = SCHOOL
    identity.address = ADDRESS
    identity.notes = NOTES
    identity.consent_form.save("金丝雀真名甲同意书.pdf", ContentFile(PDF))
    identity.save()
    tree.identity = identity
    return tree


def make_user(username, *groups, superuser=False):
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password="pw-not-secret-123",
        is_superuser=superuser,
        is_staff=superuser,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def users(db):
    return {
        "privacy_officer": make_user("officer", PRIVACY_OFFICERS),
        "editor": make_user("editor", "编辑"),
        "moderator": make_user("moderator", "责任编辑"),
        "superuser": make_user("admin", superuser=True),
    }


def client_for(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


def identity_urls(identity):
    pk = identity.pk
    return {
        "list": reverse("story_identities:index"),
        "list results": reverse("story_identities:index_results"),
        "add": reverse("story_identities:add"),
        "edit": reverse("story_identities:edit", args=[pk]),
        "delete": reverse("story_identities:delete", args=[pk]),
        "history": reverse("story_identities:history", args=[pk]),
        "history results": reverse("story_identities:history_results", args=[pk]),
        "usage": reverse("story_identities:usage", args=[pk]),
        "consent form": reverse("story_identity_consent_form", args=[pk]),
    }


def final_status(client, url):
    """Status after redirects: a 404 outside the script prefixes is first redirected to
    /zh-hans/… by the locale middleware, which then answers 404."""
    return client.get(url, follow=True).status_code


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def assert_refused(response, where):
    """Wagtail answers 403, or sends the user back to the dashboard with a message."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home"), where
    else:
        assert response.status_code == 403, (where, response.status_code)


def assert_no_private_values(text, where):
    for value in PRIVATE_VALUES:
        assert value not in text, f"{value} in {where}"


# --- the role × URL matrix ----------------------------------------------------------------


def test_identity_admin_lives_under_one_prefix(tree):
    urls = identity_urls(tree.identity)
    assert urls["list"] == "/admin/story-identities/"
    assert urls["consent form"] == f"/admin/story-identities/{tree.identity.pk}/consent-form/"


@pytest.mark.parametrize("role", ["privacy_officer", "superuser"])
def test_privacy_officer_opens_every_identity_url(client, tree, users, role):
    client = client_for(client, users, role)
    for name, url in identity_urls(tree.identity).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_editors_and_moderators_are_refused_everywhere(client, tree, users, role):
    client = client_for(client, users, role)
    for name, url in identity_urls(tree.identity).items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert_refused(response, f"{role} {method} {name}")
            assert_no_private_values(body_of(response), f"{role} {method} {name}")
    assert StoryIdentity.objects.filter(pk=tree.identity.pk).exists()


def test_anonymous_is_sent_to_the_login_page(client, tree):
    for name, url in identity_urls(tree.identity).items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("wagtailadmin_login")), name
            assert_no_private_values(body_of(response), f"anonymous {name}")
    assert StoryIdentity.objects.filter(pk=tree.identity.pk).exists()


def test_user_without_admin_access_is_refused_even_with_the_model_permission(client, tree):
    """The view permission alone (no admin access) does not open the consent form."""
    user = make_user("outsider")
    user.user_permissions.add(
        *ContentType.objects.get_for_model(StoryIdentity).permission_set.all()
    )
    client.force_login(user)
    response = client.get(identity_urls(tree.identity)["consent form"])
    assert response.status_code in (302, 403)
    assert PDF not in body_of(response).encode()


def test_editors_write_stories_without_seeing_the_identity(client, tree, users):
    client.force_login(users["editor"])
    add = reverse("wagtailadmin_pages:add", args=["stories", "storypage", tree.story_index.pk])
    assert client.get(add).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[tree.story.pk]))
    assert response.status_code == 200
    text = body_of(response)
    assert tree.story.pseudonym in text
    assert_no_private_values(text, "story edit view")
    assert "/admin/story-identities/" not in text


@pytest.mark.parametrize("role", ["privacy_officer", "editor", "moderator", "superuser"])
def test_menu_item_only_for_those_who_may_open_it(client, tree, users, role):
    response = client_for(client, users, role).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    has_menu = "/admin/story-identities/" in body_of(response)
    assert has_menu == (role in ("privacy_officer", "superuser"))


# --- the privacy officer's path ---------------------------------------------------------------


def identity_form(story, **overrides):
    today = timezone.localdate()
    data = {
        "story": story.pk,
        "real_name": REAL_NAME,
        "guardians": f"{GUARDIAN}（爷爷）",
        "school": SCHOOL,
        "address": ADDRESS,
        "notes": NOTES,
        "consent_obtained_on": (today - datetime.timedelta(days=2)).isoformat(),
        "consent_expires_on": (today + datetime.timedelta(days=300)).isoformat(),
        "consent_web": "on",
        "consent_partners": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def identity_log_entries(identity_pk):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StoryIdentity), object_id=str(identity_pk)
    )


def test_privacy_officer_creates_edits_lists_and_deletes(client, tree, users, private_root):
    client.force_login(users["privacy_officer"])
    story = StoryPageFactory(
        parent=tree.story_index, slug="new-story", title="阿朵的画", identity=None
    )

    upload = SimpleUploadedFile("金丝雀真名甲-同意书.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("story_identities:add"), identity_form(story, consent_form=upload)
    )
    assert response.status_code == 302, response.context["form"].errors
    identity = StoryIdentity.objects.get(story=story)
    assert identity.real_name == REAL_NAME
    assert identity.guardians == [f"{GUARDIAN}（爷爷）"]
    assert identity.consent_allows("partners")
    assert identity.updated_by == users["privacy_officer"]
    # Stored under PRIVATE_MEDIA_ROOT, under a random name without the child's name.
    stored = private_root / identity.consent_form.name
    assert stored.read_bytes() == PDF
    assert REAL_NAME not in identity.consent_form.name
    assert identity.consent_form.name.endswith(".pdf")

    # The list names the story, never the person.
    listing = body_of(client.get(reverse("story_identities:index")))
    assert "阿朵的画" in listing
    assert tree.story.title in listing
    assert_no_private_values(listing, "identity list")

    # The edit form shows the data, and links the consent form to the download view only.
    edit_url = reverse("story_identities:edit", args=[identity.pk])
    page = body_of(client.get(edit_url))
    assert REAL_NAME in page
    download_url = reverse("story_identity_consent_form", args=[identity.pk])
    assert f'href="{download_url}"' in page
    assert identity.consent_form.name not in page
    assert "/media/" not in page.split("<main", 1)[-1]

    response = client.post(
        edit_url, identity_form(story, notes="金丝雀备注己", consent_partners=None)
    )
    assert response.status_code == 302, response.context["form"].errors
    identity.refresh_from_db()
    assert identity.notes == "金丝雀备注己"
    assert identity.consent_allows("web") and not identity.consent_allows("partners")
    assert identity.consent_form.name  # an edit without a new file keeps the old one

    # Every log entry of the record is labelled by the story and holds no private value.
    entries = list(identity_log_entries(identity.pk))
    assert {e.action for e in entries} >= {"wagtail.create", "wagtail.edit"}
    for entry in entries:
        logged = entry.label + json.dumps(entry.data, ensure_ascii=False)
        assert_no_private_values(logged, f"log entry {entry.action}")
        assert "金丝雀备注己" not in logged
        assert "阿朵的画" in entry.label

    response = client.post(reverse("story_identities:delete", args=[identity.pk]))
    assert response.status_code == 302
    assert not StoryIdentity.objects.filter(pk=identity.pk).exists()
    for entry in identity_log_entries(identity.pk):
        assert_no_private_values(entry.label + json.dumps(entry.data, ensure_ascii=False), "log")


def test_expiry_before_obtained_date_is_refused(client, tree, users):
    client.force_login(users["privacy_officer"])
    story = StoryPageFactory(parent=tree.story_index, slug="dates", identity=None)
    today = timezone.localdate()
    response = client.post(
        reverse("story_identities:add"),
        identity_form(
            story,
            consent_obtained_on=today.isoformat(),
            consent_expires_on=(today - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "consent_expires_on" in response.context["form"].errors
    assert not StoryIdentity.objects.filter(story=story).exists()


def test_one_identity_record_per_story(client, tree, users):
    client.force_login(users["privacy_officer"])
    response = client.post(reverse("story_identities:add"), identity_form(tree.story))
    assert response.status_code == 200
    assert "story" in response.context["form"].errors
    assert StoryIdentity.objects.filter(story=tree.story).count() == 1


# --- the consent form download -------------------------------------------------------------


@pytest.mark.parametrize("role", ["privacy_officer", "superuser"])
def test_consent_form_is_an_uncached_attachment(client, tree, users, role):
    client = client_for(client, users, role)
    response = client.get(identity_urls(tree.identity)["consent form"])
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"consent-form-{tree.identity.pk}.pdf" in disposition
    assert REAL_NAME not in disposition
    # The admin adds its own never-cache directives; these two must be among them.
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert response["Content-Type"] == "application/pdf"
    # Who downloaded which consent form, and when, is in the audit log.
    assert (
        identity_log_entries(tree.identity.pk)
        .filter(action="tongxin.consent_form.download", user=users[role])
        .exists()
    )


def test_consent_form_is_not_under_media_root(tree, settings, private_root):
    path = tree.identity.consent_form.path
    assert path.startswith(str(private_root))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        tree.identity.consent_form.url  # noqa: B018 — no public URL exists


def test_consent_form_download_404s_without_a_file(client, tree, users):
    client.force_login(users["privacy_officer"])
    bare = StoryIdentityFactory(story=StoryPageFactory(parent=tree.story_index, identity=None))
    assert final_status(client, reverse("story_identity_consent_form", args=[bare.pk])) == 404
    missing = reverse("story_identity_consent_form", args=[bare.pk + 1000])
    assert final_status(client, missing) == 404


def test_consent_form_never_under_the_public_media_url(client, tree):
    name = tree.identity.consent_form.name
    for prefix in ("/media/", "/media/private/", "/documents/"):
        assert final_status(client, prefix + name) == 404, prefix


# --- what the rest of the admin shows editors ----------------------------------------------


def test_no_identity_snippet_or_snippet_chooser(client, tree, users):
    client.force_login(users["superuser"])
    for url in (
        "/admin/snippets/stories/storyidentity/",
        "/admin/snippets/stories/storyidentity/add/",
        "/admin/snippets/choose/stories/storyidentity/",
    ):
        assert final_status(client, url) == 404, url


@pytest.mark.parametrize("role", ["editor", "moderator", "privacy_officer", "superuser"])
def test_admin_api_search_and_choosers_show_no_identity(client, tree, users, role):
    client = client_for(client, users, role)
    story = tree.story
    urls = [
        f"/admin/api/main/pages/?child_of={tree.story_index.pk}&fields=*",
        "/admin/api/main/pages/?type=stories.StoryPage&fields=*,pseudonym,region",
        f"/admin/api/main/pages/{story.pk}/?fields=*",
        f"/admin/pages/search/?q={tree.story.pseudonym}",
        f"/admin/choose-page/{tree.story_index.pk}/",
        f"/admin/choose-page/search/?q={tree.story.pseudonym}",
        f"/admin/pages/{tree.story_index.pk}/",
        f"/admin/pages/{story.pk}/edit/",
        f"/admin/pages/{story.pk}/history/",
        f"/admin/pages/{story.pk}/usage/",
        f"/admin/pages/{story.pk}/delete/",
        "/admin/reports/site-history/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        text = body_of(response)
        assert_no_private_values(text, f"{role} {url}")
        assert "consent_form" not in text, url
        if url.startswith("/admin/api/"):
            assert "identity" not in text, url
            assert "consent" not in text, url


def test_admin_api_never_returns_identity_fields(client, tree, users):
    """Asking for them by name gets an error or a page without them, never the values."""
    client.force_login(users["superuser"])
    for field in ("identity", "real_name", "consent_form", "identity(real_name)"):
        for url in (
            f"/admin/api/main/pages/?child_of={tree.story_index.pk}&fields={field}",
            f"/admin/api/main/pages/?type=stories.StoryPage&fields={field}",
            f"/admin/api/main/pages/{tree.story.pk}/?fields={field}",
        ):
            response = client.get(url)
            assert response.status_code in (200, 400), url
            text = body_of(response)
            assert_no_private_values(text, url)
            assert '"identity"' not in text and '"real_name"' not in text, url


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_page_search_does_not_index_the_identity(client, tree, users, role):
    """Searching the admin's pages (search view, API, chooser) for the real name, school or
    address finds no story: the identity is not part of the page's search entry."""
    client = client_for(client, users, role)
    for value in PRIVATE_VALUES:
        response = client.get("/admin/api/main/pages/", {"search": value})
        assert response.status_code == 200
        assert response.json()["meta"]["total_count"] == 0, value
        for url in ("/admin/pages/search/", "/admin/choose-page/search/"):
            response = client.get(url, {"q": value})
            assert response.status_code == 200, url
            text = body_of(response)
            assert tree.story.title not in text, (url, value)
            assert f"/admin/pages/{tree.story.pk}/" not in text, (url, value)


def test_story_usage_does_not_list_the_identity_record(client, tree, users):
    client.force_login(users["editor"])
    response = client.get(f"/admin/pages/{tree.story.pk}/usage/")
    assert response.status_code == 200
    text = body_of(response)
    assert "/admin/story-identities/" not in text
    assert "身份记录" not in text


def test_editor_site_history_has_no_identity_entries(client, tree, users):
    officer = client_for(client, users, "privacy_officer")
    officer.post(
        reverse("story_identities:edit", args=[tree.identity.pk]),
        identity_form(tree.story, notes="金丝雀备注己"),
    )
    assert identity_log_entries(tree.identity.pk).exists()
    client.logout()
    client.force_login(users["editor"])
    text = body_of(client.get("/admin/reports/site-history/"))
    assert "身份记录" not in text
    assert "身份与授权" not in text


def test_page_log_entries_hold_no_identity(client, tree, users):
    """Editing and publishing the story logs the page only: nothing from its identity."""
    client.force_login(users["superuser"])
    revision = tree.story.save_revision(user=users["superuser"], log_action=True)
    revision.publish(user=users["superuser"])
    entries = PageLogEntry.objects.filter(page=tree.story)
    assert entries.exists()
    for entry in entries:
        assert_no_private_values(entry.label + json.dumps(entry.data, ensure_ascii=False), "log")
    for revision in tree.story.revisions.all():
        assert_no_private_values(json.dumps(revision.content, ensure_ascii=False), "revision")
