from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "tongxin.home"
    label = "home"
