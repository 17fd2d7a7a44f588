"""The donation call-to-action (capability 5): the donation block, the site-wide banner, the
funds' progress on campaign and fund-launch pages, who may approve donation hosts, and the
report of counted clicks. The click-through itself: tests/test_donate_redirect.py.
"""

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from campaigns.blocks import DonateBlock, FundChooserBlock
from campaigns.models import DonationBanner, DonationClick, DonationHost, Fund, format_amount
from campaigns.roles import ensure_fundraising_roles
from tongxin.core.formatting import yuan

from .factories import FundFactory, NewsPageFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

MARKERS = re.compile("[\ue000-\ue002]")


# --- helpers --------------------------------------------------------------------------------


def donate(fund, heading="", text="", amounts=(30, 100, 300)):
    return ("donate", {"fund": fund, "heading": heading, "text": text, "amounts": list(amounts)})


def news_with(tree, *blocks, script="hans", **kwargs):
    return NewsPageFactory(parent=tree.news_index, body=list(blocks), script=script, **kwargs)


def url_of(page, language):
    with translation.override(language):
        return page.get_url()


def fetch(client, page_or_path, language="zh-hans"):
    path = page_or_path if isinstance(page_or_path, str) else url_of(page_or_path, language)
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert not MARKERS.search(html), "origin markers must never reach a reader"
    return html


def donate_blocks(html):
    return re.findall(r'<aside class="donate(?: [^"]*)?".*?</aside>', html, re.S)


def only_block(html):
    blocks = donate_blocks(html)
    assert len(blocks) == 1, blocks
    return blocks[0]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def progress(html):
    match = re.search(r'<progress class="fund-progress" max="(\d+)" value="(\d+)"', html)
    return match and (match.group(1), match.group(2))


def banner_on(fund, **kwargs):
    site = Site.objects.get(is_default_site=True)
    values = {"enabled": True, "fund": fund, "heading": "", "text": "", **kwargs}
    banner, _ = DonationBanner.objects.update_or_create(site=site, defaults=values)
    return banner


# --- amounts and progress (Fund) -------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        (0, "0 元"),
        (30, "30 元"),
        (3500, "3,500 元"),
        (Decimal("12.5"), "12.50 元"),
        (10000, "1 万元"),
        (360000, "36 万元"),
        (1862400, "186.24 万元"),
        (35_000_000, "3,500 万元"),
        (250_000_000, "2.5 亿元"),
        (1862437, "186.24 万元"),
        (312560, "31.26 万元"),
    ],
)
def test_amounts_are_written_the_chinese_way(amount, expected):
    assert format_amount(amount) == expected == yuan(amount)


@pytest.mark.parametrize(
    "raised, target, expected",
    [
        (312560, 300000, "已筹 31.26 万元 / 目标 30 万元"),
        (5000, 300000, "已筹 0.5 万元 / 目标 30 万元"),
        (35_000_000, 250_000_000, "已筹 0.35 亿元 / 目标 2.5 亿元"),
        (800, 5000, "已筹 800 元 / 目标 5,000 元"),
    ],
)
def test_raised_and_target_share_one_unit(raised, target, expected):
    """One line never mixes 元 and 万元 (已筹 312,560 元 / 目标 30 万元 did)."""
    fund = Fund(raised=Decimal(raised), target=Decimal(target), currency="CNY")
    assert f"已筹 {fund.raised_display} / 目标 {fund.target_display}" == expected


def test_other_currencies_keep_their_code_and_exact_amount():
    assert format_amount(Decimal("360000"), "HKD") == "360,000 HKD"
    assert format_amount(Decimal("12.5"), "usd") == "12.50 USD"
    assert format_amount(None) == ""


@pytest.mark.parametrize(
    "raised, target, percent, bar",
    [
        (Decimal("0"), Decimal("1000000"), 0, 0),
        (Decimal("360000"), Decimal("1000000"), 36, 36),
        (Decimal("996000"), Decimal("1000000"), 99, 99),  # rounded down: not reached yet
        (Decimal("1000000"), Decimal("1000000"), 100, 100),
        (Decimal("1260000"), Decimal("1000000"), 126, 100),  # the bar is full, the label true
        (Decimal("360000"), None, None, None),
        (Decimal("360000"), Decimal("0"), None, None),
        (None, Decimal("1000000"), None, None),
    ],
)
def test_progress_percent_and_capped_bar(raised, target, percent, bar):
    fund = Fund(raised=raised, target=target)
    assert fund.progress_percent == percent
    assert fund.progress_bar == bar
    assert fund.has_progress is (percent is not None)


