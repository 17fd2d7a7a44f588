"""Which pages partners get, and where they are: selection, URLs, parameters.

Only what is visible to the "partners" scope (tongxin.core.visibility) leaves the site
through feeds, embeds and oEmbed. Feeds and embeds are routes of the page itself
(tongxin.core.routes), so Wagtail's routing finds the page; oEmbed resolves a URL
with `find_public_page`.
"""

import re

from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from wagtail.models import Page

from campaigns.models import (
    CampaignPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    SeriesPage,
)
from stories.models import StoryIndexPage, StoryPage
from tongxin.core.listings import index_members, newest_first
from tongxin.core.routes import PARTNERS
from tongxin.core.visibility import visible
from tongxin.home.models import HomePage

# Pages with feeds and list embeds, and the page types that appear in them.
LIST_MODELS = (HomePage, CampaignPage, SeriesPage, StoryIndexPage, NewsIndexPage)
# Pages whose embed is a single card.
CARD_MODELS = (EpisodePage, FundLaunchEventPage, NewsPage, StoryPage)
ENTRY_MODELS = (CampaignPage, SeriesPage, EpisodePage, FundLaunchEventPage, NewsPage, StoryPage)

FEED_MAX = 50
EMBED_MAX = 20
EMBED_DEFAULT = 5

PATH_RE = re.compile(r"(?:[\w-]+/)*\Z")


class BadParameter(ValueError):
    """A query parameter that cannot be read: answered with a 400 and this message."""


def published(queryset):
    """What partners may get of `queryset` now."""
    return visible(queryset, PARTNERS)


def parse_limit(request, default, maximum, name="limit"):
    """`?limit=`: absent or empty → `default`; an integer → clamped into 1..`maximum`;
    anything else (letters, decimals, a huge string) → BadParameter (a 400)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw):
        raise BadParameter(f"{name} must be an integer from 1 to {maximum}")
    return max(1, min(maximum, int(raw)))


# --------------------------------------------------------------------------- resolution


def shape_of(page):
    if isinstance(page, LIST_MODELS):
        return "list"
    if isinstance(page, CARD_MODELS):
        return "card"
    return ""


def site_root_path(site):
    return site.root_page.url_path if site is not None else None


def find_public_page(site, path):
    """The live, public, specific page at `path` (relative to the site root), or None."""
    if site is None or not PATH_RE.match(path or ""):
        return None
    root_path = site_root_path(site)
    queryset = Page.objects.filter(url_path=root_path + (path or ""))
    return published(queryset.descendant_of(site.root_page, inclusive=True)).specific().first()


# --------------------------------------------------------------------------- URLs


def page_path(page, root_path):
    """The page's path under the active script prefix (`/zh-hant/qingyun/`)."""
    return reverse("wagtail_serve", args=(page.url_path[len(root_path) :],))


def page_url(request, page, root_path, suffix=""):
    return request.build_absolute_uri(page_path(page, root_path) + suffix)


# --------------------------------------------------------------------------- selection


def _sort_date():
    """A page's own date (the `date` field, editable), falling back to first publication.

    `date` lives on each concrete table; one correlated subquery per entry type keeps the
    selection to a single query whatever the mix of types.
    """
    dates = [
        Subquery(model.objects.filter(pk=OuterRef("pk")).values("date")[:1])
        for model in ENTRY_MODELS
    ]
    return Coalesce(*dates, F("first_published_at"), output_field=DateTimeField())


def newest_of_types(page, limit):
    """Ids of the newest `limit` entries of every type under `page` (home and campaign
    feeds), newest first as listings order them (tongxin.core.listings.newest_first).

    Bounded: per entry type, its newest `limit` (a LIMIT in SQL over that type's own table,
    so the database keeps a top-N heap, not a sort of the site); the few candidates are
    merged here. The single query this replaces took a page's date from six tables with a
    correlated subquery each, for every page under the home page, on every build.
    """
    candidates = []
    for model in ENTRY_MODELS:
        candidates += newest_first(published(model.objects.descendant_of(page))).values_list(
            "pk", "listing_date"
        )[:limit]
    # Newest first, undated last (as nulls_last), ties by the newest pk: newest_first's order.
    candidates.sort(key=lambda row: (row[1] is not None, row[1] and row[1].timestamp(), row[0]))
    return [pk for pk, _ in reversed(candidates)][:limit]


def entry_ids(page, limit):
    """Ids of the pages in `page`'s feed or list embed, in feed order (one query)."""
    if isinstance(page, SeriesPage):
        # Episodes in episode order; with more than `limit`, the latest `limit` of them.
        ids = list(
            published(EpisodePage.objects.child_of(page))
            .order_by(F("number").desc(nulls_last=True), "-path")
            .values_list("pk", flat=True)[:limit]
        )
        return ids[::-1]
    if isinstance(page, StoryIndexPage):
        queryset = index_members(page, StoryPage)
    elif isinstance(page, NewsIndexPage):
        queryset = index_members(page, NewsPage)
    else:
        return newest_of_types(page, limit)
    return list(
        published(queryset)
        .annotate(sort_date=Coalesce("date", "first_published_at"))
        .order_by(F("sort_date").desc(nulls_last=True), "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def load_entries(ids, with_bodies=True):
    """The specific pages for `ids`, in that order: one query per page type."""
    if not ids:
        return []
    queryset = Page.objects.filter(pk__in=ids)
    if not with_bodies:
        queryset = queryset.defer_streamfields()
    by_pk = {page.pk: page for page in queryset.specific()}
    return [by_pk[pk] for pk in ids if pk in by_pk]
