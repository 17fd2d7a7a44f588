"""How fast readers' search answers at scale: p50/p95 of the search page over a set of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_search_bench \\
        DJANGO_ENV=test .venv/bin/python benchmarks/search_bench.py --pages 10000 [--repeat 5]

Uses the database DATABASE_URL names (default: a scratch SQLite file, /tmp/bench-search.db;
a PostgreSQL database is created when missing), migrated on the first run. With fewer than
``--pages`` indexed pages it adds generated news and stories (Chinese text drawn from jieba's
dictionary with the project's own words mixed in, regions from a list of counties), deferring
indexing and calling ``rebuild_search_index()`` once, as a bulk import does. A database built
by someone else (``benchmarks/generate_site.py`` and ``import_content``) can be used as is:
pass ``--pages 0``. ``--fresh`` empties a scratch SQLite file first.

Then, through Django's test client (the whole request: routing, search, excerpts, template,
conversion to the reader's script), it runs every query of QUERIES ``--repeat`` times after a
warm-up, and prints p50/p95 in milliseconds, the queries per request, and the median of an
uncached story render for comparison (the page cache emptied before each request). Nothing is
asserted; figures depend on the machine.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-search.db")
os.environ.setdefault("TEST_MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "tongxin-bench-media"))
os.environ.setdefault("MEDIA_ROOT", os.environ["TEST_MEDIA_ROOT"])
os.environ.setdefault("DJANGO_ENV", "test")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", "-n", type=int, default=10_000, help="indexed pages wanted")
    parser.add_argument("--repeat", "-r", type=int, default=5, help="runs of each query")
    parser.add_argument("--fresh", action="store_true", help="empty the scratch SQLite file")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


ARGS = parse_args()
URL = os.environ["DATABASE_URL"]
if ARGS.fresh and URL.startswith("sqlite:///"):
    Path(URL.removeprefix("sqlite:///")).unlink(missing_ok=True)


def ensure_postgres_database(url):
    """Create the PostgreSQL database the URL names, if it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


if URL.startswith("postgres"):
    ensure_postgres_database(URL)

from tongxin.settings.env import settings_module  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import format_html  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402

from campaigns.models import NewsPage  # noqa: E402
from stories.models import StoryIdentity, StoryPage  # noqa: E402
from tongxin.search.analysis import segmenter  # noqa: E402
from tongxin.search.fulltext import analyze  # noqa: E402
from tongxin.search.index import deferred, rebuild_search_index  # noqa: E402
from tongxin.search.models import SearchEntry  # noqa: E402

# The project's own words, mixed into the dictionary's so queries meet realistic frequencies.
DOMAIN = [
    "儿童",
    "留守儿童",
    "困境儿童",
    "孤儿",
    "志愿者",
    "助学金",
    "基金",
    "捐赠",
    "民政局",
    "慈善总会",
    "关爱",
    "救助",
    "学校",
    "老师",
    "家庭",
    "山区",
    "奶奶",
    "爷爷",
    "书包",
    "冬衣",
    "心愿",
    "微心愿",
    "医疗",
    "康复",
    "教育",
    "心理健康",
    "资助",
    "公益",
    "爱心",
    "活动",
    "启动仪式",
    "募集",
    "监管",
    "专款专用",
    "社区",
    "乡村",
    "营养",
    "午餐",
    "图书",
    "读书",
    "暑假",
    "夏令营",
]
COUNTIES = [f"{a}{b}县" for a in "青白红东西南北云石清" for b in "云水河山川"] + [
    "青云市青云县",
    "白水市河西区",
]
QUERIES = [
    {"q": "儿童"},
    {"q": "兒童"},
    {"q": "留守儿童"},
    {"q": "志愿者 学校"},
    {"q": "助学金"},
    {"q": "基金 捐赠"},
    {"q": "心理健康"},
    {"q": "關愛 家庭"},
    {"q": "童"},
    {"q": "发展"},
    {"q": "经济 社会"},
    {"q": "蔺晓禾"},
    {"q": "covid"},
    {"q": "儿童", "page": "3"},
    {"q": "儿童", "region": "青云县"},
    {"q": "学校", "type": "story"},
    {"q": "爱心 活动 老师"},
    {"q": "不存在的词语组合"},
]


def vocabulary(rng):
    freq = segmenter().dt.FREQ
    words = [
        (w, f)
        for w, f in freq.items()
        if f >= 50 and 1 < len(w) < 5 and all("\u4e00" <= c <= "\u9fff" for c in w)
    ]
    words.sort(key=lambda wf: -wf[1])
    words = words[:8000]
    population = [w for w, _ in words] + DOMAIN
    weights = [f**0.6 for _, f in words] + [max(f for _, f in words) ** 0.6 / 8] * len(DOMAIN)
    return population, weights


