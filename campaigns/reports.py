"""捐款点击统计: the admin report of the /donate/<key>/ click-through counts.

Rows are DonationClick buckets (fund, day, source page, count); nothing about the reader
was ever stored. Anyone who may view funds may read it.
"""

import django_filters
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import DonationClick, Fund


class DonationClickFilterSet(WagtailFilterSet):
    fund = django_filters.ModelChoiceFilter(
        label=_("基金"),
        empty_label=_("全部基金"),
        queryset=lambda request: Fund.objects.order_by("name"),
    )
    day = django_filters.DateFromToRangeFilter(label=_("日期"), widget=DateRangePickerWidget)

    class Meta:
        model = DonationClick
        fields = ["fund", "day"]


class DonationClickReportView(ReportView):
    page_title = _("捐款点击统计")
    header_icon = "pick"
    results_template_name = "campaigns/donation_click_report_results.html"
    filterset_class = DonationClickFilterSet
    index_url_name = "campaigns_donation_clicks"
    index_results_url_name = "campaigns_donation_clicks_results"
    permission_policy = ModelPermissionPolicy(Fund)
    permission_required = "view"
    default_ordering = "-day"
    columns = [
        Column("fund", label=_("基金"), accessor=lambda row: row.fund.name),
        Column("day", label=_("日期"), accessor=lambda row: row.day.isoformat(), sort_key="day"),
        Column("source", label=_("来源页面"), accessor="source_label"),
        Column("count", label=_("点击次数"), sort_key="count"),
    ]
    list_export = ["fund.name", "day", "source_label", "count"]
    export_headings = {
        "fund.name": _("基金"),
        "day": _("日期"),
        "source_label": _("来源页面"),
        "count": _("点击次数"),
    }

    def get_filename(self):
        return "donation-clicks"

    def get_queryset(self):
        self.queryset = DonationClick.objects.select_related("fund", "source_page")
        return super().get_queryset()

    def order_queryset(self, queryset):
        # A stable order within a day: fund, then source page.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "fund__name", "source_page_id", "pk")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["total_clicks"] = self.object_list.aggregate(total=Sum("count"))["total"] or 0
        return context