def test_disclosure_names_organization_record_number_platform_custodian_and_use():
    fund = FundFactory(
        name="童心守护基金",
        organization=OrganizationFactory(key="cszh", name="青云市慈善总会"),
        custodian=OrganizationFactory(key="bank", name="青云农商银行营业部"),
        record_number="53369900MJ5203817X26003",
        platform="腾讯公益",
        restricted=True,
        purposes=["基本生活", "教育"],
    )
    assert fund.disclosure == [
        ("募捐组织", "青云市慈善总会"),
        ("公开募捐备案编号", "53369900MJ5203817X26003"),
        ("募捐平台", "腾讯公益"),
        ("资金监管", "青云农商银行营业部"),
        ("资金用途", "专款专用，用于基本生活、教育"),
    ]
    fund.custodian, fund.restricted, fund.purposes = None, False, []
    assert [label for label, _ in fund.disclosure] == ["募捐组织", "公开募捐备案编号", "募捐平台"]


def test_donate_href_counts_the_source_page_only_when_there_is_one(site_tree):
    fund = site_tree.fund
    assert fund.donate_path == "/donate/tongxin-fund/"
    assert fund.donate_href(site_tree.news) == f"/donate/tongxin-fund/?from={site_tree.news.pk}"
    assert fund.donate_href(None) == "/donate/tongxin-fund/"
    assert fund.donate_href("not a page") == "/donate/tongxin-fund/"


# --- the donation block ----------------------------------------------------------------------


def test_block_shows_progress_amounts_button_qr_and_disclosure(client, site_tree):
    fund = site_tree.fund
    page = news_with(site_tree, donate(fund, amounts=[30, 100, 10000]))
    block = only_block(fetch(client, page))
    text = text_of(block)

    # Heading and text default to the fund's.
    assert '<h2 class="donate-heading">支持童心守护基金</h2>' in block
    assert "青云县民政局通过腾讯公益公开募捐，善款专款专用" in text
    # Progress: raised / target, the percentage, the as-of date; the bar is a <progress>.
    assert "已筹 35 万元 / 目标 100 万元 35%" in text
    as_of = fund.raised_as_of
    assert (
        f'<time datetime="{as_of:%Y-%m-%d}">{as_of.year}年{as_of.month}月{as_of.day}日</time>'
        in block
    )
    assert progress(block) == ("100", "35")
    # Suggested amounts, the counted button, the QR code of the absolute click-through URL.
    assert "建议金额： 30 元 100 元 10,000 元" in text  # one line, one unit
    assert f'href="/donate/tongxin-fund/?from={page.pk}"' in block
    assert "去腾讯公益捐款" in text
    assert '<svg aria-hidden="true" focusable="false"' in block and 'class="qr"' in block
    assert "手机扫码，去腾讯公益捐款" in text
    # The fund's platform URL itself is never on the page: every click goes through /donate/.
    assert fund.donate_url not in block
    # The disclosure.
    assert "募捐组织：青云县民政局" in text
    assert f"公开募捐备案编号：{fund.record_number}" in text
    assert "募捐平台：腾讯公益" in text
    assert f"资金监管：{fund.custodian.name}" in text
    assert "资金用途：专款专用，用于基本生活、医疗康复、教育、心理健康" in text


def test_qr_code_encodes_the_absolute_click_through_url(client, site_tree, monkeypatch):
    encoded = []
    import segno

    real_make = segno.make

    def spy(content, *args, **kwargs):
        encoded.append(content)
        return real_make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    page = news_with(site_tree, donate(site_tree.fund))
    fetch(client, page)
    assert "http://testserver/donate/tongxin-fund/" in encoded


def test_block_uses_the_editors_heading_and_text(client, site_tree):
    page = news_with(
        site_tree, donate(site_tree.fund, heading="为困境儿童尽一份力", text="一起来。", amounts=[])
    )
    block = only_block(fetch(client, page))
    assert '<h2 class="donate-heading">为困境儿童尽一份力</h2>' in block
    assert '<p class="donate-text">一起来。</p>' in block
    assert "支持童心守护基金" not in block
    assert "donate-amounts" not in block  # no suggested amounts given


