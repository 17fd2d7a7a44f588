"""Django's `i18n` template library, with translations marked for the converter.

Registered under the name `i18n` (TEMPLATES OPTIONS "libraries"), so every
`{% load i18n %}` gets it: the tags and filters are Django's own; `translate` and
`blocktranslate` (and their old names) pass their output through
`tongxin.scripts.uitext.mark`, which marks it only while a converted public answer is
rendered. See tongxin/scripts/uitext.py.
"""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils import translation

from .uitext import mark

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _msgid(node):
    """The catalogue key a translation node looks up, when it is known before rendering."""
    if getattr(node, "message_context", None) is not None:
        return None
    if isinstance(node, django_i18n.TranslateNode):
        literal = getattr(node.filter_expression.var, "literal", None)
        return literal.replace("%", "%%") if isinstance(literal, str) else None
    if isinstance(node, django_i18n.BlockTranslateNode) and not node.plural:
        return node.render_token_list(node.singular)[0]
    return None


class MarkedTranslationNode(template.Node):
    def __init__(self, node):
        self.node = node
        self.msgid = _msgid(node)

    def render(self, context):
        output = self.node.render(context)
        if self.msgid is None:
            return output  # a variable or a plural: left to the converter, as before
        translated = translation.gettext(self.msgid) != self.msgid
        asvar = getattr(self.node, "asvar", None)
        if asvar:
            context[asvar] = mark(context[asvar], translated)
            return output
        return mark(output, translated)


def _marked(parse):
    def tag(parser, token):
        return MarkedTranslationNode(parse(parser, token))

    return tag


for _name in ("translate", "trans"):
    register.tag(_name, _marked(django_i18n.do_translate))
for _name in ("blocktranslate", "blocktrans"):
    register.tag(_name, _marked(django_i18n.do_block_translate))
