"""身份记录访问: who opened, changed, added, deleted an identity record or downloaded its
consent form, and when. For privacy officers (and superusers) only.

Rows are Wagtail's own audit log entries (ModelLogEntry) for StoryIdentity: labelled with the
story's title, never the real name (str(identity)), so the report itself leaks nothing.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from .models import StoryIdentity

IDENTITY_VIEW = "tongxin.identity.view"
CONSENT_FORM_DOWNLOAD = "tongxin.consent_form.download"
ACTIONS = {
    IDENTITY_VIEW: _("查看"),
    "wagtail.create": _("新建"),
    "wagtail.edit": _("修改"),
    "wagtail.delete": _("删除"),
    CONSENT_FORM_DOWNLOAD: _("下载同意书"),
}


def identity_entries():
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StoryIdentity), action__in=ACTIONS
    ).select_related("user")


class IdentityAccessFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=list(ACTIONS.items()), empty_label=_("全部操作")
    )
    timestamp = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)

    class Meta:
        model = ModelLogEntry
        fields = ["action", "timestamp"]


def who(entry):
    user = entry.user
    if user is None:
        return gettext("（系统）")
    return user.get_full_name().strip() or user.get_username()


class IdentityAccessReportView(ReportView):
    page_title = _("身份记录访问")
    header_icon = "lock"
    filterset_class = IdentityAccessFilterSet
    index_url_name = "stories_identity_access"
    index_results_url_name = "stories_identity_access_results"
    # Those who may view identity records: privacy officers; superusers pass every check.
    permission_policy = ModelPermissionPolicy(StoryIdentity)
    permission_required = "view"
    default_ordering = "-timestamp"
    columns = [
        Column(
            "timestamp",
            label=_("时间"),
            accessor=lambda e: e.timestamp.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            sort_key="timestamp",
        ),
        Column("user", label=_("操作人"), accessor=who),
        Column("action", label=_("操作"), accessor=lambda e: ACTIONS.get(e.action, e.action)),
        Column("label", label=_("记录（故事标题）"), accessor="label"),
        Column("object_id", label=_("记录编号"), accessor="object_id"),
    ]
    list_export = ["timestamp", "user_display", "action_display", "label", "object_id"]
    export_headings = {
        "timestamp": _("时间"),
        "user_display": _("操作人"),
        "action_display": _("操作"),
        "label": _("记录（故事标题）"),
        "object_id": _("记录编号"),
    }

    def get_filename(self):
        return "identity-access"

    def get_queryset(self):
        self.queryset = identity_entries()
        return super().get_queryset()

    def to_row_dict(self, item):
        item.user_display = who(item)
        item.action_display = ACTIONS.get(item.action, item.action)
        return super().to_row_dict(item)
