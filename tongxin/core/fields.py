"""A list of short strings stored as one text column.

Tags, circumstances and purposes are short lists an editor types; a join table per page type
would cost a query per listing card, and JSON columns are awkward to edit in the admin.
"""

import re

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

SEPARATORS = re.compile(r"[\n,，、;；]+")


def split_items(value):
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else SEPARATORS.split(str(value))
    seen = []
    for item in items:
        item = str(item).strip()
        if item and item not in seen:
            seen.append(item)
    return seen


class StringListFormField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "、".join(value)
        return value

    def to_python(self, value):
        return split_items(super().to_python(value))


class StringListField(models.TextField):
    description = "A list of short strings"

    def from_db_value(self, value, expression, connection):
        return split_items(value)

    def to_python(self, value):
        return split_items(value)

    def get_prep_value(self, value):
        return "\n".join(split_items(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": StringListFormField,
            "help_text": self.help_text or _("多项用顿号、逗号或换行分隔"),
        }
        defaults.update(kwargs)
        field = super().formfield(**defaults)
        field.widget = forms.TextInput()
        return field
