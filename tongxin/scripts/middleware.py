"""Turns every public HTML response into the reader's script."""

from django.utils import translation

from . import pagecache
from .rendition import render_response_for_script, script_for_language


class ScriptConversionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") or getattr(response, "tongxin_cached", False):
            # The admin is not a rendition; a cached page is in the reader's script already.
            return response
        script = script_for_language(translation.get_language())
        response = render_response_for_script(
            response, script, page=getattr(request, "tongxin_page", None)
        )
        pagecache.store(request, response)
        return response
