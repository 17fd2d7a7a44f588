"""`{% load tongxin_tags %}`: the public site's template tags, gathered from the modules
that own each job (tongxin/core/tags/): renditions, navigation, listings, QR codes, and the
money and date filters of tongxin.core.formatting.

Everything that costs a query says so where it is defined; page templates must keep a
constant number of queries whatever the number of episodes, blocks or stories.
"""

from django import template

from tongxin.core import formatting
from tongxin.core.tags import fragments, listings, navigation, qr, renditions, titlecard

register = template.Library()
libraries = (renditions, navigation, listings, qr, titlecard, fragments)
for library in (module.register for module in libraries):
    register.tags.update(library.tags)
    register.filters.update(library.filters)
register.filter("yuan", formatting.yuan)
register.filter("cn_date", formatting.cn_date)
