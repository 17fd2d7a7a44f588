"""Anonymized beneficiary stories and the private identity records behind them.

A StoryPage holds only what may be public. The real identity and the consent live in
StoryIdentity: a plain model, not part of the page, so it is never in a page revision, the
page's search index entry, the API or a template context.
"""

import logging
import os
import uuid
from functools import lru_cache
from types import SimpleNamespace

import opencc
from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.log_actions import log
from wagtail.models import Page, PageManager
from wagtail.search import index

from campaigns.blocks import body_field
from tongxin.core.fields import StringListField
from tongxin.core.listings import index_members, listing, newest_first
from tongxin.core.models import RESPONSIBLE_EDITOR_HELP, RESPONSIBLE_EDITOR_PANEL, TongxinPage
from tongxin.core.paginate import paginate
from tongxin.core.storage import PrivateFileSystemStorage, private_storage
from tongxin.core.visibility import VisiblePageQuerySet

from .forms import StoryForm, StoryIdentityForm

logger = logging.getLogger(__name__)
# Page log action: a version was not published because the privacy guard refused it.
PRIVACY_REFUSAL = "tongxin.privacy_guard.refused"

# Stored as the words readers see; the importer also accepts "female"/"male".
GENDER_CHOICES = [("", _("不注明")), ("女", _("女")), ("男", _("男"))]
CIRCUMSTANCES = ["孤儿", "事实无人抚养儿童", "农村留守儿童", "困境儿童", "残疾儿童", "重病儿童"]


class StoryQuerySet(VisiblePageQuerySet):
    def consented(self, scope="web", today=None):
        """Stories whose consent covers `scope` today. A query, not a job: expiry is instant."""
        today = today or timezone.localdate()
        conditions = {
            "identity__consent_web": True,
            "identity__consent_expires_on__gte": today,
            "identity__consent_obtained_on__lte": today,
        }
        if scope == "partners":
            conditions["identity__consent_partners"] = True
        return self.filter(**conditions)


StoryManager = PageManager.from_queryset(StoryQuerySet)


# The private storage (PRIVATE_MEDIA_ROOT, or the private bucket when configured) is core's:
# tongxin.core.storage. The names stay importable here for the migrations.
PrivateStorage = PrivateFileSystemStorage


def consent_form_path(instance, filename):
    """A random name: an uploaded file is often called after the child (王小明同意书.pdf),
    and a stored name ends up in backups, error reports and directory listings."""
    extension = os.path.splitext(filename)[1].lower()[:5]
    return f"consent-forms/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


class StoryIndexPage(TongxinPage):
    body = body_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    parent_page_types = ["home.HomePage", "campaigns.CampaignPage"]
    subpage_types = ["stories.StoryPage"]
    template = "stories/story_index_page.html"
    max_count_per_parent = 1

    page_description = _("儿童故事栏目：列出其下已获授权的故事")

    class Meta:
        verbose_name = _("故事栏目")
        verbose_name_plural = _("故事栏目")

    def get_context(self, request, *args, **kwargs):
        """Stories under this index, filtered by `?region=` and `?circumstance=`.

        Filtering is script-insensitive: values are compared folded to simplified
        characters, so 青雲縣 (from a story written in traditional characters, or typed by a
        reader of the traditional rendition) and 青云县 are one option and match the same
        stories. Unknown values simply match nothing.
        """
        context = super().get_context(request, *args, **kwargs)
        members = index_members(self, StoryPage)
        region = filter_key(request.GET.get("region", ""))
        circumstance = filter_key(request.GET.get("circumstance", ""))
        # key -> (label as written in the first story that has it, an object of its script).
        # The label is marked with that script so the converter renders it for the reader.
        # One query over the distinct values, not over the stories.
        regions, circumstances = {}, {}
        raw_regions, raw_circumstances = set(), set()
        values = listing(members).order_by().values_list("region", "circumstances", "script")
        for raw_region, listed, script in values.distinct():
            source = SimpleNamespace(script=script)
            if raw_region:
                regions.setdefault(filter_key(raw_region), (raw_region, source))
                if filter_key(raw_region) == region:
                    raw_regions.add(raw_region)
            for value in listed:
                circumstances.setdefault(filter_key(value), (value, source))
                if filter_key(value) == circumstance:
                    raw_circumstances.add(value)
        context["region_options"] = sorted(regions.items())
        context["circumstance_options"] = sorted(
            circumstances.items(), key=lambda kv: _circumstance_order(kv[0])
        )
        stories = listing(members, bodies=True)
        if region:
            stories = stories.filter(region__in=raw_regions)
        if circumstance:
            stories = stories.filter(_listed_in("circumstances", raw_circumstances))
        pagination = paginate(request, newest_first(stories))
        context["pagination"] = pagination
        context["items"] = pagination.items
        context["selected_region"] = region
        context["selected_circumstance"] = circumstance
        return context


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def filter_key(value):
    """A filter value folded for comparison: simplified characters, no outer spaces, at most
    100 characters (a query string is reader input)."""
    value = str(value or "").strip()[:100]
    return _t2s().convert(value) if value else ""


