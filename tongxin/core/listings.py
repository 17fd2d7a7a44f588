"""Querysets every listing shares: which pages an index lists, in what order, how loaded.

Visibility itself is tongxin.core.visibility's; these only shape listing queries around it.
"""

from django.db.models import F
from django.db.models.functions import Coalesce
from wagtail.models import Page

from .visibility import visible

# Home pages are children of the tree root (HomePage.parent_page_types).
SITE_HOME_DEPTH = 2


def listing(queryset, bodies=False, scope="web"):
    """Visible listing querysets: specific pages, without heavy StreamField columns.

    Querysets of one page type with no subtypes (every listing here) already yield specific
    pages: Wagtail's `.specific()` would spend a query finding that out. `bodies=True` keeps
    `body` for lists shown as cards: `{% lead_images %}` takes each card's image from it
    instead of reading the bodies again, one query per page type.
    """
    queryset = visible(queryset, scope)
    model = queryset.model
    if model is Page or any(not sub._meta.abstract for sub in model.__subclasses__()):
        queryset = queryset.specific()
        bodies = False
    if not bodies:
        return queryset.defer_streamfields()
    deferred = [name for name in model.get_streamfield_names() if name != "body"]
    return queryset.defer(*deferred) if deferred else queryset


def index_members(index, model):
    """The pages of `model` an index page lists.

    A site-wide index, directly under the home page, lists every one on the site, wherever
    it sits: a reader of 儿童故事 expects the campaigns' own stories there too. An index
    under a campaign lists its own pages only.
    """
    parent_depth = index.depth - 1
    if parent_depth == SITE_HOME_DEPTH:
        return model.objects.filter(path__startswith=index.path[: parent_depth * Page.steplen])
    return model.objects.child_of(index)


def newest_first(queryset):
    """Newest first by the date readers see on the page and its card (`display_date`): the
    page's own `date`, or the moment it was first published when it has none.

    Not `order_by("-date", "-first_published_at")`: undated pages would come last on SQLite
    and first on PostgreSQL (NULLs sort differently). Nor `-first_published_at` alone: a news
    item imported today about an event in March would come before one from May.
    """
    return queryset.annotate(listing_date=Coalesce("date", "first_published_at")).order_by(
        F("listing_date").desc(nulls_last=True), "-pk"
    )
