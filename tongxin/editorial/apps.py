from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The editorial desk: roles, the 审核发布 workflow, the credited 责任编辑, pinyin slugs,
    the admin's language."""

    name = "tongxin.editorial"
    label = "editorial"
    verbose_name = _("编辑部")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .language import default_admin_language

        post_save.connect(
            default_admin_language,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="tongxin-default-admin-language",
        )
