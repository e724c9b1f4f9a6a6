"""Everything a command prints goes through one :class:`Output`.

- ``say``: lines for people, on stderr (cron mails them), so ``--json`` stdout stays parseable.
- ``show``: listings (``categories list``, ``categories taxonomy``, ``config show``) on stdout,
  so they can be piped; with ``--json`` the document carries them instead.
- ``note``: fields of the one JSON document; :meth:`Output.finish` prints it exactly once,
  whatever happened (failure, store gone mid-run, Ctrl+C), with what is known by then.

Every line and the document pass :meth:`Output.scrub` here, the one place secrets are masked,
and every printed line :func:`jettui.text_safety.safe_text` (control characters, ANSI/OSC
escapes and bidi overrides from Jet or the store never reach the terminal raw; TAB stays the
listings' column separator, their cells are made safe by :func:`~jettui.text_safety.tsv_row`).
The JSON document keeps the original text, escaped by JSON (``ensure_ascii``).
Logging (e.g. the event logger's "could not write events") is routed here as one line per
distinct message, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from jettui.errors import JettuiError, LockBusy, is_unreachable, one_line
from jettui.text_safety import safe_text

if TYPE_CHECKING:
    from jettui.config import Settings


class Output:
    """What one command run prints: human lines, listings and (``--json``) one document."""

    def __init__(self, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.document: dict[str, Any] = {}
        self.settings: Settings | None = None
        self._progress_shown = False
        self._finished = False

    # --- secrets ---

    def use_settings(self, settings: Settings) -> None:
        """Secrets of ``settings`` are masked in everything printed from now on."""
        self.settings = settings

    def scrub(self, text: str) -> str:
        if self.settings is None:
            return text
        from jettui.config import scrub_secrets

        return scrub_secrets(text, self.settings)

    def safe(self, line: str) -> str:
        """One printed line: secrets masked, then made inert for a terminal (TAB kept)."""
        return safe_text(self.scrub(line), keep_tabs=True)

    # --- lines ---

    def say(self, text: str) -> None:
        """Human lines on stderr (one per line of ``text``), secrets masked."""
        self.end_progress()
        for line in text.splitlines() or [""]:
            _write(sys.stderr, self.safe(line) + "\n")

    def show(self, text: str) -> None:
        """A listing line on stdout for pipes; not printed with ``--json`` (the document has it)."""
        if not self.json_mode:
            self.end_progress()
            for line in text.splitlines() or [""]:
                _write(sys.stdout, self.safe(line) + "\n")

    def result(self, text: str) -> None:
        """A command's result for people (``orders show``-like): stdout for pipes; with
        ``--json`` (the document has it, stdout is the document's alone) on stderr."""
        if self.json_mode:
            self.say(text)
        else:
            self.show(text)

    def listing(self, header: str, lines: list[str], noun: str) -> None:
        """A table on stdout (``header`` only above rows) and its count for people: ``3 orders``,
        ``1 order``, ``0 orders``."""
        if lines:
            self.show(header)
        for line in lines:
            self.show(line)
        self.say(f"{len(lines)} {noun}{'' if len(lines) == 1 else 's'}")

    @property
    def interactive(self) -> bool:
        """A person watches stderr (a terminal), so progress is worth showing; cron is not one."""
        return sys.stderr.isatty()

    def progress(self, text: str) -> None:
        """A progress line overwriting itself, only for a person at a terminal (never cron)."""
        if not self.json_mode and self.interactive:
            _write(sys.stderr, "\r" + self.safe(text) + "\x1b[K")
            self._progress_shown = True

    def end_progress(self) -> None:
        if self._progress_shown:
            self._progress_shown = False
            _write(sys.stderr, "\n")

    # --- the JSON document ---

    def note(self, **fields: Any) -> None:
        """Add what is known to the document (printed by :meth:`finish`)."""
        self.document.update(fields)

    def finish(self, code: int, error: str | None = None) -> None:
        """Print the document once (``--json`` only): ``ok``, the noted fields, ``error`` when
        the command stopped on one, and ``exit_code``."""
        self.end_progress()
        if not self.json_mode or self._finished:
            return
        self._finished = True
        document: dict[str, Any] = {"ok": code == 0, **self.document}
        if error is not None:
            document["ok"] = False
            document["error"] = error
        document["exit_code"] = code
        text = json.dumps(document, indent=2, default=str)
        _write(sys.stdout, self.scrub(text) + "\n")


def _write(stream: Any, text: str) -> None:
    stream.write(text)
    stream.flush()


def failure_line(exc: BaseException) -> str:
    """The one line a failure is reported with: jettui's own message; a database driver's
    raw outage (``(2003, "Can't connect...")``) as "store unreachable: ..."."""
    if isinstance(exc, LockBusy):
        return f"{one_line(exc)}; nothing done"
    if is_unreachable(exc) and not isinstance(exc, JettuiError):
        args = exc.args
        if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
            reason = f"{args[1]} (MySQL error {args[0]})"  # PyMySQL's (code, message)
        else:
            reason = str(exc) or type(exc).__name__
        return "store unreachable: " + " ".join(reason.split())
    return one_line(exc)


class _OneLineHandler(logging.Handler):
    """Log records as ``jettui: warning: message: reason``, each distinct line once."""

    def __init__(self, out: Output) -> None:
        super().__init__(logging.WARNING)
        self.out = out
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = " ".join(record.getMessage().split())
            if record.exc_info and record.exc_info[1] is not None:
                line += f": {failure_line(record.exc_info[1])}"
            if line not in self.seen:
                self.seen.add(line)
                self.out.say(f"jettui: {record.levelname.lower()}: {line}")
        except Exception:  # noqa: BLE001 - logging must never break the run it reports on
            pass


@contextmanager
def one_line_logging(out: Output) -> Iterator[None]:
    """While a command runs, warnings and errors logged by services (and failures of worker
    threads) reach stderr as one line each, secrets masked, never as a traceback."""
    root = logging.getLogger()
    handler = _OneLineHandler(out)
    old_level, old_hook = root.level, threading.excepthook

    def thread_failed(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread else "a thread"
        exc = args.exc_value
        handler.emit(
            logging.makeLogRecord(
                {"msg": f"{name} stopped", "levelno": logging.ERROR, "levelname": "ERROR",
                 "exc_info": (args.exc_type, exc, args.exc_traceback) if exc else None}
            )
        )  # fmt: skip

    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    threading.excepthook = thread_failed
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        threading.excepthook = old_hook
