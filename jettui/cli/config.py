"""`jettui config check | show`: are the settings valid and the store and Jet reachable, and
what are the effective settings (secrets masked)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from jettui.errors import ExitCode

from .output import Output
from .parser import add_json
from .session import ensure_demo, load


def register(commands: Any) -> None:
    config = commands.add_parser("config", help="check or show the settings")
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="settings valid? store and Jet reachable? (0 / 2 / 3)")
    check.set_defaults(handler=run_check)
    show = actions.add_parser("show", help="print the effective settings (secrets masked)")
    show.set_defaults(handler=run_show)
    for sub in (check, show):
        add_json(sub)


def run_show(args: argparse.Namespace, out: Output) -> int:
    """The settings on stdout (a listing: pipe it), masked; with --json as the document."""
    from jettui.config import settings_to_dict

    settings = load(args, out)
    data = settings_to_dict(settings)
    out.note(path=str(settings.path), settings=data, warnings=list(settings.warnings))
    out.show(f"# {settings.path}")
    for section, values in data.items():
        out.show(f"{section}:")
        for key, value in values.items():
            out.show(f"  {key}: {json.dumps(value)}")
    return ExitCode.OK


def run_check(args: argparse.Namespace, out: Output) -> int:
    """Settings, then the store and Jet, part by part: 0 all good, 2 settings invalid, 3 the
    store or Jet failed. The store is only looked at (no tables created, no WAL)."""
    import asyncio

    from jettui.config import SettingsError
    from jettui.services.health import check_all

    try:
        settings = load(args, out)
    except SettingsError as exc:
        path = str(exc.path) if exc.path else None
        out.note(settings={"ok": False, "path": path, "problems": exc.problems})
        for problem in exc.problems:
            out.say(f"settings: {problem}")
        return ExitCode.USAGE
    settings_part = {"ok": True, "path": str(settings.path), "warnings": list(settings.warnings)}
    out.note(settings=settings_part)
    ensure_demo(settings, out)  # first start with the shipped settings: the demo store
    parts = asyncio.run(check_all(settings))
    out.note(**parts)
    out.say(f"settings: ok ({settings.path})")
    for name in ("store", "jet"):
        part = parts[name]
        out.say(f"{name}: {'ok' if part['ok'] else 'FAILED'} - {part['message']}")
    if not all(part["ok"] for part in parts.values()):
        return ExitCode.UNREACHABLE
    # the store answers: do the settings name order statuses this shop has?
    status_problems = parts["store"].get("order_status_problems") or []
    for problem in status_problems:
        out.say(f"settings: {problem}")
    return ExitCode.USAGE if status_problems else ExitCode.OK
