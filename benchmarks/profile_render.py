"""Where an uncached render spends its time: cProfile over test-client requests.

    DJANGO_ENV=production SECRET_KEY=… ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 \\
    DATABASE_URL=postgres://…/tongxin_bench REDIS_URL=redis://…/15 \\
        .venv/bin/python benchmarks/profile_render.py [URL …] [--repeat N]

With the page cache off and the site-wide caches warm (as production finds them), it prints
per URL the mean render time, the queries of one render, and Tongxin's and Wagtail's own
functions by cumulative share of the profiled time. Default URLs: a demo episode and story.
"""

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.production")

SHOWN = re.compile(
    r"navigation|donation|fragments|rendition\.py|convert_html|get_context|route_for_request"
    r"|wagtail_hooks|visibility|qr\.py|routes\.py|pagecache|site_terms"
)
DEFAULT_URLS = [
    "/zh-hans/qingyun-tongxin/weizhuanti/ep-3/",
    "/zh-hant/qingyun-tongxin/gushi/xiaoyu/",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    with override_settings(TONGXIN_PAGE_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0):
        for url in args.urls:
            for _ in range(5):
                assert client.get(url).status_code == 200, url
            queries = []

            def record(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                client.get(url)
            started = time.perf_counter()
            for _ in range(args.repeat):
                client.get(url)
            ms = (time.perf_counter() - started) / args.repeat * 1000
            print(f"\n{url}: {ms:.2f} ms per render, {len(queries)} queries")
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.repeat):
                client.get(url)
            profile.disable()
            stats = pstats.Stats(profile)
            total = stats.total_tt
            rows = sorted(stats.stats.items(), key=lambda item: -item[1][3])
            for (filename, line, name), (_, calls, _, cumulative, _) in rows:
                where = f"{filename}:{line}({name})"
                if SHOWN.search(where) and "site-packages/django/" not in filename:
                    share = cumulative / total * 100
                    if share >= 0.5:
                        print(f"{share:5.1f}%  {calls / args.repeat:4.0f}x  {where[-90:]}")


if __name__ == "__main__":
    main()
