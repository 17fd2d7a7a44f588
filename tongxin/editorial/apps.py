from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editorial desk: roles, the 审核发布 workflow, the credited 责任编辑, pinyin slugs."""

    name = "tongxin.editorial"
    label = "editorial"
    verbose_name = "编辑部"
    default_auto_field = "django.db.models.BigAutoField"
