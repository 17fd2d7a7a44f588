"""The newsroom's roles, as Wagtail groups. One definition, applied by the data migration
(0002_issue12_roles_and_workflow), which passes its historical app registry.

Who does what (docs/editors.md explains it to editors):
- 编辑 writes: creates and edits pages, submits them for review; cannot publish.
- 责任编辑 reviews first (初审): approves or requests changes with a comment; edits the
  site-wide conversion rules.
- 主编 reviews last (终审) and is, with administrators, the only one who publishes or
  unpublishes outside the workflow.
- 隐私专员 opens identity records and does the privacy review of stories.
- 基金管理员 keeps funds and their figures.
- 站点管理员 approves donation hosts, edits conversion rules, settings and users.
"""

from dataclasses import dataclass, field

EDITORS = "编辑"
REVIEWERS = "责任编辑"
CHIEF_EDITORS = "主编"
PRIVACY_OFFICERS = "隐私专员"
FUND_MANAGERS = "基金管理员"
SITE_MANAGERS = "站点管理员"

# Wagtail's own default groups (wagtailcore 0002) become the first two roles, members kept.
RENAMED = {"Editors": EDITORS, "Moderators": REVIEWERS}

CRUD = ("add", "change", "delete", "view")
WRITE = ("add", "change", "view")


@dataclass(frozen=True)
class Role:
    # GroupPagePermission codenames on the root page, i.e. the whole tree.
    pages: tuple = ()
    # GroupCollectionPermission actions on the root collection, for images and documents.
    media: tuple = ()
    # "app_label.model" -> actions, as Django model permissions (snippets, settings, users).
    models: dict = field(default_factory=dict)


ROLES = {
    EDITORS: Role(
        pages=("add", "change"),
        media=("add", "change", "choose"),
        models={"campaigns.organization": WRITE, "campaigns.fund": ("view",)},
    ),
    REVIEWERS: Role(
        pages=("add", "change", "lock", "unlock"),
        media=("add", "change", "choose"),
        models={
            "campaigns.organization": WRITE,
            "campaigns.fund": ("view",),
            "scripts.conversionrule": CRUD,
        },
    ),
    CHIEF_EDITORS: Role(
        pages=("add", "change", "publish", "lock", "unlock", "bulk_delete"),
        media=("add", "change", "delete", "choose"),
        models={
            "campaigns.organization": WRITE,
            "campaigns.fund": ("view",),
            "scripts.conversionrule": ("view",),
        },
    ),
    PRIVACY_OFFICERS: Role(
        pages=("add", "change"),
        media=("choose",),
        models={"stories.storyidentity": CRUD},
    ),
    FUND_MANAGERS: Role(
        media=("add", "change", "choose"),
        models={"campaigns.fund": WRITE, "campaigns.organization": WRITE},
    ),
    SITE_MANAGERS: Role(
        media=("add", "change", "delete", "choose"),
        models={
            "campaigns.donationhost": CRUD,
            "campaigns.donationbanner": ("change",),
            "scripts.conversionrule": CRUD,
            "scripts.scriptsettings": ("change",),
            "auth.user": CRUD,
            "wagtailredirects.redirect": CRUD,
            "wagtailcore.workflow": ("add", "change", "delete"),
            "wagtailcore.task": ("add", "change", "delete"),
        },
    ),
}

# Permissions that must go when a role does not list them: Wagtail gives Moderators
# publish rights, and earlier releases of Tongxin gave privacy officers the same.
MEDIA_MODELS = (("core", "tongxinimage"), ("wagtaildocs", "document"))
PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


def apply_roles(apps):
    """Create or rename the groups and give each exactly its page and media permissions, and
    at least its model permissions. Idempotent."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")

    for old, new in RENAMED.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for model, actions in role.models.items():
            app_label, model_name = model.split(".")
            group.permissions.add(*(permission(app_label, f"{a}_{model_name}") for a in actions))
        if root_page is not None:
            for action in PAGE_ACTIONS:
                perm = permission("wagtailcore", f"{action}_page")
                if action in role.pages:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=perm
                    )
                else:
                    GroupPagePermission.objects.filter(group=group, permission=perm).delete()
        if root_collection is not None:
            wanted = [f"{a}_{model}" for a in role.media for _, model in MEDIA_MODELS]
            GroupCollectionPermission.objects.filter(group=group).exclude(
                permission__codename__in=wanted
            ).delete()
            # Not every action exists for every media model (the custom image model has no
            # "choose" permission): give those that do.
            for app_label, _model in MEDIA_MODELS:
                for perm in Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=wanted
                ):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )
