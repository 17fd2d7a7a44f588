"""import_content: the tongxin-content/1 format (contracts/content-format.md) into the site.

Documents are built inline; images are written with Pillow into tmp_path. Other test
modules (test_content_export) reuse `build_document`, `write_document` and `run_import`.
"""

import copy
import json
from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from campaigns.models import (
    CampaignPage,
    DonationHost,
    EpisodePage,
    Fund,
    FundLaunchEventPage,
    NewsPage,
    Organization,
    SeriesPage,
)
from stories.models import StoryIdentity, StoryPage
from tongxin.core.exif import has_identifying_metadata
from tongxin.exchange import richtext, schema
from tongxin.exchange.importer import basic_story_problems
from tongxin.exchange.site import SiteFacts, find_page
from tongxin.home.models import HomePage
from tongxin.scripts.models import ConversionRule, ScriptSettings

FAR_FUTURE = "2099-12-31"


# --- building documents ------------------------------------------------------------------


def write_jpeg(path, color, exif=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (48, 32), color)
    if exif:
        data = Image.Exif()
        data.update(exif)
        image.save(path, "JPEG", exif=data)
    else:
        image.save(path, "JPEG")
    return path


def every_block(image="images/hero.jpg"):
    return [
        {
            "type": "paragraph",
            "text": '行动<b>正式</b>启动，详见<a href="https://mzj.example.cn/a.html">通知</a>'
            "，<i>-{范小勇}-</i>。",
        },
        {"type": "heading", "text": "摸清底数"},
        {"type": "quote", "text": "一个都不能少。", "attribution": "一位儿童主任"},
        {
            "type": "figures",
            "items": [
                {"value": "3500", "unit": "万元", "label": "保障资金", "as_of": "2026-01-15"}
            ],
        },
        {
            "type": "image",
            "file": image,
            "alt": "插画：山坡上的房子",
            "caption": "主视觉",
            "credit": "插画：编辑部",
            "consent": "illustrative",
        },
        {"type": "video", "url": "https://v.example.cn/1.mp4", "caption": "宣传片"},
        {
            "type": "donate",
            "fund": "tongxin",
            "heading": "尽一份力",
            "text": "专款专用",
            "amounts": [30, 100],
        },
        {
            "type": "wishes",
            "items": [
                {"wish": "一盏台灯", "for": "小雨（化名），9 岁", "status": "claimed"},
                {"wish": "一套绘本", "for": "阿朵（化名），7 岁"},
            ],
        },
    ]


def story(path="/gushi/xiaoyu/", **changes):
    page = {
        "type": "story",
        "path": path,
        "title": "小雨的台灯",
        "summary": "小雨（化名）和奶奶住在山村里。",
        "date": "2026-04-10",
        "tags": ["童心故事"],
        "region": "云溪县",
        "pseudonym": "小雨",
        "age": 9,
        "gender": "female",
        "circumstances": ["农村留守儿童"],
        "consent": {
            "obtained_on": "2026-03-01",
            "expires_on": FAR_FUTURE,
            "scope": ["web", "partners"],
        },
        "private": {
            "real_name": "陈思琪",
            "guardians": ["陈玉兰"],
            "school": "石桥镇中心小学",
            "address": "云溪县石桥镇岩脚村",
            "notes": "父母在外务工。",
        },
        "body": [
            {"type": "paragraph", "text": "小雨的心愿是一盏台灯。"},
            {
                "type": "image",
                "file": "images/lamp.jpg",
                "alt": "插画：台灯",
                "consent": "illustrative",
            },
        ],
    }
    page.update(changes)
    return page


