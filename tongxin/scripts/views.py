from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import script as scripts


def swap_prefix(path, language):
    """The same path under the other script's prefix.

    `/` becomes that script's home. Any other path without a prefix (`/donate/<key>/`) is
    kept: such routes render in the script of the cookie just set, and a page path without
    a prefix is sent on to the prefixed one by the same cookie."""
    first, _, rest = path.lstrip("/").partition("/")
    if scripts.from_prefix(first):
        return f"/{language}/{rest}"
    if path == "/" or not first:
        return f"/{language}/"
    return path


@never_cache
def switch_script(request, language):
    """The switcher's link: remembers the reader's choice, then shows the same page."""
    script = scripts.get(language, None)
    if script is None or language != script.language:
        raise Http404("unknown script")
    next_path = request.GET.get("next", "/")
    if not next_path.startswith("/") or not url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}, require_https=False
    ):
        next_path = "/"
    response = HttpResponseRedirect(swap_prefix(next_path, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )
    return response
