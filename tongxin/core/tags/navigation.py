"""The main menu and breadcrumbs: one query each, whatever the size of the site."""

from functools import cache

from django import template
from django.apps import apps
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page, Site

from tongxin.core.models import TongxinPage
from tongxin.core.visibility import visible

register = template.Library()

# Home pages sit at depth 2 (HomePage.max_count = 1, child of the tree root), so every page
# below a home page has depth >= 3. Treebeard paths use 4 characters per level.
HOME_DEPTH = 2
STEPLEN = 4


@cache
def _tongxin_page_models():
    """Concrete page models that carry a `script` field and may have children."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TongxinPage) and getattr(model, "subpage_types", None) != []
    ]


NAV_FIELDS = ("id", "title", "url_path", "path", "depth")


def _with_script(queryset, *fields):
    """Annotate base Page rows with their `script` in the same query.

    `script` lives on each concrete page table, and `.specific()` would cost a query per page
    type; a correlated subquery per table keeps navigation to one query. The `src` filter
    reads the annotation like the field.
    """
    scripts = [
        Subquery(model.objects.filter(pk=OuterRef("pk")).values("script")[:1])
        for model in _tongxin_page_models()
    ]
    return queryset.annotate(
        script=Coalesce(*scripts, Value("hans"), output_field=CharField())
    ).only(*NAV_FIELDS, *fields)


@register.simple_tag
def breadcrumbs(page):
    """`{% breadcrumbs page as crumbs %}`: the public ancestors between the home page and
    `page` (tongxin.core.visibility, as the menu): an ancestor past its `expire_at` is left
    out at that moment, not when the job unpublishes it.

    No query for the home page and its children (nothing lies between); one query otherwise.
    """
    if page is None or getattr(page, "depth", 0) <= HOME_DEPTH + 1:
        return []
    ancestors = visible(Page.objects.ancestor_of(page).filter(depth__gt=HOME_DEPTH), "web")
    return list(_with_script(ancestors).order_by("depth"))


@register.simple_tag(takes_context=True)
def site_nav(context, page=None):
    """`{% site_nav page as nav %}`: the home page's live children for the main menu (one query).

    Pages marked "show in menus" when an editor has marked any, otherwise all of them (the
    import format has no menu flag), at most eight, in tree order.
    """
    if page is not None and getattr(page, "depth", 0) >= HOME_DEPTH:
        home_path = page.path[: HOME_DEPTH * STEPLEN]
    else:
        request = context.get("request")
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            return []
        home_path = Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True)
        home_path = next(iter(home_path), None)
        if home_path is None:
            return []
    children = visible(
        Page.objects.filter(path__startswith=home_path, depth=HOME_DEPTH + 1), "web"
    ).order_by("path")
    children = list(_with_script(children, "show_in_menus")[:30])
    in_menu = [child for child in children if child.show_in_menus]
    current_path = getattr(page, "path", "")
    items = (in_menu or children)[:8]
    for item in items:
        item.is_current = bool(current_path) and current_path.startswith(item.path)
    return items
