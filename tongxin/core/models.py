"""Site-wide models: the image model and the abstract page bases every page type shares."""

import hashlib
import logging
import os

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.search import index

from tongxin.scripts import script as scripts
from tongxin.scripts.panels import AmbiguousCharactersPanel, ConversionSection
from tongxin.scripts.script import HANS, HANT

from . import routing
from .blocks import ConversionRuleBlock, CreditBlock
from .exif import scrub_image
from .fields import StringListField
from .page_forms import TongxinPageForm
from .pagecache import mark_shareable
from .routes import SyndicationRoutes
from .slugs import normalise_slug, slug_taken
from .visibility import VisiblePageQuerySet, is_visible, may_be_restricted

logger = logging.getLogger(__name__)

SCRUBBED_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
# Fields every page's edit form has (Wagtail's content and promote panels).
FORM_FIELDS = {"title", "slug", "seo_title", "search_description"}
SCRIPT_CHOICES = [(HANS.code, HANS.label), (HANT.code, HANT.label)]


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
        verbose_name = _("图片")
        verbose_name_plural = _("图片")


class TongxinRendition(AbstractRendition):
    image = models.ForeignKey(TongxinImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class TongxinPage(SyndicationRoutes, Page):
    """Fields every public page has: its summary, the script it is written in, its date."""

    summary = models.TextField(_("摘要"), blank=True, max_length=1000)
    script = models.CharField(
        _("原文字体"),
        max_length=4,
        choices=SCRIPT_CHOICES,
        default="hans",
        help_text=_("正文用哪种字体写成；读者可在简体和繁体之间切换"),
    )
    date = models.DateTimeField(
        _("发布日期"), null=True, blank=True, help_text=_("留空则为首次发布的时间")
    )
    tags = StringListField(_("标签"), blank=True)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    conversion_rules = StreamField(
        [("rule", ConversionRuleBlock())],
        verbose_name=_("本页字词转换规则"),
        blank=True,
        use_json_field=True,
    )

    # Readers' search is tongxin.search's own index, updated on publish; Wagtail's
    # per-save indexing is off for pages (the admin searches titles in the table itself:
    # WAGTAILSEARCH_BACKENDS), so saving a page writes no second index.
    search_auto_update = False
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("script"),
        index.FilterField("region"),
    ]

    common_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("script"), FieldPanel("date"), FieldPanel("tags"), FieldPanel("region")],
            heading=_("发布信息"),
        ),
    ]
    conversion_panels = [
        ConversionSection(
            [FieldPanel("conversion_rules"), AmbiguousCharactersPanel(heading=_("一简对多繁字"))],
            heading=_("简繁转换"),
            classname="collapsed",
        )
    ]
    # Pinyin slugs, slug normalisation and the look-alike check in the admin (EpisodeForm and
    # StoryForm derive from it).
    base_form_class = TongxinPageForm

    objects = PageManager.from_queryset(VisiblePageQuerySet)()

    class Meta:
        abstract = True

    def serve(self, request, view=None, args=None, kwargs=None):
        """The page or one of its routes (tongxin.core.routes), only while the page is
        visible to the route's scope (tongxin.core.visibility): the same definition listings,
        feeds, search and the sitemap use, so an expired page or consent is gone from its own
        URL at that moment. Previews show drafts to editors."""
        scope = getattr(view, "visibility_scope", "web")
        if not getattr(request, "is_preview", False) and not is_visible(self, scope):
            raise Http404("not visible to the public")
        response = super().serve(request, view, args, kwargs)
        if scope == "web":
            mark_shareable(response, page=self, scope=scope)
        return response

    def route(self, request, path_components):
        """Wagtail's routing, with where a path leads kept per content version
        (tongxin.core.routing): a cached path costs one query instead of two per level."""
        return routing.route(self, request, path_components, super().route)

    def get_view_restrictions(self):
        """Wagtail's check before serving, answered from the cached list of restricted paths
        when none can apply (tongxin.core.visibility.may_be_restricted), else Wagtail's."""
        if not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def publish(self, revision, user=None, **kwargs):
        """Workflow approval and scheduled publishing publish a stored revision without the
        edit form: the spam guard runs again on it (a term may have been added since it was
        saved). A refused revision is not published and loses its go-live time; the job and
        the other pages go on."""
        from .spam import page_problems

        # The importer runs the guard on the content it stores and marks the revision it
        # made of it (an attribute of this object only, never stored): no second check.
        already = getattr(revision, "spam_checked", False)
        problems = None if already else page_problems(revision.as_object())
        if problems:
            logger.warning("Page %s not published, spam guard: %s", self.pk, ", ".join(problems))
            type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            return None
        return super().publish(revision, user=user, **kwargs)

    @staticmethod
    def _slug_is_available(slug, parent_page, page=None):
        # Wagtail's own check (clean, autogenerated slugs) with look-alikes as duplicates.
        return not slug_taken(slug, parent_page, page)

    def full_clean(self, *args, **kwargs):
        if self.slug:
            self.slug = normalise_slug(self.slug)
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        # The spam guard (tongxin.core.spam): every save, revision, publish and import
        # validates the page, so injected gambling or porn text never goes live.
        from .spam import page_problems

        problems = page_problems(self)
        if problems:
            errors = {}
            for name, messages in problems.items():
                # Errors on a field the edit form lacks would make Django raise; the
                # messages name their field, so anything else is shown above the form.
                target = name if name in FORM_FIELDS else NON_FIELD_ERRORS
                errors.setdefault(target, []).extend(messages)
            raise ValidationError(errors)

    preview_modes = [("", _("简体预览")), (HANT.code, _("繁体预览"))]

    def serve_preview(self, request, mode_name):
        """Editors preview both renditions; the admin is outside the script prefixes, so the
        conversion the public middleware does is applied here, by the same function."""
        from tongxin.scripts.rendition import render_response_for_script
        from tongxin.scripts.uitext import marking

        script = scripts.get(mode_name)
        with script.activate(), marking():
            request.script = script
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
            return render_response_for_script(response, script.code, page=self)

    @property
    def display_date(self):
        return self.date or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def page_rules(self):
        return [(rule.value["hans"], rule.value["hant"]) for rule in self.conversion_rules]


