"""What a reader sees on each public page type, in both renditions (PRODUCT.md, 1, 2 and 4).

One small site is built once for the module (see `tree`): two campaigns, one featured on the
home page; a series planned for five episodes with three published and the fourth still a
draft; a short series whose last planned episode is published; a fund launch; news at the top
level and under the campaign; stories with and without consent. Each test fetches pages with
the test client and reads them with BeautifulSoup, asserting the status, the content and what
must be absent.

Decisions written down here:
- The home page carries no breadcrumb trail (it would hold only itself); every page below it
  has one, from 首页 down to the page itself.
- A card's thumbnail has an empty alt: it sits beside the card's linked title and repeats it,
  so screen readers skip it. Every other image says what it shows.
- News are ordered by their date, and a news item without one by the moment it was first
  published (the date readers see on the page), newest first.
"""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import segno
from bs4 import BeautifulSoup
from django.db import transaction
from django.test import Client
from django.utils import timezone

from campaigns.models import FundLaunchOrganizer

from .factories import (
    CampaignPageFactory,
    EpisodePageFactory,
    FundFactory,
    FundLaunchEventPageFactory,
    HomePageFactory,
    ImageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    OrganizationFactory,
    SeriesPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)

SCRIPTS = ("zh-hans", "zh-hant")
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
NOW = timezone.now()


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


def raw(block_type, value):
    return {"type": block_type, "value": value}


def paragraph(text):
    return raw("paragraph", f"<p>{text}</p>")


def figure(value, unit, label, as_of):
    return raw("figure", {"value": value, "unit": unit, "label": label, "as_of": as_of})


def credit(role, *names):
    return raw("credit", {"role": role, "names": list(names)})


def image_block(image, alt, caption=""):
    return raw(
        "image",
        {
            "image": image.pk,
            "alt": alt,
            "caption": caption,
            "credit": "插画：编辑部",
            "consent": "",
        },
    )


# --------------------------------------------------------------------------- the site


