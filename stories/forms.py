import copy

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Task

from tongxin.core.page_forms import TongxinPageForm

from .guard import check_story

# Where a guard problem belongs in the edit form, when it belongs to one field.
FIELD_OF_LABEL = {
    "标题": "title",
    "网址别名": "slug",
    "SEO 标题": "seo_title",
    "搜索描述": "search_description",
    "摘要": "summary",
    "化名": "pseudonym",
    "地区": "region",
    "困境类型": "circumstances",
    "标签": "tags",
    "获得的帮助": "support",
}


def approval_ends_workflow(page):
    """Would approving the page's current task end its workflow (which then publishes the
    latest revision)? True when no other active task of the workflow is left to approve."""
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_IN_PROGRESS:
        return False
    current = state.current_task_state
    later_tasks = (
        Task.objects.filter(workflow_tasks__workflow=state.workflow, active=True)
        .exclude(task_states__in=state.successful_task_states)
        .exclude(pk=current.task_id if current else None)
    )
    return not later_tasks.exists()


class StoryForm(TongxinPageForm):
    """Holds back the publish button (and refuses the final workflow approval) while the
    privacy guard finds a problem, and says which field and what matched (masked: the editor
    may not know the real identity). The publish button's problems are kept in
    `privacy_problems` for stories.views, which saves the draft and reports them; an approval
    is refused as an invalid form. Saving a draft or submitting for moderation is never
    refused."""

    def goes_live(self):
        """Will this submission publish the page? The publish button does; so does the
        approval of a workflow's last task (the workflow then publishes the revision)."""
        if self.data.get("action-publish"):
            return True
        if not (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
            and self.instance.pk
        ):
            return False
        return approval_ends_workflow(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.goes_live():
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            if name in self.fields and hasattr(candidate, name) and name != "comments":
                try:
                    setattr(candidate, name, value)
                except (TypeError, ValueError):
                    continue
        problems = check_story(candidate)
        # The publish button: the story views (stories.views) save the draft and report
        # these; the form stays valid so that the draft can be saved.
        self.privacy_problems = problems
        if self.data.get("action-publish"):
            return cleaned
        for problem in problems:
            field = FIELD_OF_LABEL.get(problem.field)
            message = gettext("隐私检查未通过（%(field)s）：%(message)s") % {
                "field": problem.field,
                "message": problem.message,
            }
            if field and field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned


class ConsentFormInput(forms.ClearableFileInput):
    """The file input of a consent form: the current file is linked to the permission-checked
    download view, never to a storage URL (private storage has none)."""

    template_name = "stories/widgets/consent_form_input.html"
    download_url = ""

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        return value if self.is_initial(value) else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        return context


class StoryIdentityForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("consent_form")
        if field is not None:
            widget = ConsentFormInput()
            if self.instance.pk and self.instance.consent_form:
                widget.download_url = reverse(
                    "story_identity_consent_form", args=[self.instance.pk]
                )
            field.widget = widget

    def save(self, commit=True):
        if getattr(self, "for_user", None) is not None and self.for_user.is_authenticated:
            self.instance.updated_by = self.for_user
        return super().save(commit=commit)

    def clean(self):
        cleaned = super().clean()
        obtained = cleaned.get("consent_obtained_on")
        expires = cleaned.get("consent_expires_on")
        if obtained and expires and expires < obtained:
            self.add_error("consent_expires_on", _("到期日期不能早于签署日期"))
        return cleaned
