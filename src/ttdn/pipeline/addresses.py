"""The address guard: which URLs and addresses the fetcher may contact (SSRF protection).

Only http(s) URLs to public addresses are fetched, unless a source was explicitly allowed
private addresses (the operator's own network, tests). A host name is checked against what
it resolves to, and the guarded transport of `fetch` checks the address it actually
connects to again (a name that rebinds between the check and the connection is refused).
Kept apart from `fetch` (the HTTP exchange, politeness, robots.txt) because the alerts'
webhooks and WebSub hubs use the same guard.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ttdn.pipeline.errors import ConnectionFailedError, InvalidURLError, RefusedURLError

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_problem(ip: IPAddress) -> str | None:
    """Why `ip` must not be fetched from the public client, or None when it is fine.

    IPv6 forms that embed an IPv4 address (mapped ``::ffff:a.b.c.d``, 6to4, Teredo) are
    judged by the embedded address too, so ``::ffff:127.0.0.1`` is loopback.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if ip.ipv4_mapped is not None:
            embedded.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            embedded.append(ip.sixtofour)
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        for inner in embedded:
            problem = address_problem(inner)
            if problem:
                return f"{problem} (embedded in {ip})"
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "not globally routable"),
    )
    for failed, label in checks:
        if failed:
            return f"{label} address"
    return None


def refuse_address(host: str, ip: str, problem: str, url: str = "") -> RefusedURLError:
    shown = host if host == ip else f"{host} ({ip})"
    return RefusedURLError(
        f"refused to fetch {url or host}: {shown} is a {problem}; only sources marked "
        "allow_private may fetch from such addresses",
        url=url,
        reason="refused_address",
    )


def check_url(url: str, *, allow_private: bool = False, resolve: bool = False) -> str:
    """Validate `url` for fetching and return its origin (``scheme://host:port``).

    Raises `InvalidURLError` for unparseable URLs and `RefusedURLError` for schemes other
    than http(s) (always: there is no transport for file:/data:/ftp: and allowing them would
    turn a feed link into a local file read) and, unless `allow_private`, for ``localhost``
    names and IP literals in refused ranges. With `resolve=True` the host name is resolved
    and every address checked (for validating a source when it is created; fetch itself
    leaves that to the guarded connection, which checks at connect time).
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"invalid URL {text[:200]!r}: {exc}", url=text) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "(no scheme)"
        raise RefusedURLError(
            f"refused to fetch {text[:200]!r}: scheme {shown} is not allowed; only http and "
            "https URLs are fetched",
            url=text,
            reason="refused_scheme",
        )
    host = parts.hostname
    if not host:
        raise InvalidURLError(f"invalid URL {text[:200]!r}: no host name", url=text)
    port = port or (443 if scheme == "https" else 80)
    origin = f"{scheme}://{host}:{port}"
    if allow_private:
        return origin
    bare = host.rstrip(".")
    if bare == "localhost" or bare.endswith(".localhost"):
        raise refuse_address(host, host, "loopback name", text)
    try:
        literal: IPAddress | None = ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        literal = None
    if literal is not None:
        problem = address_problem(literal)
        if problem:
            raise refuse_address(host, str(literal), problem, text)
    elif resolve:
        for ip in host_addresses(host, port):
            problem = address_problem(ipaddress.ip_address(ip))
            if problem:
                raise refuse_address(host, ip, problem, text)
    return origin


def host_addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionFailedError(f"cannot resolve host {host!r}: {exc}", reason="dns") from exc
    addresses: list[str] = []
    for info in infos:
        ip = str(info[4][0]).split("%", 1)[0]
        if ip not in addresses:
            addresses.append(ip)
    return addresses


# The wall-clock deadline of the exchange running in this thread (None: no deadline).
