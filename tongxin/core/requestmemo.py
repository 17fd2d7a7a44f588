"""The shared state one public request reads from the cache, read once per request.

A render asks the cache for the same few entries many times: the content version (the page's
visibility, every fragment key, the page cache's validity), the site's conversion
configuration and its terms. Each ask is a round trip to Redis. Inside `public_request()`
(opened by PageCacheMiddleware for anonymous GET and HEAD requests) the first answer for a
key is kept for the rest of the request; the page cache's own lookup seeds it with the
entries its single `get_many` already brought.

One request then renders against one content version from start to finish, as a reader would
expect of one page. Requests that change content (the admin, POSTs, previews) run outside it
and see every bump at once.
"""

import contextvars
from contextlib import contextmanager

_MISSING = object()
_memo = contextvars.ContextVar("tongxin_request_memo", default=None)


@contextmanager
def public_request(found=None):
    """Reads of this request share answers; `found` seeds them (a `get_many` result)."""
    token = _memo.set(dict(found or {}))
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key, load):
    """`load()`'s answer for `key`, asked once per public request (every time outside one).

    None is not kept: a missing entry is asked again (its loader usually fills it)."""
    memo = _memo.get()
    if memo is None:
        return load()
    value = memo.get(key, _MISSING)
    if value is _MISSING or value is None:
        value = load()
        memo[key] = value
    return value


def forget(key):
    """After a write within the request (a bump): the next read asks the cache again."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
