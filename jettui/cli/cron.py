"""`jettui cron JOB`: run one background job, the due ones (for crontab: `cron due`) or all.

`cron due` is quiet: nothing printed when every job went well (cron mails only output, so mail
arrives only when something failed), one line per failed job otherwise; ``-v`` prints the full
account, as `cron JOB` and `cron all` always do. ``--json`` is unchanged. Every outcome also
reaches the log file (``log.file``).

A run with nothing due is the common case (cron starts it every few minutes): it imports only
what deciding and reporting need, and the job bodies stay unloaded (``services.jobs``)."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

from jettui.errors import UsageError

from .output import Output
from .parser import add_json
from .session import NOT_AVAILABLE, load, store

JOBS = ("fetch-orders", "acknowledge", "fetch-errors", "fetch-returns", "product-status", "sync")
CHOICES = (*JOBS, "due", "all", "install")
EVERY = "*/5 * * * *"  # cron due decides per job; every five minutes is fine-grained enough


def jettui_command() -> str:
    """The absolute command running this jettui: the `jettui` script when that is what ran
    (or is on PATH), else this Python with ``-m jettui.cli``."""
    import shlex
    import shutil
    import sys
    from pathlib import Path

    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "jettui" and argv0.exists():
        return shlex.quote(str(argv0.absolute()))
    found = shutil.which("jettui")
    if found:
        return shlex.quote(str(Path(found).absolute()))
    return f"{shlex.quote(str(Path(sys.executable).absolute()))} -m jettui.cli"


def crontab_line(settings_path: object) -> str:
    """The crontab line to paste: absolute jettui, absolute settings file, `cron due`."""
    import shlex
    from pathlib import Path

    config = f" --config {shlex.quote(str(Path(str(settings_path)).absolute()))}"
    return f"{EVERY} {jettui_command()}{config if settings_path else ''} cron due"


FAILURES_SHOWN = 20  # failed items listed per job on stderr
FAILURES_LOGGED = 200  # failed items written per job to the log file
FAILING = frozenset({"partial", "failed", "unreachable"})  # outcomes `cron due` always prints

if TYPE_CHECKING:
    from jettui.services.jobs import JobOutcome


def register(commands: Any) -> None:
    cron = commands.add_parser(
        "cron",
        help="run a background job once (for crontab: 'jettui cron due';"
        " 'jettui cron install' prints the line to paste)",
    )
    cron.add_argument("job", choices=CHOICES, metavar="JOB", help=" | ".join(CHOICES))
    add_json(cron)
    cron.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="'cron due': every job's outcome (by default only failures are printed)",
    )
    cron.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    """0 ok, 1 items failed, 2 not available yet, 3 Jet/store unreachable, 75 a lock held."""
    import asyncio

    from jettui.services import jobs

    out.note(job=args.job)
    settings = load(args, out)
    if args.job == "install":  # print the line; installing it is the user's (crontab -e)
        line = crontab_line(settings.path or "")
        out.note(crontab=line)
        out.show(line)
        out.say("Add this line with `crontab -e` (cron due runs each job when it is due).")
        return 0
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
    record(outcomes)
    quiet = args.job == "due" and not args.verbose and not args.json
    for outcome in outcomes:
        if quiet:
            if outcome.result in FAILING:
                out.say(failure_line(outcome))
            continue
        out.say(outcome.line)
        for failure in outcome.failures[:FAILURES_SHOWN]:
            out.say(f"  {failure.item}: {failure.reason}")
        hidden = outcome.items_failed - FAILURES_SHOWN
        if hidden > 0:
            out.say(f"  ... and {hidden} more (--json lists every one)")
    return code


def failure_line(outcome: JobOutcome) -> str:
    """One line for a job that failed: its outcome and its first failed item."""
    line = outcome.line
    if outcome.failures:
        line += f"; first: {outcome.first_failure(', -v lists them')}"
    return line


def record(outcomes: list[JobOutcome]) -> None:
    """The outcomes of the jobs that ran (or found their lock held) to the log file, failed
    items included up to :data:`FAILURES_LOGGED` each (a no-op when ``log.file`` is not set;
    jobs not due are not worth a line every few minutes)."""
    from jettui.services.logs import history

    for outcome in outcomes:
        if not outcome.ran and outcome.result != "locked":
            continue
        level = logging.WARNING if outcome.result in FAILING else logging.INFO
        history.log(level, "cron %s", outcome.line)
        for failure in outcome.failures[:FAILURES_LOGGED]:
            history.log(level, "cron %s:   %s: %s", outcome.job, failure.item, failure.reason)
        if outcome.items_failed > FAILURES_LOGGED:
            history.log(
                level,
                "cron %s:   ... and %d more",
                outcome.job,
                outcome.items_failed - FAILURES_LOGGED,
            )
