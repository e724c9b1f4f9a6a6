"""Complete a Jet return: per line the units returned and refunded and the four refund
amounts (pre-filled: every returned unit refunded at what the buyer paid, capped at what the
return requested), a feedback per line, and agree or dispute the return charge.

ctrl+s checks every rule (the returns service's ``check_return_form``) and shows each problem
next to its line; nothing is sent while one remains. escape leaves. Work runs in workers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from jettui.errors import one_line
from jettui.jet.enums import CHARGE_FEEDBACK, REFUND_FEEDBACK
from jettui.tui.screens.panel_actions import FORM_BINDINGS, FormKeys

if TYPE_CHECKING:
    from textual.widget import Widget

    from jettui.services.return_rules import ReturnForm
    from jettui.tui.app import JettuiApp

AGREE_LABEL = "Agree to the return charge (space)"
AMOUNTS = ("principal", "tax", "shipping_cost", "shipping_tax")
COLUMN_TITLES = ("returned", "refunded", "principal", "tax", "ship", "ship tax")
HEADER = " " * 16 + "".join(f"{title:<10}" for title in COLUMN_TITLES)


@dataclass(frozen=True)
class ReturnLineInputs:
    sku: str
    index: int

    def id(self, what: str) -> str:
        return f"rl-{self.index}-{what}"


def line_of(problem: str) -> str:
    """``lines[SKU-1].refund_amount.tax: ...`` → ``SKU-1`` ("" for a form-wide problem)."""
    head = problem.split(": ", 1)[0]
    if head.startswith("lines[") and "]" in head:
        return head[len("lines[") : head.index("]")]
    return ""


async def completion_refused(app: JettuiApp, row_id: int, verb: str = "complete") -> str | None:
    """One line saying why the return of grid row ``row_id`` cannot be completed (the
    service's own rule, :func:`~jettui.services.return_rules.completion_refusal`), so ``c``
    and ``x`` refuse at once instead of after the form; None when the form may open."""
    from jettui.services.return_rules import completion_refusal
    from jettui.services.returns.queries import return_state

    try:
        db = await asyncio.to_thread(app.database)
        found = await asyncio.to_thread(return_state, db, row_id)
    except Exception:  # noqa: BLE001 - the form says what the store answers
        return None
    if found is None:
        return "This return is no longer in jettui's tables."
    return_id, state = found
    refusal = completion_refusal(state)
    return f"Return {return_id}: {refusal}; nothing to {verb}." if refusal else None


class ReturnFormScreen(FormKeys, Screen[bool]):
    """Dismisses with True when the completion was sent."""

    DEFAULT_CSS = """
    ReturnFormScreen #rf-body { padding: 0 1; scrollbar-size-vertical: 1; }
    ReturnFormScreen .form-row { height: 1; }
    ReturnFormScreen .form-row Label { width: 20; color: $text-muted; }
    ReturnFormScreen .form-row Select { width: 1fr; }
    ReturnFormScreen .amount-row Label { width: 16; }
    ReturnFormScreen .amount-row Input { width: 9; margin-right: 1; }
    ReturnFormScreen .line-title { text-style: bold; margin-top: 1; }
    ReturnFormScreen .header, ReturnFormScreen .hint { color: $text-muted; }
    ReturnFormScreen .field-error { color: $text-error; height: auto; }
    ReturnFormScreen .field-error.-empty { display: none; }
    ReturnFormScreen #rf-problems { color: $text-error; height: auto; }
    ReturnFormScreen #rf-lines { height: auto; }
    ReturnFormScreen Checkbox { border: none; padding: 0; height: 1; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Complete", id="return_form.send"),
        Binding("escape", "leave", "Back", id="return_form.leave"),
        *FORM_BINDINGS,
    ]

    app: JettuiApp

    def __init__(self, return_row_id: int) -> None:
        super().__init__(id="return-form")
        self.row_id = return_row_id
        self.return_id = ""
        self.lines: list[ReturnLineInputs] = []
        self.sent = False
        self._busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="rf-body"):
            yield Static("[b]Complete the return[/b] — loading…", id="rf-title")
            yield Static("", id="rf-problems", markup=False)
            yield Static(HEADER, classes="header", markup=False)
            yield Vertical(id="rf-lines")
            with Horizontal(classes="form-row"):
                yield Label("Feedback (all)")
                yield Select([(f, f) for f in REFUND_FEEDBACK], id="rf-feedback",
                             compact=True, prompt="none")  # fmt: skip
            yield Checkbox(AGREE_LABEL + ": yes", value=True, id="rf-agree")
            with Horizontal(classes="form-row"):
                yield Label("Dispute reason")
                yield Select([(f, f) for f in CHARGE_FEEDBACK], id="rf-charge",
                             compact=True, prompt="when disputing")  # fmt: skip
            yield Static("", id="rf-err-form", classes="field-error -empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rf-feedback", Select).focus()  # until the lines are read
        self.load()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = f"{AGREE_LABEL}: {'yes' if event.value else 'no (dispute)'}"

    @work(group="return-form-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from jettui.services.returns import completion_form_view
        from jettui.services.returns.queries import return_ids

        try:
            db = await asyncio.to_thread(self.app.database)
            ids = await asyncio.to_thread(return_ids, db, [self.row_id])
            if not ids:
                raise LookupError("this return is no longer in jettui's tables")
            self.return_id = ids[0]
            view = await asyncio.to_thread(completion_form_view, db, self.return_id)
        except Exception as exc:  # noqa: BLE001 - store failure or no order: one line
            text = f"Cannot complete it: {one_line(exc)[:200]}"
            self.query_one("#rf-problems", Static).update(self.app.redact(text))
            return
        self.query_one("#rf-title", Static).update(f"[b]Complete the return[/b] {self.return_id}")
        widgets: list[Widget] = []
        self.lines = []
        skus = [line["sku"] for line in view["lines"]]
        for n, line in enumerate(view["lines"]):
            # a SKU on two lines of the return is named by its Jet order_item_id
            key = line["sku"] if skus.count(line["sku"]) == 1 else line["order_item_id"]
            inputs = ReturnLineInputs(str(key), n)
            self.lines.append(inputs)
            title = f"{line['sku']} {line.get('title') or ''}".strip()
            requested = sum(float(v) for v in line["requested"].values())
            paid = sum(float(v) for v in line["paid"].values())
            widgets.append(Static(f"{title[:40]} — {line.get('reason') or ''}",
                                  classes="line-title", markup=False))  # fmt: skip
            widgets.append(Static(f"{line['quantity_returned']} returned · requested "
                                  f"{requested:.2f} · paid {paid:.2f} · "
                                  f"{line['refundable']} refundable", classes="hint",
                                  markup=False))  # fmt: skip
            back = str(line["quantity_returned"])
            refund = str(line["refund_quantity"])
            values = [back, refund, *(line["default_refund"][k] for k in AMOUNTS)]
            names = ("back", "refunded", *AMOUNTS)
            fields = [
                Input(value, id=inputs.id(name), compact=True, restrict=r"[\d.]*")
                for name, value in zip(names, values, strict=True)
            ]
            widgets.append(Horizontal(Label(""), *fields, classes="form-row amount-row"))
            widgets.append(
                Static("", id=inputs.id("err"), classes="field-error -empty", markup=False)
            )
        await self.query_one("#rf-lines").mount_all(widgets)
        if self.lines:
            self.query_one(f"#{self.lines[0].id('back')}", Input).focus()

    def read_form(self) -> ReturnForm:
        from jettui.services.return_rules import ReturnForm, ReturnLineForm

        def value(input_id: str) -> str:
            return self.query_one(f"#{input_id}", Input).value.strip()

        lines = [
            ReturnLineForm(
                inputs.sku,
                quantity_returned=value(inputs.id("back")) or "0",
                refund_quantity=value(inputs.id("refunded")) or "0",
                amounts={k: value(inputs.id(k)) or "0" for k in AMOUNTS},
            )
            for inputs in self.lines
        ]
        feedback = self.query_one("#rf-feedback", Select).value
        charge = self.query_one("#rf-charge", Select).value
        return ReturnForm(
            lines=lines,
            agree_to_return_charge=self.query_one("#rf-agree", Checkbox).value,
            charge_feedback=charge if isinstance(charge, str) else None,
            feedback=feedback if isinstance(feedback, str) else None,
        )

    def show_problems(self, problems: list[str]) -> None:
        """Each line's problems under it; the others (charge, feedback) under the form."""
        by_line: dict[str, list[str]] = {}
        for problem in problems:
            by_line.setdefault(line_of(problem), []).append(problem)
        for inputs in self.lines:
            texts = by_line.pop(inputs.sku, [])
            widget = self.query_one(f"#{inputs.id('err')}", Static)
            widget.update("\n".join(texts))
            widget.set_class(not texts, "-empty")
        rest = [p for texts in by_line.values() for p in texts]
        widget = self.query_one("#rf-err-form", Static)
        widget.update("\n".join(rest))
        widget.set_class(not rest, "-empty")
        top = self.query_one("#rf-problems", Static)
        top.update(
            f"Not sent: {len(problems)} problem(s), shown by their fields." if problems else ""
        )

    def action_send(self) -> None:
        """Send the completion: the returns service checks every rule first and refuses it
        (each problem naming its field, shown by its line) before anything reaches Jet."""
        if self._busy or not self.lines:
            return
        self._busy = True
        self.query_one("#rf-problems", Static).update("Checking and sending to Jet…")
        self.send(self.read_form())

    @work(group="return-form-send", exclusive=True, exit_on_error=False)
    async def send(self, form: ReturnForm) -> None:
        from jettui.services.return_rules import FormRefused
        from jettui.services.returns import complete_return

        try:
            db = await asyncio.to_thread(self.app.database)
            result = await complete_return(self.app.settings, db, self.return_id, form)
        except FormRefused as exc:
            self.show_problems(list(exc.problems))
            return
        except Exception as exc:  # noqa: BLE001 - Jet or the store failed: one line
            self.query_one("#rf-problems", Static).update(
                self.app.redact(f"Not completed: {one_line(exc)[:200]}")
            )
            return
        finally:
            self._busy = False
        if result.is_problem:
            self.query_one("#rf-problems", Static).update(self.app.redact(result.line))
            return
        self.sent = True
        self.notify(self.app.redact(result.line), title="Returns", markup=False)
        self.dismiss(True)

    def action_leave(self) -> None:
        if not self._busy:
            self.dismiss(self.sent)
