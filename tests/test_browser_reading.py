"""Reading on a phone and a desktop, in headless Chromium: every page type, both scripts,
320, 390 and 1280 px wide.

Each page: every section of the main navigation in sight (none cut off or scrolled away), no
sideways scrolling of the page, and axe-core finds no serious or critical violation. Also:
the donation banner's close button is remembered from page to page, and the 简体/繁體 switch
keeps the reader's #anchor.

axe-core comes from the repository's own dev dependency (package.json; `make node` or
`npm ci` installs it) and is injected from disk: no network. Screenshots at 320 and 390 px
go to tests/screenshots/reading/ (or $SCREENSHOTS_DIR) for a human to look at.
Run by `make browser-test` (and .ci/run), not by `make test`.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .browsers import AXE, launched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO = Path(settings.BASE_DIR) / "site" / "demo" / "content.json"
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR") or Path(__file__).parent / "screenshots" / "reading"
)
LANGUAGES = ["zh-hans", "zh-hant"]
WIDTHS = [320, 390, 1280]
CLOSED_FUND = "chunji-zhuxue-2026"
OPEN_FUND = "tongxin-fund"


def demo_paths():
    """{page type: path under the script prefix}: the first demo page of each type."""
    content = json.loads(DEMO.read_text(encoding="utf-8"))
    paths = {}
    for page in content["pages"]:
        paths.setdefault(page["type"], page["path"].lstrip("/"))
    return {
        "home": "",
        "campaign": paths["campaign"],
        "series": paths["series"],
        "episode": paths["episode"],
        "fund_launch": paths["fund_launch"],
        "news_index": paths["news_index"],
        "news": paths["news"],
        "story_index": paths["story_index"],
        "story": paths["story"],
        "search": "search/?q=儿童",
        "not_found": "no-such-page/",
    }


@pytest.fixture(scope="module")
def browser():
    yield from launched(require_axe=True)


@pytest.fixture(scope="module")
def axe_source():
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def demo(live_server, settings):
    """The demo content of `make run`, with the site-wide donation banner on."""
    settings.ROOT_URLCONF = "tests.test_browser"  # serves /media/ too
    call_command("import_content", str(DEMO))
    from wagtail.models import Site

    from campaigns.models import DonationBanner, Fund

    banner = DonationBanner.for_site(Site.objects.get(is_default_site=True))
    banner.enabled = True
    banner.fund = Fund.objects.get(key=OPEN_FUND)
    banner.save()
    return live_server.url


def new_tab(browser, base_url, width, **options):
    context = browser.new_context(
        viewport={"width": width, "height": 800 if width > 500 else 720}, **options
    )
    # Nothing off this server: videos and other third-party links get an empty answer.
    context.route(lambda url: not url.startswith(base_url), lambda route: route.fulfill(status=204))
    return context, context.new_page()


def serious_violations(tab, axe_source):
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') allows it.
        tab.evaluate(axe_source)
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def nav_problems(tab, width):
    """Nav items that are hidden, off-screen or cut short (ellipsis)."""
    return tab.evaluate(
        """(width) => [...document.querySelectorAll('.site-nav a')].flatMap(a => {
            const box = a.getBoundingClientRect();
            const problems = [];
            if (!box.width || !box.height) problems.push('hidden');
            if (box.left < 0 || box.right > width + 0.5) problems.push('off-screen');
            if (a.scrollWidth > a.clientWidth + 1) problems.push('cut');
            return problems.length ? [a.textContent.trim() + ': ' + problems.join(',')] : [];
        })""",
        width,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_fits_and_passes_axe(browser, axe_source, demo, width):
    paths = demo_paths()
    context, tab = new_tab(browser, demo, width)
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    problems = []
    try:
        for language in LANGUAGES:
            urls = {name: f"/{language}/{path}" for name, path in paths.items()}
            urls["fund"] = f"/donate/{CLOSED_FUND}/"  # an ended appeal's page
            for name, url in urls.items():
                response = tab.goto(demo + url, wait_until="load")
                expected = {"not_found": 404, "fund": 410}.get(name, 200)
                where = f"{name} {url} at {width}px"
                assert response.status == expected, f"{where}: {response.status}"
                nav = tab.locator(".site-nav a")
                assert nav.count() >= 4, f"{where}: the main navigation is missing"
                texts = " ".join(nav.all_inner_texts())
                for section in ("新闻动态", "新聞動態"), ("搜索", "搜尋", "搜索"):
                    assert any(s in texts for s in section), f"{where}: no {section[0]}"
                problems += [f"{where}: nav {p}" for p in nav_problems(tab, width)]
                overflow = tab.evaluate("document.documentElement.scrollWidth - innerWidth")
                if overflow > 0:
                    problems.append(f"{where}: scrolls sideways by {overflow}px")
                problems += [f"{where}: {v}" for v in serious_violations(tab, axe_source)]
                if width < 500:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    shot = SCREENSHOTS / f"{name}-{language}-{width}.png"
                    tab.screenshot(path=shot, full_page=True)
    finally:
        context.close()
    assert problems == []
    assert errors == []


def test_banner_close_is_remembered_and_without_javascript_it_stays(browser, demo):
    paths = demo_paths()
    context, tab = new_tab(browser, demo, 390)
    try:
        tab.goto(f"{demo}/zh-hans/{paths['news']}")
        banner = tab.locator("[data-banner]")
        assert banner.is_visible()
        close = banner.locator("[data-banner-close]")
        assert close.is_visible()
        # Below the page's title: the reader sees what the page is first.
        title_box = tab.locator("h1").bounding_box()
        assert title_box["y"] < banner.bounding_box()["y"]
        close.click()
        assert not banner.is_visible()
        assert tab.evaluate("document.cookie") == ""
        for path in (paths["campaign"], paths["story"], ""):
            tab.goto(f"{demo}/zh-hant/{path}")
            assert tab.locator("[data-banner]").count() == 1
            assert not tab.locator("[data-banner]").is_visible(), path
    finally:
        context.close()

    context, tab = new_tab(browser, demo, 390, java_script_enabled=False)
    try:
        tab.goto(f"{demo}/zh-hans/{paths['news']}")
        banner = tab.locator("[data-banner]")
        assert banner.is_visible()
        assert not banner.locator("[data-banner-close]").is_visible()  # no dead button
        # Compact: well under half of a small phone's first screen.
        assert banner.bounding_box()["height"] < 330
    finally:
        context.close()


def test_switching_script_keeps_the_anchor(browser, demo):
    paths = demo_paths()
    context, tab = new_tab(browser, demo, 390)
    try:
        # The switcher's focus ring is drawn whole: no ancestor clips it.
        tab.goto(f"{demo}/zh-hans/{paths['campaign']}")
        link = tab.locator(".switcher a[hreflang='zh-Hant']")
        link.focus()
        clipped = link.evaluate(
            """(a) => {
                const ring = a.getBoundingClientRect();
                const width = parseFloat(getComputedStyle(a).outlineWidth) || 0;
                for (let e = a.parentElement; e && e !== document.body; e = e.parentElement) {
                    const style = getComputedStyle(e);
                    if (style.overflow === 'visible' && style.overflowX === 'visible') continue;
                    const box = e.getBoundingClientRect();
                    if (ring.left - width < box.left || ring.right + width > box.right ||
                        ring.top - width < box.top || ring.bottom + width > box.bottom) {
                        return e.tagName + '.' + e.className;
                    }
                }
                return null;
            }"""
        )
        assert clipped is None, f"the switcher's focus ring is clipped by {clipped}"
        tab.goto(f"{demo}/zh-hans/{paths['campaign']}#funds-heading")
        tab.locator(".switcher a[hreflang='zh-Hant']").click()
        tab.wait_for_url(f"**/zh-hant/{paths['campaign']}#funds-heading")
        assert tab.locator("html").get_attribute("lang") == "zh-Hant"
        # An anchor followed after the page loaded counts too.
        tab.goto(f"{demo}/zh-hant/{paths['campaign']}")
        tab.evaluate("location.hash = 'organizers-heading'")
        tab.locator(".switcher a[hreflang='zh-Hans']").click()
        tab.wait_for_url(f"**/zh-hans/{paths['campaign']}#organizers-heading")
    finally:
        context.close()


def test_episode_video_waits_with_a_title_card(browser, demo):
    paths = demo_paths()
    context, tab = new_tab(browser, demo, 390)
    try:
        tab.goto(f"{demo}/zh-hant/{paths['episode']}")
        video = tab.locator("video").first
        assert video.get_attribute("preload") == "none"
        assert video.get_attribute("poster").startswith("data:image/svg+xml;base64,")
        original = tab.locator(".video-source a")
        assert original.is_visible()
        assert original.get_attribute("href") == video.get_attribute("src")
    finally:
        context.close()
