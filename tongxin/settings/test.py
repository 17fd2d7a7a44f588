"""Test settings: fast hashing, local memory cache, no throttling surprises between tests."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "partner.example", "tongxin.example"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", str(BASE_DIR / "media" / "test"))  # noqa: F405
AXES_ENABLED = False
WAGTAILADMIN_BASE_URL = "http://testserver"
PRIVATE_MEDIA_ROOT = os.path.join(MEDIA_ROOT, "private")  # noqa: F405
# Serve static files straight from the source folders: no collectstatic needed locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
