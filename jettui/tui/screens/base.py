"""What every panel screen shares: header, optional sidebar, body, footer, data loading."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from jettui.tui.panels import PANELS, PANELS_BY_ID
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.widgets.bulk_table import BulkTable

if TYPE_CHECKING:
    import peewee as pw

    from jettui.config import Settings
    from jettui.services.listing import PageSource
    from jettui.tui.app import JettuiApp


class NotAvailable(Exception):
    """A panel's data or action that later work provides; the message says what to do."""


def later(
    key: str, what: str, description: str, id: str, *, headless: str = "", show: bool = False
) -> Binding:
    """A key for an action that later work provides: pressing it says so, and names the
    headless command that does it today (if any)."""
    args = ", ".join(repr(arg) for arg in (what, headless) if arg)
    return Binding(key, f"not_available({args})", description, show=show, id=id)


class GridTable(BulkTable):
    """BulkTable with a shorter footer: "a All" moves to the help screen (≤ 5 keys at 80 cols)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "select_all", "All", show=False, id="bulk-table.select-all"),
        Binding("enter", "activate", "Row details", show=False, id="bulk-table.activate"),
    ]


class NavList(OptionList):
    """The sidebar (only shown on wide terminals): one line per panel with its key."""

    def __init__(self, current: str) -> None:
        options = [Option(f"{panel.key or ' '} {panel.title}", id=panel.id) for panel in PANELS]
        super().__init__(*options, id="nav", compact=True)
        self._current = current

    def on_mount(self) -> None:
        self.highlighted = self.get_option_index(self._current)


class PanelScreen(Screen):
    """A panel: subclasses set PANEL_ID and implement ``compose_body``."""

    PANEL_ID: ClassVar[str] = ""
    HELP_NOTES: ClassVar[tuple[str, tuple[tuple[str, str], ...]]] = ("", ())  # title, rows
    AUTO_FOCUS: ClassVar[str | None] = (
        None  # the sidebar is hidden at 80 columns: never focus it by default
    )
    BINDINGS: ClassVar[list[BindingType]] = []

    app: JettuiApp

    def __init__(self) -> None:
        super().__init__(id=f"screen-{self.PANEL_ID}")
        self.title = PANELS_BY_ID[self.PANEL_ID].title

    @property
    def panel_title(self) -> str:
        """The screen's title as a ``str`` (Textual types ``Screen.title`` as optional)."""
        return self.title or ""

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="frame"):
            yield NavList(self.PANEL_ID)
            with Vertical(id="body"):
                yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    @on(OptionList.OptionSelected, "#nav")
    def _nav_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != self.PANEL_ID:
            # via the app's queue: switching screens from inside this screen's handler deadlocks
            self.app.call_later(self.app.run_action, f"goto('{event.option.id}')")

    def action_not_available(self, what: str, headless: str = "") -> None:
        """Bound to actions that arrive with later work: say so instead of pretending."""
        hint = f" Headless: {headless}" if headless else ""
        self.notify(
            f"{what} is not available yet.{hint}", title=self.panel_title, severity="warning"
        )

    def palette_commands(self) -> Iterable[tuple[str, str, str]]:
        """(title, help, action) for the command palette: this screen's described bindings."""
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                yield binding.description, binding.tooltip, binding.action


class SourceFactory(Protocol):
    """Makes a panel's page source from the store's database (a source class or a partial).

    (A Protocol, not a Callable: a Callable class attribute would be typed as a bound method.)
    """

    def __call__(self, db: pw.Database, /) -> PageSource: ...


class GridPanel(PanelScreen):
    """A panel whose body is a BulkTable over a page source, or a text when it is empty."""

    EMPTY_TEXT: ClassVar[str] = "Nothing here yet."
    SOURCE: ClassVar[SourceFactory | None] = None  # db -> source (or make_source)
    DETAIL_TITLE_KEY: ClassVar[str] = ""  # column whose cell titles the row detail (else the 1st)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]

    def compose_body(self) -> ComposeResult:
        yield from self.compose_top()
        yield Static("Loading…", id="empty", classes="empty", markup=False)

    def compose_top(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.load()

    _away = False  # another screen was shown over this panel since it last showed
    AWAY_ON_DIALOG: ClassVar[bool] = True  # a dialog over the panel counts as leaving it

    def on_screen_suspend(self) -> None:
        over = self.app.screen
        self._away = self._away or self.AWAY_ON_DIALOG or not isinstance(over, ModalScreen)

    def on_screen_resume(self) -> None:
        away, self._away = self._away, False
        if self._loaded_with is None:
            return  # first shown: its first load is on its way
        if self._loaded_with is not self.app.settings:
            self.load()  # the configuration screen saved new settings meanwhile
        elif away:
            self.came_back()

    def came_back(self) -> None:
        """Shown again after another screen: re-read what that screen's actions or the jobs
        may have changed (nothing by default)."""

    def action_reload(self) -> None:
        self.load()

    def make_source(self, db: pw.Database) -> PageSource:
        if self.SOURCE is None:
            raise NotImplementedError(f"{type(self).__name__} sets SOURCE or make_source")
        return self.SOURCE(db)

    _loaded_with: Settings | None = None

    @work(exclusive=True, group="panel-load", exit_on_error=False)
    async def load(self) -> None:
        self._loaded_with = self.app.settings
        try:
            await self.load_top()
            source, count = await asyncio.to_thread(self._open_source)
        except NotAvailable as exc:
            self.show_text(str(exc))
            return
        except Exception as exc:  # the store is unreachable or its tables are missing
            self.show_text(f"Cannot read the store: {self.app.redact(_brief(exc))}")
            return
        self.show_source(source, count)

    async def load_top(self) -> None:
        """Fill what `compose_top` yielded, before the grid's source is opened (awaited by
        `load`: read the store through `asyncio.to_thread`; a failure shows like the grid's)."""

    def _open_source(self) -> tuple[PageSource, int]:
        """The panel's source and its row count (on a thread: it reads the store)."""
        source = self.make_source(self.app.database())
        return source, source.count("")

    def show_text(self, text: str) -> None:
        empty = self.query_one("#empty", Static)
        empty.update(text)
        empty.display = True
        for table in self.query(GridTable):
            table.display = False

    def show_source(self, source: PageSource, count: int) -> None:
        if count == 0:
            self.show_text(self.EMPTY_TEXT)
            return
        self.query_one("#empty").display = False
        tables = self.query(GridTable)
        if tables:
            table = tables.first()
            table.display = True
            table.set_source(source)
        else:
            table = GridTable(source)
            self.query_one("#body").mount(table)
            table.focus()

    @on(BulkTable.RowActivated)
    def _show_detail(self, event: BulkTable.RowActivated) -> None:
        event.stop()
        columns = event.table.source.columns
        keys = [column.key for column in columns]
        at = keys.index(self.DETAIL_TITLE_KEY) if self.DETAIL_TITLE_KEY in keys else 0
        title = f"{self.title}: {event.cells[at]}" if event.cells else self.panel_title
        self.open_detail(title, event)

    def open_detail(self, title: str, event: BulkTable.RowActivated) -> None:
        """Show the activated row in full; a panel with more to say than its columns overrides."""
        self.app.push_screen(RowDetailScreen(title, event.table.source.columns, event.cells))

    @property
    def selected_ids(self) -> set[Hashable]:
        tables = self.query(GridTable)
        return set(tables.first().selected) if tables else set()


def _brief(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
