from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ConversionRule, ScriptSettings
from .rendition import forget_site_config


@receiver([post_save, post_delete], sender=ConversionRule)
@receiver([post_save, post_delete], sender=ScriptSettings)
def conversion_config_changed(sender, **kwargs):
    forget_site_config()
