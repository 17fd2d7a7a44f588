"""The Content-Security-Policy: no inline styles anywhere the public goes.

Public pages, feeds, embeds, error and outage pages, and the admin's login page take the
policy of settings.CONTENT_SECURITY_POLICY as it is (`style-src 'self'`). Behind the login,
the admin adds `'unsafe-inline'` to `style-src`: parts of Wagtail's editor (third-party
widgets) may still write style attributes, and only signed-in staff read those pages. The
login page is where strangers arrive, so it keeps the strict policy.
"""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
# Admin pages a stranger can reach: they get the public policy.
PUBLIC_ADMIN_PREFIXES = ("/admin/login/", "/admin/password_reset/", "/admin/logout/")
ADMIN_STYLE_SOURCES = ["'unsafe-inline'"]


def admin_needs_inline_styles(path):
    return path.startswith(ADMIN_PREFIX) and not path.startswith(PUBLIC_ADMIN_PREFIXES)


class TongxinCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if admin_needs_inline_styles(request.path):
            update = dict(parts.update or {})
            update["style-src"] = list(update.get("style-src") or []) + ADMIN_STYLE_SOURCES
            parts.update = update
        return parts