def build_document(tmp_path):
    """A document with every page type, every block type and every snippet kind.

    Pages are deliberately out of order (a news page before its index, the home page in
    the middle): the importer creates parents first.
    """
    write_jpeg(tmp_path / "images" / "hero.jpg", (200, 40, 40))
    write_jpeg(tmp_path / "images" / "lamp.jpg", (40, 160, 40))
    return {
        "format": "tongxin-content/1",
        "settings": {"donation_hosts": ["gongyi.qq.com"], "hant_variant": "hk"},
        "conversion_rules": [{"hans": "台账", "hant": "臺帳"}],
        "organizations": [
            {
                "key": "mzj",
                "name": "青云市民政局",
                "kind": "government",
                "url": "https://mzj.example.cn/",
                "region": "青云市",
            },
            {"key": "cszh", "name": "青云市慈善总会", "kind": "charity"},
            {"key": "bank", "name": "青云农商银行营业部", "kind": "company"},
        ],
        "funds": [
            {
                "key": "tongxin",
                "name": "童心儿童慈善基金",
                "organization": "cszh",
                "custodian": "bank",
                "record_number": "53369900MJ5203817X26003",
                "platform": "腾讯公益",
                "donate_url": "https://gongyi.qq.com/succor/detail.htm?id=1",
                "target": 5000000,
                "raised": 1862400.5,
                "raised_as_of": "2026-06-20",
                "annual_commitment": 1000000,
                "restricted": True,
                "purposes": ["基本生活", "教育"],
                "status": "open",
            }
        ],
        "pages": [
            {
                "type": "news",
                "path": "/xinwen/qidong/",
                "title": "专项行动启动",
                "date": "2026-03-02T09:30:00+08:00",
                "source": {"name": "青云日报", "url": "https://rb.example.cn/1.html"},
                "byline": [{"role": "记者", "names": ["林涛", "周敏"]}],
                "photo_credit": "插画：编辑部",
                "body": [{"type": "paragraph", "text": "3月1日，专项行动启动。"}],
            },
            {
                "type": "home",
                "path": "/",
                "title": "童心",
                "summary": "困境儿童关爱保护信息发布平台。",
                "search_description": "童心首页",
                "featured_campaign": "/camp/",
                "body": [{"type": "paragraph", "text": "欢迎。"}],
            },
            {
                "type": "campaign",
                "path": "/camp/",
                "title": "童心守护专项行动",
                "summary": "一万多名儿童纳入关爱服务。",
                "date": "2026-03-01",
                "tags": ["童心守护", "困境儿童"],
                "region": "青云市",
                "slogan": "让每一个孩子都被看见",
                "organizers": [{"org": "mzj", "role": "主办"}, {"org": "cszh", "role": "承办"}],
                "figures": [
                    {"value": "10760", "unit": "名", "label": "儿童", "as_of": "2026-05-31"}
                ],
                "funds": ["tongxin"],
                "starts_on": "2026-03-01",
                "ends_on": "2026-12-31",
                "conversion_rules": [{"hans": "范老师", "hant": "范老師"}],
                "body": every_block(),
            },
            {
                "type": "series",
                "path": "/camp/series/",
                "title": "系列微专题",
                "planned_episodes": 3,
                "credits": [{"role": "出品", "names": ["青云市民政局", "青云电视台"]}],
            },
            {
                "type": "episode",
                "path": "/camp/series/ep-2/",
                "title": "一碗热饭",
                "number": 2,
                "video_url": "https://v.example.cn/2.mp4",
                "credits": [{"role": "记者", "names": ["林涛"]}],
                "body": [{"type": "paragraph", "text": "第二集。"}],
            },
            {"type": "episode", "path": "/camp/series/ep-first/", "title": "找到每一个孩子"},
            {
                "type": "fund_launch",
                "path": "/camp/launch/",
                "title": "童心基金启动",
                "date": "2026-06-01",
                "fund": "tongxin",
                "event_date": "2026-06-01",
                "venue": "市文化艺术中心",
                "organizers": [{"org": "mzj", "role": "主办"}],
                "initial_amount": 1280000,
                "annual_commitment": 1000000.25,
                "custodian": "bank",
                "purposes": ["基本生活", "医疗康复"],
                "programme": [{"time": "10:00", "item": "宣布启动"}],
                "figures": [{"value": "23", "unit": "家", "label": "首批捐赠单位"}],
            },
            {"type": "story_index", "path": "/gushi/", "title": "童心故事"},
            story(),
            {"type": "news_index", "path": "/xinwen/", "title": "新闻动态"},
        ],
    }


def write_document(tmp_path, document, name="content.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    """Run an import that must fail; return its stderr."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_content", str(path), *args, stdout=out, stderr=err)
    assert info.value.returncode == 1
    return err.getvalue()


def site_state():
    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "organizations": Organization.objects.count(),
        "funds": Fund.objects.count(),
        "hosts": DonationHost.objects.count(),
        "rules": ConversionRule.objects.count(),
        "identities": StoryIdentity.objects.count(),
    }


def page_at(path):
    return find_page(path)


def revisions_of(path):
    return Revision.objects.filter(object_id=str(page_at(path).pk)).count()


