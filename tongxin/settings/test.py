"""Test settings: fast hashing, local memory cache, no throttling surprises between tests."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "partner.example", "tongxin.example"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Outside the checkout: tests and benchmarks must never leave files in the repo's media/.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or os.path.join(
    tempfile.gettempdir(), "tongxin-test-media"
)
AXES_ENABLED = False
# Tests that exercise the rate limits turn them on with override_settings.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, "0")  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
PRIVATE_MEDIA_ROOT = os.path.join(tempfile.gettempdir(), "tongxin-test-private-media")
# Serve static files straight from the source folders: no collectstatic needed locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
