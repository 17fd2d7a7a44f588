"""The reader's address, as login throttling (axes) and the rate limits see it.

Behind the TLS proxy the operators' guide requires, REMOTE_ADDR is the proxy's: keyed on it,
five bad passwords from anyone would lock an account for everyone. Each proxy appends the
address it received the request from to X-Forwarded-For, so with N trusted proxies in front
of the app the client's address is the N-th entry from the right. Entries further left were
written by the client and are never believed. TRUSTED_PROXY_COUNT (default 0: no proxy,
the header is ignored) must match the deployment: too high and clients can choose their
address; too low and everyone shares the proxy's.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request):
    """The client's address for `request` (AXES_CLIENT_IP_CALLABLE points here)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: a proxy did not append; the leftmost is the furthest known.
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _valid(candidate) or remote


def client_key(request):
    """The address rate limits count by: IPv6 clients by their /64, which one subscriber
    gets whole (otherwise any client could rotate addresses within it)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
