"""Edit one product's Jet data and see the SKU as Jet has it: codes and brand (the store's
values shown when not overridden), the returns exception, the shipping exception, the Jet
attributes of its node (with their values and units) and, for a product with options, the Jet
variant attribute of each option. A variation child (opened from its row in the grid) shows
its own code, ASIN and MPN only: the rest is its parent's. One long form in a VerticalScroll, a heading per section;
ctrl+s saves (every problem shown at once, one line each, on top of the form; nothing saved
then); escape leaves. Every worker
is async: store work awaits ``asyncio.to_thread``, Jet's view awaits the service."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from jettui.jet.enums import (
    OVERRIDE_TYPES,
    SERVICE_LEVELS,
    SHIPPING_EXCEPTION_TYPES,
    SHIPPING_METHODS,
)
from jettui.tui.screens.leave import LeaveForm
from jettui.tui.validation import NumberInput

if TYPE_CHECKING:
    from jettui.tui.app import JettuiApp

CODE_TYPES = ("guess", "UPC", "EAN", "GTIN-14", "ISBN-10", "ISBN-13")
FIELDS = (  # (input id, override key, label)
    ("edit-code", "standard_code", "Standard code"),
    ("edit-asin", "asin", "ASIN"),
    ("edit-brand", "brand", "Brand"),
    ("edit-mpn", "mpn", "Mfr part no."),
)
RETURNS = (  # (input id, returns field, label, placeholder)
    ("edit-return-days", "days", "Return days", "1-30"),
    ("edit-return-locations", "locations", "Locations", "return location ids, comma-separated"),
    ("edit-return-methods", "methods", "Ship methods", "e.g. FedEx Ground, UPS Ground"),
)
SHIPPING = (  # (widget id, shipping field, label, choices; None = an amount Input)
    ("edit-ship-level", "service_level", "Service level", SERVICE_LEVELS),
    ("edit-ship-method", "shipping_method", "Ship method", SHIPPING_METHODS),
    ("edit-ship-override", "override_type", "Override", OVERRIDE_TYPES),
    ("edit-ship-amount", "shipping_charge_amount", "Amount", None),
    ("edit-ship-type", "shipping_exception_type", "Exception type", SHIPPING_EXCEPTION_TYPES),
)
AUTOMATIC = "automatic"


class ProductEditScreen(Screen[bool]):
    """Dismisses with True when something was saved. Opens with the first field focused, so
    typed digits land in it (FORM: panel keys never fire here); leaving with unsaved changes
    asks first (escape here, ctrl+q in the app)."""

    FORM: ClassVar[bool] = True
    AUTO_FOCUS = "#edit-code"

    DEFAULT_CSS = """
    ProductEditScreen #edit-body { padding: 0 1; }
    ProductEditScreen .edit-section { text-style: bold; color: $accent; margin-top: 1; }
    ProductEditScreen .edit-row { height: 1; }
    ProductEditScreen .edit-row Label { width: 16; }
    ProductEditScreen .edit-row Input { width: 1fr; }
    ProductEditScreen .edit-row Select { width: 1fr; }
    ProductEditScreen .edit-row .edit-unit { width: 12; margin-left: 1; }
    ProductEditScreen #edit-code-type { width: 16; margin-left: 1; }
    ProductEditScreen .edit-note { color: $text-muted; }
    ProductEditScreen #edit-attributes, ProductEditScreen #edit-options { height: auto; }
    ProductEditScreen #edit-problems { color: $error; height: auto; }
    ProductEditScreen #edit-sends, ProductEditScreen #edit-jet { height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="product_edit.save"),
        Binding("escape", "leave", "Back", id="product_edit.leave"),
    ]

    app: JettuiApp

    def __init__(self, product_id: int, child_sku: str | None = None) -> None:
        super().__init__(id="product-edit")
        self.product_id = product_id
        self.child_sku = child_sku  # a variation child's SKU: its own code only
        self.title = f"Jet data of {child_sku or f'product {product_id}'}"
        self.sku = ""
        self.overrides: dict[str, Any] = {}
        self.saved = False
        self.attributes: list[dict[str, Any]] = []  # the rows of the attributes section
        self.options: list[dict[str, Any]] = []  # the rows of the options section
        self._built: tuple[Any, ...] | None = None  # what the dynamic sections were built for
        self._as_loaded: dict[str, Any] | None = None  # the form as last loaded or saved

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="edit-body"):
            yield Static(f"[b]Jet data[/b] of product {self.product_id}", id="edit-title")
            problems = Static("", id="edit-problems", markup=False)  # on top: seen at once
            problems.display = False
            yield problems
            yield Static("Codes and brand", classes="edit-section")
            for input_id, _key, label in FIELDS:
                with Horizontal(classes="edit-row"):
                    yield Label(label)
                    yield Input(id=input_id, compact=True)
                    if input_id == "edit-code":
                        options = [(t, t) for t in CODE_TYPES]
                        yield Select(options, value="guess", allow_blank=False,
                                     id="edit-code-type", compact=True)  # fmt: skip
            yield Static("Returns exception", classes="edit-section", id="edit-ret-heading")
            for input_id, _field, label, hint in RETURNS:
                with Horizontal(classes="edit-row"):
                    yield Label(label)
                    if input_id == "edit-return-days":
                        yield NumberInput(id=input_id, placeholder=hint, compact=True,
                                          type="integer", field="return days")  # fmt: skip
                    else:
                        yield Input(id=input_id, placeholder=hint, compact=True)
            yield Static("Shipping exception", classes="edit-section", id="edit-ship-heading")
            for widget_id, _field, label, choices in SHIPPING:
                with Horizontal(classes="edit-row"):
                    yield Label(label)
                    if choices is None:
                        yield Input(id=widget_id, placeholder="e.g. 4.99", compact=True)
                    else:
                        yield Select([(c, c) for c in choices], prompt="not set",
                                     id=widget_id, compact=True)  # fmt: skip
            yield Static("Jet attributes", classes="edit-section", id="edit-attr-heading")
            yield Vertical(id="edit-attributes")
            yield Static("Options → Jet variant attribute (and each value's)",
                         classes="edit-section", id="edit-opt-heading")  # fmt: skip
            yield Vertical(id="edit-options")
            yield Static("Loading…", id="edit-sends", markup=False)
            yield Static("As Jet has it: asking Jet…", id="edit-jet", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.child_sku:  # the child's own code, ASIN and MPN; the rest is its parent's
            shared = [
                "#edit-brand",
                *(f"#{r[0]}" for r in RETURNS),
                *(f"#{r[0]}" for r in SHIPPING),
            ]
            for selector in shared:
                row = self.query_one(selector).parent
                if isinstance(row, Widget):
                    row.display = False
            for selector in ("#edit-ret-heading", "#edit-ship-heading", "#edit-attr-heading",
                             "#edit-attributes", "#edit-opt-heading", "#edit-options"):  # fmt: skip
                self.query_one(selector).display = False
        self.load()

    # --- loading ----------------------------------------------------------------------------

    @work(group="product-edit", exclusive=True, exit_on_error=False)
    async def load(self, then_jet: bool = True) -> None:
        from jettui.services.catalog import get_jet_data

        def read() -> dict[str, Any]:
            self.app.database()
            return get_jet_data(self.app.settings, self.product_id, self.child_sku)

        try:
            data = await asyncio.to_thread(read)
        except Exception as exc:  # the store failed: one line, never a traceback
            self._show("#edit-sends", f"Store unreachable: {str(exc).splitlines()[0][:200]}")
            return
        await self._fill(data)
        if then_jet and self.sku:
            self.fetch_jet()

    async def _fill(self, data: dict[str, Any]) -> None:
        from jettui.services.catalog.exceptions import returns_fields, shipping_fields

        self.sku = data["sku"]
        self.overrides = data["overrides"]
        title = f"[b]Jet data[/b] of {self.sku or 'product ' + str(self.product_id)}"
        name = data["name"] if len(data["name"]) <= 40 else data["name"][:39] + "…"
        self.query_one("#edit-title", Static).update(f"{title} — {name}")
        store = data.get("store_values") or {}
        for input_id, key, _label in FIELDS:
            field = self.query_one(f"#{input_id}", Input)
            field.value = str(self.overrides.get(key, ""))
            field.placeholder = _store_hint(key, store)
        code_type = self.overrides.get("standard_code_type") or "guess"
        self.query_one("#edit-code-type", Select).value = code_type
        returns = returns_fields(self.overrides.get("returns_exceptions"))
        for input_id, key, _label, _hint in RETURNS:
            self.query_one(f"#{input_id}", Input).value = returns[key]
        shipping = shipping_fields(self.overrides.get("shipping_exceptions"))
        for widget_id, key, _label, _choices in SHIPPING:
            _set(self.query_one(f"#{widget_id}"), shipping[key])
        node = self.app.settings.jet.fulfillment_node_id or "not set"
        self.query_one("#edit-ship-heading", Static).update(
            f"Shipping exception (fulfillment node {node})"
        )
        await self._build_node_sections(data)
        self._show("#edit-sends", "\n".join(self._sends(data)))
        self._as_loaded = self._form()

    async def _build_node_sections(self, data: dict[str, Any]) -> None:
        """The attributes and options rows: rebuilt only when the node or options changed."""
        stored = {
            int(a["attribute_id"]): a
            for a in self.overrides.get("attributes") or []
            if isinstance(a, dict) and "attribute_id" in a
        }
        node_ids = {a["attribute_id"] for a in data["node_attributes"]}
        stale = [  # stored for another node: shown, so they can be removed
            {
                "attribute_id": k,
                "name": f"attribute {k} (not of this node)",
                "values": [],
                "units": [],
                "free_text": True,
                "variant": False,
            }  # fmt: skip
            for k in sorted(stored)
            if k not in node_ids
        ]
        self.attributes = list(data["node_attributes"]) + stale
        self.options = list(data["options"])
        key = (data["node_id"], tuple(a["attribute_id"] for a in self.attributes),
               tuple(o["option_id"] for o in self.options), tuple(self._value_ids()))  # fmt: skip
        heading = f"Jet attributes of node {data['node_id']}" if data["node_id"] else (
            "Jet attributes (map one of the product's categories to a Jet node first)"
        )  # fmt: skip
        self.query_one("#edit-attr-heading", Static).update(heading)
        self.query_one("#edit-opt-heading", Static).display = bool(self.options) and not (
            self.child_sku
        )
        if key != self._built:
            attr_box = self.query_one("#edit-attributes", Vertical)
            await attr_box.remove_children()
            rows: list[Widget] = [self._attribute_row(a) for a in self.attributes]
            if not rows and data["node_id"]:
                rows = [Static("The node's attributes are not cached (refresh the taxonomy).",
                               classes="edit-note")]  # fmt: skip
            await attr_box.mount_all(rows)
            opt_box = self.query_one("#edit-options", Vertical)
            await opt_box.remove_children()
            variants = [a for a in data["node_attributes"] if a.get("variant")]
            rows = []
            for option in self.options:
                rows.append(self._option_row(option, variants))
                rows += [self._value_row(v) for v in option.get("values") or []]
            await opt_box.mount_all(rows)
            self._built = key
        for attribute in self.attributes:
            item = stored.get(attribute["attribute_id"], {})
            _set(self._one(f"#attr-{attribute['attribute_id']}"), item.get("attribute_value"))
            if attribute["units"]:
                _set(
                    self._one(f"#attr-unit-{attribute['attribute_id']}"),
                    item.get("attribute_value_unit"),
                )
        for option in self.options:
            _set(self._one(f"#opt-{option['option_id']}"), option.get("attribute_id"))
            for value in option.get("values") or []:
                _set(self._one(f"#optval-{value['option_value_id']}"), value.get("jet_value"))

    def _attribute_row(self, attribute: dict[str, Any]) -> Horizontal:
        """A Select when Jet lists the only values allowed; an Input (+ a unit Select when the
        attribute has units) otherwise, suggesting Jet's values as you type."""
        aid = attribute["attribute_id"]
        label = Label(_cut(str(attribute["name"]), 15))
        values = [str(v) for v in attribute.get("values") or []]
        widgets: list[Widget] = [label]
        if values and not attribute.get("free_text"):
            widgets.append(Select([(v, v) for v in values], prompt="not set", id=f"attr-{aid}",
                                  compact=True))  # fmt: skip
        else:
            hint = ", ".join(values[:4]) + ("…" if len(values) > 4 else "") if values else ""
            widgets.append(
                Input(id=f"attr-{aid}", compact=True, placeholder=hint or "not set",
                      suggester=SuggestFromList(values, case_sensitive=False) if values else None)
            )  # fmt: skip
        if attribute.get("units"):
            units = [(u, u) for u in attribute["units"]]
            widgets.append(Select(units, prompt="unit", id=f"attr-unit-{aid}", compact=True,
                                  classes="edit-unit"))  # fmt: skip
        return Horizontal(*widgets, classes="edit-row")

    def _option_row(self, option: dict[str, Any], variants: list[dict[str, Any]]) -> Horizontal:
        choices = [(str(a["name"]), int(a["attribute_id"])) for a in variants]
        label = Label(_cut(str(option["name"]), 15))
        if not choices:
            note = Static("the node has no cached variant attribute", classes="edit-note")
            return Horizontal(label, note, classes="edit-row")
        select = Select(choices, prompt=AUTOMATIC, id=f"opt-{option['option_id']}", compact=True)
        return Horizontal(label, select, classes="edit-row")

    def _value_ids(self) -> list[int]:
        return [int(v["option_value_id"]) for o in self.options for v in o.get("values") or []]

    def _value_row(self, value: dict[str, Any]) -> Horizontal:
        """An option value and the refinement value its children send (empty: its name)."""
        label = Label(_cut(f"  {value['name']}", 15))
        field = Input(id=f"optval-{value['option_value_id']}", compact=True,
                      placeholder=f"sends '{_cut(str(value['name']), 30)}'")  # fmt: skip
        return Horizontal(label, field, classes="edit-row")

    def _one(self, selector: str) -> Widget | None:
        found = self.query(selector)
        return found.first() if found else None

    def _sends(self, data: dict[str, Any]) -> list[str]:
        sent = data["payload"] or {}
        lines = ["The store would send: " + (self._summary(sent) if sent else "nothing")]
        if data.get("price"):  # which price: the product's, or its active special
            lines.append(f"price: {data['price']}")
        if data.get("sources"):  # catalog.field_map: values taken from a non-default field
            lines.append(
                "mapped: " + ", ".join(f"{k} from {v}" for k, v in data["sources"].items())
            )
        if sent.get("attributes_node_specific"):
            lines.append(f"attributes: {_attributes_text(sent['attributes_node_specific'])}")
        names = {a["attribute_id"]: a["name"] for a in data["node_attributes"]}
        if data.get("refinements"):
            refined = ", ".join(str(names.get(r, r)) for r in data["refinements"])
            lines.append(f"variation refined by: {refined}")
        if data.get("shipping_exception"):
            lines.append("shipping exception sent to Jet for this SKU and its children")
        if data.get("child_of"):
            lines.append(f"variation child of {data['child_of']}: its code is its own")
        for child in data.get("children") or []:  # the parent's edit: each child's code
            code = ", ".join(child["codes"]) or f"no code (MPN {child['mpn']})"
            lines.append(f"child {child['sku']}: {code}")
        lines += [f"error: {e}" for e in data["errors"]]
        lines += [f"warning: {w}" for w in data["warnings"]]
        return lines

    @staticmethod
    def _summary(sent: dict[str, Any]) -> str:
        parts = [f"brand {sent['brand']}"] if sent.get("brand") else []
        parts += [
            f"{c['standard_product_code_type']} {c['standard_product_code']}"
            for c in sent.get("standard_product_codes") or []
        ]
        if sent.get("ASIN"):
            parts.append(f"ASIN {sent['ASIN']}")
        if sent.get("mfr_part_number"):
            parts.append(f"MPN {sent['mfr_part_number']}")
        return ", ".join(parts) or "no brand or code"

    @work(group="product-edit-jet", exclusive=True, exit_on_error=False)
    async def fetch_jet(self) -> None:
        from jettui.services.catalog import fetch_jet_view, view_lines

        try:
            db = await asyncio.to_thread(self.app.database)
            view = await fetch_jet_view(self.app.settings, db, self.sku)
        except Exception as exc:  # Jet unreachable or refused: one line
            text = f"As Jet has it: cannot ask Jet ({str(exc).splitlines()[0][:160]})"
        else:
            text = "As Jet has it:\n" + "\n".join(view_lines(view))
        self._show("#edit-jet", text)

    def _show(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(self.app.redact(text))
        if selector == "#edit-problems":
            widget.display = bool(text)  # no blank row on top when there is none

    # --- saving -----------------------------------------------------------------------------

    def _form(self) -> dict[str, Any]:
        """Every field as the merchant sees it (compared to tell unsaved changes)."""
        form: dict[str, Any] = {
            key: self.query_one(f"#{input_id}", Input).value for input_id, key, _ in FIELDS
        }
        code_type = self.query_one("#edit-code-type", Select).value
        form["standard_code_type"] = "" if code_type in ("guess", Select.NULL) else code_type
        form["returns"] = {
            key: self.query_one(f"#{input_id}", Input).value.strip()
            for input_id, key, _label, _hint in RETURNS
        }
        form["shipping"] = {
            key: _get(self.query_one(f"#{widget_id}")) for widget_id, key, _l, _c in SHIPPING
        }
        form["attributes"] = {
            a["attribute_id"]: (
                _get(self._one(f"#attr-{a['attribute_id']}")),
                _get(self._one(f"#attr-unit-{a['attribute_id']}")),
            )
            for a in self.attributes
        }
        form["options"] = {
            str(o["option_id"]): _get(self._one(f"#opt-{o['option_id']}")) for o in self.options
        }
        form["values"] = {str(v): _get(self._one(f"#optval-{v}")) for v in self._value_ids()}
        return form

    def unsaved_changes(self) -> bool:
        """The form differs from what was loaded (or last saved)."""
        if self._as_loaded is None:  # still loading: nothing typed can be lost yet
            return False
        return self._form() != self._as_loaded

    def action_save(self) -> None:
        self.save()

    async def save_now(self) -> bool:
        """Validate and save the form; True when saved (problems are shown otherwise)."""
        return await self._save(self._form())

    @work(group="product-edit-save", exclusive=True, exit_on_error=False)
    async def save(self, then_leave: bool = False) -> None:
        if await self.save_now() and then_leave:
            self.dismiss(self.saved)

    async def _save(self, form: dict[str, Any]) -> bool:
        from jettui.services.catalog import (
            child_listing,
            form_changes,
            save_child_data,
            save_jet_data,
        )

        settings = self.app.settings
        attributes: dict[int, dict[str, Any] | None] = {}
        for attribute_id, (value, unit) in form["attributes"].items():
            item = {"attribute_id": attribute_id, "attribute_value": value}
            attributes[attribute_id] = (item | ({"attribute_value_unit": unit} if unit else {})
                                        if value else None)  # fmt: skip
        options = {k: int(v) if v else None for k, v in form["options"].items()}
        changes = {key: form[key] for _id, key, _label in FIELDS}
        changes["standard_code_type"] = form["standard_code_type"]

        def write() -> list[str]:
            self.app.database()
            if self.child_sku:
                child = child_listing(settings, self.product_id, self.child_sku)
                if child is None:
                    return [f"{self.child_sku}: no longer a variation child of the product"]
                own = {k: v for k, v in changes.items() if k != "brand"}
                return save_child_data(settings, child, own)
            more, problems = form_changes(
                settings,
                self.product_id,
                shipping=form["shipping"],
                returns=form["returns"],
                attributes=attributes or None,
                options=options or None,
                values={k: v or None for k, v in form.get("values", {}).items()} or None,
            )
            # every problem at once: the codes are checked even when the exceptions are not
            # right (then nothing is saved)
            problems += save_jet_data(
                settings, self.product_id, changes | more, check_only=bool(problems)
            )
            return list(dict.fromkeys(problems))

        try:
            problems = await asyncio.to_thread(write)
        except Exception as exc:  # the store failed: one line
            problems = [f"store: {str(exc).splitlines()[0][:200]}"]
        if problems:
            self._show("#edit-problems", "\n".join(problems) + "\nNothing saved.")
            self.query_one("#edit-body", VerticalScroll).scroll_home(animate=False)
            return False
        self.saved = True
        self._as_loaded = form
        self._show("#edit-problems", "")
        self.notify(f"Jet data of {self.sku} saved.", title="Products", markup=False)
        self.load(then_jet=False)
        return True

    def on_number_input_refused(self, event: NumberInput.Refused) -> None:
        """A character a number field cannot take: said on top, by the field's name."""
        self._show("#edit-problems", event.input.refusal(event.text))

    def action_leave(self) -> None:
        if not self.unsaved_changes():
            self.dismiss(self.saved)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.save(then_leave=True)
            elif answer == "discard":
                self.dismiss(self.saved)

        self.app.push_screen(LeaveForm(f"Jet data of {self.sku or self.product_id}"), answered)


# --- helpers ----------------------------------------------------------------------------------


def _store_hint(key: str, store: dict[str, str]) -> str:
    """The placeholder of a code/brand field: what the store gives when it is not overridden."""
    if key == "standard_code":
        codes = [f"{k.upper()} {store[k]}" for k in ("upc", "ean", "isbn") if store.get(k)]
        return "store: " + ", ".join(codes) if codes else "not set"
    if key in ("brand", "mpn") and store.get(key):
        return f"store: {store[key]}"
    return "not set"


def _set(widget: Widget | None, value: Any) -> None:
    """Show ``value`` in an Input or a Select (None / "" = empty, not set)."""
    if isinstance(widget, Input):
        widget.value = "" if value is None else str(value)
    elif isinstance(widget, Select):
        if value in (None, ""):
            widget.clear()
            return
        try:
            widget.value = value
        except InvalidSelectValueError:  # a stored value Jet no longer lists: shown as not set
            widget.clear()


def _get(widget: Widget | None) -> Any:
    """An Input's text or a Select's value ("" when not set)."""
    if isinstance(widget, Input):
        return widget.value.strip()
    if isinstance(widget, Select):
        return "" if widget.is_blank() else widget.value
    return ""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _attributes_text(items: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{a.get('attribute_id')}={a.get('attribute_value')}"
        + (f" {a['attribute_value_unit']}" if a.get("attribute_value_unit") else "")
        for a in items
    )
