"""The story's add and edit views: a story the privacy check holds back is saved as a draft.

Wagtail's own views refuse an invalid form with "The page could not be created/saved due to
validation errors." and keep nothing. For a story held back by the privacy check that
message is wrong on both counts, so the publish button goes through these views instead
(registered as the StoryPage viewset in wagtail_hooks): the draft is saved, nothing is
published, and the editor reads, in Chinese, that it was saved as a draft and every finding
with its field and position. Other validation errors keep Wagtail's behaviour.

The moderator's final approval is refused the same way wherever it is given: on the edit page
(an invalid form) and with the approve button of the dashboard, the page listing or the
workflow modal (`StoryWorkflowActionView`): nothing is approved or published, the workflow
stays at its last step, and the moderator reads, in Chinese, every finding.

Possible person names the record does not know (`guard.name_warnings`) are shown to the
people who can see identity records (the privacy reviewers) as warnings after every save.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.log_actions import log

from .forms import FIELD_OF_LABEL, approval_ends_workflow
from .guard import check_story, name_warnings
from .models import PRIVACY_REFUSAL, StoryPage


def _where_and_what(problem):
    # Findings in the text already start with their field (「摘要」包含…); consent ones do not.
    if problem.message.startswith(f"「{problem.field}」"):
        return problem.message
    return f"{problem.field}：{problem.message}"


def held_back_message(request, problems):
    """The banner: saved as a draft, not published, each finding with where it is."""
    items = format_html_join("", "<li>{}</li>", ((_where_and_what(p),) for p in problems))
    messages.error(
        request,
        format_html(
            _(
                "已保存为草稿，没有发布：隐私检查发现 {} 处问题。请逐条修改后再点“发布”。"
                '<ul class="errorlist">{}</ul>'
            ),
            len(problems),
            items,
        ),
    )


def refused_approval_message(request, problems):
    """The banner for a final approval the privacy check refused: nothing approved or live."""
    items = format_html_join("", "<li>{}</li>", ((_where_and_what(p),) for p in problems))
    messages.error(
        request,
        format_html(
            _(
                "没有批准，也没有发布：隐私检查发现 {} 处问题，请修改后再批准。"
                '<ul class="errorlist">{}</ul>'
            ),
            len(problems),
            items,
        ),
    )


def warn_about_names(view):
    """Possible names of people the record does not know, for the privacy reviewer."""
    request, page = view.request, view.page
    if view.expects_json_response or not request.user.has_perm("stories.view_storyidentity"):
        return
    warnings = name_warnings(page)
    if not warnings:
        return
    items = format_html_join("", "<li>{}</li>", ((w.message,) for w in warnings[:20]))
    messages.warning(
        request,
        format_html(
            _(
                "请隐私审核人留意：下列文字可能含有未登记的人名（不影响发布）。"
                "如是孩子或家人的真实姓名，请改用化名；官员、社工等以公开身份出现的成年人可保留。"
                "<ul>{}</ul>"
            ),
            items,
        ),
    )


def log_refusal(page, user, revision, problems):
    # Kinds and fields only, never the matched text (see StoryPage.publish).
    log(
        instance=page,
        action=PRIVACY_REFUSAL,
        user=user,
        revision=revision,
        data={
            "kinds": sorted({p.kind for p in problems}),
            "fields": sorted({p.field for p in problems}),
        },
    )


def _problems(form):
    return getattr(form, "privacy_problems", None) or []


class StoryCreateView(CreateView):
    def publish_action(self):
        problems = _problems(self.form)
        if not problems:
            response = super().publish_action()
            warn_about_names(self)
            return response
        # Saved like Wagtail's 保存草稿 (save_action), with our message instead of its own.
        self.page = self.form.save(commit=False)
        self.page.live = False
        self.parent_page.add_child(instance=self.page)
        self.set_default_privacy_setting()
        revision = self.page.save_revision(user=self.request.user, log_action=True, clean=False)
        self.subscription.page = self.page
        self.subscription.save()
        log_refusal(self.page, self.request.user, revision, problems)
        held_back_message(self.request, problems)
        warn_about_names(self)
        return self.redirect_and_remain()

    def save_action(self):
        response = super().save_action()
        warn_about_names(self)
        return response


class StoryEditView(EditView):
    def form_invalid(self, form):
        problems = _problems(form)
        if not problems or self.expects_json_response:
            return super().form_invalid(form)
        # The moderator's final approval: refused, nothing saved, the workflow stays put.
        refused_approval_message(self.request, problems)
        self.has_unsaved_changes = True
        return self.render_to_response(self.get_context_data())

    def publish_action(self):
        problems = _problems(self.form)
        if not problems:
            response = super().publish_action()
            warn_about_names(self)
            return response
        self.page = self.form.save(commit=not self.page.live)
        self.subscription.save()
        revision = self.page.save_revision(
            user=self.request.user,
            log_action=True,
            previous_revision=self.previous_revision,
            clean=False,
        )
        log_refusal(self.page, self.request.user, revision, problems)
        # The form is shown again with each finding on its field, as for any invalid form,
        # but over a saved draft: the next save starts from this revision.
        self.latest_revision = revision
        self.__dict__.pop("latest_revision_created_at", None)
        self.has_unsaved_changes = False
        for problem in problems:
            field = FIELD_OF_LABEL.get(problem.field)
            message = gettext("隐私检查未通过（%(field)s）：%(message)s") % {
                "field": problem.field,
                "message": problem.message,
            }
            self.form.add_error(field if field in self.form.fields else None, message)
        held_back_message(self.request, problems)
        warn_about_names(self)
        return self.render_to_response(self.get_context_data())

    def save_action(self):
        response = super().save_action()
        warn_about_names(self)
        return response


class StoryWorkflowActionView(WorkflowActionView):
    """The approve button outside the edit page (dashboard, listing, modal). Wagtail would
    mark the workflow approved and publish the latest revision, which StoryPage.publish then
    refuses without a word to the moderator: the story would sit approved and not live.
    The last approval is checked first instead and, when held back, not given."""

    def post(self, request, *args, **kwargs):
        page = self.object.specific
        if self.action_name == "approve" and approval_ends_workflow(page):
            revision = page.get_latest_revision()
            problems = check_story(revision.as_object()) if revision else []
            if problems:
                log_refusal(page, request.user, revision, problems)
                refused_approval_message(request, problems)
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    return self.render_modal_json(
                        request, {"step": "success", "redirect": self.redirect_url}
                    )
                return redirect(self.redirect_url)
        return super().post(request, *args, **kwargs)


class StoryPageViewSet(PageViewSet):
    model = StoryPage
    add_view_class = StoryCreateView
    edit_view_class = StoryEditView
    workflow_action_view_class = StoryWorkflowActionView
