from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "tongxin.syndication"
    label = "syndication"
    verbose_name = "订阅源与嵌入"

    def ready(self):
        from .cache import connect_signals

        connect_signals()
