"""One source of truth: every surface escapes what people type, follows one definition of
what the public may see, and the apps import one way (issue 10).

- Markup typed into any text field or block reaches no surface as markup: pages, RSS, Atom
  and JSON feeds, embeds, oEmbed, search and the sitemap, in both scripts.
- With the clock past a page's `expire_at` or a story's consent end, and no job run, the page
  is gone from every surface at once; before that moment it is on all of them.
- No import circle between apps; core and scripts import no page app.
"""

import ast
import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.rich_text import RichText

from .factories import (
    FundFactory,
    ImageFactory,
    NewsPageFactory,
    OrganizationFactory,
    StoryIdentityFactory,
    StoryPageFactory,
    build_site_tree,
)
from .sitemap_urls import sitemap_text

PAYLOAD = "<img src=x onerror=alert(1)>\"'&<script>alert(2)</script>"
RAW_MARKUP = ("<img src=x", "<script>alert")
SCRIPTS = ("zh-hans", "zh-hant")
ROOT = Path(__file__).resolve().parent.parent
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM = "{http://www.w3.org/2005/Atom}"


def every_block(image, fund):
    """A body holding every block type, each text field carrying the payload."""
    return [
        ("paragraph", RichText(f"<p>段落{PAYLOAD.replace('&', '&amp;').replace('<', '&lt;')}</p>")),
        ("heading", f"小标题{PAYLOAD}"),
        ("quote", {"text": f"引语{PAYLOAD}", "attribution": f"出处{PAYLOAD}"}),
        (
            "figures",
            {"items": [{"value": "10760", "unit": f"名{PAYLOAD}", "label": f"说明{PAYLOAD}"}]},
        ),
        (
            "image",
            {
                "image": image,
                "alt": f"替代{PAYLOAD}",
                "caption": f"图注{PAYLOAD}",
                "credit": f"署名{PAYLOAD}",
            },
        ),
        ("video", {"url": "https://video.example.cn/a.mp4", "caption": f"视频{PAYLOAD}"}),
        ("donate", {"fund": fund, "heading": f"捐款{PAYLOAD}", "text": f"说明{PAYLOAD}"}),
        (
            "wishes",
            {
                "items": [
                    {"wish": f"心愿{PAYLOAD}", "recipient": f"心愿人{PAYLOAD}", "status": "open"}
                ]
            },
        ),
    ]


@pytest.fixture
def hostile(db):
    tree = build_site_tree()
    organization = OrganizationFactory(key="hostile-org", name=f"机构{PAYLOAD}")
    fund = FundFactory(key="hostile-fund", name=f"基金{PAYLOAD}", organization=organization)
    news = NewsPageFactory(
        parent=tree.news_index,
        slug="hostile",
        title=f"标题儿童{PAYLOAD}",
        summary=f"摘要{PAYLOAD}",
        source_name=f"来源{PAYLOAD}",
        photo_credit=f"摄影{PAYLOAD}",
        tags=[f"标签{PAYLOAD}"],
        region=f"青云县{PAYLOAD}",
        byline=[("credit", {"role": f"记者{PAYLOAD}", "names": [f"姓名{PAYLOAD}"]})],
        body=every_block(ImageFactory(), fund),
    )
    StoryPageFactory(
        parent=tree.story_index,
        slug="hostile-story",
        title=f"故事{PAYLOAD}",
        summary=f"摘要{PAYLOAD}",
        pseudonym=f"化{PAYLOAD}"[:40],
        region=f"青云县{PAYLOAD}",
        support=f"帮助{PAYLOAD}",
        circumstances=[f"困境{PAYLOAD}"],
        body=every_block(ImageFactory(), fund),
    )
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return tree, news


def assert_no_markup(text, where):
    for raw in RAW_MARKUP:
        assert raw not in text, f"{where}: unescaped {raw!r}"


