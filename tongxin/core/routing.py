"""Path → page, resolved once per content state instead of walking the tree every time.

Wagtail routes a URL by walking the page tree from the site's root: two queries per level (the
child by slug, then its specific type), so an episode four levels down costs eight queries
before its own render starts. Where a path led is kept in the cache under the content state
(tongxin.core.contentversion: the content version, which every publish, unpublish, move,
delete, consent or restriction change bumps, and the next moment visibility changes by the
clock): the page as published, with its visibility for every scope as the one definition
(tongxin.core.visibility) answered it, and how much of the path it took. A page's published
fields change only when it is published again, which bumps the version, so the kept copy is
the page the walk would find. The next request for the path takes that copy and lets the
page's own `route` finish, so the live check and the page's routes (`feed/…`, `embed/`:
tongxin.core.routes) work exactly as on the walk, and Wagtail's view restrictions and
`serve` follow as usual. Paths that lead nowhere are not kept.
"""

import hashlib
import pickle

from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from tongxin.scripts import script as scripts

from . import keptcache
from .contentversion import content_state, content_version
from .pagecache import release_id
from .visibility import load_with_visibility

KEY_PREFIX = "tongxin:route:v2"
ROUTE_SECONDS = 24 * 3600
WALKING = "_tongxin_routing"


def _key(root, components):
    path = "/".join(components)
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]
    # The release id: a deploy may change the page models the kept copies were made of.
    return f"{KEY_PREFIX}:{release_id()}:{root.pk}:{content_state()}:{digest}"


def _kept_page(target):
    """The page the walk found, as published, with its visibility (one query, also given to
    the walk's page, whose serve asks next), pickled; with its parent in its own type when
    the page type renders from it (`route_keeps_parent`: an episode shows its series)."""
    model = ContentType.objects.get_for_id(target.content_type_id).model_class()
    page = load_with_visibility(model._default_manager.filter(pk=target.pk)) if model else None
    if page is None:
        return None
    target.__dict__["_tongxin_visible"] = page.__dict__["_tongxin_visible"]
    if getattr(page, "route_keeps_parent", False) and page.depth > 1:
        parent = target.get_parent()
        page._cached_parent_obj = parent.specific if parent is not None else None
    return pickle.dumps(page)


def route(root, request, components, walk):
    """Wagtail's `route` from `root` for `components`, through the cache. `walk` is the
    page's own routing (Wagtail's tree walk); pages met on the walk route as usual."""
    if not components or getattr(request, WALKING, False):
        return walk(request, components)
    setattr(request, WALKING, True)
    try:
        key = _key(root, components)
        kept = keptcache.get(key)
        if isinstance(kept, tuple) and len(kept) == 2:
            blob, used = kept
            target = pickle.loads(blob)  # noqa: S301 - our own objects, from our cache
            return target.route(request, components[used:])
        result = walk(request, components)
        target = result[0]
        blob = _kept_page(target)
        if blob is not None:
            keptcache.set(key, (blob, target.depth - root.depth), ROUTE_SECONDS)
        return result
    finally:
        delattr(request, WALKING)


SITE_PREFIX = "tongxin:site:v2"


def _site_key(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    digest = hashlib.sha256(f"{hostname}\x1f{request.get_port()}".encode()).hexdigest()[:32]
    return f"{SITE_PREFIX}:{release_id()}:{digest}:{content_version()}"


def find_site(request):
    """Wagtail's `Site.find_for_request`, with its root page in the page's own type, and
    the site root paths page URLs are made from, kept per host, port and content version (a
    site or root page change bumps it): routing starts from the root with no query and no
    cache round trip. Each request gets its own copy of the objects."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = _site_key(request)
    kept = keptcache.get(key)
    if not isinstance(kept, bytes):
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            site = get_site_for_hostname(hostname, request.get_port())
        except Site.DoesNotExist:
            site = None
        if site is not None:
            site.root_page = site.root_page.specific
        kept = pickle.dumps((site, Site.get_site_root_paths()))
        keptcache.set(key, kept, ROUTE_SECONDS)
    site, root_paths = pickle.loads(kept)  # noqa: S301 - our own objects, from our cache
    # Where Wagtail looks for both on the request (Site.find_for_request, Page.get_url).
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = root_paths
    return site


class SiteMiddleware:
    """Resolves the site of a read of the renditions (`/zh-hans/…`, `/zh-hant/…`) through
    `find_site` before Wagtail asks for it (routing, settings, URLs). Inside the outage
    middleware: without a database it fails like any other query of the page there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and scripts.from_path(request.path) is not None:
            find_site(request)
        return self.get_response(request)


def parent_of(page, model):
    """`page`'s parent when it is a `model` (else None), in one query: the specific row
    by tree path, instead of treebeard's parent and then its specific type. No query when
    a tree walk left the parent on the page."""
    if page.depth <= 1:
        return None
    parent = getattr(page, "_cached_parent_obj", None)
    if parent is None:
        parent = model._default_manager.filter(path=page.path[: -page.steplen]).first()
    else:
        parent = parent.specific
    return parent if isinstance(parent, model) else None
