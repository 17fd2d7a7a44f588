"""The site's own 404 and 500 pages under `DEBUG = True` too (`make run`).

With DEBUG on, Django answers a missing page or an exception with its English debug page, so
a local reader, an editor trying the site or a screenshot never sees what the public sees.
This middleware (innermost, after RenditionMiddleware in MIDDLEWARE) answers them with the
project's handlers instead, so the answer is converted to the reader's script like any
other. It does nothing when DEBUG is off (Django already uses the handlers then) or when a
developer asks for the debug pages: `DEBUG_PAGES=1 make run` (setting `TONGXIN_DEBUG_PAGES`).
Exceptions still reach the console with their traceback.
"""

import logging

from django.conf import settings
from django.http import Http404

from . import views

logger = logging.getLogger("django.request")


def active():
    return settings.DEBUG and not getattr(settings, "TONGXIN_DEBUG_PAGES", False)


class SiteErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No view ran: the URL resolved to nothing, and Django drew its debug 404 page.
        if (
            response.status_code == 404
            and active()
            and getattr(request, "resolver_match", None) is None
        ):
            return views.page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if not active():
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return views.server_error(request)