def build_tree():
    home = HomePageFactory()
    mzj = OrganizationFactory(key="pp-mzj", name="青云县民政局", url="https://mzj.example.cn/")
    cszh = OrganizationFactory(key="pp-cszh", name="青云县慈善总会", kind="charity")
    sgz = OrganizationFactory(key="pp-sgz", name="青云县童心社会工作服务中心", kind="social_work")
    bank = OrganizationFactory(key="pp-bank", name="青云农村商业银行", kind="company")
    tv = OrganizationFactory(key="pp-tv", name="青云广播电视台", kind="media")
    fund = FundFactory(
        key="pp-fund",
        name="童心守护基金",
        organization=cszh,
        custodian=bank,
        platform="腾讯公益",
        target=1_000_000,
        raised=350_000,
        raised_as_of=datetime.date(2026, 6, 20),
        annual_commitment=200_000,
        restricted=True,
        purposes=["基本生活", "医疗康复", "教育", "心理健康"],
    )
    picture = ImageFactory(title="山坡上的房子")

    older = CampaignPageFactory(
        parent=home,
        slug="baisha",
        title="白沙助学行动",
        slogan="一个都不能少",
        first_published_at=days_ago(400),
    )
    campaign = CampaignPageFactory(
        parent=home,
        slug="qingyun",
        title="青云童心守护行动",
        slogan="让每个孩子都被看见",
        summary="青云县关爱困境儿童专项行动。",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
        figures=[
            figure("10760", "名", "纳入关爱服务的困境儿童", "2026-05-31"),
            figure("3500", "万元", "儿童基本生活保障资金", "2026-01-15"),
        ],
        body=[paragraph("专项行动从基本生活、教育和心理健康三个方面发力。")],
        organizers=[(mzj, "主办"), (tv, "媒体支持"), (cszh, "承办"), (bank, "监管"), (sgz, "协办")],
        first_published_at=days_ago(100),
    )
    campaign.funds.add(fund)
    campaign.save()
    home.featured_campaign = older
    home.save()

    series = SeriesPageFactory(
        parent=campaign,
        slug="series",
        title="童心守护系列微专题",
        planned_episodes=5,
        body=[paragraph("跟随儿童主任走进困境儿童的家。")],
        credits=[credit("出品", "青云广播电视台"), credit("总策划", "周建平")],
        first_published_at=days_ago(90),
    )
    episodes = [
        EpisodePageFactory(
            parent=series,
            slug=f"ep-{number}",
            title=title,
            number=number,
            video_url=video,
            credits=[
                credit("记者", "许晓云", "林涛"),
                credit("摄像", "钟立"),
                credit("剪辑", "唐静"),
            ],
            body=[paragraph(f"{title}的正文。")],
            first_published_at=days_ago(90 - number * 10),
        )
        for number, title, video in [
            (1, "找到每一个孩子", "https://v.example.cn/tongxin/ep1.mp4"),
            (2, "一碗热饭", "https://v.example.cn/tongxin/play?id=2"),
            (3, "回家的路", "https://v.example.cn/tongxin/ep3.mp4"),
        ]
    ]
    draft_episode = EpisodePageFactory(
        parent=series, slug="ep-4", title="尚未播出的第四集", number=4, live=False
    )
    finale_series = SeriesPageFactory(
        parent=campaign, slug="huifang", title="回访两集", planned_episodes=2
    )
    finale = [
        EpisodePageFactory(
            parent=finale_series,
            slug=f"ep-{n}",
            title=f"回访第{n}集",
            number=n,
            first_published_at=days_ago(10 - n),
        )
        for n in (1, 2)
    ]

    fund_launch = FundLaunchEventPageFactory(
        parent=campaign,
        slug="fund-launch",
        title="童心守护基金正式启动",
        fund=fund,
        event_date=datetime.date(2026, 6, 1),
        venue="青云县文化艺术中心",
        initial_amount=1_280_000,
        annual_commitment=1_000_000,
        custodian=bank,
        purposes=["基本生活", "医疗康复"],
        programme=[
            raw("item", {"time": "09:30", "item": "来宾签到"}),
            raw("item", {"time": "10:00", "item": "宣布基金正式启动"}),
        ],
        figures=[figure("23", "家", "首批捐赠企业", "2026-06-01")],
        body=[paragraph("启动仪式在县文化艺术中心举行。")],
        first_published_at=days_ago(50),
    )
    for sort_order, (organization, role) in enumerate([(mzj, "主办"), (cszh, "承办")]):
        FundLaunchOrganizer.objects.create(
            page=fund_launch, organization=organization, role=role, sort_order=sort_order
        )

    # The campaign's own news and stories (the campaign page lists them).
    campaign_news_index = NewsIndexPageFactory(parent=campaign, slug="news", title="活动新闻")
    campaign_news = [
        NewsPageFactory(
            parent=campaign_news_index,
            slug=slug,
            title=title,
            date=date,
            first_published_at=published,
        )
        for slug, title, date, published in [
            # Imported later than it happened: its date is older than its publication.
            ("older", "行动筹备会召开", at(2026, 2, 20), days_ago(1)),
            ("newer", "行动正式启动", at(2026, 3, 1), days_ago(30)),
        ]
    ]
    campaign_story_index = StoryIndexPageFactory(parent=campaign, slug="stories", title="活动故事")
    campaign_story = StoryPageFactory(
        parent=campaign_story_index,
        slug="aduo",
        title="阿朵听见了春天",
        pseudonym="阿朵",
        age=7,
        first_published_at=days_ago(5),
    )

    news_index = NewsIndexPageFactory(parent=home, slug="xinwen", title="新闻动态")
    news = NewsPageFactory(
        parent=news_index,
        slug="weixinyuan",
        title="431个微心愿被认领",
        date=at(2026, 5, 29),
        first_published_at=days_ago(20),
        source_name="青云日报",
        source_url="https://news.example.cn/qingyun/8812.html",
        byline=[credit("记者", "许晓云", "唐静"), credit("通讯员", "周敏")],
        photo_credit="插画：童心编辑部",
        body=[paragraph("首批431个微心愿全部被认领。"), image_block(picture, "插画：山坡上的房子")],
    )
    march_news = NewsPageFactory(
        parent=news_index,
        slug="lunxun",
        title="儿童主任完成轮训",
        date=at(2026, 3, 2),
        first_published_at=days_ago(10),
        source_name="青云县民政局",
        source_url="",
        byline=[],
        photo_credit="",
    )
    # No date of its own: its date is its first publication, yesterday, the newest of all.
    undated_news = NewsPageFactory(
        parent=news_index,
        slug="zuixin",
        title="第二批微心愿开始征集",
        date=None,
        first_published_at=days_ago(1),
    )
    draft_news = NewsPageFactory(parent=news_index, slug="draft", title="未发布的新闻", live=False)

    story_index = StoryIndexPageFactory(parent=home, slug="gushi", title="童心故事")
    story = StoryPageFactory(
        parent=story_index, slug="xiaoyu", title="小雨的台灯", first_published_at=days_ago(3)
    )
    unconsented = StoryPageFactory(
        parent=story_index, slug="no-consent", title="没有授权的故事", identity=None
    )

    return SimpleNamespace(
        home=home,
        organizations=SimpleNamespace(mzj=mzj, cszh=cszh, sgz=sgz, bank=bank, tv=tv),
        fund=fund,
        older=older,
        campaign=campaign,
        series=series,
        episodes=episodes,
        draft_episode=draft_episode,
        finale_series=finale_series,
        finale=finale,
        fund_launch=fund_launch,
        campaign_news=campaign_news,
        campaign_story=campaign_story,
        news_index=news_index,
        news=news,
        march_news=march_news,
        undated_news=undated_news,
        draft_news=draft_news,
        story_index=story_index,
        story=story,
        unconsented=unconsented,
    )


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end (see tests/test_feeds.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_tree()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def rendered(tree, django_db_blocker):
    """{(language, name): (response, soup)} of every page in PAGES, fetched once for the
    checks every page must pass (no test changes these pages)."""
    client = Client()
    with django_db_blocker.unblock():
        return {
            (language, name): fetch(client, language, path)
            for name, path in PAGES.items()
            for language in SCRIPTS
        }


# Every public page of the tree by name, as its path below the rendition prefix.
PAGES = {
    "home": "",
    "campaign": "qingyun/",
    "series": "qingyun/series/",
    "first episode": "qingyun/series/ep-1/",
    "last published episode": "qingyun/series/ep-3/",
    "last planned episode": "qingyun/huifang/ep-2/",
    "fund launch": "qingyun/fund-launch/",
    "news index": "xinwen/",
    "news": "xinwen/weixinyuan/",
    "story index": "gushi/",
    "story": "gushi/xiaoyu/",
}


# --------------------------------------------------------------------------- helpers


def fetch(client, language, path):
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 200, (language, path, response.status_code)
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def get(client, language, path):
    return fetch(client, language, path)[1]


def text(element):
    return element.get_text(" ", strip=True) if element is not None else ""


def squeeze(value):
    return re.sub(r"\s+", "", value)


def main_text(soup):
    return text(soup.find("main"))


def dl_facts(box):
    """{dt: dd text} of a definition list whose rows are <div><dt/><dd/></div>."""
    return {text(dt): text(dt.find_next_sibling("dd")) for dt in box.find_all("dt")}


def card_titles(soup, selector="main"):
    return [text(a) for a in soup.select(f"{selector} .card-title a")]


def section(soup, heading_id):
    return soup.find("section", attrs={"aria-labelledby": heading_id})


# --------------------------------------------------------------------------- home


HOME = {
    "zh-hans": {
        "featured": "白沙助学行动",
        "slogan": "一个都不能少",
        "episodes": ["第 2 集 回访第2集", "第 1 集 回访第1集", "第 3 集 回家的路"],
        "stories": ["小雨的台灯", "阿朵听见了春天"],
        "news": ["第二批微心愿开始征集", "431个微心愿被认领", "儿童主任完成轮训"],
        "campaigns": ["青云童心守护行动", "白沙助学行动"],
    },
    "zh-hant": {
        "featured": "白沙助學行動",
        "slogan": "一個都不能少",
        "episodes": ["第 2 集 回訪第2集", "第 1 集 回訪第1集", "第 3 集 回家的路"],
        "stories": ["小雨的檯燈", "阿朵聽見了春天"],
        "news": ["第二批微心願開始徵集", "431個微心願被認領", "兒童主任完成輪訓"],
        "campaigns": ["青雲童心守護行動", "白沙助學行動"],
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_home_features_the_chosen_campaign(client, tree, language):
    expected = HOME[language]
    soup = get(client, language, "")
    hero = soup.select_one("main section.hero")
    assert text(hero.select_one(".hero-title")) == expected["featured"]
    assert hero.select_one(".hero-title a")["href"] == f"/{language}/baisha/"
    assert text(hero.select_one(".slogan")) == expected["slogan"]
    # Not the newest campaign, which is still listed with the others.
    campaigns = card_titles(soup, "section[aria-labelledby=campaigns-heading]")
    assert campaigns == expected["campaigns"]


@pytest.mark.django_db
def test_home_features_the_newest_campaign_when_the_chosen_one_is_not_live(client, tree):
    older = type(tree.older).objects.get(pk=tree.older.pk)
    older.live = False
    older.save()
    soup = get(client, "zh-hans", "")
    assert text(soup.select_one("section.hero .hero-title")) == "青云童心守护行动"
    assert "白沙助学行动" not in main_text(soup)


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_home_lists_latest_episodes_stories_and_news(client, tree, language):
    expected = HOME[language]
    soup = get(client, language, "")
    # Newest first, everywhere on the site.
    episodes = card_titles(soup, "section[aria-labelledby=episodes-heading]")
    assert episodes[:3] == expected["episodes"]
    # Only stories with consent for the web; the one without is nowhere.
    assert card_titles(soup, "section[aria-labelledby=stories-heading]") == expected["stories"]
    assert card_titles(soup, "section[aria-labelledby=news-heading]")[:3] == expected["news"]
    page = soup.decode()
    for absent in ("尚未播出", "未發布", "未发布", "没有授权", "沒有授權", "no-consent"):
        assert absent not in page


@pytest.mark.django_db
def test_home_lists_news_newest_first(client, tree):
    """By each item's date, or its first publication when it has none."""
    news = card_titles(get(client, "zh-hans", ""), "section[aria-labelledby=news-heading]")
    assert news == [
        "第二批微心愿开始征集",  # no date: first published yesterday
        "431个微心愿被认领",  # 2026-05-29
        "儿童主任完成轮训",  # 2026-03-02
        "行动正式启动",  # 2026-03-01
        "行动筹备会召开",  # 2026-02-20, though published the day before yesterday
    ]


# --------------------------------------------------------------------------- campaign


@pytest.mark.django_db
def test_campaign_page_in_simplified(client, tree):
    soup = get(client, "zh-hans", "qingyun/")
    header = soup.select_one("header.campaign-header")
    assert text(header.h1) == "青云童心守护行动"
    assert text(header.select_one(".slogan")) == "让每个孩子都被看见"
    assert text(header.select_one(".lede")) == "青云县关爱困境儿童专项行动。"
    assert "2026年3月1日 至 2026年12月31日" in text(header.select_one(".page-meta"))

    figures = [
        (
            text(li.select_one(".figure-value")),
            text(li.select_one(".figure-unit")),
            text(li.select_one(".figure-label")),
            text(li.select_one(".figure-asof")),
        )
        for li in soup.select("section[aria-labelledby=figures-heading] li.figure")
    ]
    assert figures == [
        ("10,760", "名", "纳入关爱服务的困境儿童", "截至 2026年5月31日"),
        ("3,500", "万元", "儿童基本生活保障资金", "截至 2026年1月15日"),
    ]

    organizers = dl_facts(soup.select_one("dl.organizers"))
    # Grouped by role in the fixed order, whatever the order they were entered in.
    assert list(organizers) == ["主办", "承办", "协办", "监管", "媒体支持"]
    assert organizers == {
        "主办": "青云县民政局",
        "承办": "青云县慈善总会",
        "协办": "青云县童心社会工作服务中心",
        "监管": "青云农村商业银行",
        "媒体支持": "青云广播电视台",
    }
    assert soup.select_one("dl.organizers a")["href"] == "https://mzj.example.cn/"

    fund = soup.select_one("section[aria-labelledby=funds-heading] .fund")
    assert text(fund.select_one(".fund-name")) == "童心守护基金 专款专用"
    amounts = text(fund.select_one(".fund-amounts"))
    assert "已筹 35 万元 / 目标 100 万元 35%" in amounts
    assert "截至 2026年6月20日" in amounts
    progress = fund.select_one("progress")
    assert (progress["max"], progress["value"]) == ("100", "35")
    assert "每年承诺注入 20 万元" in text(fund)
    assert "公开募捐备案编号" in text(fund.select_one(".fund-disclosure"))
    assert fund.select_one(".fund-donate a")["href"] == (
        f"/donate/pp-fund/?from={tree.campaign.pk}"
    )

    assert "专项行动从基本生活、教育和心理健康三个方面发力。" in text(
        soup.select_one("article.campaign > .body")
    )


@pytest.mark.django_db
def test_campaign_page_in_traditional(client, tree):
    soup = get(client, "zh-hant", "qingyun/")
    header = soup.select_one("header.campaign-header")
    assert text(header.h1) == "青雲童心守護行動"
    assert text(header.select_one(".slogan")) == "讓每個孩子都被看見"
    labels = [text(p) for p in soup.select("li.figure .figure-label")]
    assert labels == ["納入關愛服務的困境兒童", "兒童基本生活保障資金"]
    assert [text(p) for p in soup.select("li.figure .figure-unit")] == ["名", "萬元"]
    organizers = dl_facts(soup.select_one("dl.organizers"))
    assert list(organizers) == ["主辦", "承辦", "協辦", "監管", "媒體支持"]
    assert organizers["主辦"] == "青雲縣民政局"
    assert organizers["媒體支持"] == "青雲廣播電視臺"
    fund = soup.select_one(".fund")
    assert "已募得 35 萬元 / 目標 100 萬元 35%" in text(fund.select_one(".fund-amounts"))
    assert "專款專用" in text(fund.select_one(".fund-name"))
    assert "從基本生活、教育和心理健康三個方面發力" in text(soup.select_one("article > .body"))


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_campaign_lists_its_series_events_news_and_stories(client, tree, language):
    soup = get(client, language, "qingyun/")
    hans = language == "zh-hans"

    def hrefs(heading_id):
        return [a["href"] for a in section(soup, heading_id).select(".card-title a")]

    prefix = f"/{language}/qingyun/"
    assert sorted(hrefs("series-heading")) == [f"{prefix}huifang/", f"{prefix}series/"]
    assert hrefs("events-heading") == [f"{prefix}fund-launch/"]
    # Its own news, by their date (the one imported yesterday happened first).
    assert hrefs("news-heading") == [f"{prefix}news/newer/", f"{prefix}news/older/"]
    assert hrefs("stories-heading") == [f"{prefix}stories/aduo/"]
    stories = section(soup, "stories-heading")
    assert ("阿朵（化名），7 岁" if hans else "阿朵（化名），7 歲") in text(stories)
    # Not its own: the site-wide news and stories.
    assert "431" not in main_text(soup)
    assert f"/{language}/gushi/xiaoyu/" not in {a["href"] for a in soup.select("main a")}


# --------------------------------------------------------------------------- series


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "count", "upcoming", "credits"),
    [
        (
            "zh-hans",
            "共 5 集，已播出 3 集",
            "即将推出",
            {"出品": "青云广播电视台", "总策划": "周建平"},
        ),
        (
            "zh-hant",
            "共 5 集，已播出 3 集",
            "即將推出",
            {"出品": "青雲廣播電視臺", "總策劃": "周建平"},
        ),
    ],
)
def test_series_lists_episodes_in_order_and_announces_the_rest(
    client, tree, language, count, upcoming, credits
):
    soup = get(client, language, "qingyun/series/")
    assert text(soup.select_one(".series-count")) == count
    items = soup.select("ol.episodes > li")
    assert [text(li.select_one(".episode-number")) for li in items] == [
        f"第 {n} 集" for n in range(1, 6)
    ]
    published, planned = items[:3], items[3:]
    assert [li.a["href"] for li in published] == [
        f"/{language}/qingyun/series/ep-{n}/" for n in (1, 2, 3)
    ]
    # Planned 5, published 3: episodes 4 and 5 are announced, without a link or a title,
    # even though episode 4 exists as a draft.
    for li in planned:
        assert "episode-item--upcoming" in li["class"]
        assert li.a is None
        assert text(li.select_one(".episode-title")) == upcoming
    assert "尚未播出" not in main_text(soup)
    assert "ep-4" not in soup.decode()
    assert dl_facts(soup.select_one("section[aria-labelledby=credits-heading] dl.credits")) == (
        credits
    )
    intro = "跟随儿童主任" if language == "zh-hans" else "跟隨兒童主任"
    assert intro in text(soup.select_one("article > .body"))


@pytest.mark.django_db
def test_series_with_every_planned_episode_published_announces_nothing(client, tree):
    soup = get(client, "zh-hans", "qingyun/huifang/")
    assert text(soup.select_one(".series-count")) == "共 2 集，已播出 2 集"
    assert soup.select(".episode-item--upcoming") == []
    assert [text(a.select_one(".episode-title")) for a in soup.select("ol.episodes a")] == [
        "回访第1集",
        "回访第2集",
    ]


# --------------------------------------------------------------------------- episodes


def pager(soup):
    nav = soup.select_one("nav.pager")
    if nav is None:
        return None, None
    previous, following = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
    return (
        previous["href"] if previous else None,
        following["href"] if following else None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_episode_position_neighbours_video_credits_and_body(client, tree, language):
    soup = get(client, language, "qingyun/series/ep-2/")
    hans = language == "zh-hans"
    assert text(soup.select_one(".episode-position")) == "第 2 集 / 共 5 集"
    series_link = soup.select_one(".kicker a")
    assert series_link["href"] == f"/{language}/qingyun/series/"
    assert text(series_link) == ("童心守护系列微专题" if hans else "童心守護系列微專題")
    assert text(soup.h1) == ("一碗热饭" if hans else "一碗熱飯")
    base = f"/{language}/qingyun/series/"
    assert pager(soup) == (f"{base}ep-1/", f"{base}ep-3/")
    labels = [text(a.select_one(".pager-label")) for a in soup.select("nav.pager a")]
    assert labels == ["上一集 · 第 1 集", "下一集 · 第 3 集"]
    # Not a file a browser plays: a link to the video's page.
    assert soup.select_one("figure.video a")["href"] == "https://v.example.cn/tongxin/play?id=2"
    credits = dl_facts(soup.select_one("dl.credits"))
    assert credits == (
        {"记者": "许晓云、林涛", "摄像": "钟立", "剪辑": "唐静"}
        if hans
        else {"記者": "許曉雲、林濤", "攝像": "鍾立", "剪輯": "唐靜"}
    )
    assert ("一碗热饭的正文。" if hans else "一碗熱飯的正文。") in text(
        soup.select_one("article > .body")
    )
    assert soup.select_one(".series-end") is None


@pytest.mark.django_db
def test_first_episode_has_no_previous_and_plays_its_video(client, tree):
    soup = get(client, "zh-hans", "qingyun/series/ep-1/")
    assert text(soup.select_one(".episode-position")) == "第 1 集 / 共 5 集"
    assert pager(soup) == (None, "/zh-hans/qingyun/series/ep-2/")
    assert "上一集" not in main_text(soup)
    video = soup.select_one("figure.video video")
    assert video["src"] == "https://v.example.cn/tongxin/ep1.mp4"
    assert video.has_attr("controls")


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_last_published_episode_has_no_next_and_no_ending_while_more_are_planned(
    client, tree, language
):
    soup = get(client, language, "qingyun/series/ep-3/")
    assert text(soup.select_one(".episode-position")) == "第 3 集 / 共 5 集"
    # Episode 4 is a draft: no link to it.
    assert pager(soup) == (f"/{language}/qingyun/series/ep-2/", None)
    assert "下一集" not in main_text(soup)
    assert soup.select_one(".series-end") is None
    assert "全部播出" not in main_text(soup)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "notice", "back"),
    [
        ("zh-hans", "本系列已全部播出，共 2 集。", "返回系列页：回访两集"),
        ("zh-hant", "本系列已全部播出，共 2 集。", "返回系列頁：回訪兩集"),
    ],
)
def test_last_planned_episode_carries_the_ending_notice(client, tree, language, notice, back):
    soup = get(client, language, "qingyun/huifang/ep-2/")
    assert text(soup.select_one(".episode-position")) == "第 2 集 / 共 2 集"
    ending = soup.select_one("aside.series-end")
    assert ending is not None
    assert squeeze(text(ending.p)) == squeeze(notice)
    link = ending.select_one("a")
    assert link["href"] == f"/{language}/qingyun/huifang/"
    assert text(link) == back
    assert pager(soup) == (f"/{language}/qingyun/huifang/ep-1/", None)


