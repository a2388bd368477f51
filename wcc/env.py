"""Typed readers for environment variables that fail loudly, naming the variable and the fix."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean. Set it to one of: 1, true, yes, on, 0, false, no, off."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number, e.g. {name}={default}."
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_networks(name: str) -> list[str]:
    """A comma list of IP addresses or CIDR networks, e.g. 10.0.0.0/8,192.0.2.7; none by default."""
    networks = env_list(name, default=[])
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={os.environ[name]!r}: {network!r} is not an IP address or network, "
                f"e.g. {name}=10.0.0.0/8,192.0.2.7"
            ) from None
    return networks