def sentence(rng, population, weights):
    words = rng.choices(population, weights, k=rng.randint(6, 16))
    cut = rng.randint(2, len(words) - 2)
    return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"


def body(rng, population, weights):
    paragraphs = [
        "".join(sentence(rng, population, weights) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(2, 4))
    ]
    html = "".join(str(format_html("<p>{}</p>", p)) for p in paragraphs)
    return [("paragraph", RichText(html))]


PAGE_FIELDS = {f.attname for f in Page._meta.concrete_fields}


def add_children(parent, pages):
    """Append ``pages`` under ``parent`` in bulk, without Wagtail's per-page save (bench
    data only): the tree rows in one ``bulk_create``, then each page type's own row."""
    parent.refresh_from_db()
    start = parent.numchild
    rows = []
    for offset, page in enumerate(pages, start=start + 1):
        page.depth = parent.depth + 1
        page.path = parent._get_path(parent.path, page.depth, offset)
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = ContentType.objects.get_for_model(page)
        rows.append(Page(**{name: getattr(page, name) for name in PAGE_FIELDS if name != "id"}))
    Page.objects.bulk_create(rows)
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.id
        page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=start + len(pages))


def build(wanted, seed):
    from tests import factories as f

    call_command("migrate", verbosity=0, interactive=False)
    have = NewsPage.objects.live().count() + StoryPage.objects.live().count()
    if have >= wanted:
        return SearchEntry.objects.count() or rebuild_search_index()
    rng = random.Random(seed + have)
    population, weights = vocabulary(rng)
    home = f.HomePageFactory()
    news_index = f.NewsIndexPageFactory(parent=home, slug=f"bench-news-{have}")
    story_index = f.StoryIndexPageFactory(parent=home, slug=f"bench-stories-{have}")
    missing = wanted - have
    stories = missing // 5
    print(f"adding {missing - stories} news and {stories} stories to {URL} ...", flush=True)
    started = time.perf_counter()
    now = timezone.now()
    with deferred(flush=False):
        for start in range(0, missing, 500):
            batch_news, batch_stories = [], []
            for n in range(start, min(missing, start + 500)):
                title = "".join(rng.choices(population, weights, k=rng.randint(2, 4)))
                common = {
                    "title": title,
                    "draft_title": title,
                    "slug": f"p{have + n}",
                    "live": True,
                    "first_published_at": now - timezone.timedelta(minutes=n),
                    "summary": sentence(rng, population, weights),
                    "region": rng.choice(COUNTIES),
                    "body": body(rng, population, weights),
                }
                if n % 5 == 4:
                    batch_stories.append(StoryPage(pseudonym="小雨", age=9, **common))
                else:
                    batch_news.append(NewsPage(source_name="青云日报", **common))
            with transaction.atomic():
                add_children(news_index, batch_news)
                add_children(story_index, batch_stories)
                StoryIdentity.objects.bulk_create(
                    [f.StoryIdentityFactory.build(story=story) for story in batch_stories]
                )
            print(f"  {min(missing, start + 500)} pages", flush=True)
    built = time.perf_counter()
    count = rebuild_search_index()
    print(
        f"pages built in {built - started:.0f} s; rebuild_search_index(): {count} pages "
        f"in {time.perf_counter() - built:.0f} s",
        flush=True,
    )
    return count


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    setup_test_environment()
    count = build(ARGS.pages, ARGS.seed) if ARGS.pages else SearchEntry.objects.count()
    analyze()  # as after an import: fresh planner statistics
    client = Client()
    times, queries = [], []
    print(f"\n{count} indexed pages on {connection.vendor}; {ARGS.repeat} runs per query\n")
    print(f"{'query':<34}{'results':>8}{'median ms':>11}{'queries':>9}")
    for params in QUERIES:
        response = client.get("/zh-hans/search/", params)
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
        found = html.split('class="result-count" role="status">', 1)[-1].split("</p>", 1)[0]
        digits = "".join(c for c in found.split("条")[0] if c.isdigit()) if "找到" in found else "0"
        own = []
        for _ in range(ARGS.repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                client.get("/zh-hans/search/", params)
                own.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured))
        times += own
        label = " ".join(f"{k}={v}" for k, v in params.items())
        print(f"{label:<34}{digits:>8}{statistics.median(own):>11.1f}{len(captured):>9}")

    story = StoryPage.objects.live().order_by("-pk").first()
    story_ms = []
    if story is not None:
        url = story.get_url_parts()[2]
        for _ in range(max(10, ARGS.repeat * 2)):
            cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            story_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    print(f"\nsearch: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(times)} requests")
    if story_ms:
        story_median = statistics.median(story_ms)
        print(
            f"uncached story render (page cache emptied): median {story_median:.1f} ms; "
            f"search p95 = {p95 / story_median:.2f} story renders (target: within 3)"
        )


if __name__ == "__main__":
    main()
