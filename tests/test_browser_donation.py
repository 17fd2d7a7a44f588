"""The donation block on a phone, in headless Chromium: the QR code and the button show.

Run by `make browser-test` (and .ci/run), not by `make test`: it needs Debian's chromium
(`apt-get install chromium fonts-noto-cjk`) and a live server, so xdist stays off.
"""

from pathlib import Path

import pytest
from django.utils import translation

from .browsers import launched
from .factories import FundFactory, NewsIndexPageFactory, NewsPageFactory, paragraph

pytestmark = [
    pytest.mark.browser,
    # transactional_db, so the live server's thread sees the rows; the migrated data (root
    # page, home page, site, groups) is restored for whatever runs next. Fixtures must not
    # request `transactional_db` by name: that drops serialized_rollback, and the next
    # browser test then finds no default site.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture
def donation_page(live_server):
    fund = FundFactory(key="tongxin-fund", name="童心守护基金")
    index = NewsIndexPageFactory(slug="xinwen")
    body = [
        *paragraph("正文。"),
        ("donate", {"fund": fund, "heading": "", "text": "", "amounts": [30, 100, 300]}),
    ]
    page = NewsPageFactory(parent=index, slug="donate-here", body=body)
    return page, fund


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_qr_code_and_button_are_visible_on_a_phone(browser, live_server, donation_page, language):
    page, fund = donation_page
    with translation.override(language):
        path = page.get_url()
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    errors = []
    # Nothing off this site is fetched (the platform URL is only ever a redirect target).
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = tab.goto(live_server.url + path, wait_until="load")
        assert response is not None and response.status == 200, path

        block = tab.locator("aside.donate").first
        block.scroll_into_view_if_needed()
        qr = block.locator(".donate-qr svg.qr")
        button = block.locator("a.donate-button")
        assert qr.is_visible()
        assert button.is_visible()

        # Big enough to scan and to tap, and inside the 390 px screen.
        qr_box, button_box = qr.bounding_box(), button.bounding_box()
        assert qr_box["width"] >= 100 and qr_box["height"] >= 100, qr_box
        assert button_box["height"] >= 40, button_box
        for box in (qr_box, button_box):
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px wide"

        # The button goes through the counted click-through, the progress bar is there.
        assert button.get_attribute("href") == f"/donate/{fund.key}/?from={page.pk}"
        label = "去腾讯公益捐款" if language == "zh-hans" else "前往騰訊公益捐款"
        assert button.inner_text().strip() == label
        assert block.locator("progress.fund-progress").is_visible()

        SCREENSHOTS.mkdir(exist_ok=True)
        block.screenshot(path=SCREENSHOTS / f"{language}-donate-block.png")
        assert errors == []
    finally:
        context.close()