@pytest.mark.django_db
def test_other_episodes_of_a_finished_series_carry_no_ending_notice(client, tree):
    soup = get(client, "zh-hans", "qingyun/huifang/ep-1/")
    assert soup.select_one(".series-end") is None
    assert pager(soup) == (None, "/zh-hans/qingyun/huifang/ep-2/")


# --------------------------------------------------------------------------- fund launch


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            {
                "活动日期": "2026年6月1日",
                "地点": "青云县文化艺术中心",
                "启动的基金": "童心守护基金 专款专用",
                "首批募集": "128 万元",
                "每年注入": "100 万元",
                "资金监管": "青云农村商业银行",
                "募捐组织": "青云县慈善总会",
            },
        ),
        (
            "zh-hant",
            {
                "活動日期": "2026年6月1日",
                "地點": "青雲縣文化藝術中心",
                "啟動的基金": "童心守護基金 專款專用",
                "首批募集": "128 萬元",
                "每年挹注": "100 萬元",
                "資金監管": "青雲農村商業銀行",
                "募捐組織": "青雲縣慈善總會",
            },
        ),
    ],
)
def test_fund_launch_facts(client, tree, language, expected):
    soup = get(client, language, "qingyun/fund-launch/")
    facts = dl_facts(soup.select_one("dl.facts"))
    for label, value in expected.items():
        assert facts.get(label) == value, (label, facts)
    record = facts["公开募捐备案编号" if language == "zh-hans" else "公開募捐備案編號"]
    assert record == tree.fund.record_number