def html_of_feed(kind, body):
    """The HTML-bearing parts of a feed, as a reader would feed them to an HTML parser."""
    if kind == "json":
        items = json.loads(body)["items"]
        # JSON Feed's `summary` is plain text: only `content_html` is HTML.
        return [item.get("content_html", "") for item in items]
    root = ET.fromstring(body)
    if kind == "rss":
        return [
            (item.findtext(CONTENT_NS) or "") + (item.findtext("description") or "")
            for item in root.iter("item")
        ]
    return [
        (entry.findtext(f"{ATOM}content") or "") + (entry.findtext(f"{ATOM}summary") or "")
        for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", SCRIPTS)
def test_typed_markup_is_escaped_on_every_surface(client, hostile, language):
    tree, news = hostile
    page_url = f"/{language}/xinwen/hostile/"
    page = client.get(page_url)
    assert page.status_code == 200
    assert_no_markup(page.content.decode(), page_url)
    assert "&lt;img src=x" in page.content.decode()

    story = client.get(f"/{language}/gushi/hostile-story/")
    assert story.status_code == 200
    assert_no_markup(story.content.decode(), "story page")

    for kind, url in [
        (kind, f"/{language}{index}feed/{kind}/")
        for kind in ("rss", "atom", "json")
        for index in ("/xinwen/", "/gushi/", "/")
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        parts = html_of_feed(kind, response.content)
        hostile_parts = [part for part in parts if "onerror" in part]
        assert hostile_parts, f"{url}: the hostile entry is missing"
        for part in parts:
            assert_no_markup(part, url)
        # Every block reached the feed, escaped: the labels typed in each are there (the
        # traditional rendition converts them).
        labels = ("小标题", "引语", "出处", "说明", "替代", "图注", "视频", "心愿", "捐款")
        for label in labels if language == "zh-hans" else ():
            assert any(label in part for part in hostile_parts), (url, label)

    for url in (
        f"/{language}/xinwen/embed/",
        f"/{language}/xinwen/hostile/embed/",
        f"/{language}/gushi/embed/",
        f"/{language}/gushi/hostile-story/embed/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_markup(response.content.decode(), url)

    oembed = client.get("/oembed/", {"url": f"http://testserver{page_url}", "format": "json"})
    assert oembed.status_code == 200
    data = oembed.json()
    # `title` is plain text in JSON; `html` is markup, with the title escaped in it.
    assert_no_markup(data["html"], "oembed")

    search = client.get(f"/{language}/search/", {"q": "儿童"})
    assert search.status_code == 200
    assert_no_markup(search.content.decode(), "search")
    assert "hostile" in search.content.decode()

    assert_no_markup(sitemap_text(client), "sitemap")


# --------------------------------------------------------------------------- expiry


def surfaces(client, language, path):
    """Where a page at `path` (under /xinwen/ or /gushi/) shows up, surface by surface."""
    index = "/" + path.strip("/").split("/")[0] + "/"
    found = {"own URL": client.get(f"/{language}{path}").status_code == 200}
    listing = client.get(f"/{language}{index}").content.decode()
    found["listing"] = path in listing
    found["feed"] = path in client.get(f"/{language}{index}feed/json/").content.decode()
    found["list embed"] = path in client.get(f"/{language}{index}embed/").content.decode()
    found["card embed"] = client.get(f"/{language}{path}embed/").status_code == 200
    oembed = client.get("/oembed/", {"url": f"http://testserver/{language}{path}"})
    found["oembed"] = oembed.status_code == 200
    search = client.get(f"/{language}/search/", {"q": "到期"}).content.decode()
    found["search"] = path in search
    found["sitemap"] = path in sitemap_text(client)
    return found


def assert_everywhere(client, path, present):
    for language in SCRIPTS:
        found = surfaces(client, language, path)
        wrong = [name for name, shown in found.items() if shown != present]
        state = "missing from" if present else "still on"
        assert not wrong, f"{path} {state} {wrong} ({language})"


@pytest.mark.django_db
def test_a_page_leaves_every_surface_at_its_expiry_time_without_the_job(client):
    tree = build_site_tree()
    now = timezone.now()
    NewsPageFactory(
        parent=tree.news_index,
        slug="expiring",
        title="即将到期的新闻",
        expire_at=now + datetime.timedelta(hours=2),
    )
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with time_machine.travel(now + datetime.timedelta(hours=1), tick=False):
        assert_everywhere(client, "/xinwen/expiring/", present=True)
    with time_machine.travel(now + datetime.timedelta(hours=3), tick=False):
        assert_everywhere(client, "/xinwen/expiring/", present=False)


@pytest.mark.django_db
def test_a_story_leaves_every_surface_when_its_consent_ends(client):
    tree = build_site_tree()
    today = timezone.localdate()
    story = StoryPageFactory(
        parent=tree.story_index, slug="consent-ends", title="同意书今天到期", identity=None
    )
    StoryIdentityFactory(story=story, consent_expires_on=today)
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    now = timezone.now()
    local_noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    with time_machine.travel(local_noon, tick=False):
        assert_everywhere(client, "/gushi/consent-ends/", present=True)
    tomorrow = local_noon + datetime.timedelta(days=1)
    with time_machine.travel(max(tomorrow, now + datetime.timedelta(days=1)), tick=False):
        assert_everywhere(client, "/gushi/consent-ends/", present=False)


# --------------------------------------------------------------------------- imports

APPS = (
    "campaigns",
    "stories",
    "tongxin/core",
    "tongxin/scripts",
    "tongxin/home",
    "tongxin/search",
    "tongxin/syndication",
    "tongxin/exchange",
    "tongxin/editorial",
)
PAGE_APPS = ("campaigns", "stories", "tongxin.home")


def module_level_imports(path):
    """Modules imported at module level (not inside functions) by the file at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            package = ".".join(path.relative_to(ROOT).with_suffix("").parts[: -node.level])
            names.add(f"{package}.{node.module}" if node.module else package)
    return names


def app_of(module):
    for app in APPS:
        dotted = app.replace("/", ".")
        if module == dotted or module.startswith(dotted + "."):
            return dotted
    return None


def app_graph():
    graph = {app.replace("/", "."): set() for app in APPS}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = app.replace("/", ".")
            for module in module_level_imports(path):
                target = app_of(module)
                if target and target != source:
                    graph[source].add(target)
    return graph


def test_apps_import_without_a_cycle():
    graph = app_graph()
    visiting, done = [], set()

    def visit(app):
        if app in visiting:
            cycle = visiting[visiting.index(app) :] + [app]
            raise AssertionError("import circle: " + " → ".join(cycle))
        if app in done:
            return
        visiting.append(app)
        for target in sorted(graph[app]):
            visit(target)
        visiting.pop()
        done.add(app)

    for app in graph:
        visit(app)


def test_core_and_scripts_import_no_page_app():
    graph = app_graph()
    for app in ("tongxin.core", "tongxin.scripts"):
        assert not graph[app] & set(PAGE_APPS), (app, graph[app])
    assert "stories" not in graph["campaigns"]
