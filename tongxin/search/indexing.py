"""Build, update and remove search entries.

What is indexed is what a reader can see on the published page (``page_texts``), nothing
else: a story's private identity lives in another model and never reaches the index.
Whether a page may be *found* is decided at query time (live, not private, a story's
consent still valid), so that consent expiry or a new view restriction takes effect at
once, without re-indexing.
"""

import html
import logging
import re

from django.db import models, transaction
from wagtail.models import Page

from campaigns.models import CampaignPage
from tongxin.core.models import TongxinPage
from tongxin.core.text import page_texts

from .analysis import clean, compact, normalise, terms
from .models import SearchEntry

logger = logging.getLogger(__name__)

# Text columns a reader does not read as prose: editor conversion rules (shown nowhere) and
# URL fields (a link's address, not its words). The title has columns of its own.
NOT_INDEXED = {"title", "conversion_rules"}
URL_LINE_RE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.IGNORECASE)
BATCH_SIZE = 200


def _skipped_labels(model):
    # page_texts names fields by their (translated) label; compare in the same language.
    return {
        str(field.verbose_name)
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and (field.name in NOT_INDEXED or isinstance(field, models.URLField))
    }


def body_text(page):
    """The page's reader-visible text other than its title, markers stripped, one line."""
    skipped = _skipped_labels(type(page))
    parts = []
    for label, text in page_texts(page):
        if label in skipped:
            continue
        lines = [line for line in text.splitlines() if not URL_LINE_RE.match(line)]
        parts.append(" ".join(lines))
    # Rich text arrives with its tags stripped but its entities (&amp;, &nbsp;) still in.
    return clean(html.unescape(" ".join(parts)))


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
    title = clean(page.title)
    body = body_text(page)
    title_norm = normalise(title)
    body_norm = normalise(body)
    return {
        "page_type": page._meta.model_name,
        "campaign_id": nearest_campaign(page.path, campaigns),
        "region": normalise(page.region)[:100],
        "date": page.display_date,
        "title_terms": terms(title_norm),
        "body_terms": terms(body_norm),
        "title_plain": compact(title_norm),
        "plain_text": compact(f"{title_norm}{body_norm}"),
        "script": page.script if page.script in ("hans", "hant") else "hans",
        "summary": clean(page.summary),
        "body_text": body,
    }


# The tree root is depth 1 and the site's home page depth 2: a reader searching from the
# home page has no use for it as a result.
MIN_DEPTH = 3


def indexable(page):
    return isinstance(page, TongxinPage) and page.live and page.depth >= MIN_DEPTH


def index_page(page):
    """Create or refresh the entry of ``page`` (a specific page); drop it if not live."""
    if not indexable(page):
        remove_page(page.pk)
        return None
    entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=entry_values(page))
    return entry


def index_pages(page_ids):
    """Bring the entries of ``page_ids`` up to date in one pass: entries of the live ones
    written anew in batches, the others dropped. Returns the number of entries written."""
    ids = sorted(set(page_ids))
    campaigns = campaign_paths() if ids else {}
    count = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        pages = [page for page in Page.objects.filter(pk__in=chunk).specific() if indexable(page)]
        SearchEntry.objects.filter(page_id__in=chunk).delete()
        SearchEntry.objects.bulk_create(
            [SearchEntry(page_id=page.pk, **entry_values(page, campaigns)) for page in pages]
        )
        count += len(pages)
    return count


def remove_page(page_id):
    SearchEntry.objects.filter(page_id=page_id).delete()


def refresh_campaigns(page):
    """After a move: the page and its descendants may now sit in another campaign."""
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


def rebuild():
    """Re-index every live page from scratch, in one transaction. Returns the entry count."""
    campaigns = campaign_paths()
    pages = (
        Page.objects.live()
        .type(TongxinPage)
        .filter(depth__gte=MIN_DEPTH)
        .specific()
        .order_by("path")
    )
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        batch = []
        for page in pages:
            batch.append(SearchEntry(page_id=page.pk, **entry_values(page, campaigns)))
            if len(batch) >= BATCH_SIZE:
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        count += len(batch)
    return count
