"""The reader's script: one small object, resolved once per request from the URL prefix.

`RenditionMiddleware` (tongxin.core.middleware) sets `request.script` before routing;
views, templates (the `script` context variable), feeds, the page cache and the converter
all receive this object and never map language codes themselves. Every spelling of a
script a URL, a cookie or an `Accept-Language` header may carry is listed here, once.
"""

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Script:
    code: str  # the converter's name and the content format's: "hans" / "hant"
    language: str  # Django's language code and the URL prefix: "zh-hans" / "zh-hant"
    lang: str  # BCP 47 for <html lang>, hreflang, feeds: "zh-Hans" / "zh-Hant"
    label: str  # the switcher's label, in its own characters

    def __str__(self):
        return self.code

    @property
    def prefix(self):
        return f"/{self.language}"

    @property
    def other(self):
        return HANT if self is HANS else HANS

    def activate(self):
        """A context manager: Django's translation and URL reversing in this script."""
        return translation.override(self.language)


HANS = Script("hans", "zh-hans", "zh-Hans", "简体")
HANT = Script("hant", "zh-hant", "zh-Hant", "繁體")
SCRIPTS = (HANS, HANT)
DEFAULT = HANS

# Prefix spellings readers and links use, by the canonical prefix they mean.
PREFIX_SPELLINGS = {
    "zh-hans": HANS,
    "zh-cn": HANS,
    "zh-sg": HANS,
    "zh-my": HANS,
    "zh-hant": HANT,
    "zh-tw": HANT,
    "zh-hk": HANT,
    "zh-mo": HANT,
}
_BY_NAME = {s.code: s for s in SCRIPTS} | {s.language: s for s in SCRIPTS}


def get(name, default=DEFAULT):
    """The script named "hans", "hant", "zh-hans", "zh-hant" (any case), else `default`."""
    return _BY_NAME.get(str(name or "").strip().lower(), default)


def from_prefix(segment):
    """The script a URL's first segment spells (`zh-TW`, `zh_Hant`…), or None."""
    return PREFIX_SPELLINGS.get(str(segment or "").lower().replace("_", "-"))


def split_path(path):
    """(script or None, the rest starting with "/"): `/zh-hant/a/` → (HANT, "/a/").

    Only the canonical prefix counts here; other spellings are redirected before routing.
    """
    path = path or "/"
    first, sep, rest = path.lstrip("/").partition("/")
    script = _BY_NAME.get(first) if first in ("zh-hans", "zh-hant") else None
    if script is None:
        return None, path
    return script, "/" + rest if sep else "/"


def from_path(path):
    return split_path(path)[0]


def active():
    """The script of the active Django language: for code that runs where no request is at
    hand (template tags called without one, management commands). Requests use
    `request.script`."""
    return get(translation.get_language())


def of_request(request):
    """`request.script` as the middleware set it; for requests that never went through it
    (RequestFactory in tests, the admin's preview), the prefix or the active language."""
    script = getattr(request, "script", None)
    if isinstance(script, Script):
        return script
    return from_path(getattr(request, "path", "")) or active()