@pytest.mark.django_db
def test_fund_launch_purposes_programme_figures_organizers_and_progress(client, tree):
    soup = get(client, "zh-hans", "qingyun/fund-launch/")
    purposes = section(soup, "purposes-heading")
    assert "专款专用" in text(purposes.select_one(".note"))
    assert [text(li) for li in purposes.select("li")] == ["基本生活", "医疗康复"]
    rows = [[text(td) for td in row.find_all("td")] for row in soup.select("table.programme tr")]
    rows = [row for row in rows if row]  # the header row has th cells only
    assert rows == [["09:30", "来宾签到"], ["10:00", "宣布基金正式启动"]]
    figure = soup.select_one("section[aria-labelledby=figures-heading] li.figure")
    assert squeeze(text(figure.select_one(".figure-number"))) == "23家"
    assert text(figure.select_one(".figure-label")) == "首批捐赠企业"
    assert text(figure.select_one(".figure-asof")) == "截至 2026年6月1日"
    assert dl_facts(soup.select_one("dl.organizers")) == {
        "主办": "青云县民政局",
        "承办": "青云县慈善总会",
    }
    progress = section(soup, "fund-heading")
    assert "已筹 35 万元 / 目标 100 万元 35%" in text(progress.select_one(".fund-amounts"))
    assert progress.select_one("progress")["value"] == "35"
    assert "启动仪式在县文化艺术中心举行。" in text(soup.select_one("article > .body"))


