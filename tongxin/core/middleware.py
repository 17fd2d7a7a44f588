"""Where the page cache answers, where the reader's script enters a request and where a
finished answer is converted.

`PageCacheMiddleware` stands right after WhiteNoise: a page-cache hit is answered there, with
one cache round trip and no database query, before sessions, locale, CSRF, auth and routing;
a miss goes on, and its finished answer gets its HTTP caching headers and is stored on the way
out (tongxin.core.pagecache). `RenditionMiddleware`, last, resolves `request.script` once, from
the URL prefix (or the language the prefix activated), and converts the finished HTML answer
(the one place that does). The page an answer rendered comes with the answer itself
(`context_data["page"]` of a TemplateResponse): its own conversion rules apply.
"""

from tongxin.scripts import script as scripts
from tongxin.scripts.rendition import render_response_for_script
from tongxin.scripts.uitext import marking

from . import pagecache
from .requestmemo import public_request

ADMIN_PREFIX = "/admin/"
READ_METHODS = ("GET", "HEAD")


def rendered_page(response):
    context = getattr(response, "context_data", None) or {}
    page = context.get("page") if isinstance(context, dict) else None
    return page if hasattr(page, "page_rules") else None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The default release id digests the installed code: once, at start-up.
        pagecache.release_id()

    def __call__(self, request):
        if request.method not in READ_METHODS or request.path.startswith(ADMIN_PREFIX):
            return self.answer(request, None)
        probe = None
        if pagecache.cacheable(request):
            probe = pagecache.lookup(request)
            if probe.response is not None:
                return probe.response
        # A read renders against one content version and configuration, read once
        # (tongxin.core.requestmemo), seeded by what the lookup's round trip brought.
        found = probe.found if probe is not None else pagecache.shared_state()
        with public_request(found):
            if probe is not None:
                probe.prepare()
            return self.answer(request, probe)

    def answer(self, request, probe):
        response = self.get_response(request)
        if getattr(response, "tongxin_cached", False) and response.status_code != 200:
            return response  # an outage or rate-limit page: its own headers
        return pagecache.finish(request, response, probe)


class RenditionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        script = scripts.of_request(request)
        request.script = script
        if request.path.startswith(ADMIN_PREFIX):
            # The admin is not a rendition.
            return self.get_response(request)
        with marking():  # this answer is converted: catalogue text marks its script
            response = self.get_response(request)
        if getattr(response, "tongxin_cached", False):
            # Written in the reader's script already (an outage or rate-limit page, a copy).
            return response
        return render_response_for_script(response, script.code, page=rendered_page(response))
