from wagtail.admin.panels import Panel

from tongxin.core.text import page_texts

from .convert import ambiguous_report
from .rendition import rules_for


class AmbiguousCharactersPanel(Panel):
    """Lists every one-to-many simplified character in the page and what the traditional
    rendition made of it, so an editor can add a rule where OpenCC guessed wrong."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "scripts/ambiguous_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["source_script"] = getattr(page, "script", "hans")
            rows = []
            if page is not None and page.pk and context["source_script"] == "hans":
                variant, rules = rules_for(page)
                for label, text in page_texts(page):
                    for item in ambiguous_report(text, variant=variant, rules=rules):
                        rows.append({"field": label, **item})
            context["rows"] = rows
            return context
