"""Validation of body blocks and the image files they name.

Each block becomes its canonical dict (see values.py); image files are checked on disk
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

from . import reader as R
from . import spec
from .richtext import clean_paragraph
from .values import ImageFile, Invalid, compact

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


def paragraph_text(value):
    value = R.text(blank=False)(value)
    canonical, problems = clean_paragraph(value)
    if problems:
        raise Invalid("; ".join(problems))
    return canonical


def figure_items(r, key, ctx, required=False, min_items=0):
    items = []
    for item in r.children(key, spec.FIGURE_KEYS, required=required, min_items=min_items):
        items.append(
            compact(
                value=item.get("value", R.text(40, blank=False), required=True),
                unit=item.get("unit", R.text(20)),
                label=item.get("label", R.text(120, blank=False), required=True),
                as_of=item.get("as_of", R.date),
            )
        )
    return items


def _paragraph(b, ctx):
    return {"text": b.get("text", paragraph_text, required=True)}


def _heading(b, ctx):
    return {"text": b.get("text", R.text(blank=False), required=True)}


def _quote(b, ctx):
    return compact(
        text=b.get("text", R.text(blank=False), required=True),
        attribution=b.get("attribution", R.text()),
    )


def _figures(b, ctx):
    return {"items": figure_items(b, "items", ctx, required=True, min_items=1)}


def _image(b, ctx):
    return compact(
        file=b.get("file", ctx.image_file, required=True),
        alt=b.get("alt", R.text(250, blank=False), required=True),
        caption=b.get("caption", R.text(500)),
        credit=b.get("credit", R.text(120)),
        consent=b.get("consent", R.choice(spec.IMAGE_CONSENTS)),
    )


def _video(b, ctx):
    return compact(
        url=b.get("url", R.url(("https",)), required=True),
        caption=b.get("caption", R.text(500)),
    )


def _donate(b, ctx):
    amounts = b.get("amounts", R.as_list, default=[])
    for index, amount in enumerate(amounts):
        try:
            R.integer(1, 1_000_000)(amount)
        except Invalid as exc:
            b.error(f"amounts[{index}]", str(exc))
    return compact(
        fund=b.get("fund", ctx.known(ctx.fund_keys, "fund"), required=True),
        heading=b.get("heading", R.text(120)),
        text=b.get("text", R.text()),
        amounts=list(amounts),
    )


def _wishes(b, ctx):
    items = []
    for item in b.children("items", spec.WISH_KEYS, required=True, min_items=1):
        items.append(
            {
                "wish": item.get("wish", R.text(200, blank=False), required=True),
                "for": item.get("for", R.text(100, blank=False), required=True),
                "status": item.get("status", R.choice(spec.WISH_STATUSES), default="open"),
            }
        )
    return {"items": items}


BLOCK_READERS = {
    "paragraph": _paragraph,
    "heading": _heading,
    "quote": _quote,
    "figures": _figures,
    "image": _image,
    "video": _video,
    "donate": _donate,
    "wishes": _wishes,
}


def body(r, ctx):
    blocks = []
    for index, raw in enumerate(r.get("body", R.as_list, default=[])):
        name = f"body[{index}]"
        if not isinstance(raw, dict):
            r.error(name, "not an object")
            continue
        block_type = raw.get("type")
        if not isinstance(block_type, str) or block_type not in BLOCK_READERS:
            types = ", ".join(BLOCK_READERS)
            got = json.dumps(block_type, ensure_ascii=False)
            r.error(f"{name}.type", f"unknown block type {got} (one of {types})")
            continue
        keys = ("type", *spec.BLOCK_KEYS[block_type])
        b = R.Reader(r.report, r.where, raw, keys, prefix=f"{r.prefix}{name}.")
        blocks.append({"type": block_type, **BLOCK_READERS[block_type](b, ctx)})
    return blocks
