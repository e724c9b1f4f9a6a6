"""`jettui cron JOB`: run one background job, the due ones (for crontab: `cron due`) or all.

A run with nothing due is the common case (cron starts it every few minutes): it imports only
what deciding and reporting need, and the job bodies stay unloaded (``services.jobs``)."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import UsageError

from .output import Output
from .parser import add_json
from .session import NOT_AVAILABLE, load, store

JOBS = ("fetch-orders", "acknowledge", "fetch-errors", "fetch-returns", "product-status", "sync")
CHOICES = (*JOBS, "due", "all")
FAILURES_SHOWN = 20  # failed items listed per job on stderr


def register(commands: Any) -> None:
    cron = commands.add_parser(
        "cron", help="run a background job once (for crontab: 'jettui cron due')"
    )
    cron.add_argument("job", choices=CHOICES, metavar="JOB", help=" | ".join(CHOICES))
    add_json(cron)
    cron.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    """0 ok, 1 items failed, 2 not available yet, 3 Jet/store unreachable, 75 a lock held."""
    import asyncio

    from jettui.services import jobs

    out.note(job=args.job)
    settings = load(args, out)
    job = jobs.JOBS.get(args.job)
    if job is not None and not job.available:
        raise UsageError(f"'cron {args.job}' is {NOT_AVAILABLE}")

    def progress(name: str, message: str) -> None:
        if out.interactive:  # cron mails stderr: progress only for a person watching
            out.say(f"{name}: {message}")

    with store(settings, out) as db:
        if args.job == "due":
            work = jobs.run_due(settings, db, trigger="cron", progress=progress)
        else:
            names = list(jobs.JOBS) if args.job == "all" else [args.job]
            work = jobs.run_jobs(settings, db, names, trigger="cron", progress=progress)
        outcomes = asyncio.run(work)
    single = args.job not in ("due", "all")
    code = outcomes[0].exit_code if single else jobs.combined_exit_code(outcomes)
    out.note(outcomes=[o.as_dict() for o in outcomes])
    for outcome in outcomes:
        out.say(outcome.line)
        for failure in outcome.failures[:FAILURES_SHOWN]:
            out.say(f"  {failure.item}: {failure.reason}")
        hidden = outcome.items_failed - FAILURES_SHOWN
        if hidden > 0:
            out.say(f"  ... and {hidden} more (--json lists every one)")
    return code
