from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "tongxin.syndication"
    label = "syndication"
    verbose_name = "订阅源与嵌入"
