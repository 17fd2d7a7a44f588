"""What the public may see: the one definition every surface uses.

A page is visible to a scope ("web": this site's pages, listings, search, sitemap and
navigation; "partners": feeds, embeds and oEmbed) when it is

- live,
- public: no view restriction on itself or an ancestor,
- not past its `expire_at` now: a page leaves the public at its expiry time, whether or not
  the scheduled job has unpublished it yet (going live still waits for the job),
- and cleared for the scope by its own page type: a page model may define
  `visible_audience(scope, today)` returning the pks it allows (StoryPage: consent covers
  the scope today). Core discovers those models; it imports no page app.

Everything is one SQL query with subqueries: no surface pays a query per page.

`next_change()` says when, with no edit and no job, this answer next changes by the clock
alone (the next `expire_at` of a live page, or midnight, when consents end). Caches of
rendered output put it in their keys (tongxin.core.contentversion.content_state), so no
cached page, feed or embed outlives the moment a page or a consent expires.
"""

import datetime
import logging
import operator
from functools import cache, reduce

from django.apps import apps
from django.db.models import Exists, Min, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from . import keptcache

logger = logging.getLogger(__name__)

SCOPES = ("web", "partners")
NEXT_CHANGE_KEY = "visibility:next-change"


# Up to this many restricted subtrees are excluded by path prefix; beyond, by a subquery.
PREFIX_EXCLUSIONS = 20


def without_view_restrictions(queryset):
    """`queryset.public()` in the same SQL query: pages with no view restriction on themselves
    or an ancestor.

    Wagtail's `public()` first reads every view restriction (one query per call) to build its
    filter. Here the restricted tree paths come from the cache, per content version (a
    restriction's save or delete bumps it): none, and the query needs no condition at all; a
    few, and it excludes their subtrees by path prefix; many, and the database checks a NOT
    EXISTS subquery (a restriction covers a page when the restricted page's tree path is a
    prefix of its own).
    """
    from .contentversion import content_version

    paths, _ = restricted_paths(content_version())
    if not paths:
        return queryset
    if len(paths) <= PREFIX_EXCLUSIONS:
        return queryset.exclude(reduce(operator.or_, (Q(path__startswith=p) for p in paths)))
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted))


@cache
def audience_models():
    """Concrete page models that narrow their own audience (`visible_audience`)."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and not model._meta.abstract
        and callable(getattr(model, "visible_audience", None))
    )


def visible(queryset, scope="web", now=None):
    """`queryset` narrowed to what `scope` may see at `now` (default: this moment)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown visibility scope {scope!r}")
    now = now or timezone.now()
    today = timezone.localdate(now)
    queryset = without_view_restrictions(queryset.live()).exclude(expire_at__lte=now)
    for model in audience_models():
        allowed = model.visible_audience(scope, today)
        if issubclass(queryset.model, model):
            queryset = queryset.filter(pk__in=allowed)
        elif issubclass(model, queryset.model):
            others = ~Q(pk__in=model.objects.all().values("pk"))
            queryset = queryset.filter(others | Q(pk__in=allowed))
    return queryset


class VisiblePageQuerySet(PageQuerySet):
    def visible(self, scope="web", now=None):
        return visible(self, scope, now)


def is_visible(page, scope="web", now=None):
    """Whether this one page is visible (one query); the page's own serve asks this.

    The answer for "now" is kept on the page object for the rest of the request: the page's
    serve and its feed links ask it in turn. A page type with its own audience rule is asked
    for every scope in the same query; one without is visible to every scope alike."""
    if now is not None:
        return visible(type(page).objects.filter(pk=page.pk), scope, now).exists()
    if scope not in SCOPES:
        raise ValueError(f"unknown visibility scope {scope!r}")
    known = page.__dict__.get("_tongxin_visible")
    if known is None:
        known = page.__dict__["_tongxin_visible"] = _visibility_by_scope(page)
    return known[scope]


