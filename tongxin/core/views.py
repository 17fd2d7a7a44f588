from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def root_redirect(request):
    """`/`: the reader's saved script first, then Accept-Language (zh-TW/HK/MO → traditional)."""
    language = translation.get_language_from_request(request, check_path=False)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    query = request.META.get("QUERY_STRING", "")
    target = f"/{language}/" + (f"?{query}" if query else "")
    response = HttpResponseRedirect(target)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["Cache-Control"] = "private, max-age=0"
    return response


def page_not_found(request, exception=None):
    """The same "not found" page for everyone: it never sets or clears a cookie, whatever
    the request brought (a partner's feed or widget URL that went away included)."""
    response = render(request, "404.html", status=404)
    # Read by CsrfViewMiddleware.process_response; SessionMiddleware only deletes a cookie
    # the request carried.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
    return response


def server_error(request):
    return render(request, "500.html", status=500)
