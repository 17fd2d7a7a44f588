"""Editor-managed conversion rules and the site's choice of traditional character standard."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

VARIANT_CHOICES = [
    ("tw", _("台湾标准字形（默认，如 裡、臺、著、說）")),
    ("hk", _("香港标准字形（如 裏、台、着、説）")),
    ("t", _("OpenCC 标准繁体（如 裏、臺、爲、着）")),
]


class ConversionRule(models.Model):
    """A phrase that converts to exactly this rendition, in both directions, site-wide."""

    hans = models.CharField(_("简体"), max_length=100, unique=True)
    hant = models.CharField(_("繁体"), max_length=100)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("hans"), FieldPanel("hant"), FieldPanel("note")]

    class Meta:
        verbose_name = _("字词转换规则")
        verbose_name_plural = _("字词转换规则")
        ordering = ["hans"]

    def __str__(self):
        return f"{self.hans} ⇄ {self.hant}"

    def clean(self):
        from .convert import Rules

        super().clean()
        self.hans = (self.hans or "").strip()
        self.hant = (self.hant or "").strip()
        try:
            Rules([(self.hans, self.hant)])
        except ValueError:
            # The converter would skip the rule: say so instead of saving a dead rule.
            raise ValidationError(_("规则不能为空，也不能包含 -{ }- 标记或私用区字符")) from None


@register_setting(icon="arrows-up-down")
class ScriptSettings(BaseGenericSetting):
    hant_variant = models.CharField(
        _("繁体字形标准"), max_length=2, choices=VARIANT_CHOICES, default="tw"
    )
    corner_quotes = models.BooleanField(
        _("繁体版使用「」『』引号"),
        default=False,
        help_text=_(
            "开启后，繁体版把 “ ” ‘ ’ 显示为 「 」 『 』（台湾、香港出版物的写法）；"
            "简体版不变，英文中的撇号（如 it’s）保持原样。"
        ),
    )

    # The names the site holds (tongxin.scripts.site_terms), collected when one is saved so
    # that a reader's request reads them with this row instead of one query per source.
    site_names = models.JSONField(_("站点已有名称"), default=dict, blank=True, editable=False)

    panels = [FieldPanel("hant_variant"), FieldPanel("corner_quotes")]

    class Meta:
        verbose_name = _("简繁转换设置")
