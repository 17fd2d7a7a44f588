"""Whatever a person types reaches no surface as markup, and reaches every surface intact.

A whole site (every page type, every snippet the pages show, the donation banner) is built
with every text field, and every field of every block type the page models' StreamFields
define, holding markup and the characters HTML gives meaning to. The block values come from
the block definitions themselves, so a new block type or field is covered without editing
this file (and an unknown kind of field fails here until it is given a hostile value).

Every surface is then read as an outside checker would, in both scripts: each page, each
feed (RSS, Atom and JSON Feed, parsed; HTML-bearing parts parsed again as HTML), each embed,
oEmbed (JSON `html` parsed as HTML; `title` and `author_name` are plain text), search
results, the sitemap and the donation pages. No element or attribute may come from the
typed text, nothing may be escaped twice, and plain-text fields carry the text as typed.
"""

import base64
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django.utils.html import escape
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Site
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from campaigns.models import (
    CampaignOrganizer,
    CampaignPage,
    DonationBanner,
    EpisodePage,
    FundLaunchEventPage,
    FundLaunchOrganizer,
    NewsIndexPage,
    NewsPage,
    SeriesPage,
)
from stories.models import StoryIndexPage, StoryPage
from tongxin.home.models import HomePage
from tongxin.scripts.convert import ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP
from tongxin.scripts.models import ConversionRule

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
    StoryIdentityFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
)
from .sitemap_urls import sitemap_files

SCRIPTS = ("zh-hans", "zh-hant")
# Longest first: a field gets the longest that fits beside its token.
PAYLOADS = (
    "<img src=x onerror=alert(1)>\"quotes' & ampersands<script>alert(2)</script>",
    "<img src=x onerror=alert(1)>\"q' & a",
    "<svg onload=a()>",
    "<b onclick=a>&",
)
# Typed into every text field: a token (ASCII, so neither rendition converts it) naming the
# field, a word search can find, then the payload.
WORD = "儿童"
HOSTILE_URL = "https://news.example.cn/a?b=\"'><svg/onload=alert(3)>&c=1"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_MODELS = (
    HomePage,
    CampaignPage,
    SeriesPage,
    EpisodePage,
    FundLaunchEventPage,
    NewsIndexPage,
    NewsPage,
    StoryIndexPage,
    StoryPage,
)
# Page fields that are not text a person types for readers.
# Fields no public surface shows (a label test: anything else typed must show somewhere).
NOT_SHOWN = {
    "Organization.public_phone",  # for the privacy check only
    "Image.title",  # the image block's own alt text is what readers get
    "HomePage.summary",  # the home page's description is the site's
    *(
        f"{model}.{name}"
        for model in ("HomePage", "NewsIndexPage", "StoryIndexPage")
        for name in ("region", "tags[0]", "tags[1]")
    ),
    "CampaignPage.region",
}
NOT_TYPED = {"path", "url_path", "draft_title", "slug", "script", "gender", "translation_key"}


class Tokens:
    """Hands out one token per field and remembers which field it names."""

    def __init__(self):
        self.fields = {}

    def text(self, where, max_length=None, word=True):
        token = f"Zq{len(self.fields):03d}x"
        self.fields[token] = where
        keep = len(self.fields) % 3 == 0  # every third field marks its payload keep-as-written
        for head in (token + WORD, token) if word else (token,):
            for payload in PAYLOADS:
                if keep and (max_length is None or len(head) + len(payload) + 4 <= max_length):
                    return f"{head}-{{{payload}}}-"
                if max_length is None or len(head) + len(payload) <= max_length:
                    return head + payload
        raise AssertionError(f"{where}: max_length {max_length} fits no payload")


