"""Site-wide models: the image model and the abstract page bases every page type shares."""

import hashlib
import os

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from tongxin.editorial.forms import PinyinSlugPageForm
from tongxin.scripts.panels import AmbiguousCharactersPanel

from .blocks import ConversionRuleBlock, CreditBlock
from .exif import scrub_image
from .fields import StringListField

SCRUBBED_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
SCRIPT_CHOICES = [("hans", "简体"), ("hant", "繁體")]


class TongxinImage(AbstractImage):
    """Wagtail's image with its metadata scrubbed on the way in (see tongxin.core.exif).

    Every path that stores a new file (the admin's single and multiple upload, the importer,
    a shell) goes through `_set_image_file_metadata` or `save`, so the scrub lives in both.
    """

    admin_form_fields = Image.admin_form_fields

    def scrub_new_file(self):
        upload = self.file
        if not upload or getattr(upload, "_committed", True):
            return
        if getattr(upload.file, "tongxin_scrubbed", False):
            return
        data, fmt = scrub_image(upload.file)
        name = os.path.basename(upload.name)
        stem, _ = os.path.splitext(name)
        scrubbed = ContentFile(data, name=f"{stem}{SCRUBBED_EXTENSIONS[fmt]}")
        scrubbed.tongxin_scrubbed = True
        self.file = scrubbed
        self.file_size = len(data)
        self.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()

    def _set_image_file_metadata(self):
        self.scrub_new_file()
        super()._set_image_file_metadata()

    def save(self, *args, **kwargs):
        self.scrub_new_file()
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"


class TongxinRendition(AbstractRendition):
    image = models.ForeignKey(TongxinImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class TongxinPage(Page):
    """Fields every public page has: its summary, the script it is written in, its date."""

    summary = models.TextField("摘要", blank=True, max_length=1000)
    script = models.CharField(
        "原文字体",
        max_length=4,
        choices=SCRIPT_CHOICES,
        default="hans",
        help_text="正文用哪种字体写成；读者可在简体和繁体之间切换",
    )
    date = models.DateTimeField(
        "发布日期", null=True, blank=True, help_text="留空则为首次发布的时间"
    )
    tags = StringListField("标签", blank=True)
    region = models.CharField("地区", max_length=100, blank=True)
    conversion_rules = StreamField(
        [("rule", ConversionRuleBlock())],
        verbose_name="本页字词转换规则",
        blank=True,
        use_json_field=True,
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("script"),
        index.FilterField("region"),
    ]

    common_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("script"), FieldPanel("date"), FieldPanel("tags"), FieldPanel("region")],
            heading="发布信息",
        ),
    ]
    conversion_panels = [
        MultiFieldPanel(
            [FieldPanel("conversion_rules"), AmbiguousCharactersPanel(heading="一简对多繁字")],
            heading="简繁转换",
            classname="collapsed",
        )
    ]

    # Pinyin slugs from Chinese titles (tongxin.editorial.slugs).
    base_form_class = PinyinSlugPageForm

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from tongxin.scripts.pagecache import cached_response
        from tongxin.scripts.rendition import script_for_language

        # The conversion middleware applies this page's own rules to the whole response.
        request.tongxin_page = self
        # Converted pages are cached per revision and script (tongxin.scripts.pagecache); on
        # a miss the middleware stores the converted render under request.tongxin_cache_key.
        script = script_for_language(translation.get_language())
        cached = cached_response(request, self, script, args, kwargs)
        if cached is not None:
            return cached
        return super().serve(request, *args, **kwargs)

    preview_modes = [("", "简体预览"), ("hant", "繁體預覽")]

    def serve_preview(self, request, mode_name):
        """Editors preview both renditions; the admin is outside the script prefixes, so the
        conversion the public middleware does is applied here."""
        from tongxin.scripts.rendition import render_response_for_script

        script = "hant" if mode_name == "hant" else "hans"
        language = "zh-hant" if script == "hant" else "zh-hans"
        with translation.override(language):
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
            request.tongxin_page = self
            return render_response_for_script(response, script, page=self)

    @property
    def display_date(self):
        return self.date or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def page_rules(self):
        return [(rule.value["hans"], rule.value["hant"]) for rule in self.conversion_rules]


RESPONSIBLE_EDITOR_HELP = "初审通过时自动填入通过者的姓名，随文章显示；下一次初审通过时更新"
# Read-only in the editor: the name is the approving reviewer's (tongxin.editorial.credit),
# and a field left out of the form keeps the value carried by the revision.
RESPONSIBLE_EDITOR_PANEL = FieldPanel("responsible_editor", read_only=True)


class NewsroomMixin(models.Model):
    """Newsroom metadata of article-like pages: where it came from and who made it."""

    source_name = models.CharField("来源", max_length=120, blank=True)
    source_url = models.URLField("来源链接", blank=True)
    byline = StreamField(
        [("credit", CreditBlock())], verbose_name="署名", blank=True, use_json_field=True
    )
    photo_credit = models.CharField("摄影/图片", max_length=200, blank=True)
    responsible_editor = models.CharField(
        "责任编辑",
        max_length=60,
        blank=True,
        help_text=RESPONSIBLE_EDITOR_HELP,
    )

    newsroom_panels = [
        MultiFieldPanel(
            [
                FieldPanel("source_name"),
                FieldPanel("source_url"),
                FieldPanel("byline"),
                FieldPanel("photo_credit"),
                RESPONSIBLE_EDITOR_PANEL,
            ],
            heading="来源与署名",
        )
    ]

    class Meta:
        abstract = True


def today():
    return timezone.localdate()
