"""Build, update and remove search entries; suspend per-page indexing for bulk work.

What is indexed is what a reader can see on the published page, nothing else: the page's
own text fields and StreamField text, never another model (a story's private identity lives
in StoryIdentity and never reaches the index; the privacy guard checks every one of these
fields before a story can be published). Whether a page may be *found* is decided at query
time (``tongxin.core.visibility.visible``: live, not private, not expired, a story's consent
still valid), so that expiry, a consent change or a new view restriction takes effect at
once, without re-indexing.

Public entry points (docs/architecture.md, "Search"):

- ``index_page(page)`` / ``remove_page(pk)``: what the publish, unpublish, move and delete
  signals call (``signals.py``);
- ``deferred()``: a context manager that suspends those per-page updates (a bulk import)
  and indexes the touched pages in one pass at its end (or not, with ``flush=False``);
- ``rebuild_search_index()``: every live page from scratch (the management command of the
  same name), then the database's statistics refreshed.
"""

import contextvars
import html
import logging
import re
from contextlib import contextmanager

from django.db import models, transaction
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

from campaigns.models import CampaignPage, NewsIndexPage
from stories.models import StoryIndexPage
from tongxin.core.models import TongxinPage
from tongxin.core.text import NOT_PROSE

from .analysis import clean, compact, index_terms, normalise
from .fulltext import analyze
from .models import SearchEntry

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# The tree root is depth 1 and the site's home page depth 2: a reader searching from the
# home page has no use for it as a result.
MIN_DEPTH = 3
# Listing pages are not results: their content is the list of pages search already finds,
# and their only date would be when the section was created. Readers reach them from the
# navigation.
LISTING_TYPES = (NewsIndexPage, StoryIndexPage)

# Fields with columns of their own, or not read as prose by a reader: the title, editors'
# conversion rules (shown nowhere), and every URL field (a link's address, not its words).
SKIPPED = NOT_PROSE | {"title", "conversion_rules"}
SUMMARY_FIELDS = {"summary", "slogan"}
# The body prose: the excerpt's source (paragraphs, headings and quotes of these fields).
PROSE_FIELDS = {"body", "support"}
PROSE_BLOCKS = {"paragraph", "heading"}

_BLOCK_END_RE = re.compile(
    r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote|div|pre|ol|ul|table|tr)\s*>", re.IGNORECASE
)
_TAG_RE = re.compile(r"<[^>]*>")


def rich_text_lines(source):
    """Rich text as plain lines: block ends become line breaks, tags go, entities decoded."""
    text = _TAG_RE.sub("", _BLOCK_END_RE.sub("\n", source or ""))
    return html.unescape(text)


def block_text(block, value, out):
    """Reader-visible text of a block value, appended to ``out``. Choices, URLs, numbers,
    dates and chosen objects are not text a reader reads as such."""
    if value is None:
        return
    if isinstance(block, blocks.RichTextBlock):
        out.append(rich_text_lines(getattr(value, "source", str(value))))
    elif isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        out.append(str(value))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            block_text(child, value.get(name), out)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            block_text(block.child_block, getattr(item, "value", item), out)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            block_text(child.block, child.value, out)


def stream_text(value, prose_field):
    """(prose, other) texts of a StreamField value."""
    prose, other = [], []
    for child in value or []:
        name = child.block_type
        if prose_field and name in PROSE_BLOCKS:
            block_text(child.block, child.value, prose)
        elif prose_field and name == "quote":
            block_text(child.block.child_blocks["text"], child.value.get("text"), prose)
            block_text(
                child.block.child_blocks["attribution"], child.value.get("attribution"), other
            )
        else:
            block_text(child.block, child.value, other)
    return prose, other


