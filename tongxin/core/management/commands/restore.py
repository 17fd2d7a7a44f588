"""`manage.py restore FILE` (`make restore FILE=…`): restore a backup into an empty
database and empty media folders, then check the row counts against the backup's."""

from django.core.management.base import BaseCommand, CommandError

from tongxin.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到空数据库和空的媒体文件夹，并核对数量"

    def add_arguments(self, parser):
        parser.add_argument("file", help="make backup 写出的 .tar 文件")

    def handle(self, *args, **options):
        try:
            manifest, found = restore(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        expected = manifest["counts"]
        for name, count in expected.items():
            self.stdout.write(f"{name}: {found.get(name)} (backup: {count})")
        if any(found.get(name) != count for name, count in expected.items()):
            raise CommandError("恢复后的数量与备份时不一致")
        self.stdout.write(f"OK: restored backup of {manifest['created']}")
