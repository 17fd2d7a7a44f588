from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tongxin.search"
    label = "search"
