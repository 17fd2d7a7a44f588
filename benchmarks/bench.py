"""`make bench`: one table of how fast Tongxin serves, in the production shape.

    .venv/bin/python benchmarks/bench.py [--quick] [--pages N] [--seconds S] [--rounds R]
                                         [--port P] [--no-scale]

What it sets up (and tears down):

- a scratch PostgreSQL database (BENCH_DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/tongxin_bench; a second one, `<name>_scale`, for the
  large site), dropped and created anew, migrated, the demo content imported;
- Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/15, flushed first);
- two gunicorn servers with 2 sync workers each and the production settings: one as
  deployed (page cache on), one with the page cache off (`PAGE_CACHE_SECONDS=0` and
  `TONGXIN_PAGE_CACHE_SECONDS = 0`), so "uncached" is a full render, with the site-wide
  caches (conversion rules, fragments) warm as they are in production;
- `/usr/bin/wrk` against a static CSS file served by WhiteNoise and every page type, in both
  scripts, cached and uncached, interleaved round by round (the median of R rounds).

Then the same rows for a large site: `benchmarks/generate_site.py --pages N --out FILE` (when
it exists) writes an import file, which is imported (import pages/s) and served the same way.
`benchmarks/search_bench.py` (when it exists) gives the search p50/p95.

Queries per page and the test-client render time are measured in this process, against the
same database and Redis, with Django's test client (no network). Nothing is asserted: the
figures depend on the machine (2 shared cores here). The bar for an uncached episode or story
is 0.045 of the static file's req/s (2.5x Wagtail's bakerydemo blog post on this machine).
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WRK = os.environ.get("WRK", "/usr/bin/wrk")
DEMO = ROOT / "site" / "demo" / "content.json"
GENERATOR = ROOT / "benchmarks" / "generate_site.py"
SEARCH_BENCH = ROOT / "benchmarks" / "search_bench.py"
TARGET_RATIO = 0.045

# Page type → how to find one public page of it (the first in tree order).
PAGE_TYPES = [
    ("home", "home.HomePage"),
    ("campaign", "campaigns.CampaignPage"),
    ("series", "campaigns.SeriesPage"),
    ("episode", "campaigns.EpisodePage"),
    ("fund launch", "campaigns.FundLaunchEventPage"),
    ("news index", "campaigns.NewsIndexPage"),
    ("news", "campaigns.NewsPage"),
    ("story index", "stories.StoryIndexPage"),
    ("story", "stories.StoryPage"),
]
PREFIXES = ("/zh-hans/", "/zh-hant/")


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s, a 1,000-page site")
    parser.add_argument("--pages", type=int, help="size of the large site (default 10,000)")
    parser.add_argument("--seconds", type=float, help="per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8160")))
    parser.add_argument("--no-scale", action="store_true", help="skip the large site")
    parser.add_argument("--types", help="only these page types, e.g. episode,story,feed")
    args = parser.parse_args()
    args.pages = args.pages or (1000 if args.quick else 10_000)
    args.seconds = args.seconds or (2.0 if args.quick else 5.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


# --------------------------------------------------------------------------- environment


def with_db_name(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def db_name(url):
    return urlsplit(url).path.lstrip("/")


def recreate_database(url):
    name = db_name(url)
    admin = with_db_name(url, "postgres")
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def base_env(database_url, redis_url, workdir):
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="tongxin.settings.production",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1 localhost testserver",
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
        LOG_LEVEL="ERROR",
        PYTHONPATH=f"{workdir}{os.pathsep}{ROOT}",
    )
    # wrk asks one address thousands of times: no rate limit (feeds and search have one).
    for group in ("SEARCH", "FEED", "EMBED", "OEMBED", "DONATE"):
        env[f"RATE_LIMIT_{group}"] = "0"
    # Local disk, whatever the caller's environment says about object storage.
    for name in list(env):
        if name.startswith("AWS_"):
            del env[name]
    return env


def manage(env, *args, quiet=True):
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def timed_import(env, path):
    """Seconds to import `path`, and the number of pages it created or updated."""
    started = time.perf_counter()
    result = subprocess.run(
        [PY, "manage.py", "import_content", str(path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    found = re.search(r"created (\d+), updated (\d+)", result.stdout)
    pages = int(found.group(1)) + int(found.group(2)) if found else 0
    return seconds, pages


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


class Servers:
    """The two gunicorn servers (page cache on, page cache off) on port and port + 1."""

    def __init__(self, env, port, workdir):
        self.port = port
        self.processes = []
        settings = workdir / "bench_uncached_settings.py"
        settings.write_text(
            "from tongxin.settings.production import *  # noqa: F403\n"
            "TONGXIN_PAGE_CACHE_SECONDS = 0\nPAGE_CACHE_SECONDS = 0\n"
        )
        uncached_env = dict(env, PAGE_CACHE_SECONDS="0")
        uncached_env["DJANGO_SETTINGS_MODULE"] = "bench_uncached_settings"
        for offset, server_env in ((0, env), (1, uncached_env)):
            command = [
                GUNICORN,
                "tongxin.wsgi",
                "-w",
                "2",
                "-k",
                "sync",
                "-b",
                f"127.0.0.1:{port + offset}",
                "--log-level",
                "error",
            ]
            process = subprocess.Popen(command, cwd=ROOT, env=server_env, start_new_session=True)
            self.processes.append(process)
        for offset in (0, 1):
            self.wait(port + offset)

    def url(self, path, cached=True):
        return f"http://127.0.0.1:{self.port + (0 if cached else 1)}{path}"

    @staticmethod
    def wait(port):
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return
            except OSError as error:
                if getattr(error, "code", None):  # any HTTP answer: it is up
                    return
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn on port {port} did not start")

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wrk(url, seconds, connections):
    result = subprocess.run(
        [WRK, "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Requests/sec:\s*([\d.]+)", result.stdout)
    if re.search(r"Non-2xx or 3xx responses", result.stdout):
        log(f"non-2xx answers from {url}")
    return float(found.group(1)) if found else 0.0


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


# --------------------------------------------------------------------------- in-process


def django_setup(env):
    os.environ.update({k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings.production"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reconnect(database_url):
    """Point the in-process Django at another database (the large site)."""
    import dj_database_url
    from django.db import connections

    connections["default"].close()
    config = dj_database_url.parse(database_url)
    connections["default"].settings_dict.update(NAME=config["NAME"])


def sample_pages():
    """(label, path without prefix) of one public page per type, and the home feed."""
    from django.apps import apps
    from wagtail.models import Page

    from tongxin.core.visibility import visible

    found = []
    for label, model_label in PAGE_TYPES:
        model = apps.get_model(model_label)
        pages = visible(model.objects.all()).order_by("path")
        if label in ("episode", "story", "news"):
            # The middle one: a page with neighbours on both sides where there are any.
            count = pages.count()
            page = pages[count // 2] if count else None
        else:
            page = pages.first()
        if page is None:
            continue
        home = Page.objects.filter(depth=2).order_by("path").first()
        found.append((label, page.url_path[len(home.url_path) :]))
    found.append(("feed", "feed/rss/"))
    return found


def count_queries(client, url):
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    return response.status_code, len(queries)


def in_process(paths, repeats):
    """{(label, prefix): (cached-hit queries, uncached queries, uncached render ms)}."""
    from django.test import Client, override_settings

    client = Client()
    figures = {}
    for label, path in paths:
        for prefix in PREFIXES:
            url = prefix + path
            client.get(url)
            _, hit_queries = count_queries(client, url)
            os.environ["PAGE_CACHE_SECONDS"] = "0"
            try:
                with override_settings(TONGXIN_PAGE_CACHE_SECONDS=0, PAGE_CACHE_SECONDS=0):
                    client.get(url)
                    _, miss_queries = count_queries(client, url)
                    times = []
                    for _ in range(repeats):
                        started = time.perf_counter()
                        client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
            finally:
                os.environ.pop("PAGE_CACHE_SECONDS", None)
            figures[(label, prefix)] = (hit_queries, miss_queries, statistics.median(times))
    return figures


# --------------------------------------------------------------------------- measuring


def static_path(servers):
    status, body = get(servers.url("/zh-hans/"))
    found = re.search(rb'href="(/static/css/site[^"]*\.css)"', body)
    if not found:
        raise RuntimeError("no stylesheet link on the home page")
    return found.group(1).decode()


def measure_servers(servers, paths, args):
    """{target: median req/s} with target 'static' or (label, prefix, cached)."""
    targets = ["static"]
    for label, _ in paths:
        for prefix in PREFIXES:
            for cached in (True, False):
                targets.append((label, prefix, cached))
    css = static_path(servers)
    for target in targets[1:]:
        label, prefix, cached = target
        status, _ = get(servers.url(prefix + dict(paths)[label], cached))
        if status != 200:
            log(f"{label} {prefix}: HTTP {status}")
    runs = {target: [] for target in targets}
    for round_number in range(args.rounds):
        log(f"wrk round {round_number + 1}/{args.rounds} ({len(targets)} runs)")
        for target in targets:
            if target == "static":
                url = servers.url(css)
            else:
                label, prefix, cached = target
                url = servers.url(prefix + dict(paths)[label], cached)
            runs[target].append(wrk(url, args.seconds, args.connections))
    return {target: statistics.median(values) for target, values in runs.items()}


def search_figures(env):
    if not SEARCH_BENCH.exists():
        return "benchmarks/search_bench.py not found: skipped"
    result = subprocess.run(
        # The site just imported, as it is (search_bench would otherwise add generated pages).
        [PY, str(SEARCH_BENCH), "--pages", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [
        line.strip()
        for line in (result.stdout + result.stderr).splitlines()
        if "p50" in line or "p95" in line
    ]
    if result.returncode != 0 or not lines:
        return f"search_bench.py failed (exit {result.returncode})"
    return "; ".join(lines[-2:])


# --------------------------------------------------------------------------- the table


def rows_for(scale, rates, figures, paths, import_rate, search):
    static = rates["static"]
    rows = [(scale, "static file (WhiteNoise)", "", f"{static:,.0f}", "1", "", "", "", "")]
    for label, _ in paths:
        for prefix in PREFIXES:
            cached = rates[(label, prefix, True)]
            uncached = rates[(label, prefix, False)]
            hit_q, miss_q, ms = figures.get((label, prefix), ("", "", None))
            mark = ""
            if label in ("episode", "story"):
                mark = " ok" if uncached / static >= TARGET_RATIO else " BELOW"
            rows.append(
                (
                    scale,
                    label,
                    prefix.strip("/"),
                    f"{cached:,.0f}",
                    f"{cached / static:.3f}",
                    f"{uncached:,.0f}",
                    f"{uncached / static:.3f}{mark}",
                    f"{hit_q}/{miss_q}",
                    f"{ms:.1f}" if ms is not None else "",
                )
            )
    # Rows of one long text, printed across the columns (they would widen the table).
    rows.append((scale, "import", import_rate))
    rows.append((scale, "search p50/p95", search))
    return rows


def print_table(rows, args, notes):
    header = (
        "site",
        "page",
        "script",
        "cached req/s",
        "÷ static",
        "uncached req/s",
        "÷ static",
        "queries hit/uncached",
        "render ms",
    )
    table = [row for row in rows if len(row) == len(header)]
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(
        f"Tongxin bench: gunicorn 2 sync workers x2 (cached, uncached), PostgreSQL, Redis, "
        f"wrk -c{args.connections}, {args.rounds} round(s) of {args.seconds:g} s, median; "
        f"bar: uncached episode/story >= {TARGET_RATIO} of the static file"
    )
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        if len(row) == len(header):
            print(line.format(*row))
        else:
            scale, label, text = row
            print(f"{scale:<{widths[0]}}  {label:<{widths[1]}}  {text}")
    for note in notes:
        print(f"note: {note}")


# --------------------------------------------------------------------------- main


def run_site(label, env, database_url, args, workdir, import_file, paths_out):
    recreate_database(database_url)
    manage(env, "migrate", "--noinput")
    seconds, pages = timed_import(env, import_file)
    import_rate = f"{pages / seconds:.1f} pages/s ({pages} pages, {seconds:.1f} s)"
    if "scale" in label:
        # What an operator does after a large import (the scale work may do it itself).
        subprocess.run(["psql", database_url, "-q", "-c", "ANALYZE"], check=True)
    flush_redis(env["REDIS_URL"])
    reconnect(database_url)
    paths = sample_pages()
    if args.types:
        wanted = {name.strip() for name in args.types.split(",")}
        paths = [(label, path) for label, path in paths if label in wanted]
    paths_out.extend(paths)
    servers = Servers(env, args.port, workdir)
    try:
        rates = measure_servers(servers, paths, args)
    finally:
        servers.stop()
    log("queries and test-client render times")
    figures = in_process(paths, repeats=10 if args.quick else 30)
    search = search_figures(env)
    return rows_for(label, rates, figures, paths, import_rate, search)


def main():
    args = parse_args()
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tongxin_bench"
    )
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    workdir = Path(tempfile.mkdtemp(prefix="tongxin-bench-"))
    env = base_env(database_url, redis_url, workdir)
    notes = []
    try:
        log("collectstatic")
        manage(env, "collectstatic", "--noinput")
        django_setup(env)
        rows = []
        log("demo site")
        rows += run_site("1x (demo)", env, database_url, args, workdir, DEMO, [])
        if args.no_scale:
            notes.append("large site skipped (--no-scale)")
        elif not GENERATOR.exists():
            notes.append("benchmarks/generate_site.py not found: the large-site rows are skipped")
        else:
            log(f"generating a {args.pages:,}-page site")
            scale_file = workdir / "site.json"
            subprocess.run(
                [PY, str(GENERATOR), "--pages", str(args.pages), "--out", str(scale_file)],
                cwd=ROOT,
                env=env,
                check=True,
            )
            scale_url = with_db_name(database_url, f"{db_name(database_url)}_scale")
            scale_env = dict(env, DATABASE_URL=scale_url)
            rows += run_site(
                f"{args.pages:,} pages", scale_env, scale_url, args, workdir, scale_file, []
            )
        if not SEARCH_BENCH.exists():
            notes.append("benchmarks/search_bench.py not found: no search figures")
        print_table(rows, args, notes)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
