"""Every piece of reader-visible text of a page, for checks that read a page as a whole."""

from django.db import models
from django.utils.html import strip_tags
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField
from wagtail.rich_text import RichText

# Fields that are not prose a reader sees, even though they are text columns.
NOT_PROSE = {
    "slug",
    "url_path",
    "path",
    "script",
    "draft_title",
    "seo_title",
    "locale",
    "latest_revision",
    "live_revision",
    "translation_key",
    "content_type",
}


def block_strings(value):
    if isinstance(value, RichText):
        yield strip_tags(value.source)
    elif isinstance(value, (StreamValue, ListValue, list, tuple)):
        for item in value:
            yield from block_strings(getattr(item, "value", item))
    elif isinstance(value, (StructValue, dict)):
        for item in value.values():
            yield from block_strings(item)
    elif isinstance(value, str):
        yield value


def page_texts(page):
    """(field label, text) for the page's text columns and StreamField contents."""
    for field in page._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in NOT_PROSE:
            continue
        value = getattr(page, field.attname, None)
        label = str(getattr(field, "verbose_name", field.name))
        if isinstance(field, StreamField):
            text = "\n".join(s for s in block_strings(value) if s.strip())
        elif isinstance(field, (models.CharField, models.TextField)):
            text = "、".join(value) if isinstance(value, list) else (value or "")
        else:
            continue
        if text.strip():
            yield label, text