def test_block_without_target_shows_raised_without_bar_or_percentage(client, site_tree):
    fund = FundFactory(key="no-target", target=None, raised=Decimal("360000"))
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    assert "已筹 36 万元" in text_of(block)
    assert "目标" not in block
    assert "<progress" not in block
    assert "%" not in text_of(block)
    assert "/donate/no-target/" in block


def test_block_without_any_amount_shows_no_progress(client, site_tree):
    fund = FundFactory(key="no-figures", target=None, raised=None, raised_as_of=None)
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    assert "已筹" not in block and "<progress" not in block
    assert "/donate/no-figures/" in block


def test_block_at_zero_percent(client, site_tree):
    fund = FundFactory(key="zero", raised=Decimal("0"), target=Decimal("3000000"))
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    assert progress(block) == ("100", "0")
    assert "已筹 0 元 / 目标 300 万元 0%" in text_of(block)


def test_block_over_one_hundred_percent_fills_the_bar_and_says_so(client, site_tree):
    fund = FundFactory(key="over", raised=Decimal("1260000"), target=Decimal("1000000"))
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    assert progress(block) == ("100", "100")
    assert "已筹 126 万元 / 目标 100 万元 126%" in text_of(block)


def test_large_amounts_in_wan(client, site_tree):
    fund = FundFactory(key="big", raised=Decimal("35000000"), target=Decimal("50000000"))
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    assert "已筹 3,500 万元 / 目标 5,000 万元 70%" in text_of(block)


def test_closed_fund_says_the_appeal_ended_without_button_qr_or_amounts(client, site_tree):
    fund = FundFactory(key="ended", status="closed")
    block = only_block(fetch(client, news_with(site_tree, donate(fund))))
    text = text_of(block)
    assert "本次募捐已结束" in text
    assert "募捐已结束" in text  # the badge
    assert "/donate/" not in block
    assert "<svg" not in block
    assert "建议金额" not in block
    # Progress and the disclosure stay.
    assert progress(block) == ("100", "35")
    assert f"公开募捐备案编号：{fund.record_number}" in text
    assert "募捐组织" in text


def test_block_whose_fund_was_deleted_renders_nothing(client, site_tree):
    fund = FundFactory(key="gone")
    page = news_with(site_tree, donate(fund))
    Fund.objects.filter(pk=fund.pk).delete()
    assert donate_blocks(fetch(client, page)) == []


def test_traditional_rendition_converts_ui_and_fund_text(client, site_tree):
    page = news_with(site_tree, donate(site_tree.fund, heading="为孩子们尽一份力"))
    block = only_block(fetch(client, page, "zh-hant"))
    text = text_of(block)
    assert "為孩子們盡一份力" in text  # the page's simplified text, converted
    assert "已募得 35 萬元 / 目標 100 萬元 35%" in text
    assert "公開募捐備案編號" in text
    assert "前往騰訊公益捐款" in text
    assert "童心守護基金" in text  # snippet text, converted
    assert "建議金額" in text
    assert 'aria-label="捐款"' in block
    assert f'href="/donate/tongxin-fund/?from={page.pk}"' in block


def test_page_written_in_traditional_keeps_its_text_and_converts_for_simplified(client, site_tree):
    page = news_with(
        site_tree,
        donate(site_tree.fund, heading="為孩子們盡一份力", text="善款專款專用。"),
        script="hant",
    )
    hant = text_of(only_block(fetch(client, page, "zh-hant")))
    assert "為孩子們盡一份力" in hant and "善款專款專用。" in hant
    assert "公開募捐備案編號" in hant
    hans = text_of(only_block(fetch(client, page, "zh-hans")))
    assert "为孩子们尽一份力" in hans and "善款专款专用。" in hans
    # The UI text is simplified to begin with and stays so in the simplified rendition.
    assert "公开募捐备案编号" in hans and "已筹 35 万元" in hans


def test_closed_fund_in_traditional(client, site_tree):
    fund = FundFactory(key="ended-hant", status="closed")
    text = text_of(only_block(fetch(client, news_with(site_tree, donate(fund)), "zh-hant")))
    assert "本次募捐已結束" in text
    assert "公開募捐備案編號" in text


