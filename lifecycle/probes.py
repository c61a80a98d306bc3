"""Is this website answering, and does this email domain exist? One probe per link.

Polite by construction: every request has a timeout, asks with HEAD first (no body
sent back) and falls back to GET only when the server refuses HEAD with an error
status (many servers answer HEAD with 403, 404 or 405 and GET with 200), names the
directory in its User-Agent and never reads the body. A failure is tried once more,
after a pause, before it is reported: a server restarting for a minute is not broken.

Every request and every redirect hop goes through ``importers.safe_fetch``, the guard
against internal addresses, so a listing's website cannot make the server call the
cloud metadata service or the database. A refused address is reported as such,
without any request made, and is not retried.

Email domains are looked up in DNS (dnspython): an MX record, else an address record
(a domain without MX receives mail at its A/AAAA address, RFC 5321 §5.1). Nothing
connects to the mail server.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import dns.exception
import dns.resolver

from importers.safe_fetch import BlockedAddress, FeedError, check_shape, guarded_opener

REFUSED_INTERNAL = "Refused: internal address"
#: Failures that a second try cannot change (the address itself is refused).
_NOT_WORTH_RETRYING = (REFUSED_INTERNAL, "Not a web address", "Not an email domain")


@dataclass(frozen=True)
class Probe:
    ok: bool
    reason: str = ""


OK = Probe(ok=True)


def _broken(reason: str) -> Probe:
    return Probe(ok=False, reason=reason[:200])


def with_retry(probe: Callable[[], Probe], retry_delay: float) -> Probe:
    """Probe; if broken (and worth retrying), wait and probe once more."""
    first = probe()
    if first.ok or first.reason.startswith(_NOT_WORTH_RETRYING):
        return first
    time.sleep(retry_delay)
    return probe()


# --- websites --------------------------------------------------------------------------


def _failure_reason(error: BaseException) -> str:
    """A short reason staff can act on, never the server's own words."""
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        return _failure_reason(error.reason)
    if isinstance(error, TimeoutError | socket.timeout):
        return "Timed out"
    if isinstance(error, ConnectionRefusedError):
        return "Connection refused"
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return "Secure connection (TLS) failed"
    if isinstance(error, socket.gaierror):
        return "DNS failure: the server's name was not found"
    return f"Could not connect ({type(error).__name__})"


def _request_once(url: str, method: str, timeout: float, user_agent: str) -> Probe | int:
    """One request: OK, a broken Probe, or the HTTP error status (for the caller to
    decide whether GET deserves a try)."""
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked by check_shape
        url, method=method, headers={"User-Agent": user_agent, "Accept": "*/*"}
    )
    try:
        with guarded_opener().open(request, timeout=timeout):
            return OK  # the body is never read
    except BlockedAddress:
        return _broken(REFUSED_INTERNAL)
    except urllib.error.HTTPError as error:
        error.close()
        return error.code
    except FeedError:
        # The guard could not resolve the name (its message names the host: not stored).
        return _broken("DNS failure: the server's name was not found")
    except (ValueError, http.client.InvalidURL):
        # Such as spaces or accents, which http.client cannot send: URLField accepts more.
        return _broken("Not a web address we can check (characters a request cannot carry)")
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        return _broken(_failure_reason(error))


def as_sent(url: str) -> str:
    """``url`` as a browser sends it: spaces and accents in the path and query
    percent-encoded (existing escapes kept), no fragment."""
    parts = urlsplit(url)
    safe = "/:@!$&'()*+,;=%~"
    return urlunsplit(
        parts._replace(
            path=quote(parts.path, safe=safe),
            query=quote(parts.query, safe=safe + "?"),
            fragment="",
        )
    )


def probe_website(url: str, *, timeout: float, user_agent: str) -> Probe:
    """One attempt at ``url``: HEAD, then GET if HEAD was answered with an error."""
    try:
        check_shape(url)
    except BlockedAddress:
        return _broken("Not a web address we can check (only http and https)")
    url = as_sent(url)
    result = _request_once(url, "HEAD", timeout, user_agent)
    if isinstance(result, int):
        result = _request_once(url, "GET", timeout, user_agent)
    if isinstance(result, int):
        return _broken(f"HTTP {result}")
    return result


def check_website(url: str, *, timeout: float, user_agent: str, retry_delay: float) -> Probe:
    return with_retry(
        lambda: probe_website(url, timeout=timeout, user_agent=user_agent), retry_delay
    )


# --- email domains ---------------------------------------------------------------------


def email_domain(address: str) -> str:
    """The domain of an email address, lower case ('' if it has none)."""
    return address.rpartition("@")[2].strip().rstrip(".").lower()


def probe_email_domain(domain: str, *, timeout: float, resolver: Any) -> Probe:
    """One DNS attempt: MX, else A, else AAAA. ``resolver`` is a
    ``dns.resolver.Resolver`` (or anything with its ``resolve`` method)."""
    if not domain or "." not in domain:
        return _broken("Not an email domain")
    try:
        answer = resolver.resolve(domain, "MX", lifetime=timeout)
        exchanges = {str(record.exchange) for record in answer}
        if exchanges == {"."}:
            return _broken("The domain accepts no email (null MX)")
        return OK
    except dns.resolver.NXDOMAIN:
        return _broken("DNS failure: no such domain")
    except dns.resolver.NoAnswer:
        pass  # no MX: mail goes to the domain's own address, if it has one
    except (dns.exception.Timeout, dns.resolver.LifetimeTimeout):
        return _broken("DNS failure: timed out")
    except dns.exception.DNSException as error:
        return _broken(f"DNS failure ({type(error).__name__})")
    for rdtype in ("A", "AAAA"):
        try:
            resolver.resolve(domain, rdtype, lifetime=timeout)
            return OK
        except dns.resolver.NoAnswer:
            continue
        except dns.exception.DNSException as error:
            return _broken(f"DNS failure ({type(error).__name__})")
    return _broken("DNS failure: no mail server for the domain")


def check_email_domain(domain: str, *, timeout: float, resolver: Any, retry_delay: float) -> Probe:
    return with_retry(
        lambda: probe_email_domain(domain, timeout=timeout, resolver=resolver), retry_delay
    )
