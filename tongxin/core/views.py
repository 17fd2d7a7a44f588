import hmac
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from . import outage


def deep_check_allowed(request):
    """`?deep=1` renders every live page: only for whoever holds HEALTHZ_TOKEN (monitoring),
    given as the X-Healthz-Token header or the `token` parameter."""
    expected = getattr(settings, "HEALTHZ_TOKEN", "")
    given = request.headers.get("X-Healthz-Token") or request.GET.get("token", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(outage.retry_after())
        return response
    if request.GET.get("deep") not in (None, "", "0"):
        if not deep_check_allowed(request):
            return JsonResponse({"status": "error", "detail": "token required"}, status=403)
        from .integrity import check_site

        changed = [finding.path for finding in check_site() if finding.problems]
        if changed:
            body = {"status": "error", "database": "ok", "integrity": "changed", "changed": changed}
            return JsonResponse(body, status=503)
        return JsonResponse({"status": "ok", "database": "ok", "integrity": "ok"})
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
    # A database outage raised inside a middleware arrives here, not at OutageMiddleware.
    from .outage import outage_response

    return outage_response(request) or render(request, "500.html", status=500)


# RFC 9116 recommends an Expires less than a year ahead; computed per request, it never lapses.
SECURITY_TXT_DAYS = 180


@never_cache
def security_txt(request):
    """`/.well-known/security.txt` (RFC 9116): where to report a vulnerability (SECURITY.md)."""
    host = request.get_host().split(":")[0]
    contacts = getattr(settings, "SECURITY_CONTACTS", None) or [f"mailto:security@{host}"]
    expires = timezone.now().astimezone(UTC) + timedelta(days=SECURITY_TXT_DAYS)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [
        f"Expires: {expires.replace(microsecond=0).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: zh, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    policy = getattr(settings, "SECURITY_POLICY_URL", "")
    if policy:
        lines.append(f"Policy: {policy}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
