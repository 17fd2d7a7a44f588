"""Django's `i18n` template library, with translations marked for the converter.

Registered under the name `i18n` (TEMPLATES OPTIONS "libraries"), so every
`{% load i18n %}` gets it: the tags and filters are Django's own; `translate` and
`blocktranslate` (and their old names) wrap their output with `tongxin.scripts.uitext.mark`,
which marks it only while a converted public answer is rendered. See tongxin/scripts/uitext.py.
"""

from django import template
from django.templatetags import i18n as django_i18n

from .uitext import mark

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class MarkedTranslationNode(template.Node):
    def __init__(self, node):
        self.node = node

    def render(self, context):
        output = self.node.render(context)
        asvar = getattr(self.node, "asvar", None)
        if asvar:
            context[asvar] = mark(context[asvar])
            return output
        return mark(output)


def _marked(parse):
    def tag(parser, token):
        return MarkedTranslationNode(parse(parser, token))

    return tag


for _name in ("translate", "trans"):
    register.tag(_name, _marked(django_i18n.do_translate))
for _name in ("blocktranslate", "blocktrans"):
    register.tag(_name, _marked(django_i18n.do_block_translate))
