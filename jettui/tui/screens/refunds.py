"""Refunds: merchant-initiated refunds and the state Jet reports.

c opens the refund form: the order (picked from the orders with units to refund, or typed: its
Jet id, its reference id or an unambiguous prefix), each line's refundable units with a quantity
and an amount (the principal refunded, as the CLI's ``SKU=QTY:AMOUNT``; empty = what the buyer
paid; above what is refundable is refused naming the line's field), reason, feedback (Jet
requires one: left unpicked, the one the reason implies is sent and the form says which); r asks Jet for the state of every refund not final yet
(accepted refunds add an OpenCart order history row); enter shows a refund in full. A refund
whose answer was lost shows "may have applied" until the next refresh settles it: it is never
sent twice (its alt refund id makes the retry safe)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from jettui.errors import one_line
from jettui.jet.enums import MERCHANT_REFUND_FEEDBACK, REFUND_REASONS
from jettui.services.ids import resolve_order_id
from jettui.services.listing import PageSource
from jettui.services.refunds.queries import RefundSource, refundable_orders
from jettui.services.return_rules import RefundLineForm, refund_line
from jettui.text_safety import safe_text
from jettui.tui.screens.panel_actions import FORM_BINDINGS, ActionPanel, FormKeys

if TYPE_CHECKING:
    import peewee as pw
    from textual.notifications import SeverityLevel
    from textual.widget import Widget


class RefundsScreen(ActionPanel):
    PANEL_ID = "refunds"
    DETAIL_TITLE_KEY = "order"
    EMPTY_TEXT = "No refunds yet — press c to refund items of a shipped order."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "create", "New refund", id="refunds.create"),
        Binding("r", "refresh_states", "Refresh states", id="refunds.refresh"),
    ]

    def make_source(self, db: pw.Database) -> PageSource:
        return RefundSource(db)

    def action_create(self) -> None:
        def closed(created: bool | None) -> None:
            if created:
                self.reload_rows()

        self.app.push_screen(RefundFormScreen(), closed)

    def action_refresh_states(self) -> None:
        async def poll(settings: Any, db: Any, progress: Any) -> Any:
            from jettui.services.refunds import poll_refunds

            return await poll_refunds(settings, db)

        self.run_items("Refresh refund states", "Ask Jet for every open refund's state?", poll)


@dataclass(frozen=True)
class OrderLine:
    sku: str
    title: str
    shipped: int
    taken: int  # already refunded (refunds and return completions)
    refundable: int
    left: str = ""  # ", 202.00 left": the dollars still refundable for those units


def _left(amounts: dict[str, str]) -> str:
    total = sum((Decimal(v) for v in amounts.values()), Decimal(0))
    return f", {total:.2f} left" if amounts else ""


def item_of(problem: str) -> str:
    """``items[SKU-1].quantity: ...`` → ``SKU-1``; the field for the others (reason...)."""
    head = problem.split(": ", 1)[0]
    if head.startswith("items[") and "]" in head:
        return head[len("items[") : head.index("]")]
    return ""


LINE_HEAD = "line · units refundable/shipped, dollars left               qty      amount"
AMOUNT_TIP = "the principal refunded for these units (e.g. 19.99); empty: what the buyer paid"


class RefundFormScreen(FormKeys, Screen[bool]):
    """Dismisses with True when a refund was sent (or may have been: see the panel)."""

    DEFAULT_CSS = """
    RefundFormScreen #rfd-body { padding: 0 1; scrollbar-size-vertical: 1; }
    RefundFormScreen .form-row { height: 1; margin-top: 1; }
    RefundFormScreen .form-row Label { width: 16; color: $text-muted; }
    RefundFormScreen .form-row Input, RefundFormScreen .form-row Select { width: 1fr; }
    RefundFormScreen .line-row { height: 1; }
    RefundFormScreen .line-row Label { width: 1fr; }
    RefundFormScreen .line-row Input { width: 7; margin-left: 1; }
    RefundFormScreen .line-row .rfd-amount { width: 10; }
    RefundFormScreen #rfd-line-head { height: 1; color: $text-muted; }
    RefundFormScreen #rfd-lines { height: auto; margin-top: 1; }
    RefundFormScreen .field-error { color: $text-error; height: auto; }
    RefundFormScreen .field-error.-empty { display: none; }
    RefundFormScreen #rfd-problems { color: $text-error; height: auto; }
    RefundFormScreen #rfd-feedback-hint { color: $text-muted; height: auto; padding-left: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Refund", id="refund_form.send"),
        Binding("escape", "leave", "Back", id="refund_form.leave"),
        *FORM_BINDINGS,
    ]

    def __init__(self, order: str = "") -> None:
        super().__init__(id="refund-form")
        self.order = order
        self.merchant_order_id = ""
        self.choices: list[str] = []  # the picker's orders (Jet ids), newest first
        self.lines: list[OrderLine] = []
        self.sent = False
        self._busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rfd-body"):
            yield Static("[b]Refund items of an order[/b] (no amount given: what the buyer paid)")
            yield Static("", id="rfd-problems", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Jet order")
                yield Input(self.order, id="rfd-order", compact=True,
                            placeholder="id, reference or its start, then enter")  # fmt: skip
            with Horizontal(classes="form-row"):
                yield Label("or pick")
                yield Select([], id="rfd-pick", compact=True,
                             prompt="orders with units to refund")  # fmt: skip
            yield Static("", id="rfd-err-order", classes="field-error -empty", markup=False)
            yield Vertical(id="rfd-lines")
            yield Static("", id="rfd-err-items", classes="field-error -empty", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Reason")
                yield Select([(r, r) for r in REFUND_REASONS], id="rfd-reason",
                             compact=True, prompt="reason (required)")  # fmt: skip
            yield Static("", id="rfd-err-reason", classes="field-error -empty", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Feedback")
                yield Select([(f, f) for f in MERCHANT_REFUND_FEEDBACK], id="rfd-feedback",
                             compact=True, prompt="from the reason")  # fmt: skip
            yield Static("", id="rfd-feedback-hint", markup=False)
            yield Static("", id="rfd-err-feedback", classes="field-error -empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rfd-order", Input).focus()
        self.load_choices()
        if self.order:
            self.load_lines(self.order)

    @work(group="refund-form-choices", exclusive=True, exit_on_error=False)
    async def load_choices(self) -> None:
        """The picker's orders: imported, with shipped units not refunded yet."""
        try:
            choices = await asyncio.to_thread(self._refundable_orders)
        except Exception as exc:  # noqa: BLE001 - the store failed: the field says it
            app: Any = self.app
            self._field_error("order", [app.redact(f"order: cannot list orders: {one_line(exc)}")])
            return
        picker = self.query_one("#rfd-pick", Select)
        self.choices = [choice.merchant_order_id for choice in choices]
        picker.set_options([(choice.label, choice.merchant_order_id) for choice in choices])
        if self.merchant_order_id:  # typed (or given) before the list came
            self._show_picked(self.merchant_order_id)

    def _show_picked(self, merchant_order_id: str) -> None:
        """The picker names the order the lines are of (blank when it does not list it)."""
        picker = self.query_one("#rfd-pick", Select)
        listed = merchant_order_id in self.choices
        if listed and picker.value != merchant_order_id:
            picker.value = merchant_order_id
        elif not listed:
            picker.clear()

    def _refundable_orders(self) -> list[Any]:
        return refundable_orders(self._db())

    @on(Select.Changed, "#rfd-pick")
    def _order_picked(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str) and event.value != self.merchant_order_id:
            self.query_one("#rfd-order", Input).value = event.value
            self.load_lines(event.value)

    @on(Select.Changed, "#rfd-reason")
    @on(Select.Changed, "#rfd-feedback")
    def _show_feedback_source(self) -> None:
        """Which feedback Jet will get: the one picked, or the one the reason implies."""
        from jettui.services.return_rules import FEEDBACK_FROM_REASON, refund_feedback

        reason = self.query_one("#rfd-reason", Select).value
        picked = self.query_one("#rfd-feedback", Select).value
        text = ""
        if isinstance(reason, str) and not isinstance(picked, str):
            feedback, _source = refund_feedback(reason, None)
            text = f"sends '{feedback}' ({FEEDBACK_FROM_REASON})" if feedback else ""
        self.query_one("#rfd-feedback-hint", Static).update(text)

    @on(Input.Submitted, "#rfd-order")
    def _order_given(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.load_lines(event.value.strip())

    @work(group="refund-form-load", exclusive=True, exit_on_error=False)
    async def load_lines(self, order: str) -> None:
        from jettui.services.refunds import refund_form_view

        box = self.query_one("#rfd-lines", Vertical)
        await box.remove_children()
        self.lines = []
        app: Any = self.app
        self._field_error("order", ["order: asking Jet what was shipped…"])
        self.merchant_order_id = ""
        try:
            db = await asyncio.to_thread(self._db)
            merchant_order_id = await asyncio.to_thread(self._resolve, order)
            view = await refund_form_view(app.settings, db, merchant_order_id)
        except Exception as exc:  # noqa: BLE001 - unknown order, Jet or store failure: one line
            self._field_error("order", [app.redact(f"order: {safe_text(one_line(exc))[:200]}")])
            self._show_picked("")  # no order's lines shown: none picked
            return
        self.merchant_order_id = merchant_order_id
        self._field_error("order", [])
        self._show_picked(merchant_order_id)
        skus = [line["sku"] for line in view["lines"]]
        self.lines = [
            OrderLine(
                # a SKU on two lines of the order is named by its Jet order_item_id
                str(line["sku"] if skus.count(line["sku"]) == 1 else line["order_item_id"]),
                str(line.get("title") or ""),
                int(line["shipped"]),
                int(line["taken"]),
                int(line["refundable"]),
                _left(line.get("default_amounts") or {}),
            )  # fmt: skip
            for line in view["lines"]
        ]
        widgets: list[Widget] = [Static(LINE_HEAD, id="rfd-line-head")] if self.lines else []
        for n, line in enumerate(self.lines):
            # refundable/shipped: the units refunded already are the difference
            text = safe_text(f"{line.sku} {line.title}")[:26].rstrip() + (
                f" · {line.refundable}/{line.shipped} refundable{line.left}"
            )
            quantity = Input("0", id=f"rfd-qty-{n}", compact=True, type="integer")
            amount = Input("", id=f"rfd-amount-{n}", compact=True, classes="rfd-amount",
                           placeholder="paid", tooltip=AMOUNT_TIP)  # fmt: skip
            widgets.append(
                Horizontal(Label(text, markup=False), quantity, amount, classes="line-row")
            )
            widgets.append(
                Static("", id=f"rfd-err-line-{n}", classes="field-error -empty", markup=False)
            )
        await box.mount_all(widgets)
        if self.lines:
            self.query_one("#rfd-qty-0", Input).focus()

    def _db(self) -> Any:
        return self.app.database()  # type: ignore[attr-defined]

    def _resolve(self, order: str) -> str:
        """The order's Jet id from its id, reference id or prefix (a worker thread)."""
        self._db()
        return resolve_order_id(order)

    def _field_error(self, name: str, texts: list[str]) -> None:
        widget = self.query_one(f"#rfd-err-{name}", Static)
        widget.update("\n".join(texts))
        widget.set_class(not texts, "-empty")

    def read_form(self) -> tuple[list[RefundLineForm], str, str | None, list[str]]:
        """The lines with units (quantity and amount, as the CLI's ``SKU=QTY:AMOUNT``), the
        reason, the feedback and reading problems."""
        items: list[RefundLineForm] = []
        problems: list[str] = []
        for n, line in enumerate(self.lines):
            text = self.query_one(f"#rfd-qty-{n}", Input).value.strip() or "0"
            amount = self.query_one(f"#rfd-amount-{n}", Input).value.strip()
            try:
                quantity = int(text)
            except ValueError:
                problems.append(f"items[{line.sku}].quantity: '{text}' is not a whole number")
                continue
            if quantity:
                items.append(refund_line(line.sku, quantity, amount))
            elif amount:
                problems.append(
                    f"items[{line.sku}].quantity: give the units the amount {amount} refunds"
                )
        reason = self.query_one("#rfd-reason", Select).value
        feedback = self.query_one("#rfd-feedback", Select).value
        if not isinstance(reason, str):
            problems.append("reason: pick one of Jet's refund reasons")
        if not self.lines:
            problems.append("order: give the order (then enter) to list its lines")
        elif not items and not problems:
            problems.append("items: give a quantity to refund on at least one line")
        return (items, reason if isinstance(reason, str) else "",
                feedback if isinstance(feedback, str) else None, problems)  # fmt: skip

    def show_problems(self, problems: list[str]) -> None:
        by_line: dict[str, list[str]] = {}
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            sku = item_of(problem)
            if sku:
                by_line.setdefault(sku, []).append(problem)
            else:
                field = problem.split(": ", 1)[0]
                field = field if field in ("order", "reason", "feedback") else "items"
                by_field.setdefault(field, []).append(problem)
        for n, line in enumerate(self.lines):
            self._field_error(f"line-{n}", by_line.pop(line.sku, []))
        leftover = [p for texts in by_line.values() for p in texts]  # SKUs not on the form
        for name in ("order", "reason", "feedback"):
            self._field_error(name, by_field.get(name, []))
        self._field_error("items", by_field.get("items", []) + leftover)
        top = self.query_one("#rfd-problems", Static)
        top.update(
            f"Not sent: {len(problems)} problem(s), shown by their fields." if problems else ""
        )

    def action_send(self) -> None:
        if self._busy:
            return
        items, reason, feedback, problems = self.read_form()
        self.show_problems(problems)
        if problems:
            return
        self._busy = True
        self.query_one("#rfd-problems", Static).update("Sending to Jet…")
        self.send(items, reason, feedback)

    @work(group="refund-form-send", exclusive=True, exit_on_error=False)
    async def send(self, items: list[RefundLineForm], reason: str, feedback: str | None) -> None:
        from jettui.services.refunds import create_refund
        from jettui.services.return_rules import FormRefused

        app: Any = self.app
        try:
            db = await asyncio.to_thread(self._db)
            result = await create_refund(
                app.settings, db, self.merchant_order_id, items, reason, feedback
            )
        except FormRefused as exc:
            self.show_problems(list(exc.problems))
            return
        except Exception as exc:  # noqa: BLE001 - Jet or the store failed: one line
            text = f"Not sent: {one_line(exc)[:200]}"
            self.query_one("#rfd-problems", Static).update(app.redact(text))
            return
        finally:
            self._busy = False
        may_have = bool(result.detail.get("may_have_applied"))
        if result.is_problem and not may_have:
            self.query_one("#rfd-problems", Static).update(app.redact(result.line))
            return
        self.sent = True
        severity: SeverityLevel = "warning" if may_have else "information"
        line = result.line + (" (may have applied: r on the panel settles it)" if may_have else "")
        self.notify(app.redact(line), title="Refunds", severity=severity, markup=False)
        self.dismiss(True)

    def action_leave(self) -> None:
        if not self._busy:
            self.dismiss(self.sent)
