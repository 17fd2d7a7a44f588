"""Importing a `tongxin-content/1` document: validate everything, then write in one transaction.

Nothing is written when the file has an error. Pages are created parents first and found
by path; a page whose canonical content, story record and publication state already match
the file is left untouched (no revision), so importing the same file twice changes nothing.

Publication follows the file: `live: true` publishes (or schedules, when `go_live_at` is in
the future; Wagtail's own publish() does the scheduling, as in the admin), `live: false`
keeps a draft and unpublishes a live page. A story that fails the privacy check is kept as
a draft and reported ("held"); with `strict` that makes the whole import fail instead.

A new page that goes live at once (most of a large import) is written in one pass
(create_published, tongxin.exchange.newpages) that leaves what Wagtail's add_child,
save_revision and publish leave; the others go through Wagtail's own steps.
"""

import importlib
import importlib.util
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page, Revision
from wagtail.signals import page_published

from campaigns.models import EpisodePage, Fund, Organization
from stories.models import StoryIdentity
from tongxin.core import spam
from tongxin.core.bulk import bulk_changes
from tongxin.core.fields import StringListField

from . import represent, schema, spec
from .apply import Keys, apply_content
from .images import ImageStore
from .newpages import LogEntries, TreeSlots
from .site import NoSite, find_page, read_site_facts, site_root
from .snippets import write_snippets
from .values import page_date, to_datetime


@dataclass
class Outcome:
    errors: list = field(default_factory=list)
    held: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    pages: Counter = field(default_factory=Counter)
    snippets: Counter = field(default_factory=Counter)
    images_added: int = 0
    written: bool = False

    def summary(self):
        p = self.pages
        return (
            f"created {p['created']}, updated {p['updated']}, unchanged {p['unchanged']} pages; "
            f"{len(self.held)} held as draft"
        )

    def details(self):
        s = self.snippets
        return (
            f"settings, rules, organizations and funds: created {s['created']}, "
            f"updated {s['updated']}, unchanged {s['unchanged']}; "
            f"images: {self.images_added} added"
        )


class _Rollback(Exception):
    pass


def import_document(document, base_dir=None, strict=False, dry_run=False):
    """Validate and import; return an Outcome. Nothing is written when it has errors,
    when `dry_run`, or when `strict` and a story would be held as a draft."""
    try:
        facts = read_site_facts()
        checked = schema.check(document, base_dir, facts)
    except NoSite as exc:
        return Outcome(errors=[str(exc)])
    if checked.errors:
        return Outcome(errors=checked.errors)
    outcome, images = Outcome(), ImageStore()
    try:
        # Search and reference indexes, the site's names and the content version are
        # brought up to date once, at the end of the batch (tongxin.core.bulk).
        with transaction.atomic(), bulk_changes():
            PageWriter(outcome, images, set(facts.pages)).write(checked.document)
            outcome.images_added = images.created
            if outcome.errors or dry_run or (strict and outcome.held):
                raise _Rollback
    except _Rollback:
        images.discard_stored_files()
    except BaseException:
        images.discard_stored_files()
        raise
    else:
        outcome.written = True
        if sum(outcome.pages.values()) >= ANALYZE_AFTER:
            analyze()
    return outcome


# Pages in one import from which the planner's statistics are refreshed afterwards.
ANALYZE_AFTER = 500


