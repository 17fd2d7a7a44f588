from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ConversionRule


class ConversionRuleViewSet(SnippetViewSet):
    model = ConversionRule
    icon = "arrows-up-down"
    menu_label = "简繁转换规则"
    list_display = ["hans", "hant", "note"]
    search_fields = ["hans", "hant"]
    add_to_admin_menu = True


register_snippet(ConversionRuleViewSet)
