import html

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import MultiFieldPanel, Panel

from .convert import ambiguous_report
from .rendition import rules_for

# Fields whose text is not page text: the page's own conversion rules are the editor's
# answers to this panel, not prose the panel should question.
NOT_CHECKED = ("conversion_rules",)
RISK_LABELS = {"high": _("高：请核对"), "medium": _("中：自动判断"), "low": _("低：规则决定")}


def checked_texts(page):
    """(field label, text) of the page's reader-visible text, without its conversion rules.

    Rich text arrives without its tags; its entities are read back as the characters a
    reader sees, so that a row's context never shows markup (&nbsp;, &amp;).
    """
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
            yield label, html.unescape(text).replace("\xa0", " ")
    # Left out of page_texts, but readers see it in <title> and link previews.
    seo_title = getattr(page, "seo_title", "")
    if seo_title:
        yield str(page._meta.get_field("seo_title").verbose_name), seo_title


def ambiguity_rows(page):
    """The panel's rows for ``page``, riskiest first: only characters whose form depends on
    the sentence. Kept on the page object for the rest of the request (the panel and its
    surrounding section both ask)."""
    rows = getattr(page, "_tongxin_ambiguity_rows", None)
    if rows is not None:
        return rows
    rows = []
    if page is not None and page.pk and getattr(page, "script", "hans") == "hans":
        variant, rules = rules_for(page)
        for label, text in checked_texts(page):
            for item in ambiguous_report(text, variant=variant, rules=rules, only_context=True):
                rows.append({"field": label, "risk_label": RISK_LABELS[item["risk"]], **item})
        order = {"high": 0, "medium": 1, "low": 2}
        rows.sort(key=lambda row: order[row["risk"]])
    if page is not None:
        page._tongxin_ambiguity_rows = rows
    return rows


class ConversionSection(MultiFieldPanel):
    """The page's 简繁转换 section: collapsed unless the panel has a high-risk row."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def classes(self):
            classes = super().classes()
            page = self.instance
            if "collapsed" not in classes or page is None or not page.pk:
                return classes
            if any(row["risk"] == "high" for row in ambiguity_rows(page)):
                return [c for c in classes if c != "collapsed"]
            return classes


class AmbiguousCharactersPanel(Panel):
    """The characters of the page whose traditional form depends on the sentence, riskiest
    first, with what the rendition made of each and why, so that an editor can add a rule
    where the guess is wrong."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "scripts/ambiguous_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["source_script"] = getattr(page, "script", "hans")
            context["rows"] = ambiguity_rows(page)
            context["high"] = sum(1 for row in context["rows"] if row["risk"] == "high")
            return context