def analyze():
    """Refresh the planner's statistics after a large import (PostgreSQL).

    Until autovacuum gets to it, PostgreSQL plans queries on the tables as they were before
    the import (often empty): a 10,000-page import left the home page at 2.9 s and the story
    index at 1.2 s until ANALYZE ran. SQLite plans without such statistics.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- privacy check -----------------------------------------------------------------------


def basic_story_problems(page, identity):
    """Consent and image consent: the check used while stories.guard is not installed."""
    problems = []
    today = timezone.localdate()
    if identity is None or not (identity.consent_obtained_on and identity.consent_expires_on):
        problems.append("no consent")
    else:
        if identity.consent_obtained_on > today:
            problems.append(f"consent only valid from {identity.consent_obtained_on}")
        if identity.consent_expires_on < today:
            problems.append(f"consent expired on {identity.consent_expires_on}")
        if not identity.consent_web:
            problems.append('consent scope does not include "web"')
    for index, block in enumerate(page.body.raw_data):
        if block["type"] == "image" and not block["value"].get("consent"):
            problems.append(f"body[{index}]: image has no consent (cleared or illustrative)")
    return problems


def story_problems(page, identity):
    """Why the story may not be published; empty when it may."""
    # The contract: a story needs its pseudonym to be published (a draft may lack it).
    problems = [] if (page.pseudonym or "").strip() else ["no pseudonym"]
    # The full check (consent, image consent, private values, ID numbers, phones,
    # addresses…) is the one the admin's publish button runs: stories.guard.
    if importlib.util.find_spec("stories.guard") is not None:
        guard = importlib.import_module("stories.guard")
        problems += [str(p) for p in guard.check_story(page, identity)]
    else:
        problems += basic_story_problems(page, identity)
    return list(dict.fromkeys(problems))


def story_name_warnings(page, identity):
    """Possible person names the record does not know, for the privacy reviewer: notes, not
    refusals. Masked (赵**): the import's output may end up in a log."""
    if importlib.util.find_spec("stories.guard") is None:
        return []
    guard = importlib.import_module("stories.guard")
    return [
        f"possible name to review: {w.field} “{w.name[0]}{'*' * (len(w.name) - 1)}”"
        for w in guard.name_warnings(page, identity)
    ]


# --- pages -------------------------------------------------------------------------------

# What publishing changes on a page's row (Wagtail's PublishRevisionAction, save_revision).
PUBLISHED_FIELDS = (
    "live",
    "has_unpublished_changes",
    "expired",
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "draft_title",
    "first_published_at",
    "last_published_at",
)


def _validation_messages(exc):
    if hasattr(exc, "error_dict"):
        return [(name, "; ".join(msgs)) for name, msgs in exc.message_dict.items()]
    return [("", "; ".join(exc.messages))]


def _blank_required(page):
    """Required fields left empty: a draft may lack them (Wagtail's own drafts may too)."""
    return [
        f.name
        for f in page._meta.concrete_fields
        if not f.blank and getattr(page, f.attname) in (None, "")
    ]


