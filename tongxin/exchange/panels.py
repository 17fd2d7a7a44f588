"""The warning on a draft made by `import_legacy`, at the top of its edit page."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from stories.privacy import find_leaks
from tongxin.core.text import page_texts

from .legacy.clean import KIND_LABELS


def legacy_record(page):
    if page is None or not page.pk:
        return None
    from .models import LegacyImport

    return LegacyImport.objects.filter(page_id=page.pk).first()


class LegacyImportPanel(Panel):
    """Shown only on imported pages: where the draft came from, what the import removed,
    and the privacy problems still in the text, checked again on every load (by the privacy
    guard's own patterns) so the warning goes away once the editor has fixed them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "exchange/legacy_import_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.record = legacy_record(self.instance)

        def is_shown(self):
            return self.record is not None and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            record, page = self.record, self.instance
            report = record.report
            context["record"] = record
            context["removed"] = [
                (KIND_LABELS.get(kind, kind), count)
                for kind, count in report.get("removed", {}).items()
            ]
            context["notes"] = report.get("notes", [])
            context["imported_flags"] = len(report.get("flags", []))
            context["leaks"] = [leak.message for leak in find_leaks(dict(page_texts(page)))]
            context["download_url"] = reverse("legacy_original", args=[page.pk])
            return context
