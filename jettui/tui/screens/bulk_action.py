"""Confirm → progress → per-item result, for a bulk product action (upload, archive...).

The confirm names what will be touched (the first SKUs, and how many selected rows the filter
or the mapped-only switch hides: ``v`` then acts on the visible ones only). The result lists
every SKU with its outcome and its Jet status as now stored, the upload warnings, scrolls to
its last line at 80×24, and can be saved as CSV or JSON next to the settings file.

While it runs, the stage ("checking", "MerchantSKUs file sent, Jet processing", "Price and
Inventory"...) shows above a bar that moves with the SKUs, and the footer shows the stop key
(``s`` or esc): the part in flight is finished and recorded, the rest is left and the result
says how many SKUs ("stopped: 300 of 1,194 SKUs sent; 894 left — run upload again"). Before an
upload, ``p`` previews what would be sent (the dry run's lines, per SKU).

The action runs in an async worker (the screen stays responsive); the modal dismisses with the
:class:`ActionReport` (None when cancelled or when it could not run)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, ProgressBar, Static

from jettui.services.catalog.actions.report import progress_count
from jettui.text_safety import safe_text

if TYPE_CHECKING:
    from jettui.services.catalog import ActionReport
    from jettui.services.catalog.actions.stop import StopToken
    from jettui.tui.app import JettuiApp

TITLES = {
    "upload": "Upload to Jet",
    "archive": "Archive on Jet",
    "unarchive": "Unarchive on Jet (resends inventory)",
    "sync": "Sync price and inventory",
    "status": "Fetch Jet status",
}
SKUS_NAMED = 3  # SKUs named in the confirm before "and N more"
OUTCOME_STYLE = {"succeeded": "green", "failed": "bold red", "not attempted": "yellow"}


@dataclass(frozen=True)
class Targets:
    """What a bulk action would touch: the products, their SKUs, and which are visible."""

    product_ids: list[int]
    skus: dict[int, str] = field(default_factory=dict)  # product id → merchant SKU
    hidden: list[int] = field(default_factory=list)  # selected, hidden by filter/mapped-only
    why_hidden: str = "the filter"
    # product → its only SKUs to act on: variation children selected without their parent
    only_skus: dict[int, list[str]] = field(default_factory=dict)

    @property
    def visible(self) -> list[int]:
        hidden = set(self.hidden)
        return [i for i in self.product_ids if i not in hidden]

    def named(self, ids: Sequence[int]) -> str:
        """ "SKU-1, SKU-2, SKU-3 and 11 more" """
        names = [
            ", ".join(self.only_skus[i])
            if i in self.only_skus
            else self.skus.get(i) or f"product {i}"
            for i in ids[:SKUS_NAMED]
        ]
        more = len(ids) - len(names)
        return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def result_rows(report: ActionReport, statuses: dict[str, str]) -> list[dict[str, str]]:
    """One row per SKU: outcome, Jet status as now stored, reason (for the dialog and files)."""
    return [
        {
            "sku": item.item,
            "outcome": str(item.outcome),
            "jet_status": statuses.get(item.item, ""),
            "reason": item.reason,
        }
        for item in report.items
    ]


def warnings_of(report: ActionReport) -> list[str]:
    """The validation warnings the CLI prints (e.g. "no standard code: ... never go live")."""
    return [line for check in report.checks for line in check.lines() if ": warning: " in line]


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["sku", "outcome", "jet_status", "reason"])
    writer.writeheader()
    writer.writerows({k: safe_text(v) for k, v in row.items()} for row in rows)  # Jet's words
    return out.getvalue()


def _stored_statuses(skus: list[str]) -> dict[str, str]:
    """Jet status per SKU as stored now (store thread): the grid's label, Archived when so."""
    from jettui.services.listing import short_status
    from jettui.store.base import tuple_rows
    from jettui.store.jet_tables import JetProduct

    rows = JetProduct.select(
        JetProduct.merchant_sku, JetProduct.status, JetProduct.is_archived
    ).where(JetProduct.merchant_sku.in_(skus))
    return {
        sku: "Archived" if archived else short_status(status)
        for sku, status, archived in tuple_rows(rows)
    }


