from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tongxin.search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from . import signals  # noqa: F401
