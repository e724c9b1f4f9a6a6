"""The jettui dashboard: one App mode per panel, global keys, palette, themes."""

from __future__ import annotations

import asyncio
import io
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen

from jettui.config import Settings, scrub_secrets
from jettui.services.status import HeaderState
from jettui.tui.commands import JettuiCommands
from jettui.tui.panels import PANELS, PANELS_BY_ID
from jettui.tui.screens import SCREENS_BY_PANEL
from jettui.tui.screens.go import GoScreen
from jettui.tui.screens.help import HelpScreen
from jettui.tui.themes import load_themes, pick_theme, stylesheet_paths

if TYPE_CHECKING:
    import peewee as pw

PACKAGE_CSS = Path(__file__).with_name("jettui.tcss")


def describe_target(settings: Settings) -> str:
    """Store and Jet endpoint for the header; never a secret."""
    store = settings.store
    if store.is_sqlite:
        where = f"sqlite {Path(store.database.split(':///', 1)[-1]).name}"
    else:
        where = store.database_display
    jet = "sandbox" if settings.jet.is_sandbox else (urlsplit(settings.jet.api_url).hostname or "?")
    return f"store {where} · Jet {jet}"


class JettuiApp(App[int]):
    """The dashboard. ``settings`` is replaced when the configuration screen saves."""

    TITLE = "jettui"
    CSS_PATH = [PACKAGE_CSS, *stylesheet_paths()]
    COMMANDS: ClassVar = App.COMMANDS | {JettuiCommands}
    MODES: ClassVar = dict(SCREENS_BY_PANEL)
    DEFAULT_MODE = "products"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # (typed by App)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("ctrl+g", "go_menu", "Go to", show=False, id="go"),
        *(
            Binding(panel.key, f"goto('{panel.id}')", panel.title, show=False, id=f"go-{panel.id}")
            for panel in PANELS
            if panel.key
        ),
    ]
    NOTIFICATION_TIMEOUT = 6
    DUE_JOBS_FIRST_SECONDS = 5.0  # background jobs: first check after start, then every...
    DUE_JOBS_EVERY_SECONDS = 60.0  # ...this long after the previous check finished
    STATE_EVERY_SECONDS = 30.0  # the header's orders/fetch/failing-job line is re-read this often
    HEADER_CHROME = 5  # header columns that are not its title (with the state: icon 4, space 1)
    # With the state line the header gives its title all the room it can (80 columns).
    CSS = """
    JettuiApp.-state HeaderIcon { width: 4; }
    JettuiApp.-state HeaderClockSpace { width: 1; }
    """

    def __init__(self, settings: Settings, *, environ: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.animation_level = "none"  # no animations over SSH
        themes, self._theme_problems = load_themes()
        for theme in themes.values():
            self.register_theme(theme)
        name, warning = pick_theme(
            settings.tui.theme, self.available_themes, os.environ if environ is None else environ
        )
        if warning:
            self._theme_problems.append(warning)
        self.theme = name
        self.sub_title = describe_target(settings)
        self._db: pw.Database | None = None
        self._db_lock = threading.Lock()
        self.watch_terminal = False  # run_dashboard: quit when the SSH session is gone
        self.run_due_jobs = False  # run_dashboard: run due jobs in the background while open
        self.show_state = False  # run_dashboard: the header shows orders, next fetch, failures
        self.header_state: HeaderState | None = None
        self._state_read_at: Any = None  # the clock when header_state was read
        self.products_mapped_only = False  # the products grid's m switch, kept across panels
        self.set_keymap(dict(settings.tui.keymap))

    def on_mount(self) -> None:
        for problem in [*self.settings.warnings, *self._theme_problems]:
            self.notify(problem, severity="warning", timeout=10)
        if self.watch_terminal:
            self.set_interval(5, self._quit_if_orphaned, name="terminal-watch")
        if self.run_due_jobs:
            self.set_timer(self.DUE_JOBS_FIRST_SECONDS, self._check_due_jobs, name="due-jobs")
        if self.show_state:
            self.refresh_state()
            self.set_interval(self.STATE_EVERY_SECONDS, self.refresh_state, name="header-state")

    # --- the header: state that must stay visible on every screen ---------------------------
    def refresh_state(self, now: Any = None) -> None:
        """Re-read the header's state (orders to acknowledge, next fetch, failing jobs) in an
        async worker (the store read on a thread); every screen's header shows it once read. ``now``: the moment a panel's rows
        were reckoned from (the header then agrees with them); the clock when None."""
        self._state_reads += 1  # never cancelled (each started read runs to its end)
        self.run_worker(
            self._read_state(now, self._state_reads), group="header-state", exit_on_error=False
        )

    _state_reads = 0  # header reads started: only the newest one's answer is shown

    async def _read_state(self, moment: Any = None, read: int = 0) -> None:
        from jettui.services.status import clock, header_state, naive_utc

        now = clock() if moment is None else naive_utc(moment)
        try:
            await asyncio.to_thread(self.database)
            state = await asyncio.to_thread(header_state, self.settings, now)
        except Exception as exc:  # noqa: BLE001 - the header says it, the panels explain
            reason = self.redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            state = HeaderState(error=f"store: {reason}"[:80])
        if read == self._state_reads:  # a newer read (a newer moment) is on its way otherwise
            self._show_state(state, now)

    def _show_state(self, state: HeaderState, now: Any) -> None:
        self.header_state, self._state_read_at = state, now
        self.add_class("-state")
        # Every screen's Header watches sub_title: a new text repaints them all.
        self.sub_title = state.text(now, 200)

    def format_title(self, title: str, sub_title: str) -> Content:
        """Screen title, then the state line fitted to the header's width (the least urgent
        parts dropped first at 80 columns), then the store and Jet when there is room."""
        state = self.header_state
        if state is None:
            return super().format_title(title, sub_title)
        room = max(0, self.size.width - self.HEADER_CHROME - len(title) - 3)
        text = state.text(self._state_read_at, room)
        parts: list[Any] = [
            title,
            (" — ", "dim"),
            (text, "bold" if state.urgent(self._state_read_at) else ""),
        ]
        target = describe_target(self.settings)
        if len(text) + 3 + len(target) <= room:
            parts += [(" · ", "dim"), (target, "dim")]
        return Content.assemble(*parts)

    def _check_due_jobs(self) -> None:
        """Run due jobs in a worker; the next check is set only once this one has finished
        (a chained timer: checks never overlap, however long the jobs take)."""
        from jettui.tui.screens.cron import run_due_in_background

        async def check() -> None:
            await run_due_in_background(self)  # never raises
            self.set_timer(self.DUE_JOBS_EVERY_SECONDS, self._check_due_jobs, name="due-jobs")

        self.run_worker(check(), group="due-jobs", exit_on_error=False)

    def _quit_if_orphaned(self) -> None:
        """An SSH session that dropped without a SIGHUP leaves the app on a hung-up terminal
        (and spinning); a hung-up tty fails isatty(), so quit then."""
        if not sys.__stdin__ or not sys.__stdin__.isatty():
            self.exit(0)

    # --- navigation -------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Panel keys (digits) never fire on a form: what is typed there is the user's data."""
        return not (action == "goto" and getattr(self.screen, "FORM", False))

    async def action_quit(self) -> None:
        """Quit; a form with unsaved changes asks first (save, discard or stay)."""
        from jettui.tui.screens.leave import LeaveForm, UnsavedForm

        screen = self.screen
        if not isinstance(screen, UnsavedForm) or not screen.unsaved_changes():
            self.exit()
            return

        async def answered(answer: str | None) -> None:
            if answer == "discard" or (answer == "save" and await screen.save_now()):
                self.exit()

        self.push_screen(LeaveForm(screen.title or "This screen", "quit"), answered)

    async def action_goto(self, panel_id: str) -> None:
        if panel_id not in PANELS_BY_ID:
            return
        from jettui.tui.screens.configuration import ConfigurationScreen

        screen = self.screen
        if (
            panel_id != self.current_mode
            and isinstance(screen, ConfigurationScreen)
            and screen.unsaved_changes()
        ):
            screen.ask_before_leaving(f"goto('{panel_id}')")  # asks, then comes back here
            return
        while isinstance(self.screen, ModalScreen):
            await self.pop_screen()
        if self.current_mode != panel_id:
            await self.switch_mode(panel_id)

    def action_go_menu(self) -> None:
        if not isinstance(self.screen, ModalScreen):
            self.push_screen(GoScreen(self.current_mode))

    def action_help(self) -> None:
        if not isinstance(self.screen, ModalScreen):
            self.push_screen(HelpScreen(self.screen))

    # --- settings and store -----------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> None:
        """Use freshly saved settings: new header and theme, new store connection on next use."""
        if (
            settings.tui.theme != self.settings.tui.theme
            and settings.tui.theme in self.available_themes
        ):
            self.theme = settings.tui.theme
        self.settings = settings
        self.sub_title = describe_target(settings)
        self.set_keymap(dict(settings.tui.keymap))
        with self._db_lock:
            db, self._db = self._db, None
        if db is not None:
            db.close()
        if self.show_state:
            self.refresh_state()

    def database(self) -> pw.Database:
        """The store's peewee Database, connected on first use. Call off the event loop
        (inside `asyncio.to_thread`): connecting and queries block."""
        with self._db_lock:
            if self._db is None:
                from jettui.store.db import open_store

                # recognised as OpenCart (prefix) before any jettui table is created
                self._db = open_store(self.settings)
            return self._db

    def redact(self, text: str) -> str:
        return scrub_secrets(text, self.settings)

    def _fatal_error(self) -> None:
        """An unhandled exception: Textual would print its traceback with every frame's local
        variables (a connection URL, a token...). Print it without locals, secrets scrubbed."""
        import rich
        from rich.console import Console
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        capture = Console(
            width=self.console.width, color_system=None, record=True, file=io.StringIO()
        )
        capture.print(Traceback(show_locals=False, width=None, suppress=[rich]))
        text = self.redact(capture.export_text())
        self._exit_renderables.append(Segments(self.console.render(text, self.console.options)))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        if self._db is not None:
            self._db.close()


def run_dashboard(settings: Settings) -> int:
    """Run the dashboard in the terminal; the CLI's default command. Returns the exit code."""
    app = JettuiApp(settings)
    app.watch_terminal = True
    app.run_due_jobs = True
    app.show_state = True
    result = app.run()
    return result if isinstance(result, int) else app.return_code or 0