@pytest.mark.django_db
def test_fund_launch_in_traditional_converts_purposes_and_programme(client, tree):
    soup = get(client, "zh-hant", "qingyun/fund-launch/")
    purposes = section(soup, "purposes-heading")
    assert text(purposes.h2) == "資金用途"
    assert [text(li) for li in purposes.select("li")] == ["基本生活", "醫療康復"]
    assert text(soup.select_one("table.programme tbody tr td:nth-of-type(2)")) == "來賓簽到"


# --------------------------------------------------------------------------- news


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "source", "byline", "date"),
    [
        ("zh-hans", "来源：青云日报", {"记者": "许晓云、唐静", "通讯员": "周敏"}, "2026年5月29日"),
        ("zh-hant", "來源：青雲日報", {"記者": "許曉雲、唐靜", "通訊員": "周敏"}, "2026年5月29日"),
    ],
)
def test_news_page_shows_its_newsroom_metadata(client, tree, language, source, byline, date):
    soup = get(client, language, "xinwen/weixinyuan/")
    meta = soup.select_one("header.page-header .page-meta time")
    assert meta["datetime"] == "2026-05-29"
    assert text(meta) == date
    newsroom = soup.select_one(".newsroom")
    assert squeeze(text(newsroom.select_one(".news-source"))) == source
    assert newsroom.select_one(".news-source a")["href"] == (
        "https://news.example.cn/qingyun/8812.html"
    )
    assert dl_facts(newsroom.select_one("dl.credits")) == byline
    assert text(newsroom.select_one(".photo-credit")) == (
        "插画：童心编辑部" if language == "zh-hans" else "插畫：童心編輯部"
    )
    body = soup.select_one("article > .body")
    assert "431" in text(body)
    image = body.select_one("img")
    assert image["alt"] == ("插画：山坡上的房子" if language == "zh-hans" else "插畫：山坡上的房子")


