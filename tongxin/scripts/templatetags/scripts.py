"""Template helpers that tell the converter which script a piece of text was written in.

UI strings in templates are simplified. Text that comes from a page written in traditional
characters is wrapped in origin markers so each rendition converts only what needs it.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from tongxin.scripts.markers import wrap_origin

register = template.Library()


def script_of(obj):
    return getattr(obj, "script", None) or "hans"


@register.filter(name="src")
def src(value, obj):
    """`{{ page.title|src:page }}`: the value, escaped, marked with the script of `obj`."""
    return format_html("{}", wrap_origin(conditional_escape(value), script_of(obj)))


class OriginNode(template.Node):
    def __init__(self, nodelist, obj_expr):
        self.nodelist = nodelist
        self.obj_expr = obj_expr

    def render(self, context):
        obj = self.obj_expr.resolve(context) if self.obj_expr else None
        return wrap_origin(self.nodelist.render(context), script_of(obj))


@register.tag(name="origin")
def origin(parser, token):
    """`{% origin page %}…{% endorigin %}` marks a region as written in the page's script;
    `{% origin %}…{% endorigin %}` (no argument) marks template UI text inside such a region."""
    bits = token.split_contents()
    nodelist = parser.parse(("endorigin",))
    parser.delete_first_token()
    obj_expr = parser.compile_filter(bits[1]) if len(bits) > 1 else None
    return OriginNode(nodelist, obj_expr)


KEEP_SPAN = re.compile(r'<span data-keep="1">(.*?)</span>', re.DOTALL)


@register.filter(name="keep_markers")
def keep_markers(rich_text):
    """Rich text's keep-as-written spans become the converter's -{…}- markers.

    The input is Wagtail's own rendering of sanitised rich text (already safe HTML); only
    our span is rewritten, so the result is exactly as safe as the input."""
    html = str(rich_text.__html__() if hasattr(rich_text, "__html__") else rich_text)
    return SafeString(KEEP_SPAN.sub(r"-{\1}-", html))
