"""`jettui status [--json | --nagios]`: the health check monitoring and cron can alert on.

Exit 0 healthy, 1 something needs a person, 3 the store cannot be read at all. ``--nagios``
prints the one line monitoring plugins expect (``JETTUI OK|WARNING|CRITICAL - ...``) with
exit 0/1/2. The rules live in :mod:`jettui.services.status`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .output import Output
from .session import load

if TYPE_CHECKING:
    from jettui.services.status import StatusReport


def register(commands: Any) -> None:
    status = commands.add_parser(
        "status", help="health check: what needs a person (exit 0 healthy, 1 attention, 3 store)"
    )
    form = status.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    form.add_argument(
        "--nagios",
        action="store_true",
        help="one line 'JETTUI OK|WARNING|CRITICAL - ...' with exit 0/1/2 (monitoring plugins)",
    )
    status.add_argument(
        "--no-jet", action="store_true", help="do not ask Jet for a token (store facts only)"
    )
    status.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    import asyncio

    from jettui.services.status import StoreUnreadable, collect

    settings = load(args, out)
    try:
        report = asyncio.run(collect(settings, jet=not args.no_jet))
    except StoreUnreadable as exc:
        if args.nagios:
            out.show(f"JETTUI CRITICAL - {exc}")
            return 2
        out.note(healthy=False, severity="critical")
        raise  # one line, exit 3 (main's handling of Unreachable)
    if args.nagios:
        line, code = report.nagios()
        out.show(line)
        return code
    out.note(**report.as_dict())
    for line in describe(report):
        out.show(line)
    return report.exit_code


def describe(report: StatusReport) -> list[str]:
    """The report for people: verdict and problems first, then the facts."""
    f = report.facts
    verdict = "needs a person" if report.problems else "healthy"
    never = [job.job for job in f.jobs if job.never_run]
    if never:
        verdict += (
            ", no job has run yet"
            if len(never) == len(f.jobs)
            else f", {len(never)} job(s) never run: {', '.join(never)}"
        )
    lines = [f"jettui status at {report.now:%Y-%m-%d %H:%M} UTC: {verdict}"]
    lines += [f"  {p.severity.name:<8} {p.message}" for p in report.problems]
    deadline = report.next_ack_deadline
    waiting = f"{len(f.unacknowledged)} waiting for acknowledgement"
    if deadline is not None:
        waiting += f" (nearest deadline {deadline:%Y-%m-%d %H:%M} UTC)"
    lines.append(f"Orders: {waiting}, {len(f.late_shipments)} past their ship-by date")
    lines += [
        f"  late: {mid} (ship by {when:%Y-%m-%d %H:%M} UTC)" for mid, when in f.late_shipments[:5]
    ]
    lines.append("Jobs:")
    for job in f.jobs:
        if job.never_run:
            lines.append(f"  {job.job:<15} never run")
            continue
        last_ok = f"{job.last_ok:%Y-%m-%d %H:%M}" if job.last_ok else "never"
        line = f"  {job.job:<15} last ok {last_ok:<16}  {job.failures_since} failure(s) since"
        if job.failures_since and job.last_error:
            line += f": {job.last_error}"
        lines.append(line)
    products = ", ".join(f"{status} {count}" for status, count in f.products.items())
    lines.append(f"Products: {products or 'none linked to Jet'}")
    files = ", ".join(
        f"{x['file_type']} {x['jet_file_id'] or x['file_name']} ({x['error_count']} errors)"
        for x in f.error_files[:5]
    )
    lines.append(
        f"Bulk files with errors, not resubmitted: {len(f.error_files)}{': ' + files if files else ''}"
    )
    locks = ", ".join(f"{x['name']} ({x['holder']})" for x in f.stale_locks)
    lines.append(f"Locks past their expiry: {locks or 'none'}")
    jet = report.jet
    if not jet.checked:
        lines.append("Jet: not checked (--no-jet)")
    elif jet.reachable:
        expires = jet.token_expires_at
        lines.append(
            f"Jet: reachable, token expires {expires:%Y-%m-%d %H:%M} UTC"
            if expires
            else "Jet: reachable"
        )
    else:
        lines.append(f"Jet: not reachable: {jet.message}")
    return lines