def block_value(block, where, tokens, things):
    """A value for `block` with every text field hostile, derived from the definition."""
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_value(child, f"{where}.{name}", tokens, things)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, f"{where}[0]", tokens, things)]
    if isinstance(block, blocks.StreamBlock):
        return [
            (name, block_value(child, f"{where}.{name}", tokens, things))
            for name, child in block.child_blocks.items()
        ]
    if isinstance(block, blocks.RichTextBlock):
        text = escape(tokens.text(where))
        link = f'<a href="{escape(HOSTILE_URL)}">{escape(tokens.text(where + " link"))}</a>'
        return RichText(f"<p>{text}</p><p>{link}</p>")
    if isinstance(block, ImageChooserBlock):
        return things["image"]
    if isinstance(block, SnippetChooserBlock):
        return things[block.model_class._meta.model_name]
    if isinstance(block, blocks.URLBlock):
        return "https://video.example.cn/a.mp4"
    if isinstance(block, blocks.ChoiceBlock):
        return block.field.choices[-1][0] or block.field.choices[0][0]
    if isinstance(block, blocks.DateBlock):
        return timezone.localdate()
    if isinstance(block, blocks.IntegerBlock):
        return 100
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return tokens.text(where, block.field.max_length)
    raise AssertionError(f"{where}: no hostile value for {type(block).__name__}; add one")


def stream_value(field, model_name, tokens, things):
    """Every block type of a StreamField, once each."""
    return [
        (name, block_value(child, f"{model_name}.{field.name}.{name}", tokens, things))
        for name, child in field.stream_block.child_blocks.items()
    ]


def page_fields(model, tokens, things):
    """Every typed text field of a page model (Wagtail's title, SEO title and search
    description included), and every StreamField, hostile."""
    values = {}
    name = model.__name__
    for field in model._meta.concrete_fields:
        where = f"{name}.{field.name}"
        if field.name in NOT_TYPED or field.choices:
            continue
        if isinstance(field, StreamField):
            if field.name != "conversion_rules":
                values[field.name] = stream_value(field, name, tokens, things)
        elif isinstance(field, models.URLField):
            values[field.name] = HOSTILE_URL if field.name == "source_url" else things["video"]
        elif type(field).__name__ == "StringListField":
            values[field.name] = [tokens.text(f"{where}[0]", 100), tokens.text(f"{where}[1]", 100)]
        elif isinstance(field, (models.CharField, models.TextField)):
            values[field.name] = tokens.text(where, field.max_length)
    return values


def all_stream_block_types():
    """(model, field, block name) of every block type every page model's StreamFields offer."""
    found = set()
    for model in PAGE_MODELS:
        for field in model._meta.concrete_fields:
            if isinstance(field, StreamField):
                for block_name in field.stream_block.child_blocks:
                    found.add((model.__name__, field.name, block_name))
    return found


@pytest.fixture
def hostile_site(db):
    tokens = Tokens()
    organization = OrganizationFactory(
        key="hostile-org",
        name=tokens.text("Organization.name", 200),
        region=tokens.text("Organization.region", 100),
        public_phone=tokens.text("Organization.public_phone", 200),
        url=HOSTILE_URL,
    )
    custodian = OrganizationFactory(key="hostile-custodian", name=tokens.text("custodian.name"))
    fund = FundFactory(
        key="hostile-fund",
        name=tokens.text("Fund.name", 200),
        organization=organization,
        custodian=custodian,
        record_number=tokens.text("Fund.record_number", 80),
        platform=tokens.text("Fund.platform", 120),
        purposes=[tokens.text("Fund.purposes[0]", 100)],
    )
    closed = FundFactory(
        key="hostile-closed", name=tokens.text("closed Fund.name", 200), status="closed"
    )
    image = ImageFactory(title=tokens.text("Image.title", 255))
    things = {"image": image, "fund": fund, "video": "https://video.example.cn/a.mp4"}

    home = HomePageFactory()
    for name, value in page_fields(HomePage, tokens, things).items():
        setattr(home, name, value)
    home.save()

    def make(factory, model, parent, slug, **extra):
        values = page_fields(model, tokens, things)
        values.update(extra)
        return factory(parent=parent, slug=slug, **values)

    campaign = make(CampaignPageFactory, CampaignPage, home, "qingyun")
    CampaignOrganizer.objects.create(page=campaign, organization=organization, role="主办")
    campaign.funds.add(fund)
    series = make(SeriesPageFactory, SeriesPage, campaign, "series", planned_episodes=3)
    episodes = [make(EpisodePageFactory, EpisodePage, series, f"ep-{n}", number=n) for n in (1, 2)]
    launch = make(
        FundLaunchEventPageFactory,
        FundLaunchEventPage,
        campaign,
        "fund-launch",
        fund=fund,
        custodian=custodian,
    )
    FundLaunchOrganizer.objects.create(page=launch, organization=organization, role="主办")
    news_index = make(NewsIndexPageFactory, NewsIndexPage, home, "xinwen")
    # Written in traditional characters: the simplified rendition converts it the other way.
    news = make(NewsPageFactory, NewsPage, news_index, "hostile", script="hant")
    story_index = make(StoryIndexPageFactory, StoryIndexPage, home, "gushi")
    story = make(StoryPageFactory, StoryPage, story_index, "hostile-story", identity=None)
    StoryIdentityFactory(story=story)
    site = Site.objects.get(is_default_site=True)
    DonationBanner.objects.update_or_create(
        site=site,
        defaults={
            "enabled": True,
            "fund": fund,
            "heading": tokens.text("DonationBanner.heading", 120),
            "text": tokens.text("DonationBanner.text", 500),
        },
    )
    # Conversion rules are typed too: the traditional rendition puts their text in, escaped.
    ConversionRule.objects.create(hans=WORD, hant="<img src=x onerror=alert(9)>兒童\"'&")
    story.conversion_rules = [("rule", {"hans": WORD, "hant": '<svg onload=alert(8)>&"'})]
    story.save()
    # A rule read the other way: traditional text (the news page's) shown simplified.
    ConversionRule.objects.create(hans='<svg onload=alert(7)>童心&"', hant="童心")
    news.summary += "童心"
    news.title += "童心"
    news.save()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pages = [home, campaign, series, *episodes, launch, news_index, news, story_index, story]
    return tokens, pages, {"fund": fund, "closed": closed}


