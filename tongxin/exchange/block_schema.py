"""Validation of body blocks and the image files they name.

Each block becomes its canonical dict (see values.py) through tongxin.exchange.blocks, which
reads every field with the limits its block declares; image files are checked on disk
(exists, allowed type and size, Pillow can read it) and identified by their SHA-1.
"""

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from tongxin.core.blocks import FigureBlock

from . import reader as R
from .blocks import block_types, format_keys, format_keys_of, read_block, read_struct
from .values import ImageFile, Invalid

IMAGE_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP")


@dataclass
class Context:
    """What item checks need to know besides the item: the rest of the file and the site."""

    report: R.Report
    base_dir: Path | None
    site: object
    org_keys: set = field(default_factory=set)
    fund_keys: set = field(default_factory=set)
    hosts: set = field(default_factory=set)

    def known(self, keys, what):
        def parse(value):
            value = R.text(blank=False)(value)
            if value not in keys:
                raise Invalid(f'unknown {what} key "{value}" (not in the file nor on the site)')
            return value

        return parse

    def image_file(self, value):
        value = R.text(blank=False)(value)
        base = Path(os.path.abspath(self.base_dir or Path.cwd()))
        path = Path(os.path.normpath(base / value))  # an absolute value replaces base
        if not _may_read(path, base):
            raise Invalid(
                "must be inside the JSON file's folder or the site's stored images: " + value
            )
        if not path.is_file():
            raise Invalid(f"file not found: {value}")
        stat = path.stat()
        try:
            return _read_image(path, stat.st_mtime_ns, stat.st_size)
        except Invalid as exc:
            raise Invalid(f"{exc}: {value}") from exc


def _may_read(path, base):
    """Images come from the file's own folder, or are stored originals (a stdout export).

    A content file is input, possibly from someone else: it must not be able to publish
    any image on the server, least of all a signed consent form from private storage.
    """
    media = Path(os.path.abspath(settings.MEDIA_ROOT))
    if not (path.is_relative_to(base) or path.is_relative_to(media)):
        return False
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return not (private and path.resolve().is_relative_to(Path(private).resolve()))


# Keyed by the file's identity: the same image named by many blocks, or by a file imported
# again, is read and hashed once.
@functools.lru_cache(maxsize=4096)
def _read_image(path, mtime_ns, size):
    extensions = getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["gif", "jpg", "jpeg", "png"])
    if path.suffix.lower().lstrip(".") not in extensions:
        raise Invalid(f"not an image file name (allowed: {', '.join(extensions)})")
    limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"cannot read: {exc.strerror}") from exc
    if limit and len(data) > limit:
        raise Invalid(f"larger than {limit // (1024 * 1024)} MB")
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    try:
        with Image.open(path) as image:
            fmt, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid("not a readable image") from exc
    except Image.DecompressionBombError as exc:
        raise Invalid("too many pixels") from exc
    if fmt not in IMAGE_FORMATS:
        raise Invalid(f"image format {fmt} is not supported")
    if max_pixels and width * height > max_pixels:
        raise Invalid(f"more than {max_pixels} pixels")
    return ImageFile(sha1=hashlib.sha1(data).hexdigest(), path=str(path))  # noqa: S324


def figure_items(r, key, ctx, required=False, min_items=0):
    """Key figures of a page (campaigns, fund launches), read as FigureBlocks."""
    block = FigureBlock()
    return [
        read_struct(item, block, ctx)
        for item in r.children(key, format_keys_of(block), required=required, min_items=min_items)
    ]


def body(r, ctx):
    types = block_types()
    result = []
    for index, raw in enumerate(r.get("body", R.as_list, default=[])):
        name = f"body[{index}]"
        if not isinstance(raw, dict):
            r.error(name, "not an object")
            continue
        block_type = raw.get("type")
        if not isinstance(block_type, str) or block_type not in types:
            got = json.dumps(block_type, ensure_ascii=False)
            r.error(f"{name}.type", f"unknown block type {got} (one of {', '.join(types)})")
            continue
        keys = ("type", *format_keys(block_type))
        b = R.Reader(r.report, r.where, raw, keys, prefix=f"{r.prefix}{name}.")
        result.append({"type": block_type, **read_block(b, block_type, ctx)})
    return result