class BulkActionModal(ModalScreen["ActionReport | None"]):
    DEFAULT_CSS = """
    BulkActionModal { align: center middle; }
    #bulk-box { width: 78; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
                border: thick $primary; background: $surface; }
    #bulk-progress, #bulk-stage { display: none; }
    #bulk-stage { margin-top: 1; color: $text-muted; }
    #bulk-progress.-running, #bulk-stage.-running { display: block; }
    #bulk-result { display: none; height: auto; max-height: 14; margin-top: 1; }
    #bulk-result.-shown { display: block; }
    #bulk-result:focus { background-tint: $foreground 5%; }
    #bulk-keys { color: $text-muted; }
    #bulk-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    #bulk-buttons Button { margin-left: 2; }
    BulkActionModal Footer { display: none; }
    BulkActionModal Footer.-running { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel", id="bulk.cancel"),
        # while it runs (cancel is off then): esc or s stops after the part in flight
        Binding("s,escape", "stop", "Stop after this part", id="bulk.stop"),
        Binding("y", "confirm", "Run", id="bulk.confirm"),
        Binding("p", "preview", "Preview", id="bulk.preview"),
        Binding("v", "visible_only", "Visible only", id="bulk.visible-only"),
        Binding("c", "save('csv')", "Save CSV", id="bulk.save-csv"),
        Binding("j", "save('json')", "Save JSON", id="bulk.save-json"),
    ]

    app: JettuiApp

    def __init__(self, action: str, product_ids: list[int], targets: Targets | None = None) -> None:
        super().__init__(id="bulk-action")
        self.action = action
        self.targets = targets or Targets(product_ids)
        self.product_ids = product_ids
        self.report: ActionReport | None = None
        self.rows: list[dict[str, str]] = []  # the result, one per SKU
        self.summary = ""  # one line for the notification once closed
        self.saved_to: Path | None = None
        self._busy = False
        from jettui.services.catalog.actions.stop import StopToken

        self.stop: StopToken = StopToken()

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-box"):
            yield Static(f"[b]{TITLES[self.action]}[/b]", id="bulk-title")
            yield Static(self._question(), id="bulk-question", markup=False)
            yield Static("", id="bulk-stage", markup=False)
            yield ProgressBar(id="bulk-progress", show_eta=False)
            with VerticalScroll(id="bulk-result"):
                yield Static("", id="bulk-result-text")
            yield Static("", id="bulk-keys", markup=False)
            with Horizontal(id="bulk-buttons"):
                yield Button("Cancel (n)", id="no")
                if self.action == "upload":
                    yield Button("Preview (p)", id="preview")
                if self.targets.hidden and self.targets.visible:
                    yield Button(f"Visible only (v): {len(self.targets.visible)}", id="visible")
                yield Button("Run (y)", id="yes", variant="primary")
        yield Footer(compact=True)

    def _question(self) -> str:
        ids = self.product_ids
        noun = "product" if len(ids) == 1 else "products"
        text = (
            f"{TITLES[self.action]}: {len(ids)} {noun} (their option SKUs included)?\n"
            f"{self.targets.named(ids)}"
        )
        hidden = self.targets.hidden
        if hidden:
            visible = len(self.targets.visible)
            text += (
                f"\n{len(ids)} selected, {len(hidden)} hidden by {self.targets.why_hidden}: "
                f"y acts on all {len(ids)}"
                + (f", v on the {visible} visible only." if visible else ".")
            )
        return text

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_confirm()
        elif event.button.id == "visible":
            self.action_visible_only()
        elif event.button.id == "preview":
            self.action_preview()
        else:
            self.action_cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self._busy and not self.stop.requested
        if self._busy:  # running: only the stop key
            return False
        if action == "visible_only":
            return bool(self.targets.hidden and self.targets.visible) and not self._started
        if action == "save":
            return bool(self.rows)
        if action == "preview":
            return self.action == "upload" and not self._started
        return True

    @property
    def _started(self) -> bool:
        return self._busy or bool(self.summary)

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(self.report)

    def action_stop(self) -> None:
        """Stop after the part in flight (the service checks between parts, never inside)."""
        if not self._busy or self.stop.requested:
            return
        self.stop.request()
        self.query_one("#bulk-keys", Static).update(
            "Stopping after the part in flight: it is finished and recorded first…"
        )
        self.refresh_bindings()

    def action_visible_only(self) -> None:
        if self._started:
            return
        self.product_ids = self.targets.visible
        self.action_confirm()

    def action_confirm(self) -> None:
        if self._busy:
            return
        if self.summary:  # the result is shown: y closes
            self.dismiss(self.report)
            return
        self._busy = True
        count = len(self.product_ids)
        self.query_one("#bulk-question", Static).update(
            f"Running on {count} product{'s' if count != 1 else ''}: "
            f"{self.targets.named(self.product_ids)}…"
        )
        self.query_one("#bulk-buttons").display = False
        self.query_one("#bulk-progress", ProgressBar).add_class("-running")
        self.query_one("#bulk-stage", Static).add_class("-running")
        self.query_one(Footer).add_class("-running")
        self.refresh_bindings()
        self.run_bulk()

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#bulk-progress", ProgressBar).update(total=max(total, 1), progress=done)
        count = progress_count(self._stage_text, done, total)
        self.query_one("#bulk-stage", Static).update(f"{self._stage_text}: {count}")

    _stage_text = "starting"

    def _stage(self, text: str) -> None:
        """A new stage: its name above the bar, the bar back to the start."""
        self._stage_text = text
        self.query_one("#bulk-stage", Static).update(text)
        self.query_one("#bulk-progress", ProgressBar).update(progress=0)

    def action_preview(self) -> None:
        """Show what an upload would send (a dry run of the selection), before running it."""
        if self.action != "upload" or self._started:
            return
        self.query_one("#bulk-question", Static).update("Preparing the preview…")
        self.preview_upload()

    @work(group="bulk-preview", exclusive=True, exit_on_error=False)
    async def preview_upload(self) -> None:
        from jettui.services.catalog import preview_lines, run_action

        try:
            db = await asyncio.to_thread(self.app.database)
            report = await run_action(
                self.app.settings,
                db,
                "upload",
                self.product_ids,
                dry_run=True,
                only_skus=self.targets.only_skus,
            )
        except Exception as exc:  # the lock or the store: one line, nothing sent anyway
            self.query_one("#bulk-question", Static).update(
                f"No preview: {str(exc).splitlines()[0][:200]}"
            )
            return
        lines: list[str] = []
        for item in report.items:
            lines.append(item.line)
            if "preview" in item.detail:
                lines += preview_lines(item.detail["preview"])
        lines += warnings_of(report)
        self.query_one("#bulk-question", Static).update(self._question())
        self.query_one("#bulk-result-text", Static).update(Text(self.app.redact("\n".join(lines))))
        result = self.query_one("#bulk-result", VerticalScroll)
        result.add_class("-shown")
        self.query_one("#bulk-keys", Static).update("Preview: y runs the upload, n cancels")

    # (not run_action: that is Widget.run_action(action), which this must not shadow)
    @work(group="bulk-action", exit_on_error=False)
    async def run_bulk(self) -> None:
        from jettui.errors import LockBusy
        from jettui.services.catalog import run_action

        try:
            db = await asyncio.to_thread(self.app.database)
            report = await run_action(
                self.app.settings,
                db,
                self.action,
                self.product_ids,
                progress=self._progress,
                stage=self._stage,
                only_skus=self.targets.only_skus,
                stop=self.stop,
            )
            skus = [item.item for item in report.items]
            statuses = await asyncio.to_thread(_stored_statuses, skus) if skus else {}
        except LockBusy as exc:
            self._done(f"Nothing done: {exc}.", None)
        except Exception as exc:  # the store failed: one line, never a traceback
            self._done(f"{TITLES[self.action]} failed: {str(exc).splitlines()[0][:200]}", None)
        else:
            self.rows = result_rows(report, statuses)
            self._done(report.summary, report)

    def _done(self, summary: str, report: ActionReport | None) -> None:
        self._busy = False
        self.report = report
        self.summary = summary
        self.query_one("#bulk-question", Static).update(self.app.redact(summary))
        self.query_one("#bulk-result-text", Static).update(self._result_table(report))
        result = self.query_one("#bulk-result", VerticalScroll)
        result.add_class("-shown")
        result.focus()  # ↑↓ PgUp PgDn Home End reach every line
        keys = "↑↓ PgDn End scroll · " if self.rows else ""
        keys += "c CSV · j JSON · " if self.rows else ""
        self.query_one("#bulk-keys", Static).update(keys + "y, n or esc closes")
        # the result needs the room more than a finished bar
        self.query_one("#bulk-progress", ProgressBar).remove_class("-running")
        self.query_one("#bulk-stage", Static).remove_class("-running")
        self.query_one(Footer).remove_class("-running")
        self.refresh_bindings()

    def _result_table(self, report: ActionReport | None) -> Table | Text:
        if report is None:
            return Text("Nothing was sent.")
        table = Table(box=None, expand=True, pad_edge=False, show_edge=False)
        table.add_column("SKU", no_wrap=True, max_width=24)
        table.add_column("Outcome", no_wrap=True)
        table.add_column("Jet status", no_wrap=True)
        table.add_column("Why", ratio=1, overflow="fold")
        for row in self.rows:
            outcome = Text(row["outcome"], style=OUTCOME_STYLE.get(row["outcome"], ""))
            reason = Text(self.app.redact(row["reason"]))
            table.add_row(Text(row["sku"]), outcome, Text(row["jet_status"] or "—"), reason)
        for line in warnings_of(report):
            table.add_row(Text(line.split(": warning: ")[0]), Text("warning", style="yellow"),
                          "", Text(self.app.redact(line.split(": warning: ", 1)[1])))  # fmt: skip
        return table

    def action_save(self, kind: str) -> None:
        """Write the result next to the settings file (or the working directory)."""
        if not self.rows or self.report is None:
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.app.settings.path.parent if self.app.settings.path else Path.cwd()
        path = folder / f"jettui-{self.action}-{stamp}.{kind}"
        if kind == "csv":
            text = as_csv(self.rows)
        else:
            body = {"summary": self.report.summary, "items": self.rows,
                    "warnings": warnings_of(self.report)}  # fmt: skip
            text = json.dumps(body, indent=2) + "\n"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Not saved: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.saved_to = path
        self.notify(f"Result saved to {path}", title=TITLES[self.action], markup=False)
