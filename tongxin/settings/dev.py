"""Local development: `make run` uses these, on SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
# `DEBUG_PAGES=1 make run`: Django's debug 404/500 pages for developers; otherwise unknown URLs
# and errors show the site's own pages, in the reader's script (tongxin/core/errorpages.py).
TONGXIN_DEBUG_PAGES = os.environ.get("DEBUG_PAGES", "0") == "1"
# A fixed key is fine here: dev databases hold demo content only and never face the internet.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-tongxin")
# Spaces or commas between hosts, as in production.
_hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1 localhost [::1] testserver")
ALLOWED_HOSTS = _hosts.replace(",", " ").split()
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the source folders: no collectstatic needed locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
