"""Body blocks in the content format, derived from the block definitions themselves.

The blocks (tongxin.core.blocks, campaigns.blocks) are the one description of each block:
its fields, which are required, their length limits, choices, bounds and list sizes. This
module walks them to read a block from a file (validating with the same limits and naming
the field exactly), to store it (the StreamField's raw value) and to represent stored data
in the format again (the exporter, and the importer's change detection). A new block field
or a changed limit is written once, on the block.

Where the format names a field differently from the block, the block says so in its Meta
(`exchange_names = {"recipient": "for"}`). Blocks that are a single value (paragraph,
heading) carry it as `text`.
"""

import functools
import uuid

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import reader as R
from . import richtext
from .values import Invalid, compact, parse_date

SINGLE_VALUE = "text"


@functools.cache
def body_blocks():
    """{block type: block} of the body stream every article page uses."""
    from campaigns.blocks import BodyBlock

    return dict(BodyBlock().child_blocks)


def block_types():
    return tuple(body_blocks())


def _names(block):
    """(block field name, format key) pairs of a StructBlock, in definition order."""
    renamed = getattr(block.meta, "exchange_names", None) or {}
    return [(name, renamed.get(name, name)) for name in block.child_blocks]


def format_keys(block_type):
    """The keys a block of this type may have in the format (besides `type`)."""
    block = body_blocks()[block_type]
    if isinstance(block, blocks.StructBlock):
        return tuple(key for _, key in _names(block))
    return (SINGLE_VALUE,)


def _required(block):
    return bool(getattr(block, "required", False))


def _list_item(raw):
    """A ListBlock's raw item: `{"type": "item", "value": v, "id": …}` (current) or `v`."""
    if isinstance(raw, dict) and raw.get("type") == "item" and "value" in raw:
        return raw["value"]
    return raw


def _wrap_list(values):
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


# --------------------------------------------------------------------------- reading


def _parser(block, ctx):
    """The reader function for one field's value, from the field's block."""
    if isinstance(block, ImageChooserBlock):
        return ctx.image_file
    if isinstance(block, SnippetChooserBlock):
        what = block.model_class._meta.model_name
        return ctx.known(getattr(ctx, f"{what}_keys"), what)
    if isinstance(block, blocks.RichTextBlock):
        return paragraph_text
    if isinstance(block, blocks.URLBlock):
        return R.url(("https",))
    if isinstance(block, blocks.ChoiceBlock):
        return R.choice(tuple(str(value) for value, _ in block.field.choices if value))
    if isinstance(block, blocks.DateBlock):
        return R.date
    if isinstance(block, blocks.IntegerBlock):
        return R.integer(block.field.min_value, block.field.max_value)
    if isinstance(block, blocks.FieldBlock):  # CharBlock, TextBlock
        return R.text(getattr(block.field, "max_length", None), blank=not _required(block))
    raise TypeError(f"no format reader for {type(block).__name__}")


def paragraph_text(value):
    value = R.text(blank=False)(value)
    canonical, problems = richtext.clean_paragraph(value)
    if problems:
        raise Invalid("; ".join(problems))
    return canonical


def _default(block):
    if isinstance(block, blocks.ChoiceBlock) and block.meta.default:
        return block.meta.default
    return None


def _read_list(reader, key, block, ctx):
    """A ListBlock field: structs through child readers, plain values item by item."""
    child = block.child_block
    required = block.meta.min_num is not None and block.meta.min_num > 0
    if isinstance(child, blocks.StructBlock):
        return [
            read_struct(item, child, ctx)
            for item in reader.children(
                key, format_keys_of(child), required=required, min_items=block.meta.min_num or 0
            )
        ]
    values = reader.get(key, R.as_list, default=[], required=required)
    parse = _parser(child, ctx)
    kept = []
    for index, value in enumerate(values or []):
        try:
            kept.append(parse(value))
        except Invalid as exc:
            reader.error(f"{key}[{index}]", str(exc))
    return kept


def format_keys_of(block):
    return tuple(key for _, key in _names(block))


def read_struct(reader, block, ctx):
    values = {}
    for name, key in _names(block):
        child = block.child_blocks[name]
        if isinstance(child, blocks.ListBlock):
            values[key] = _read_list(reader, key, child, ctx)
        else:
            default = _default(child)
            required = _required(child) and default is None
            values[key] = reader.get(key, _parser(child, ctx), required=required, default=default)
    return compact(**values)


def read_block(reader, block_type, ctx):
    """A body block of the file → its canonical dict (without `type`)."""
    block = body_blocks()[block_type]
    if isinstance(block, blocks.StructBlock):
        return read_struct(reader, block, ctx)
    return {SINGLE_VALUE: reader.get(SINGLE_VALUE, _parser(block, ctx), required=True)}


# --------------------------------------------------------------------------- storing


def store_value(block, value, refs):
    if isinstance(block, blocks.StructBlock):
        return {
            name: store_value(block.child_blocks[name], value.get(key), refs)
            for name, key in _names(block)
        }
    if isinstance(block, blocks.ListBlock):
        return _wrap_list(store_value(block.child_block, item, refs) for item in value or [])
    if isinstance(block, ImageChooserBlock):
        # An optional image (the video block's poster) may be absent.
        return refs.image(value) if value is not None else None
    if isinstance(block, SnippetChooserBlock):
        return getattr(refs, block.model_class._meta.model_name)(value)
    if isinstance(block, blocks.RichTextBlock):
        return richtext.to_storage(value)
    if isinstance(block, blocks.DateBlock):
        return value.isoformat() if value else None
    return "" if value is None else value


def store_block(content, refs):
    """A canonical block dict → the StreamField's raw value. `refs.image(ImageFile)` and
    `refs.fund(key)` give primary keys."""
    block = body_blocks()[content["type"]]
    if isinstance(block, blocks.StructBlock):
        return store_value(block, content, refs)
    return store_value(block, content[SINGLE_VALUE], refs)


# --------------------------------------------------------------------------- representing


def represent_value(block, raw, lookup):
    if isinstance(block, blocks.StructBlock):
        raw = raw or {}
        return compact(
            **{
                key: represent_value(block.child_blocks[name], raw.get(name), lookup)
                for name, key in _names(block)
            }
        )
    if isinstance(block, blocks.ListBlock):
        items = [_list_item(item) for item in raw or []]
        return [
            value
            for value in (represent_value(block.child_block, item, lookup) for item in items)
            if value is not None
        ]
    if isinstance(block, ImageChooserBlock):
        return lookup.image(raw) if raw else None
    if isinstance(block, SnippetChooserBlock):
        return getattr(lookup, block.model_class._meta.model_name)(raw) if raw else None
    if isinstance(block, blocks.DateBlock):
        return parse_date(raw) if raw else None
    return raw


def represent_block(block_type, raw, lookup):
    """Stored raw block data → the format's blocks (a paragraph may become several)."""
    block = body_blocks()[block_type]
    if isinstance(block, blocks.RichTextBlock):
        return [
            {"type": block_type, SINGLE_VALUE: text}
            for text in richtext.from_storage(raw, lookup.page_url)
        ]
    if isinstance(block, blocks.StructBlock):
        return [{"type": block_type, **represent_value(block, raw, lookup)}]
    return [{"type": block_type, SINGLE_VALUE: raw}]
