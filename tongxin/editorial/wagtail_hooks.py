from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks

from .views import pinyin_slug_view


@hooks.register("register_admin_urls")
def register_editorial_urls():
    return [path("editorial/pinyin-slug/", pinyin_slug_view, name="editorial_pinyin_slug")]


@hooks.register("insert_editor_js")
def pinyin_slug_js():
    # The endpoint travels in a data attribute: the admin's CSP allows no inline script.
    return format_html(
        '<script src="{}" data-slug-url="{}" defer></script>',
        static("editorial/js/pinyin-slug.js"),
        reverse("editorial_pinyin_slug"),
    )
