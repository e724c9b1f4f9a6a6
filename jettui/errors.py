"""One vocabulary of failures and exit codes for every service, command and screen.

Every error jettui raises on purpose derives from :class:`JettuiError`. What cannot be reached
(the store's server, Jet) derives from :class:`Unreachable` as well, whichever layer raised it,
so callers classify by type, never by a class name or an error's text. :func:`exit_code_for`
is the one mapping from an exception to the exit codes of design.md.

This module imports nothing heavy: headless start-up loads it on every run.
"""

from __future__ import annotations

import sys
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # everything done
    PARTIAL = 1  # done, but some items failed (listed); also an unexpected error
    USAGE = 2  # bad usage or settings
    UNREACHABLE = 3  # Jet or the store unreachable
    LOCKED = 75  # another run holds the lock: nothing done (EX_TEMPFAIL)
    INTERRUPTED = 130  # Ctrl+C


class JettuiError(Exception):
    """Root of jettui's own errors: a one-line message safe to show (no secrets)."""

    exit_code: ExitCode = ExitCode.PARTIAL


class UsageError(JettuiError):
    """Bad input from the person or the settings: nothing was done."""

    exit_code = ExitCode.USAGE


class Unreachable(JettuiError):
    """Jet or the store could not be reached (down, refused, timed out, credentials refused)."""

    exit_code = ExitCode.UNREACHABLE


class LockBusy(JettuiError):
    """Another run holds a named jettui lock: nothing was done."""

    exit_code = ExitCode.LOCKED

    def __init__(self, name: str, holder: str | None = None) -> None:
        self.name = name
        self.holder = holder
        who = f" (held by {holder})" if holder else ""
        super().__init__(f"lock '{name}' is held by another run{who}")


def is_unreachable(exc: BaseException) -> bool:
    """True for an outage of Jet or of the store, including peewee's raw connection errors."""
    if isinstance(exc, Unreachable):
        return True
    peewee = sys.modules.get("peewee")  # only loaded when a store was opened
    return peewee is not None and isinstance(exc, peewee.OperationalError | peewee.InterfaceError)


def exit_code_for(exc: BaseException) -> int:
    """The exit code a command ends with when ``exc`` stopped it."""
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if is_unreachable(exc):
        return ExitCode.UNREACHABLE
    if isinstance(exc, JettuiError):
        return exc.exit_code
    return ExitCode.PARTIAL


def one_line(exc: BaseException) -> str:
    """``exc`` as one line for people: its message, or its type for an unexpected error."""
    text = " ".join(str(exc).split())
    if isinstance(exc, JettuiError):
        return text or type(exc).__name__
    return f"unexpected error: {type(exc).__name__}" + (f": {text}" if text else "")
