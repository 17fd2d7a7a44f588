"""`manage.py verify_integrity`: report live pages changed outside the CMS; exit 1 if any.

Run it from cron and alert on a non-zero exit (docs/operators.md).
"""

from django.core.management.base import BaseCommand, CommandError

from tongxin.core.integrity import check_site


class Command(BaseCommand):
    help = "比对每个已发布页面与其发布版本，以及渲染出的标题和描述；有差异时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-render",
            action="store_true",
            help="只比对数据库，不渲染页面（更快）",
        )

    def handle(self, *args, **options):
        findings = check_site(render=not options["no_render"])
        changed = [finding for finding in findings if finding.problems]
        for finding in findings:
            if finding.unverified:
                self.stdout.write(f"UNVERIFIED {finding.path}: 没有发布版本，无法比对字段")
        for finding in changed:
            self.stdout.write(f"CHANGED {finding}")
        if changed:
            raise CommandError(f"{len(changed)} 个页面在内容管理系统之外被改动", returncode=1)
        self.stdout.write("OK: 所有已发布页面与其发布版本一致")
