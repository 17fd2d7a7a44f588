"""Cards and lists: lead images for a whole listing at once, organizers by role, episode
slots, absolute URLs, videos."""

from collections import defaultdict
from types import SimpleNamespace
from urllib.parse import urlsplit

from django import template
from django.core.exceptions import FieldDoesNotExist
from wagtail.images import get_image_model

register = template.Library()

ORGANIZER_ROLE_ORDER = ["主办", "承办", "协办", "监管", "媒体支持"]
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".webm", ".ogv", ".ogg", ".mov", ".m3u8")

# The lead image of listing cards: 16:9, two widths for 1x/2x phone screens.
CARD_IMAGE_SPECS = ("fill-400x225|format-webp", "fill-800x450|format-webp")


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
