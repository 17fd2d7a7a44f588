"""Admin input hardening: look-alike slugs, document uploads, malformed page-edit POSTs,
and ALLOWED_HOSTS given with spaces or commas."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model

from campaigns.models import NewsPage
from tests.test_health_and_errors import production_env, run_python

from .factories import NewsPageFactory

pytestmark = pytest.mark.django_db

FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


class TestSlugs:
    @pytest.mark.parametrize(
        "slug",
        [
            "ａｂｃ",
            "ABC",
            "Abc",
            "ａBc",
            "abc ",
            " ABC",
            "ａｂｃ\u3000",
            "\u0430bc",  # Cyrillic а
            "ab\u0441",  # Cyrillic с
            "\u03b1bc",  # Greek α
            "\u0410BC",  # Cyrillic А, upper case
        ],
    )
    def test_look_alikes_are_duplicates_among_siblings(self, site_tree, slug):
        NewsPageFactory(parent=site_tree.news_index, slug="abc")
        page = NewsPage(title="另一篇", slug=slug)
        with pytest.raises(ValidationError) as info:
            site_tree.news_index.add_child(instance=page)
        assert "slug" in info.value.message_dict

    def test_other_alphabets_spelling_other_words_are_fine(self, site_tree):
        NewsPageFactory(parent=site_tree.news_index, slug="abc")
        page = NewsPage(title="俄文", slug="\u0431\u0432\u0433")  # бвг: no Latin look-alike
        site_tree.news_index.add_child(instance=page)
        assert page.pk

    def test_slugs_are_stored_normalised(self, site_tree):
        page = NewsPage(title="新闻", slug="ＸｉｎＷｅｎ-2026")
        site_tree.news_index.add_child(instance=page)
        page.refresh_from_db()
        assert page.slug == "xinwen-2026"

    def test_the_same_slug_elsewhere_is_fine(self, site_tree):
        NewsPageFactory(parent=site_tree.news_index, slug="abc")
        page = NewsPage(title="活动新闻", slug="ABC")
        site_tree.campaign.add_child(instance=page)
        assert page.slug == "abc"

    def test_a_legacy_upper_case_sibling_is_seen(self, site_tree):
        legacy = NewsPageFactory(parent=site_tree.news_index, slug="legacy")
        NewsPage.objects.filter(pk=legacy.pk).update(slug="LEGACY")
        with pytest.raises(ValidationError):
            site_tree.news_index.add_child(instance=NewsPage(title="x", slug="legacy"))

    @pytest.mark.parametrize(
        "slug",
        [
            str.upper,
            lambda s: s + "  ",
            lambda s: " " + s.upper() + "\t",
            lambda s: unicodedata.normalize("NFKC", s).translate(FULL_WIDTH),
        ],
    )
    def test_the_admin_refuses_a_look_alike(self, client, site_tree, admin_user, slug):
        from wagtail.test.utils.form_data import streamfield

        from tests.test_page_models import page_form

        client.force_login(admin_user)
        url = reverse(
            "wagtailadmin_pages:add", args=["campaigns", "newspage", site_tree.news_index.pk]
        )
        look_alike = slug(site_tree.news.slug)
        data = page_form({"title": "重复", "slug": look_alike, "byline": streamfield([])})
        data["action-publish"] = "action-publish"
        response = client.post(url, data)
        assert response.status_code == 200
        assert "slug" in response.context["form"].errors


def jpeg_with_gps():
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


class TestDocuments:
    def upload(self, client, admin_user, name, data):
        client.force_login(admin_user)
        return client.post(
            reverse("wagtaildocs:add"),
            {"title": "文件", "file": SimpleUploadedFile(name, data), "collection": 1},
        )

    def test_a_pdf_is_accepted(self, client, admin_user):
        response = self.upload(client, admin_user, "report.pdf", b"%PDF-1.7\n%%EOF\n")
        assert response.status_code == 302
        assert get_document_model().objects.filter(title="文件").exists()

    def test_an_office_file_is_accepted(self, client, admin_user):
        response = self.upload(client, admin_user, "plan.docx", b"PK\x03\x04" + b"\x00" * 40)
        assert response.status_code == 302

    @pytest.mark.parametrize("name", ["photo.jpg", "photo.png", "photo.pdf", "photo.docx"])
    def test_images_are_refused_whatever_their_name(self, client, admin_user, name):
        response = self.upload(client, admin_user, name, jpeg_with_gps())
        assert response.status_code == 200
        assert not get_document_model().objects.exists()
        assert "请在" in response.content.decode() or "只能上传" in response.content.decode()

    def test_content_must_match_the_extension(self, client, admin_user):
        response = self.upload(client, admin_user, "report.pdf", b"<html>not a pdf</html>")
        assert response.status_code == 200
        assert "不是 PDF" in response.content.decode()
        assert not get_document_model().objects.exists()


MALFORMED = [
    {"garbage": "x"},
    {"title": "t", "slug": "s", "body-count": "abc"},
    {"title": "t", "slug": "s", "body-count": "2", "body-0-type": "nope", "body-0-order": "x"},
    {"title": "t", "slug": "s", "body-count": "99999999"},
    {"title": "t", "slug": "s", "organizers-TOTAL_FORMS": "abc"},
    {"title": "\x00", "slug": "s", "date": "not a date"},
]


@pytest.mark.parametrize("data", MALFORMED)
@pytest.mark.parametrize("which", ["campaign", "news", "story", "home"])
def test_malformed_edit_posts_answer_a_form_error(client, site_tree, admin_user, data, which):
    client.force_login(admin_user)
    page = getattr(site_tree, which)
    title = page.title
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "表单数据不完整" in html or "error" in html
    page.refresh_from_db()
    assert page.title == title


def test_malformed_create_post_answers_a_form_error(client, site_tree, admin_user):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", site_tree.news_index.pk])
    response = client.post(url, {"title": "t", "body-count": "x"}, follow=True)
    assert response.status_code == 200
    assert "表单数据不完整" in response.content.decode()


@pytest.mark.parametrize(
    "value", ["a.example,b.example", "a.example, b.example", "a.example b.example"]
)
def test_allowed_hosts_with_spaces_or_commas(value):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS)"
    )
    result = run_python(code, production_env(ALLOWED_HOSTS=value))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['a.example', 'b.example']"


def test_allowed_hosts_of_commas_only_refuses_to_start():
    result = run_python("import django; django.setup()", production_env(ALLOWED_HOSTS=" , ,"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
