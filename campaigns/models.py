"""Campaigns, their episodic series, fund-launch events, news, organizations and funds."""

import re
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from tongxin.core.blocks import CreditBlock, FigureBlock, ProgrammeItemBlock
from tongxin.core.fields import StringListField
from tongxin.core.formatting import format_amount
from tongxin.core.listings import index_members, listing, newest_first
from tongxin.core.models import (
    RESPONSIBLE_EDITOR_HELP,
    RESPONSIBLE_EDITOR_PANEL,
    NewsroomMixin,
    TongxinPage,
)
from tongxin.core.paginate import paginate
from tongxin.core.routing import parent_of
from tongxin.core.statecache import kept_for_state
from tongxin.core.visibility import visible

from .blocks import body_field
from .forms import EpisodeForm

ORGANIZATION_KINDS = [
    ("government", _("政府部门")),
    ("charity", _("慈善组织")),
    ("media", _("媒体")),
    ("company", _("企业")),
    ("social_work", _("社工机构")),
    ("volunteer", _("志愿者组织")),
    ("school", _("学校")),
    ("other", _("其他")),
]
ORGANIZER_ROLES = [
    ("主办", _("主办")),
    ("承办", _("承办")),
    ("协办", _("协办")),
    ("监管", _("监管")),
    ("媒体支持", _("媒体支持")),
]
FUND_STATUS = [("open", _("募集中")), ("closed", _("已结束"))]
FUND_PURPOSES = ["基本生活", "医疗康复", "教育", "心理健康"]


