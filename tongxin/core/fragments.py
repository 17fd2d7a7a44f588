"""Site-wide pieces of every page (main menu, breadcrumbs, footer, donation banner), rendered
and converted once per script and kept in the cache under the content state.

A fragment's key holds the host, the reader's script, the site's conversion configuration
(`site_rules_version`) and the content state (tongxin.core.contentversion): a publish, a
move, a setting or a fund change reaches every fragment at once, like the page cache.

A fragment is stored *already converted* to the reader's script (with the site's rules; a
page's own rules are for the page's own text), wrapped in origin markers of that script. The
one conversion point (`render_response_for_script`, run by RenditionMiddleware on the whole
answer) still sees the fragment, but text whose origin is the target script passes through
untouched: the fragment costs no second conversion, and the markers are removed there like
all others. Previews are not cached: they render and convert as before.
"""

from django.utils.safestring import mark_safe

from tongxin.scripts import script as scripts
from tongxin.scripts.convert import wrap

from . import keptcache, pagecache
from .contentversion import content_state

FRAGMENT_SECONDS = 24 * 3600
KEY_PREFIX = "tongxin:fragment:v1"


class NotCacheable(Exception):  # noqa: N818 - a signal to the caller, not an error
    """Raised by a builder whose result must not be kept (a database error, say)."""


def _state(request):
    """Content state and conversion configuration, asked once per request."""
    state = getattr(request, "_tongxin_fragment_state", None)
    if state is None:
        from tongxin.scripts.rendition import site_rules_version

        state = f"{content_state()}:{site_rules_version()}"
        request._tongxin_fragment_state = state
    return state


def fragment_key(request, name, vary=""):
    script = scripts.of_request(request)
    host = f"{request.scheme}://{request.get_host()}"
    # The release id, as in the page cache: a deploy with new templates or catalogues never
    # serves the menu or footer of the last one.
    release = pagecache.release_id()
    return f"{KEY_PREFIX}:{release}:{name}:{script.code}:{host}:{vary}:{_state(request)}"


def cacheable(request):
    return request is not None and not getattr(request, "is_preview", False)


def converted(html, request):
    """`html` (rendered, with origin markers) in the reader's script, marked as written in
    that script so the whole-answer conversion leaves it as it is."""
    from tongxin.scripts.rendition import render_for_script

    script = scripts.of_request(request).code
    return wrap(render_for_script(str(html), script), script)


def fragment(request, name, build, vary=""):
    """The cached fragment `name` (varied by `vary`), built by `build()` (rendered HTML with
    origin markers) on a miss. Without a request or in a preview, `build()` as it is."""
    try:
        if not cacheable(request):
            return build()
        key = fragment_key(request, name, vary)
        html = keptcache.get(key)
        if html is None:
            html = converted(build(), request)
            keptcache.set(key, html, FRAGMENT_SECONDS)
    except NotCacheable as error:
        return error.args[0] if error.args else ""
    return mark_safe(html)  # noqa: S308 - rendered by our templates, autoescaped there
