"""The 隐私专员 (privacy officers) group.

Created after every migrate (permissions only exist once post_migrate has run), idempotently.
The roles migration (tongxin.editorial) defines every group; this keeps the privacy
officers' own permissions whatever an administrator did. They review stories in the
workflow (隐私审核) but do not publish outside it: that is for 主编 and administrators.
"""

from django.contrib.auth.models import Group, Permission

PRIVACY_OFFICERS = "隐私专员"
IDENTITY_PERMISSIONS = [
    "add_storyidentity",
    "change_storyidentity",
    "delete_storyidentity",
    "view_storyidentity",
]
PAGE_PERMISSIONS = ["add_page", "change_page"]


def ensure_privacy_roles(**kwargs):
    from wagtail.models import GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=PRIVACY_OFFICERS)
    wanted = Permission.objects.filter(
        content_type__app_label="stories", codename__in=IDENTITY_PERMISSIONS
    ) | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*wanted)

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
