"""The client's address: REMOTE_ADDR, or X-Forwarded-For's when REMOTE_ADDR is a trusted proxy."""

import ipaddress

from django.conf import settings


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_address(request) -> str:
    """Who sent the request, as far as this site can tell.

    X-Forwarded-For is written by the client unless a proxy rewrites it, so it counts only when
    REMOTE_ADDR is a trusted proxy. Each proxy appends the address it received from, so the
    right-most entry that is not itself a trusted proxy is the first one no proxy of ours made
    up: entries to its left may be forged.
    """
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if not _is_trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_trusted(entry):
            return entry
    return remote
