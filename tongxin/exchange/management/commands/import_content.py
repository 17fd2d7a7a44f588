"""`manage.py import_content FILE [--strict] [--dry-run]` — see contracts/content-format.md.

Every error goes to stderr as one line, without a traceback, and the command exits 1 with
nothing written. Stories held as drafts by the privacy check are reported on stderr too;
the import still succeeds unless --strict, which then refuses the whole file (nothing is
written, exit 1), so a scripted migration can insist that every story goes live.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tongxin.exchange.importer import import_document
from tongxin.exchange.reader import object_pairs_hook


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def read_document(path):
    """The parsed JSON document, or CommandError with a one-line reason."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(
            text, object_pairs_hook=object_pairs_hook, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise CommandError(f"{path}: invalid JSON: {exc}") from None
    except RecursionError:
        raise CommandError(f"{path}: invalid JSON: nested too deeply") from None


class Command(BaseCommand):
    help = "Import pages, snippets and images from a tongxin-content/1 JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file; image paths are relative to it")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="refuse the whole file (write nothing, exit 1) if any story would be held "
            "as a draft by the privacy check",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, then write nothing"
        )

    def handle(self, *args, **options):
        path = options["file"]
        document = read_document(path)
        try:
            outcome = import_document(
                document,
                base_dir=Path(path).resolve().parent,
                strict=options["strict"],
                dry_run=options["dry_run"],
            )
        except DatabaseError as exc:
            raise CommandError(
                f"the database refused the import, nothing was written: {exc}"
            ) from None
        for line in outcome.errors + outcome.held:
            self.stderr.write(line)
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} error(s); nothing was written")
        for line in outcome.notes:
            self.stdout.write(line)
        self.stdout.write(outcome.summary())
        self.stdout.write(outcome.details())
        if options["strict"] and outcome.held:
            raise CommandError(
                f"--strict: {len(outcome.held)} story/stories would be held as draft; "
                "nothing was written"
            )
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was written")
