"""The approving 责任编辑, written into the revision that goes live."""

import re

from wagtail.models import Revision

CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
FIELD = "responsible_editor"
MAX_LENGTH = 60


def display_name(user):
    """How a reviewer is credited: the full name, family name first for Chinese names
    (张 + 伟 → 张伟, not Django's "伟 张"), else the username."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and CJK.match(first) and CJK.match(last):
        name = last + first
    else:
        name = user.get_full_name().strip()
    return (name or user.get_username())[:MAX_LENGTH]


def credit_responsible_editor(page, user):
    """Set the name on the page's latest revision, the one the workflow goes on with and
    finally publishes. Kept with that revision: a later edit copies it, and the next
    approval replaces it with its own approver."""
    specific_class = page.specific_class
    if specific_class is None or FIELD not in {f.name for f in specific_class._meta.fields}:
        return
    revision = Revision.objects.for_instance(page).order_by("-created_at", "-id").first()
    if revision is None:
        return
    revision.content[FIELD] = display_name(user)
    revision.save(update_fields=["content"])
