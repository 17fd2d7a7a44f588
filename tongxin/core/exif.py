"""Strip identifying metadata from uploaded images.

Photos of children arrive straight from phones: their EXIF carries GPS coordinates (the
child's home, to a few metres), the capture time, and the phone's make, model and serial;
XMP and IPTC can carry names, places and captions; PNG text chunks and GIF/JPEG comments
whatever the editing tool wrote. None of it may reach the public site.

`scrub_image` therefore decodes the image and re-encodes its pixels only: nothing from
the original file is copied except

* the pixels, after the EXIF orientation has been applied (once the EXIF is gone a viewer
  could no longer turn the photo upright);
* the ICC colour profile, which describes colours rather than people or places; without it
  Display P3 photos from phones look washed out;
* what an animation needs to play: frame durations and the loop count.

Animated GIF and WebP keep all their frames. Images over `MAX_PIXELS` are refused before
they are decoded (a small file can decode to gigabytes), as are animations whose frames
together exceed `MAX_ANIMATION_PIXELS`.

Pure Pillow, no Django import: the image model calls it on upload and tests call it
directly.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from typing import IO

from django.utils.translation import gettext
from PIL import ExifTags, Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

__all__ = [
    "MAX_ANIMATION_PIXELS",
    "MAX_PIXELS",
    "has_identifying_metadata",
    "scrub_image",
]

MAX_PIXELS = 40_000_000
# Every frame of an animation is decoded at full size before it is written again.
MAX_ANIMATION_PIXELS = 100_000_000
JPEG_QUALITY = 90
WEBP_QUALITY = 90

_GREY_MODES = ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# JPEG segments that carry no identity: JFIF density, the ICC profile, Adobe's colour
# transform flag. Every other APPn (EXIF, XMP, IPTC/Photoshop, maker data) and COM does.
_HARMLESS_JPEG_SEGMENTS = {"APP0", "APP2", "APP14"}
_XMP_MARKERS = (b"<x:xmpmeta", b"http://ns.adobe.com/xap/1.0/", b"XMP DataXMP")
# info keys Pillow fills from metadata blocks, in any format.
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")


def _read(fileobj: IO[bytes] | bytes | bytearray | memoryview) -> bytes:
    if isinstance(fileobj, bytes | bytearray | memoryview):
        return bytes(fileobj)
    if hasattr(fileobj, "seek"):
        # Django's UploadedFile may already have been read once by form validation.
        fileobj.seek(0)
    data = fileobj.read()
    if not isinstance(data, bytes):
        raise ValueError(gettext("不是有效的图片文件：请以二进制方式读取上传的文件"))
    return data


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ValueError(gettext("不是有效的图片文件：文件是空的"))
    try:
        with warnings.catch_warnings():
            # Our own limit below is stricter; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ValueError(
            gettext("图片尺寸过大：超过 %(limit)s 万像素的上限，请缩小后再上传")
            % {"limit": MAX_PIXELS // 10_000}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(gettext("不是有效的图片文件：无法识别文件内容")) from exc
    if image.format not in _FORMATS:
        image.close()
        raise ValueError(
            gettext("不支持的图片格式 %(format)s：请上传 JPEG、PNG、GIF 或 WebP 图片")
            % {"format": image.format}
        )
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ValueError(
            gettext(
                "图片尺寸过大：%(width)s×%(height)s 像素，"
                "超过 %(limit)s 万像素的上限，请缩小后再上传"
            )
            % {"width": width, "height": height, "limit": MAX_PIXELS // 10_000}
        )
    return image


def _bare(image: Image.Image) -> Image.Image:
    """The same pixels (and palette) with no info dict: encoders copy metadata from it."""
    clean = image.copy()
    clean.info = {}
    return clean


def _icc_for(image: Image.Image, mode: str) -> bytes | None:
    icc = image.info.get("icc_profile")
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (OSError, ImageCms.PyCMSError):
        return None  # unreadable profiles are dropped rather than passed on
    colour_space = profile.profile.xcolor_space.strip()
    # A CMYK profile is wrong once the pixels are RGB, and a grey one for colour pixels.
    if (colour_space == "CMYK") != (mode == "CMYK"):
        return None
    if (colour_space == "GRAY") != (mode in _GREY_MODES):
        return None
    return icc


def _to_rgb(image: Image.Image) -> Image.Image:
    """CMYK JPEGs (from print workflows) shown as RGB; browsers render CMYK unreliably."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (OSError, ImageCms.PyCMSError):
            pass  # a broken profile: fall back to the plain conversion
    return image.convert("RGB")


def _is_lossless_webp(data: bytes) -> bool:
    # Lossy and lossless bitstreams live in different chunks; an image that was lossless
    # (a chart, a drawing) should not pick up lossy artefacts from the re-encoding.
    return b"VP8L" in data and b"VP8 " not in data


def _load(image: Image.Image) -> None:
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValueError(gettext("图片文件已损坏或不完整，请重新导出后上传")) from exc


