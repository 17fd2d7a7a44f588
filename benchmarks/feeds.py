"""How fast partners are served: feed generation, cached feeds and 304 answers per second.

    DJANGO_ENV=test .venv/bin/python benchmarks/feeds.py [--items N] [--seconds S] [--fresh]

Uses its own scratch SQLite database (DATABASE_URL, default /tmp/bench-feeds.db), migrated on
the first run, and builds content with the test factories: a campaign whose series has N
episodes (each with an image, credits and a paragraph), a story index with N partner-cleared
stories and a news index with N news items. Uploads go to a scratch media folder, never the
repository's. `--fresh` deletes the scratch database first.

For the home, series, story index and news index feeds, in RSS, Atom and JSON Feed, in the
traditional rendition (the one that costs a conversion), it measures for S seconds each:

- generate: the feed built from the database (feed cache emptied before every request);
- cached:   a full 200 answered from the feed cache;
- 304:      a conditional GET with the feed's ETag, answered 304 from the cache;

and prints requests per second, mean milliseconds and queries per request. Nothing is
asserted; figures depend on the machine.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-feeds.db")
os.environ.setdefault("TEST_MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "tongxin-bench-media"))
os.environ.setdefault("MEDIA_ROOT", os.environ["TEST_MEDIA_ROOT"])
os.environ.setdefault("DJANGO_ENV", "test")


def database_file():
    url = os.environ["DATABASE_URL"]
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", "-n", type=int, default=30, help="episodes, stories, news")
    parser.add_argument("--seconds", "-s", type=float, default=2.0, help="per measurement")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.fresh and database_file() is not None and database_file().exists():
    database_file().unlink()

from tongxin.settings.env import settings_module  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils.html import format_html  # noqa: E402

from campaigns.models import EpisodePage, SeriesPage  # noqa: E402

KINDS = ("rss", "atom", "json")


def build_content(items):
    """A site tree with `items` episodes, stories and news (idempotent: reuses a built one)."""
    from tests import factories as f

    call_command("migrate", verbosity=0, interactive=False)
    series = SeriesPage.objects.filter(slug="bench-series").first()
    if series is not None and EpisodePage.objects.child_of(series).count() == items:
        return
    if series is not None:
        raise SystemExit("the scratch database holds other content: run with --fresh")
    print(f"building {items} episodes, stories and news in {os.environ['DATABASE_URL']} ...")
    home = f.HomePageFactory()
    image = f.ImageFactory()
    campaign = f.CampaignPageFactory(parent=home, slug="bench")
    series = f.SeriesPageFactory(parent=campaign, slug="bench-series", planned_episodes=items)
    stories = f.StoryIndexPageFactory(parent=home, slug="bench-stories")
    news = f.NewsIndexPageFactory(parent=home, slug="bench-news")
    credits = [("credit", {"role": "记者", "names": ["王芳", "李强"]})]
    for n in range(1, items + 1):
        body = [
            (
                "paragraph",
                f.RichText(
                    str(format_html("<p>第{}集：孩子们在乡村学校里读书，志愿者每周来上课。</p>", n))
                ),
            ),
            (
                "image",
                {
                    "image": image,
                    "alt": "孩子们在读书",
                    "caption": "读书角",
                    "consent": "illustrative",
                },
            ),
        ]
        f.EpisodePageFactory(parent=series, slug=f"ep-{n}", number=n, body=body, credits=credits)
        f.StoryPageFactory(parent=stories, slug=f"story-{n}", body=body)
        f.NewsPageFactory(parent=news, slug=f"news-{n}", body=body)


def measure(client, url, seconds, before=None, headers=None, expect=200):
    """(requests per second, mean ms, queries per request) of GET `url` for `seconds`."""
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    if response.status_code != expect:
        raise SystemExit(f"{url} answered {response.status_code}, expected {expect}")
    queries = len(captured)
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 3:
        if before:
            before()
        start = time.perf_counter()
        client.get(url, headers=headers or {})
        times.append(time.perf_counter() - start)
    mean = statistics.mean(times)
    return 1 / mean, mean * 1000, queries


def clear_feed_cache():
    cache.clear()


def main():
    setup_test_environment()  # the test client's ALLOWED_HOSTS entry, a memory mail backend
    from django.conf import settings

    settings.DEBUG = True  # query capture for the counts; nothing else depends on it here
    build_content(ARGS.items)
    client = Client()
    paths = {
        "home": "/",
        "series": "/bench/bench-series/",
        "story index": "/bench-stories/",
        "news index": "/bench-news/",
    }
    print(f"items per list: {ARGS.items}; {ARGS.seconds:g} s per figure; traditional rendition")
    print(f"{'feed':<24}{'generate':>22}{'cached 200':>22}{'304':>22}")
    print(f"{'':<24}" + f"{'req/s    ms   q':>22}" * 3)
    for name, path in paths.items():
        for kind in KINDS:
            url = f"/zh-hant{path}feed/{kind}/"
            client.get(url)  # warm: renditions, OpenCC dictionaries, templates
            generate = measure(client, url, ARGS.seconds, before=clear_feed_cache)
            client.get(url)
            cached = measure(client, url, ARGS.seconds)
            etag = client.get(url)["ETag"]
            not_modified = measure(
                client, url, ARGS.seconds, headers={"if-none-match": etag}, expect=304
            )
            cells = "".join(
                f"{rate:>10.0f}{ms:>8.1f}{queries:>4}"
                for rate, ms, queries in (generate, cached, not_modified)
            )
            print(f"{name + ' ' + kind:<24}{cells}")


if __name__ == "__main__":
    main()
