"""Conditional GET for feeds: ETag, Last-Modified, 304, Cache-Control, CORS."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from tongxin.core.responses import without_cookies  # noqa: F401 (the feed views use it)

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
