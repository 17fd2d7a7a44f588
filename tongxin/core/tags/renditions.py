"""The page in both renditions: canonical and alternate URLs, the script switcher, the
home and search URLs of the rendition being read, the page's <title> and description."""

from urllib.parse import urlencode, urlsplit

from django import template
from django.urls import NoReverseMatch, reverse

from tongxin.scripts import script as scripts

register = template.Library()


def _current_path(context, page=None):
    """(request, the path being read with its rendition prefix)."""
    request = context.get("request")
    path = getattr(request, "path", "/")
    if scripts.from_path(path) is None and page is not None:
        # Previews and other views serve the page from a URL without a rendition prefix.
        url = page.get_url(request=request) if hasattr(page, "get_url") else None
        if url:
            path = urlsplit(url).path
    if getattr(request, "is_preview", False):
        # A preview's request carries the page's simplified URL; the rendition previewed is
        # the one TongxinPage.serve_preview set (繁體預覽).
        path = scripts.of_request(request).prefix + scripts.split_path(path)[1]
    return request, path


def _reading(request, path):
    return scripts.from_path(path) or (scripts.of_request(request) if request else scripts.active())


def rendition_path(path, script):
    """The same path under another rendition prefix (only the first segment changes)."""
    return script.prefix + scripts.split_path(path)[1]


@register.simple_tag(takes_context=True)
def rendition_urls(context, page=None):
    """`{% rendition_urls page as urls %}`: absolute URLs of this page in both renditions.

    Keys: `hans`, `hant`, `x_default` (the simplified one: the site's default language) and
    `current` (the canonical URL of the rendition being read). No query string: the renditions
    of a page are the page, not one view of a filtered list.
    """
    request, path = _current_path(context, page)
    current = _reading(request, path)

    def absolute(script):
        target = rendition_path(path, script)
        return request.build_absolute_uri(target) if request is not None else target

    urls = {script.code: absolute(script) for script in scripts.SCRIPTS}
    urls["x_default"] = urls[scripts.DEFAULT.code]
    urls["current"] = urls[current.code]
    return urls


@register.simple_tag(takes_context=True)
def script_switcher(context, page=None):
    """`{% script_switcher page as links %}`: the 简体/繁體 links, same place and query string."""
    request, path = _current_path(context, page)
    current = _reading(request, path)
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    links = []
    prefixed = scripts.from_path(path) is not None
    for script in scripts.SCRIPTS:
        # Routes outside the renditions (/donate/<key>/) keep their path: they render in
        # the script of the cookie the switch view sets.
        target = rendition_path(path, script) if prefixed else path
        target += f"?{query}" if query else ""
        # Through the switch view, which remembers the choice in a cookie for `/`.
        href = reverse("switch_script", args=(script.language,)) + "?" + urlencode({"next": target})
        # The labels name each script in its own characters: kept as written (-{…}-).
        label = "-{" + script.label + "}-"
        links.append(
            {"lang": script.lang, "label": label, "href": href, "current": script == current}
        )
    return links


@register.simple_tag
def page_meta(page):
    """Raw (unescaped) title and description for <title> and <meta>: the SEO fields first."""
    if page is None:
        return {"title": "", "description": ""}
    return {
        "title": getattr(page, "seo_title", "") or getattr(page, "title", ""),
        "description": getattr(page, "search_description", "") or getattr(page, "summary", ""),
    }


@register.simple_tag
def home_url():
    """The site root of the rendition being read (`/zh-hans/`); no query."""
    try:
        return reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        return scripts.active().prefix + "/"


@register.simple_tag
def search_url():
    """The search page of the rendition being read (contracts/urls.md: `/zh-hans/search/`)."""
    try:
        return reverse("search")
    except NoReverseMatch:
        return scripts.active().prefix + "/search/"
