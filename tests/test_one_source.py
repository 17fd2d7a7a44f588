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
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from tongxin.core.contentversion import bump_content_version

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
    home = client.get(f"/{language}/").content.decode()
    found["home page"] = path in home
    found["home feed"] = path in client.get(f"/{language}/feed/json/").content.decode()
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


def menu_of(html):
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def served(client, url):
    """The answer at `url`, asked twice: the second comes from the page cache when the first
    was stored there."""
    client.get(url)
    return client.get(url)


@pytest.mark.django_db
def test_an_expiring_section_leaves_the_menu_and_the_home_page_through_warm_caches(client):
    """The menu is a cached fragment and every page a cached answer: neither outlives the
    moment a page in them expires."""
    tree = build_site_tree()
    now = timezone.now()
    Page.objects.filter(pk=tree.campaign.pk).update(expire_at=now + datetime.timedelta(hours=2))
    bump_content_version()
    elsewhere = ("/", "/xinwen/", "/xinwen/launch/", "/gushi/xiaoyu/")
    with time_machine.travel(now + datetime.timedelta(hours=1), tick=False):
        for language in SCRIPTS:
            for path in elsewhere:
                html = served(client, f"/{language}{path}").content.decode()
                assert "/qingyun/" in menu_of(html), (language, path)
            response = served(client, f"/{language}/")
            assert response["X-Page-Cache"] == "hit"
            # A proxy or CDN in front keeps it no longer either.
            ages = re.findall(r"max-age=(\d+)", response["Cache-Control"])
            assert ages and all(int(age) <= 3600 for age in ages), response["Cache-Control"]
            html = response.content.decode()
            assert f'href="/{language}/qingyun/"' in html.replace(menu_of(html), "")
            episode = served(client, f"/{language}/qingyun/series/ep-1/").content.decode()
            crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', episode, re.S).group(0)
            assert f'href="/{language}/qingyun/"' in crumbs
            assert served(client, f"/{language}/qingyun/").status_code == 200
            feed = client.get(f"/{language}/feed/rss/").content.decode()
            assert f"/{language}/qingyun/<" in feed
        assert "/qingyun/<" in sitemap_text(client)
    with time_machine.travel(now + datetime.timedelta(hours=2, seconds=1), tick=False):
        for language in SCRIPTS:
            for path in elsewhere:
                html = client.get(f"/{language}{path}").content.decode()
                assert "/qingyun/" not in menu_of(html), (language, path)
            # Its pages stay (as after Wagtail's job, which unpublishes the page alone),
            # without it in their breadcrumbs.
            episode = client.get(f"/{language}/qingyun/series/ep-1/").content.decode()
            crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', episode, re.S).group(0)
            assert "/qingyun/series/" in crumbs and f'href="/{language}/qingyun/"' not in crumbs
            link = f'href="/{language}/qingyun/"'
            assert link not in client.get(f"/{language}/").content.decode()
            assert client.get(f"/{language}/qingyun/").status_code == 404
            feed = client.get(f"/{language}/feed/rss/").content.decode()
            assert f"/{language}/qingyun/<" not in feed
        sitemap = sitemap_text(client)
        assert "/qingyun/<" not in sitemap and '/qingyun/"' not in sitemap


@pytest.mark.django_db
def test_no_client_or_proxy_keeps_an_answer_past_the_next_expiry(client):
    """Browsers, proxies and oEmbed consumers are told to keep nothing longer than until
    the next expiry: a page, its feed and widgets, and its oEmbed answer."""
    tree = build_site_tree()
    now = timezone.now()
    Page.objects.filter(pk=tree.news.pk).update(expire_at=now + datetime.timedelta(seconds=120))
    bump_content_version()
    with time_machine.travel(now, tick=False):
        for language in SCRIPTS:
            for path in ("/xinwen/launch/", "/xinwen/launch/embed/", "/xinwen/", "/xinwen/embed/"):
                response = client.get(f"/{language}{path}")
                assert response.status_code == 200
                ages = re.findall(r"max-age=(\d+)", response["Cache-Control"])
                assert ages and all(int(age) <= 120 for age in ages), (path, ages)
            for kind in ("rss", "atom", "json"):
                response = client.get(f"/{language}/xinwen/feed/{kind}/")
                ages = re.findall(r"max-age=(\d+)", response["Cache-Control"])
                assert ages and all(int(age) <= 120 for age in ages), (kind, ages)
            url = f"http://testserver/{language}/xinwen/launch/"
            response = client.get("/oembed/", {"url": url})
            assert response.status_code == 200
            assert 0 < response.json()["cache_age"] <= 120
            assert 0 < int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) <= 120