# --- happy path ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_imports_every_page_type_snippet_and_block(tmp_path):
    path = write_document(tmp_path, build_document(tmp_path))

    out, err = run_import(path)

    assert "created 9, updated 1, unchanged 0 pages; 0 held as draft" in out
    assert err == ""
    assert ScriptSettings.load().hant_variant == "hk"
    assert DonationHost.objects.filter(host="gongyi.qq.com").exists()
    assert ConversionRule.objects.get(hans="台账").hant == "臺帳"
    fund = Fund.objects.get(key="tongxin")
    assert fund.organization.key == "cszh" and fund.custodian.key == "bank"
    assert str(fund.raised) == "1862400.50" and fund.purposes == ["基本生活", "教育"]
    assert fund.restricted and fund.status == "open" and fund.currency == "CNY"

    home = page_at("/")
    assert isinstance(home, HomePage) and home.title == "童心" and home.live
    assert home.featured_campaign.title == "童心守护专项行动"

    campaign = page_at("/camp/")
    assert isinstance(campaign, CampaignPage) and campaign.live
    assert campaign.tags == ["童心守护", "困境儿童"] and campaign.region == "青云市"
    assert [(o.organization.key, o.role) for o in campaign.organizers.all()] == [
        ("mzj", "主办"),
        ("cszh", "承办"),
    ]
    assert [f.key for f in campaign.funds.all()] == ["tongxin"]
    assert campaign.figures[0].value["label"] == "儿童"
    assert str(campaign.starts_on) == "2026-03-01"
    assert campaign.page_rules == [("范老师", "范老師")]
    # `date` is also the first publication.
    assert campaign.date.isoformat() == "2026-02-28T16:00:00+00:00"
    assert campaign.first_published_at == campaign.date

    blocks = {block.block_type: block.value for block in campaign.body}
    assert blocks["paragraph"].source == (
        '<p>行动<b>正式</b>启动，详见<a href="https://mzj.example.cn/a.html">通知</a>，'
        '<i><span data-keep="1">范小勇</span></i>。</p>'
    )
    assert blocks["heading"] == "摸清底数"
    assert blocks["quote"]["attribution"] == "一位儿童主任"
    assert blocks["figures"]["items"][0]["as_of"].isoformat() == "2026-01-15"
    assert blocks["image"]["image"].title == "hero" and blocks["image"]["consent"] == "illustrative"
    assert blocks["video"]["url"] == "https://v.example.cn/1.mp4"
    assert blocks["donate"]["fund"] == fund and list(blocks["donate"]["amounts"]) == [30, 100]
    wishes = blocks["wishes"]["items"]
    assert wishes[0]["recipient"] == "小雨（化名），9 岁" and wishes[1]["status"] == "open"

    series = page_at("/camp/series/")
    assert isinstance(series, SeriesPage) and series.planned_episodes == 3
    assert list(series.credits[0].value["names"]) == ["青云市民政局", "青云电视台"]
    # An episode without a number gets the next free one; 2 is taken by the file.
    assert page_at("/camp/series/ep-2/").number == 2
    first = page_at("/camp/series/ep-first/")
    assert isinstance(first, EpisodePage) and first.number == 1

    launch = page_at("/camp/launch/")
    assert isinstance(launch, FundLaunchEventPage) and launch.fund == fund
    assert launch.custodian.key == "bank" and str(launch.annual_commitment) == "1000000.25"
    assert launch.programme[0].value["item"] == "宣布启动"
    assert launch.purposes == ["基本生活", "医疗康复"]
    assert [o.organization.key for o in launch.organizers.all()] == ["mzj"]

    news = page_at("/xinwen/qidong/")
    assert isinstance(news, NewsPage) and news.source_name == "青云日报"
    assert list(news.byline[0].value["names"]) == ["林涛", "周敏"]
    assert news.date.isoformat() == "2026-03-02T01:30:00+00:00"

    xiaoyu = page_at("/gushi/xiaoyu/")
    assert isinstance(xiaoyu, StoryPage) and xiaoyu.live and xiaoyu.gender == "女"
    identity = StoryIdentity.objects.get(story=xiaoyu)
    assert identity.real_name == "陈思琪" and identity.guardians == ["陈玉兰"]
    assert identity.consent_web and identity.consent_partners
    assert str(identity.consent_expires_on) == FAR_FUTURE


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write_document(tmp_path, build_document(tmp_path))
    run_import(path)
    before = site_state()

    out, _ = run_import(path)

    assert "created 0, updated 0, unchanged 10 pages; 0 held as draft" in out
    assert "images: 0 added" in out
    assert site_state() == before