class Organization(index.Indexed, models.Model):
    key = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=ORGANIZATION_KINDS, default="other")
    url = models.URLField(_("网址"), blank=True)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    # Printed on purpose (a hotline, the office): the privacy check lets it through in
    # stories instead of taking it for a family's number.
    public_phone = models.CharField(
        _("公开电话"),
        max_length=200,
        blank=True,
        help_text=_(
            "机构对外公开的电话（热线、办公室电话），多个用顿号或逗号分隔；故事中出现时不算泄露隐私"
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("region"),
        FieldPanel("public_phone"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]

    def __str__(self):
        return self.name


# A bare host name as the importer accepts it (tongxin.exchange.schema.HOST_RE).
HOST_RE = re.compile(r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


class DonationHost(models.Model):
    """A fundraising platform host an administrator approved for donation links.

    Only administrators may add, change or delete these (no editor group has the model's
    permissions, see campaigns.roles): this list is what stops anyone else from sending
    donations somewhere else. A host approves exactly that host, not its subdomains.
    """

    host = models.CharField(
        _("域名"),
        max_length=253,
        unique=True,
        help_text=(
            _("只填域名，如 gongyi.qq.com；不带 https:// 和路径。只批准这一个域名，不含其子域名。")
        ),
    )
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("如：腾讯公益，民政部指定平台")
    )

    panels = [FieldPanel("host"), FieldPanel("note")]

    class Meta:
        verbose_name = _("已批准的募捐平台域名")
        verbose_name_plural = _("已批准的募捐平台域名")
        ordering = ["host"]

    def __str__(self):
        return self.host

    def clean(self):
        super().clean()
        self.host = normalise_host(self.host)
        if not HOST_RE.fullmatch(self.host):
            raise ValidationError(
                {"host": _("请只填写域名，如 gongyi.qq.com（不带 https://、路径或端口）")}
            )

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
        return gettext("不是有效的网址")
    if parts.scheme != "https":
        return gettext("捐款链接必须以 https:// 开头")
    if parts.username or parts.password or not parts.hostname:
        return gettext("捐款链接的域名无效")
    if approved_hosts is None:
        approved_hosts = set(DonationHost.objects.values_list("host", flat=True))
    if normalise_host(parts.hostname) not in approved_hosts:
        return gettext("域名 %(host)s 不在管理员批准的募捐平台名单中") % {"host": parts.hostname}
    return None


class Fund(index.Indexed, models.Model):
    key = models.SlugField(_("标识"), max_length=80, unique=True)
    name = models.CharField(_("基金名称"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("募捐组织"), on_delete=models.PROTECT, related_name="funds"
    )
    custodian = models.ForeignKey(
        Organization,
        verbose_name=_("监管机构"),
        on_delete=models.PROTECT,
        related_name="custodian_of",
        null=True,
        blank=True,
    )
    record_number = models.CharField(_("公开募捐备案编号"), max_length=80)
    platform = models.CharField(_("募捐平台"), max_length=120)
    donate_url = models.URLField(_("捐款链接"), max_length=500)
    currency = models.CharField(_("币种"), max_length=3, default="CNY")
    target = models.DecimalField(
        _("目标金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    raised = models.DecimalField(
        _("已筹金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    raised_as_of = models.DateField(_("已筹金额截至"), null=True, blank=True)
    annual_commitment = models.DecimalField(
        _("每年承诺（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    restricted = models.BooleanField(_("专款专用"), default=False)
    purposes = StringListField(_("用途"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=FUND_STATUS, default="open")

    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("organization"),
        FieldPanel("custodian"),
        FieldPanel("record_number"),
        MultiFieldPanel([FieldPanel("platform"), FieldPanel("donate_url")], heading=_("募捐平台")),
        MultiFieldPanel(
            [
                FieldPanel("currency"),
                FieldPanel("target"),
                FieldPanel("raised"),
                FieldPanel("raised_as_of"),
                FieldPanel("annual_commitment"),
            ],
            heading=_("金额"),
        ),
        FieldPanel("restricted"),
        FieldPanel("purposes"),
        FieldPanel("status"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("基金")
        verbose_name_plural = _("基金")
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

    # -- progress, for templates (blocks/donate.html, components/fund.html)

    @property
    def has_progress(self):
        """A raised amount against a positive target: a bar and a percentage can be shown."""
        return bool(self.target) and self.target > 0 and self.raised is not None

    @property
    def progress_percent(self):
        """The true percentage, rounded down (so 99.6 % never reads as reached): 126 when
        the target was passed, 0 when nothing is raised yet; None without a target."""
        if not self.has_progress:
            return None
        return int(self.raised * 100 / self.target)

    @property
    def progress_bar(self):
        """The bar's value, 0–100: an over-funded appeal fills the bar, the label says 126%."""
        percent = self.progress_percent
        if percent is None:
            return None
        return max(0, min(100, percent))

    @property
    def raised_display(self):
        # Raised and target share a line (已筹 31.26 万元 / 目标 30 万元): one unit for both.
        return format_amount(self.raised, self.currency, unit_of=self.target)

    @property
    def target_display(self):
        return format_amount(self.target, self.currency, unit_of=self.raised)

    @property
    def annual_commitment_display(self):
        return format_amount(self.annual_commitment, self.currency)

    # -- the disclosure the Charity Law asks of an online public appeal

    @property
    def restricted_use(self):
        """The restricted use: 专款专用，用于基本生活、教育 / 用于教育 / (empty)."""
        purposes = "、".join(self.purposes or [])
        if self.restricted:
            return f"专款专用，用于{purposes}" if purposes else "专款专用"
        return f"用于{purposes}" if purposes else ""

    @property
    def disclosure(self):
        """(label, value) pairs: who raises the money, the public-fundraising record number,
        the platform, the custodian, restricted use. Labels are UI text; values are snippet
        text. Read `organization` and `custodian` with select_related."""
        parts = [
            (gettext("募捐组织"), self.organization.name),
            (gettext("公开募捐备案编号"), self.record_number),
            (gettext("募捐平台"), self.platform),
        ]
        if self.custodian_id:
            parts.append((gettext("资金监管"), self.custodian.name))
        if self.restricted_use:
            parts.append((gettext("资金用途"), self.restricted_use))
        return parts

    # -- texts a donation call-to-action falls back on

    @property
    def default_heading(self):
        return f"支持{self.name}"

    @property
    def default_text(self):
        text = f"{self.organization.name}通过{self.platform}公开募捐"
        if self.restricted_use:
            text += f"，善款{self.restricted_use}"
        return text + "。"

    # -- the counted click-through

    @property
    def donate_path(self):
        """`/donate/<key>/`: never the platform URL itself, so every click is counted."""
        return reverse("donate", args=[self.key])

    def donate_href(self, source_page=None):
        """The button's link, with `?from=<page id>` when the page is known."""
        if isinstance(source_page, Page):
            page_id = source_page.pk
        elif isinstance(source_page, int) and not isinstance(source_page, bool):
            page_id = source_page
        else:
            page_id = None  # e.g. a paginator's page in a listing's context
        if page_id:
            return f"{self.donate_path}?{urlencode({'from': page_id})}"
        return self.donate_path


class OrganizerBase(Orderable):
    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=10, choices=ORGANIZER_ROLES)

    panels = [FieldPanel("organization"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        abstract = True


class CampaignOrganizer(OrganizerBase):
    page = ParentalKey("campaigns.CampaignPage", related_name="organizers")


class FundLaunchOrganizer(OrganizerBase):
    page = ParentalKey("campaigns.FundLaunchEventPage", related_name="organizers")


def figures_field():
    return StreamField(
        [("figure", FigureBlock())], verbose_name=_("关键数据"), blank=True, use_json_field=True
    )


def credits_field(verbose_name=None):
    return StreamField(
        [("credit", CreditBlock())],
        verbose_name=verbose_name or _("制作人员"),
        blank=True,
        use_json_field=True,
    )


class CampaignPage(TongxinPage):
    slogan = models.CharField(_("口号"), max_length=200, blank=True)
    figures = figures_field()
    funds = ParentalManyToManyField(
        Fund, verbose_name=_("基金"), blank=True, related_name="campaigns"
    )
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    body = body_field()

    content_panels = Page.content_panels + [
        FieldPanel("slogan"),
        *TongxinPage.common_panels,
        InlinePanel("organizers", label=_("组织机构")),
        FieldPanel("figures"),
        FieldPanel("funds"),
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("时间")),
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

    page_description = _(
        "一项活动的总页面：主办单位、口号、关键数据、基金和正文；"
        "系列专题、基金启动仪式和新闻放在它下面"
    )

    class Meta:
        verbose_name = _("公益活动")
        verbose_name_plural = _("公益活动")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})

    def get_context(self, request, *args, **kwargs):
        # By label: campaigns lists the stories under it but does not import the stories app.
        StoryPage = apps.get_model("stories", "StoryPage")  # noqa: N806
        context = super().get_context(request, *args, **kwargs)
        descendants = Page.objects.descendant_of(self)
        context["series_list"] = listing(SeriesPage.objects.child_of(self), bodies=True)
        context["events"] = listing(FundLaunchEventPage.objects.child_of(self), bodies=True)
        context["news_list"] = newest_first(
            listing(NewsPage.objects.descendant_of(self), bodies=True)
        )[:10]
        context["stories"] = newest_first(
            listing(StoryPage.objects.filter(pk__in=descendants.values("pk")), bodies=True)
        )[:12]
        context["organizer_list"] = self.organizers.select_related("organization")
        # Open appeals first, closed ones after them (sorted() keeps the order within each).
        funds = self.funds.select_related("organization", "custodian")
        context["fund_list"] = sorted(funds, key=lambda fund: not fund.is_open)
        return context


# A series page lists its episodes compactly (number and title): more a page than a listing.
EPISODES_PER_PAGE = 50


class SeriesPage(TongxinPage):
    body = body_field()
    planned_episodes = models.PositiveSmallIntegerField(
        _("计划集数"), null=True, blank=True, validators=[MinValueValidator(1)]
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

    page_description = _("系列微专题：写明计划集数，各集作为它的子页面按集数排列")

    class Meta:
        verbose_name = _("系列专题")
        verbose_name_plural = _("系列专题")

    def published_episodes(self):
        return listing(EpisodePage.objects.child_of(self)).order_by("number", "path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        published = self.published_episodes()
        per_page = EPISODES_PER_PAGE
        pagination = paginate(request, published, per_page=per_page)
        # The numbers of every published episode (one small query): each planned number still
        # to come is shown on the page of the episodes around it.
        numbers = list(published.values_list("number", flat=True))
        start = (pagination.number - 1) * per_page
        end = start + len(pagination.items)
        low = (numbers[start - 1] or 0) if start else 0
        high = (numbers[end - 1] or 0) if end < len(numbers) else None
        taken = set(numbers)
        context["pagination"] = pagination
        context["episodes"] = pagination.items
        context["upcoming_numbers"] = [
            n
            for n in range(1, (self.planned_episodes or 0) + 1)
            if n not in taken and n > low and (high is None or n < high)
        ]
        return context


class EpisodePage(TongxinPage):
    number = models.PositiveSmallIntegerField(
        _("集数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空则取本系列下一个未用的集数"),
    )
    video_url = models.URLField(_("视频地址"), blank=True, max_length=500)
    credits = credits_field()
    body = body_field()
    responsible_editor = models.CharField(
        _("责任编辑"),
        max_length=60,
        blank=True,
        help_text=RESPONSIBLE_EDITOR_HELP,
    )

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        *TongxinPage.common_panels,
        FieldPanel("video_url"),
        FieldPanel("credits"),
        RESPONSIBLE_EDITOR_PANEL,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.SeriesPage"]
    subpage_types = []
    template = "campaigns/episode_page.html"
    base_form_class = EpisodeForm
    # An episode renders from its series (title, planned count, neighbours): routing keeps
    # the series with the episode (tongxin.core.routing).
    route_keeps_parent = True

    page_description = _(
        "系列中的一集：集数、视频、记者/摄像/剪辑署名和正文；集数不能超过系列的计划集数"
    )

    class Meta:
        verbose_name = _("系列单集")
        verbose_name_plural = _("系列单集")
        # Previous and next episode: the nearest number below and above (EpisodePage.neighbours).
        indexes = [models.Index(fields=["number"], name="campaigns_episode_number")]

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
            return gettext("本系列已有第 %(number)s 集") % {"number": self.number}
        return self.planned_count_error(parent, self.number)

    @staticmethod
    def planned_count(parent):
        """The series' planned count as last saved (a draft that raises it counts)."""
        series = parent.specific
        if isinstance(series, SeriesPage) and series.has_unpublished_changes:
            series = series.get_latest_revision_as_object()
        return getattr(series, "planned_episodes", None)

    @staticmethod
    def planned_count_error(parent, number):
        """An episode past the series' planned count is refused: "第 6 集 / 共 5 集" and an
        ending notice on episode 5 would contradict each other. The planned count is raised
        on the series first (its latest saved version counts, so an import file that raises
        it in the same document passes)."""
        planned = EpisodePage.planned_count(parent)
        if number is not None and planned and number > planned:
            return gettext(
                "第 %(number)s 集超出了本系列的计划集数（共 %(planned)s 集）。"
                "如确需增加，请先把系列专题的计划集数改为 %(number)s 或更多"
            ) % {"number": number, "planned": planned}
        return None

    def save(self, *args, **kwargs):
        # add_child() gives the page its tree position before saving, so the parent is known.
        if self.number is None and self.path and self.depth > 1:
            self.number = self.next_free_number(self.get_parent())
        super().save(*args, **kwargs)

    def neighbours(self, series):
        """(previous, next) public episodes of `series` around this one: the last with a
        lower number and the first with a higher one, one indexed query each, whatever the
        length of the series; kept per content state (tongxin.core.statecache)."""
        if self.number is None:
            return None, None
        return kept_for_state(
            "episode-neighbours",
            (series.pk, self.pk, self.number),
            lambda: self._find_neighbours(series),
        )

    def _find_neighbours(self, series):
        siblings = visible(EpisodePage.objects.child_of(series)).only(
            "id", "title", "number", "script", "url_path", "path", "depth"
        )
        previous = siblings.filter(number__lt=self.number).order_by("-number", "-path").first()
        following = siblings.filter(number__gt=self.number).order_by("number", "path").first()
        return previous, following

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        series = parent_of(self, SeriesPage)
        previous_episode = next_episode = None
        if series is not None:
            previous_episode, next_episode = self.neighbours(series)
        context["series"] = series
        context["previous_episode"] = previous_episode
        context["next_episode"] = next_episode
        planned = series.planned_episodes if series else None
        if planned:
            context["episode_total"] = planned
        else:
            context["episode_total"] = (
                visible(EpisodePage.objects.child_of(series)).count() if series else 0
            )
        # The ending notice only where the series really ends: never next to a later episode.
        context["is_last_episode"] = bool(
            planned and self.number == planned and context["next_episode"] is None
        )
        return context


class FundLaunchEventPage(TongxinPage):
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("启动的基金"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="launch_events",
    )
    event_date = models.DateField(_("活动日期"), null=True, blank=True)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    initial_amount = models.DecimalField(
        _("首批募集（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    annual_commitment = models.DecimalField(
        _("每年承诺（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    custodian = models.ForeignKey(
        Organization,
        verbose_name=_("监管机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purposes = StringListField(_("资金用途"), blank=True)
    programme = StreamField(
        [("item", ProgrammeItemBlock())],
        verbose_name=_("活动议程"),
        blank=True,
        use_json_field=True,
    )
    figures = figures_field()
    body = body_field()
    responsible_editor = models.CharField(
        _("责任编辑"),
        max_length=60,
        blank=True,
        help_text=RESPONSIBLE_EDITOR_HELP,
    )

    content_panels = Page.content_panels + [
        *TongxinPage.common_panels,
        MultiFieldPanel([FieldPanel("event_date"), FieldPanel("venue")], heading=_("时间地点")),
        InlinePanel("organizers", label=_("组织机构")),
        MultiFieldPanel(
            [
                FieldPanel("fund"),
                FieldPanel("initial_amount"),
                FieldPanel("annual_commitment"),
                FieldPanel("custodian"),
                FieldPanel("purposes"),
            ],
            heading=_("基金"),
        ),
        FieldPanel("programme"),
        FieldPanel("figures"),
        RESPONSIBLE_EDITOR_PANEL,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types = []
    template = "campaigns/fund_launch_event_page.html"

    page_description = _(
        "基金启动仪式的报道：时间地点、组织机构、启动的基金、首批募集和每年承诺、资金用途、议程"
    )

    class Meta:
        verbose_name = _("基金启动仪式")
        verbose_name_plural = _("基金启动仪式")

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

    page_description = _("新闻栏目：列出其下的新闻，每个上级页面只能有一个")

    class Meta:
        verbose_name = _("新闻栏目")
        verbose_name_plural = _("新闻栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = listing(index_members(self, NewsPage), bodies=True)
        pagination = paginate(request, newest_first(news))
        context["pagination"] = pagination
        context["items"] = pagination.items
        return context


class NewsPage(NewsroomMixin, TongxinPage):
    body = body_field()

    content_panels = Page.content_panels + [
        # tongxin.exchange adds the legacy-import warning here (ExchangeConfig.ready).
        *TongxinPage.common_panels,
        *NewsroomMixin.newsroom_panels,
        FieldPanel("body"),
        *TongxinPage.conversion_panels,
    ]
    search_fields = TongxinPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["campaigns.NewsIndexPage"]
    subpage_types = []
    template = "campaigns/news_page.html"

    page_description = _("一篇新闻：来源、署名、正文；发布后显示责任编辑")

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")


class DonationClick(models.Model):
    """Click-through counts per fund, day and source page. Deliberately nothing about the
    reader: no IP address, user agent, cookie or referrer is stored."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="clicks")
    day = models.DateField(_("日期"))
    source_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(_("点击次数"), default=0)

    class Meta:
        verbose_name = _("捐款点击")
        verbose_name_plural = _("捐款点击")
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

    def __str__(self):
        return f"{self.fund_id} {self.day} {self.source_page_id or '-'}: {self.count}"

    @property
    def source_label(self):
        """The source page's title, for the report (read with select_related)."""
        if self.source_page_id is None:
            return gettext("（无来源页面：扫码或直接访问）")
        return self.source_page.title


@register_setting(icon="pick")
class DonationBanner(BaseSiteSetting):
    """The site-wide donation banner: on or off, which fund, its wording.

    Shown at the top of every public page of the site (`{% donation_banner %}` in base.html)
    while it is on and its fund is open. Heading and text are simplified text like snippets;
    left empty, they come from the fund.
    """

    enabled = models.BooleanField(_("显示全站捐款横幅"), default=False)
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("基金"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    heading = models.CharField(
        _("标题"), max_length=120, blank=True, help_text=_("留空则为“支持＋基金名称”")
    )
    text = models.TextField(
        _("说明"), blank=True, max_length=500, help_text=_("留空则按基金信息生成一句说明")
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("fund"),
        FieldPanel("heading"),
        FieldPanel("text"),
    ]

    class Meta:
        verbose_name = _("全站捐款横幅")
        verbose_name_plural = _("全站捐款横幅")

    def clean(self):
        super().clean()
        if self.enabled and self.fund_id is None:
            raise ValidationError({"fund": _("显示横幅前请先选择基金")})

    @classmethod
    def for_request_if_any(cls, request):
        """This site's banner with its fund, organization and custodian in one query, or
        None. Unlike `for_request`, nothing is created on a reader's visit."""
        from wagtail.models import Site

        site = Site.find_for_request(request)
        if site is None:
            return None
        return (
            cls.objects.select_related("fund__organization", "fund__custodian")
            .filter(site=site)
            .first()
        )
