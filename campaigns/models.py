"""Campaigns, their episodic series, fund-launch events, news, organizations and funds."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from tongxin.core.blocks import CreditBlock, FigureBlock, ProgrammeItemBlock
from tongxin.core.fields import StringListField
from tongxin.core.models import NewsroomMixin, TongxinPage

from .blocks import BodyBlock
from .forms import EpisodeForm

ORGANIZATION_KINDS = [
    ("government", "政府部门"),
    ("charity", "慈善组织"),
    ("media", "媒体"),
    ("company", "企业"),
    ("social_work", "社工机构"),
    ("volunteer", "志愿者组织"),
    ("school", "学校"),
    ("other", "其他"),
]
ORGANIZER_ROLES = [
    ("主办", "主办"),
    ("承办", "承办"),
    ("协办", "协办"),
    ("监管", "监管"),
    ("媒体支持", "媒体支持"),
]
FUND_STATUS = [("open", "募集中"), ("closed", "已结束")]
FUND_PURPOSES = ["基本生活", "医疗康复", "教育", "心理健康"]


class Organization(index.Indexed, models.Model):
    key = models.SlugField("标识", max_length=80, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=ORGANIZATION_KINDS, default="other")
    url = models.URLField("网址", blank=True)
    region = models.CharField("地区", max_length=100, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("region"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["name"]

    def __str__(self):
        return self.name


class DonationHost(models.Model):
    """A fundraising platform host an administrator approved for donation links."""

    host = models.CharField("域名", max_length=253, unique=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "已批准的募捐平台域名"
        verbose_name_plural = "已批准的募捐平台域名"
        ordering = ["host"]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = normalise_host(self.host)
        super().save(*args, **kwargs)


def normalise_host(host):
    return (host or "").strip().lower().rstrip(".")


def donation_url_error(url, approved_hosts=None):
    """Why a donation URL is not acceptable, or None. Only https on an approved host passes."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return "不是有效的网址"
    if parts.scheme != "https":
        return "捐款链接必须以 https:// 开头"
    if parts.username or parts.password or not parts.hostname:
        return "捐款链接的域名无效"
    if approved_hosts is None:
        approved_hosts = set(DonationHost.objects.values_list("host", flat=True))
    if normalise_host(parts.hostname) not in approved_hosts:
        return f"域名 {parts.hostname} 不在管理员批准的募捐平台名单中"
    return None


