from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DonationHost, Fund, Organization
from .reports import DonationClickReportView


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
    """The approved fundraising platform hosts: administrators only (campaigns.roles gives
    no group any permission on them, and Wagtail's snippet views check model permissions)."""

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


@hooks.register("register_admin_urls")
def register_donation_report_urls():
    return [
        path(
            "reports/donation-clicks/",
            DonationClickReportView.as_view(),
            name="campaigns_donation_clicks",
        ),
        path(
            "reports/donation-clicks/results/",
            DonationClickReportView.as_view(results_only=True),
            name="campaigns_donation_clicks_results",
        ),
    ]


class DonationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return DonationClickReportView.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_donation_report_menu_item():
    return DonationReportMenuItem(
        "捐款点击统计",
        reverse("campaigns_donation_clicks"),
        name="donation-clicks",
        icon_name="pick",
        order=1000,
    )
