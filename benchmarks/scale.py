"""Timings of the pages that grow with the site, on whatever database DATABASE_URL names
(import a generated site first, see generate_site.py):

    DATABASE_URL=postgres://…/scratch .venv/bin/python benchmarks/scale.py [--runs 5]

Prints the median ms of: the home page and the story index (uncached renders, both
scripts), the sitemap index and the largest sitemap file (cold: cache cleared), and the home
feed's selection of entries, with the query it replaced for comparison.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings.dev")


def median_ms(action, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.cache import cache
    from django.db.models import DateTimeField, F, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django.test import Client
    from wagtail.models import Page

    from tongxin.home.models import HomePage
    from tongxin.syndication import pages as P

    client = Client(HTTP_HOST="localhost")
    home = HomePage.objects.first()
    print(f"pages: {Page.objects.count()}")

    def get(url):
        def run():
            cache.clear()
            response = client.get(url, HTTP_COOKIE="sessionid=bench")
            assert response.status_code == 200, (url, response.status_code)

        return run

    story_index = Page.objects.filter(depth=3, url_path__endswith="/gushi/").first()
    story_path = story_index.url_path[len(home.url_path) - 1 :] if story_index else "/gushi/"
    first = client.get(f"/zh-hans{story_path}").content.decode()
    last = max([int(n) for n in re.findall(r"\?page=(\d+)", first)] or [1])
    rows = [
        ("home /zh-hans/", get("/zh-hans/")),
        ("home /zh-hant/", get("/zh-hant/")),
        (f"story index {story_path}", get(f"/zh-hans{story_path}")),
        (f"story index, last page (?page={last})", get(f"/zh-hans{story_path}?page={last}")),
        ("sitemap index", get("/sitemap.xml")),
        ("sitemap-story.xml", get("/sitemap-story.xml")),
        ("home feed: entry selection", lambda: P.entry_ids(home, P.FEED_MAX)),
    ]

    def old_selection():
        dates = [
            Subquery(model.objects.filter(pk=OuterRef("pk")).values("date")[:1])
            for model in P.ENTRY_MODELS
        ]
        sort_date = Coalesce(*dates, F("first_published_at"), output_field=DateTimeField())
        queryset = Page.objects.descendant_of(home).type(*P.ENTRY_MODELS)
        return list(
            P.published(queryset)
            .annotate(sort_date=sort_date)
            .order_by(F("sort_date").desc(nulls_last=True), "-pk")
            .values_list("pk", flat=True)[: P.FEED_MAX]
        )

    rows.append(("home feed: the previous single query", old_selection))
    get("/zh-hans/")()  # warm-up: conversion tables, jieba
    for label, action in rows:
        print(f"{label:45} {median_ms(action, args.runs):8.1f} ms")
    assert old_selection() == P.entry_ids(home, P.FEED_MAX), "the two selections differ"


if __name__ == "__main__":
    main()
