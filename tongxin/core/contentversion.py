"""The content version: one global number, bumped whenever public content may change.

Every cache of rendered public output (the page cache, feeds, embeds, path resolutions) has
`content_state()` in its keys: the version, and the next moment visibility changes by the
clock alone (tongxin.core.visibility.next_change). A bump makes all of them unreachable at
once; the old entries age out by their timeout. The version is a microsecond timestamp,
which doubles as "when content last changed" for the feeds' Last-Modified header.

With the per-process memory cache (no REDIS_URL) each process has its own version; the
caches' lifetimes bound how long another process can serve stale output. Production runs on
Redis, where a bump is seen by every app server at once.
"""

import datetime
import time

from django.core.cache import cache

from .bulk import defer_content_version
from .requestmemo import forget, remembered
from .visibility import next_change

VERSION_KEY = "syndication:content-version"


def _now_version():
    return time.time_ns() // 1000


def content_version():
    """The current content version (creating it on first use or after a cache flush); one
    public request reads it once (tongxin.core.requestmemo)."""
    return remembered(VERSION_KEY, _read_version)


def _read_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _now_version()
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def bump_content_version(**kwargs):
    """Signal receiver: every cached feed and resolution becomes unreachable.

    Inside `tongxin.core.bulk.bulk_changes()` the bump is noted and done once at the end."""
    if defer_content_version():
        return content_version()
    version = max(_now_version(), (cache.get(VERSION_KEY) or 0) + 1)
    cache.set(VERSION_KEY, version, None)
    forget(VERSION_KEY)
    return version


def version_timestamp(version):
    """The version as an aware datetime (when content last changed, as far as we know)."""
    return datetime.datetime.fromtimestamp(version / 1_000_000, tz=datetime.UTC)


def content_state(version=None):
    """What every cached public render depends on besides its own URL: the content version
    and the next moment something expires."""
    version = content_version() if version is None else version
    return f"{version}.{next_change(version)}"


def settings_saved(sender, created=False, **kwargs):
    """Settings rows are created with their defaults on first read (`for_request`, `load`),
    mid-request; that changes nothing a reader sees. Only an edit does."""
    if not created:
        bump_content_version()


def page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump_content_version()


def content_changed(sender, **kwargs):
    bump_content_version()


def connect_signals():
    """Called from CoreConfig.ready(): everything that can change public output.

    Models are named by label, so core imports no page app.
    """
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images import get_image_model
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "contentversion.bump"
    page_published.connect(bump_content_version, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(bump_content_version, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid=f"{uid}.moved")
    # Deleting a live page sends no page_unpublished.
    post_delete.connect(page_deleted, dispatch_uid=f"{uid}.page_deleted")
    labels = [
        "campaigns.Fund",
        "campaigns.Organization",
        "scripts.ConversionRule",
        # Consent scope or dates changed: a story may enter or leave the public.
        "stories.StoryIdentity",
        # A view restriction makes pages private; a site change moves roots and hosts.
        "wagtailcore.PageViewRestriction",
        "wagtailcore.Site",
    ]
    models = [apps.get_model(label) for label in labels if _installed(apps, label)]
    # Pages show images (their renditions' URLs).
    models.append(get_image_model())
    for model in models:
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}.{label}.s")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.{label}.d")
    # Every Wagtail setting (the donation banner, the conversion settings) reaches templates
    # through the `settings` context processor.
    for model in apps.get_models():
        if issubclass(model, (BaseGenericSetting, BaseSiteSetting)):
            label = model._meta.label
            post_save.connect(settings_saved, sender=model, dispatch_uid=f"{uid}.{label}.s")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}.{label}.d")


def _installed(apps, label):
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
