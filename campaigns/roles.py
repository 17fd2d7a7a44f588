"""Only administrators decide where donations go.

The approved hosts are for 站点管理员 and superusers: every other newsroom group (roles in
tongxin.editorial.roles) loses any DonationHost permission someone gave it, after every
migrate (permissions only exist once post_migrate has run), idempotently. Funds and their
figures belong to 基金管理员; editors see funds to choose them.
"""

from django.contrib.auth.models import Group, Permission

from tongxin.editorial.roles import (
    CHIEF_EDITORS,
    EDITORS,
    FUND_MANAGERS,
    PRIVACY_OFFICERS,
    REVIEWERS,
)

# Wagtail's own group names too, in case a database predates the roles migration.
EDITOR_GROUPS = (
    "Editors",
    "Moderators",
    EDITORS,
    REVIEWERS,
    CHIEF_EDITORS,
    PRIVACY_OFFICERS,
    FUND_MANAGERS,
)
HOST_MODEL = "donationhost"


def ensure_fundraising_roles(**kwargs):
    forbidden = list(
        Permission.objects.filter(
            content_type__app_label="campaigns", content_type__model=HOST_MODEL
        )
    )
    if not forbidden:
        return
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.remove(*forbidden)
