"""Cache keys of feed payloads (the content state they depend on is core's)."""

import hashlib

from django.conf import settings
from django.utils import timezone

from tongxin.core.contentversion import (  # noqa: F401 (re-exported for the feed views)
    bump_content_version,
    content_state,
    content_version,
    version_timestamp,
)

DEFAULT_CACHE_SECONDS = 15 * 60


def cache_seconds():
    return int(getattr(settings, "SYNDICATION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _digest(*parts):
    raw = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def feed_key(version, page_id, script, kind, limit, scheme, host, rules=""):
    """Cache key of one feed payload. Links in it are absolute, hence scheme and host;
    `rules` is the fingerprint of the site's conversion configuration."""
    day = timezone.localdate().isoformat()
    return (
        f"syndication:feed:{version}:{day}:{page_id}:{script}:{kind}:{limit}:"
        f"{_digest(scheme, host, rules)}"
    )
