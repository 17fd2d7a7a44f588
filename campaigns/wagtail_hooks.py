from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DonationHost, Fund, Organization


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = "机构"
    list_display = ["name", "kind", "region"]
    search_fields = ["name"]


class FundViewSet(SnippetViewSet):
    model = Fund
    icon = "pick"
    menu_label = "基金"
    list_display = ["name", "organization", "status", "raised", "target"]
    list_filter = ["status"]


class DonationHostViewSet(SnippetViewSet):
    model = DonationHost
    icon = "lock"
    menu_label = "募捐平台域名"
    list_display = ["host", "note"]


class FundraisingGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, FundViewSet, DonationHostViewSet)
    menu_icon = "pick"
    menu_label = "机构与基金"
    menu_name = "fundraising"


register_snippet(FundraisingGroup)
