"""Readers of what the dashboard shows (items of issue 19): the screen as text, line by line,
and a controllable panels' clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jettui.tui.app import JettuiApp

from .orders_data import NOW

#: every printable ASCII character, the space inside (a cell's edges trim spaces)
PRINTABLE = "<" + "".join(chr(c) for c in range(33, 127)) + " end>"


def screen_lines(app: JettuiApp) -> list[str]:
    """The characters the terminal shows, one string a row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: JettuiApp) -> str:
    return "\n".join(screen_lines(app))


def region_text(app: JettuiApp, selector: str) -> str:
    """What the screen shows inside the widget ``selector`` (its content region), one line a
    row."""
    region = app.screen.query_one(selector).content_region
    lines = screen_lines(app)[region.y : region.bottom]
    return "\n".join(line[region.x : region.right] for line in lines)


def squeezed(text: str) -> str:
    """The printable ASCII of ``text`` but spaces, in order: a wrapped cell read back whole."""
    return "".join(ch for ch in text if "!" <= ch <= "~")


@dataclass
class Clock:
    """The panels' clock, moved by the test."""

    now: dt.datetime = NOW

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)
