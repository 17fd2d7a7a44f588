"""Readers and links arrive with script prefixes in every spelling; send them to ours."""

from django.http import HttpResponsePermanentRedirect

from . import script as scripts


class CanonicalScriptPrefixMiddleware:
    """`/zh-HANT/…`, `/zh_Hant/…`, `/zh-tw/…` → 301 to `/zh-hant/…`; anything else untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        first, sep, rest = request.path.lstrip("/").partition("/")
        script = scripts.from_prefix(first)
        if script is not None and first != script.language:
            query = request.META.get("QUERY_STRING", "")
            target = f"{script.prefix}/{rest}" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
        return self.get_response(request)
