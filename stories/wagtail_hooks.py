from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import StoryIdentity


class StoryIdentityViewSet(ModelViewSet):
    """Identity records: a plain admin view, not a snippet, so nothing of it is revisioned,
    indexed or offered in choosers. Access follows the model permissions, which only the
    隐私专员 (privacy officers) group holds."""

    model = StoryIdentity
    icon = "lock"
    menu_label = "身份与授权"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "consent_obtained_on",
        "consent_expires_on",
        "consent_web",
        "consent_partners",
    ]
    search_fields = None
    inspect_view_enabled = False
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_identity_viewset():
    return StoryIdentityViewSet("story_identities")
