"""A process-local copy, in front of the shared cache, of entries that never change.

Some cache keys name everything their value depends on: a content version (restricted paths,
the next visibility change, site fragments, resolved page paths) or a digest (QR codes). The
value stored under such a key is the same on every app server for as long as the key is in
use, so each worker keeps the entries it used last in memory and skips the round trip to
Redis. A publish makes a new version and with it new keys; old ones fall out of the memory as
the newest are added (least recently used first, `KEPT_CACHE_ENTRIES` per process).

Only for keys that name their inputs: an entry whose value can change under the same key
(the content version itself, settings) must go to the shared cache every time. With the
per-process memory cache (no Redis, as in development and tests) the copy would add nothing,
so it is off there unless settings ask for it.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

_entries = OrderedDict()
_lock = threading.Lock()


def _limit():
    return int(getattr(settings, "KEPT_CACHE_ENTRIES", 0))


def get(key):
    """The value for `key` from this process or the shared cache; None when neither has it."""
    limit = _limit()
    if limit > 0:
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                return _entries[key]
    value = cache.get(key)
    if value is not None and limit > 0:
        _keep(key, value, limit)
    return value


def set(key, value, timeout):  # noqa: A001 - the cache's own verb
    cache.set(key, value, timeout)
    limit = _limit()
    if limit > 0 and value is not None:
        _keep(key, value, limit)


def _keep(key, value, limit):
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > limit:
            _entries.popitem(last=False)


def clear():
    """Forget this process's copies (tests)."""
    with _lock:
        _entries.clear()
