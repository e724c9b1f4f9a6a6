"""Edit one product's Jet data (standard code, ASIN, brand, MPN, returns time) and see the SKU
as Jet has it. ctrl+s saves (every problem shown, one line each; nothing saved then); escape
leaves. Store work runs in thread workers, Jet's view in an async worker."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from jettui.tui.screens.leave import LeaveForm

if TYPE_CHECKING:
    from jettui.tui.app import JettuiApp

CODE_TYPES = ("guess", "UPC", "EAN", "GTIN-14", "ISBN-10", "ISBN-13")
FIELDS = (  # (input id, override key, label)
    ("edit-code", "standard_code", "Standard code"),
    ("edit-asin", "asin", "ASIN"),
    ("edit-brand", "brand", "Brand"),
    ("edit-mpn", "mpn", "Mfr part no."),
)


class ProductEditScreen(Screen[bool]):
    """Dismisses with True when something was saved. Opens with the first field focused, so
    typed digits land in it (FORM: panel keys never fire here); leaving with unsaved changes
    asks first (escape here, ctrl+q in the app)."""

    FORM: ClassVar[bool] = True
    AUTO_FOCUS = "#edit-code"

    DEFAULT_CSS = """
    ProductEditScreen #edit-body { padding: 0 1; }
    ProductEditScreen .edit-row { height: 1; margin-bottom: 1; }
    ProductEditScreen .edit-row Label { width: 16; }
    ProductEditScreen .edit-row Input { width: 1fr; }
    ProductEditScreen #edit-code-type { width: 16; margin-left: 1; }
    ProductEditScreen #edit-problems { color: $error; height: auto; }
    ProductEditScreen #edit-sends, ProductEditScreen #edit-jet { height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="product_edit.save"),
        Binding("escape", "leave", "Back", id="product_edit.leave"),
    ]

    app: JettuiApp

    def __init__(self, product_id: int) -> None:
        super().__init__(id="product-edit")
        self.product_id = product_id
        self.title = f"Jet data of product {product_id}"
        self.sku = ""
        self.overrides: dict[str, Any] = {}
        self.saved = False
        self._as_loaded: dict[str, Any] | None = None  # the form as last loaded or saved

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="edit-body"):
            yield Static(f"[b]Jet data[/b] of product {self.product_id}", id="edit-title")
            for input_id, _key, label in FIELDS:
                with Horizontal(classes="edit-row"):
                    yield Label(label)
                    yield Input(id=input_id, compact=True)
                    if input_id == "edit-code":
                        options = [(t, t) for t in CODE_TYPES]
                        yield Select(options, value="guess", allow_blank=False,
                                     id="edit-code-type", compact=True)  # fmt: skip
            with Horizontal(classes="edit-row"):
                yield Label("Return days")
                yield Input(id="edit-return-days", placeholder="1-30", compact=True, type="integer")
            yield Static("", id="edit-problems", markup=False)
            yield Static("Loading…", id="edit-sends", markup=False)
            yield Static("As Jet has it: asking Jet…", id="edit-jet", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    # --- loading ----------------------------------------------------------------------------

    @work(group="product-edit", exclusive=True, exit_on_error=False)
    async def load(self, then_jet: bool = True) -> None:
        from jettui.services.catalog import get_jet_data

        def read() -> dict[str, Any]:
            self.app.database()
            return get_jet_data(self.app.settings, self.product_id)

        try:
            data = await asyncio.to_thread(read)
        except Exception as exc:  # the store failed: one line, never a traceback
            self._show("#edit-sends", f"Store unreachable: {str(exc).splitlines()[0][:200]}")
            return
        self._fill(data)
        if then_jet and self.sku:
            self.fetch_jet()

    def _fill(self, data: dict[str, Any]) -> None:
        self.sku = data["sku"]
        self.overrides = data["overrides"]
        title = f"[b]Jet data[/b] of {self.sku or 'product ' + str(self.product_id)}"
        name = data["name"] if len(data["name"]) <= 40 else data["name"][:39] + "…"
        self.query_one("#edit-title", Static).update(f"{title} — {name}")
        sent = data["payload"] or {}
        sent_codes = sent.get("standard_product_codes") or []
        placeholders = {
            "standard_code": ", ".join(c["standard_product_code"] for c in sent_codes),
            "brand": sent.get("brand", ""),
            "mpn": sent.get("mfr_part_number", ""),
        }
        for input_id, key, _label in FIELDS:
            field = self.query_one(f"#{input_id}", Input)
            field.value = str(self.overrides.get(key, ""))
            field.placeholder = placeholders.get(key, "") or "not set"
        code_type = self.overrides.get("standard_code_type") or "guess"
        self.query_one("#edit-code-type", Select).value = code_type
        days = (self.overrides.get("returns_exceptions") or {}).get("time_to_return")
        self.query_one("#edit-return-days", Input).value = "" if days is None else str(days)
        lines = ["The store would send: " + (self._summary(sent) if sent else "nothing")]
        if data.get("price"):  # which price: the product's, or its active special
            lines.append(f"price: {data['price']}")
        if data.get("sources"):  # catalog.field_map: values taken from a non-default field
            lines.append(
                "mapped: " + ", ".join(f"{k} from {v}" for k, v in data["sources"].items())
            )
        lines += [f"error: {e}" for e in data["errors"]]
        lines += [f"warning: {w}" for w in data["warnings"]]
        self._show("#edit-sends", "\n".join(lines))
        self._as_loaded = self._changes()[0] | {"_days": self._days_text()}

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
        self.query_one(selector, Static).update(self.app.redact(text))

    # --- saving -----------------------------------------------------------------------------

    def _changes(self) -> tuple[dict[str, Any], list[str]]:
        changes: dict[str, Any] = {
            key: self.query_one(f"#{input_id}", Input).value for input_id, key, _ in FIELDS
        }
        code_type = self.query_one("#edit-code-type", Select).value
        changes["standard_code_type"] = "" if code_type in ("guess", Select.BLANK) else code_type
        returns = dict(self.overrides.get("returns_exceptions") or {})
        days = self.query_one("#edit-return-days", Input).value.strip()
        problems = []
        if not days:
            returns.pop("time_to_return", None)
        elif days.lstrip("-").isdigit():
            returns["time_to_return"] = int(days)
        else:
            problems.append("return days: a whole number of days (1-30)")
        changes["returns_exceptions"] = returns or None
        return changes, problems

    def _days_text(self) -> str:
        return self.query_one("#edit-return-days", Input).value.strip()

    def unsaved_changes(self) -> bool:
        """The form differs from what was loaded (or last saved)."""
        if self._as_loaded is None:  # still loading: nothing typed can be lost yet
            return False
        return self._changes()[0] | {"_days": self._days_text()} != self._as_loaded

    def action_save(self) -> None:
        self.save()

    async def save_now(self) -> bool:
        """Validate and save the form; True when saved (problems are shown otherwise)."""
        changes, problems = self._changes()
        if problems:
            self._show("#edit-problems", "\n".join(problems) + "\nNothing saved.")
            return False
        return await self._save(changes)

    @work(group="product-edit-save", exclusive=True, exit_on_error=False)
    async def save(self, then_leave: bool = False) -> None:
        if await self.save_now() and then_leave:
            self.dismiss(self.saved)

    async def _save(self, changes: dict[str, Any]) -> bool:
        from jettui.services.catalog import save_jet_data

        def write() -> list[str]:
            self.app.database()
            return save_jet_data(self.app.settings, self.product_id, changes)

        try:
            problems = await asyncio.to_thread(write)
        except Exception as exc:  # the store failed: one line
            problems = [f"store: {str(exc).splitlines()[0][:200]}"]
        if problems:
            self._show("#edit-problems", "\n".join(problems) + "\nNothing saved.")
            return False
        self.saved = True
        self._as_loaded = changes | {"_days": self._days_text()}
        self._show("#edit-problems", "")
        self.notify(f"Jet data of {self.sku} saved.", title="Products", markup=False)
        self.load(then_jet=False)
        return True

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
