from django.apps import AppConfig


class ScriptsConfig(AppConfig):
    name = "tongxin.scripts"
    label = "scripts"
    verbose_name = "简繁转换"

    def ready(self):
        from . import signals  # noqa: F401
