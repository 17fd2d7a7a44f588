"""Feed and embed routes under every page, inside i18n_patterns (so the script prefix is
active), placed before Wagtail's catch-all. The oEmbed endpoint is outside the prefixes and is
routed in tongxin/urls.py (`path("oembed/", oembed_view)`)."""

from django.urls import re_path

from .embeds import embed_view
from .feeds import feed_view

app_name = "syndication"

urlpatterns = [
    re_path(r"^(?P<path>(?:[\w-]+/)*)feed/(?P<kind>rss|atom|json)/$", feed_view, name="feed"),
    re_path(r"^(?P<path>(?:[\w-]+/)*)embed/$", embed_view, name="embed"),
]
