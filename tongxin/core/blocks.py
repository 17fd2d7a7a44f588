"""StreamField blocks shared by every page type.

The donation block lives in campaigns.blocks because it belongs to the Fund it points at.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .formatting import figure_value

# Rich text is deliberately narrow: the exchange format allows bold, italic and links only.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "keep-as-written"]

IMAGE_CONSENT_CHOICES = [
    ("cleared", _("图中人物已同意发布")),
    ("illustrative", _("示意图（摆拍或绘制，不含真实儿童）")),
]
WISH_STATUS_CHOICES = [("open", _("待认领")), ("claimed", _("已认领")), ("fulfilled", _("已实现"))]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("段落")
        template = "blocks/paragraph.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("小标题")
        template = "blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引语"))
    attribution = blocks.CharBlock(label=_("出处"), required=False)

    class Meta:
        icon = "openquote"
        label = _("引语")
        template = "blocks/quote.html"


class FigureValue(blocks.StructValue):
    @cached_property
    def display_value(self):
        return figure_value(self.get("value"))


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("数值"), max_length=40)
    unit = blocks.CharBlock(label=_("单位"), max_length=20, required=False)
    label = blocks.CharBlock(label=_("说明"), max_length=120)
    as_of = blocks.DateBlock(label=_("截至日期"), required=False)

    class Meta:
        icon = "table"
        label = _("数据")
        value_class = FigureValue


class FiguresBlock(blocks.StructBlock):
    items = blocks.ListBlock(FigureBlock(), label=_("数据项"), min_num=1)

    class Meta:
        icon = "table"
        label = _("关键数据")
        template = "blocks/figures.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(
        label=_("替代文字"), max_length=250, help_text=_("为看不到图片的读者描述图片内容（必填）")
    )
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("署名"), required=False, max_length=120)
    consent = blocks.ChoiceBlock(
        label=_("肖像授权"),
        choices=IMAGE_CONSENT_CHOICES,
        required=False,
        help_text=_("故事页中的图片必须注明：人物已同意，或为示意图"),
    )

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image.html"
        # The content format's name for a field (tongxin.exchange.blocks).
        exchange_names = {"image": "file"}


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("视频地址"))
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=500)
    # Shown before the video plays (the player loads nothing until then: preload="none").
    # Left empty, the page shows a title card drawn from its own title: never a photo of a
    # child by default. Stories refuse a poster (stories.guard: it has no portrait consent).
    poster = ImageChooserBlock(
        label=_("封面图片"),
        required=False,
        help_text=_("播放前显示的图片；留空则显示带标题的封面卡片。故事页中不能使用"),
    )

    def clean(self, value):
        value = super().clean(value)
        if not str(value.get("url", "")).lower().startswith("https://"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("视频地址必须以 https:// 开头"))}
            )
        return value

    class Meta:
        icon = "media"
        label = _("视频")
        template = "blocks/video.html"


class WishBlock(blocks.StructBlock):
    wish = blocks.CharBlock(label=_("心愿"), max_length=200)
    recipient = blocks.CharBlock(
        label=_("心愿人"), max_length=100, help_text=_("只写化名和年龄，例如：小雨（化名），10 岁")
    )
    status = blocks.ChoiceBlock(label=_("状态"), choices=WISH_STATUS_CHOICES, default="open")

    class Meta:
        icon = "pick"
        label = _("微心愿")
        exchange_names = {"recipient": "for"}


class WishesBlock(blocks.StructBlock):
    items = blocks.ListBlock(WishBlock(), label=_("心愿"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("微心愿清单")
        template = "blocks/wishes.html"


class CreditBlock(blocks.StructBlock):
    role = blocks.CharBlock(label=_("职责"), max_length=40, help_text=_("如 记者、摄像、剪辑"))
    names = blocks.ListBlock(blocks.CharBlock(label=_("姓名"), max_length=60), label=_("姓名"))

    class Meta:
        icon = "user"
        label = _("署名")


class ConversionRuleBlock(blocks.StructBlock):
    hans = blocks.CharBlock(label=_("简体"), max_length=100)
    hant = blocks.CharBlock(label=_("繁体"), max_length=100)

    class Meta:
        icon = "arrows-up-down"
        label = _("转换规则")


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(label=_("时间"), max_length=20)
    item = blocks.CharBlock(label=_("环节"), max_length=200)

    class Meta:
        icon = "time"
        label = _("议程")
