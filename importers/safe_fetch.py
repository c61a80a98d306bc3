"""Fetch a feed URL without letting it reach inside our own network (SSRF guard).

Council staff type feed addresses into the admin, and a feed can redirect anywhere,
so an address must not become a way to read the cloud metadata service
(169.254.169.254), the database or any other internal service. Before every
connection (the first request, each page, each detail fetch and each redirect hop,
because the check lives in the HTTP handlers themselves) this module checks:

* the scheme is http or https, and the URL carries no user name or password;
* the host resolves, and *every* address it resolves to is public: loopback,
  private, link-local, multicast, reserved, unspecified and shared (CGNAT) ranges
  are refused, as are IPv6 forms that embed one of those (IPv4-mapped, 6to4, NAT64).

The connection is then made to one of the addresses that were checked (the
connection is "pinned"), with the Host header, TLS SNI and certificate check still
using the name from the URL, so a DNS answer that changes between check and connect
(DNS rebinding) cannot move the request inside.

Hosts listed in ``settings.IMPORTER_ALLOWED_PRIVATE_HOSTS`` skip the address check:
an entry matches the host as written in the URL (a host name, an IP address, or a
CIDR range for IP-literal URLs), never the addresses a name resolves to, so an
outside name that happens to resolve inside stays refused.

Proxies from the environment (``http_proxy``...) are deliberately not used: a proxy
resolves names itself, which would bypass the check.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from importers.records import SourceError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: One ``socket.getaddrinfo`` result: (family, type, proto, canonname, sockaddr).
AddrInfo = tuple[Any, ...]

_SCHEMES = {"http": 80, "https": 443}
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not ours, not public
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOW_HINT = (
    " If it is a trusted feed on the council's own network, a site administrator can "
    "allow its host with the IMPORTER_ALLOWED_PRIVATE_HOSTS setting."
)


class FeedError(SourceError):
    """The feed cannot be read at all; the message is for the person running the import."""


class BlockedAddress(FeedError):
    """Refused before connecting: not an address we fetch from. Always fatal for a run."""


def shown(url: str) -> str:
    """The URL as it may be shown to people and stored in reports (no credentials)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc))


def is_internal(ip: IPAddress) -> bool:
    """True unless ``ip`` is an ordinary public internet address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and is_internal(embedded):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or ip in _SHARED
        or not ip.is_global
    )


def allowed_private_hosts() -> list[str]:
    # Read on every call so a changed setting (or a test's override) applies at once.
    entries: Iterable[str] = getattr(settings, "IMPORTER_ALLOWED_PRIVATE_HOSTS", ()) or ()
    return [e.strip().strip("[]").rstrip(".").lower() for e in entries if e.strip()]


def host_is_allowed(host: str, entries: Sequence[str] | None = None) -> bool:
    """Whether ``host`` (as written in a URL) is on the private-hosts allow list."""
    entries = allowed_private_hosts() if entries is None else entries
    host = host.strip("[]").rstrip(".").lower()
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    for entry in entries:
        if literal is None:
            if host == entry:
                return True
            continue
        try:
            if literal in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:  # a host name entry cannot match an IP-literal URL
            continue
    return False


def check_shape(url: str) -> tuple[str, int]:
    """Scheme and credentials (no DNS): return ``(host, port)`` or raise BlockedAddress."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise BlockedAddress(
            f"Only http and https feed addresses can be imported, not {shown(url)!r}."
        )
    if parts.username is not None or parts.password is not None:
        raise BlockedAddress(
            "Feed addresses with a user name or password in them are not fetched "
            f"({shown(url)}); ask the publisher for an open feed address."
        )
    if not parts.hostname:
        raise BlockedAddress(f"{shown(url)} has no host name.")
    try:
        port = parts.port or _SCHEMES[scheme]
    except ValueError as error:
        raise BlockedAddress(f"{shown(url)} has an invalid port number.") from error
    return parts.hostname, port


def check_url(url: str) -> list[AddrInfo]:
    """Check ``url`` and resolve its host; return the vetted addresses to connect to.

    Raises BlockedAddress (bad scheme, credentials, an internal address) or FeedError
    (the name does not resolve).
    """
    host, port = check_shape(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise FeedError(f"Could not find the server {host} ({reason}).") from error
    if not infos:
        raise FeedError(f"Could not find the server {host}.")
    if host_is_allowed(host):
        return infos
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if is_internal(ip):
            named = "That address" if host.strip("[]") == str(ip) else f"That address ({host})"
            raise BlockedAddress(
                f"{named} points inside our network ({ip}), so we won't fetch it." + ALLOW_HINT
            )
    return infos


def _connect_pinned(
    infos: Sequence[AddrInfo], port: int, timeout: Any, source_address: Any = None
) -> socket.socket:
    """Connect to the first vetted address that answers (as socket.create_connection
    would), never resolving the name again."""
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect((sockaddr[0], port, *sockaddr[2:]))
            return sock
        except OSError as error:
            last = error
            sock.close()
    raise last or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, *, vetted: Sequence[AddrInfo], **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        # http.client opens its socket through this hook; HTTPS wraps the result with
        # TLS for self.host, so SNI and the certificate check keep the URL's name.
        self._create_connection = lambda address, timeout, source=None: _connect_pinned(
            vetted, address[1], timeout, source
        )


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, *, vetted: Sequence[AddrInfo], **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = lambda address, timeout, source=None: _connect_pinned(
            vetted, address[1], timeout, source
        )


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        vetted = check_url(req.full_url)
        return self.do_open(_PinnedHTTPConnection, req, vetted=vetted)  # type: ignore[arg-type]


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        vetted = check_url(req.full_url)
        return self.do_open(
            _PinnedHTTPSConnection,  # type: ignore[arg-type]
            req,
            context=self._context,  # type: ignore[attr-defined]
            vetted=vetted,
        )


class _GuardedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Checks the target before following, so the message names the redirect (the
    handlers above check it again, and pin, when it is actually opened)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            check_url(newurl)
        except FeedError as error:
            fp.close()
            raise type(error)(
                f"{shown(req.full_url)} redirected to {shown(newurl)}: {error}"
            ) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # Built by hand rather than with build_opener so no file:, ftp:, data: or proxy
    # handler is present: only the guarded http(s) handlers can open anything.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(),
        _GuardedHTTPSHandler(),
        _GuardedRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def guarded_opener() -> urllib.request.OpenerDirector:
    """An opener whose every connection and redirect goes through the guard above, for
    callers that build their own ``Request`` (another method than GET, such as the
    link checker's HEAD). It raises urllib's own errors (``HTTPError``, ``URLError``)
    besides BlockedAddress and FeedError; ``open_url`` is the simpler way to GET."""
    return _opener()


def open_url(url: str, *, timeout: float, headers: dict[str, str]) -> http.client.HTTPResponse:
    """GET ``url`` through the guard; the response body is not read here.

    ``timeout`` applies to connecting and to each read, as with ``urlopen``. Raises
    BlockedAddress for an address we refuse, FeedError for anything else that fails.
    """
    check_shape(url)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked
    try:
        response: http.client.HTTPResponse = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        error.close()
        raise FeedError(f"{shown(url)} answered HTTP {error.code} {error.reason}.") from error
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FeedError(f"Could not fetch {shown(url)}: {reason}.") from error
    return response
