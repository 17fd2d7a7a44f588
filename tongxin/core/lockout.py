"""When a locked-out login may try again: `Retry-After` on django-axes' 429.

Axes answers a login from a locked username and address with 429 and a message; clients and
the proxy in front read the wait from `Retry-After`, as on the rate limits' 429s
(tongxin.core.ratelimit). The wait is the cool-off (AXES_COOLOFF_TIME) from now, the longest
it can be.
"""

from django.conf import settings


class LockoutRetryAfterMiddleware:
    """Stands just outside AxesMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
        if (
            response.status_code == 429
            and getattr(request, "axes_locked_out", False)
            and cool_off is not None
            and not response.has_header("Retry-After")
        ):
            response["Retry-After"] = str(int(cool_off.total_seconds()))
        return response