def test_many_donation_blocks_cost_no_query_per_block(client, site_tree, settings):
    """Funds are loaded for all blocks at once, with organization and custodian."""
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0  # measure the render, not the page cache
    one = news_with(site_tree, donate(site_tree.fund))
    funds = [FundFactory(key=f"many-{n}") for n in range(4)]
    many = news_with(site_tree, *[donate(f) for f in funds], donate(site_tree.fund))

    def queries(page):
        fetch(client, page)  # warm the caches (site config, QR codes)
        with CaptureQueriesContext(connection) as ctx:
            html = fetch(client, page)
        return len(ctx.captured_queries), html

    count_one, _ = queries(one)
    count_many, html = queries(many)
    assert len(donate_blocks(html)) == 5
    assert count_many == count_one


def test_fund_chooser_block_loads_related_rows_and_migrates_as_a_snippet_chooser(site_tree):
    block = DonateBlock().child_blocks["fund"]
    assert isinstance(block, FundChooserBlock)
    assert block.deconstruct()[0] == "wagtail.snippets.blocks.SnippetChooserBlock"
    fund = site_tree.fund
    with CaptureQueriesContext(connection) as ctx:
        values = block.bulk_to_python([fund.pk, None, fund.pk, 999999])
        names = [(v.organization.name, v.custodian.name) for v in values if v]
    assert len(ctx.captured_queries) == 1
    assert values[1] is None and values[3] is None
    assert values[0] is not values[2] and values[0].pk == values[2].pk
    assert len(names) == 2


def test_editor_picks_the_fund_with_a_chooser(client, editor, site_tree):
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", site_tree.news_index.pk])
    response = client.get(add)
    assert response.status_code == 200
    chooser = reverse(Fund.snippet_viewset.chooser_viewset.get_url_name("choose"))
    assert chooser in response.content.decode()
    response = client.get(chooser)
    assert response.status_code == 200
    assert "童心守护基金" in response.json()["html"]


def test_donation_block_is_saved_through_the_admin(client, admin_user, site_tree):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(admin_user)
    fund = site_tree.fund
    data = nested_form_data(
        {
            "title": "一起守护",
            "slug": "yiqi",
            "script": "hans",
            "summary": "",
            "tags": "",
            "region": "",
            "date": "",
            "source_name": "",
            "source_url": "",
            "photo_credit": "",
            "byline": streamfield([]),
            "conversion_rules": streamfield([]),
            "body": streamfield(
                [
                    (
                        "donate",
                        {
                            "fund": fund.pk,
                            "heading": "",
                            "text": "",
                            "amounts": streamfield([("item", 30), ("item", 100)]),
                        },
                    )
                ]
            ),
            "action-publish": "action-publish",
        }
    )
    add = reverse("wagtailadmin_pages:add", args=["campaigns", "newspage", site_tree.news_index.pk])
    response = client.post(add, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    from campaigns.models import NewsPage

    page = NewsPage.objects.get(slug="yiqi")
    [block] = page.body
    assert block.value["fund"] == fund and list(block.value["amounts"]) == [30, 100]
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit).status_code == 200
    assert f"/donate/{fund.key}/?from={page.pk}" in fetch(client, page)


# --- campaign and fund-launch pages ----------------------------------------------------------


def test_campaign_page_shows_its_funds_progress_disclosure_and_link(client, site_tree):
    html = fetch(client, site_tree.campaign)
    section = html[html.index('id="funds-heading"') :]
    section = section[: section.index("</section>")]
    text = text_of(section)
    assert "童心守护基金" in text
    assert "已筹 35 万元 / 目标 100 万元 35%" in text
    assert progress(section) == ("100", "35")
    assert f"公开募捐备案编号：{site_tree.fund.record_number}" in text
    assert f'href="/donate/tongxin-fund/?from={site_tree.campaign.pk}"' in section


def test_campaign_page_with_a_closed_fund_has_no_donation_link(client, site_tree):
    Fund.objects.filter(pk=site_tree.fund.pk).update(status="closed")
    html = fetch(client, site_tree.campaign)
    section = html[html.index('id="funds-heading"') :]
    section = section[: section.index("</section>")]
    assert "/donate/" not in section
    assert "募捐已结束" in section
    assert "公开募捐备案编号" in section


