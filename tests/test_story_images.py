"""Images lose their identifying metadata on every way in, and stories need an image consent.

A photo straight from a phone (EXIF with GPS, camera make and model, capture time and
orientation 6; XMP; a JPEG comment) is uploaded through the admin's single and multiple
upload views, stored by the importer, and created in code. Each time the stored original
and its renditions carry no metadata (tongxin.core.exif.has_identifying_metadata) and the
pixels were turned upright first. tongxin.core.exif itself is tested in test_exif_scrub.py.
"""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from stories.guard import check_story
from stories.models import StoryPage
from tongxin.core.exif import has_identifying_metadata

from .factories import HomePageFactory, ImageFactory, StoryIndexPageFactory, StoryPageFactory

TongxinImage = get_image_model()
BLUE, RED = (20, 40, 220), (220, 30, 30)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Wang Xiaoming"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def phone_jpeg(size=(80, 40)):
    """80×40 stored, left half blue; orientation 6 means “turn 90° clockwise to view”, so
    the upright picture is 40×80 with the blue half on top."""
    picture = Image.new("RGB", size, RED)
    picture.paste(BLUE, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15 Pro"
    exif[ExifTags.Base.DateTime] = "2026:03:01 10:00:00"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (25.0, 2.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (102.0, 42.0, 15.0)
    out = io.BytesIO()
    picture.save(
        out, "JPEG", quality=95, exif=exif, xmp=XMP, comment=b"Wang Xiaoming, Shiqiao village"
    )
    return out.getvalue()


def stored_bytes(field_file):
    with field_file.open("rb") as handle:
        return handle.read()


def assert_clean_and_upright(image):
    """The stored original and a rendition: no metadata, upright (40×80, blue on top)."""
    image.refresh_from_db()
    original = stored_bytes(image.file)
    assert not has_identifying_metadata(original)
    with Image.open(io.BytesIO(original)) as picture:
        assert picture.size == (40, 80)
        assert not picture.getexif()
        top, bottom = picture.getpixel((20, 10)), picture.getpixel((20, 70))
    assert top[2] > 150 and top[0] < 100, top  # blue
    assert bottom[0] > 150 and bottom[2] < 100, bottom  # red
    assert (image.width, image.height) == (40, 80)
    assert image.file_size == len(original)

    for spec in ("width-400", "fill-20x20", "max-30x30|format-webp"):
        rendition = image.get_rendition(spec)
        data = stored_bytes(rendition.file)
        assert not has_identifying_metadata(data), spec
        with Image.open(io.BytesIO(data)) as picture:
            assert not picture.getexif(), spec
            if spec == "width-400":
                assert picture.size == (40, 80)  # never upscaled, still upright


def test_the_fixture_really_carries_gps_camera_and_orientation():
    data = phone_jpeg()
    assert has_identifying_metadata(data)
    with Image.open(io.BytesIO(data)) as picture:
        exif = picture.getexif()
        assert exif[ExifTags.Base.Make] == "Apple"
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)


@pytest.fixture
def superuser(db):
    HomePageFactory()
    return get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-123456")


def test_admin_single_upload_is_stored_clean(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("IMG_0001.JPG", phone_jpeg(), content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "台灯", "file": upload})
    assert response.status_code == 302, response.context["form"].errors
    image = TongxinImage.objects.get(title="台灯")
    assert image.file.name.endswith(".jpg")
    assert_clean_and_upright(image)


def test_admin_multiple_upload_is_stored_clean(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("IMG_0002.jpg", phone_jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"], payload
    image = TongxinImage.objects.get(pk=payload["image_id"])
    assert_clean_and_upright(image)


def test_programmatic_creation_is_stored_clean(db):
    image = TongxinImage(title="导入的图片", file=ContentFile(phone_jpeg(), name="phone.jpg"))
    image.save()
    assert_clean_and_upright(image)


def test_importer_stores_images_clean(db, tmp_path):
    HomePageFactory()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "phone.jpg").write_bytes(phone_jpeg())
    today = timezone.localdate()
    document = {
        "format": "tongxin-content/1",
        "pages": [
            {"type": "story_index", "path": "/gushi/", "title": "童心故事"},
            {
                "type": "story",
                "path": "/gushi/lamp/",
                "title": "小雨的台灯",
                "pseudonym": "小雨",
                "age": 9,
                "region": "青云县",
                "consent": {
                    "obtained_on": str(today - datetime.timedelta(days=1)),
                    "expires_on": str(today + datetime.timedelta(days=300)),
                    "scope": ["web"],
                },
                "body": [
                    {
                        "type": "image",
                        "file": "images/phone.jpg",
                        "alt": "插画：台灯",
                        "consent": "illustrative",
                    }
                ],
            },
        ],
    }
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    story = StoryPage.objects.get(slug="lamp")
    assert story.live
    assert_clean_and_upright(story.body[0].value["image"])


def test_importer_holds_a_story_whose_image_file_is_named_after_the_child(db, tmp_path):
    """zhaozihan-home.jpg would put the child's name, in pinyin, into every image address."""
    HomePageFactory()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "zhaozihan-home.jpg").write_bytes(phone_jpeg())
    today = timezone.localdate()
    story = {
        "type": "story",
        "path": "/gushi/lamp/",
        "title": "小涵的台灯",
        "pseudonym": "小涵",
        "region": "青云县",
        "consent": {
            "obtained_on": str(today - datetime.timedelta(days=1)),
            "expires_on": str(today + datetime.timedelta(days=300)),
            "scope": ["web", "partners"],
        },
        "private": {"real_name": "趙梓涵"},
        "body": [
            {
                "type": "image",
                "file": "images/zhaozihan-home.jpg",
                "alt": "插画：台灯",
                "consent": "illustrative",
            }
        ],
    }
    document = {
        "format": "tongxin-content/1",
        "pages": [{"type": "story_index", "path": "/gushi/", "title": "童心故事"}, story],
    }
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    stderr = io.StringIO()
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=stderr)
    assert not StoryPage.objects.get(slug="lamp").live
    assert "/gushi/lamp/: held as draft" in stderr.getvalue()
    assert "图片文件名" in stderr.getvalue()
    assert "zhaozihan" not in stderr.getvalue().lower()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.jpg", b"Dear guardian, this is not a picture."),
        ("empty.png", b""),
        ("truncated.jpg", phone_jpeg()[:200]),
        ("notes.txt", b"plain text"),
        ("consent.pdf", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_non_images_get_a_clear_form_error_not_a_500(client, superuser, name, content):
    client.force_login(superuser)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(reverse("wagtailimages:add"), {"title": "坏文件", "file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "file" in errors and errors["file"][0].strip()
    assert not TongxinImage.objects.filter(title="坏文件").exists()

    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert payload.get("error_message") or payload.get("form")
    assert TongxinImage.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"not a picture", phone_jpeg()[:200], phone_jpeg()[:-400]],
    ids=["text", "head", "tail"],
)
def test_not_an_image_message_says_what_is_wrong(client, superuser, content):
    """Wagtail's own message (not an image, or a damaged one) or ours from the scrubber."""
    client.force_login(superuser)
    upload = SimpleUploadedFile("letter.jpg", content, content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "坏文件", "file": upload})
    message = " ".join(response.context["form"].errors["file"])
    assert "图片" in message and ("有效" in message or "损坏" in message), message


