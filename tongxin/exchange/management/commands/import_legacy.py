"""`manage.py import_legacy FILE... --parent PATH [--dry-run]` — see docs/editors.md.

Each file is its own unit: one that cannot be read, or has no article in it, is reported
and skipped, the others are still imported, and the exit status says whether any failed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongxin.exchange.legacy import LegacyError
from tongxin.exchange.legacy.clean import KIND_LABELS
from tongxin.exchange.legacy.pipeline import read_article
from tongxin.exchange.legacy.store import check_parent, save_draft
from tongxin.exchange.site import NoSite, find_page

# A saved page is a few hundred KB at most; anything far larger is not one.
MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "把旧网站保存下来的网页（HTML 或文本）清理后导入为新闻草稿，从不发布。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--parent", required=True, help="news index path from the site root, e.g. /xinwen/"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="clean and report, write nothing"
        )

    def handle(self, *args, **options):
        path = "/" + options["parent"].strip().strip("/") + "/"
        path = "/" if path == "//" else path
        try:
            parent = find_page(path)
            check_parent(parent)
        except NoSite as exc:
            raise CommandError(str(exc)) from None
        except LookupError as exc:
            raise CommandError(f"--parent {options['parent']}: {exc}") from None
        failed = 0
        for name in options["files"]:
            try:
                self.import_one(name, parent, options["dry_run"])
            except LegacyError as exc:
                failed += 1
                self.stderr.write(f"{name}: error: {exc}")
            except RecursionError:
                failed += 1
                self.stderr.write(f"{name}: error: 页面的标签嵌套太深，无法读取")
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
                failed += 1
                self.stderr.write(
                    f"{name}: error: 导入失败（{type(exc).__name__}），其他文件照常导入"
                )
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} files failed", returncode=1)

    def import_one(self, name, parent, dry_run):
        path = Path(name)
        try:
            if not path.is_file():
                raise LegacyError("文件不存在或不是普通文件")
            if path.stat().st_size > MAX_BYTES:
                raise LegacyError("文件太大（超过 20 MB），不是保存的网页")
            data = path.read_bytes()
        except OSError as exc:
            raise LegacyError(f"无法读取文件：{exc.strerror or exc}") from None
        article = read_article(data, path.name)
        result = save_draft(article, data, name, parent, dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"{name} -> {result.path} (draft){suffix}")
        # A title that names a child is not printed: terminals end up in logs.
        title_flagged = any(flag.line == article.title_line for flag in article.flags)
        title = "（标题有隐私问题，见下方提示）" if title_flagged else article.title
        if result.status == "same article":
            self.stdout.write(f"  unchanged: the same article as {result.first_file}: {title}")
        else:
            self.stdout.write(f"  {result.status}: {title}")
        removed = ", ".join(
            f"{kind} {count}（{KIND_LABELS.get(kind, kind)}）"
            for kind, count in sorted(article.removed.items())
        )
        self.stdout.write(f"  removed: {removed or 'nothing'}")
        for flag in article.flags:
            self.stdout.write(f"  flag: {name}:{flag.line} {flag.kind} {flag.text}")
        for note in article.notes:
            self.stdout.write(f"  note: {note}")
