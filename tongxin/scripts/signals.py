from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ConversionRule, ScriptSettings
from .rendition import forget_site_config
from .site_terms import forget_site_terms, refresh_site_names, source_models


@receiver([post_save, post_delete], sender=ConversionRule)
@receiver([post_save, post_delete], sender=ScriptSettings)
def conversion_config_changed(sender, **kwargs):
    forget_site_config()
    forget_site_terms()
    if sender is ConversionRule and not kwargs.get("raw"):
        refresh_site_names()


_name_models = None


@receiver([post_save, post_delete])
def names_changed(sender, **kwargs):
    """A byline, credit, pseudonym or organisation saved or deleted: collect names anew."""
    global _name_models
    if _name_models is None:
        _name_models = source_models()
    if sender in _name_models and not kwargs.get("raw"):
        refresh_site_names()
