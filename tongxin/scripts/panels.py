from django.core.exceptions import FieldDoesNotExist
from wagtail.admin.panels import Panel

from .convert import ambiguous_report
from .rendition import rules_for

# Fields whose text is not page text: the page's own conversion rules are the editor's
# answers to this panel, not prose the panel should question.
NOT_CHECKED = ("conversion_rules",)


def checked_texts(page):
    """(field label, text) of the page's reader-visible text, without its conversion rules."""
    skipped = set()
    for name in NOT_CHECKED:
        try:
            skipped.add(str(page._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            continue
    # Read where the panel is used: core's page base imports this module.
    from tongxin.core.text import page_texts

    for label, text in page_texts(page):
        if label not in skipped:
            yield label, text
    # Left out of page_texts, but readers see it in <title> and link previews.
    seo_title = getattr(page, "seo_title", "")
    if seo_title:
        yield str(page._meta.get_field("seo_title").verbose_name), seo_title


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
                for label, text in checked_texts(page):
                    for item in ambiguous_report(text, variant=variant, rules=rules):
                        rows.append({"field": label, **item})
            context["rows"] = rows
            return context
