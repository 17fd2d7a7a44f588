from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScriptsConfig(AppConfig):
    name = "tongxin.scripts"
    label = "scripts"
    verbose_name = _("简繁转换")

    def ready(self):
        from . import signals  # noqa: F401
