"""Readers and links arrive with script prefixes in every spelling; send them to ours."""

from django.http import HttpResponsePermanentRedirect

CANONICAL_PREFIX = {
    "zh-hans": "zh-hans",
    "zh-hant": "zh-hant",
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "zh-my": "zh-hans",
    "zh-tw": "zh-hant",
    "zh-hk": "zh-hant",
    "zh-mo": "zh-hant",
}


class CanonicalScriptPrefixMiddleware:
    """`/zh-HANT/…`, `/zh_Hant/…`, `/zh-tw/…` → 301 to `/zh-hant/…`; anything else untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        first, sep, rest = request.path.lstrip("/").partition("/")
        canonical = CANONICAL_PREFIX.get(first.lower().replace("_", "-"))
        if canonical and first != canonical:
            query = request.META.get("QUERY_STRING", "")
            target = f"/{canonical}/{rest}" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
        return self.get_response(request)