def _lines(texts):
    """Cleaned lines (markers, control characters and runs of spaces gone), empty ones
    dropped, one paragraph a line."""
    lines = (clean(line) for text in texts for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def page_parts(page):
    """(title, summary, prose, other) texts of a specific page, as written."""
    summary, prose, other = [], [], []
    for field in page._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in SKIPPED:
            continue
        if isinstance(field, models.URLField):
            continue
        value = getattr(page, field.attname, None)
        if isinstance(field, StreamField):
            found_prose, found_other = stream_text(value, field.name in PROSE_FIELDS)
            prose += found_prose
            other += found_other
        elif isinstance(field, (models.CharField, models.TextField)) and value:
            text = "、".join(value) if isinstance(value, list) else str(value)
            if field.name in SUMMARY_FIELDS:
                summary.append(text)
            elif field.name in PROSE_FIELDS:
                prose.append(text)
            else:
                other.append(text)
    return clean(page.title), _lines(summary), _lines(prose), _lines(other)


def campaign_paths():
    return dict(CampaignPage.objects.values_list("path", "pk"))


def nearest_campaign(path, campaigns):
    """The pk of the deepest campaign at or above the tree ``path``, or None."""
    found = [p for p in campaigns if path.startswith(p)]
    return campaigns[max(found, key=len)] if found else None


def entry_values(page, campaigns=None):
    """The SearchEntry column values of a specific, published page."""
    if campaigns is None:
        campaigns = campaign_paths()
    title, summary, prose, other = page_parts(page)
    folded = [normalise(text) for text in (title, summary, prose, other)]
    return {
        "page_type": page._meta.model_name,
        "campaign_id": nearest_campaign(page.path, campaigns),
        "region": normalise(page.region)[:100],
        "date": page.display_date,
        "title_terms": index_terms(folded[0]),
        "summary_terms": index_terms(folded[1]),
        "body_terms": index_terms(folded[2]),
        "meta_terms": index_terms(folded[3]),
        "plain_text": "\n".join(compact(text) for text in folded),
        "script": page.script if page.script in ("hans", "hant") else "hans",
        "summary": clean(page.summary),
        "body_text": prose,
    }


def indexable(page):
    return (
        isinstance(page, TongxinPage)
        and not isinstance(page, LISTING_TYPES)
        and page.live
        and page.depth >= MIN_DEPTH
    )


# --- deferring ----------------------------------------------------------------------------

_deferred = contextvars.ContextVar("tongxin_search_deferred", default=None)


def deferring():
    """The set collecting touched page ids while indexing is deferred, or None."""
    return _deferred.get()


@contextmanager
def deferred(flush=True):
    """Suspend per-page indexing inside the block (bulk imports).

    Publishing, unpublishing and moving pages inside the block only records which pages
    changed. On leaving the block normally, those pages are indexed in one pass
    (``update_pages``); with ``flush=False`` nothing is done and the caller is expected to
    call ``rebuild_search_index()`` once. Leaving with an exception indexes nothing. Nested
    blocks defer to the outermost one.
    """
    if _deferred.get() is not None:
        yield _deferred.get()
        return
    touched = set()
    token = _deferred.set(touched)
    try:
        yield touched
    finally:
        _deferred.reset(token)
    if flush and touched:
        update_pages(touched)


# --- writing ------------------------------------------------------------------------------


def index_page(page):
    """Create or refresh the entry of ``page`` (a specific page); drop it if not indexable."""
    touched = deferring()
    if touched is not None:
        touched.add(page.pk)
        return None
    if not indexable(page):
        remove_page(page.pk)
        return None
    entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=entry_values(page))
    return entry


def remove_page(page_id):
    touched = deferring()
    if touched is not None:
        touched.add(page_id)
        return
    SearchEntry.objects.filter(page_id=page_id).delete()


def refresh_campaigns(page):
    """After a move: the page and its descendants may now sit in another campaign."""
    touched = deferring()
    if touched is not None:
        touched.update(Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
        return
    campaigns = campaign_paths()
    entries = SearchEntry.objects.filter(page__path__startswith=page.path).select_related("page")
    for entry in entries.only("id", "campaign_id", "page__path"):
        campaign_id = nearest_campaign(entry.page.path, campaigns)
        if campaign_id != entry.campaign_id:
            entry.campaign_id = campaign_id
            entry.save(update_fields=["campaign"])


def safely(action, page):
    """Run an index update without ever failing the publish/unpublish it follows.

    A savepoint keeps a failed index write from breaking the editor's transaction; the
    operator's `rebuild_search_index` repairs whatever was missed.
    """
    try:
        with transaction.atomic():
            action(page)
    except Exception:  # noqa: BLE001 - search must never block publishing
        logger.exception("Search index update failed for page %s", getattr(page, "pk", page))


def _live_pages():
    return (
        Page.objects.live()
        .type(TongxinPage)
        .not_type(*LISTING_TYPES)
        .filter(depth__gte=MIN_DEPTH)
        .order_by("path")
    )


def _write(pages, campaigns):
    count = 0
    batch = []
    for page in pages.specific().iterator(chunk_size=BATCH_SIZE):
        batch.append(SearchEntry(page_id=page.pk, **entry_values(page, campaigns)))
        if len(batch) >= BATCH_SIZE:
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    return count + len(batch)


def update_pages(page_ids):
    """Re-index the given pages in one pass (what ``deferred()`` does on exit)."""
    page_ids = list(page_ids)
    count = 0
    campaigns = campaign_paths()
    with transaction.atomic():
        for start in range(0, len(page_ids), 1000):
            chunk = page_ids[start : start + 1000]
            SearchEntry.objects.filter(page_id__in=chunk).delete()
            count += _write(_live_pages().filter(pk__in=chunk), campaigns)
    if len(page_ids) >= 1000:
        analyze()
    return count


def rebuild_search_index():
    """Re-index every live page from scratch, in one transaction. Returns the entry count.

    Call it once after a bulk import (or use ``deferred()``), after restoring a database, or
    after changing how pages are indexed. PostgreSQL's statistics are refreshed afterwards
    (the whole database: the search query joins the page tables too), so the planner uses the
    full-text index at once.
    """
    campaigns = campaign_paths()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        count = _write(_live_pages(), campaigns)
    analyze()
    return count


# The name the management command and older callers use.
rebuild = rebuild_search_index
