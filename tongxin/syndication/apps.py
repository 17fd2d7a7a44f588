from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "tongxin.syndication"
    label = "syndication"
