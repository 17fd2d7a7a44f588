"""Admin hooks: the spam guard's extra terms, and malformed page-edit submissions.

No group is given permissions on SpamTerm, so only administrators (superusers) see it; the
shipped list (tongxin/core/data/spam_terms.txt) is maintained in the repository.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .columns import YesNoColumn
from .models import SpamTerm


class SpamTermViewSet(SnippetViewSet):
    model = SpamTerm
    icon = "warning"
    menu_label = _("垃圾内容词")
    add_to_settings_menu = True
    list_display = ["term", "note", YesNoColumn("active", label=_("启用")), "created_at"]
    search_fields = ["term", "note"]


register_snippet(SpamTermViewSet)


# --- malformed page-edit submissions -------------------------------------------------------
# The edit form's widgets read their part of the POST (StreamField counts, block types and
# orders) without guarding against a missing or non-numeric value: a hand-made or truncated
# request raised KeyError or ValueError inside form validation and answered 500. The page's
# own editor never sends such data, so it is refused before the view validates, with a
# message, and the editor is sent back to the form.

MALFORMED_MESSAGE = _("提交的表单数据不完整或格式有误，页面没有保存。请重新打开编辑页面后再修改。")


def malformed(form_class, data, files):
    for name, field in form_class.base_fields.items():
        try:
            field.widget.value_from_datadict(data, files, name)
        except Exception:  # noqa: BLE001 - any failure to read the data is a malformed request
            return name
    return None


def refuse_malformed(request, page_class, back_to):
    if request.method != "POST":
        return None
    form_class = page_class.get_edit_handler().get_form_class()
    if malformed(form_class, request.POST, request.FILES) is None:
        return None
    messages.error(request, MALFORMED_MESSAGE)
    return redirect(back_to)


@hooks.register("before_edit_page")
def refuse_malformed_edit(request, page):
    return refuse_malformed(request, page.specific_class, request.get_full_path())


@hooks.register("before_create_page")
def refuse_malformed_create(request, parent_page, page_class):
    return refuse_malformed(request, page_class, request.get_full_path())
