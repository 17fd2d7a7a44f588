"""The admin form every page type's form derives from (TongxinPage.base_form_class)."""

from wagtail.admin.forms import WagtailAdminPageForm

from .slugs import normalise_slug, slug_taken


class TongxinPageForm(WagtailAdminPageForm):
    """Normalises the slug and refuses one a sibling already has in another spelling.

    Wagtail's form compares the slug as typed; the model check (TongxinPage.
    _slug_is_available) cannot run before a new page has its place in the tree, and would
    otherwise first fail when the page is saved, as a 500.
    """

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        if slug and "slug" not in self.errors:
            slug = cleaned["slug"] = normalise_slug(slug)
            if slug_taken(slug, self.parent_page, self.instance):
                self.add_error(
                    "slug", f"同一上级页面下已有网址别名为“{slug}”的页面（不区分大小写和全角半角）"
                )
        return cleaned
