from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter, log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DonationHost, Fund, Organization
from .reports import DonationClickReportView


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("机构")
    list_display = ["name", "kind", "region"]
    search_fields = ["name"]


FUND_FIGURES = "tongxin.fund.figures"
FIGURE_FIELDS = ("target", "raised", "raised_as_of", "annual_commitment", "status")


class FundEditView(SnippetEditView):
    def form_valid(self, form):
        # Wagtail logs "edited"; the audit log also keeps what the figures were and became,
        # since readers see them on every donation block.
        before = {name: form.initial.get(name) for name in FIGURE_FIELDS}
        response = super().form_valid(form)
        changes = {
            name: [str(before[name] if before[name] is not None else ""), str(value or "")]
            for name in FIGURE_FIELDS
            if name in form.changed_data
            for value in [getattr(self.object, name)]
        }
        if changes:
            log(instance=self.object, action=FUND_FIGURES, user=self.request.user, data=changes)
        return response


class FundViewSet(SnippetViewSet):
    model = Fund
    edit_view_class = FundEditView
    icon = "pick"
    menu_label = _("基金")
    list_display = ["name", "organization", "status", "raised", "target"]
    list_filter = ["status"]


class DonationHostViewSet(SnippetViewSet):
    """The approved fundraising platform hosts: administrators only (campaigns.roles gives
    no group any permission on them, and Wagtail's snippet views check model permissions)."""

    model = DonationHost
    icon = "lock"
    menu_label = _("募捐平台域名")
    list_display = ["host", "note"]


class FundraisingGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, FundViewSet, DonationHostViewSet)
    menu_icon = "pick"
    menu_label = _("机构与基金")
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
        _("捐款点击统计"),
        reverse("campaigns_donation_clicks"),
        name="donation-clicks",
        icon_name="pick",
        order=1000,
    )


@hooks.register("register_log_actions")
def register_fund_log_actions(actions):
    @actions.register_action(FUND_FIGURES)
    class FundFigures(LogFormatter):
        label = _("修改基金数字")

        def format_message(self, log_entry):
            labels = {name: Fund._meta.get_field(name).verbose_name for name in FIGURE_FIELDS}
            parts = [
                gettext("%(field)s：%(old)s → %(new)s")
                % {
                    "field": labels.get(name, name),
                    "old": old or gettext("空"),
                    "new": new or gettext("空"),
                }
                for name, (old, new) in log_entry.data.items()
            ]
            return gettext("修改了基金数字（%(changes)s）") % {"changes": "；".join(parts)}
