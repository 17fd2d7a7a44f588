"""Production: everything secret or machine-specific must come from the environment.

A missing value stops the process at start-up rather than running with a guess.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


# Checked before the base settings are read: base parses DATABASE_URL, and a blank value
# would fail there with a message about URL schemes instead of this one.
required("DATABASE_URL")

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = required("SECRET_KEY")
# Spaces or commas between hosts: both conventions are common, and a comma-joined value read
# as one host would silently allow nothing.
ALLOWED_HOSTS = required("ALLOWED_HOSTS").replace(",", " ").split()
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host for production.")
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
