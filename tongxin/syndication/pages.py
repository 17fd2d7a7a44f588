"""Which pages partners get, and where they are: resolution, selection, URLs, parameters.

Only public, partner-cleared content leaves the site through feeds, embeds and oEmbed:
live pages without view restrictions, and stories whose consent covers partners today
(`StoryPage.objects.consented("partners")`).
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import DateTimeField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, Site

from campaigns.models import (
    CampaignPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    SeriesPage,
    index_members,
)
from stories.models import StoryIndexPage, StoryPage
from tongxin.home.models import HomePage
from tongxin.scripts.rendition import script_for_language

from .cache import cache_seconds, content_version, resolution_key

# Pages with feeds and list embeds, and the page types that appear in them.
LIST_MODELS = (HomePage, CampaignPage, SeriesPage, StoryIndexPage, NewsIndexPage)
# Pages whose embed is a single card.
CARD_MODELS = (EpisodePage, FundLaunchEventPage, NewsPage, StoryPage)
ENTRY_MODELS = (CampaignPage, SeriesPage, EpisodePage, FundLaunchEventPage, NewsPage, StoryPage)

FEED_MAX = 50
EMBED_MAX = 20
EMBED_DEFAULT = 5

PATH_RE = re.compile(r"(?:[\w-]+/)*\Z")
NOT_FOUND = "-"


class BadParameter(ValueError):
    """A query parameter that cannot be read: answered with a 400 and this message."""


def published(queryset):
    """Live, without view restrictions, and not past its expiry time even if the job that
    unpublishes expired pages has not run yet."""
    return queryset.live().public().exclude(expire_at__lte=timezone.now())


def parse_limit(request, default, maximum, name="limit"):
    """`?limit=`: absent or empty → `default`; an integer → clamped into 1..`maximum`;
    anything else (letters, decimals, a huge string) → BadParameter (a 400)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw):
        raise BadParameter(f"{name} must be an integer from 1 to {maximum}")
    return max(1, min(maximum, int(raw)))


def current_script():
    return script_for_language(translation.get_language())


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class PageRef:
    """A resolved page, small enough to cache: its id, the root path of its site and what
    partners get of it: "list" (feeds and a list embed), "card" (a card embed) or ""."""

    pk: int
    root_path: str
    shape: str

    @property
    def has_feeds(self):
        return self.shape == "list"


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


def resolve(request, path, version=None):
    """(page or None, PageRef) for a syndication URL, or Http404. The reference is cached per
    host and path under the content version, so a cached feed answers without a query; the
    page itself is returned only when it had to be looked up."""
    version = content_version() if version is None else version
    key = resolution_key(version, request.get_host(), path)
    cached = cache.get(key)
    if cached == NOT_FOUND:
        raise Http404("no public page at this path")
    if cached is not None:
        return None, cached
    site = Site.find_for_request(request)
    page = find_public_page(site, path)
    if page is None:
        cache.set(key, NOT_FOUND, 300)
        raise Http404("no public page at this path")
    ref = PageRef(page.pk, site_root_path(site), shape_of(page))
    cache.set(key, ref, cache_seconds())
    return page, ref


def load_page(ref):
    page = published(Page.objects.filter(pk=ref.pk)).specific().first()
    if page is None:
        raise Http404("no public page at this path")
    return page


def partner_cleared(page):
    """May this single page go to partners? Stories only with partner consent today."""
    if isinstance(page, StoryPage):
        return page.consent_allows("partners")
    return True


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


def _partner_stories():
    return StoryPage.objects.live().consented("partners").values("pk")


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
        queryset = index_members(page, StoryPage).filter(pk__in=_partner_stories())
    elif isinstance(page, NewsIndexPage):
        queryset = index_members(page, NewsPage)
    else:
        story_type = ContentType.objects.get_for_model(StoryPage)
        queryset = (
            Page.objects.descendant_of(page)
            .type(*ENTRY_MODELS)
            .filter(~Q(content_type=story_type) | Q(pk__in=_partner_stories()))
        )
        return list(
            published(queryset)
            .annotate(sort_date=_sort_date())
            .order_by(F("sort_date").desc(nulls_last=True), "-pk")
            .values_list("pk", flat=True)[:limit]
        )
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
