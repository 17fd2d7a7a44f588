"""The newsroom's groups (tongxin.editorial.roles) and the 审核发布 workflow on the whole tree.

Wagtail's Editors and Moderators become 编辑 and 责任编辑, their members kept; Wagtail's
default "Moderators approval" workflow becomes 审核发布: 初审 (责任编辑, credited on the
article) → 隐私审核 (隐私专员, stories only) → 终审 (主编).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from tongxin.editorial.roles import (
    CHIEF_EDITORS,
    PRIVACY_OFFICERS,
    REVIEWERS,
    apply_roles,
)

WORKFLOW = "审核发布"
STEPS = [
    ("初审", REVIEWERS, {"credits_approver": True}),
    ("隐私审核", PRIVACY_OFFICERS, {"stories_only": True}),
    ("终审", CHIEF_EDITORS, {}),
]


def create_all_permissions(apps):
    # Permissions are normally created after the whole migrate run (post_migrate); this
    # migration assigns them, so on a fresh database they are created here first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    create_all_permissions(apps)
    apply_roles(apps)

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ReviewTask = apps.get_model("editorial", "ReviewTask")

    content_type, _ = ContentType.objects.get_or_create(app_label="editorial", model="reviewtask")
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow is None:
        workflow = Workflow(active=True)
    workflow.name = WORKFLOW
    workflow.active = True
    workflow.save()

    # Wagtail's own single step is replaced; it stays in the task list, switched off.
    old = WorkflowTask.objects.filter(workflow=workflow).exclude(
        task__content_type=content_type
    )
    Task.objects.filter(pk__in=old.values("task_id")).update(active=False)
    old.delete()

    for order, (name, group_name, flags) in enumerate(STEPS):
        task = ReviewTask.objects.filter(name=name).first()
        if task is None:
            task = ReviewTask.objects.create(
                name=name, content_type=content_type, active=True, **flags
            )
        task.groups.set(Group.objects.filter(name=group_name))
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    # Existing users who never chose an admin language get simplified Chinese, like new ones.
    User = apps.get_model("auth", "User")
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    for user in User.objects.all():
        profile, _ = UserProfile.objects.get_or_create(user=user)
        if not profile.preferred_language:
            profile.preferred_language = "zh-hans"
            profile.save(update_fields=["preferred_language"])


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_issue12_review_task"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("core", "0001_initial"),
        ("scripts", "0002_variant_labels"),
        ("campaigns", "0005_issue12_responsible_editor"),
        ("stories", "0004_issue12_responsible_editor"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