@pytest.mark.django_db
def test_a_changed_file_revises_only_the_changed_pages(tmp_path):
    document = build_document(tmp_path)
    run_import(write_document(tmp_path, document))
    counts = {p["path"]: revisions_of(p["path"]) for p in document["pages"]}
    document["pages"][2]["body"][1]["text"] = "摸清底数，一个都不落下"  # /camp/
    document["funds"][0]["raised"] = 2000000
    document["organizations"].append({"key": "tv", "name": "青云电视台", "kind": "media"})

    out, _ = run_import(write_document(tmp_path, document))

    assert "created 0, updated 1, unchanged 9 pages" in out
    for path, count in counts.items():
        assert revisions_of(path) == count + (path == "/camp/"), path
    assert page_at("/camp/").body[1].value == "摸清底数，一个都不落下"
    assert Fund.objects.get(key="tongxin").raised == 2000000
    assert Organization.objects.filter(key="tv").exists()


@pytest.mark.django_db
def test_images_are_stored_once_by_content(tmp_path):
    document = build_document(tmp_path)
    # The same bytes under another name, and a file carrying camera metadata.
    (tmp_path / "images" / "copy.jpg").write_bytes((tmp_path / "images" / "hero.jpg").read_bytes())
    write_jpeg(tmp_path / "images" / "phone.jpg", (1, 2, 3), exif={0x010F: "Phone", 0x0110: "X1"})
    document["pages"][2]["body"] += [
        every_block("images/copy.jpg")[4],
        every_block("images/phone.jpg")[4],
    ]
    path = write_document(tmp_path, document)

    out, _ = run_import(path)
    run_import(path)

    assert "images: 3 added" in out  # hero (= copy), lamp, phone
    assert get_image_model().objects.count() == 3
    phone = get_image_model().objects.get(title="phone")
    with phone.file.open("rb") as f:
        assert not has_identifying_metadata(f.read())


@pytest.mark.django_db
def test_live_false_keeps_a_draft_and_unpublishes_a_live_page(tmp_path):
    document = build_document(tmp_path)
    run_import(write_document(tmp_path, document))
    document["pages"][9]["live"] = False  # the news index

    out, err = run_import(write_document(tmp_path, document))

    news_index = page_at("/xinwen/")
    assert not news_index.live
    assert "pages[9] /xinwen/: unpublished: the file keeps it as a draft" in out
    before = revisions_of("/xinwen/")
    document["pages"][9]["live"] = True
    out, _ = run_import(write_document(tmp_path, document))
    assert page_at("/xinwen/").live and revisions_of("/xinwen/") == before
    assert "updated 1" in out


@pytest.mark.django_db
def test_go_live_at_in_the_future_schedules_publication(tmp_path):
    document = build_document(tmp_path)
    document["pages"].append(
        {
            "type": "news",
            "path": "/xinwen/later/",
            "title": "明年的新闻",
            "go_live_at": "2099-01-01T10:00:00+08:00",
        }
    )
    path = write_document(tmp_path, document)

    run_import(path)
    later = page_at("/xinwen/later/")
    revision = later.latest_revision

    assert not later.live
    assert revision.approved_go_live_at.isoformat() == "2099-01-01T02:00:00+00:00"
    out, _ = run_import(path)
    assert "unchanged 11 pages" in out
    assert page_at("/xinwen/later/").latest_revision == revision


# --- stories and the privacy check --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {
                "consent": {
                    "obtained_on": "2020-01-01",
                    "expires_on": "2021-01-01",
                    "scope": ["web"],
                }
            },
            "授权同意",
        ),
        ({"consent": None}, "授权同意"),
        (
            {"consent": {"obtained_on": "2020-01-01", "expires_on": FAR_FUTURE, "scope": []}},
            "授权同意",
        ),
        ({"body": [{"type": "image", "file": "images/lamp.jpg", "alt": "台灯"}]}, "图片"),
        ({"summary": "小雨的真名叫陈思琪。"}, "摘要"),
        ({"pseudonym": ""}, "no pseudonym"),
    ],
)
def test_a_story_failing_the_privacy_check_is_held_as_draft(tmp_path, changes, reason):
    document = build_document(tmp_path)
    document["pages"][8] = {k: v for k, v in story(**changes).items() if v is not None}

    out, err = run_import(write_document(tmp_path, document))

    xiaoyu = page_at("/gushi/xiaoyu/")
    assert not xiaoyu.live and xiaoyu.latest_revision is not None
    assert "1 held as draft" in out
    line = next(line for line in err.splitlines() if line.startswith("pages[8]"))
    assert line.startswith("pages[8] /gushi/xiaoyu/: held as draft: ") and reason in line
    assert "陈思琪" not in err  # the guard masks private values


