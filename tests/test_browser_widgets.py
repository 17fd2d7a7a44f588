"""Partner widgets as a partner's page shows them, in headless Chromium, in both scripts.

A page on another origin (http://localhost:<another port>, a second local server) frames
each widget kind with the documented embed code (the oEmbed `html`, which is what the
"嵌入本页" code shows too): the widget's content must fit the frame (nothing of it cut off,
its footer with "阅读全文" and the story's pseudonym notice in view), with and without the
optional partner-side resize script, and on a phone-wide partner column. axe-core checks
the widgets (0 serious or critical violations). Screenshots land in tests/screenshots/.

Run with `-m browser`; pass `--liveserver 127.0.0.1:PORT` to pin the Tongxin server's port.
"""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import translation

from tongxin.syndication.embeds import list_height

from .browsers import AXE, missing
from .test_browser import browser, demo  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The partner's page is served by a second local server (Chromium's local network access
# checks refuse a public page framing 127.0.0.1); `localhost` and another port: another
# origin than the Tongxin live server's 127.0.0.1. TONGXIN_PARTNER_PORT pins its port.
PARTNER_PORT = int(os.environ.get("TONGXIN_PARTNER_PORT", "0"))
SCREENSHOTS = Path(__file__).parent / "screenshots" / "widgets"
LANGUAGES = ("zh-hans", "zh-hant")
DESKTOP = {"width": 1024, "height": 1400}
PHONE = {"width": 360, "height": 1400}
# What a card may leave blank below its text when the embed code's height is used as is:
# the height is worked out from the text's length without a browser, so a little slack.
CARD_SLACK = 48

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>合作媒体</title>
<style>body {{ margin: 0; padding: 16px; font: 16px sans-serif; background: #f3f3f3; }}
article {{ max-width: 640px; }}</style>
</head><body><article><h1>合作媒体的文章</h1><p>正文……</p>
<div id="slot">{iframe}</div><p>文章继续。</p></article>{script}</body></html>"""

MEASURE = """() => {
    const main = document.querySelector("main");
    const content = main.firstElementChild;
    const widget = document.querySelector(".widget");
    const more = document.querySelector(".foot .more");
    const notice = document.querySelector(".foot span");
    const visible = (el) => {
        const box = el.getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight + 0.5;
    };
    return {
        frame: window.innerHeight,
        width: window.innerWidth,
        scroll: document.documentElement.scrollHeight,
        main: main.clientHeight,
        content: content.offsetHeight,
        needed: Math.ceil(widget.offsetHeight - main.clientHeight + content.offsetHeight),
        items: document.querySelectorAll(".items li:not(.empty)").length,
        moreVisible: visible(more),
        moreText: more.textContent.trim(),
        notice: notice.textContent.trim(),
        noticeVisible: visible(notice),
    };
}"""


def url_in(page, language):
    with translation.override(language):
        return page.get_url()


def widget_pages(demo_pages):
    """{kind: page} for every widget kind: five lists and four cards."""
    from campaigns.models import EpisodePage, FundLaunchEventPage, NewsIndexPage, NewsPage
    from stories.models import StoryIndexPage, StoryPage

    story = StoryPage.objects.live().consented("partners").first()
    return {
        "home": demo_pages["home"],
        "campaign": demo_pages["campaign"],
        "series": demo_pages["series"],
        "story_index": StoryIndexPage.objects.live().filter(depth=3).first(),
        "news_index": NewsIndexPage.objects.live().filter(depth=3).first()
        or NewsIndexPage.objects.live().first(),
        "episode": EpisodePage.objects.live().order_by("path").first(),
        "fund_launch": FundLaunchEventPage.objects.live().first(),
        "news": NewsPage.objects.live().order_by("path").first(),
        "story": story,
    }


class PartnerSite:
    """The partner's web server: answers every GET with the page it was last given."""

    def __init__(self):
        site = self
        self.html = ""

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def partner_site():
    site = PartnerSite()
    yield site
    site.stop()


class Partner:
    """A partner's page on another origin, in one browser context."""

    def __init__(self, chromium, base_url, site, viewport):
        self.base_url = base_url
        self.site = site
        self.context = chromium.new_context(viewport=viewport, device_scale_factor=1)
        self.errors = []
        self.page = self.context.new_page()
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("requestfailed", self.on_failure)

    def on_failure(self, request):
        # A lazy image still loading when the test moves to the next page is aborted.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url} {request.failure}")

    def on_console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def oembed(self, page_url):
        query = urlencode({"url": self.base_url + page_url, "format": "json"})
        response = self.context.request.get(f"{self.base_url}/oembed/?{query}")
        assert response.status == 200, page_url
        return json.loads(response.text())

    def show(self, iframe_html, resize=False):
        script = (
            f'<script src="{self.base_url}/static/js/embed-resize.js" async></script>'
            if resize
            else ""
        )
        self.site.html = PARTNER_PAGE.format(iframe=iframe_html, script=script)
        self.page.goto(f"{self.site.url}/article.html", wait_until="load")
        iframe = self.page.locator("#slot iframe")
        frame = iframe.element_handle().content_frame()
        # The frame starts as about:blank (and loads lazily): wait for the widget itself.
        frame.wait_for_url(lambda url: "/embed/" in url)
        frame.wait_for_load_state("load")
        frame.wait_for_selector("main", state="attached")
        return iframe, frame

    def close(self):
        self.context.close()


@pytest.fixture
def partner_factory(browser, live_server, partner_site):  # noqa: F811
    partners = []

    def make(viewport=DESKTOP):
        partner = Partner(browser, live_server.url, partner_site, viewport)
        partners.append(partner)
        return partner

    yield make
    for partner in partners:
        partner.close()


def assert_fits(kind, measured, where):
    assert measured["scroll"] <= measured["frame"], (where, measured)
    assert measured["content"] <= measured["main"], f"{where}: content cut off {measured}"
    assert measured["moreVisible"], (where, measured)
    if kind == "story":
        assert "化名" in measured["notice"] and measured["noticeVisible"], (where, measured)


def embed_codes(partner, pages, language):
    """(name, kind, iframe html) for every widget kind, and the lists with ?limit=3 as
    docs/partners.md says (`src` + `?limit=3`, height 82 + 81 × 3)."""
    codes = []
    for kind, page in pages.items():
        assert page is not None, f"the demo content has no live {kind} page"
        html = partner.oembed(url_in(page, language))["html"]
        codes.append((kind, kind, html))
        if kind in ("home", "campaign", "series", "story_index", "news_index"):
            limited = html.replace('embed/"', 'embed/?limit=3"').replace(
                'height="487"', f'height="{list_height(3)}"'
            )
            assert limited != html and 'height="325"' in limited
            codes.append((f"{kind}-limit3", kind, limited))
    return codes


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_widget_fits_the_documented_embed_code(partner_factory, demo, language):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = widget_pages(demo)
    partner = partner_factory()
    report = []
    for name, kind, html in embed_codes(partner, pages, language):
        iframe, frame = partner.show(html)
        measured = frame.evaluate(MEASURE)
        assert_fits(kind, measured, f"{language} {name}")
        declared = int(iframe.get_attribute("height"))
        assert measured["frame"] == declared
        blank = measured["main"] - measured["content"]
        if kind in ("episode", "fund_launch", "news", "story"):
            assert blank <= CARD_SLACK, f"{language} {name}: {blank}px blank {measured}"
        else:
            limit = 3 if name.endswith("limit3") else 5
            assert measured["items"] <= limit
            # Only the slots of items that do not exist are blank.
            assert blank <= (limit - measured["items"]) * 81 + 1, (name, measured)
        iframe.screenshot(path=SCREENSHOTS / f"{language}-{name}.png")
        report.append(f"{name}: frame {declared}, content needs {measured['needed']}")
    print(f"\n{language}: " + "; ".join(report))
    assert partner.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_resize_script_sizes_each_frame_to_its_content(partner_factory, demo, language):  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = widget_pages(demo)
    partner = partner_factory()
    for name, kind, html in embed_codes(partner, pages, language):
        iframe, frame = partner.show(html, resize=True)
        # The widget posts its height; the partner script sets the frame's height to it.
        partner.page.wait_for_function(
            "(needed) => document.querySelector('#slot iframe').clientHeight === needed",
            arg=frame.evaluate(MEASURE)["needed"],
            timeout=5000,
        )
        measured = frame.evaluate(MEASURE)
        assert_fits(kind, measured, f"{language} {name} resized")
        assert measured["main"] - measured["content"] <= 1, (name, measured)
        if name in ("story", "news_index-limit3", "story_index"):
            iframe.screenshot(path=SCREENSHOTS / f"{language}-{name}-resized.png")
    assert partner.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_widgets_fit_a_phone_wide_partner_column(partner_factory, demo, language):  # noqa: F811
    """`max-width:100%` narrows the frame on a phone; its height stays: still nothing cut."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = widget_pages(demo)
    partner = partner_factory(PHONE)
    for name, kind, html in embed_codes(partner, pages, language):
        iframe, frame = partner.show(html)
        measured = frame.evaluate(MEASURE)
        assert measured["width"] < 480
        assert_fits(kind, measured, f"{language} {name} on a phone")
        if kind in ("story", "episode", "news"):
            iframe.screenshot(path=SCREENSHOTS / f"{language}-{name}-phone.png")
    assert partner.errors == []


def test_the_resize_script_ignores_other_origins_and_other_frames(partner_factory, demo):  # noqa: F811
    partner = partner_factory()
    pages = widget_pages(demo)
    html = partner.oembed(url_in(pages["story"], "zh-hans"))["html"]
    iframe, frame = partner.show(html, resize=True)
    needed = frame.evaluate(MEASURE)["needed"]
    partner.page.wait_for_function(
        "(needed) => document.querySelector('#slot iframe').clientHeight === needed",
        arg=needed,
    )
    # The partner page itself (another origin) posts a height: nothing changes.
    partner.page.evaluate(
        "() => window.postMessage({type: 'tongxin:embed-height', height: 900}, '*')"
    )
    partner.page.wait_for_timeout(300)
    assert iframe.evaluate("el => el.clientHeight") == needed


@pytest.mark.parametrize("language", LANGUAGES)
def test_widgets_have_no_serious_accessibility_violations(browser, live_server, demo, language):  # noqa: F811
    if not AXE.is_file():
        missing(f"{AXE} is missing: run `make node` (npm ci)")
    pages = widget_pages(demo)
    # axe is injected as a script; the widget's CSP (script-src 'self') would refuse it.
    context = browser.new_context(viewport={"width": 480, "height": 600}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for kind, target in pages.items():
            for query in ("", "?limit=3") if kind in ("home", "news_index") else ("",):
                url = f"{live_server.url}{url_in(target, language)}embed/{query}"
                page.goto(url, wait_until="load")
                assert page.locator("main").count() == 1, url
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                serious = [
                    f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                if serious:
                    found[url] = serious
                # Links inside text (the footer's 童心) are told apart by more than colour.
                decoration = page.evaluate(
                    "() => getComputedStyle(document.querySelector('.foot span a'))"
                    ".textDecorationLine"
                )
                assert decoration == "underline", url
    finally:
        context.close()
    assert found == {}


def test_a_frame_set_too_low_keeps_the_footer_and_scrolls(partner_factory, demo):  # noqa: F811
    partner = partner_factory()
    html = partner.oembed(url_in(demo["campaign"], "zh-hant"))["html"]
    html = html.replace('height="487"', 'height="220"')
    iframe, frame = partner.show(html)
    measured = frame.evaluate(MEASURE)
    assert measured["frame"] == 220 and measured["content"] > measured["main"]
    assert measured["moreVisible"] and measured["scroll"] <= 220
    assert frame.evaluate("getComputedStyle(document.querySelector('main')).overflowY") == "auto"
    iframe.screenshot(path=SCREENSHOTS / "zh-hant-campaign-too-low.png")
