"""Command palette (ctrl+p): "Go to <panel>" for every panel and the current screen's actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from jettui.tui.panels import PANELS

Command = tuple[str, str, Callable[[], object]]


class JettuiCommands(Provider):
    def _commands(self) -> Iterator[Command]:
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
