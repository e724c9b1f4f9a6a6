"""Counts the merchant can trust while they are computed: "counting…" until the exact count
of the filter on screen arrives, never the count of a filter typed before it."""

from __future__ import annotations

import threading

from jettui.tui.widgets.bulk_table import ListSource

from .host import COLUMNS, TableApp, make_rows, settle


class SlowCounts(ListSource):
    """Counting 't' (the first key typed) hangs until released; other counts are quick."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, make_rows(1000))
        self.release = threading.Event()
        self.counted: list[str] = []

    def count(self, filter_text: str) -> int:
        if filter_text == "t":
            self.release.wait(10)
        self.counted.append(filter_text)
        return super().count(filter_text)


async def test_typing_never_shows_the_count_of_an_older_filter() -> None:
    source = SlowCounts()
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.table
        assert table.status_text.startswith("1,000 rows")
        seen: list[str] = []
        await pilot.press("slash", "t")  # every row matches 't': a full page, so it counts
        await pilot.pause()
        seen.append(table.status_text)
        assert table.status_text.startswith("counting…") and table.row_count is None
        await pilot.press("r", "a", "v")  # "trav": the travel mugs, 333 of them
        for _ in range(50):
            await pilot.pause()
            seen.append(table.status_text)
            if table.row_count is not None:
                break
        assert table.row_count == 333
        source.release.set()  # the count of 't' (1,000) arrives now, late
        await settle(pilot)
        seen.append(table.status_text)
        assert "t" in source.counted  # it was computed...
        assert table.row_count == 333  # ...and not shown
        assert table.status_text.startswith("333 rows")
        assert all(s.startswith(("counting…", "333 rows")) for s in seen), seen
        assert not any("1,000" in s for s in seen)