# --- the image consent flag on stories --------------------------------------------------------


def story_with_image(consent):
    image = ImageFactory()
    block = {"image": image, "alt": "台灯", "caption": "", "credit": ""}
    if consent is not None:
        block["consent"] = consent
    story = StoryPageFactory(
        parent=StoryIndexPageFactory(parent=HomePageFactory(), slug="gushi"), slug="lamp"
    )
    draft = story.get_latest_revision_as_object() if story.latest_revision else story
    draft.body = [("paragraph", RichText("<p>台灯亮了。</p>")), ("image", block)]
    return story, draft


@pytest.mark.parametrize("consent", [None, ""])
def test_story_with_an_image_lacking_consent_cannot_be_published(db, consent):
    story, draft = story_with_image(consent)
    problems = check_story(draft)
    assert [p.kind for p in problems] == ["image_consent"]
    assert problems[0].field == "正文第 2 块（图片）"
    revision = draft.save_revision()
    assert revision.publish() is None
    assert StoryPage.objects.get(pk=story.pk).live_revision_id != revision.pk


@pytest.mark.parametrize("consent", ["cleared", "illustrative"])
def test_story_with_consent_cleared_or_illustrative_images_publishes(db, consent):
    story, draft = story_with_image(consent)
    assert check_story(draft) == []
    revision = draft.save_revision()
    revision.publish()
    assert StoryPage.objects.get(pk=story.pk).live_revision_id == revision.pk
