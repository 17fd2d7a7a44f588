"""Turns every HTML response under /zh-hans/ and /zh-hant/ into the reader's script."""

from django.utils import translation

from .rendition import render_for_script, script_for_language


class ScriptConversionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            getattr(response, "streaming", False)
            or not content_type.startswith("text/html")
            or request.path.startswith("/admin/")
        ):
            return response
        script = script_for_language(translation.get_language())
        response.content = render_for_script(
            response.content.decode(response.charset or "utf-8"),
            script,
            page=getattr(request, "tongxin_page", None),
        ).encode("utf-8")
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
