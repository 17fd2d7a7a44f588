from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "tongxin.syndication"
    label = "syndication"
    verbose_name = _("订阅源与嵌入")
