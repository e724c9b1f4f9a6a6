"""Credentials in URLs: find them by parsing the URL, show the URL without them.

A database URL (``mysql://user:pass@host:3306/db?password=...``) or an API URL can carry a
password in two places: the userinfo before the host, and query options such as
``?password=``. Redaction works on the parsed URL, never by searching the password's text in
the line: searching masks a one-letter password inside every word ("o***encart") and misses a
password whose unencoded ``/`` or ``@`` made the URL parse differently.

A URL whose password holds an unencoded ``@ / ? # :`` cannot be parsed the way its author
meant: :func:`parse_url` marks it ``clean=False``; the settings loader refuses it (asking for
percent-encoding) and :func:`redact_url` masks everything up to the last ``@``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

MASK = "***"

# Query option names that carry a secret (PyMySQL's password/passwd, tokens, keys).
_SECRET_OPTION = re.compile(r"pass|pwd|secret|token|key", re.IGNORECASE)
# What may follow the last "@" of a URL we could not parse: host[:port][/path], nothing else.
_PLAIN_TAIL = re.compile(r"^[A-Za-z0-9.\-\[\]:]+(/[^?#=&@]*)?$")


@dataclass(frozen=True)
class ParsedUrl:
    """A URL split for redaction. ``clean`` is False when the text did not parse as a URL
    (bad IPv6 bracket, bad port, an ``@`` outside the userinfo...)."""

    text: str
    clean: bool
    parts: SplitResult | None = None  # set when clean
    problem: str = ""  # why it is not clean

    @property
    def has_userinfo(self) -> bool:
        if self.parts is not None:
            return "@" in self.parts.netloc
        return "@" in self.text

    def secrets(self) -> list[str]:
        """Every credential the URL carries, as written and percent-decoded."""
        found: list[str] = []
        if self.parts is None:
            scheme_end = self.text.find("://")
            at = self.text.rfind("@")
            if scheme_end >= 0 and at > scheme_end:
                userinfo = self.text[scheme_end + 3 : at]
                found += [userinfo, userinfo.partition(":")[2]]
            found += [value for _, value in _secret_options(self.text.partition("?")[2])]
        else:
            userinfo, sep, _ = self.parts.netloc.rpartition("@")
            if sep:
                found.append(userinfo.partition(":")[2])
            found += [value for _, value in _secret_options(self.parts.query)]
        decoded = [unquote(value) for value in found]
        return [value for value in dict.fromkeys(found + decoded) if value]


def parse_url(url: str) -> ParsedUrl:
    """Split ``url``; never raises."""
    try:
        parts = urlsplit(url)
    except ValueError:  # the only one urlsplit raises: an unbalanced IPv6 bracket
        return ParsedUrl(url, False, problem="a '[' in the host without its ']'")
    if not parts.netloc:
        return ParsedUrl(url, True, parts)  # sqlite:///path: no authority, an "@" is a name
    # "u:p/x@host", "u:p#x@host": a "/" or "#" of the password ended the host early;
    # "u:p?x@host": its "?" started the query ("?password=a@b" is fine).
    stray_at = any("=" not in item for item in parts.query.split("&") if "@" in item)
    if "@" in parts.path or "@" in parts.fragment or (stray_at and "@" not in parts.netloc):
        return ParsedUrl(url, False, problem=UNENCODED)
    try:
        parts.port  # noqa: B018 - raises ValueError on a port out of range or not a number
    except ValueError:  # its words may quote the password ("could not be cast ... 'pw'")
        return ParsedUrl(url, False, problem="the port must be a number from 0 to 65535")
    return ParsedUrl(url, True, parts)


UNENCODED = (
    "the user or password holds an unencoded '/', '?', '#' or '@': "
    "percent-encode it (%2F for /, %3F for ?, %23 for #, %40 for @)"
)


def redact_url(url: str) -> str:
    """``url`` with the userinfo password and secret query options replaced by ``***``.

    ``mysql://shop:pw@db:3306/oc?password=x`` → ``mysql://shop:***@db:3306/oc?password=***``.
    """
    parsed = parse_url(url)
    if parsed.parts is None:
        return _redact_unparsed(url)
    parts = parsed.parts
    netloc = parts.netloc
    userinfo, sep, hostport = netloc.rpartition("@")
    if sep and ":" in userinfo:
        netloc = f"{userinfo.partition(':')[0]}:{MASK}@{hostport}"
    query = _redact_query(parts.query)
    if netloc == parts.netloc and query == parts.query:
        return url  # nothing to hide: the text as written (urlunsplit would drop sqlite's "//")
    rebuilt = f"{parts.scheme}://{netloc}{parts.path}"
    if query:
        rebuilt += f"?{query}"
    if parts.fragment:
        rebuilt += f"#{parts.fragment}"
    return rebuilt


def restore_masked(edited: str, stored: str) -> str:
    """``edited`` (a URL the merchant changed from its masked form) with every ``***`` that
    stands for a password put back to the stored one: a masked value is never saved."""
    new = parse_url(edited)
    if new.parts is None or MASK not in edited:
        return edited
    old_userinfo, old_options = _credentials(stored)
    parts = new.parts
    userinfo, sep, hostport = parts.netloc.rpartition("@")
    netloc = parts.netloc
    user, colon, password = userinfo.partition(":")
    if sep and colon and password == MASK and old_userinfo is not None:
        netloc = f"{user}:{old_userinfo.partition(':')[2]}@{hostport}"
    items = []
    for item in parts.query.split("&") if parts.query else []:
        key, eq, value = item.partition("=")
        if eq and value == MASK and key in old_options:
            item = f"{key}={old_options[key]}"
        items.append(item)
    rebuilt = f"{parts.scheme}://{netloc}{parts.path}"
    if items:
        rebuilt += "?" + "&".join(items)
    if parts.fragment:
        rebuilt += f"#{parts.fragment}"
    return rebuilt


def _credentials(url: str) -> tuple[str | None, dict[str, str]]:
    """(userinfo, secret query options) of ``url`` as written."""
    parsed = parse_url(url)
    if parsed.parts is None:
        scheme_end, at = url.find("://"), url.rfind("@")
        userinfo = url[scheme_end + 3 : at] if scheme_end >= 0 and at > scheme_end else None
        return userinfo, dict(_secret_options(url.partition("?")[2]))
    userinfo, sep, _ = parsed.parts.netloc.rpartition("@")
    return (userinfo if sep else None), dict(_secret_options(parsed.parts.query))


def url_secrets(url: str) -> list[str]:
    """The credentials ``url`` carries (for masking them in free text such as driver errors)."""
    return parse_url(url).secrets()


def has_password(url: str) -> bool:
    """True when ``url`` carries a password (userinfo or a secret query option)."""
    return bool(parse_url(url).secrets())


def _secret_options(query: str) -> list[tuple[str, str]]:
    pairs = []
    for item in query.split("&"):
        key, sep, value = item.partition("=")
        if sep and _SECRET_OPTION.search(unquote(key)):
            pairs.append((key, value))
    return pairs


def _redact_query(query: str) -> str:
    if not query:
        return query
    items = []
    for item in query.split("&"):
        key, sep, value = item.partition("=")
        if sep and value and _SECRET_OPTION.search(unquote(key)):
            item = f"{key}={MASK}"
        items.append(item)
    return "&".join(items)


def _redact_unparsed(url: str) -> str:
    """A URL that did not parse: keep the scheme, mask everything up to the last "@", and
    show what follows only when it is plainly host[:port][/path]."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return MASK if ("@" in url or "=" in url) else url
    head, at, tail = rest.rpartition("@")
    if not at:
        # No userinfo: only a query option can hold a secret.
        base, qsep, query = rest.partition("?")
        return f"{scheme}://{base}{qsep}{_redact_query(query)}"
    if "?" in head and "=" in head:
        return f"{scheme}://{MASK}"  # the last "@" may sit in a query option's value
    user, colon, _ = head.partition(":")
    shown = f"{user}:{MASK}" if colon and "/" not in user and "?" not in user else MASK
    if _PLAIN_TAIL.match(tail):
        return f"{scheme}://{shown}@{tail}"
    return f"{scheme}://{shown}@{MASK}"


# A secret this short is masked only where it stands alone (between non-word characters):
# masking it inside words would turn "opencart" into "o***encart" and give its value away.
SHORT_SECRET = 6


def mask_secrets(text: str, secrets: list[str]) -> str:
    """``text`` with each of ``secrets`` replaced by ``***`` (longest first)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if not secret or secret == MASK:
            continue
        if len(secret) >= SHORT_SECRET:
            text = text.replace(secret, MASK)
        else:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])"
            text = re.sub(pattern, MASK, text)
    return text