@pytest.mark.django_db
def test_news_page_without_source_link_or_credits_shows_the_name_only(client, tree):
    soup = get(client, "zh-hans", "xinwen/lunxun/")
    source = soup.select_one(".news-source")
    assert squeeze(text(source)) == "来源：青云县民政局"
    assert source.a is None
    assert soup.select_one(".newsroom dl.credits") is None
    assert soup.select_one(".photo-credit") is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_news_index_lists_news_newest_first(client, tree, language):
    soup = get(client, language, "xinwen/")
    hrefs = [a["href"] for a in soup.select("main .card-title a")]
    assert [href for href in hrefs if href.startswith(f"/{language}/xinwen/")] == [
        f"/{language}/xinwen/zuixin/",  # no date: first published yesterday
        f"/{language}/xinwen/weixinyuan/",  # 2026-05-29
        f"/{language}/xinwen/lunxun/",  # 2026-03-02
    ]
    # The site-wide index also lists the campaign's own news; the campaign's index does not
    # list the site-wide news.
    campaign_news = [f"/{language}/qingyun/news/newer/", f"/{language}/qingyun/news/older/"]
    assert set(campaign_news) <= set(hrefs)
    campaign_index = get(client, language, "qingyun/news/")
    assert [a["href"] for a in campaign_index.select("main .card-title a")] == campaign_news
    dates = [t["datetime"] for t in soup.select("main .card-meta time")]
    assert dates == sorted(dates, reverse=True)
    assert "draft" not in soup.decode().split("<main", 1)[1]


