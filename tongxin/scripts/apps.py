from django.apps import AppConfig


class ScriptsConfig(AppConfig):
    name = "tongxin.scripts"
    label = "scripts"
