"""Database outages answer 503, not 500: a friendly page in the reader's script with
Retry-After, or the last cached copy of a public page when there is one.

Two doors lead here. `OutageMiddleware.process_exception` sees errors raised by views
(pages, feeds, search, the admin). Errors raised inside another middleware (the session or
the user loaded by the auth middleware) never reach a view: Django turns them into a
response at that middleware with `handler500`, and `tongxin.core.views.server_error` asks
`outage_response` first. Nothing here touches the database, the session or the user.
Recovery needs nothing: the next request opens a new connection.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

from tongxin.scripts import script as scripts
from tongxin.scripts.uitext import marking

from . import pagecache

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
DEFAULT_RETRY_AFTER = 60
# Machine-readable routes answer JSON: partners' code reads them, not people.
JSON_PREFIXES = ("/oembed/", "/healthz")
JSON_SUFFIXES = ("/feed/json/",)


def retry_after():
    return int(getattr(settings, "OUTAGE_RETRY_AFTER", DEFAULT_RETRY_AFTER))


def is_outage(exc):
    return isinstance(exc, DATABASE_ERRORS)


def outage_response(request, exc=None):
    """The answer for `request` when `exc` (default: the exception being handled) is a
    database outage; None for any other error."""
    exc = exc if exc is not None else sys.exc_info()[1]
    if not is_outage(exc):
        return None
    logger.error("Database unavailable (%s): %s", type(exc).__name__, request.path)
    cached = pagecache.lookup_for_request(request)
    if cached is not None:
        # Stale is better than nothing; but no proxy may keep it past the outage.
        cached["Cache-Control"] = "no-cache"
        return cached
    if request.path.startswith(JSON_PREFIXES) or request.path.endswith(JSON_SUFFIXES):
        response = JsonResponse({"error": "service unavailable", "status": 503}, status=503)
    else:
        script = scripts.of_request(request)
        # The catalogues write it in the reader's script; no converter, no database.
        with script.activate(), marking(False):
            body = loader.render_to_string(
                "503.html", {"script": script.code, "home": script.prefix + "/"}
            )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after())
    response["Cache-Control"] = "no-store"
    # Already in the reader's script; the conversion middleware would ask the database.
    response.tongxin_cached = True
    return response


class OutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as exc:  # raised past Django's own conversion (tests, ASGI)
            return outage_response(request, exc)

    def process_exception(self, request, exception):
        return outage_response(request, exception)