def _narrows(model):
    return any(issubclass(model, m) or issubclass(m, model) for m in audience_models())


def _visibility_checks(model, now=None):
    """Whether the row is visible, per scope: subqueries to annotate a query with. A page
    type without its own audience rule is visible to every scope alike: one check."""
    now = now or timezone.now()
    scopes = SCOPES if _narrows(model) else SCOPES[:1]
    return {
        f"_visible_{scope}": Exists(visible(model.objects.filter(pk=OuterRef("pk")), scope, now))
        for scope in scopes
    }


def _answers(found):
    """{scope: visible} from the annotations of `_visibility_checks` (a dict or None)."""
    found = found or {}
    shared = bool(found.get(f"_visible_{SCOPES[0]}"))
    return {scope: bool(found.get(f"_visible_{scope}", shared)) for scope in SCOPES}


def _visibility_by_scope(page):
    checks = _visibility_checks(type(page))
    found = type(page).objects.filter(pk=page.pk).annotate(**checks).values(*checks).first()
    return _answers(found)


def load_with_visibility(queryset):
    """The first page of `queryset`, with `is_visible`'s answers for now loaded in the same
    query (routing loads the page it serves this way)."""
    checks = _visibility_checks(queryset.model)
    page = queryset.annotate(**checks).first()
    if page is not None:
        page.__dict__["_tongxin_visible"] = _answers(
            {name: page.__dict__.pop(name) for name in checks}
        )
    return page


RESTRICTIONS_KEY = "visibility:restricted-paths"


def restricted_paths(version):
    """(tree paths of the pages carrying a view restriction, whether any page is an alias),
    kept in the cache per content version: a restriction's save or delete bumps it."""
    key = f"{RESTRICTIONS_KEY}:{version}"
    found = keptcache.get(key)
    if found is None:
        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        aliases = Page.objects.filter(alias_of__isnull=False).exists()
        found = (paths, aliases)
        keptcache.set(key, found, 24 * 3600)
    return found


def may_be_restricted(page):
    """False when no view restriction can apply to `page`: none on it or an ancestor, and no
    alias in the tree (an alias ancestor takes its source's restrictions). Lets Wagtail's
    per-request restriction check (two queries) be skipped for almost every page."""
    from .contentversion import content_version

    paths, aliases = restricted_paths(content_version())
    if aliases or getattr(page, "alias_of_id", None):
        return True
    return any(page.path.startswith(path) for path in paths)


def _next_midnight(now):
    local = timezone.localtime(now)
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(tomorrow, local.tzinfo)


def next_change(version, now=None):
    """The next moment visibility changes by the clock alone, as a microsecond timestamp.

    Kept in the cache per content version: an edit bumps the version and with it this answer.
    Once the moment has passed it is worked out again (one query).
    """
    now = now or timezone.now()
    now_us = int(now.timestamp() * 1_000_000)
    key = f"{NEXT_CHANGE_KEY}:{version}"
    found = keptcache.get(key)
    if found is not None and found > now_us:
        return found
    upcoming = Page.objects.live().filter(expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
    moment = _next_midnight(now)
    if upcoming is not None and upcoming < moment:
        moment = upcoming
    found = int(moment.timestamp() * 1_000_000)
    keptcache.set(key, found, 24 * 3600)
    return found


def seconds_valid(limit, now=None):
    """`limit` seconds, or fewer when visibility next changes by the clock before then: how
    long an answer about public pages may be kept by a client or a cache that is never
    purged (oEmbed's `cache_age` and `max-age`). At least one second."""
    from .contentversion import content_version

    now = now or timezone.now()
    try:
        until = next_change(content_version(), now)
    except Exception:  # the cache unreachable: the answer itself must not fail
        logger.warning("Next visibility change unknown", exc_info=True)
        return limit
    left = (until - int(now.timestamp() * 1_000_000)) // 1_000_000
    return max(1, min(limit, left))
