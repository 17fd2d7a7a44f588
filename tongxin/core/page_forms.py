"""The admin form every page type's form derives from (TongxinPage.base_form_class)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .slugs import is_auto_slug, normalise_slug, pinyin_slug, slug_taken, unique_slug


class TongxinPageForm(WagtailAdminPageForm):
    """Gives a Chinese title a pinyin slug, normalises the slug and refuses one a sibling
    already has in another spelling.

    The editor's script fills the slug as the title is typed; the form is the fallback for an
    empty slug (no JavaScript) or one still in Wagtail's Chinese auto-slug form. A slug the
    editor typed is kept, and a published page's slug is never changed here (its URL is out
    in the world). Wagtail's form compares the slug as typed; the model check (TongxinPage.
    _slug_is_available) cannot run before a new page has its place in the tree, and would
    otherwise first fail when the page is saved, as a 500.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "页面网址的最后一段，默认由标题生成拼音（如 tongxin-shouhu-xingdong）；"
                "可以改写，只能用字母、数字、连字符"
            )

    def _fill_pinyin_slug(self):
        if "slug" not in self.fields or self.instance.first_published_at is not None:
            return
        title = self.cleaned_data.get("title") or ""
        slug = self.cleaned_data.get("slug") or ""
        if not slug or is_auto_slug(slug, title):
            base = pinyin_slug(title)
            if base:
                self.cleaned_data["slug"] = unique_slug(
                    base, self.parent_page, exclude=self.instance
                )

    def clean(self):
        self._fill_pinyin_slug()
        cleaned = super().clean()
        slug = cleaned.get("slug")
        if slug and "slug" not in self.errors:
            slug = cleaned["slug"] = normalise_slug(slug)
            if slug_taken(slug, self.parent_page, self.instance):
                self.add_error(
                    "slug", f"同一上级页面下已有网址别名为“{slug}”的页面（不区分大小写和全角半角）"
                )
        return cleaned
