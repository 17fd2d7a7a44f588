"""Admin listing columns shared by the apps' viewsets."""

from django.utils.translation import gettext
from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A boolean as editors read it: 是/否 (in the admin's language), not True/False or an
    icon titled "True"."""

    def get_value(self, instance):
        return gettext("是") if super().get_value(instance) else gettext("否")
