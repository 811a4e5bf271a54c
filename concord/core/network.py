"""The client's address, as the request's own address or as trusted proxies report it.

Behind a reverse proxy `REMOTE_ADDR` is the proxy, so every visitor would share one address.
`settings.TRUSTED_PROXIES` says which proxies to believe: a number of hops ("1": one proxy
in front of the app), or a comma-separated list of proxy addresses and networks
("10.0.0.0/8, 192.0.2.1"). Each trusted proxy appends the address it saw to
`X-Forwarded-For`, so the client is the rightmost address not added by a trusted proxy;
anything to its left was written by the client and may be forged. With no setting the
header is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_proxies(value: str) -> tuple[int, tuple[Network, ...]]:
    """(hops, networks) from the setting's text; at most one of them is non-empty."""
    value = value.strip()
    if not value:
        return 0, ()
    if value.isdigit():
        return int(value), ()
    try:
        networks = tuple(
            ipaddress.ip_network(item.strip(), strict=False)
            for item in value.split(",")
            if item.strip()
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
    return 0, networks


def client_ip(request: HttpRequest) -> str:
    """The address of the client that made `request` (empty if it is not known)."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops, networks = trusted_proxies(str(getattr(settings, "TRUSTED_PROXIES", "") or ""))
    if not hops and not networks:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [item.strip() for item in forwarded.split(",") if item.strip()] + [remote]
    client = remote
    for position, entry in enumerate(reversed(chain)):
        try:
            address = ipaddress.ip_address(entry)
        except ValueError:
            break  # a garbled entry: believe only the proxy that reported it
        client = str(address)
        trusted = position < hops if hops else any(address in net for net in networks)
        if not trusted:
            break
    return client


@lru_cache(maxsize=4096)
def network_of(ip: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) a request came from: enough to spot a burst, not a person.
    Kept for the last few thousand addresses: a surge asks for the same ones again and again,
    and parsing an address twice cost as much as the rest of the input check."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