@pytest.mark.django_db
def test_an_expiring_episode_leaves_its_neighbours_and_the_series_at_its_expiry(client):
    tree = build_site_tree()
    now = timezone.now()
    middle = tree.episodes[1]
    Page.objects.filter(pk=middle.pk).update(expire_at=now + datetime.timedelta(hours=2))
    bump_content_version()
    series = "/qingyun/series/"
    pages = {
        "previous": f"{series}ep-1/",
        "next": f"{series}ep-3/",
        "series": series,
        "home": "/",
    }

    def links(language):
        found = {}
        for name, path in pages.items():
            html = served(client, f"/{language}{path}").content.decode()
            found[name] = f"{series}ep-2/" in html
        for kind in ("rss", "atom", "json"):
            body = client.get(f"/{language}{series}feed/{kind}/").content.decode()
            found[f"series {kind}"] = f"{series}ep-2/" in body
        found["series embed"] = (
            f"{series}ep-2/" in client.get(f"/{language}{series}embed/").content.decode()
        )
        return found

    with time_machine.travel(now + datetime.timedelta(hours=1), tick=False):
        for language in SCRIPTS:
            assert all(links(language).values()), (language, links(language))
            html = client.get(f"/{language}{series}ep-1/").content.decode()
            assert f'rel="next" href="/{language}{series}ep-2/"' in html
    with time_machine.travel(now + datetime.timedelta(hours=3), tick=False):
        for language in SCRIPTS:
            shown = [name for name, present in links(language).items() if present]
            assert not shown, (language, shown)
            html = client.get(f"/{language}{series}ep-1/").content.decode()
            assert f'rel="next" href="/{language}{series}ep-3/"' in html
            html = client.get(f"/{language}{series}ep-3/").content.decode()
            assert f'rel="prev" href="/{language}{series}ep-1/"' in html
            assert client.get(f"/{language}{series}ep-2/").status_code == 404
            assert client.get(f"/{language}{series}ep-2/embed/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("restricted", ["page", "ancestor"])
@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_a_restricted_page_is_on_no_public_surface(client, restricted, kind):
    """A view restriction (password or login, on the page or an ancestor) keeps the page
    off every public surface; its own URL and its feed and embed routes answer with
    Wagtail's password form or login redirect, never the content."""
    tree = build_site_tree()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    target = tree.story if restricted == "page" else tree.story_index
    PageViewRestriction.objects.create(page=target, restriction_type=kind, password="secret")
    path = "/gushi/xiaoyu/"
    for language in SCRIPTS:
        found = surfaces(client, language, path)
        # Its own URL and card embed answer Wagtail's restriction (below), never the story.
        found.pop("own URL")
        found.pop("card embed")
        shown = [name for name, present in found.items() if present]
        assert not shown, (language, kind, restricted, shown)
        for suffix in ("", "embed/", "feed/rss/", "feed/json/"):
            url = f"/{language}{path if suffix in ('', 'embed/') else '/gushi/'}{suffix}"
            if suffix.startswith("feed/") and restricted == "page":
                continue  # the story index's feed: public, without the story (above)
            response = client.get(url)
            if kind == PageViewRestriction.LOGIN:
                assert response.status_code == 302 and "login" in response["Location"], url
            else:
                assert response.status_code == 200, url
                assert b'name="password"' in response.content, url
                assert tree.story.title.encode() not in response.content, url


@pytest.mark.django_db
def test_a_restriction_added_to_a_cached_page_applies_at_once(client):
    tree = build_site_tree()
    for language in SCRIPTS:
        for path in ("/gushi/xiaoyu/", "/gushi/xiaoyu/embed/", "/gushi/feed/json/"):
            assert served(client, f"/{language}{path}")["X-Page-Cache"] == "hit", path
    PageViewRestriction.objects.create(
        page=tree.story_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for language in SCRIPTS:
        for path in ("/gushi/xiaoyu/", "/gushi/xiaoyu/embed/", "/gushi/feed/json/"):
            response = client.get(f"/{language}{path}")
            assert b'name="password"' in response.content, path
        assert "/gushi/xiaoyu/" not in client.get(f"/{language}/").content.decode()


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


# In a fresh interpreter, with the app registry loaded but no app's models imported yet
# (what `django.setup()` does before it imports each app's models in turn), import some
# modules and list which modules of the project's apps that brought in.
FRESH_IMPORT = """
import json, sys
from django.apps import apps
from django.core.exceptions import AppRegistryNotReady
from django.apps.config import AppConfig
from django.conf import settings

for entry in settings.INSTALLED_APPS:
    config = AppConfig.create(entry)
    apps.app_configs[config.label] = config
    config.apps = apps
apps.apps_ready = True
for name in sys.argv[1:]:
    try:
        __import__(name)
    except AppRegistryNotReady:
        pass  # needs every model loaded (admin forms): the static test above reads it
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*modules):
    """Modules of the project's apps (beyond their packages and AppConfigs, which the app
    registry loads) that importing `modules` in a fresh interpreter imports."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxin.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", FRESH_IMPORT, *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.splitlines()[-1])
    return {
        name: app_of(name)
        for name in loaded
        if app_of(name) and name != app_of(name) and name != f"{app_of(name)}.apps"
    }


def modules_of(app):
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "__init__.py"
    ]


def test_campaigns_models_alone_do_not_import_the_stories_app():
    loaded = imported_by("campaigns.models")
    assert "campaigns.models" in loaded
    assert not [name for name, app in loaded.items() if app == "stories"], loaded


@pytest.mark.parametrize("app", ["tongxin/core", "tongxin/scripts"])
def test_core_and_scripts_alone_import_no_other_app(app):
    """Every module of core (or scripts), imported in a fresh interpreter, imports nothing of
    a page app or a site-wide app: those are imported when a route is served."""
    dotted = app.replace("/", ".")
    allowed = {dotted, "tongxin.scripts"}
    loaded = imported_by(*modules_of(app))
    others = sorted(name for name, owner in loaded.items() if owner not in allowed)
    assert not others, others