def test_fund_launch_page_shows_the_funds_progress(client, site_tree):
    html = fetch(client, site_tree.fund_launch)
    section = html[html.index('id="fund-heading"') :]
    section = section[: section.index("</section>")]
    assert "已筹 35 万元 / 目标 100 万元 35%" in text_of(section)
    assert progress(section) == ("100", "35")
    hant = fetch(client, site_tree.fund_launch, "zh-hant")
    assert "已募得 35 萬元 / 目標 100 萬元 35%" in text_of(hant)


# --- the site-wide banner --------------------------------------------------------------------


def banner_of(html):
    return [b for b in donate_blocks(html) if "donate--banner" in b]


def test_banner_is_off_by_default(client, site_tree):
    assert banner_of(fetch(client, site_tree.home)) == []


def test_banner_shows_on_every_page_while_on(client, site_tree):
    banner_on(site_tree.fund, heading="一起守护困境儿童")
    for page in (site_tree.home, site_tree.campaign, site_tree.news):
        html = fetch(client, page)
        [banner] = banner_of(html)
        text = text_of(banner)
        assert '<p class="donate-heading">一起守护困境儿童</p>' in banner  # not an <h2> above <h1>
        assert "已筹 35 万元 / 目标 100 万元 35%" in text
        assert f'href="/donate/tongxin-fund/?from={page.pk}"' in banner
        assert "<svg" in banner
        assert f"公开募捐备案编号：{site_tree.fund.record_number}" in text
        # Below the page's title (a reader on a phone sees the title first), once.
        assert html.index("<h1") < html.index("donate--banner") or page == site_tree.home
        assert html.count("donate--banner") == 1
        # A close button, hidden until js/banner.js (loaded right after it) wires it.
        assert "data-banner-close hidden" in banner
        assert html.index("donate--banner") < html.index("/static/js/banner.js")


def test_banner_defaults_from_the_fund_and_converts_for_traditional(client, site_tree):
    banner_on(site_tree.fund)
    [banner] = banner_of(fetch(client, site_tree.home, "zh-hant"))
    text = text_of(banner)
    assert "支持童心守護基金" in text
    assert "已募得 35 萬元" in text and "公開募捐備案編號" in text
    assert 'aria-label="捐款倡議"' in banner


def test_banner_wording_is_simplified_site_text(client, site_tree):
    banner_on(site_tree.fund, heading="为孩子们尽一份力", text="善款专款专用。")
    text = text_of(banner_of(fetch(client, site_tree.home, "zh-hant"))[0])
    assert "為孩子們盡一份力" in text and "善款專款專用。" in text


def test_banner_changes_show_at_once_on_cached_pages(client, site_tree):
    assert banner_of(fetch(client, site_tree.news)) == []  # now in the page cache
    banner = banner_on(site_tree.fund)
    assert len(banner_of(fetch(client, site_tree.news))) == 1
    banner.enabled = False
    banner.save()
    assert banner_of(fetch(client, site_tree.news)) == []


def test_banner_is_hidden_when_off_without_fund_or_for_a_closed_fund(client, site_tree):
    banner = banner_on(site_tree.fund, enabled=False)
    assert banner_of(fetch(client, site_tree.home)) == []
    banner.enabled, banner.fund = True, None
    banner.save()
    assert banner_of(fetch(client, site_tree.home)) == []
    banner.fund = FundFactory(key="banner-ended", status="closed")
    banner.save()
    assert banner_of(fetch(client, site_tree.home)) == []


def test_banner_is_not_on_the_ended_appeal_page(client, site_tree):
    banner_on(site_tree.fund)
    FundFactory(key="ended-page", status="closed")
    response = client.get("/donate/ended-page/")
    assert response.status_code == 410
    assert "donate--banner" not in response.content.decode()


def test_banner_costs_one_query(client, site_tree, settings):
    settings.TONGXIN_PAGE_CACHE_SECONDS = 0  # measure the render, not the page cache
    fetch(client, site_tree.news)
    with CaptureQueriesContext(connection) as off:
        fetch(client, site_tree.news)
    banner_on(site_tree.fund)
    fetch(client, site_tree.news)
    with CaptureQueriesContext(connection) as on:
        html = fetch(client, site_tree.news)
    assert len(banner_of(html)) == 1
    assert len(on.captured_queries) == len(off.captured_queries)  # the lookup runs either way


