"""The jettui dashboard: one App mode per panel, global keys, palette, themes."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from jettui.config import Settings, scrub_secrets
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
        self.products_mapped_only = False  # the products grid's m switch, kept across panels
        self.set_keymap(dict(settings.tui.keymap))

    def on_mount(self) -> None:
        for problem in [*self.settings.warnings, *self._theme_problems]:
            self.notify(problem, severity="warning", timeout=10)
        if self.watch_terminal:
            self.set_interval(5, self._quit_if_orphaned, name="terminal-watch")
        if self.run_due_jobs:
            self.set_timer(self.DUE_JOBS_FIRST_SECONDS, self._check_due_jobs, name="due-jobs")

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

    def database(self) -> pw.Database:
        """The store's peewee Database, connected on first use. Call from thread workers."""
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
    result = app.run()
    return result if isinstance(result, int) else app.return_code or 0
