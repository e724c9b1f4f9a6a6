"""API activation (Jet's "Runway"): the three test steps Jet requires before going live.

The steps run in an async worker (the service's store work runs on its own thread), so the
screen stays responsive; a status line and a progress bar follow the work, a notification
sums it up and the table shows what the store recorded. Headless: ``jettui activate``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import ProgressBar, Static

from jettui.services.activation import (
    STEP_TITLES,
    STEPS,
    StepResult,
    StepState,
    activation_status,
    expand_steps,
    needs_confirmation,
    running_holder,
)
from jettui.tui.screens.base import PanelScreen, _brief
from jettui.tui.screens.yes_no import YesNoModal

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

WHAT = {
    "product": "send a test SKU with its price and inventory",
    "order": "generate orders: cancel one, acknowledge and ship the other",
    "return": "generate a return for the shipped order and complete it",
}
KEYS = {"product": "p", "order": "o", "return": "t"}
IDLE = "p, o or t runs one step, A all three in order."


class ConfirmLive(YesNoModal):
    """Asked before the order/return steps run against a real Jet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm.no"),
        Binding("y", "answer(True)", "Run on live Jet", id="confirm.yes"),
    ]

    def __init__(self, api_url: str) -> None:
        super().__init__(
            f"Jet at {api_url} is not the sandbox.\n\n"
            "The order step generates orders and cancels one: on live Jet a cancel "
            "really cancels. Run only on a test (Runway) account.",
            "Cancel",
            "Run on live Jet",
            danger=True,
            id="confirm-live",
        )


class ActivationScreen(PanelScreen):
    PANEL_ID = "activation"
    DEFAULT_CSS = """
    #activation-status { padding: 0 1; height: auto; }
    #activation-progress { padding: 0 1; display: none; }
    #activation-progress.-running { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "run('product')", "Product API", id="activation.product"),
        Binding("o", "run('order')", "Order API", show=False, id="activation.order"),
        Binding("t", "run('return')", "Return API", show=False, id="activation.return"),
        Binding("A", "run('all')", "All steps", key_display="A", id="activation.all"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    _activating = False

    def compose_body(self) -> ComposeResult:
        settings = self.app.settings
        if settings.jet.is_sandbox:
            target = "Target: the embedded sandbox."
        else:
            target = (
                f"Target: {settings.jet.api_url} (not the sandbox: the order step cancels "
                "an order, and there a cancel really cancels; you will be asked first)."
            )
        yield Static(
            f"Jet requires these test steps before it gives live credentials. {target}",
            classes="hint",
        )
        yield Static(self._table({}), id="steps")
        yield Static(IDLE, id="activation-status")
        yield ProgressBar(id="activation-progress", show_eta=False)

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    # --- showing the recorded state ------------------------------------------------------

    @work(exclusive=True, group="activation-load", exit_on_error=False)
    async def load(self) -> None:
        try:
            states, holder = await asyncio.to_thread(self._read)
        except Exception as exc:  # the store is unreachable or its tables are missing
            self._status(f"Cannot read the store: {self.app.redact(_brief(exc))}")
            return
        self._show(states, holder)

    def _read(self) -> tuple[dict[str, StepState], str | None]:
        """The recorded steps and the running activation's holder (a worker thread)."""
        self.app.database()
        return activation_status(), running_holder()

    def _show(self, states: dict[str, StepState], holder: str | None) -> None:
        self.query_one("#steps", Static).update(self._table(states))
        if holder and not self._activating:
            self._status(f"Another run is in progress ({holder}).")

    def _table(self, states: dict[str, StepState]) -> Table:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("Key", width=3, no_wrap=True)
        table.add_column("Step", width=11, no_wrap=True)
        table.add_column("What it does", ratio=1)
        table.add_column("State (UTC)", ratio=1)
        for step in STEPS:
            state = states.get(step)
            label = state.label if state else "not run"  # Jet's words: Text, never markup
            table.add_row(KEYS[step], STEP_TITLES[step], WHAT[step], Text(self.app.redact(label)))
        return table

    def _status(self, text: str) -> None:
        self.query_one("#activation-status", Static).update(Text(self.app.redact(text)))

    # --- running steps -------------------------------------------------------------------

    def action_run(self, which: str) -> None:
        if self._activating:
            self.notify(
                "Activation is already running.", title=self.panel_title, severity="warning"
            )
            return
        steps = expand_steps(which)
        settings = self.app.settings
        if needs_confirmation(settings, steps):

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(steps, confirm_live=True)

            self.app.push_screen(ConfirmLive(settings.jet.api_url), answered)
            return
        self._start(steps, confirm_live=False)

    def _start(self, steps: list[str], *, confirm_live: bool) -> None:
        self._activating = True
        bar = self.query_one("#activation-progress", ProgressBar)
        bar.update(total=len(steps), progress=0)
        bar.add_class("-running")
        self._status(f"Starting {', '.join(STEP_TITLES[s] for s in steps)}…")
        self.run_steps(steps, confirm_live)

    @work(group="activation-run", exit_on_error=False)
    async def run_steps(self, steps: list[str], confirm_live: bool) -> None:
        from jettui.errors import LockBusy
        from jettui.services.activation import run_activation

        done: list[str] = []

        def progress(step: str, message: str) -> None:
            if done and done[-1] != step:
                self.query_one("#activation-progress", ProgressBar).advance(1)
            if not done or done[-1] != step:
                done.append(step)
            self._status(f"{STEP_TITLES[step]}: {message}")

        try:
            db = await asyncio.to_thread(self.app.database)
            results = await run_activation(
                self.app.settings, db, steps, confirm_live=confirm_live, progress=progress
            )
        except LockBusy as exc:
            self._finish(f"Nothing done: {exc}.", "warning")
        except Exception as exc:  # store or unexpected error: one line, never a traceback
            self._finish(f"Activation failed: {_brief(exc)}", "error")
        else:
            self._finish(*_summary(results))

    def _finish(self, text: str, severity: SeverityLevel) -> None:
        self._activating = False
        bar = self.query_one("#activation-progress", ProgressBar)
        bar.update(progress=bar.total or 0)
        bar.remove_class("-running")
        self._status(text if severity != "information" else IDLE)
        self.notify(
            self.app.redact(text),
            title=self.panel_title,
            severity=severity,
            timeout=10,
            markup=False,
        )
        self.load()


def _summary(results: list[StepResult]) -> tuple[str, SeverityLevel]:
    """Notification text and severity for a finished run."""
    parts = []
    for result in results:
        title = STEP_TITLES[result.step]
        if result.ok:
            parts.append(f"{title}: done.")
        else:
            parts.append(f"{title} {result.outcome}: {result.message}")
    failed = any(r.outcome == "failed" for r in results)
    skipped = any(r.outcome == "skipped" for r in results)
    severity: SeverityLevel = "error" if failed else "warning" if skipped else "information"
    return " ".join(parts), severity
