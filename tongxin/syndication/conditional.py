"""Conditional GET for feeds: ETag, Last-Modified, 304, Cache-Control, CORS."""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

# Partners poll; five minutes of freshness keeps them (and a CDN) close to the source while
# publishing still reaches them quickly. A CDN in front is purged on publish.
CACHE_CONTROL = "public, max-age=300"


def etag_for(body):
    """A strong ETag of the payload: the same bytes, the same tag, across regenerations."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cors(response):
    """Feeds and oEmbed are public, read without credentials, from any origin."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


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


def conditional(request, response, etag, last_modified):
    """Set the validators on `response` and answer 304 (or 412) when the request's
    If-None-Match / If-Modified-Since (If-Match / If-Unmodified-Since) say so.

    `last_modified` is a POSIX timestamp. If-None-Match wins over If-Modified-Since, as
    RFC 9110 requires; the 304 carries ETag, Last-Modified and Cache-Control again.
    """
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(last_modified))
    response["Cache-Control"] = CACHE_CONTROL
    answer = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=response
    )
    if answer is not response and response.has_header("Access-Control-Allow-Origin"):
        cors(answer)
    return answer