# --------------------------------------------------------------------------- reading


MARKERS = {ORIGIN_HANS, ORIGIN_HANT, ORIGIN_POP}
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#x27|#39|#34);")


SVG_DATA = "data:image/svg+xml;base64,"


def svg_problems(data):
    """A generated SVG (a video's title card) must parse, and hold no script or handler."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"SVG does not parse: {error}"]
    problems = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] in ("script", "foreignObject"):
            problems.append(f"SVG <{element.tag}>")
        problems += [f"SVG {name}" for name in element.attrib if name.startswith("on")]
    return problems


class MarkupCheck(HTMLParser):
    """Reads HTML as a browser would and collects anything that came from typed text: an
    element the payloads hold, an event-handler attribute, a script holding their code; and
    any text or attribute value still holding an entity once read (escaped twice)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.twice = []
        self.text = []
        self.codes = []  # the text of <textarea>s: embed code partners paste, itself HTML
        self.element = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if value and ENTITY.search(value):
                self.twice.append(f"<{tag} {name}={value!r}>")
            if value:
                self.text.append(" " + value + " ")
            if value and value.startswith(SVG_DATA):
                self.found += svg_problems(base64.b64decode(value[len(SVG_DATA) :]))
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        if tag == "svg" and any(n == "onload" for n, _ in attrs):
            self.found.append("<svg onload>")
        self.element = tag

    def handle_endtag(self, tag):
        self.element = None

    def handle_data(self, data):
        if self.element == "script" and "alert(" in data:
            self.found.append(f"<script>{data}")
        if self.element == "textarea":
            self.codes.append(data)
        elif ENTITY.search(data):
            self.twice.append(data)
        self.text.append(data)


def read_html(markup, where):
    """The text a reader sees in `markup` (attribute values included), after checking it
    holds no typed markup and nothing escaped twice."""
    parser = MarkupCheck()
    parser.feed(markup)
    parser.close()
    assert not parser.found, f"{where}: typed markup became markup: {parser.found}"
    assert not parser.twice, f"{where}: escaped twice: {parser.twice[:3]}"
    text = "".join(parser.text)
    assert "-{" not in text and "}-" not in text, f"{where}: keep-as-written markers shown"
    assert not MARKERS & set(markup), f"{where}: origin markers left in"
    for code in parser.codes:
        read_html(code, f"{where} <textarea>")
    return "".join(parser.text)


def tokens_in(text):
    return set(re.findall(r"Zq\d{3}x", text))


def assert_plain_text(value, where):
    """A plain-text field (feed and oEmbed titles, authors, JSON Feed summaries): the typed
    text exactly, never pre-escaped (a reader would show `&lt;`)."""
    assert not re.search(r"&(?:lt|gt|amp|quot|#x27|#39);", value or ""), f"{where}: {value!r}"
    assert not MARKERS & set(value or ""), f"{where}: origin markers left in"
    assert "-{" not in (value or "") and "}-" not in (value or ""), f"{where}: {value!r}"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def page_path(page):
    return "/" + page.url_path.split("/", 2)[2] if page.url_path.count("/") > 2 else "/"


