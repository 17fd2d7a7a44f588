from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "tongxin.exchange"
    label = "exchange"
