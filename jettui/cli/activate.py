"""`jettui activate [STEP]`: Jet's API activation ("Runway") test steps, or their status."""

from __future__ import annotations

import argparse
from typing import Any

from jettui.errors import ExitCode, UsageError

from .output import Output
from .parser import add_json
from .session import load, store

STEPS = ("product", "order", "return", "all", "status")


def register(commands: Any) -> None:
    activate = commands.add_parser(
        "activate", help="Jet API activation ('Runway'): the product, order and return test steps"
    )
    activate.add_argument(
        "step",
        nargs="?",
        default="all",
        choices=STEPS,
        metavar="STEP",
        help="product | order | return | all (default) | status (what is done, and when)",
    )
    activate.add_argument(
        "--yes",
        action="store_true",
        help="run the order/return steps against a real Jet (there a cancel really cancels)",
    )
    add_json(activate)
    activate.set_defaults(handler=run)


def run(args: argparse.Namespace, out: Output) -> int:
    """Run Runway steps (0 all ok, 1 some failed, 3 Jet/store unreachable, 75 lock held) or
    show which are done (``status``)."""
    import asyncio

    from jettui.services import activation

    settings = load(args, out)
    out.note(target="sandbox" if settings.jet.is_sandbox else settings.jet.api_url)
    with store(settings, out) as db:
        if args.step == "status":
            return _status(out)
        steps = activation.expand_steps(args.step)

        def progress(step: str, message: str) -> None:
            out.say(f"{step}: {message}")

        try:
            results = asyncio.run(
                activation.run_activation(
                    settings, db, steps, confirm_live=args.yes, progress=progress
                )
            )
        except activation.ConfirmationRequired as exc:
            raise UsageError(f"{exc} (pass --yes); nothing done") from None
    failed = [r.step for r in results if not r.ok]
    out.note(ok=not failed, steps=[r.as_dict() for r in results], failed=failed)
    for result in results:
        outcome = "ok" if result.ok else result.outcome.upper()
        out.say(f"{activation.STEP_TITLES[result.step]}: {outcome} - {result.message}")
    if any(r.unreachable for r in results):
        return ExitCode.UNREACHABLE
    return ExitCode.PARTIAL if failed else ExitCode.OK


def _status(out: Output) -> int:
    from jettui.services import activation

    states = activation.activation_status()
    running = activation.running_holder()
    out.note(
        ok=all(s.last is not None and s.last.ok for s in states.values()),
        running=running,
        steps=[s.as_dict() for s in states.values()],
    )
    for state in states.values():  # the result: stdout
        out.result(f"{state.step}: {state.label}")
    if running:
        out.result(f"running now: {running}")
    return ExitCode.OK
