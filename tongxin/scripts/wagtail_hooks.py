import wagtail.admin.rich_text.editors.draftail.features as draftail_features
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineStyleElementHandler
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ConversionRule

KEEP_STYLE = "KEEP"


class ConversionRuleViewSet(SnippetViewSet):
    model = ConversionRule
    icon = "arrows-up-down"
    menu_label = _("简繁转换规则")
    list_display = ["hans", "hant", "note"]
    search_fields = ["hans", "hant"]
    add_to_admin_menu = True


register_snippet(ConversionRuleViewSet)


@hooks.register("register_rich_text_features")
def register_keep_as_written(features):
    """An inline control that marks text to be shown exactly as written in both scripts
    (names, quoted titles). Stored as <span data-keep>, rendered as -{…}- for the converter."""
    features.register_editor_plugin(
        "draftail",
        "keep-as-written",
        draftail_features.InlineStyleFeature(
            {"type": KEEP_STYLE, "label": _("原"), "description": _("简繁不转换（保持原样）")}
        ),
    )
    features.register_converter_rule(
        "contentstate",
        "keep-as-written",
        {
            "from_database_format": {"span[data-keep]": InlineStyleElementHandler(KEEP_STYLE)},
            "to_database_format": {
                "style_map": {KEEP_STYLE: {"element": "span", "props": {"data-keep": "1"}}}
            },
        },
    )
