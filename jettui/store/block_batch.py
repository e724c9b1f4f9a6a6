"""Rows a thread keeps while a block runs and writes, together, when the block ends.

The order import writes one event row and one ``done`` mark per order; on MariaDB each is a
round trip. Inside a block they are kept on the thread and written at its end with one
statement (or a few), whether the block ends normally or not. Nested blocks on the same thread
join the outermost one. When the block failed, its own error wins over a failing write (the
write's rows are only ever a record or a mark the next run can recover: see each user)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Batch = TypeVar("Batch")


class BlockBatch(Generic[Batch]):
    def __init__(self, new: Callable[[], Batch], write: Callable[[Batch], None]) -> None:
        self._local = threading.local()
        self._new = new
        self._write = write

    def current(self) -> Batch | None:
        """This thread's batch inside a block; None outside (write the row now)."""
        return getattr(self._local, "batch", None)

    @contextlib.contextmanager
    def block(self) -> Iterator[None]:
        if self.current() is not None:  # nested: the outermost block writes
            yield
            return
        batch = self._local.batch = self._new()
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            self._local.batch = None
            try:
                self._write(batch)
            except Exception:
                if not failed:  # the block's own error wins over the batch's
                    raise