class SpamTerm(models.Model):
    """A term administrators add to the spam guard's shipped list (tongxin/core/spam.py)."""

    term = models.CharField(
        _("词语"),
        max_length=200,
        unique=True,
        help_text=_("简体或繁体均可；空格和符号会被忽略。以 re: 开头表示正则表达式。"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("垃圾内容词")
        verbose_name_plural = _("垃圾内容词")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def clean(self):
        super().clean()
        import re

        from .spam import term_pattern

        self.term = (self.term or "").strip()
        try:
            term_pattern(self.term)
        except re.error as exc:
            raise ValidationError(
                {"term": gettext("正则表达式无效：%(error)s") % {"error": exc}}
            ) from exc
        except ValueError as exc:
            raise ValidationError({"term": _("去掉空格和符号后没有剩下任何文字")}) from exc


RESPONSIBLE_EDITOR_HELP = _("初审通过时自动填入通过者的姓名，随文章显示；下一次初审通过时更新")
# Read-only in the editor: the name is the approving reviewer's (tongxin.editorial.credit),
# and a field left out of the form keeps the value carried by the revision.
RESPONSIBLE_EDITOR_PANEL = FieldPanel("responsible_editor", read_only=True)


class NewsroomMixin(models.Model):
    """Newsroom metadata of article-like pages: where it came from and who made it."""

    source_name = models.CharField(_("来源"), max_length=120, blank=True)
    source_url = models.URLField(_("来源链接"), blank=True)
    byline = StreamField(
        [("credit", CreditBlock())], verbose_name=_("署名"), blank=True, use_json_field=True
    )
    photo_credit = models.CharField(_("摄影/图片"), max_length=200, blank=True)
    responsible_editor = models.CharField(
        _("责任编辑"),
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
            heading=_("来源与署名"),
        )
    ]

    class Meta:
        abstract = True


def today():
    return timezone.localdate()
