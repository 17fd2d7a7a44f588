"""Editor-managed conversion rules and the site's choice of traditional character standard."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

VARIANT_CHOICES = [
    ("tw", "台湾标准字形（默认，如 為、裡、著）"),
    ("hk", "香港标准字形（如 爲、裏、着）"),
    ("t", "OpenCC 标准繁体"),
]


class ConversionRule(models.Model):
    """A phrase that converts to exactly this rendition, in both directions, site-wide."""

    hans = models.CharField("简体", max_length=100, unique=True)
    hant = models.CharField("繁体", max_length=100)
    note = models.CharField("说明", max_length=200, blank=True)

    panels = [FieldPanel("hans"), FieldPanel("hant"), FieldPanel("note")]

    class Meta:
        verbose_name = "字词转换规则"
        verbose_name_plural = "字词转换规则"
        ordering = ["hans"]

    def __str__(self):
        return f"{self.hans} ⇄ {self.hant}"


@register_setting(icon="arrows-up-down")
class ScriptSettings(BaseGenericSetting):
    hant_variant = models.CharField(
        "繁体字形标准", max_length=2, choices=VARIANT_CHOICES, default="tw"
    )

    panels = [FieldPanel("hant_variant")]

    class Meta:
        verbose_name = "简繁转换设置"