class Fund(index.Indexed, models.Model):
    key = models.SlugField("标识", max_length=80, unique=True)
    name = models.CharField("基金名称", max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name="募捐组织", on_delete=models.PROTECT, related_name="funds"
    )
    custodian = models.ForeignKey(
        Organization,
        verbose_name="监管机构",
        on_delete=models.PROTECT,
        related_name="custodian_of",
        null=True,
        blank=True,
    )
    record_number = models.CharField("公开募捐备案编号", max_length=80)
    platform = models.CharField("募捐平台", max_length=120)
    donate_url = models.URLField("捐款链接", max_length=500)
    currency = models.CharField("币种", max_length=3, default="CNY")
    target = models.DecimalField(
        "目标金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    raised = models.DecimalField(
        "已筹金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    raised_as_of = models.DateField("已筹金额截至", null=True, blank=True)
    annual_commitment = models.DecimalField(
        "每年承诺（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    restricted = models.BooleanField("专款专用", default=False)
    purposes = StringListField("用途", blank=True)
    status = models.CharField("状态", max_length=10, choices=FUND_STATUS, default="open")

    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("organization"),
        FieldPanel("custodian"),
        FieldPanel("record_number"),
        MultiFieldPanel([FieldPanel("platform"), FieldPanel("donate_url")], heading="募捐平台"),
        MultiFieldPanel(
            [
                FieldPanel("currency"),
                FieldPanel("target"),
                FieldPanel("raised"),
                FieldPanel("raised_as_of"),
                FieldPanel("annual_commitment"),
            ],
            heading="金额",
        ),
        FieldPanel("restricted"),
        FieldPanel("purposes"),
        FieldPanel("status"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "基金"
        verbose_name_plural = "基金"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        error = donation_url_error(self.donate_url)
        if error:
            raise ValidationError({"donate_url": error})

    @property
    def is_open(self):
        return self.status == "open"

    @property
    def progress_percent(self):
        if not self.target or self.raised is None:
            return None
        return int(self.raised * 100 / self.target)


class OrganizerBase(Orderable):
    organization = models.ForeignKey(
        Organization, verbose_name="机构", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("角色", max_length=10, choices=ORGANIZER_ROLES)

    panels = [FieldPanel("organization"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        abstract = True


class CampaignOrganizer(OrganizerBase):
    page = ParentalKey("campaigns.CampaignPage", related_name="organizers")


class FundLaunchOrganizer(OrganizerBase):
    page = ParentalKey("campaigns.FundLaunchEventPage", related_name="organizers")


def figures_field():
    return StreamField(
        [("figure", FigureBlock())], verbose_name="关键数据", blank=True, use_json_field=True
    )


def credits_field(verbose_name="制作人员"):
    return StreamField(
        [("credit", CreditBlock())], verbose_name=verbose_name, blank=True, use_json_field=True
    )


def body_field():
    return StreamField(BodyBlock(), verbose_name="正文", blank=True, use_json_field=True)


def listing(queryset):
    """Public listing querysets: live, public, specific, without heavy StreamField columns."""
    return queryset.live().public().specific().defer_streamfields()


class CampaignPage(TongxinPage):
    slogan = models.CharField("口号", max_length=200, blank=True)
    figures = figures_field()
    funds = ParentalManyToManyField(Fund, verbose_name="基金", blank=True, related_name="campaigns")
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    body = body_field()

    content_panels = Page.content_panels + [
        FieldPanel("slogan"),
        *TongxinPage.common_panels,
        InlinePanel("organizers", label="组织机构"),
        FieldPanel("figures"),
        FieldPanel("funds"),
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading="时间"),
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [
        index.SearchField("slogan"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "campaigns.SeriesPage",
        "campaigns.FundLaunchEventPage",
        "campaigns.NewsIndexPage",
        "stories.StoryIndexPage",
    ]
    template = "campaigns/campaign_page.html"

    class Meta:
        verbose_name = "公益活动"
        verbose_name_plural = "公益活动"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期"})

    def get_context(self, request, *args, **kwargs):
        from stories.models import StoryPage

        context = super().get_context(request, *args, **kwargs)
        descendants = Page.objects.descendant_of(self)
        context["series_list"] = listing(SeriesPage.objects.child_of(self))
        context["events"] = listing(FundLaunchEventPage.objects.child_of(self))
        context["news_list"] = listing(
            NewsPage.objects.descendant_of(self).order_by("-first_published_at")
        )[:10]
        context["stories"] = (
            listing(StoryPage.objects.filter(pk__in=descendants.values("pk")))
            .consented("web")
            .order_by("-first_published_at")[:12]
        )
        context["organizer_list"] = self.organizers.select_related("organization")
        context["fund_list"] = self.funds.select_related("organization", "custodian")
        return context


class SeriesPage(TongxinPage):
    body = body_field()
    planned_episodes = models.PositiveSmallIntegerField(
        "计划集数", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    credits = credits_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        FieldPanel("planned_episodes"),
        FieldPanel("credits"),
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = ["campaigns.EpisodePage"]
    template = "campaigns/series_page.html"

    class Meta:
        verbose_name = "系列专题"
        verbose_name_plural = "系列专题"

    def published_episodes(self):
        return listing(EpisodePage.objects.child_of(self)).order_by("number", "path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        episodes = list(self.published_episodes())
        numbers = {episode.number for episode in episodes}
        context["episodes"] = episodes
        context["upcoming_numbers"] = [
            n for n in range(1, (self.planned_episodes or 0) + 1) if n not in numbers
        ]
        return context


class EpisodePage(TongxinPage):
    number = models.PositiveSmallIntegerField(
        "集数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="留空则取本系列下一个未用的集数",
    )
    video_url = models.URLField("视频地址", blank=True, max_length=500)
    credits = credits_field()
    body = body_field()

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        *TongxinPage.common_panels,
        FieldPanel("video_url"),
        FieldPanel("credits"),
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.SeriesPage"]
    subpage_types = []
    template = "campaigns/episode_page.html"
    base_form_class = EpisodeForm

    class Meta:
        verbose_name = "系列单集"
        verbose_name_plural = "系列单集"

    def sibling_episodes(self, parent=None):
        parent = parent or self.get_parent()
        siblings = EpisodePage.objects.child_of(parent)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        return siblings

    def next_free_number(self, parent=None):
        used = set(self.sibling_episodes(parent).values_list("number", flat=True))
        number = 1
        while number in used:
            number += 1
        return number

    def number_error(self, parent):
        if (
            self.number is not None
            and self.sibling_episodes(parent).filter(number=self.number).exists()
        ):
            return f"本系列已有第 {self.number} 集"
        return None

    def save(self, *args, **kwargs):
        # add_child() gives the page its tree position before saving, so the parent is known.
        if self.number is None and self.path and self.depth > 1:
            self.number = self.next_free_number(self.get_parent())
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        series = SeriesPage.objects.get(pk=self.get_parent().pk) if self.depth > 1 else None
        siblings = []
        if series is not None:
            siblings = list(
                EpisodePage.objects.child_of(series)
                .live()
                .public()
                .order_by("number", "path")
                .only("id", "title", "number", "script", "url_path", "path", "depth")
            )
        index_of = next((i for i, e in enumerate(siblings) if e.pk == self.pk), None)
        context["series"] = series
        context["previous_episode"] = siblings[index_of - 1] if index_of else None
        context["next_episode"] = (
            siblings[index_of + 1]
            if index_of is not None and index_of + 1 < len(siblings)
            else None
        )
        planned = series.planned_episodes if series else None
        context["episode_total"] = planned or len(siblings)
        context["is_last_episode"] = bool(planned and self.number == planned)
        return context


class FundLaunchEventPage(TongxinPage):
    fund = models.ForeignKey(
        Fund,
        verbose_name="启动的基金",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="launch_events",
    )
    event_date = models.DateField("活动日期", null=True, blank=True)
    venue = models.CharField("地点", max_length=200, blank=True)
    initial_amount = models.DecimalField(
        "首批募集（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    annual_commitment = models.DecimalField(
        "每年承诺（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    custodian = models.ForeignKey(
        Organization,
        verbose_name="监管机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purposes = StringListField("资金用途", blank=True)
    programme = StreamField(
        [("item", ProgrammeItemBlock())],
        verbose_name="活动议程",
        blank=True,
        use_json_field=True,
    )
    figures = figures_field()
    body = body_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        MultiFieldPanel([FieldPanel("event_date"), FieldPanel("venue")], heading="时间地点"),
        InlinePanel("organizers", label="组织机构"),
        MultiFieldPanel(
            [
                FieldPanel("fund"),
                FieldPanel("initial_amount"),
                FieldPanel("annual_commitment"),
                FieldPanel("custodian"),
                FieldPanel("purposes"),
            ],
            heading="基金",
        ),
        FieldPanel("programme"),
        FieldPanel("figures"),
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = []
    template = "campaigns/fund_launch_event_page.html"

    class Meta:
        verbose_name = "基金启动仪式"
        verbose_name_plural = "基金启动仪式"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organizer_list"] = self.organizers.select_related("organization")
        return context

    @cached_property
    def fund_details(self):
        if self.fund_id is None:
            return None
        return Fund.objects.select_related("organization", "custodian").get(pk=self.fund_id)


class NewsIndexPage(TongxinPage):
    body = body_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    parent_page_types = ["home.HomePage", "campaigns.CampaignPage"]
    subpage_types = ["campaigns.NewsPage"]
    template = "campaigns/news_index_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = "新闻栏目"
        verbose_name_plural = "新闻栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = listing(NewsPage.objects.child_of(self)).order_by(
            "-date", "-first_published_at"
        )[:50]
        return context


class NewsPage(NewsroomMixin, TongxinPage):
    body = body_field()

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        *NewsroomMixin.newsroom_panels,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.NewsIndexPage"]
    subpage_types = []
    template = "campaigns/news_page.html"

    class Meta:
        verbose_name = "新闻"
        verbose_name_plural = "新闻"


class DonationClick(models.Model):
    """Click-through counts per fund, day and source page. Deliberately nothing about the
    reader: no IP address, user agent, cookie or referrer is stored."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="clicks")
    day = models.DateField("日期")
    source_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField("点击次数", default=0)

    class Meta:
        verbose_name = "捐款点击"
        verbose_name_plural = "捐款点击"
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "day", "source_page"], name="unique_click_bucket"
            ),
            models.UniqueConstraint(
                fields=["fund", "day"],
                condition=models.Q(source_page__isnull=True),
                name="unique_click_bucket_without_page",
            ),
        ]