def _listed_in(name, values):
    """A StringListField (one item a line) holding any of `values`; nothing when empty."""
    found = Q(pk__in=[])
    for value in values:
        found |= (
            Q(**{name: value})
            | Q(**{f"{name}__startswith": f"{value}\n"})
            | Q(**{f"{name}__endswith": f"\n{value}"})
            | Q(**{f"{name}__contains": f"\n{value}\n"})
        )
    return found


def _circumstance_order(key):
    """The usual circumstances first, in the order the form lists them; others after."""
    try:
        return (CIRCUMSTANCES.index(key), key)
    except ValueError:
        return (len(CIRCUMSTANCES), key)


class StoryPage(TongxinPage):
    pseudonym = models.CharField(_("化名"), max_length=40, help_text=_("页面上总会标注（化名）"))
    age = models.PositiveSmallIntegerField(
        _("年龄"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(25)]
    )
    gender = models.CharField(_("性别"), max_length=10, choices=GENDER_CHOICES, blank=True)
    circumstances = StringListField(_("困境类型"), blank=True, help_text=_("如 农村留守儿童、孤儿"))
    support = models.TextField(_("获得的帮助"), blank=True)
    body = body_field()
    responsible_editor = models.CharField(
        _("责任编辑"),
        max_length=60,
        blank=True,
        help_text=RESPONSIBLE_EDITOR_HELP,
    )

    objects = StoryManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("pseudonym"),
                FieldPanel("age"),
                FieldPanel("gender"),
                FieldPanel("region", help_text=_("最多到县（区）一级")),
                FieldPanel("circumstances"),
            ],
            heading=_("公开信息（不得包含真实身份）"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("script"), FieldPanel("date"), FieldPanel("tags")], heading=_("发布信息")
        ),
        FieldPanel("support"),
        RESPONSIBLE_EDITOR_PANEL,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [
        index.SearchField("pseudonym"),
        index.SearchField("support"),
        index.SearchField("body"),
        index.FilterField("region"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    template = "stories/story_page.html"
    base_form_class = StoryForm

    page_description = _(
        "一个受助儿童的故事，只用化名和不具体到县以下的地区；"
        "真实身份另存于只有隐私专员能看的身份记录，需经隐私审核"
    )

    class Meta:
        verbose_name = _("儿童故事")
        verbose_name_plural = _("儿童故事")

    @cached_property
    def consent(self):
        try:
            return self.identity
        except StoryIdentity.DoesNotExist:
            return None

    def consent_allows(self, scope="web"):
        identity = self.consent
        return identity is not None and identity.consent_allows(scope)

    def publish(self, revision, user=None, **kwargs):
        """Workflow approval and scheduled publishing end here, not in the edit form: the
        guard runs again on exactly the revision about to go live."""
        from .guard import check_story

        # The importer runs the same check on the content it is about to publish and marks
        # the revision it made of it (an attribute of this object only, never stored).
        already = getattr(revision, "privacy_checked", False)
        problems = [] if already else check_story(revision.as_object())
        if problems:
            # Kinds and fields only: a masked match could still hint at the identity in a
            # log file. The page history says why the approved or scheduled version is not
            # live; the editor sees the matches themselves when publishing from the form.
            kinds = sorted({p.kind for p in problems})
            logger.warning("Story %s not published, privacy guard: %s", self.pk, ", ".join(kinds))
            type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            log(
                instance=self,
                action=PRIVACY_REFUSAL,
                user=user,
                revision=revision,
                data={"kinds": kinds, "fields": sorted({p.field for p in problems})},
            )
            return None
        return super().publish(revision, user=user, **kwargs)

    @classmethod
    def visible_audience(cls, scope, today):
        """Which stories the public may see (tongxin.core.visibility): consent covers it."""
        return StoryPage.objects.consented(scope, today).values("pk")


class StoryIdentity(models.Model):
    """The real identity behind a story. Only the privacy officers group can open it."""

    base_form_class = StoryIdentityForm
    # Out of Wagtail's reference index: otherwise the story's "usage" page in the admin,
    # which every editor can open, would list and link this record.
    wagtail_reference_index_ignore = True

    story = models.OneToOneField(
        StoryPage, verbose_name=_("故事"), on_delete=models.CASCADE, related_name="identity"
    )
    real_name = models.CharField(_("真实姓名"), max_length=60, blank=True)
    guardians = StringListField(_("监护人"), blank=True)
    school = models.CharField(_("学校"), max_length=200, blank=True)
    address = models.CharField(_("住址"), max_length=300, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    # Identifiers the privacy check also looks for, in every way they are written
    # (2014年3月15日 and 2014.03.15, 0851-8612345 and 8612345…). All optional.
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=30, blank=True)
    phones = StringListField(
        _("电话号码"), blank=True, help_text=_("孩子和家人的电话；多项用顿号、逗号或换行分隔")
    )
    chat_ids = StringListField(
        _("聊天账号"), blank=True, help_text=_("QQ 号、微信号等；多项用顿号、逗号或换行分隔")
    )
    other_identifiers = StringListField(
        _("其他身份标识"),
        blank=True,
        help_text=_("如学籍号、病历号、车牌号、昵称；多项用顿号、逗号或换行分隔"),
    )
    consent_obtained_on = models.DateField(_("同意书签署日期"), null=True, blank=True)
    consent_expires_on = models.DateField(_("同意书到期日期"), null=True, blank=True)
    consent_web = models.BooleanField(_("同意在本站发布"), default=False)
    consent_partners = models.BooleanField(_("同意合作媒体转载（订阅源、嵌入）"), default=False)
    consent_form = models.FileField(
        _("签署的同意书"),
        storage=private_storage,
        upload_to=consent_form_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text=_("PDF 或图片；只保存在非公开目录，只有隐私专员能下载"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("story"),
        MultiFieldPanel(
            [
                FieldPanel("real_name"),
                FieldPanel("guardians"),
                FieldPanel("school"),
                FieldPanel("address"),
                FieldPanel("notes"),
                FieldPanel("birth_date"),
                FieldPanel("id_number"),
                FieldPanel("phones"),
                FieldPanel("chat_ids"),
                FieldPanel("other_identifiers"),
            ],
            heading=_("身份信息（仅隐私专员可见）"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("consent_obtained_on"),
                FieldPanel("consent_expires_on"),
                FieldPanel("consent_web"),
                FieldPanel("consent_partners"),
                FieldPanel("consent_form"),
            ],
            heading=_("授权同意"),
        ),
    ]

    class Meta:
        verbose_name = _("身份与授权记录")
        verbose_name_plural = _("身份与授权记录")

    def __str__(self):
        # Deliberately the story's title, never the real name: this shows up in admin logs.
        return gettext("身份记录 #%(pk)s（%(title)s）") % {"pk": self.pk, "title": self.story.title}

    @property
    def consent_scope(self):
        return [
            s for s, on in (("web", self.consent_web), ("partners", self.consent_partners)) if on
        ]

    def consent_allows(self, scope="web", on=None):
        on = on or timezone.localdate()
        if not (self.consent_obtained_on and self.consent_expires_on):
            return False
        if not (self.consent_obtained_on <= on <= self.consent_expires_on):
            return False
        if not self.consent_web:
            return False
        return scope == "web" or self.consent_partners

    def private_values(self):
        values = [self.real_name, self.school, self.address, self.id_number, *self.guardians]
        values += [*self.phones, *self.chat_ids, *self.other_identifiers]
        values += [line for line in self.notes.splitlines()]
        if self.birth_date:
            values.append(self.birth_date.isoformat())
        return [v.strip() for v in values if v and len(v.strip()) >= 2]
