"""The getting-started path shown above the products grid until the store is set up: the
configuration and the API activation first (the extension manual's first two steps), then
refresh the Jet taxonomy, map categories, upload, watch orders arrive. Each step names its
key and is ticked once done (read from the store on every products load)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from jettui.config import Settings
from jettui.services.setup_progress import setup_progress


@dataclass(frozen=True)
class Step:
    title: str
    keys: str
    done: bool


def setup_steps(db: object, settings: Settings | None = None) -> list[Step]:
    """The steps and whether each is done (store thread)."""
    done = setup_progress(db, settings)
    return [
        Step("Check the configuration and save it", "0, then ctrl+s", done.configured),
        Step("Activate the Jet APIs (test calls)", "ctrl+g a, then A", done.activated),
        Step("Refresh the Jet taxonomy", "2 Categories, then T", done.taxonomy),
        Step("Map categories to Jet nodes", "2 Categories, then m", done.categories),
        Step("Upload products", "space selects, u uploads", done.uploaded),
        Step("Watch orders arrive", "3 Orders", done.orders),
    ]


def guide(steps: list[Step]) -> Table:
    """The path as a small table: ✓ or ○, the step, its keys."""
    table = Table(
        title="Getting started", title_justify="left", show_header=False, box=None,
        expand=True, padding=(0, 1),
    )  # fmt: skip
    table.add_column(no_wrap=True, width=5)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, style="bold")
    for n, step in enumerate(steps, 1):
        mark = Text("✓" if step.done else "○", style="green" if step.done else "")
        title = Text(step.title, style="dim" if step.done else "")
        table.add_row(Text.assemble(mark, f" {n}."), title, step.keys)
    return table
