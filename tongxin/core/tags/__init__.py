"""The public site's template tags, one module per job; `{% load tongxin_tags %}` loads
them all (tongxin/core/templatetags/tongxin_tags.py)."""
