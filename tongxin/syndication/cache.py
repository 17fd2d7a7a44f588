"""The feed cache: one global content version, bumped whenever public content may change.

Every cached feed payload (and every cached path → page resolution) has the version in its
key, so a bump makes all of them unreachable at once; the old entries age out by their
timeout. The version is a microsecond timestamp, which doubles as "when content last changed"
for the feeds' Last-Modified header.

Keys also carry today's date (Asia/Shanghai): a story whose consent expires tonight leaves
every feed at midnight without a job having to bump anything.

With the per-process memory cache (no REDIS_URL) each process has its own version and
payloads; SYNDICATION_CACHE_SECONDS bounds how long another process can serve a stale feed.
Production runs on Redis, where a bump is seen by every app server at once.
"""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

VERSION_KEY = "syndication:content-version"
DEFAULT_CACHE_SECONDS = 15 * 60


def cache_seconds():
    return int(getattr(settings, "SYNDICATION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _now_version():
    return time.time_ns() // 1000


def content_version():
    """The current content version (creating it on first use or after a cache flush)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _now_version()
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_content_version(**kwargs):
    """Signal receiver: every cached feed and resolution becomes unreachable."""
    version = max(_now_version(), (cache.get(VERSION_KEY) or 0) + 1)
    cache.set(VERSION_KEY, version, None)
    return version


def version_timestamp(version):
    """The version as an aware datetime (when content last changed, as far as we know)."""
    return datetime.datetime.fromtimestamp(version / 1_000_000, tz=datetime.UTC)


def _digest(*parts):
    raw = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def resolution_key(version, host, path):
    """Cache key of `path` (relative to the site root) on `host` → page reference."""
    return f"syndication:resolve:{version}:{_digest(host, path)}"


def feed_key(version, page_id, script, kind, limit, scheme, host, rules=""):
    """Cache key of one feed payload. Links in it are absolute, hence scheme and host;
    `rules` is the fingerprint of the site's conversion configuration."""
    day = timezone.localdate().isoformat()
    return (
        f"syndication:feed:{version}:{day}:{page_id}:{script}:{kind}:{limit}:"
        f"{_digest(scheme, host, rules)}"
    )


def settings_saved(sender, created=False, **kwargs):
    """ScriptSettings.load() creates the row with its defaults on first use, mid-request;
    that changes no conversion. Only an edit does."""
    if not created:
        bump_content_version()


def page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump_content_version()


def connect_signals():
    """Called from SyndicationConfig.ready(): everything that can change a public feed."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "syndication.bump_content_version"
    page_published.connect(bump_content_version, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(bump_content_version, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid=f"{uid}.moved")
    # Deleting a live page sends no page_unpublished.
    post_delete.connect(page_deleted, dispatch_uid=f"{uid}.page_deleted")
    for label in (
        "campaigns.Fund",
        "campaigns.Organization",
        "scripts.ConversionRule",
        # Consent scope or dates changed: a story may enter or leave the partner feeds.
        "stories.StoryIdentity",
        # A view restriction makes pages private; a site change moves roots and hosts.
        "wagtailcore.PageViewRestriction",
        "wagtailcore.Site",
    ):
        model = apps.get_model(label)
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}.{label}.s")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}.{label}.d")
    script_settings = apps.get_model("scripts.ScriptSettings")
    post_save.connect(settings_saved, sender=script_settings, dispatch_uid=f"{uid}.settings.s")
    post_delete.connect(
        bump_content_version, sender=script_settings, dispatch_uid=f"{uid}.settings.d"
    )
