"""Settings shared by every environment; dev, test and production refine them.

Configuration that differs between machines comes from the environment, as promised in
contracts/urls.md: DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, MEDIA_ROOT, DJANGO_ENV.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from .objectstorage import allow_media_origin, object_storage

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
SITE_DIR = BASE_DIR / "site"

INSTALLED_APPS = [
    "tongxin.core",
    "tongxin.scripts",
    "tongxin.home",
    "tongxin.search",
    "tongxin.syndication",
    "tongxin.exchange",
    "tongxin.editorial",
    "campaigns",
    "stories",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The edge page cache: a hit costs one cache round trip and no query (tongxin.core.pagecache).
    "tongxin.core.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongxin.scripts.prefix.CanonicalScriptPrefixMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tongxin.core.csp.TongxinCSPMiddleware",
    # Database outages answer 503 or the cached page (its process_exception; see the module).
    "tongxin.core.outage.OutageMiddleware",
    "tongxin.core.ratelimit.RateLimitMiddleware",
    "tongxin.core.lockout.LockoutRetryAfterMiddleware",
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The request's site and its root page, kept per content version (tongxin.core.routing).
    "tongxin.core.routing.SiteMiddleware",
    "tongxin.core.middleware.RenditionMiddleware",
    # The site's 404/500 pages under DEBUG too, unless TONGXIN_DEBUG_PAGES (module docstring).
    "tongxin.core.errorpages.SiteErrorPagesMiddleware",
]

ROOT_URLCONF = "tongxin.urls"
# templates.W003 warns that two modules are called `i18n`: ours replaces Django's on purpose
# (TEMPLATES OPTIONS "libraries" below).
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
WSGI_APPLICATION = "tongxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "tongxin.core.context_processors.site_context",
            ],
            "builtins": ["tongxin.scripts.templatetags.scripts"],
            # `{% load i18n %}` is Django's library with translations marked for the
            # converter (tongxin/scripts/uitext.py): catalogue text is not converted again.
            "libraries": {"i18n": "tongxin.scripts.i18n_tags"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
            # Sites (or test runs) sharing one Redis keep apart by prefix.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tongxin"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tongxin",
        }
    }

# Wagtail's rendition lookups (file URL and size per image and filter), in each process's
# memory: their keys name the image file's hash, the filter and the focal point, so an entry
# never goes stale, and Wagtail writes every rendition it reads back to its cache, which on
# Redis was a round trip per image per render.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "tongxin-renditions",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Entries whose keys name their inputs, kept in each process in front of Redis
# (tongxin.core.keptcache); off with the per-process memory cache, where they add nothing.
_kept = os.environ.get("KEPT_CACHE_ENTRIES", "").strip()
KEPT_CACHE_ENTRIES = int(_kept) if _kept else (2000 if REDIS_URL else 0)

# Redis down: every cache read is a miss and every write is skipped (logged), pages render.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def _seconds(name, default):
    return int(os.environ.get(name, "").strip() or default)


# The edge page cache (tongxin.core.pagecache): lifetime of a stored answer; 0 turns it off.
PAGE_CACHE_SECONDS = _seconds("PAGE_CACHE_SECONDS", 15 * 60)
# What the layer in front may do with public pages, feeds and sitemaps:
# Cache-Control: public, max-age=HTTP_CACHE_MAX_AGE, s-maxage=HTTP_CACHE_S_MAXAGE.
HTTP_CACHE_MAX_AGE = _seconds("HTTP_CACHE_MAX_AGE", 60)
HTTP_CACHE_S_MAXAGE = _seconds("HTTP_CACHE_S_MAXAGE", 10 * 60)
# This deploy's name in every page-cache key; empty: a digest of the installed code.
RELEASE_ID = os.environ.get("RELEASE_ID", "").strip()

# The CDN or proxy in front, purged on publish, unpublish, move and expiry
# (tongxin.core.frontendcache; docs/operators.md). FRONTEND_CACHE names the kind:
# "http" (PURGE to Varnish/nginx at FRONTEND_CACHE_PURGE_URL), "cloudflare"
# (CLOUDFLARE_ZONE_ID with CLOUDFLARE_BEARER_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY)
# or "cloudfront" (CLOUDFRONT_DISTRIBUTION_ID; needs boto3). Unset: nothing is purged.
FRONTEND_CACHE = os.environ.get("FRONTEND_CACHE", "").strip().lower()
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE:
    _backend = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ.get("FRONTEND_CACHE_PURGE_URL", ""),
        },
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": os.environ.get("CLOUDFLARE_ZONE_ID", ""),
            **(
                {"BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"]}
                if os.environ.get("CLOUDFLARE_BEARER_TOKEN")
                else {
                    "EMAIL": os.environ.get("CLOUDFLARE_EMAIL", ""),
                    "API_KEY": os.environ.get("CLOUDFLARE_API_KEY", ""),
                }
            ),
        },
        "cloudfront": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", ""),
        },
    }.get(FRONTEND_CACHE)
    if _backend is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("FRONTEND_CACHE must be http, cloudflare or cloudfront.")
    if os.environ.get("FRONTEND_CACHE_HOSTNAMES", "").strip():
        _backend["HOSTNAMES"] = os.environ["FRONTEND_CACHE_HOSTNAMES"].replace(",", " ").split()
    WAGTAILFRONTENDCACHE = {FRONTEND_CACHE: _backend}
# Site-wide paths purged with every page change (the sitemap).
FRONTEND_CACHE_SITE_PATHS = ["/sitemap.xml"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The client's address behind the TLS proxy: X-Forwarded-For is believed for exactly this
# many proxies in front of the app (tongxin.core.clientip); 0 ignores the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)

# Login throttling: five failures lock that username *from that address* for a short while.
# Strangers elsewhere cannot lock an editor out; the editor's own lockout ends by itself, or
# at once with `manage.py axes_reset_username <name>` (docs/operators.md).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tongxin.core.clientip.client_ip"

# Requests per client address and window on the routes scripts hammer (tongxin.core.ratelimit):
# "count/seconds", also "count/m" or "count/h"; "0" turns a limit off. Cached answers and
# 304s are not counted.
RATE_LIMITS = {
    group: os.environ.get(f"RATE_LIMIT_{group.upper()}", default)
    for group, default in {
        "search": "30/60",
        "feed": "120/60",
        "embed": "120/60",
        "oembed": "60/60",
        "donate": "20/60",
    }.items()
}

# The two renditions of the site. Django's own LANG_INFO maps zh-tw, zh-hk and zh-mo to
# zh-hant and zh-cn, zh-sg to zh-hans, so Accept-Language negotiation comes for free.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LANGUAGE_COOKIE_NAME = "tongxin_script"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# site/locale: Tongxin's own strings (simplified msgids; zh_Hant in Taiwan usage, en), kept
# by `make messages`. site/wagtail_locale: hand-kept entries for gaps in Wagtail's Chinese
# catalogues (English msgids), outside makemessages' reach so a regeneration never marks
# them obsolete. Both come before every app's catalogue.
LOCALE_PATHS = [SITE_DIR / "locale", SITE_DIR / "wagtail_locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin is in simplified Chinese for everyone unless a user picks another language in
# their account (tongxin.editorial.language sets it on every new user, so a browser sending
# zh-TW or en does not decide it). site/wagtail_locale fills the gaps of Wagtail's Chinese
# catalogues.
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
TONGXIN_ADMIN_LANGUAGE = "zh-hans"
# True: Django's debug 404/500 pages while DEBUG is on (dev.py reads DEBUG_PAGES=1).
TONGXIN_DEBUG_PAGES = False

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "media")
MEDIA_URL = "/media/"
# Signed consent forms: never under MEDIA_ROOT, served only through a permission-checked view.
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or str(BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": {"BACKEND": "tongxin.core.storage.PrivateFileSystemStorage"},
}

# S3-compatible object storage when the environment names the buckets (docs/operators.md):
# uploads and renditions in the public bucket, consent forms in a separate private one.
_object_storage = object_storage(os.environ)
MEDIA_ORIGIN = ""
if _object_storage:
    STORAGES["default"] = _object_storage["default"]
    STORAGES["private"] = _object_storage["private"]
    MEDIA_ORIGIN = _object_storage["media_origin"]

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644

WAGTAIL_SITE_NAME = "童心 Tongxin"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "core.TongxinImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Documents are PDF and office files, checked by content; images go through the image
# pipeline, which removes their metadata (tongxin.core.documents).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "tongxin.core.documents.CheckedDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# One search index: readers' search is Tongxin's own (tongxin.search, a full-text index on
# PostgreSQL or SQLite). The admin's searches match titles in the tables themselves, in either
# script, and keep no index (tongxin/search/admin_backend.py); docs/operators.md: switching
# to Elasticsearch/OpenSearch.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "tongxin.search.admin_backend", "AUTO_UPDATE": False}
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send a hash of each editor's e-mail to a third party on every admin
# page (and is unreachable from mainland China); the CSP refuses its images anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# Security headers common to every environment; production adds HSTS and secure cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy for every response. Public pages need no script of ours to be read
# and no inline style (every style is in a stylesheet); the admin behind its login adds
# 'unsafe-inline' styles and nothing else (tongxin.core.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "https:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Images on object storage (MEDIA_ORIGIN, above).
CONTENT_SECURITY_POLICY = allow_media_origin(CONTENT_SECURITY_POLICY, MEDIA_ORIGIN)

# Partner sites allowed to frame the embed routes; "*" lets any outlet embed our widgets.
EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*").split()

# `/healthz?deep=1` (the integrity check) answers only to this token; unset, it is off.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# security.txt (RFC 9116): where researchers report vulnerabilities; see SECURITY.md.
# SECURITY_CONTACT holds one or more mailto:/https: URIs separated by spaces or commas.
SECURITY_CONTACTS = [c for c in os.environ.get("SECURITY_CONTACT", "").replace(",", " ").split()]
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
WAGTAILIMAGES_IMAGE_FORM_BASE = "tongxin.core.forms.ScrubbingImageForm"