class PageWriter:
    def __init__(self, outcome, images, site_paths=None):
        self.outcome, self.images = outcome, images
        # Paths on the site before the import (None: unknown, look every path up) and the
        # pages written so far: a new page's path and its parent cost no query.
        self.site_paths = site_paths
        self.written = {}
        self.root = site_root()
        self.lookup = represent.Lookup(self.root)
        self.allocated = {}  # series path -> episode numbers handed out in this import
        self.now = timezone.now()
        self.tree = TreeSlots()
        self.logs = LogEntries()
        self.identities = {}  # story pk -> its StoryIdentity (None: it has none)

    def write(self, document):
        self.outcome.snippets = write_snippets(document)
        self.keys = Keys(
            dict(Organization.objects.values_list("key", "pk")),
            dict(Fund.objects.values_list("key", "pk")),
        )
        self.reserved = {}  # series path -> numbers the file gives explicitly
        for item in document.pages:
            if item.type == "episode" and item.content.get("number"):
                self.reserved.setdefault(item.parent_path, set()).add(item.content["number"])
        # Parents first; the home page (always there) last, as it may feature a campaign.
        for item in sorted(document.pages, key=lambda p: (p.path == "/", p.depth, p.index)):
            try:
                self.write_page(item)
            except ValidationError as exc:
                for name, message in _validation_messages(exc):
                    self.outcome.errors.append(
                        ": ".join(part for part in (item.where, name, message) if part)
                    )
        self.tree.flush()
        self.logs.flush()

    def resolve_path(self, path):
        return find_page(path, self.root)

    def next_number(self, item, parent):
        used = set(EpisodePage.objects.child_of(parent).values_list("number", flat=True))
        used |= self.reserved.get(item.parent_path, set())
        used |= self.allocated.setdefault(item.parent_path, set())
        number = 1
        while number in used:
            number += 1
        self.allocated[item.parent_path].add(number)
        return number

    def write_page(self, item):
        model = spec.page_model(item.type)
        content = dict(item.content)
        page = None
        if self.site_paths is None or item.path in self.site_paths:
            page = find_page(item.path, self.root)
        if page is None:
            self.create_page(model, item, content)
            return
        # The page as stored: with the children this import gave it so far counted.
        if page.pk in self.tree.flush():
            page.refresh_from_db(fields=["numchild"])
        obj = page.get_latest_revision_as_object()
        if item.type == "episode" and "number" not in content:
            content["number"] = obj.number or self.next_number(item, page.get_parent())
        if item.type == "episode":
            self.check_planned_count(page.get_parent(), item.parent_path, content["number"])
        changed = self.differs(page, obj, item, content)
        if changed:
            self.apply(obj, item, content)
        identity_changed = self.write_identity(page, item) if item.type == "story" else False
        want_live = self.wanted_live(obj, item, content, self.identity(page))
        if item.type == "story" and (changed or identity_changed):
            # Notes for the privacy reviewer about what this import wrote: a story the file
            # leaves as it is was reported when it was written.
            self.note_names(obj, item, self.identity(page))
        state_changed = self.publish(page, obj, item, content, changed, want_live)
        self.written[item.path] = page
        if changed or identity_changed or state_changed:
            self.outcome.pages["updated"] += 1
        else:
            self.outcome.pages["unchanged"] += 1

    def create_page(self, model, item, content):
        parent = self.written.get(item.parent_path) or find_page(item.parent_path, self.root)
        if parent is None:
            raise ValidationError(f"parent {item.parent_path} was not written")
        if item.type == "episode" and "number" not in content:
            content["number"] = self.next_number(item, parent)
        if item.type == "episode":
            self.check_planned_count(parent, item.parent_path, content["number"])
        obj = model(slug=item.path.strip("/").split("/")[-1], live=False)
        obj.has_unpublished_changes = True
        self.apply(obj, item, content)
        # The story's record is checked as it will be stored, and stored with the page.
        identity = self.new_identity(item) if item.type == "story" else None
        want_live = self.wanted_live(obj, item, content, identity)
        if item.type == "story":
            self.note_names(obj, item, identity)
        go_live_at = content.get("go_live_at")
        if want_live and not (go_live_at and go_live_at > self.now):
            self.create_published(parent, obj, content, identity)
        else:
            # A draft or a scheduled page: Wagtail's own steps, as for a page on the site.
            self.insert(parent, obj, identity)
            self.publish(obj, obj, item, content, True, want_live, created=True)
        self.written[item.path] = obj
        self.outcome.pages["created"] += 1

    def wanted_live(self, obj, item, content, identity):
        """Whether the page goes live: as the file says, unless it has expired or is a story
        the privacy check holds back (reported)."""
        want_live = item.live
        expire_at = content.get("expire_at")
        if want_live and expire_at and expire_at <= self.now:
            want_live = False
            self.outcome.notes.append(f"{item.where}: kept as a draft: expired at {expire_at}")
        if item.type == "story":
            problems = story_problems(obj, identity)
            if problems:
                want_live = False
                if item.live:
                    self.outcome.held.append(f"{item.where}: held as draft: {'; '.join(problems)}")
        return want_live

    def note_names(self, obj, item, identity):
        for warning in story_name_warnings(obj, identity):
            self.outcome.notes.append(f"{item.where}: {warning}")

    def insert(self, parent, obj, identity=None):
        """`parent.add_child(instance=obj)`, as Wagtail saves a new page (a draft, validated
        minimally), with the tree position, locale and history entry from TreeSlots and
        LogEntries; then the story's record."""
        self.tree.place(parent, obj)
        if obj.locale_id is None:
            obj.locale_id = parent.locale_id  # what Page.save would look up
        obj._is_site_root = False  # a page just created is no site's root: no query
        obj.save(log_action=None)
        self.logs.log(obj, "wagtail.create", user=obj.owner, content_changed=True)
        if identity is not None:
            identity.story_id = obj.pk
            identity.save()
            self.identities[obj.pk] = identity

    def create_published(self, parent, obj, content, identity):
        """A new page that goes live now, in what Wagtail's add_child, save_revision and
        publish leave behind (the page, its one revision, live, the create/edit/publish
        history entries, `page_published` sent) without what a new page cannot have: no
        earlier revision, comment, workflow or alias to look up, no second and third save
        of the whole page. Validated whole first, as publishing validates.

        Only inside bulk_changes() (import_document): the page's post_save is sent once, on
        creation, which notes it for the search and reference indexes written at the end.
        """
        date = content.get("date")
        if date:
            obj.first_published_at = to_datetime(date)
        self.tree.place(parent, obj)
        if obj.locale_id is None:
            obj.locale_id = parent.locale_id
        obj.set_url_path(parent)
        obj.live = True  # validated as published
        self.clean(obj, publishing=True)
        obj.live = False
        obj._is_site_root = False
        # Stored first as the draft a revision is made of (Wagtail's order), then published.
        obj.save(clean=False, log_action=None)
        self.logs.log(obj, "wagtail.create", user=obj.owner, content_changed=True)
        if identity is not None:
            identity.story_id = obj.pk
            identity.save()
            self.identities[obj.pk] = identity
        revision = Revision.objects.create(
            content_object=obj,
            base_content_type=obj.get_base_content_type(),
            user=None,
            approved_go_live_at=None,
            content=obj.serializable_data(),
            object_str=str(obj),
        )
        self.logs.log(obj, "wagtail.edit", revision=revision, content_changed=True)
        obj.live, obj.has_unpublished_changes, obj.expired = True, False, False
        obj.latest_revision = obj.live_revision = revision
        obj.latest_revision_created_at = revision.created_at
        obj.draft_title = obj.title
        obj.last_published_at = timezone.now()
        if obj.first_published_at is None:
            obj.first_published_at = obj.last_published_at
        Page.objects.filter(pk=obj.pk).update(
            **{name: getattr(obj, name) for name in PUBLISHED_FIELDS}
        )
        page_published.send(sender=obj.specific_class, instance=obj, revision=revision)
        self.logs.log(obj, "wagtail.publish", revision=revision, content_changed=True)

    def check_planned_count(self, series, series_path, number):
        # The series as written so far by this import: a file may raise the planned count
        # together with the new episode (series are written before their episodes).
        planned = EpisodePage.planned_count(series)
        if planned and number > planned:
            raise ValidationError(
                {
                    "number": f"episode {number} is past the planned count of {planned} "
                    f"episodes of {series_path}; raise the series' planned_episodes first "
                    "(in this file or on the site)"
                }
            )

    def differs(self, page, obj, item, content):
        # A page without a date of its own shows its first publication, and an export writes
        # that as its date; compare the dates readers see, so that re-importing an export
        # (or a file that leaves the date out) is no change.
        shown = page.first_published_at
        current = represent.page_content(obj, item.type, self.lookup, date_fallback=shown)
        if "date" not in content and shown:
            content = {**content, "date": page_date(shown)}
        return current != content

    def apply(self, obj, item, content):
        apply_content(obj, item.type, content, self.keys, self.images, self.resolve_path)
        # The spam guard, before anything is stored; reported per field like other errors.
        problems = spam.page_problems(obj)
        if problems:
            raise ValidationError(problems)

    # --- publication state

    def publish(self, page, obj, item, content, changed, want_live, created=False):
        """Bring the page to the wanted state; True when anything but content changed."""
        go_live_at = content.get("go_live_at")
        scheduled_wanted = want_live and go_live_at is not None and go_live_at > self.now
        latest = None
        if page.latest_revision_id:
            latest = Revision.objects.filter(pk=page.latest_revision_id).first()
        scheduled_now = bool(latest and latest.approved_go_live_at)
        date = content.get("date")
        if changed or latest is None:
            if want_live and page.first_published_at is None and date:
                obj.first_published_at = to_datetime(date)
            # A page created just now (a draft or a scheduled page: create_page) was
            # validated as Wagtail validates a new draft when it was stored; a scheduled one
            # is validated whole when it goes live (Wagtail's publish), as before.
            if not created:
                self.clean(obj, publishing=want_live)
            latest = obj.save_revision(clean=False, log_action=True)
        elif want_live:
            if scheduled_wanted:
                in_state = scheduled_now
            else:
                in_state = page.live and not page.has_unpublished_changes and not scheduled_now
            if in_state:
                return False
            self.clean(obj, publishing=True)
            if page.first_published_at is None and date:
                Page.objects.filter(pk=page.pk).update(first_published_at=to_datetime(date))
            latest = Revision.objects.get(pk=latest.pk)  # reload: it reads the page afresh
        if want_live:
            # The privacy check just passed on this very content (story_problems above):
            # StoryPage.publish need not run it a second time.
            latest.privacy_checked = item.type == "story"
            # So has the spam guard (apply(), or the full_clean of this content above).
            latest.spam_checked = True
            latest.publish(log_action=True)
            return True
        return self.keep_draft(page, item, scheduled_now)

    def keep_draft(self, page, item, scheduled_now):
        fresh = Page.objects.get(pk=page.pk).specific
        if fresh.live:
            fresh.unpublish(log_action=True)
            self.outcome.notes.append(f"{item.where}: unpublished: the file keeps it as a draft")
            return True
        if scheduled_now:
            fresh.revisions.update(approved_go_live_at=None)
            self.outcome.notes.append(f"{item.where}: scheduled publishing cancelled")
            return True
        return False

    def clean(self, obj, publishing):
        # Validate what is about to be stored. A draft may lack required fields (a story
        # without its pseudonym yet), as a draft saved in the admin may.
        exclude = [] if publishing else _blank_required(obj)
        obj.full_clean(exclude=exclude)

    # --- the story's private record

    def identity(self, page):
        if page.pk not in self.identities:
            self.identities[page.pk] = StoryIdentity.objects.filter(story_id=page.pk).first()
        return self.identities[page.pk]

    def identity_values(self, item):
        consent = item.consent or {}
        scope = consent.get("scope", [])
        values = {
            "consent_obtained_on": consent.get("obtained_on"),
            "consent_expires_on": consent.get("expires_on"),
            "consent_web": "web" in scope,
            "consent_partners": "partners" in scope,
        }
        if item.private is not None:
            values.update(item.private)
        return values

    def new_identity(self, item):
        """The record of a story not stored yet, as it will read once stored (lists of
        strings as their field stores them): the privacy check runs on it before the page is
        written, and it is saved with the page."""
        return _as_stored(StoryIdentity(**self.identity_values(item)))

    def write_identity(self, page, item):
        """Create or update the story's identity record; True when anything changed.

        The consent always follows the file (no consent in the file: none on the site).
        The private fields are only touched when the file has `private`: an export made
        without --include-private must not erase them when it is imported again.
        """
        values = self.identity_values(item)
        identity = self.identity(page)
        if identity is None:
            identity = StoryIdentity.objects.create(story_id=page.pk, **values)
            self.identities[page.pk] = _as_stored(identity)
            return True
        changed = [k for k, v in values.items() if getattr(identity, k) != v]
        for name in changed:
            setattr(identity, name, values[name])
        if changed:
            identity.save()
            _as_stored(identity)
        return bool(changed)


def _as_stored(identity):
    """`identity` with its values as they read back from the database (lists of strings as
    their field stores them), without reading it back."""
    for name in _LIST_FIELDS:
        field = StoryIdentity._meta.get_field(name)
        setattr(identity, name, field.to_python(field.get_prep_value(getattr(identity, name))))
    return identity


_LIST_FIELDS = [
    f.attname for f in StoryIdentity._meta.concrete_fields if isinstance(f, StringListField)
]
