"""Typed errors raised by the Jet client.

Every error carries the HTTP ``status`` (or None), Jet's own ``messages``, and the ``method`` and
``path`` of the call. Paths never carry a query string for blob uploads (the SAS signature is a
credential), and nothing here ever holds the API secret or the bearer token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from jettui.errors import JettuiError, Unreachable


class JetError(JettuiError):
    """Base class: a Jet call that did not succeed."""

    summary = "Jet call failed"

    def __init__(
        self,
        summary: str | None = None,
        *,
        status: int | None = None,
        messages: Sequence[str] = (),
        method: str | None = None,
        path: str | None = None,
        may_have_applied: bool = False,
    ) -> None:
        self.summary = summary or type(self).summary
        self.status = status
        self.messages = [str(m) for m in messages]
        self.method = method
        self.path = path
        # True when a non-idempotent call failed after the request may have reached Jet: the
        # caller must look before sending it again (e.g. list refunds by alt_refund_id).
        self.may_have_applied = may_have_applied
        super().__init__(str(self))

    def __str__(self) -> str:
        where = " ".join(p for p in (self.method, self.path) if p)
        head = f"{where}: " if where else ""
        status = f" (HTTP {self.status})" if self.status is not None else ""
        detail = f": {'; '.join(self.messages)}" if self.messages else ""
        text = f"{head}{self.summary}{status}{detail}"
        return " ".join(text.split())  # one line, whatever Jet put in its messages

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class JetAuthError(JetError, Unreachable):
    """Credentials or token refused: to a cron run this is an outage, exit 3."""

    summary = "Jet refused the credentials or token"


class JetValidationError(JetError):
    summary = "Jet rejected the data"


class JetNotFound(JetError):
    summary = "not found on Jet"


class JetRateLimited(JetError):
    summary = "Jet kept answering 'too many requests'"

    def __init__(self, summary: str | None = None, *, retry_after: float | None = None, **kw: Any):
        self.retry_after = retry_after
        super().__init__(summary, **kw)


class JetServerError(JetError):
    summary = "Jet server error"


class JetUnreachable(JetError, Unreachable):
    summary = "Jet unreachable"


class JetProtocolError(JetError):
    summary = "unexpected response from Jet"


def error_messages(body: Any) -> list[str]:
    """Jet's own words from an error body: ``errors`` array, ``error`` string or ``Message``."""
    if isinstance(body, str):
        return [body] if body.strip() else []
    if not isinstance(body, dict):
        return []
    out: list[str] = []
    errors = body.get("errors")
    if isinstance(errors, list):
        out.extend(str(e) for e in errors)
    elif isinstance(errors, str):
        out.append(errors)
    for key in ("error", "Message", "message"):
        value = body.get(key)
        if isinstance(value, str) and value:
            out.append(value)
    return out


def safe_path(url: str) -> str:
    """A URL fit for errors and logs: absolute URLs (blob uploads) lose their query string."""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return url
