"""Admin registration of the spam guard's extra terms.

No group is given permissions on SpamTerm, so only administrators (superusers) see it; the
shipped list (tongxin/core/data/spam_terms.txt) is maintained in the repository.
"""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SpamTerm


class SpamTermViewSet(SnippetViewSet):
    model = SpamTerm
    icon = "warning"
    menu_label = "垃圾内容词"
    add_to_settings_menu = True
    list_display = ["term", "note", "active", "created_at"]
    search_fields = ["term", "note"]


register_snippet(SpamTermViewSet)
