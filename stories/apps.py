from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("受助儿童故事")

    def ready(self):
        from .roles import ensure_privacy_roles

        # No sender: it runs after each app's migration signal, so by the last one every
        # permission it needs (created by auth's own post_migrate receiver) exists.
        post_migrate.connect(ensure_privacy_roles, dispatch_uid="tongxin-privacy-roles")
