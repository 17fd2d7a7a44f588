"""The base form of every Tongxin page type: a Chinese title gets a pinyin slug."""

from wagtail.admin.forms import WagtailAdminPageForm

from .slugs import is_auto_slug, pinyin_slug, unique_slug


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The editor's script fills the slug as the title is typed; this is the fallback for
    an empty slug (no JavaScript, an import-like paste) or one still in Wagtail's Chinese
    auto-slug form. A slug the editor typed is kept, and a published page's slug is never
    changed here (its URL is out in the world)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                "页面网址的最后一段，默认由标题生成拼音（如 tongxin-shouhu-xingdong）；"
                "可以改写，只能用字母、数字、连字符"
            )

    def clean(self):
        if "slug" in self.fields and self.instance.first_published_at is None:
            title = self.cleaned_data.get("title") or ""
            slug = self.cleaned_data.get("slug") or ""
            if not slug or is_auto_slug(slug, title):
                base = pinyin_slug(title)
                if base:
                    self.cleaned_data["slug"] = unique_slug(
                        base, self.parent_page, exclude=self.instance
                    )
        return super().clean()
