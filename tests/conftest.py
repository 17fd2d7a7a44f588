"""Shared pytest fixtures. Factories live in tests/factories.py."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test.utils import override_settings
from django.utils import translation

from .factories import build_site_tree


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploads, renditions and private files go to a temporary folder, never into the
    repository (tongxin/settings/test.py would default to media/test/).

    override_settings sends `setting_changed`, which resets the file storages' cached
    location, so default_storage and Wagtail's image storage follow; the private storage
    reads PRIVATE_MEDIA_ROOT on every use. The private folder stays outside MEDIA_ROOT, as
    in production.
    """
    root = tmp_path_factory.mktemp("files")
    with override_settings(
        MEDIA_ROOT=str(root / "media"), PRIVATE_MEDIA_ROOT=str(root / "private-media")
    ):
        for name in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            assert not Path(getattr(settings, name)).is_relative_to(settings.BASE_DIR), name
        yield root / "media"


@pytest.fixture(autouse=True)
def clear_caches():
    """Page caches, feed caches and throttling counters must not leak from one test to the next."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request or test that activated
    another one (a /zh-hant/ page, an English admin user) must not translate the next test's
    messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site_tree(db):
    """One small site covering every page type; see tests.factories.build_site_tree."""
    return build_site_tree()