def test_banner_needs_a_fund_to_be_switched_on(site_tree):
    site = Site.objects.get(is_default_site=True)
    with pytest.raises(ValidationError) as info:
        DonationBanner(site=site, enabled=True).full_clean()
    assert "fund" in info.value.message_dict
    DonationBanner(site=site, enabled=False).full_clean()


def test_banner_setting_is_edited_in_the_admin(client, site_tree, admin_user):
    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["campaigns", "donationbanner", site.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"enabled": "on", "fund": site_tree.fund.pk, "heading": "一起守护", "text": ""}
    )
    assert response.status_code == 302
    banner = DonationBanner.objects.get(site=site)
    assert banner.enabled and banner.fund == site_tree.fund and banner.heading == "一起守护"


# --- who may approve donation hosts ----------------------------------------------------------


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("bianji", password="x" * 20)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def fund_manager(db):
    user = get_user_model().objects.create_user("jijin", password="x" * 20)
    user.groups.add(Group.objects.get(name="基金管理员"))
    return user


def test_editor_cannot_add_or_change_a_fund(client, editor, site_tree):
    client.force_login(editor)
    response = client.post(fund_add_url(), fund_form(site_tree.organization))
    assert response.status_code in (302, 403)
    assert not Fund.objects.filter(key="chunlei").exists()


def host_add_url():
    return reverse(DonationHost.snippet_viewset.get_url_name("add"))


def fund_add_url():
    return reverse(Fund.snippet_viewset.get_url_name("add"))


def fund_form(organization, **overrides):
    data = {
        "name": "春蕾助学基金",
        "key": "chunlei",
        "organization": organization.pk,
        "custodian": "",
        "record_number": "53100000500000999A",
        "platform": "腾讯公益",
        "donate_url": "https://gongyi.qq.com/succor/detail.htm?id=999",
        "currency": "CNY",
        "target": "500000",
        "raised": "1000",
        "raised_as_of": "2026-05-01",
        "annual_commitment": "",
        "purposes": "教育",
        "status": "open",
    }
    data.update(overrides)
    return data


def test_fund_managers_edit_funds_editors_see_them_nobody_approves_hosts(db):
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="campaigns")
            .values_list("codename", flat=True)
        )

    assert {"add_fund", "change_fund", "view_fund"} <= codenames("基金管理员")
    for name in ("编辑", "责任编辑", "主编"):
        assert "view_fund" in codenames(name), name
        assert not {"add_fund", "change_fund"} & codenames(name), name
        assert {"add_organization", "change_organization"} <= codenames(name), name
    for name in ("编辑", "责任编辑", "主编", "隐私专员", "基金管理员"):
        assert not {c for c in codenames(name) if c.endswith("_donationhost")}, name
    assert {"add_donationhost", "change_donationhost"} <= codenames("站点管理员")


def test_roles_are_idempotent_and_take_host_permissions_back(db):
    editors = Group.objects.get(name="编辑")
    editors.permissions.add(Permission.objects.get(codename="add_donationhost"))
    before = None
    for _ in range(2):
        ensure_fundraising_roles()
        now = set(editors.permissions.values_list("codename", flat=True))
        assert "add_donationhost" not in now
        assert before is None or now == before
        before = now


def test_editor_cannot_add_an_approved_host(client, editor):
    client.force_login(editor)
    response = client.get(host_add_url())
    assert response.status_code in (302, 403)
    response = client.post(host_add_url(), {"host": "pay.evil.example", "note": ""})
    assert response.status_code in (302, 403)
    assert not DonationHost.objects.filter(host="pay.evil.example").exists()
    # Nor change or delete one.
    host = DonationHost.objects.create(host="gongyi.qq.com")
    edit = reverse(DonationHost.snippet_viewset.get_url_name("edit"), args=[host.pk])
    response = client.post(edit, {"host": "pay.evil.example", "note": ""})
    assert response.status_code in (302, 403)
    host.refresh_from_db()
    assert host.host == "gongyi.qq.com"
    # The menu does not offer it.
    admin_home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert host_add_url().replace("add/", "") not in admin_home


def test_administrator_adds_a_host_normalised(client, admin_user):
    client.force_login(admin_user)
    assert client.get(host_add_url()).status_code == 200
    response = client.post(host_add_url(), {"host": " Pay.Partner.Example. ", "note": "合作平台"})
    assert response.status_code == 302
    assert DonationHost.objects.filter(host="pay.partner.example").exists()


