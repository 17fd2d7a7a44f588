"""How much the traditional rendition costs: template render vs conversion vs a cached hit.

    DJANGO_ENV=test .venv/bin/python benchmarks/conversion.py [--iterations N] [--path P]

Uses a scratch SQLite database (DATABASE_URL, default /tmp/bench.db) with the demo content
(site/demo/content.json), migrated and imported on the first run; uploads go to a scratch
media folder, never the repository's. For one page it measures, over N iterations:

- render: the page's template rendered for the rendition that needs converting (/zh-hant/
  for a page written in simplified, /zh-hans/ for one written in traditional), queries
  included: the work every rendition does;
- convert: the conversion middleware's work on that HTML (rules, origin markers, OpenCC);
- the whole request through Django without the page cache, for /zh-hans/ and /zh-hant/;
- a request answered from the page cache (what a reader gets after the first one).

Prints figures only; nothing is asserted. Timings depend on the machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench.db")
os.environ.setdefault("TEST_MEDIA_ROOT", "/tmp/tongxin-bench-media")
os.environ.setdefault("MEDIA_ROOT", "/tmp/tongxin-bench-media")

from tongxin.settings.env import settings_module  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from tongxin.scripts.rendition import render_for_script  # noqa: E402

DEMO = ROOT / "site" / "demo" / "content.json"
DEFAULT_PATH = "qingyun-tongxin/"


def prepare_database():
    call_command("migrate", verbosity=0, interactive=False)
    if Page.objects.filter(depth__gt=2).count() < 5:
        print(f"importing {DEMO.relative_to(ROOT)} into {os.environ['DATABASE_URL']} ...")
        call_command("import_content", str(DEMO), verbosity=0)


def find_page(path):
    site = Site.objects.get(is_default_site=True)
    url_path = site.root_page.url_path + path.strip("/") + "/"
    return Page.objects.get(url_path=url_path).specific


def timed(function, iterations):
    times = []
    result = None
    for _ in range(iterations):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def ms(times):
    return statistics.mean(times) * 1000


def line(label, times, extra=""):
    print(
        f"  {label:<34} mean {ms(times):8.2f} ms   median {statistics.median(times) * 1000:8.2f}"
        f" ms   min {min(times) * 1000:8.2f} ms{extra}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", "-n", type=int, default=30)
    parser.add_argument("--path", default=DEFAULT_PATH, help="page path below the site root")
    args = parser.parse_args()
    n = max(1, args.iterations)

    prepare_database()
    page = find_page(args.path)
    host = "localhost"
    factory = RequestFactory(HTTP_HOST=host)
    # The rendition that needs converting: traditional for a page written in simplified.
    language = "zh-hans" if page.script == "hant" else "zh-hant"
    script = language[3:]
    print(
        f"page: /{args.path.strip('/')}/ ({type(page).__name__}, written in {page.script}), "
        f"converted rendition /{language}/, N={n}"
    )

    def render():
        # What Page.serve does (context and template) for the converted rendition, without
        # the page cache in TongxinPage.serve.
        request = factory.get(f"/{language}/{args.path}")
        with translation.override(language):
            response = Page.serve(page, request)
            response.render()
        return response.content.decode("utf-8")

    html = render()  # warm: template loading, OpenCC dictionaries, site rules
    render_for_script(html, script, page=page)
    with CaptureQueriesContext(connection) as captured:
        render()
    # Counted now: every request through the client empties the query log.
    render_queries = len(captured)
    render_times, html = timed(render, n)
    convert_times, converted = timed(lambda: render_for_script(html, script, page=page), n)

    client = Client(HTTP_HOST=host)

    def uncached(prefix):
        def run():
            cache.clear()
            response = client.get(f"/{prefix}/{args.path}")
            if response.status_code != 200:
                raise SystemExit(f"/{prefix}/{args.path} answered {response.status_code}")
            return response

        return run

    hans_times, _ = timed(uncached("zh-hans"), n)
    hant_times, _ = timed(uncached("zh-hant"), n)

    hit_url = f"/{language}/{args.path}"
    client.get(hit_url)
    with CaptureQueriesContext(connection) as captured:
        client.get(hit_url)
    hit_queries = len(captured)
    hit_times, _ = timed(lambda: client.get(hit_url), n)

    ratio = ms(convert_times) / ms(render_times)
    print(f"  HTML: {len(html.encode()):,} bytes rendered, {len(converted.encode()):,} converted")
    line("render (template + queries)", render_times, f"   {render_queries} queries")
    line(f"convert to {script}", convert_times)
    print(f"  conversion / render ratio:           {ratio:.2f}")
    line("request /zh-hans/ (no page cache)", hans_times)
    line("request /zh-hant/ (no page cache)", hant_times)
    line(f"request /{language}/ (page cache hit)", hit_times, f"   {hit_queries} queries")
    print(
        f"  traditional request / simplified:     {ms(hant_times) / ms(hans_times):.2f}\n"
        f"  cache hit / uncached same rendition:  "
        f"{ms(hit_times) / ms(hant_times if script == 'hant' else hans_times):.2f}"
    )


if __name__ == "__main__":
    main()
