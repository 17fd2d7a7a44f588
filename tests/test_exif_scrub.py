"""Uploaded images lose their EXIF/GPS, XMP, IPTC, comments and text chunks, and only those.

Pure Pillow (tongxin.core.exif imports no Django); the images are built in memory.
"""

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from tongxin.core.exif import MAX_PIXELS, has_identifying_metadata, scrub_image

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="Kunming" photoshop:Credit="Wang Xiaoming"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
BLUE, RED = (20, 40, 220), (220, 30, 30)


def camera_exif(orientation=6):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15 Pro"
    exif[ExifTags.Base.DateTime] = "2026:03:01 10:00:00"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (25.0, 2.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (102.0, 42.0, 15.0)
    return exif


def two_colour_photo(mode="RGB", size=(80, 40)):
    """Left half blue, right half red: a rotation moves the blue half to a known side."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, size[0] // 2, size[1]))
    return image.convert(mode)


def iptc_segment():
    # Photoshop APP13 with one IPTC record: 2:80 By-line.
    record = b"\x1c\x02\x50" + struct.pack(">H", 13) + b"Wang Xiaoming"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    payload = b"Photoshop 3.0\x00" + resource + record + (b"\x00" if len(record) % 2 else b"")
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def phone_jpeg():
    """A JPEG as a phone writes it: EXIF with GPS, camera and orientation 6, XMP, ICC,
    a comment and an IPTC block."""
    out = io.BytesIO()
    two_colour_photo().save(
        out,
        "JPEG",
        quality=95,
        exif=camera_exif(),
        xmp=XMP,
        icc_profile=SRGB,
        comment=b"Wang Xiaoming, Shiqiao village",
    )
    data = out.getvalue()
    return data[:2] + iptc_segment() + data[2:]  # right after SOI


def scrubbed(data):
    out, fmt = scrub_image(io.BytesIO(data))
    return out, fmt, Image.open(io.BytesIO(out))


def assert_close(pixel, expected, tolerance=12):
    assert all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False)), (
        pixel,
        expected,
    )


# --- the phone photo ---------------------------------------------------------------------


def test_the_fixture_really_carries_everything():
    data = phone_jpeg()
    image = Image.open(io.BytesIO(data))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert image.getexif()[ExifTags.Base.Make] == "Apple"
    assert "xmp" in image.info and "comment" in image.info and "photoshop" in image.info
    assert has_identifying_metadata(data)


def test_jpeg_loses_exif_gps_xmp_iptc_and_comment():
    data, fmt, image = scrubbed(phone_jpeg())
    assert fmt == "JPEG"
    assert image.format == "JPEG"
    assert not has_identifying_metadata(data)
    assert len(image.getexif()) == 0
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for key in ("exif", "xmp", "comment", "photoshop"):
        assert key not in image.info
    assert {marker for marker, _ in image.applist} <= {"APP0", "APP2"}
    for needle in (b"Exif\x00\x00", b"Apple", b"iPhone", b"xmpmeta", b"Kunming", b"Wang", b"8BIM"):
        assert needle not in data


def test_orientation_is_applied_before_the_exif_goes():
    data, _, image = scrubbed(phone_jpeg())
    # Orientation 6: the camera was turned a quarter clockwise, so the 80×40 stored
    # picture is shown 40×80 with its left (blue) half on top.
    assert image.size == (40, 80)
    image = image.convert("RGB")
    assert_close(image.getpixel((20, 10)), BLUE)
    assert_close(image.getpixel((20, 70)), RED)


def test_icc_profile_is_kept():
    _, _, image = scrubbed(phone_jpeg())
    assert image.info.get("icc_profile") == SRGB


def test_jpeg_is_reencoded_at_quality_90_without_visible_loss():
    source = two_colour_photo()
    out = io.BytesIO()
    source.save(out, "JPEG", quality=100, exif=camera_exif(orientation=1))
    _, _, image = scrubbed(out.getvalue())
    assert image.size == source.size
    # Quality 90 gives the standard quantisation tables scaled to 20 %.
    assert image.quantization[0][0] == 3
    image = image.convert("RGB")
    for point in [(5, 5), (30, 20), (50, 20), (75, 35)]:
        assert_close(image.getpixel(point), source.getpixel(point))


@pytest.mark.parametrize("orientation,size", [(1, (80, 40)), (3, (80, 40)), (8, (40, 80))])
def test_other_orientations(orientation, size):
    out = io.BytesIO()
    two_colour_photo().save(out, "JPEG", exif=camera_exif(orientation))
    _, _, image = scrubbed(out.getvalue())
    assert image.size == size


def test_cmyk_jpeg_comes_back_as_rgb():
    out = io.BytesIO()
    two_colour_photo("CMYK").save(out, "JPEG", exif=camera_exif(1))
    data, fmt, image = scrubbed(out.getvalue())
    assert (fmt, image.mode) == ("JPEG", "RGB")
    assert not has_identifying_metadata(data)


def test_accepts_bytes_and_rewinds_a_file_already_read():
    data = phone_jpeg()
    assert scrub_image(data)[1] == "JPEG"
    upload = io.BytesIO(data)
    upload.read()  # a form's validation read it to the end
    assert scrub_image(upload)[1] == "JPEG"


# --- other formats -------------------------------------------------------------------------


def test_png_loses_text_chunks_exif_and_xmp_and_keeps_transparency():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王小明")
    info.add_itxt("Comment", "家住人民路18号")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    source = two_colour_photo("RGBA")
    source.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    source.save(out, "PNG", pnginfo=info, exif=camera_exif(1), icc_profile=SRGB)
    assert has_identifying_metadata(out.getvalue())

    data, fmt, image = scrubbed(out.getvalue())
    assert fmt == "PNG"
    assert not has_identifying_metadata(data)
    assert not image.text
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((70, 20)) == (*RED, 255)
    assert image.info.get("icc_profile") == SRGB
    assert "王小明".encode() not in data and b"tEXt" not in data and b"iTXt" not in data


def test_palette_png_keeps_its_transparent_colour():
    source = Image.new("P", (10, 10), 1)
    source.putpalette([0, 0, 0, 255, 0, 0])
    source.putpixel((0, 0), 0)
    out = io.BytesIO()
    source.save(out, "PNG", transparency=0, pnginfo=PngImagePlugin.PngInfo())
    data, _, image = scrubbed(out.getvalue())
    rgba = image.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0
    assert rgba.getpixel((5, 5)) == (255, 0, 0, 255)


def test_webp_loses_exif_and_xmp():
    out = io.BytesIO()
    two_colour_photo().save(out, "WEBP", exif=camera_exif(6), xmp=XMP, quality=95)
    assert has_identifying_metadata(out.getvalue())
    data, fmt, image = scrubbed(out.getvalue())
    assert fmt == "WEBP"
    assert not has_identifying_metadata(data)
    assert image.size == (40, 80)
    assert b"EXIF" not in data and b"XMP " not in data


def colour_frames(mode="RGB"):
    frames = [Image.new("RGB", (30, 20), c) for c in (RED, (20, 200, 40), BLUE)]
    if mode == "P":
        return [frame.quantize(4) for frame in frames]
    return [frame.convert(mode) for frame in frames]


def test_animated_gif_keeps_every_frame_and_timing_but_not_its_comment():
    frames = colour_frames("P")
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[50, 60, 70],
        loop=0,
        comment=b"Wang Xiaoming",
    )
    assert has_identifying_metadata(out.getvalue())

    data, fmt, image = scrubbed(out.getvalue())
    assert fmt == "GIF"
    assert not has_identifying_metadata(data)
    assert b"Wang" not in data
    assert image.n_frames == 3
    assert image.info.get("loop") == 0
    seen = []
    for index in range(3):
        image.seek(index)
        seen.append((image.convert("RGB").getpixel((5, 5)), image.info["duration"]))
    assert [duration for _, duration in seen] == [50, 60, 70]
    for (pixel, _), expected in zip(seen, (RED, (20, 200, 40), BLUE), strict=True):
        assert_close(pixel, expected, tolerance=20)


def test_gif_with_an_xmp_application_block_is_cleaned():
    out = io.BytesIO()
    Image.new("P", (4, 4), 1).save(out, "GIF")
    data = out.getvalue()
    # An XMP application extension, as Photoshop writes it, before the image descriptor.
    payload = XMP + bytes(range(255, -1, -1)) + b"\x00"  # the "magic trailer"
    blocks = b"".join(
        bytes([len(payload[i : i + 255])]) + payload[i : i + 255]
        for i in range(0, len(payload), 255)
    )
    extension = b"\x21\xff\x0bXMP DataXMP" + blocks + b"\x00"
    descriptor = data.index(b"\x2c")
    tainted = data[:descriptor] + extension + data[descriptor:]
    assert has_identifying_metadata(tainted)
    cleaned, fmt, _ = scrubbed(tainted)
    assert fmt == "GIF"
    assert not has_identifying_metadata(cleaned)


def test_animated_webp_keeps_every_frame():
    frames = colour_frames("RGBA")
    out = io.BytesIO()
    frames[0].save(
        out,
        "WEBP",
        save_all=True,
        append_images=frames[1:],
        duration=[50, 60, 70],
        exif=camera_exif(1),
        xmp=XMP,
    )
    data, fmt, image = scrubbed(out.getvalue())
    assert fmt == "WEBP"
    assert not has_identifying_metadata(data)
    assert image.n_frames == 3


def test_mpo_from_a_phone_comes_back_as_jpeg():
    out = io.BytesIO()
    two_colour_photo().save(
        out, "MPO", save_all=True, append_images=[two_colour_photo()], exif=camera_exif()
    )
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    data, fmt, image = scrubbed(out.getvalue())
    assert (fmt, image.format) == ("JPEG", "JPEG")
    assert not has_identifying_metadata(data)


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"%PDF-1.7\n", b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_non_images_are_refused(data):
    with pytest.raises(ValueError, match="不是有效的图片文件"):
        scrub_image(io.BytesIO(data))


def test_truncated_image_is_refused():
    data = phone_jpeg()
    # The headers are intact, the compressed pixels stop halfway.
    with pytest.raises(ValueError, match="损坏或不完整"):
        scrub_image(data[:-60])


def test_other_image_formats_are_refused_with_the_list_of_allowed_ones():
    out = io.BytesIO()
    two_colour_photo().save(out, "BMP")
    with pytest.raises(ValueError, match="JPEG、PNG、GIF 或 WebP"):
        scrub_image(out.getvalue())


def png_header_only(width, height):
    """A tiny PNG that claims to be huge: a decompression bomb's header."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(8000, 5001), (10_000, 10_000), (30_000, 30_000)])
def test_images_over_40_megapixels_are_refused_before_decoding(size):
    assert size[0] * size[1] > MAX_PIXELS
    with pytest.raises(ValueError, match="4000 万像素"):
        scrub_image(png_header_only(*size))


def test_an_image_just_under_the_limit_header_is_not_refused_for_its_size():
    # 40 megapixels exactly passes the size check; the empty pixel data then fails as
    # damaged, which proves the size check let it through.
    with pytest.raises(ValueError, match="损坏或不完整"):
        scrub_image(png_header_only(8000, 5000))


def test_has_identifying_metadata_on_a_clean_image():
    out = io.BytesIO()
    two_colour_photo().save(out, "JPEG", icc_profile=SRGB)
    assert not has_identifying_metadata(out.getvalue())
    with pytest.raises(ValueError):
        has_identifying_metadata(b"plain text")
