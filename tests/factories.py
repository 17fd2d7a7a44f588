"""factory_boy / wagtail-factories factories for every page type and snippet.

Pages are created live, with a first-published date, through `add_child` (what
wagtail-factories does), so no revision or workflow is involved: tests that care about the
editor's path go through the admin instead. `build_site_tree()` builds one small site that
covers every page type, for `setUpTestData` and the `site_tree` fixture alike.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import factory
import wagtail_factories
from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from campaigns.models import (
    CampaignOrganizer,
    CampaignPage,
    DonationHost,
    EpisodePage,
    Fund,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    Organization,
    SeriesPage,
)
from stories.models import GENDER_CHOICES, StoryIdentity, StoryIndexPage, StoryPage
from tongxin.home.models import HomePage


def paragraph(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


class OrganizationFactory(factory.django.DjangoModelFactory):
    key = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"青云县民政局{n}")
    kind = "government"
    region = "青云县"

    class Meta:
        model = Organization
        django_get_or_create = ["key"]


class FundFactory(factory.django.DjangoModelFactory):
    """A fund on an approved platform: the DonationHost for its donate_url is created too.

    Pass `approve_host=False` to leave the host unapproved (to test the refusal).
    """

    key = factory.Sequence(lambda n: f"fund-{n}")
    name = factory.Sequence(lambda n: f"童心守护基金{n}")
    organization = factory.SubFactory(OrganizationFactory, kind="charity")
    custodian = factory.SubFactory(OrganizationFactory, kind="government")
    record_number = factory.Sequence(lambda n: f"53100000500000{n:04d}A")
    platform = "腾讯公益"
    donate_url = factory.LazyAttribute(
        lambda o: f"https://gongyi.qq.com/succor/detail.htm?id={o.key}"
    )
    target = Decimal("1000000")
    raised = Decimal("350000")
    raised_as_of = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    annual_commitment = Decimal("200000")
    restricted = True
    purposes = factory.LazyFunction(lambda: ["基本生活", "医疗康复", "教育", "心理健康"])
    status = "open"

    class Meta:
        model = Fund
        django_get_or_create = ["key"]
        skip_postgeneration_save = True

    @factory.post_generation
    def approve_host(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            DonationHost.objects.get_or_create(host=urlsplit(obj.donate_url).hostname)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"示意图 {n}")


class TongxinPageFactory(wagtail_factories.PageFactory):
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyAttribute(lambda o: o.first_published_at)
    summary = "一段摘要。"
    script = "hans"

    class Meta:
        abstract = True


def ensure_root():
    """The tree root (and a default locale): migrations create both, a flushed database not."""
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


class HomePageFactory(TongxinPageFactory):
    """The home page the data migration creates; only made anew after a database flush."""

    title = "童心"
    slug = "home"

    class Meta:
        model = HomePage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = HomePage.objects.first()
        if existing is not None:
            return existing
        kwargs["parent"] = kwargs.get("parent") or ensure_root()
        home = super()._create(model_class, *args, **kwargs)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "童心"},
        )
        return home


class CampaignPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(HomePageFactory)
    title = factory.Sequence(lambda n: f"青云童心守护行动{n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    slogan = "让每个孩子都被看见"
    region = "青云县"
    body = factory.LazyFunction(lambda: paragraph("活动正文。"))

    class Meta:
        model = CampaignPage
        skip_postgeneration_save = True

    @factory.post_generation
    def organizers(obj, create, extracted, **kwargs):
        """`organizers=[(organization, "主办"), ...]` adds organizer rows."""
        if create and extracted:
            for sort_order, (organization, role) in enumerate(extracted):
                CampaignOrganizer.objects.create(
                    page=obj, organization=organization, role=role, sort_order=sort_order
                )


class SeriesPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(CampaignPageFactory)
    title = factory.Sequence(lambda n: f"系列微专题{n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    planned_episodes = 5

    class Meta:
        model = SeriesPage


class EpisodePageFactory(TongxinPageFactory):
    """`number` left as None takes the series' next free number (EpisodePage.save)."""

    parent = factory.SubFactory(SeriesPageFactory)
    title = factory.Sequence(lambda n: f"第{n}集 留守的春天")
    slug = factory.Sequence(lambda n: f"ep-{n}")
    number = None
    video_url = "https://video.example.cn/qingyun/ep.mp4"
    body = factory.LazyFunction(lambda: paragraph("本集正文。"))

    class Meta:
        model = EpisodePage


class FundLaunchEventPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(CampaignPageFactory)
    title = factory.Sequence(lambda n: f"童心守护基金启动仪式{n}")
    slug = factory.Sequence(lambda n: f"fund-launch-{n}")
    fund = factory.SubFactory(FundFactory)
    event_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    venue = "青云县民政局会议室"
    initial_amount = Decimal("1200000")
    annual_commitment = Decimal("500000")
    custodian = factory.SubFactory(OrganizationFactory, kind="government")
    purposes = factory.LazyFunction(lambda: ["基本生活", "教育"])
    body = factory.LazyFunction(lambda: paragraph("启动仪式正文。"))

    class Meta:
        model = FundLaunchEventPage


class NewsIndexPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(HomePageFactory)
    title = "新闻"
    slug = factory.Sequence(lambda n: f"news-{n}")

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(NewsIndexPageFactory)
    title = factory.Sequence(lambda n: f"童心守护行动启动{n}")
    slug = factory.Sequence(lambda n: f"news-item-{n}")
    date = factory.LazyFunction(timezone.now)
    source_name = "青云日报"
    source_url = "https://news.example.cn/qingyun/1.html"
    photo_credit = "青云日报 摄"
    body = factory.LazyFunction(lambda: paragraph("新闻正文。"))

    class Meta:
        model = NewsPage


class StoryIndexPageFactory(TongxinPageFactory):
    parent = factory.SubFactory(HomePageFactory)
    title = "儿童故事"
    slug = factory.Sequence(lambda n: f"stories-{n}")

    class Meta:
        model = StoryIndexPage


class StoryIdentityFactory(factory.django.DjangoModelFactory):
    """Valid consent: obtained yesterday, expires in a year, for the web and partners."""

    story = factory.SubFactory("tests.factories.StoryPageFactory", identity=None)
    real_name = "林晓雨"
    guardians = factory.LazyFunction(lambda: ["林大山"])
    school = "青云县实验小学"
    address = "青云县石桥镇幸福村"
    consent_obtained_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=1)
    )
    consent_expires_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )
    consent_web = True
    consent_partners = True

    class Meta:
        model = StoryIdentity


class StoryPageFactory(TongxinPageFactory):
    """A story with its private record; `identity=None` leaves the record out."""

    parent = factory.SubFactory(StoryIndexPageFactory)
    title = factory.Sequence(lambda n: f"小雨的新书包{n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    pseudonym = "小雨"
    age = 9
    # Looked up by label: the stored value is the model's business, "女" is what editors pick.
    gender = factory.LazyFunction(lambda: next(v for v, label in GENDER_CHOICES if label == "女"))
    region = "青云县"
    circumstances = factory.LazyFunction(lambda: ["农村留守儿童"])
    support = "每月生活补贴和一对一学业辅导。"
    body = factory.LazyFunction(lambda: paragraph("小雨和奶奶住在山里。"))
    identity = factory.RelatedFactory(StoryIdentityFactory, factory_related_name="story")

    class Meta:
        model = StoryPage
        skip_postgeneration_save = True


def build_site_tree():
    """Home → campaign (series with three episodes, fund launch), news index → news,
    story index → story. Returns the objects by name."""
    home = HomePageFactory()
    organization = OrganizationFactory(key="qingyun-mzj", name="青云县民政局")
    fund = FundFactory(key="tongxin-fund", name="童心守护基金", organization=organization)
    campaign = CampaignPageFactory(parent=home, slug="qingyun", organizers=[(organization, "主办")])
    campaign.funds.add(fund)
    campaign.save()
    series = SeriesPageFactory(parent=campaign, slug="series", planned_episodes=3)
    episodes = [
        EpisodePageFactory(parent=series, slug=f"ep-{n}", title=f"第{n}集") for n in (1, 2, 3)
    ]
    fund_launch = FundLaunchEventPageFactory(parent=campaign, slug="fund-launch", fund=fund)
    news_index = NewsIndexPageFactory(parent=home, slug="xinwen")
    news = NewsPageFactory(parent=news_index, slug="launch")
    story_index = StoryIndexPageFactory(parent=home, slug="gushi")
    story = StoryPageFactory(parent=story_index, slug="xiaoyu")
    return SimpleNamespace(
        home=home,
        organization=organization,
        fund=fund,
        campaign=campaign,
        series=series,
        episodes=episodes,
        fund_launch=fund_launch,
        news_index=news_index,
        news=news,
        story_index=story_index,
        story=story,
    )
