"""The `jettui` command: the dashboard by default, headless sub-commands for cron and scripts.

Exit codes (design.md, ``jettui.errors.ExitCode``): 0 all done; 1 done but some items failed;
2 bad usage or settings; 3 Jet or the store unreachable; 75 another run holds the lock;
130 interrupted. Headless commands never import Textual: the TUI is imported only when the
dashboard starts. ``--json`` prints exactly one JSON document on stdout, whatever happens;
human lines go to stderr, listings to stdout (see :mod:`jettui.cli.output`).

Layout: :mod:`.parser` (arguments), :mod:`.output` (printing, secrets masked once),
:mod:`.session` (settings, store opener/closer), and one module per command group, each with
``register(subparsers)`` and its handlers ``handler(args, out) -> exit code``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import nullcontext

from jettui.errors import ExitCode, exit_code_for

from .output import Output, failure_line, one_line_logging
from .parser import BadUsage, build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (never raises, never prints a traceback)."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse(words)
    except BadUsage as exc:
        out = Output(json_mode="--json" in words)
        out.say(f"jettui: {exc}")
        out.finish(ExitCode.USAGE, str(exc))
        return ExitCode.USAGE
    out = Output(json_mode=bool(args.json))
    # The dashboard owns the terminal: nothing may be written to stderr while it runs.
    with nullcontext() if args.command is None else one_line_logging(out):
        code, error = _run(args, out)
    try:
        out.finish(code, error)
    except BrokenPipeError:
        _silence_stdout()
    return code


def _run(args: argparse.Namespace, out: Output) -> tuple[int, str | None]:
    """The handler's exit code, or the code and one line of the failure that stopped it."""
    from jettui.config import SettingsError

    try:
        return args.handler(args, out), None
    except SettingsError as exc:
        for problem in exc.problems:
            out.say(f"settings: {problem}")
        out.note(problems=list(exc.problems))
        return ExitCode.USAGE, "; ".join(exc.problems) or "invalid settings"
    except KeyboardInterrupt:
        out.say("jettui: interrupted")
        return ExitCode.INTERRUPTED, "interrupted"
    except BrokenPipeError:  # e.g. `jettui categories list | head`: the reader left
        _silence_stdout()
        return ExitCode.OK, None
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        line = out.scrub(failure_line(exc))
        out.say(f"jettui: {line}")
        return exit_code_for(exc), line


def _silence_stdout() -> None:
    """The reader of stdout left: nothing more to write, and no error at exit's flush."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process exits
    except OSError:
        pass
