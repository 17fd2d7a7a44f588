from django.http import JsonResponse
from wagtail.models import Page

from tongxin.core.slugs import pinyin_slug, unique_slug


def pinyin_slug_view(request):
    """`?title=…&parent=<page id>`: the pinyin slug the editor's script puts in the slug
    field, unique under the parent when it is given. Admin URL: signed-in editors only."""
    title = request.GET.get("title", "")[:255]
    slug = pinyin_slug(title)
    parent_id = request.GET.get("parent", "")
    if slug and parent_id.isdigit():
        parent = Page.objects.filter(pk=int(parent_id)).first()
        if parent is not None:
            slug = unique_slug(slug, parent)
    return JsonResponse({"slug": slug})