@pytest.mark.django_db
def test_a_live_story_whose_consent_expired_is_unpublished_on_reimport(tmp_path):
    document = build_document(tmp_path)
    run_import(write_document(tmp_path, document))
    assert page_at("/gushi/xiaoyu/").live
    document["pages"][8]["consent"]["expires_on"] = "2021-01-01"
    document["pages"][8]["consent"]["obtained_on"] = "2020-01-01"

    out, err = run_import(write_document(tmp_path, document))

    assert not page_at("/gushi/xiaoyu/").live
    assert "held as draft" in err and "unpublished" in out


@pytest.mark.django_db
def test_strict_refuses_the_whole_file_when_a_story_would_be_held(tmp_path):
    document = build_document(tmp_path)
    document["pages"][8]["consent"]["expires_on"] = "2021-01-01"
    document["pages"][8]["consent"]["obtained_on"] = "2020-01-01"
    before = site_state()

    err = refused(write_document(tmp_path, document), "--strict")

    assert "pages[8] /gushi/xiaoyu/: held as draft" in err
    assert site_state() == before


@pytest.mark.django_db  # a new Page looks up its content type
def test_basic_story_problems_without_the_guard():
    identity = StoryIdentity(consent_web=False)
    page = StoryPage(pseudonym="小雨", body=[{"type": "image", "value": {"image": 1}}])

    problems = basic_story_problems(page, identity)

    assert problems == ["no consent", "body[0]: image has no consent (cleared or illustrative)"]


# --- refused input -------------------------------------------------------------------------


def _mutate(document, where, value):
    """Set document[where...] = value; a path like ("pages", 2, "body", 0, "text")."""
    target = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value


BAD_INPUT = [
    (("format",), "tongxin-content/2", 'format: must be "tongxin-content/1"'),
    (("pages", 7, "type"), "blog", 'pages[7] /gushi/: type: unknown page type "blog"'),
    (
        ("pages", 7, "path"),
        "/nowhere/gushi/",
        "pages[7] /nowhere/gushi/: path: parent /nowhere/ is neither in the file nor on the site",
    ),
    (
        ("pages", 8, "consent", "expires_on"),
        "2027-02-30",
        "pages[8] /gushi/xiaoyu/: consent.expires_on: not a date",
    ),
    (("pages", 2, "date"), "1 March 2026", "pages[2] /camp/: date: not a date"),
    (
        ("pages", 5, "number"),
        2,
        "pages[5] /camp/series/ep-first/: number: episode 2 of /camp/series/ is already",
    ),
    (
        ("pages", 2, "body", 6, "fund"),
        "nope",
        'pages[2] /camp/: body[6].fund: unknown fund key "nope"',
    ),
    (("pages", 2, "funds"), ["nope"], 'pages[2] /camp/: funds[0]: unknown fund key "nope"'),
    (("pages", 1, "colour"), "red", "pages[1] /: colour: unknown key"),
    (("pages", 2, "body", 1, "level"), 2, "pages[2] /camp/: body[1].level: unknown key"),
    (
        ("pages", 8, "consent", "signed_by"),
        "x",
        "pages[8] /gushi/xiaoyu/: consent.signed_by: unknown key",
    ),
    (
        ("pages", 2, "figures", 0, "source"),
        "x",
        "pages[2] /camp/: figures[0].source: unknown key",
    ),
    (("organizations", 0, "phone"), "1", "organizations[0] key=mzj: phone: unknown key"),
    (("nonsense",), 1, "nonsense: unknown key"),
    (
        ("funds", 0, "donate_url"),
        "http://gongyi.qq.com/x",
        "funds[0] key=tongxin: donate_url: must start with https://",
    ),
    (
        ("funds", 0, "donate_url"),
        "https://pay.evil.example/x",
        "funds[0] key=tongxin: donate_url: host pay.evil.example is not an approved donation host",
    ),
    (
        ("funds", 0, "organization"),
        "ghost",
        'funds[0] key=tongxin: organization: unknown organization key "ghost"',
    ),
    (
        ("pages", 2, "organizers", 0, "org"),
        "ghost",
        'pages[2] /camp/: organizers[0].org: unknown organization key "ghost"',
    ),
    (("pages", 2, "title"), 5, "pages[2] /camp/: title: not a string"),
    (("pages", 2, "title"), "  ", "pages[2] /camp/: title: must not be empty"),
    (
        ("pages", 3, "planned_episodes"),
        "3",
        "pages[3] /camp/series/: planned_episodes: not an integer",
    ),
    (("pages", 2, "go_live_at"), "tomorrow", "pages[2] /camp/: go_live_at: not a datetime"),
    (("funds", 0, "raised"), 1.234, "funds[0] key=tongxin: raised: at most two decimal places"),
    (
        ("pages", 2, "body", 0, "text"),
        "<script>alert(1)</script>",
        "pages[2] /camp/: body[0].text: <script> is not allowed",
    ),
    (
        ("pages", 2, "body", 0, "text"),
        '<a href="javascript:alert(1)">x</a>',
        'pages[2] /camp/: body[0].text: link "javascript:alert(1)" must start with https://',
    ),
    (
        ("pages", 2, "body", 0, "text"),
        '<b onclick="x">x</b>',
        "pages[2] /camp/: body[0].text: <b> takes no attributes",
    ),
    (("pages", 2, "body", 0, "text"), "<b>x", "pages[2] /camp/: body[0].text: <b> is not closed"),
    (
        ("pages", 2, "body", 4, "file"),
        "images/missing.jpg",
        "pages[2] /camp/: body[4].file: file not found: images/missing.jpg",
    ),
    (
        ("pages", 2, "body", 4, "file"),
        "../elsewhere/secret.jpg",
        "body[4].file: must be inside the JSON file's folder or the site's stored images",
    ),
    (
        ("pages", 2, "body", 3, "type"),
        "table",
        'pages[2] /camp/: body[3].type: unknown block type "table"',
    ),
    (
        ("pages", 2, "body", 4, "consent"),
        "maybe",
        "pages[2] /camp/: body[4].consent: must be one of",
    ),
    (("pages", 6, "path"), "/camp/", "pages[6] /camp/: path: duplicate of pages[2] /camp/"),
    (
        ("pages", 4, "path"),
        "/camp/ep-2/",
        "pages[4] /camp/ep-2/: type: episode pages cannot be under campaign pages",
    ),
    (("pages", 2, "path"), "camp", "pages[2] camp: path: must start and end with"),
    (("pages", 8, "gender"), "girl", "pages[8] /gushi/xiaoyu/: gender: must be one of"),
    (
        ("pages", 1, "featured_campaign"),
        "/gushi/",
        "pages[1] /: featured_campaign: /gushi/ is not a campaign page",
    ),
    (
        ("settings", "donation_hosts"),
        ["https://gongyi.qq.com/"],
        'settings.donation_hosts[0]: "https://gongyi.qq.com/" is not a host name',
    ),
]


def _changed_everywhere(document):
    """Changes a refused import must not write, next to the error under test."""
    document["pages"][2]["title"] = "新标题"
    document["organizations"].append({"key": "tv", "name": "青云电视台"})
    document["pages"].append({"type": "news", "path": "/xinwen/new/", "title": "新新闻"})
    return document


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "value", "message"), BAD_INPUT)
def test_bad_input_is_refused_whole_and_named(tmp_path, where, value, message):
    document = _changed_everywhere(build_document(tmp_path))
    _mutate(document, where, value)
    before = site_state()

    err = refused(write_document(tmp_path, document))

    assert message in err, err
    assert "Traceback" not in err
    assert site_state() == before


@pytest.mark.django_db
def test_a_refused_import_leaves_an_existing_site_as_it_was(tmp_path):
    good = build_document(tmp_path)
    run_import(write_document(tmp_path, good))
    before = site_state()
    document = _changed_everywhere(copy.deepcopy(good))
    document["funds"][0]["donate_url"] = "https://pay.evil.example/x"

    err = refused(write_document(tmp_path, document))

    assert "host pay.evil.example is not an approved donation host" in err
    assert site_state() == before
    assert page_at("/camp/").title == "童心守护专项行动"
    assert not Organization.objects.filter(key="tv").exists()


