"""The bridge between Django and the conversion engine: which rules, which variant.

Site-wide rules and the variant are read once and kept in the cache until an editor changes
them (signals in tongxin.scripts.signals forget them); page rules come with the page. The
entry also expires after SITE_CONFIG_SECONDS: without Redis each process has its own memory
cache, which another process's signal cannot clear, and a render racing an editor's save
could otherwise keep the old rules for good.
"""

import functools
import hashlib
from pathlib import Path

import opencc
from django.conf import settings
from django.core.cache import cache

from .convert import Rules, convert_html, convert_text, strip_markers
from .domain import domain_pairs

SETTINGS_CACHE_KEY = "scripts:site-config:v2"
SITE_CONFIG_SECONDS = 5 * 60

__all__ = ["strip_markers"]


# The shipped phrase rules, read once by their owner (tongxin.scripts.domain).
domain_rules = domain_pairs


def _site_config():
    """(variant, site rule pairs, version), from the cache or the database; one public
    request reads it once (tongxin.core.requestmemo)."""
    # Core's request memo, imported here: core imports this module at its top.
    from tongxin.core.requestmemo import remembered

    return remembered(SETTINGS_CACHE_KEY, _read_site_config)


def _read_site_config():
    config = cache.get(SETTINGS_CACHE_KEY)
    if config is None:
        from .models import ConversionRule, ScriptSettings

        # Not ScriptSettings.load(): that creates the row on a reader's visit, and creating it
        # bumps the content version every cached page depends on.
        row = ScriptSettings.objects.only("hant_variant").first()
        variant = (row.hant_variant if row is not None else "") or "tw"
        pairs = usable(ConversionRule.objects.values_list("hans", "hant"))
        config = (variant, pairs, config_digest(variant, pairs))
        cache.set(SETTINGS_CACHE_KEY, config, SITE_CONFIG_SECONDS)
    return config


@functools.cache
def catalogues_digest():
    """A fingerprint of the compiled interface-text catalogues (site/locale), read once per
    process: a deploy that changes a translation changes the cached pages' keys."""
    digest = hashlib.sha256()
    for root in settings.LOCALE_PATHS[:1]:
        for mo in sorted(Path(root).glob("*/LC_MESSAGES/django.mo")):
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:16]


def config_digest(variant, pairs):
    """A short fingerprint of everything besides the page that decides a rendition: the
    variant, the site's rules, the shipped domain rules, the OpenCC version and the
    interface-text catalogues."""
    raw = repr((variant, pairs, domain_rules(), opencc.__version__, catalogues_digest()))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def site_config():
    """(variant, site rule pairs), from the cache or the database."""
    variant, pairs, _ = _site_config()
    return variant, pairs


def site_rules_version():
    """Changes whenever the site's conversion configuration does (cached page keys use it):
    variant and rules, and the names and quotation-mark setting of ``site_terms``."""
    from .site_terms import site_terms_version

    return f"{_site_config()[2]}-{site_terms_version()}"


def site_rules_version_keys():
    """The cache keys `site_rules_version` reads, for a caller that fetches them together
    with its own keys in one round trip (the edge page cache)."""
    from .site_terms import CACHE_KEY

    return (SETTINGS_CACHE_KEY, CACHE_KEY)


def site_rules_version_from(found):
    """`site_rules_version()` from a `get_many` of `site_rules_version_keys()`; None when
    either part is not in the cache (reading it would ask the database)."""
    config, terms = (found.get(key) for key in site_rules_version_keys())
    if config is None or terms is None:
        return None
    return f"{config[2]}-{terms[2]}"


def forget_site_config():
    from tongxin.core.requestmemo import forget

    cache.delete(SETTINGS_CACHE_KEY)
    forget(SETTINGS_CACHE_KEY)


def usable(pairs):
    """Rules the engine accepts; a malformed one is skipped rather than breaking a page."""
    return _usable(tuple(tuple(pair) for pair in pairs))


@functools.lru_cache(maxsize=512)
def _usable(pairs):
    kept = []
    for hans, hant in pairs:
        try:
            Rules([(hans, hant)])
        except ValueError:
            continue
        kept.append((hans, hant))
    return tuple(kept)


def rules_for(page=None):
    variant, site_pairs = site_config()
    page_pairs = usable(getattr(page, "page_rules", ()) or ()) if page is not None else ()
    from .site_terms import site_terms

    return variant, _merged(site_terms(variant), site_pairs, page_pairs)


@functools.lru_cache(maxsize=512)
def _merged(terms, site_pairs, page_pairs):
    """One Rules object per distinct configuration, kept for the process: building it
    checks every shipped pair, and its compiled matchers live on the object, so a render
    with the same rules as the last reuses both."""
    return Rules.merge(Rules(domain_rules()), terms, Rules(site_pairs), Rules(page_pairs))


def render_for_script(html, script, page=None):
    variant, rules = rules_for(page)
    return convert_html(html, target=script, variant=variant, rules=rules)


def text_for_script(text, script, source="hans", page=None):
    """Plain text (feeds, JSON, search results) in the reader's script."""
    variant, rules = rules_for(page)
    return convert_text(text or "", source=source, target=script, variant=variant, rules=rules)


def render_response_for_script(response, script, page=None):
    """The one place a finished HTML answer is turned into the reader's script (the
    RenditionMiddleware for public answers, TongxinPage.serve_preview for previews)."""
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False) or not content_type.startswith("text/html"):
        return response
    html = response.content.decode(response.charset or "utf-8")
    response.content = render_for_script(html, script, page=page).encode("utf-8")
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
