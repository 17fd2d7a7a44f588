"""Who may touch funds and approved donation hosts.

Editors and moderators keep organizations and funds up to date (add, change, view: a fund's
donation link is still checked against the approved hosts). The approved hosts themselves
are for administrators only: no default group holds any DonationHost permission, so no one
but a superuser decides where donations go. Run after every migrate (permissions exist only
once post_migrate has run), idempotently; like stories.roles.
"""

from django.contrib.auth.models import Group, Permission

# Wagtail's own groups (data migration wagtailcore 0002) and their Chinese names, in case
# an administrator renamed them.
EDITOR_GROUPS = ("Editors", "Moderators", "编辑", "责任编辑")
FUNDRAISING_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("fund", "organization")
    for action in ("add", "change", "view")
]
HOST_MODEL = "donationhost"


def ensure_fundraising_roles(**kwargs):
    groups = list(Group.objects.filter(name__in=EDITOR_GROUPS))
    if not groups:
        return
    campaign_permissions = Permission.objects.filter(content_type__app_label="campaigns")
    wanted = list(campaign_permissions.filter(codename__in=FUNDRAISING_PERMISSIONS))
    forbidden = list(campaign_permissions.filter(content_type__model=HOST_MODEL))
    for group in groups:
        if wanted:
            group.permissions.add(*wanted)
        if forbidden:
            group.permissions.remove(*forbidden)