@pytest.mark.django_db
def test_a_page_of_another_type_at_a_path_is_refused(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    document = {
        "format": "tongxin-content/1",
        "pages": [{"type": "news_index", "path": "/camp/", "title": "新闻"}],
    }

    err = refused(write_document(tmp_path, document))

    assert "pages[0] /camp/: type: the site already has a campaign page at this path" in err


@pytest.mark.django_db
def test_episode_numbers_on_the_site_count_as_taken(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    document = {
        "format": "tongxin-content/1",
        "pages": [
            {"type": "episode", "path": "/camp/series/ep-3/", "title": "三", "number": 1},
            {"type": "episode", "path": "/camp/series/ep-4/", "title": "四"},
        ],
    }

    err = refused(write_document(tmp_path, document))

    assert "pages[0] /camp/series/ep-3/: number: episode 1 of /camp/series/ is already" in err
    del document["pages"][0]
    run_import(write_document(tmp_path, document))
    assert page_at("/camp/series/ep-4/").number == 3


@pytest.mark.django_db
def test_organizer_roles_may_be_written_in_traditional(tmp_path):
    run_import(write_document(tmp_path, build_document(tmp_path)))
    document = {
        "format": "tongxin-content/1",
        "pages": [
            {
                "type": "campaign",
                "path": "/songshan/",
                "title": "松山守護行動",
                "script": "hant",
                "organizers": [{"org": "mzj", "role": "主辦"}, {"org": "cszh", "role": "媒體支持"}],
            }
        ],
    }
    run_import(write_document(tmp_path, document))
    organizers = page_at("/songshan/").organizers.all()
    assert [(o.organization.key, o.role) for o in organizers] == [
        ("mzj", "主办"),
        ("cszh", "媒体支持"),
    ]
    document["pages"][0]["organizers"][0]["role"] = "贊助"
    assert 'organizers[0].role: must be one of "主办"' in refused(
        write_document(tmp_path, document)
    )


@pytest.mark.django_db
def test_a_donation_host_approved_on_the_site_needs_no_settings_in_the_file(tmp_path):
    DonationHost.objects.create(host="pay.partner.example")
    document = build_document(tmp_path)
    del document["settings"]
    document["funds"][0]["donate_url"] = "https://pay.partner.example/f"
    document["pages"] = []

    run_import(write_document(tmp_path, document))

    assert Fund.objects.get(key="tongxin").donate_url == "https://pay.partner.example/f"


@pytest.mark.django_db
def test_every_error_is_reported_not_just_the_first(tmp_path):
    document = build_document(tmp_path)
    document["pages"][2]["date"] = "yesterday"
    document["pages"][8]["age"] = 40
    document["funds"][0]["status"] = "paused"

    err = refused(write_document(tmp_path, document))

    assert "pages[2] /camp/: date: not a date" in err
    assert "pages[8] /gushi/xiaoyu/: age: must be at most 25" in err
    assert 'funds[0] key=tongxin: status: must be one of "open", "closed"' in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "tongxin-content/1",\n  "pages": [}', "invalid JSON at line 2 column 13"),
        (b"[1, 2]", "the document must be a JSON object"),
        (b'{"format": "tongxin-content/1", "format": "x"}', "format: duplicate key"),
        (b"\xff\xfe{}", "is not UTF-8"),
        (b'{"format": "tongxin-content/1", "pages": [NaN]}', "NaN is not a number JSON allows"),
    ],
)
def test_unreadable_documents_are_refused_without_traceback(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as info:
        call_command("import_content", str(path), stdout=out, stderr=err)

    assert message in str(info.value) + err.getvalue()


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read .*missing.json"):
        call_command("import_content", str(tmp_path / "missing.json"), stdout=StringIO())


def test_the_command_line_exits_1_without_a_traceback(tmp_path, capsys):
    # No database needed: the file is refused before the site is read.
    path = tmp_path / "bad.json"
    path.write_text('{"format": ', encoding="utf-8")

    with pytest.raises(SystemExit) as info:
        execute_from_command_line(["manage.py", "import_content", str(path)])

    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "invalid JSON at line 1 column 12" in err and "Traceback" not in err


@pytest.mark.django_db
def test_dry_run_writes_nothing_not_even_image_files(tmp_path):
    document = build_document(tmp_path)
    storage = get_image_model()._meta.get_field("file").storage
    _, files_before = (
        storage.listdir("original_images") if storage.exists("original_images") else ([], [])
    )
    before = site_state()

    out, _ = run_import(write_document(tmp_path, document), "--dry-run")

    assert "created 9, updated 1, unchanged 0 pages" in out
    assert "dry run: nothing was written" in out
    assert site_state() == before
    _, files_after = (
        storage.listdir("original_images") if storage.exists("original_images") else ([], [])
    )
    assert sorted(files_after) == sorted(files_before)


# --- pure parts ----------------------------------------------------------------------------


def test_schema_checks_a_document_without_a_database(tmp_path):
    document = build_document(tmp_path)
    document["pages"][8]["consent"]["expires_on"] = "soon"

    errors = schema.errors(document, tmp_path, SiteFacts())

    assert errors == ["pages[8] /gushi/xiaoyu/: consent.expires_on: not a date"]


def test_paragraph_html_is_canonicalised():
    canonical, problems = richtext.clean_paragraph(
        "A &amp; <B>b</B> <a href='mailto:x@y.cn'>m</a> > \"q\""
    )

    assert problems == []
    assert canonical == 'A &amp; <b>b</b> <a href="mailto:x@y.cn">m</a> &gt; "q"'
    assert richtext.from_storage(richtext.to_storage(canonical)) == [canonical]


def test_rich_text_written_in_the_admin_reads_back_as_paragraphs():
    stored = (
        '<p data-block-key="a1">一<strong>二</strong><span data-keep="1">范小勇</span></p>'
        '<p data-block-key="b2">三<br/>四 <a href="https://x.cn/">链</a></p><p></p>'
    )

    assert richtext.from_storage(stored) == [
        "一<b>二</b>-{范小勇}-",
        '三\n四 <a href="https://x.cn/">链</a>',
    ]


def _all_places(value, where=()):
    """Every path of keys inside a JSON value, depth first; of a list's items only the first,
    except in `pages` and `body`, whose items differ in kind."""
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value if where[-1:] in (("pages",), ("body",)) else value[:1]))
    else:
        return
    for key, item in items:
        yield (*where, key)
        yield from _all_places(item, (*where, key))


