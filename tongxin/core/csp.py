"""The Content-Security-Policy: no inline styles anywhere the public goes.

Public pages, feeds, embeds, error and outage pages, and the admin's login page take the
policy of settings.CONTENT_SECURITY_POLICY as it is (`style-src 'self'`). Behind the login,
the admin adds `'unsafe-inline'` to `style-src`: parts of Wagtail's editor (third-party
widgets) may still write style attributes, and only signed-in staff read those pages. The
login page is where strangers arrive, so it keeps the strict policy.

Scripts stay `'self'` everywhere, also in the admin. Wagtail's own widgets still start with a
one-line inline script (the date pickers, the page/snippet/image choosers, inline panels such
as a campaign's organizers): refused, the scheduling dates and choosers of the page editor do
nothing. Those scripts, and only those, are allowed by their hashes: an admin answer's inline
scripts are read and each one that has exactly the shape Wagtail writes — a call of one of
its widget initialisers with nothing but JSON literals as arguments — adds its `sha256-` hash
to `script-src` for that answer. Anything else (an injected `<script>`) stays refused.
"""

import base64
import hashlib
import json
import re

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
# Admin pages a stranger can reach: they get the public policy.
PUBLIC_ADMIN_PREFIXES = ("/admin/login/", "/admin/password_reset/", "/admin/logout/")
ADMIN_STYLE_SOURCES = ["'unsafe-inline'"]

# Wagtail's widget initialisers (wagtail/admin/static_src, the globals its widgets call).
WAGTAIL_INITIALISERS = frozenset(
    {
        "initDateChooser",
        "initTimeChooser",
        "initDateTimeChooser",
        "PageChooser",
        "DocumentChooser",
        "ImageChooser",
        "SnippetChooser",
        "TaskChooser",
        "Chooser",
    }
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)([^>]*)>(.*?)</script\s*>", re.S | re.I)
# initDateChooser("id_x", {...});   new PageChooser("id_x", {...});
_CALL = re.compile(r"\s*(new\s+)?([A-Za-z]+)\((.*)\);?\s*", re.S)
# wagtailadmin/panels/inline_panel.html and multiple_chooser_panel.html
_PANEL = re.compile(
    r"\s*\(function\(\)\s*\{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)"
    r'\(JSON\.parse\(("(?:[^"\\]|\\.)*")\)\);\s*\}\)\(\);\s*',
    re.S,
)


def admin_needs_inline_styles(path):
    return path.startswith(ADMIN_PREFIX) and not path.startswith(PUBLIC_ADMIN_PREFIXES)


def _json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def is_wagtail_widget_script(body):
    """Whether an inline script is one of Wagtail's widget initialisers, called with JSON
    literals only (so it can run nothing but that initialiser)."""
    panel = _PANEL.fullmatch(body)
    if panel:
        try:
            return isinstance(json.loads(json.loads(panel.group(1))), dict)
        except (ValueError, TypeError):
            return False
    call = _CALL.fullmatch(body)
    return bool(call) and call.group(2) in WAGTAIL_INITIALISERS and _json(f"[{call.group(3)}]")


def widget_script_hashes(html):
    """CSP sources ('sha256-…') for the Wagtail widget scripts inline in `html`."""
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        attrs, body = match.groups()
        if "type=" in attrs.lower() and "javascript" not in attrs.lower():
            continue  # JSON data blocks and templates are not run
        if is_wagtail_widget_script(body):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            source = f"'sha256-{digest}'"
            if source not in hashes:
                hashes.append(source)
    return hashes


class TongxinCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if admin_needs_inline_styles(request.path):
            update = dict(parts.update or {})
            update["style-src"] = list(update.get("style-src") or []) + ADMIN_STYLE_SOURCES
            hashes = self._widget_hashes(response)
            if hashes:
                update["script-src"] = list(update.get("script-src") or []) + hashes
            parts.update = update
        return parts

    @staticmethod
    def _widget_hashes(response):
        if getattr(response, "streaming", False):
            return []
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        return widget_script_hashes(response.content.decode(response.charset or "utf-8", "replace"))
