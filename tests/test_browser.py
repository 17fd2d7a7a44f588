"""The public pages as a reader on a phone sees them, in headless Chromium, in both scripts.

Run by `make browser-test` (and .ci/run), not by `make test`: it needs Debian's chromium
(`apt-get install chromium fonts-noto-cjk`) and a live server, so xdist stays off.
Screenshots land in tests/screenshots/ (git-ignored) for a human to look at.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.urls import re_path
from django.utils import translation
from django.views.static import serve

from tongxin import urls as project_urls

from .browsers import launched

pytestmark = [
    pytest.mark.browser,
    # Each test starts from the migrated database (root page, home page, site) again.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DEMO = Path(settings.BASE_DIR) / "site" / "demo" / "content.json"
SCREENSHOTS = Path(__file__).parent / "screenshots"
LANGUAGES = [("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant")]


def serve_media(request, path):
    # MEDIA_ROOT is read per request: the session fixture points it at a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The live server serves static files but not uploads (production leaves those to the web
# server or object storage); this URLconf adds them so images load as they would there.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture(scope="module")
def browser():
    yield from launched()


@pytest.fixture
def demo(live_server, settings):
    """The demo content of `make run`, imported into the test database."""
    if "import_content" not in get_commands():
        pytest.skip("the import_content command does not exist yet")
    settings.ROOT_URLCONF = __name__
    call_command("import_content", str(DEMO))

    from campaigns.models import CampaignPage, EpisodePage, SeriesPage
    from stories.models import StoryPage
    from tongxin.home.models import HomePage

    # A series with at least three episodes, so the middle one has both neighbours.
    series = next(
        s for s in SeriesPage.objects.live() if EpisodePage.objects.child_of(s).live().count() >= 3
    )
    return {
        "home": HomePage.objects.get(),
        "campaign": CampaignPage.objects.live().first(),
        "series": series,
        "episodes": list(EpisodePage.objects.child_of(series).live().order_by("number")),
        "story": StoryPage.objects.live().consented("web").first(),
    }


def url_in(page, language):
    with translation.override(language):
        url = page.get_url()
    assert url.startswith(f"/{language}/"), url
    return url


class Reader:
    """One phone-sized browser tab that remembers every console error and script error."""

    def __init__(self, browser, base_url):
        self.context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors = []
        self.off_site = []
        # Videos and other third-party resources must not make the test depend on the
        # network: they get an empty answer, and are listed for whoever reads a failure.
        self.context.route(lambda url: not url.startswith(base_url), self.stub_off_site)
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def stub_off_site(self, route):
        self.off_site.append(route.request.url)
        route.fulfill(status=204, body="")

    def on_console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console: {message.text} ({where or self.page.url})")

    def open(self, path):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None, path
        return response

    def close(self):
        self.context.close()


@pytest.fixture
def reader(browser, live_server):
    reader = Reader(browser, live_server.url)
    yield reader
    reader.close()


@pytest.mark.parametrize("language, html_lang", LANGUAGES)
def test_public_pages_on_a_phone(reader, demo, language, html_lang):
    SCREENSHOTS.mkdir(exist_ok=True)
    pages = {
        "home": demo["home"],
        "campaign": demo["campaign"],
        "episode": demo["episodes"][1],
        "story": demo["story"],
    }
    for name, page in pages.items():
        assert page is not None, f"the demo content has no live {name} page"
        path = url_in(page, language)
        response = reader.open(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert reader.page.locator("html").get_attribute("lang") == html_lang, path
        assert reader.page.locator("h1").count() == 1, f"{path}: expected exactly one <h1>"
        overflow = reader.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px wide"
        reader.page.screenshot(path=SCREENSHOTS / f"{language}-{name}.png", full_page=True)
    assert reader.errors == []


@pytest.mark.parametrize("language, html_lang", LANGUAGES)
def test_previous_and_next_between_episodes(reader, demo, language, html_lang):
    SCREENSHOTS.mkdir(exist_ok=True)
    episodes = demo["episodes"]
    urls = [url_in(e, language) for e in episodes]
    next_link = reader.page.locator('a[rel~="next"]')
    previous_link = reader.page.locator('a[rel~="prev"]')

    reader.open(urls[0])
    assert previous_link.count() == 0, "the first episode has no previous one"
    for expected in urls[1:]:
        next_link.first.click()
        reader.page.wait_for_load_state()
        assert reader.page.url == reader.base_url + expected
    assert next_link.count() == 0, "the last episode has no next one"
    reader.page.screenshot(path=SCREENSHOTS / f"{language}-episode-last.png", full_page=True)

    for expected in reversed(urls[:-1]):
        previous_link.first.click()
        reader.page.wait_for_load_state()
        assert reader.page.url == reader.base_url + expected
    assert reader.errors == []
