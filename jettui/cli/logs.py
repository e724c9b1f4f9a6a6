"""`jettui logs [--since ...] [--sku ...] [--order ...] [--file ...] [--job ...] [--json]`:
the event log headless (what the Logs panel shows): Jet calls with their redacted bodies, job
runs, product and order events, oldest of the selection first, like a log file."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import UsageError

from .output import Output
from .parser import add_json, positive_int
from .session import load, store

LEVELS = ("debug", "info", "warning", "error")


def register(commands: Any) -> None:
    logs = commands.add_parser("logs", help="the event log: Jet calls (bodies redacted), jobs")
    logs.add_argument("--since", metavar="WHEN", help="30m, 2h, 7d ago, or a UTC date/time")
    logs.add_argument("--sku", metavar="SKU", help="rows about this merchant SKU")
    logs.add_argument("--order", metavar="ID",
                      help="rows about this Jet order (its id, reference id or a prefix)")  # fmt: skip
    logs.add_argument("--file", metavar="ID", help="rows about this Jet bulk file id")
    logs.add_argument("--job", metavar="JOB", help="this job's runs (e.g. sync)")
    logs.add_argument("--level", choices=LEVELS, help="this level and worse")
    logs.add_argument(
        "--limit", type=positive_int, default=200, help="newest rows shown (default 200)"
    )
    logs.add_argument(
        "-v", "--bodies", action="store_true", help="also the Jet calls' request/response bodies"
    )
    add_json(logs)
    logs.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    from jettui.services.logs import EventFilter, parse_since, query_events, resolved
    from jettui.store.text import utcnow

    try:
        since = parse_since(args.since, utcnow()) if args.since else None
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    where = EventFilter(
        since=since,
        sku=args.sku or "",
        order=args.order or "",
        file=args.file or "",
        job=args.job or "",
        level=args.level or "",
        limit=args.limit,
    )
    settings = load(args, out)
    with store(settings, out):
        rows = query_events(resolved(where))
    rows.reverse()  # oldest first, like a log file
    out.note(events=rows)
    for row in rows:
        when = (row["time"] or "")[:19].replace("T", " ")
        ref = f" {row['ref']}" if row["ref"] and row["ref"] not in row["message"] else ""
        out.show(f"{when} {row['level']:<7} {row['kind']:<8}{ref} {row['message']}")
        detail = row["detail"] if isinstance(row["detail"], dict) else {}
        if args.bodies:
            for key in ("request_body", "response_body"):
                if detail.get(key):
                    out.show(f"    {key.split('_')[0]:<8} {detail[key]}")
    if not rows and not args.json:
        out.say("jettui: no log rows match")
    return 0