@pytest.mark.parametrize(
    "value", ["https://gongyi.qq.com/", "gongyi.qq.com/succor", "gongyi.qq.com:443", "腾讯公益"]
)
def test_a_host_must_be_a_bare_host_name(client, admin_user, value):
    client.force_login(admin_user)
    response = client.post(host_add_url(), {"host": value, "note": ""})
    assert response.status_code == 200
    assert "请只填写域名" in response.content.decode()
    assert DonationHost.objects.count() == 0


def test_fund_manager_adds_a_fund_on_an_approved_host(client, fund_manager, site_tree):
    client.force_login(fund_manager)
    response = client.post(fund_add_url(), fund_form(site_tree.organization))
    assert response.status_code == 302
    assert Fund.objects.filter(key="chunlei").exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("https://pay.evil.example/fund", "域名 pay.evil.example 不在管理员批准的募捐平台名单中"),
        ("https://gongyi.qq.com.evil.example/x", "不在管理员批准的募捐平台名单中"),
        ("https://sub.gongyi.qq.com/x", "不在管理员批准的募捐平台名单中"),
        ("http://gongyi.qq.com/succor/1", "捐款链接必须以 https:// 开头"),
        ("https://gongyi.qq.com@pay.evil.example/x", "捐款链接的域名无效"),
    ],
)
def test_fund_manager_cannot_point_a_fund_at_an_unapproved_host(
    client, fund_manager, site_tree, url, message
):
    client.force_login(fund_manager)
    response = client.post(fund_add_url(), fund_form(site_tree.organization, donate_url=url))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Fund.objects.filter(key="chunlei").exists()


def test_fund_manager_cannot_move_an_existing_fund_to_an_unapproved_host(
    client, fund_manager, site_tree
):
    client.force_login(fund_manager)
    fund = site_tree.fund
    edit = reverse(Fund.snippet_viewset.get_url_name("edit"), args=[fund.pk])
    data = fund_form(site_tree.organization, key=fund.key, donate_url="https://pay.evil.example/")
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "不在管理员批准的募捐平台名单中" in response.content.decode()
    fund.refresh_from_db()
    assert fund.donate_url.startswith("https://gongyi.qq.com/")


# --- import ----------------------------------------------------------------------------------


def import_document(tmp_path, funds, settings=None):
    document = {
        "format": "tongxin-content/1",
        "organizations": [{"key": "cszh", "name": "青云市慈善总会", "kind": "charity"}],
        "funds": funds,
    }
    if settings is not None:
        document["settings"] = settings
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fund_item(url, key="chunlei"):
    return {
        "key": key,
        "name": "春蕾助学基金",
        "organization": "cszh",
        "record_number": "53100000500000999A",
        "platform": "合作平台",
        "donate_url": url,
    }


def test_import_refuses_a_fund_on_an_unapproved_host(tmp_path, db):
    with pytest.raises(CommandError):
        import_document(tmp_path, [fund_item("https://pay.evil.example/f")])
    assert not Fund.objects.filter(key="chunlei").exists()
    assert not DonationHost.objects.filter(host="pay.evil.example").exists()


def test_import_refusal_says_which_host(tmp_path, db, capsys):
    path = tmp_path / "content.json"
    path.write_text(
        json.dumps(
            {
                "format": "tongxin-content/1",
                "organizations": [{"key": "cszh", "name": "青云市慈善总会"}],
                "funds": [fund_item("https://pay.evil.example/f")],
            }
        ),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(path), stdout=StringIO(), stderr=err)
    assert "pay.evil.example" in err.getvalue()


@pytest.mark.parametrize(
    "url", ["http://pay.partner.example/f", "https://user@pay.partner.example/f", "/donate/x/"]
)
def test_import_refuses_anything_but_https_on_a_plain_host(tmp_path, db, url):
    with pytest.raises(CommandError):
        import_document(tmp_path, [fund_item(url)], {"donation_hosts": ["pay.partner.example"]})
    assert not Fund.objects.filter(key="chunlei").exists()


