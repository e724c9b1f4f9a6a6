"""Command palette (ctrl+p): "Go to <panel>" for every panel and the current screen's actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from jettui.tui.panels import PANELS

Command = tuple[str, str, Callable[[], object]]


def _described(screen_class: type) -> list[Binding]:
    """A screen class's own bindings that say what they do (its palette commands)."""
    from jettui.tui.screens.base import PanelScreen

    seen: list[Binding] = []
    for klass in screen_class.__mro__:
        if not (isinstance(klass, type) and issubclass(klass, PanelScreen)):
            continue
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                seen.append(binding)
    return seen


async def _go_and_run(app: App, panel_id: str, action: str) -> None:
    """Switch to a panel, then run one of its screen's actions there."""
    await app.run_action(f"goto('{panel_id}')")
    await app.screen.run_action(action)


class JettuiCommands(Provider):
    def _commands(self) -> Iterator[Command]:
        from jettui.tui.screens import SCREENS_BY_PANEL

        app = self.app
        screen = self.screen
        current = getattr(screen, "PANEL_ID", "")
        palette_commands = getattr(screen, "palette_commands", None)
        if palette_commands is not None:
            for title, help_text, action in palette_commands():
                yield f"{screen.title}: {title}", help_text, partial(screen.run_action, action)
        for panel in PANELS:
            if panel.id != current:
                yield (
                    f"Go to {panel.title}",
                    panel.summary,
                    partial(app.run_action, f"goto('{panel.id}')"),
                )
        for panel in PANELS:  # every other screen's actions too: they go there first
            if panel.id == current:
                continue
            for binding in _described(SCREENS_BY_PANEL[panel.id]):
                yield (
                    f"{panel.title}: {binding.description}",
                    binding.tooltip or f"opens {panel.title}",
                    partial(_go_and_run, app, panel.id, binding.action),
                )
        yield "Help: keys of this screen", "Every key, per screen", partial(app.run_action, "help")

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
