import mimetypes
import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter, log

from tongxin.core.columns import YesNoColumn

from .guard import check_story
from .models import PRIVACY_REFUSAL, StoryIdentity, StoryPage
from .reports import CONSENT_FORM_DOWNLOAD, IDENTITY_VIEW, IdentityAccessReportView


class StoryIdentityIndexView(IndexView):
    def get_base_queryset(self):
        # Each row is labelled with its story's title (str(identity)): one query, not one
        # per row.
        return super().get_base_queryset().select_related("story")


class StoryIdentityEditView(EditView):
    def get(self, request, *args, **kwargs):
        # Opening the form shows the real identity: that is an access, logged like an edit
        # (who, when, which record) for the privacy officers' report.
        response = super().get(request, *args, **kwargs)
        log(instance=self.object, action=IDENTITY_VIEW, user=request.user)
        return response


class StoryIdentityViewSet(ModelViewSet):
    """Identity records: a plain admin view, not a snippet, so nothing of it is revisioned,
    indexed or offered in choosers. Access follows the model permissions, which only the
    隐私专员 (privacy officers) group holds. Every label the admin shows or logs for a record
    is `str(identity)`: the story's title, never the real name."""

    model = StoryIdentity
    url_prefix = "story-identities"
    icon = "lock"
    menu_label = _("身份与授权")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "consent_obtained_on",
        "consent_expires_on",
        YesNoColumn("consent_web", label=_("同意在本站发布")),
        YesNoColumn("consent_partners", label=_("同意合作媒体转载")),
    ]
    index_view_class = StoryIdentityIndexView
    edit_view_class = StoryIdentityEditView
    # No search box: its query (a child's real name) would land in access logs as ?q=….
    search_fields = None
    inspect_view_enabled = False
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_identity_viewset():
    return StoryIdentityViewSet("story_identities")


@hooks.register("register_admin_viewset")
def register_story_page_viewset():
    # The add and edit views that save a held-back story as a draft (stories.views).
    from .views import StoryPageViewSet

    return StoryPageViewSet("story_pages")


def consent_form_download(request, pk):
    """The signed consent form, to privacy officers only, as an attachment nobody caches.

    Admin URLs already require a logged-in user with admin access (anonymous visitors are
    sent to the login page); on top of that this needs the identity view permission.
    """
    if not request.user.has_perm("stories.view_storyidentity"):
        raise PermissionDenied
    identity = get_object_or_404(StoryIdentity.objects.select_related("story"), pk=pk)
    if not identity.consent_form:
        raise Http404("no consent form on this record")
    try:
        handle = identity.consent_form.open("rb")
    except FileNotFoundError as exc:
        raise Http404("consent form file missing") from exc
    extension = os.path.splitext(identity.consent_form.name)[1].lower()
    # A neutral name: the stored one is random, and the child's name must not end up in
    # the downloads folder's listing either.
    filename = f"consent-form-{identity.pk}{extension}"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    log(instance=identity, action=CONSENT_FORM_DOWNLOAD, user=request.user)
    return response


@hooks.register("register_admin_urls")
def register_consent_form_url():
    return [
        path(
            "story-identities/<int:pk>/consent-form/",
            consent_form_download,
            name="story_identity_consent_form",
        ),
        path(
            "reports/identity-access/",
            IdentityAccessReportView.as_view(),
            name="stories_identity_access",
        ),
        path(
            "reports/identity-access/results/",
            IdentityAccessReportView.as_view(results_only=True),
            name="stories_identity_access_results",
        ),
    ]


class IdentityAccessMenuItem(MenuItem):
    def is_shown(self, request):
        policy = IdentityAccessReportView.permission_policy
        return policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_identity_access_menu_item():
    return IdentityAccessMenuItem(
        _("身份记录访问"),
        reverse("stories_identity_access"),
        name="identity-access",
        icon_name="lock",
        order=1010,
    )


@hooks.register("register_log_actions")
def register_story_log_actions(actions):
    actions.register_action(CONSENT_FORM_DOWNLOAD, _("下载同意书"), _("下载了签署的同意书"))
    actions.register_action(IDENTITY_VIEW, _("查看身份记录"), _("查看了身份记录"))

    @actions.register_action(PRIVACY_REFUSAL)
    class PrivacyRefusal(LogFormatter):
        label = _("隐私检查未通过")

        def format_message(self, log_entry):
            fields = "、".join(log_entry.data.get("fields", [])) or gettext("故事")
            return gettext("隐私检查未通过，此版本未发布（%(fields)s）") % {"fields": fields}


@hooks.register("before_publish_page")
def refuse_story_failing_privacy_check(request, page):
    """A second line behind StoryForm, for admin paths that publish without that form's
    validation. Workflow approval, bulk publish and scheduled publishing are stopped by
    StoryPage.publish; the edit view publishes through an action that bypasses it."""
    if not isinstance(page, StoryPage):
        return None
    problems = check_story(page)
    if not problems:
        return None
    if page.live and page.live_revision_id is None:
        # Wagtail's add view creates a page live before this hook runs; never published,
        # it must not stay live with the refused content in its row.
        type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    for problem in problems:
        messages.error(
            request,
            gettext("未发布，隐私检查未通过（%(field)s）：%(message)s")
            % {"field": problem.field, "message": problem.message},
        )
    return redirect("wagtailadmin_pages:edit", page.pk)
