"""Wagtail's scheduled publishing, plus: stories whose consent has lapsed are unpublished.

Public listings already filter expired consent by query, so readers never see such a story;
this job makes the page's own state say so too. Operators run it every minute from cron or a
systemd timer on every app server (docs/operators.md): a lock (tongxin.core.joblock) lets
only one run at a time do the work. `make run` runs it with `--every 60` in the background.
"""

import time

from django.db import close_old_connections, connection
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from stories.models import StoryPage
from tongxin.core.frontendcache import retry_pending
from tongxin.core.joblock import single_run

LOCK_NAME = "publish_scheduled"


class Command(WagtailCommand):
    help = "Publish/unpublish scheduled pages, and unpublish stories whose consent lapsed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="keep running, once every this many seconds (make run uses 60)",
        )
        parser.add_argument(
            "--rounds", type=int, default=0, help="with --every: stop after this many runs"
        )

    def handle(self, *args, **options):
        every, rounds = options["every"], options["rounds"]
        done = 0
        while True:
            self.run_once(options)
            done += 1
            if not every or (rounds and done >= rounds):
                return
            # A long-lived loop: let Django drop connections the database may have closed
            # (not inside a transaction, as when a test calls the command).
            if not connection.in_atomic_block:
                close_old_connections()
            time.sleep(every)

    def run_once(self, options):
        with single_run(LOCK_NAME) as acquired:
            if not acquired:
                self.stdout.write("Another publish_scheduled run holds the lock; skipped.")
                return
            super().handle(**options)
            self.unpublish_lapsed_stories(options)
            if not options.get("dryrun"):
                # Purges the CDN or proxy refused earlier (tongxin.core.frontendcache).
                retry_pending()

    def unpublish_lapsed_stories(self, options):
        lapsed = StoryPage.objects.live().exclude(
            pk__in=StoryPage.objects.consented("web").values("pk")
        )
        count = 0
        for story in lapsed:
            if not options.get("dryrun"):
                story.unpublish(log_action="wagtail.unpublish")
            count += 1
        self.stdout.write(f"{count} stories without valid consent unpublished.")