# --------------------------------------------------------------------------- every page


def qr_modules_from_svg(svg):
    """Dark modules of a segno inline SVG as {(row, col)}, counted from the top-left finder
    pattern. segno draws each run of dark modules as one horizontal line: `M x y` or
    `m dx dy` moves to the run's start (y at the middle of the row), `hN` draws N modules."""
    path = svg.select_one("path[d]:not([fill])") or svg.select("path[d]")[-1]
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            start = float(a) if command == "H" else x
            end = float(a) if command == "H" else x + float(a)
            dark.update((int(y), column) for column in range(int(start), int(end)))
            x = end
    return normalise(dark)


def normalise(cells):
    top = min(row for row, _ in cells)
    left = min(column for _, column in cells)
    return {(row - top, column - left) for row, column in cells}


def encodes(svg, data):
    """Whether the QR code drawn in `svg` encodes `data`: its modules are those segno draws
    for `data` at one of the error-correction levels."""
    drawn = qr_modules_from_svg(svg)
    for error in "lmqh":
        for boost in (True, False):
            matrix = segno.make(data, error=error, micro=False, boost_error=boost).matrix
            expected = {
                (r, c) for r, row in enumerate(matrix) for c, value in enumerate(row) if value
            }
            if normalise(expected) == drawn:
                return True
    return False


_stylesheets = {}


