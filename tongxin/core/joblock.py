"""One run at a time of a periodic job, across app servers.

On PostgreSQL a session advisory lock: held by the database, released when the job ends or
its connection dies (a crashed run never leaves a stale lock behind). Elsewhere (SQLite,
which only ever serves one machine) an exclusive lock on a file in the temp directory.
"""

import contextlib
import fcntl
import os
import tempfile
import zlib

from django.db import connection

# Names held by this process: PostgreSQL advisory locks are re-entrant within one session,
# so a nested run in the same process must be refused here, as the file lock does.
_held = set()


def _advisory_key(name):
    # pg advisory locks take a signed 64-bit key; a stable checksum of the job's name.
    return zlib.crc32(f"tongxin:{name}".encode())


@contextlib.contextmanager
def single_run(name):
    """`with single_run("publish_scheduled") as acquired:` — False when another run holds it."""
    if name in _held:
        yield False
        return
    _held.add(name)
    try:
        with _lock(name) as acquired:
            yield acquired
    finally:
        _held.discard(name)


@contextlib.contextmanager
def _lock(name):
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = os.path.join(tempfile.gettempdir(), f"tongxin-{name}.lock")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
