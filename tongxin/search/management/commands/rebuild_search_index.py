from django.core.management.base import BaseCommand

from tongxin.search.index import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from every live page. Publishing keeps the index up "
        "to date; run this after restoring a database or changing how pages are indexed."
    )

    def handle(self, *args, **options):
        count = rebuild_search_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} live pages."))
