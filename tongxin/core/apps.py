from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongxin.core"
    label = "core"

    def ready(self):
        from . import frontendcache
        from .contentversion import connect_signals

        connect_signals()
        frontendcache.connect_signals()
