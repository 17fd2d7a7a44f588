"""Wagtail's scheduled publishing, plus: stories whose consent has lapsed are unpublished.

Public listings already filter expired consent by query, so readers never see such a story;
this job makes the page's own state say so too, and is what operators run from cron.
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from stories.models import StoryPage


class Command(WagtailCommand):
    help = "Publish/unpublish scheduled pages, and unpublish stories whose consent lapsed."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        lapsed = StoryPage.objects.live().exclude(
            pk__in=StoryPage.objects.consented("web").values("pk")
        )
        count = 0
        for story in lapsed:
            if not options.get("dryrun"):
                story.unpublish(log_action="wagtail.unpublish")
            count += 1
        self.stdout.write(f"{count} stories without valid consent unpublished.")
