"""The donation call-to-action block and the body stream every article page uses."""

from wagtail import blocks
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


class DonateValue(blocks.StructValue):
    def heading_text(self):
        fund = self.get("fund")
        return self.get("heading") or (f"支持{fund.name}" if fund else "")


class DonateBlock(blocks.StructBlock):
    fund = SnippetChooserBlock("campaigns.Fund", label="基金")
    heading = blocks.CharBlock(label="标题", required=False, max_length=120)
    text = blocks.TextBlock(label="说明", required=False)
    amounts = blocks.ListBlock(
        blocks.IntegerBlock(min_value=1, max_value=1_000_000, label="金额（元）"),
        label="建议金额",
        default=[],
    )

    class Meta:
        icon = "pick"
        label = "捐款"
        template = "blocks/donate.html"
        value_class = DonateValue


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
