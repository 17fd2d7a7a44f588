"""Where the reader's script enters a request and where a finished answer is converted.

`RenditionMiddleware` resolves `request.script` once, from the URL prefix (or the language
the prefix activated), answers from the public response cache when it can, and otherwise
converts the finished HTML answer (the one place that does) and offers it to the cache. The
page an answer rendered comes with the answer itself (`context_data["page"]` of a
TemplateResponse): its own conversion rules apply.
"""

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import render_response_for_script
from tongxin.scripts.uitext import marking

from . import pagecache

ADMIN_PREFIX = "/admin/"


def rendered_page(response):
    context = getattr(response, "context_data", None) or {}
    page = context.get("page") if isinstance(context, dict) else None
    return page if hasattr(page, "page_rules") else None


class RenditionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        script = scripts.of_request(request)
        request.script = script
        if request.path.startswith(ADMIN_PREFIX):
            # The admin is not a rendition.
            return self.get_response(request)
        # Only the renditions' URLs (pages, feeds, widgets) are cached; /healthz, /donate/ and
        # the rest are answered fresh (and converted all the same).
        in_rendition = scripts.from_path(request.path) is not None
        if in_rendition:
            cached = pagecache.lookup(request, script)
            if cached is not None:
                return cached
        with marking():  # this answer is converted: catalogue text marks its script
            response = self.get_response(request)
        if getattr(response, "tongxin_cached", False):
            # Written in the reader's script already (an outage or rate-limit page, a copy).
            return response
        response = render_response_for_script(response, script.code, page=rendered_page(response))
        if in_rendition:
            pagecache.store(request, response, script)
        return response
