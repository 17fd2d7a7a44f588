"""Template helpers of the public site: renditions, navigation, QR codes, money and dates.

Load with `{% load tongxin_tags %}`. Everything that costs a query says so; page templates
must keep a constant number of queries whatever the number of episodes, blocks or stories.
"""

import hashlib
import re
from collections import defaultdict
from functools import cache
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import segno
from django import template
from django.apps import apps
from django.core.cache import cache as django_cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from tongxin.core import formatting
from tongxin.core.models import TongxinPage
from tongxin.core.visibility import visible
from tongxin.scripts import script as scripts

register = template.Library()

# Home pages sit at depth 2 (HomePage.max_count = 1, child of the tree root), so every page
# below a home page has depth >= 3. Treebeard paths use 4 characters per level.
HOME_DEPTH = 2
STEPLEN = 4

ORGANIZER_ROLE_ORDER = ["主办", "承办", "协办", "监管", "媒体支持"]
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".webm", ".ogv", ".ogg", ".mov", ".m3u8")

# The lead image of listing cards: 16:9, two widths for 1x/2x phone screens.
CARD_IMAGE_SPECS = ("fill-400x225|format-webp", "fill-800x450|format-webp")
QR_CACHE_SECONDS = 30 * 24 * 3600
# The only SVG page_qr_svg outputs: fixed attributes and path data (M, h, v, m, z, numbers).
QR_SVG_RE = re.compile(
    r'<svg aria-hidden="true" focusable="false" viewBox="[0-9 ]+" class="qr">'
    r'<g transform="scale\([0-9]+\)">'
    r'(?:<path(?: (?:fill|stroke|class)="[#a-z0-9]+"| d="[MmHhVvZz0-9 .\-]+")+/>)+'
    r"</g></svg>"
)


# --------------------------------------------------------------------------- renditions


def _current_path(context, page=None):
    """(request, the path being read with its rendition prefix)."""
    request = context.get("request")
    path = getattr(request, "path", "/")
    if scripts.from_path(path) is None and page is not None:
        # Previews and other views serve the page from a URL without a rendition prefix.
        url = page.get_url(request=request) if hasattr(page, "get_url") else None
        if url:
            path = urlsplit(url).path
    if getattr(request, "is_preview", False):
        # A preview's request carries the page's simplified URL; the rendition previewed is
        # the one TongxinPage.serve_preview set (繁體預覽).
        path = scripts.of_request(request).prefix + scripts.split_path(path)[1]
    return request, path


def _reading(request, path):
    return scripts.from_path(path) or (scripts.of_request(request) if request else scripts.active())


def rendition_path(path, script):
    """The same path under another rendition prefix (only the first segment changes)."""
    return script.prefix + scripts.split_path(path)[1]


@register.simple_tag(takes_context=True)
def rendition_urls(context, page=None):
    """`{% rendition_urls page as urls %}`: absolute URLs of this page in both renditions.

    Keys: `hans`, `hant`, `x_default` (the simplified one: the site's default language) and
    `current` (the canonical URL of the rendition being read). No query string: the renditions
    of a page are the page, not one view of a filtered list.
    """
    request, path = _current_path(context, page)
    current = _reading(request, path)

    def absolute(script):
        target = rendition_path(path, script)
        return request.build_absolute_uri(target) if request is not None else target

    urls = {script.code: absolute(script) for script in scripts.SCRIPTS}
    urls["x_default"] = urls[scripts.DEFAULT.code]
    urls["current"] = urls[current.code]
    return urls


@register.simple_tag(takes_context=True)
def script_switcher(context, page=None):
    """`{% script_switcher page as links %}`: the 简体/繁體 links, same place and query string."""
    request, path = _current_path(context, page)
    current = _reading(request, path)
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    links = []
    prefixed = scripts.from_path(path) is not None
    for script in scripts.SCRIPTS:
        # Routes outside the renditions (/donate/<key>/) keep their path: they render in
        # the script of the cookie the switch view sets.
        target = rendition_path(path, script) if prefixed else path
        target += f"?{query}" if query else ""
        # Through the switch view, which remembers the choice in a cookie for `/`.
        href = reverse("switch_script", args=(script.language,)) + "?" + urlencode({"next": target})
        # The labels name each script in its own characters: kept as written (-{…}-).
        label = "-{" + script.label + "}-"
        links.append(
            {"lang": script.lang, "label": label, "href": href, "current": script == current}
        )
    return links


@register.simple_tag
def page_meta(page):
    """Raw (unescaped) title and description for <title> and <meta>: the SEO fields first."""
    if page is None:
        return {"title": "", "description": ""}
    return {
        "title": getattr(page, "seo_title", "") or getattr(page, "title", ""),
        "description": getattr(page, "search_description", "") or getattr(page, "summary", ""),
    }


@register.simple_tag
def home_url():
    """The site root of the rendition being read (`/zh-hans/`); no query."""
    try:
        return reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        return scripts.active().prefix + "/"


@register.simple_tag
def search_url():
    """The search page of the rendition being read (contracts/urls.md: `/zh-hans/search/`)."""
    try:
        return reverse("search")
    except NoReverseMatch:
        return scripts.active().prefix + "/search/"


# --------------------------------------------------------------------------- navigation


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
    """`{% breadcrumbs page as crumbs %}`: live ancestors between the home page and `page`.

    No query for the home page and its children (nothing lies between); one query otherwise.
    Ancestors need no `.public()` check: a page served to this reader passed every view
    restriction of its ancestors already.
    """
    if page is None or getattr(page, "depth", 0) <= HOME_DEPTH + 1:
        return []
    ancestors = Page.objects.ancestor_of(page).filter(depth__gt=HOME_DEPTH).live()
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


# --------------------------------------------------------------------------- listings


def _first_image_id(stream_value):
    for block in getattr(stream_value, "raw_data", None) or []:
        if block.get("type") == "image":
            image_id = (block.get("value") or {}).get("image")
            if image_id:
                return image_id
    return None


@register.simple_tag
def lead_images(*listings):
    """`{% lead_images items more_items as leads %}`: {page pk: its first body image}.

    Card listings load `body` with the page (`listing(..., bodies=True)`), and the image id is
    read from its raw data. Where a listing deferred it, reading `item.body` per card would
    cost a query per card: those bodies are read in one query per page type. Then one query
    for the images and one for their card renditions, whatever the number of cards.
    """
    pks_by_model = defaultdict(set)
    image_of_page = {}
    for listing in listings:
        for item in listing or []:
            model = type(item)
            try:
                model._meta.get_field("body")
            except FieldDoesNotExist:
                continue
            if "body" in item.get_deferred_fields():
                pks_by_model[model].add(item.pk)
                continue
            image_id = _first_image_id(item.body)
            if image_id:
                image_of_page[item.pk] = image_id
    for model, pks in pks_by_model.items():
        for pk, body in model.objects.filter(pk__in=pks).values_list("pk", "body"):
            image_id = _first_image_id(body)
            if image_id:
                image_of_page[pk] = image_id
    if not image_of_page:
        return {}
    images = get_image_model().objects.filter(pk__in=set(image_of_page.values()))
    images = {image.pk: image for image in images.prefetch_renditions(*CARD_IMAGE_SPECS)}
    return {pk: images[i] for pk, i in image_of_page.items() if i in images}


@register.filter
def lookup(mapping, key):
    """`{{ leads|lookup:item.pk }}`."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def page_lead_image(page):
    """The first image block (image, alt...) of a page's own body, for Open Graph.

    The body of the page being served is loaded already, and the block's images are fetched
    in one query for the whole stream, which rendering the body needs anyway.
    """
    body = getattr(page, "body", None)
    for block in body or []:
        if block.block_type == "image" and block.value.get("image"):
            return block.value
    return None


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`{% absolute_url img.url %}`: media URLs are relative on local storage, absolute on S3."""
    request = context.get("request")
    if not url or request is None:
        return url or ""
    return request.build_absolute_uri(url)


@register.filter
def block_values(stream):
    """The values of a StreamField's blocks (`page.figures` → FigureValues), for components
    that also take a ListBlock's values."""
    return [getattr(child, "value", child) for child in stream or []]


@register.filter
def by_role(organizers):
    """Organizer rows grouped by role, in the order 主办/承办/协办/监管/媒体支持.

    Returns [{"role": "主办", "organizations": [Organization, ...]}, ...]; the rows should be
    fetched with `select_related("organization")`.
    """
    groups = {}
    for row in organizers or []:
        groups.setdefault(row.role, []).append(row.organization)
    order = {role: i for i, role in enumerate(ORGANIZER_ROLE_ORDER)}
    roles = sorted(groups, key=lambda role: (order.get(role, len(order)), role))
    return [{"role": role, "organizations": groups[role]} for role in roles]


@register.filter
def episode_slots(episodes, upcoming_numbers):
    """Published episodes and planned-but-unpublished numbers, as one list in number order.

    Each slot has `number` and `episode` (None for an episode still to come).
    """
    slots = [SimpleNamespace(number=e.number, episode=e) for e in episodes or []]
    slots += [SimpleNamespace(number=n, episode=None) for n in upcoming_numbers or []]
    return sorted(slots, key=lambda slot: (slot.number is None, slot.number or 0))


@register.filter
def is_video_file(url):
    """True when the URL points at a file a <video> element can play (mp4, webm, HLS...)."""
    try:
        path = urlsplit(str(url or "")).path.lower()
    except ValueError:
        return False
    return path.endswith(VIDEO_EXTENSIONS)


# --------------------------------------------------------------------------- QR codes


@register.simple_tag
def page_qr_svg(url):
    """`{% page_qr_svg url %}`: an inline SVG QR code of `url`, cached per URL.

    Sized by CSS (no width/height), hidden from screen readers: the caption beside it says
    what it is, and the URL itself is a link on the page already.
    """
    if not url:
        return ""
    key = "tongxin:qr:v1:" + hashlib.sha256(str(url).encode("utf-8")).hexdigest()
    svg = django_cache.get(key)
    if svg is None:
        qr = segno.make(str(url), error="m", micro=False)
        svg = qr.svg_inline(
            scale=4, border=2, dark="#2b1d14", light="#fff", svgclass="qr", omitsize=True
        )
        svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        django_cache.set(key, svg, QR_CACHE_SECONDS)
    # segno encodes the URL as path geometry; the URL itself never becomes markup. What is
    # marked safe is checked to be exactly that shape (also when it comes from the cache),
    # so nothing but an SVG of paths can reach the page through this tag.
    if not QR_SVG_RE.fullmatch(svg):
        return ""
    return mark_safe(svg)  # noqa: S308


# --------------------------------------------------------------------------- money and dates

register.filter("yuan", formatting.yuan)
register.filter("cn_date", formatting.cn_date)