# --------------------------------------------------------------------------- tests


def test_every_block_type_of_every_page_model_gets_a_hostile_value(db):
    """The fixture's values come from the definitions: every block type is in it."""
    tokens = Tokens()
    image, fund = object(), object()
    things = {"image": image, "fund": fund, "video": "https://v.example.cn/a.mp4"}
    covered = set()
    for model in PAGE_MODELS:
        for name, value in page_fields(model, tokens, things).items():
            field = model._meta.get_field(name)
            if isinstance(field, StreamField):
                covered.update((model.__name__, name, block) for block, _ in value)
    expected = {t for t in all_stream_block_types() if t[1] != "conversion_rules"}
    assert covered == expected
    body_blocks = {block for model, field, block in covered if field == "body"}
    assert body_blocks == {
        "paragraph",
        "heading",
        "quote",
        "figures",
        "image",
        "video",
        "donate",
        "wishes",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_typed_markup_reaches_no_surface_as_markup(client, hostile_site, language):
    tokens, pages, funds = hostile_site
    seen = {}

    def saw(surface, text):
        for token in tokens_in(text):
            seen.setdefault(token, set()).add(surface)

    # Pages: the whole document (meta tags, Open Graph, menu, breadcrumbs, banner included).
    for page in pages:
        url = f"/{language}{page_path(page)}"
        text = read_html(get(client, url).content.decode(), url)
        saw(f"page {type(page).__name__}", text)
        # What was typed is what a reader reads: quotes, apostrophes and ampersands as typed.
        assert "\"quotes' & ampersands" in text, url

    # Feeds of every page that has them, parsed as XML and JSON; HTML parts parsed as HTML.
    for page in pages:
        if not isinstance(page, (HomePage, CampaignPage, SeriesPage, NewsIndexPage)) and not (
            isinstance(page, StoryIndexPage)
        ):
            continue
        base = f"/{language}{page_path(page)}feed/"
        rss = ET.fromstring(get(client, base + "rss/").content)
        for item in rss.iter("item"):
            where = f"{base}rss/ {item.findtext('link')}"
            saw("rss", read_html(item.findtext(CONTENT_NS) or "", where + " content:encoded"))
            saw("rss", read_html(item.findtext("description") or "", where + " description"))
            for plain in ("title", DC_CREATOR, "category", "source"):
                for element in item.iter(plain):
                    assert_plain_text(element.text, f"{where} {plain}")
                    saw("rss", element.text or "")
        atom = ET.fromstring(get(client, base + "atom/").content)
        for entry in atom.iter(f"{ATOM}entry"):
            where = f"{base}atom/ {entry.findtext(f'{ATOM}id')}"
            for name in ("content", "summary"):
                element = entry.find(f"{ATOM}{name}")
                if element is not None:
                    assert element.get("type") == "html", where
                    saw("atom", read_html(element.text or "", f"{where} {name}"))
            title = entry.find(f"{ATOM}title")
            assert title.get("type", "text") == "text"
            assert_plain_text(title.text, f"{where} title")
            for name in entry.iter(f"{ATOM}name"):
                assert_plain_text(name.text, f"{where} author")
        document = json.loads(get(client, base + "json/").content)
        assert_plain_text(document["title"], f"{base}json/ title")
        for item in document["items"]:
            where = f"{base}json/ {item['url']}"
            saw("json", read_html(item["content_html"], where + " content_html"))
            for plain in [item["title"], item.get("summary", "")] + [
                author["name"] for author in item.get("authors", [])
            ]:
                assert_plain_text(plain, where)
        # As a feed reader reads them (feedparser, sanitising off): what it takes for HTML
        # holds no typed markup, what it takes for text holds no entity. (This feedparser
        # reads no JSON Feed: json.loads above is how JSON readers read it.)
        for kind in ("rss", "atom"):
            response = get(client, base + kind + "/")
            parsed = feedparser.parse(response.content, sanitize_html=False)
            assert not parsed.bozo, (base + kind, parsed.get("bozo_exception"))
            for entry in [parsed.feed, *parsed.entries]:
                details = [entry.get("title_detail"), entry.get("summary_detail")]
                details.append(entry.get("subtitle_detail"))
                details += entry.get("content", []) + [
                    {"type": "text/plain", "value": author.get("name")}
                    for author in entry.get("authors", [])
                ]
                for detail in filter(None, details):
                    where = f"{base}{kind}/ feedparser {detail['type']}"
                    if detail["type"] == "text/html":
                        read_html(detail["value"], where)
                    else:
                        assert_plain_text(detail["value"], where)
        # Media RSS credits and descriptions are plain text too.
        for element in rss.iter():
            if element.tag.startswith(MEDIA) and element.text:
                assert_plain_text(element.text, f"{base}rss/ {element.tag}")

    # Embeds: the list widgets and every card.
    for page in pages:
        url = f"/{language}{page_path(page)}embed/"
        response = client.get(url)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        saw("embed", read_html(response.content.decode(), url))

    # oEmbed: `html` is markup; `title` and `author_name` are plain text.
    for page in pages:
        page_url = f"http://testserver/{language}{page_path(page)}"
        response = client.get("/oembed/", {"url": page_url, "format": "json"})
        assert response.status_code == 200, page_url
        data = response.json()
        saw("oembed", read_html(data["html"], f"oembed {page_url} html"))
        for name in ("title", "author_name", "provider_name"):
            assert_plain_text(data.get(name, ""), f"oembed {page_url} {name}")
        # The title attribute of the iframe says the typed title, escaped once.
        assert html.unescape(re.search(r'title="([^"]*)"', data["html"]).group(1)) == data["title"]

    # Search: results, excerpts, filters, the echoed query (typed markup included).
    for query in (WORD, "Zq001x", '<img src=x onerror=alert(1)>"'):
        url = f"/{language}/search/"
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        saw("search", read_html(response.content.decode(), f"{url}?q={query}"))

    # The sitemap: parsed, every file.
    for response in sitemap_files(client):
        ET.fromstring(response.content)
        assert "onerror" not in response.content.decode()

    # The donation click-through of a closed fund (its page names the fund).
    for fund in funds.values():
        response = client.get(f"/donate/{fund.key}/", HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code in (200, 410):
            saw("donate", read_html(response.content.decode(), f"/donate/{fund.key}/"))

    # Every field reached a reader somewhere; body blocks reach the page and the feed.
    hidden = {where for token, where in tokens.fields.items() if token not in seen}
    assert hidden <= NOT_SHOWN, f"never shown: {sorted(hidden - NOT_SHOWN)}"
    for token, where in tokens.fields.items():
        if ".body." in where and where.split(".")[0] in ("NewsPage", "StoryPage", "EpisodePage"):
            surfaces = seen.get(token, set())
            assert {"rss", "atom", "json"} <= surfaces, (where, surfaces)
            assert any(s.startswith("page ") for s in surfaces), (where, surfaces)


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_markup_in_the_address_is_echoed_as_text(client, hostile_site, language):
    """What a reader (or a link someone sends) puts in the query string or the path comes
    back, where it comes back at all, as text."""
    payload = PAYLOADS[0]
    pages = [
        ("/search/", {"q": payload, "type": payload, "region": payload, "campaign": payload}),
        ("/search/", {"q": WORD, "page": payload}),
        ("/gushi/", {"region": payload, "circumstance": payload, "page": payload}),
        ("/xinwen/", {"page": payload}),
        ("/qingyun/series/", {"page": payload}),
        (f"/xinwen/{payload}/", {}),
        ("/gushi/hostile-story/", {"from": payload, "utm_source": payload}),
    ]
    for path, params in pages:
        response = client.get(f"/{language}{path}", params)
        assert response.status_code in (200, 404), (path, response.status_code)
        read_html(response.content.decode(), f"{path} {params}")
    for path in ("/xinwen/feed/rss/", "/xinwen/embed/"):
        response = client.get(f"/{language}{path}", {"limit": payload})
        assert response.status_code == 400
        assert not response["Content-Type"].startswith("text/html")
    response = client.get("/oembed/", {"url": f"http://testserver/{language}/{payload}/"})
    assert response["Content-Type"] == "application/json"
    response = client.get(f"/donate/{payload}/")
    assert response.status_code == 404
    read_html(response.content.decode(), "donate")
