"""Errors of the store layer. Messages are safe to show: they never contain a password."""

from __future__ import annotations

from jettui.errors import JettuiError, LockBusy, Unreachable, UsageError

__all__ = ["LockBusy", "StoreError", "StoreSchemaError", "StoreUnreachable"]


class StoreError(JettuiError):
    """Any problem with the OpenCart database that a person has to fix."""


class StoreUnreachable(StoreError, Unreachable):
    """The database cannot be opened (server down, wrong host/port/credentials, bad path)."""


class StoreSchemaError(StoreError, UsageError):
    """The database is reachable but is not an OpenCart 3.0-like store with the configured
    prefix, or jettui's own tables are newer than this jettui."""
