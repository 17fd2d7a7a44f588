import copy

from wagtail.admin.forms import WagtailAdminPageForm

from .guard import check_story

# Where a guard problem belongs in the edit form, when it belongs to one field.
FIELD_OF_LABEL = {
    "标题": "title",
    "网址别名": "slug",
    "SEO 标题": "seo_title",
    "搜索描述": "search_description",
    "摘要": "summary",
    "化名": "pseudonym",
    "地区": "region",
    "困境类型": "circumstances",
    "标签": "tags",
    "获得的帮助": "support",
}


class StoryForm(WagtailAdminPageForm):
    """Refuses the publish button while the privacy guard finds a problem, and says which
    field and what matched (masked: the editor may not know the real identity)."""

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("action-publish") or self.errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            if name in self.fields and hasattr(candidate, name) and name != "comments":
                try:
                    setattr(candidate, name, value)
                except (TypeError, ValueError):
                    continue
        for problem in check_story(candidate):
            field = FIELD_OF_LABEL.get(problem.field)
            message = f"隐私检查未通过（{problem.field}）：{problem.message}"
            if field and field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned
