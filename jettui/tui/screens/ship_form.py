"""The ship form: ship and/or cancel units of one Jet order.

Pre-filled from the service's default form (every open unit shipped, Jet's directed cancels
as cancelled, carrier and method as Jet requested, ship-from ZIP from ``returns.postcode``,
today's dates). ctrl+s checks every rule (the service's ``check_shipment``) and shows each
problem next to the field it names; nothing is sent until none is left. The optional return
location (pre-filled from ``returns:``) goes with an RMA number and days to return. escape
leaves without sending. Store and Jet work run in async workers.

Lines are Jet's order items: a SKU on two items is two lines (``SKU#1``, ``SKU#2``). An order
the merchant cancelled or deleted in OpenCart's admin says so under the title, and ctrl+s asks
for a confirmation naming that reason before anything is sent (y sends, n/escape does not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from jettui.errors import one_line
from jettui.jet.enums import CARRIERS, SHIPPING_METHODS
from jettui.tui.screens.panel_actions import FORM_BINDINGS, FormKeys
from jettui.tui.screens.yes_no import YesNoModal
from jettui.tui.validation import NumberInput

if TYPE_CHECKING:
    from jettui.services.orders.shipping import OrderView, ShipmentForm
    from jettui.tui.app import JettuiApp

DATE_FORMAT = "%Y-%m-%d %H:%M"
RETURN_LABEL = "Return location, RMA, days to return (space)"
#: (field name in the service's problems, input id, label)
PARCEL_FIELDS = (
    ("tracking_number", "ship-tracking", "Tracking number"),
    ("carrier", "ship-carrier", "Carrier"),
    ("method", "ship-method", "Method"),
    ("zip", "ship-zip", "Ship-from ZIP"),
    ("shipment_date", "ship-date", "Shipment date"),
    ("carrier_pick_up_date", "ship-pickup", "Pick-up date"),
    ("expected_delivery_date", "ship-delivery", "Expected delivery"),
)
RETURN_FIELDS = (
    ("return_location.address1", "ret-address1", "Return address"),
    ("return_location.address2", "ret-address2", "Address line 2"),
    ("return_location.city", "ret-city", "City"),
    ("return_location.state", "ret-state", "State"),
    ("return_location.zip_code", "ret-zip", "ZIP"),
    ("rma_number", "ret-rma", "RMA number"),
    ("days_to_return", "ret-days", "Days to return"),
)


@dataclass(frozen=True)
class LineInputs:
    """The inputs of one order line on the form (ids are positional: SKUs may hold any
    character)."""

    sku: str
    ship_id: str
    cancel_id: str
    error_id: str
    order_item_id: str = ""
    name: str = ""  # the line's name in problems: the SKU, or SKU#n (see LineView.name)

    @property
    def field(self) -> str:
        return f"lines[{self.name or self.sku}]"


def field_of(problem: str) -> str:
    """The field a problem names: ``zip: must be...`` → ``zip``; ``lines[A-1].ship: ...`` →
    ``lines[A-1]``."""
    head = problem.split(": ", 1)[0]
    if head.startswith("lines[") and "]" in head:
        return head[: head.index("]") + 1]
    return head


def _date_text(value: Any) -> str:
    return value.strftime(DATE_FORMAT) if isinstance(value, datetime) else str(value or "")


class ShipFormScreen(FormKeys, Screen[bool]):
    """Dismisses with True when a shipped message was sent."""

    DEFAULT_CSS = """
    ShipFormScreen #ship-body { padding: 0 1; scrollbar-size-vertical: 1; }
    ShipFormScreen .form-row { height: 1; }
    ShipFormScreen .form-row Label { width: 18; color: $text-muted; }
    ShipFormScreen .form-row Input, ShipFormScreen .form-row Select { width: 1fr; }
    ShipFormScreen .line-row Label { width: 1fr; color: $foreground; }
    ShipFormScreen .line-row Label.-directed { color: $text-warning; }
    ShipFormScreen .line-row Input, ShipFormScreen .qty-title { width: 9; margin-left: 1; }
    ShipFormScreen .section { text-style: bold; color: $text-primary; margin-top: 1; }
    ShipFormScreen .field-error { color: $text-error; height: auto; padding-left: 18; }
    ShipFormScreen .field-error.-empty { display: none; }
    ShipFormScreen #ship-problems { color: $text-error; height: auto; }
    ShipFormScreen #ship-admin { color: $text-warning; text-style: bold; height: auto; }
    ShipFormScreen #ship-admin.-empty { display: none; }
    ShipFormScreen #ship-lines, ShipFormScreen #ship-return-box { height: auto; }
    ShipFormScreen #ship-return-box.-off { display: none; }
    ShipFormScreen Checkbox { border: none; padding: 0; height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Ship", id="ship_form.send"),
        Binding("escape", "leave", "Back", id="ship_form.leave"),
        *FORM_BINDINGS,
    ]

    app: JettuiApp

    def __init__(self, order_row_id: int) -> None:
        super().__init__(id="ship-form")
        self.order_row_id = order_row_id
        self.merchant_order_id = ""
        self.view: OrderView | None = None
        self.lines: list[LineInputs] = []
        self.sent = False
        self._busy = False

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # not a Tab stop itself: Tab walks the fields top to bottom, as they read
        with VerticalScroll(id="ship-body", can_focus=False):
            yield Static("[b]Ship[/b] — loading the order…", id="ship-title")
            yield Static("", id="ship-admin", classes="-empty", markup=False)
            yield Static("", id="ship-problems", markup=False)
            with Horizontal(classes="form-row line-row section"):
                yield Label("Lines: SKU, open units")
                yield Static("ship", classes="qty-title")
                yield Static("cancel", classes="qty-title")
            yield Vertical(id="ship-lines")  # filled once the order is read
            yield Static("Parcel (not needed to cancel only)", classes="section")
            for name, input_id, label in PARCEL_FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label)
                    yield self._parcel_widget(name, input_id)
                yield _error(name)
            yield Checkbox(RETURN_LABEL + ": no", id="ship-return-on")
            with Vertical(id="ship-return-box", classes="-off"):
                for name, input_id, label in RETURN_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(label)
                        yield Input(id=input_id, compact=True)
                    yield _error(name)
        yield Footer()

    @staticmethod
    def _parcel_widget(name: str, input_id: str) -> Input | Select:
        if name == "carrier":
            return Select([(c, c) for c in CARRIERS], id=input_id, compact=True, prompt="carrier")
        if name == "method":
            options = [(m, m) for m in SHIPPING_METHODS]
            return Select(options, id=input_id, compact=True, prompt="method")
        if name == "zip":
            return NumberInput(id=input_id, compact=True, max_length=5, restrict=r"\d*",
                               field="zip", takes="5 digits")  # fmt: skip
        if name == "tracking_number":
            return Input(id=input_id, compact=True, placeholder="required to ship units")
        return Input(id=input_id, compact=True, placeholder="YYYY-MM-DD HH:MM (UTC)")

    def on_mount(self) -> None:
        self.load()  # the first field (the top line's quantity) is focused once it is read

    # --- loading ------------------------------------------------------------------------------

    @work(group="ship-form-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        import asyncio

        from jettui.services.orders.panels import jet_order_ids
        from jettui.services.orders.shipping import default_form, order_view

        try:
            db = await asyncio.to_thread(self.app.database)
            ids = await asyncio.to_thread(jet_order_ids, db, [self.order_row_id])
            if not ids:
                raise LookupError("this order is no longer in jettui's tables")
            self.merchant_order_id = ids[0]
            view = await order_view(db, self.merchant_order_id, self.app.settings)
        except Exception as exc:  # noqa: BLE001 - store failure: one line, never a traceback
            self._problems([f"order: cannot read it: {one_line(exc)[:200]}"])
            return
        self.view = view
        from jettui.services.orders import deadlines

        await self._fill(view, default_form(view, self.app.settings, now=deadlines.clock()))

    async def _fill(self, view: OrderView, form: ShipmentForm) -> None:
        title = f"[b]Ship[/b] {view.merchant_order_id}"
        if view.reference_order_id:
            title += f" (ref {view.reference_order_id})"
        if view.order_id:
            title += f" · OpenCart #{view.order_id}"
        title += f" · Jet {view.jet_status or '?'}"
        self.query_one("#ship-title", Static).update(title)
        if view.admin_reason:
            admin = self.query_one("#ship-admin", Static)
            admin.update(f"! {view.admin_reason[:1].upper()}{view.admin_reason[1:]}.")
            admin.remove_class("-empty")
        planned = {line.order_item_id: line for line in form.lines}
        rows = []
        self.lines = []
        for n, line in enumerate(view.lines):
            if not line.open:
                continue
            plan = planned.get(line.order_item_id)
            inputs = LineInputs(
                line.merchant_sku, f"line-ship-{n}", f"line-cancel-{n}", f"err-line-{n}",
                line.order_item_id, line.name,
            )  # fmt: skip
            self.lines.append(inputs)
            # the units first, the title last: at 80 columns a long title is what is cut
            due = f", Jet asks to cancel {line.cancel_due}" if line.cancel_due else ""
            text = f"{line.name} — {line.open} open{due} · {line.title}"
            ship = NumberInput(str(plan.ship if plan else 0), id=inputs.ship_id, compact=True,
                               type="integer", tooltip="units shipped",
                               field=f"{inputs.field}.ship")  # fmt: skip
            cancel = NumberInput(str(plan.cancel if plan else 0), id=inputs.cancel_id,
                                 compact=True, type="integer", tooltip="units cancelled",
                                 field=f"{inputs.field}.cancel")  # fmt: skip
            label = Label(text, markup=False, classes="-directed" if due else "")
            row = Horizontal(label, ship, cancel, classes="form-row line-row")
            rows += [
                row,
                Static("", id=inputs.error_id, classes="field-error -empty", markup=False),
            ]
        if not rows:
            rows = [Static("Nothing left to ship or cancel on this order.", markup=False)]
        await self.query_one("#ship-lines").mount_all(rows)
        self.query_one("#ship-tracking", Input).value = form.tracking_number
        for select_id, value in (("#ship-carrier", form.carrier), ("#ship-method", form.method)):
            if value:
                self.query_one(select_id, Select).value = value
        self.query_one("#ship-zip", Input).value = form.zip or ""
        for name, input_id in (("shipment_date", "#ship-date"),
                               ("carrier_pick_up_date", "#ship-pickup"),
                               ("expected_delivery_date", "#ship-delivery")):  # fmt: skip
            self.query_one(input_id, Input).value = _date_text(getattr(form, name))
        returns = self.app.settings.returns
        for input_id, value in (("#ret-address1", returns.address1),
                                ("#ret-address2", returns.address2),
                                ("#ret-city", returns.city), ("#ret-state", returns.state),
                                ("#ret-zip", returns.postcode), ("#ret-days", "30")):  # fmt: skip
            self.query_one(input_id, Input).value = str(value or "")
        first = self.query(f"#{self.lines[0].ship_id}") if self.lines else None
        (first.first() if first else self.query_one("#ship-tracking")).focus()

    def on_number_input_refused(self, event: NumberInput.Refused) -> None:
        """A character a number field cannot take: said under the field, never dropped
        silently."""
        line = next((i for i in self.lines if event.input.id in (i.ship_id, i.cancel_id)), None)
        error_id = line.error_id if line else f"err-{_dom(event.input.field)}"
        widget = self.query_one(f"#{error_id}", Static)
        widget.update(event.input.refusal(event.text))
        widget.remove_class("-empty")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        # the state in words too: the box's X reads the same on or off without colour
        event.checkbox.label = f"{RETURN_LABEL}: {'yes' if event.value else 'no'}"
        self.query_one("#ship-return-box").set_class(not event.value, "-off")

    # --- the form -----------------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _select(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ""

    def read_form(self) -> tuple[ShipmentForm, list[str]]:
        """The form as typed, and the problems reading it (a quantity that is no number)."""
        from jettui.services.orders.shipping import ReturnLocation, ShipLine, ShipmentForm

        problems: list[str] = []
        lines = []
        for inputs in self.lines:
            quantities = []
            for what, input_id in (("ship", inputs.ship_id), ("cancel", inputs.cancel_id)):
                text = self._value(f"#{input_id}") or "0"
                try:
                    quantities.append(int(text))
                except ValueError:
                    problems.append(f"{inputs.field}.{what}: '{text}' is not a whole number")
                    quantities.append(0)
            lines.append(ShipLine(inputs.sku, quantities[0], quantities[1], inputs.order_item_id))
        location = None
        rma, days = "", None
        if self.query_one("#ship-return-on", Checkbox).value:
            location = ReturnLocation(
                address1=self._value("#ret-address1"),
                city=self._value("#ret-city"),
                state=self._value("#ret-state").upper(),
                zip_code=self._value("#ret-zip"),
                address2=self._value("#ret-address2"),
            )
            rma = self._value("#ret-rma")
            days_text = self._value("#ret-days")
            if days_text:
                try:
                    days = int(days_text)
                except ValueError:
                    problems.append(f"days_to_return: '{days_text}' is not a whole number")
        form = ShipmentForm(
            lines=lines,
            tracking_number=self._value("#ship-tracking"),
            carrier=self._select("#ship-carrier"),
            method=self._select("#ship-method"),
            zip=self._value("#ship-zip"),
            shipment_date=self._value("#ship-date") or None,
            carrier_pick_up_date=self._value("#ship-pickup") or None,
            expected_delivery_date=self._value("#ship-delivery") or None,
            return_location=location,
            rma_number=rma,
            days_to_return=days,
        )
        return form, problems

    def _problems(self, problems: list[str]) -> None:
        """Each problem next to its field; those naming no field of the form on top."""
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(field_of(problem), []).append(problem)
        line_errors = {inputs.field: inputs.error_id for inputs in self.lines}
        shown: set[str] = set()
        for name, error_id in [
            *((n, f"err-{_dom(n)}") for n, _i, _l in (*PARCEL_FIELDS, *RETURN_FIELDS)),
            *line_errors.items(),
        ]:
            texts = by_field.get(name, [])
            widget = self.query_one(f"#{error_id}", Static)
            widget.update("\n".join(texts))
            widget.set_class(not texts, "-empty")
            if texts:
                shown.add(name)
        self._focus_first(problems)
        rest = [p for name, texts in by_field.items() if name not in shown for p in texts]
        top = self.query_one("#ship-problems", Static)
        if problems:
            head = f"Not sent: {len(problems)} problem{'s' if len(problems) > 1 else ''}."
            top.update("\n".join([head, *rest]))
        else:
            top.update("")

    def _focus_first(self, problems: list[str]) -> None:
        """Focus (and so scroll to) the input of the first problem's field, if it has one."""
        inputs = {name: input_id for name, input_id, _label in (*PARCEL_FIELDS, *RETURN_FIELDS)}
        inputs |= {line.field: line.ship_id for line in self.lines}
        for problem in problems:
            input_id = inputs.get(field_of(problem))
            if input_id is not None:
                self.query_one(f"#{input_id}").focus()
                return

    def action_send(self) -> None:
        from jettui.services.orders.admin_changes import confirmation_problem
        from jettui.services.orders.shipping import check_shipment

        if self._busy or self.view is None:
            return
        form, problems = self.read_form()
        problems += check_shipment(self.view, form)
        self._problems(problems)
        if problems:
            return
        if confirmation_problem(self.view, form, confirmed=False):
            reason = self.view.admin_reason

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start_send(form, confirmed=True)
                else:
                    self._problems([f"order: not sent: {reason}"])

            self.app.push_screen(ConfirmAdminChange(reason), answered)
            return
        self._start_send(form)

    def _start_send(self, form: ShipmentForm, *, confirmed: bool = False) -> None:
        self._busy = True
        self.query_one("#ship-problems", Static).update("Sending to Jet…")
        self.send(form, confirmed)

    @work(group="ship-form-send", exclusive=True, exit_on_error=False)
    async def send(self, form: ShipmentForm, confirmed: bool = False) -> None:
        import asyncio

        from jettui.services.orders.shipping import ShipmentRefused, ship_order

        try:
            db = await asyncio.to_thread(self.app.database)
            result = await ship_order(
                self.app.settings, db, self.merchant_order_id, form,
                confirm_admin_change=confirmed,
            )  # fmt: skip
        except ShipmentRefused as exc:
            self._problems(list(exc.problems))
            return
        except Exception as exc:  # noqa: BLE001 - Jet or the store failed: one line
            self._problems([f"order: not shipped: {one_line(exc)[:200]}"])
            return
        finally:
            self._busy = False
        if result.is_problem:
            self._problems([f"order: {result.line}"])
            return
        self.sent = True
        self.notify(self.app.redact(result.line), title="Ship", markup=False)
        self.dismiss(True)

    def action_leave(self) -> None:
        if not self._busy:
            self.dismiss(self.sent)


class ConfirmAdminChange(YesNoModal):
    """Asked before shipping an order the merchant cancelled or deleted in OpenCart's admin."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Do not send", id="ship_form.admin_no"),
        Binding("y", "answer(True)", "Send anyway", id="ship_form.admin_yes"),
    ]

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"This order was {reason}.\n\nSend this shipped message to Jet anyway?",
            "Do not send",
            "Send anyway",
            danger=False,
            id="confirm-admin-change",
        )
        self.reason = reason


def _dom(name: str) -> str:
    """A field name as an id fragment (``return_location.state`` → ``return_location-state``)."""
    return name.replace(".", "-")


def _error(name: str) -> Static:
    return Static("", id=f"err-{_dom(name)}", classes="field-error -empty", markup=False)