def test_import_approves_hosts_from_its_settings(tmp_path, db):
    import_document(
        tmp_path,
        [fund_item("https://pay.partner.example/f")],
        {"donation_hosts": ["pay.partner.example"]},
    )
    assert DonationHost.objects.filter(host="pay.partner.example").exists()
    assert Fund.objects.get(key="chunlei").donate_url == "https://pay.partner.example/f"


def test_import_accepts_a_host_an_administrator_approved_with_settings(tmp_path, db):
    DonationHost.objects.create(host="pay.partner.example")
    import_document(tmp_path, [fund_item("https://pay.partner.example/f")], {"hant_variant": "tw"})
    assert Fund.objects.filter(key="chunlei").exists()


def test_import_accepts_a_host_an_administrator_approved(tmp_path, db):
    DonationHost.objects.create(host="pay.partner.example")
    import_document(tmp_path, [fund_item("https://pay.partner.example/f")])
    assert Fund.objects.filter(key="chunlei").exists()


# --- the report ------------------------------------------------------------------------------


@pytest.fixture
def clicks(site_tree):
    today = timezone.localdate()
    other = FundFactory(key="chunji", name="春季助学")
    rows = [
        DonationClick(fund=site_tree.fund, day=today, source_page=site_tree.news, count=7),
        DonationClick(fund=site_tree.fund, day=today, source_page=None, count=2),
        DonationClick(
            fund=site_tree.fund,
            day=today - datetime.timedelta(days=10),
            source_page=site_tree.campaign,
            count=5,
        ),
        DonationClick(fund=other, day=today, source_page=site_tree.campaign, count=3),
    ]
    DonationClick.objects.bulk_create(rows)
    return site_tree, other, today


REPORT = "campaigns_donation_clicks"


def report_rows(response):
    html = response.content.decode()
    table = re.search(r'<table class="listing.*?</table>', html, re.S)
    body = re.search(r"<tbody.*?</tbody>", table.group(0), re.S).group(0) if table else ""
    return [text_of(row).strip() for row in re.findall(r"<tr.*?</tr>", body, re.S)]


def test_report_lists_counts_per_fund_day_and_source_page(client, admin_user, clicks):
    tree, other, today = clicks
    client.force_login(admin_user)
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    html = response.content.decode()
    assert "捐款点击统计" in html
    rows = report_rows(response)
    assert len(rows) == 4
    assert f"童心守护基金 {today.isoformat()} {tree.news.title} 7" in rows
    assert f"童心守护基金 {today.isoformat()} （无来源页面：扫码或直接访问） 2" in rows
    assert f"春季助学 {today.isoformat()} {tree.campaign.title} 3" in rows
    assert re.search(r'class="donation-clicks-total">17<', html)


def test_report_filters_by_fund_and_date_range(client, admin_user, clicks):
    tree, other, today = clicks
    client.force_login(admin_user)
    rows = report_rows(client.get(reverse(REPORT), {"fund": other.pk}))
    assert rows == [f"春季助学 {today.isoformat()} {tree.campaign.title} 3"]
    since = (today - datetime.timedelta(days=3)).isoformat()
    response = client.get(reverse(REPORT), {"fund": tree.fund.pk, "day_from": since})
    rows = report_rows(response)
    assert len(rows) == 2 and all(today.isoformat() in row for row in rows)
    assert re.search(r'class="donation-clicks-total">9<', response.content.decode())
    until = (today - datetime.timedelta(days=5)).isoformat()
    rows = report_rows(client.get(reverse(REPORT), {"day_to": until}))
    assert rows == [
        f"童心守护基金 {(today - datetime.timedelta(days=10)).isoformat()} {tree.campaign.title} 5"
    ]


def test_report_exports_csv(client, admin_user, clicks):
    client.force_login(admin_user)
    response = client.get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.splitlines()[0] == "基金,日期,来源页面,点击次数"
    assert len(content.splitlines()) == 5


def test_report_is_for_those_who_may_view_funds(client, editor, clicks):
    client.force_login(editor)  # Editors may view funds
    assert client.get(reverse(REPORT)).status_code == 200
    assert reverse(REPORT) in client.get(reverse("wagtailadmin_home")).content.decode()

    nobody = get_user_model().objects.create_user("visitor", password="x" * 20)
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    assert client.get(reverse(REPORT)).status_code in (302, 403)
    assert reverse(REPORT) not in client.get(reverse("wagtailadmin_home")).content.decode()
