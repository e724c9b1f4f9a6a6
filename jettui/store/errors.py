"""Errors of the store layer. Messages are safe to show: they never contain a password."""

from __future__ import annotations


class StoreError(Exception):
    """Any problem with the OpenCart database that a person has to fix."""


class StoreUnreachable(StoreError):
    """The database cannot be opened (server down, wrong host/port/credentials, bad path)."""


class StoreSchemaError(StoreError):
    """The database is reachable but is not an OpenCart 3.0-like store with the configured
    prefix, or jettui's own tables are newer than this jettui."""


class LockBusy(StoreError):
    """Another run holds a named jettui lock (the CLI maps this to exit code 75)."""

    def __init__(self, name: str, holder: str | None = None) -> None:
        self.name = name
        self.holder = holder
        who = f" (held by {holder})" if holder else ""
        super().__init__(f"lock '{name}' is held by another run{who}")
