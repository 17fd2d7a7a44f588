"""Answers that are the same for everyone (feeds, widgets, oEmbed, the donation
click-through): what they must never carry."""

from functools import wraps

from django.conf import settings


def without_cookies(view):
    """No Set-Cookie on the answer, whatever cookies the request brought.

    Feeds, widgets and oEmbed answers are `Cache-Control: public`: a shared cache (a CDN,
    a partner's proxy) may store one with its headers and replay it to everyone. Two
    middlewares would otherwise add a cookie on the way out: CsrfViewMiddleware replaces a
    malformed `csrftoken` with a fresh one (replayed, every reader would share that token),
    and SessionMiddleware deletes a stale `sessionid` (replayed, it would log editors out).
    Neither view reads the session or renders a form, so both are switched off here.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        finally:
            # Read by CsrfViewMiddleware.process_response (Django >= 4.1).
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
            # SessionMiddleware only deletes a cookie the request carried.
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)

    return wrapped
