"""`manage.py export_content [--output FILE] [--include-private]` — see contracts/content-format.md.

To stdout, image `file` values are the absolute paths of the stored originals (local
storage only); with --output the originals are copied to `images/` beside FILE and the
values are relative, so the file and its folder can be moved and imported elsewhere.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongxin.exchange.exporter import CopyImages, NotLocal, export_document, local_paths
from tongxin.exchange.site import NoSite


class Command(BaseCommand):
    help = "Export pages, snippets and images as a tongxin-content/1 JSON document."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write FILE and copy images to images/ beside it")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="also write stories' private records (real names, guardians, addresses)",
        )

    def handle(self, *args, **options):
        output = Path(options["output"]).resolve() if options["output"] else None
        image_ref = CopyImages(output.parent / "images") if output else local_paths
        try:
            document, warnings = export_document(options["include_private"], image_ref)
        except (NoSite, NotLocal, OSError) as exc:
            raise CommandError(str(exc)) from None
        for line in warnings:
            self.stderr.write(line)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
        self.stdout.write(f"exported {len(document['pages'])} pages to {output}")