def test_no_value_of_the_wrong_type_anywhere_crashes_the_validator(tmp_path):
    document = build_document(tmp_path)
    for where in list(_all_places(document)):
        parent = document
        for key in where[:-1]:
            parent = parent[key]
        original = parent[where[-1]]
        for wrong in (7, [None], {"k": 1}, None):
            parent[where[-1]] = wrong
            # Some are even valid (age 7, null for an optional key); none may crash.
            assert isinstance(schema.errors(document, tmp_path, SiteFacts()), list)
        parent[where[-1]] = original


def limited_fields(block, key_path):
    """(format key path, max_length) of every text field with a limit, walked from `block`."""
    from wagtail import blocks as wagtail_blocks

    if isinstance(block, wagtail_blocks.StructBlock):
        renamed = getattr(block.meta, "exchange_names", None) or {}
        for name, child in block.child_blocks.items():
            yield from limited_fields(child, (*key_path, renamed.get(name, name)))
    elif isinstance(block, wagtail_blocks.ListBlock):
        yield from limited_fields(block.child_block, (*key_path, 0))
    elif (
        isinstance(block, (wagtail_blocks.CharBlock, wagtail_blocks.TextBlock))
        and block.field.max_length
    ):
        yield key_path, block.field.max_length


@pytest.mark.django_db
def test_every_block_field_limit_comes_from_the_block_definition(tmp_path):
    """A limit declared on a block (tongxin.core.blocks, campaigns.blocks) is the limit the
    importer applies, field by field, named exactly: nothing repeats it elsewhere."""
    from tongxin.exchange.blocks import body_blocks

    document = build_document(tmp_path)
    body = document["pages"][2]["body"]
    index = {block["type"]: i for i, block in enumerate(body)}
    expected = []
    for block_type, block in body_blocks().items():
        for key_path, limit in limited_fields(block, ()):
            target = body[index[block_type]]
            for key in key_path[:-1]:
                target = target[key]
            target[key_path[-1]] = "字" * (limit + 1)
            where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key_path)
            expected.append(
                f"pages[2] /camp/: body[{index[block_type]}]{where}: longer than {limit} characters"
            )
    assert len(expected) >= 8  # figures, image, video, donate and wishes fields
    err = refused(write_document(tmp_path, document))
    for message in expected:
        assert message in err, (message, err)
