"""The donation call-to-action block and the body stream every article page uses."""

import copy
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.snippets.blocks import SnippetChooserBlock

from tongxin.core.blocks import (
    FiguresBlock,
    HeadingBlock,
    ImageBlock,
    ParagraphBlock,
    QuoteBlock,
    VideoBlock,
    WishesBlock,
)
from tongxin.core.formatting import format_amounts


class FundChooserBlock(SnippetChooserBlock):
    """The fund chooser, loading funds with their organization and custodian.

    Wagtail converts all blocks of a type in one `bulk_to_python` call, so a page with any
    number of donation blocks costs one query for their funds, and the disclosure (募捐组织,
    资金监管) none more.
    """

    def deconstruct(self):
        # Migrations record it as the SnippetChooserBlock it behaves like, so the body
        # StreamFields of every app that uses BodyBlock need no new migration.
        _, args, kwargs = super().deconstruct()
        return ("wagtail.snippets.blocks.SnippetChooserBlock", args, kwargs)

    def queryset(self):
        return self.model_class.objects.select_related("organization", "custodian")

    def to_python(self, value):
        if value is None:
            return None
        return self.queryset().filter(pk=value).first()

    def bulk_to_python(self, values):
        objects = self.queryset().in_bulk([v for v in values if v is not None])
        seen, result = set(), []
        for pk in values:
            obj = objects.get(pk)
            if obj is not None and pk in seen:
                obj = copy.copy(obj)  # as ChooserBlock does: one instance per block
            result.append(obj)
            seen.add(pk)
        return result


class DonateValue(blocks.StructValue):
    """What the call-to-action shows, computed here rather than in the template.

    The editor's heading and text are the page's own text (its script); the defaults come
    from the fund (snippet text, simplified). Progress, amounts and the disclosure are the
    fund's (campaigns.models.Fund).
    """

    @property
    def fund(self):
        return self.get("fund")

    @property
    def heading_text(self):
        """The heading as shown: the editor's, or the fund's default."""
        fund = self.fund
        return self.get("heading") or (fund.default_heading if fund else "")

    @property
    def default_text(self):
        """The text shown when the editor left it empty."""
        fund = self.fund
        return "" if self.get("text") or fund is None else fund.default_text

    @property
    def amounts_display(self):
        """Suggested amounts in the fund's currency and one unit: ["30 元", "100 元",
        "10,000 元"]."""
        currency = getattr(self.fund, "currency", "CNY")
        return format_amounts(self.get("amounts") or [], currency)

    @property
    def is_open(self):
        return bool(self.fund and self.fund.is_open)

    def links(self, request=None, source_page=None):
        """The button's link (`/donate/<key>/?from=<page id>`) and the QR code's target (the
        absolute URL of `/donate/<key>/`), both through the counted click-through."""
        fund = self.fund
        if fund is None:
            return SimpleNamespace(href="", qr_url="")
        qr_url = fund.donate_path
        if request is not None:
            qr_url = request.build_absolute_uri(qr_url)
        return SimpleNamespace(href=fund.donate_href(source_page), qr_url=qr_url)


class DonateBlock(blocks.StructBlock):
    fund = FundChooserBlock("campaigns.Fund", label=_("基金"))
    heading = blocks.CharBlock(label=_("标题"), required=False, max_length=120)
    text = blocks.TextBlock(label=_("说明"), required=False)
    amounts = blocks.ListBlock(
        blocks.IntegerBlock(min_value=1, max_value=1_000_000, label=_("金额（元）")),
        label=_("建议金额"),
        default=[],
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        context["links"] = value.links(parent_context.get("request"), parent_context.get("page"))
        return context

    class Meta:
        icon = "pick"
        label = _("捐款")
        template = "blocks/donate.html"
        value_class = DonateValue
        help_text = _("基金的链接、进度和公开募捐信息由管理员在“机构与基金”中维护")


class BodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    figures = FiguresBlock()
    image = ImageBlock()
    video = VideoBlock()
    donate = DonateBlock()
    wishes = WishesBlock()

    class Meta:
        block_counts = {}


def body_field():
    return StreamField(BodyBlock(), verbose_name=_("正文"), blank=True, use_json_field=True)
