"""The review step of the 审核发布 workflow (docs/editors.md, 审核流程)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from .credit import credit_responsible_editor


class ReviewTask(AbstractGroupApprovalTask):
    """A group's approval, as Wagtail's, with two newsroom options.

    One workflow serves the whole tree: a step meant for stories only (隐私审核) skips itself
    on other pages, which Wagtail's WorkflowState.update supports (a task may finish in
    start()). That keeps one workflow to explain and administer instead of a second one
    that would have to be assigned to every story index page as it is created.
    """

    credits_approver = models.BooleanField(
        _("通过者署名为责任编辑"),
        default=False,
        help_text=_("勾选后，通过这一步的人的姓名作为“责任编辑”显示在发布的文章上（初审勾选）"),
    )
    stories_only = models.BooleanField(
        _("只审核受助儿童故事"),
        default=False,
        help_text=_("勾选后，这一步只用于故事页面，其他页面自动跳过（隐私审核勾选）"),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + [
        "credits_approver",
        "stories_only",
    ]

    class Meta:
        verbose_name = _("审核步骤")
        verbose_name_plural = _("审核步骤")

    def applies_to(self, obj):
        from stories.models import StoryPage

        return not self.stories_only or isinstance(getattr(obj, "specific", obj), StoryPage)

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        if not self.applies_to(workflow_state.content_object):
            task_state.status = TaskState.STATUS_SKIPPED
            task_state.finished_at = task_state.started_at
            task_state.save(update_fields=["status", "finished_at"])
        return task_state

    def on_action(self, task_state, user, action_name, **kwargs):
        # Before approving: approval of the last step publishes the latest revision at once,
        # so the name must already be in it.
        if action_name == "approve" and self.credits_approver:
            credit_responsible_editor(task_state.workflow_state.content_object, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员审核这一步：通过，或要求修改并写明意见")