def _scrub_still(image: Image.Image, fmt: str, data: bytes) -> bytes:
    _load(image)
    try:
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, TypeError, struct.error):
        # EXIF too broken to read an orientation from: the photo keeps its stored
        # orientation, and the broken EXIF goes with the rest of the metadata.
        upright = image.copy()
    if fmt == "JPEG" and upright.mode not in ("L", "RGB"):
        upright = _to_rgb(upright) if upright.mode == "CMYK" else upright.convert("RGB")
        icc = None
    else:
        icc = _icc_for(image, upright.mode)
    transparency = image.info.get("transparency")
    clean = _bare(upright)

    params: dict[str, object] = {}
    if icc:
        params["icc_profile"] = icc
    if fmt == "JPEG":
        params.update(quality=JPEG_QUALITY, optimize=True)
    elif fmt == "PNG":
        if transparency is not None:
            params["transparency"] = transparency
    elif fmt == "GIF":
        if transparency is not None and clean.mode in ("P", "L"):
            params["transparency"] = transparency
    elif fmt == "WEBP":
        if _is_lossless_webp(data):
            params["lossless"] = True
        else:
            params["quality"] = WEBP_QUALITY

    out = io.BytesIO()
    clean.save(out, fmt, **params)
    return out.getvalue()


def _scrub_animation(image: Image.Image, fmt: str, data: bytes) -> bytes:
    n_frames = getattr(image, "n_frames", 1)
    width, height = image.size
    if n_frames * width * height > MAX_ANIMATION_PIXELS:
        raise ValueError(
            gettext(
                "动图过大：%(frames)s 帧 × %(width)s×%(height)s 像素，"
                "超过 %(limit)s 万像素的上限，请减少帧数或缩小尺寸"
            )
            % {
                "frames": n_frames,
                "width": width,
                "height": height,
                "limit": MAX_ANIMATION_PIXELS // 10_000,
            }
        )
    transpose = _TRANSPOSE.get(image.getexif().get(ExifTags.Base.Orientation, 1))
    icc = _icc_for(image, "RGBA")

    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(image):
        _load(frame)
        # Pillow hands out each frame fully composited; RGBA keeps the transparency of
        # every frame the same way whatever mode the first frame was decoded in.
        rgba = frame.convert("RGBA")
        if transpose is not None:
            rgba = rgba.transpose(transpose)
        frames.append(_bare(rgba))
        durations.append(int(frame.info.get("duration") or 100))

    params: dict[str, object] = {
        "save_all": True,
        "append_images": frames[1:],
        "duration": durations,
    }
    # Without a loop count a GIF plays once; keep whichever the author chose.
    if "loop" in image.info:
        params["loop"] = image.info["loop"]
    if icc:
        params["icc_profile"] = icc
    if fmt == "GIF":
        # Frames are whole pictures, so each one replaces the previous instead of being
        # drawn over it (which would let earlier frames show through transparent pixels).
        params["disposal"] = 2
    elif _is_lossless_webp(data):
        params["lossless"] = True
    else:
        params["quality"] = WEBP_QUALITY

    out = io.BytesIO()
    frames[0].save(out, fmt, **params)
    return out.getvalue()


def scrub_image(fileobj: IO[bytes] | bytes | bytearray | memoryview) -> tuple[bytes, str]:
    """Re-encode an uploaded image without its metadata; return (bytes, format).

    The format is one of "JPEG", "PNG", "GIF", "WEBP" (an MPO — a phone's multi-picture
    JPEG — comes back as a plain JPEG of its main picture). JPEG and lossy WebP are
    re-encoded at quality 90. Raises ValueError with a message for the editor when the
    file is not an image, is in another format, is damaged, or is too large.
    """
    data = _read(fileobj)
    image = _open(data)
    with image:
        fmt = _FORMATS[image.format]
        try:
            # Counting frames walks the whole file, so a damaged animation fails here.
            animated = fmt in ("GIF", "WEBP") and getattr(image, "n_frames", 1) > 1
        except (OSError, EOFError, SyntaxError, ValueError) as exc:
            raise ValueError(gettext("图片文件已损坏或不完整，请重新导出后上传")) from exc
        if animated:
            return _scrub_animation(image, fmt, data), fmt
        return _scrub_still(image, fmt, data), fmt


def has_identifying_metadata(data: bytes) -> bool:
    """True when an image file still carries metadata that could identify someone.

    Looks for EXIF (GPS, camera, dates), XMP, IPTC, comments, PNG text chunks and GIF
    application blocks other than the loop count. An ICC profile or JFIF density alone
    does not count. Raises ValueError when `data` is not an image.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(gettext("不是有效的图片文件：无法识别文件内容")) from exc
    with image:
        if any(image.info.get(key) for key in _METADATA_KEYS):
            return True
        if len(image.getexif()):
            return True
        applist = getattr(image, "applist", [])
        if any(marker not in _HARMLESS_JPEG_SEGMENTS for marker, _ in applist):
            return True
        if getattr(image, "text", None):  # PNG tEXt/zTXt/iTXt
            return True
        extension = image.info.get("extension") if image.format == "GIF" else None
        if extension and not extension[0].startswith((b"NETSCAPE2.0", b"ANIMEXTS1.0")):
            return True
    # Markers Pillow does not surface as info (XMP in a GIF application block, a second
    # XMP packet) are still plain ASCII in the file.
    return any(marker in data for marker in _XMP_MARKERS) or bool(
        re.search(rb"Exif\x00\x00(?:II\*\x00|MM\x00\*)", data)
    )
