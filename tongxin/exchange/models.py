"""What `import_legacy` remembers about each draft it made: fingerprint, report, original."""

import os
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stories.models import private_storage


def original_path(instance, filename):
    """A random name: saved pages are often named after the article, and an old article may
    name a child; a stored name ends up in backups and directory listings."""
    extension = os.path.splitext(filename)[1].lower()[:6]
    return f"legacy-originals/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


class LegacyImport(models.Model):
    """One imported article. The original file is kept in private storage (never a Wagtail
    document: documents have public URLs and show up in the document chooser, and an old
    page may name a child with school and class), downloadable from the draft's edit page by
    editors who may edit it."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="legacy_import"
    )
    fingerprint = models.CharField(_("文章指纹"), max_length=64, unique=True)
    file_hash = models.CharField(_("原文件指纹"), max_length=64, db_index=True)
    file_name = models.CharField(_("原文件名"), max_length=255)
    original = models.FileField(
        _("原文件"), storage=private_storage, upload_to=original_path, max_length=255
    )
    encoding = models.CharField(_("编码"), max_length=20)
    # Removed kinds with counts, flags (masked text only), notes and the hash of the content
    # last written, so an unchanged re-run writes nothing.
    report = models.JSONField(_("导入报告"), default=dict)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("旧网站导入记录")
        verbose_name_plural = _("旧网站导入记录")

    def __str__(self):
        return self.file_name