def stylesheet(client, href):
    if href not in _stylesheets:
        response = client.get(urlsplit(href).path)
        assert response.status_code == 200, href
        content = b"".join(response.streaming_content) if response.streaming else response.content
        _stylesheets[href] = content.decode()
    return _stylesheets[href]


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_structure(client, rendered, language, name):
    path = PAGES[name]
    response, soup = rendered[language, name]
    assert soup.html["lang"] == HTML_LANG[language]

    assert len(soup.find_all("h1")) == 1, name
    assert text(soup.title)
    # Landmarks: the site header (banner), the main navigation, one main, the footer.
    body = soup.body
    assert body.find("header", class_="site-header", recursive=False)
    assert soup.select_one("header.site-header nav.site-nav[aria-label]")
    assert len(soup.find_all("main")) == 1
    assert soup.main["id"] == "main"
    assert soup.select_one("a.skip-link")["href"] == "#main"
    assert body.find("footer", class_="site-footer", recursive=False)
    # The only h1 is inside main.
    assert soup.main.find("h1")

    # Breadcrumbs: 首页 first, the page itself last, unlinked and marked current.
    crumbs = soup.select_one("nav.breadcrumbs")
    if name == "home":
        assert crumbs is None
    else:
        assert crumbs["aria-label"]
        items = crumbs.select("ol > li")
        assert items[0].a["href"] == f"/{language}/"
        assert len(items) == path.count("/") + 1
        current = items[-1].select_one("[aria-current=page]")
        assert current is not None and current.name != "a"
        assert text(current) == text(soup.h1)
        hrefs = [li.a["href"] for li in items[:-1]]
        parts = path.strip("/").split("/")
        assert hrefs == [f"/{language}/"] + [
            f"/{language}/{'/'.join(parts[:i])}/" for i in range(1, len(parts))
        ]

    # The font-size control: three buttons, wired by a script file (no inline script).
    control = soup.select_one("[data-fontsize][role=group]")
    assert [b["data-fontsize-step"] for b in control.select("button")] == ["-1", "0", "1"]
    assert any("fontsize" in s.get("src", "") for s in soup.select("script[src]"))

    # A print stylesheet: a link with media=print, or print rules in a linked stylesheet.
    sheets = [link for link in soup.select("link[href]") if "stylesheet" in link.get("rel", [])]
    assert sheets
    assert any(link.get("media") == "print" for link in sheets) or any(
        "@media print" in stylesheet(client, link["href"]) for link in sheets
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_safe(rendered, language, name):
    response, soup = rendered[language, name]
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]

    for element in soup.find_all(True):
        handlers = [attr for attr in element.attrs if attr.lower().startswith("on")]
        assert not handlers, (name, element.name, handlers)
        for attr in ("href", "src", "action", "formaction", "xlink:href"):
            value = re.sub(r"\s", "", str(element.get(attr, ""))).lower()
            assert not value.startswith("javascript:"), (name, element)
    assert all(script.get("src") for script in soup.find_all("script")), "inline script"

    for image in soup.find_all("img"):
        assert image.has_attr("alt"), (name, image)
        decorative = image.find_parent(class_="card-image") or "site-logo" in image.get("class", [])
        if not decorative:
            assert image["alt"].strip(), (name, image)


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_a_qr_code_of_its_own_absolute_url(rendered, language, name):
    soup = rendered[language, name][1]
    url = f"http://testserver/{language}/{PAGES[name]}"
    assert soup.select_one("link[rel=canonical]")["href"] == url
    svg = soup.select_one("footer .page-qr svg")
    assert svg is not None, name
    assert encodes(svg, url), (name, url)
    assert not encodes(svg, f"http://testserver/{language}/elsewhere/")
    assert text(soup.select_one("footer .page-qr figcaption"))


@pytest.mark.django_db
def test_body_images_have_alt_text_in_the_readers_script(client, tree):
    """Body images: the editor's alt text, converted like every other text."""
    for language, alt in (("zh-hans", "插画：山坡上的房子"), ("zh-hant", "插畫：山坡上的房子")):
        soup = get(client, language, "xinwen/weixinyuan/")
        assert [img["alt"] for img in soup.select("main .body img")] == [alt]


# --------------------------------------------------------------------------- site-wide indexes


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_site_wide_story_index_lists_the_campaigns_stories_too(client, tree, language):
    hrefs = [a["href"] for a in get(client, language, "gushi/").select("main .card-title a")]
    assert f"/{language}/qingyun/stories/aduo/" in hrefs
    assert f"/{language}/gushi/xiaoyu/" in hrefs
    assert f"/{language}/gushi/no-consent/" not in hrefs
    own = get(client, language, "qingyun/stories/").select("main .card-title a")
    assert [a["href"] for a in own] == [f"/{language}/qingyun/stories/aduo/"]


@pytest.mark.django_db
def test_site_wide_feeds_carry_the_campaigns_items_too(client, tree):
    stories = client.get("/zh-hans/gushi/feed/json/").json()["items"]
    assert "http://testserver/zh-hans/qingyun/stories/aduo/" in [i["url"] for i in stories]
    news = client.get("/zh-hans/xinwen/feed/json/").json()["items"]
    assert "http://testserver/zh-hans/qingyun/news/older/" in [i["url"] for i in news]


# --------------------------------------------------------------------------- QR markup


def test_qr_code_of_a_url_with_markup_characters_is_only_paths():
    from tongxin.core.tags.qr import page_qr_svg

    svg = page_qr_svg('https://tongxin.example/zh-hans/a/?q="><script>alert(1)</script>')
    assert svg.startswith('<svg aria-hidden="true"') and svg.endswith("</svg>")
    assert "script" not in svg and "alert" not in svg


def test_a_tampered_cached_qr_code_is_not_output():
    import hashlib

    from django.core.cache import cache

    from tongxin.core.tags.qr import page_qr_svg

    url = "https://tongxin.example/zh-hans/"
    key = "tongxin:qr:v1:" + hashlib.sha256(url.encode()).hexdigest()
    cache.set(key, "<svg><script>alert(1)</script></svg>")
    assert page_qr_svg(url) == ""
