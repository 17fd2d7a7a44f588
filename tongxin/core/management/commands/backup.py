"""`manage.py backup [--output DIR]` (`make backup`): one dated, encrypted archive of the
database, media/ and the private consent forms (tongxin.core.backup)."""

import os

from django.core.management.base import BaseCommand, CommandError

from tongxin.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库、媒体文件和私密文件（同意书）到一个加密的、带日期的归档文件"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR", "backups"),
            help="备份文件夹（默认 BACKUP_DIR 或 backups/）",
        )

    def handle(self, *args, **options):
        try:
            path = backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
