"""Exact substring counts over a million rows: every row's search text, in memory.

Why in memory: `LIKE '%text%'` cannot use a B-tree index, so an exact count is a scan of
every row on both backends (0.5-0.6 s per keystroke at 100,000 products on MariaDB, ten
times that at a million); MariaDB's FULLTEXT matches words, not substrings, and jettui may
not add indexes to OpenCart's tables anyway. A trigram index of jettui's own would need
about 60 entries a product (hundreds of megabytes at a million) and keeping in step with
every admin edit; the memory copy only needs reloading.

How it is laid out (about 75 bytes a product at a million, instead of about 125 for a list
of strings): one contiguous ``bytes``-like buffer of every row's casefolded UTF-8 text, each
row ended by ``END`` and a tag — the row's number written with bytes 0xF6-0xFF, which never
occur in UTF-8 and so can never be part of what is typed. One regular expression
(``needle [^END]* END (tag)``) then finds every matching row in C: a match consumes the
rest of its row, so there is one match per row, and ``findall`` returns the tags, turned
into row numbers by ``translate``/``split``/``int`` without a Python loop per row. A full
scan costs about as much as ``bytes.find`` over the buffer; narrowing a filter typed one
character further (the keystroke case) joins only the previous matches' rows into a small
buffer and searches that.

A filter matching more than 1/32 of the rows is only counted, not listed: a page of it is
found by searching the rows in the page's order, a chunk at a time, until the page is full
(a common filter fills it within a few chunks). One- and two-byte filters (the first
keystrokes, which match most rows) are not even searched for their count: it comes from
tables of how many rows hold each byte and each byte pair, counted once after the load.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from itertools import chain, compress, islice
from operator import itemgetter

SEPARATOR = "\x1f"  # between a row's fields: a filter never matches across two of them
END = b"\x1e"  # ends a row's text, before its tag
_TAG_BYTES = bytes(range(0xF6, 0x100))  # ten bytes that UTF-8 never uses: the tag's digits
_TAG_DIGITS = bytes.maketrans(_TAG_BYTES, b"0123456789")
_TO_TAG = bytes.maketrans(b"0123456789", _TAG_BYTES)
_CLEAN = {ord(SEPARATOR): " ", ord(END): " "}  # never inside a field's own text
_NEVER_TYPED = frozenset(b"\n" + END + SEPARATOR.encode())
_CACHED = 8  # recent filters kept for narrowing and paging
_NARROW_SHARE = 8  # narrow from an earlier filter's rows when they are at most 1/8 of all
_LAZY_SHARE = 32  # a filter matching more than 1/32 of the rows is counted, not listed
_CHUNK = 4096  # rows searched at a time when paging lazily
_COUNT_SLICE = 20_000  # rows whose bytes and byte pairs are counted at a time


def row_text(fields: Iterable[object]) -> str:
    """One row's search text: its non-empty fields (each once), casefolded."""
    values = (str(v).translate(_CLEAN) for v in fields if v)
    return SEPARATOR.join(dict.fromkeys(values)).casefold()


def _needle(filter_text: str) -> bytes:
    return filter_text.strip().casefold().encode("utf-8", "surrogatepass")


class IndexBuilder:
    """Collects rows (in id order) into a :class:`SearchIndex`."""

    def __init__(self) -> None:
        self.ids: array[int] = array("i")
        self._buffer = bytearray()
        self._starts: array[int] = array("i", [0])

    def add(self, row_id: int, text: str) -> None:
        number = len(self.ids)
        self.ids.append(row_id)
        buffer = self._buffer
        buffer += text.encode("utf-8", "surrogatepass")
        buffer += END
        buffer += str(number).encode().translate(_TO_TAG)
        self._starts.append(len(buffer))

    def build(self) -> SearchIndex:
        """The index, its buffer copied once into an immutable ``bytes`` (a slice of one is a
        single allocation, and threads may read it freely)."""
        buffer = bytes(self._buffer)
        self._buffer = bytearray()
        return SearchIndex(self.ids, buffer, self._starts)


class SearchIndex:
    """Integer row ids (in id order) and their search texts; answers which rows contain a
    needle (case-insensitive), how many, and a page of them in any given row order."""

    def __init__(self, ids: array[int], buffer: bytes, starts: array[int]) -> None:
        self.ids = ids
        self._buffer = buffer
        self._starts = starts  # row i is buffer[starts[i]:starts[i + 1]]
        self._lock = threading.RLock()
        # filter -> its rows, or only how many when they are too many to be worth listing
        self._recent: OrderedDict[bytes, array[int] | int] = OrderedDict()
        # (filter, order, descending) -> its rows found so far in that order, and where the
        # search of the order stopped (-1: every row was searched)
        self._pages: OrderedDict[tuple[bytes, str, bool], tuple[array[int], int]] = OrderedDict()
        self._singles: Counter[int] | None = None  # rows holding each byte
        self._pairs: Counter[tuple[int, int]] | None = None  # rows holding each byte pair

    @classmethod
    def of(cls, rows: Iterable[tuple[int, str]]) -> SearchIndex:
        builder = IndexBuilder()
        for row_id, text in rows:
            builder.add(row_id, text)
        return builder.build()

    def __len__(self) -> int:
        return len(self.ids)

    def count_short_filters(self) -> None:
        """Count, once, the rows holding each byte and each byte pair: the first two
        keystrokes' counts. C loops only, a slice of rows at a time so that their copies
        never add up (a few seconds of a background thread at a million rows)."""
        buffer, starts = self._buffer, self._starts
        singles: Counter[int] = Counter()
        pairs: Counter[tuple[int, int]] = Counter()
        for first in range(0, len(self.ids), _COUNT_SLICE):
            edges = starts[first : first + _COUNT_SLICE + 1]
            rows = list(map(buffer.__getitem__, map(slice, edges, islice(edges, 1, None))))
            singles.update(chain.from_iterable(map(set, rows)))
            tails = map(itemgetter(slice(1, None)), rows)
            pairs.update(chain.from_iterable(map(set, map(zip, rows, tails))))
        with self._lock:
            self._singles, self._pairs = singles, pairs

    def short_counts_ready(self) -> bool:
        return self._pairs is not None

    # -- searching

    @staticmethod
    def _pattern(needle: bytes) -> re.Pattern[bytes]:
        """The needle, then the rest of its row and the row's tag (captured)."""
        return re.compile(re.escape(needle) + rb"[^\x1e]*\x1e([\xf6-\xff]+)")

    def _scan(self, pattern: re.Pattern[bytes], rows: Iterable[int]) -> array[int]:
        """The matching rows among `rows`, in their order: their texts joined and searched."""
        starts, buffer = self._starts, self._buffer
        ends = map(starts.__getitem__, map((1).__add__, rows))
        # `rows` is iterated twice: it must be a sequence (range, array, list)
        pieces = map(buffer.__getitem__, map(slice, map(starts.__getitem__, rows), ends))
        return _rows(pattern.findall(b"".join(pieces)))

    def _found(self, needle: bytes) -> array[int] | int:
        """The needle's rows (ascending), or only their number when they are more than
        1/_LAZY_SHARE of all rows (pages of them are then searched for lazily). Lock held."""
        found = self._recent.get(needle)
        if found is not None:
            self._recent.move_to_end(needle)
            return found
        counted, many = self._short_count(needle), len(self.ids) // _LAZY_SHARE
        if any(byte in _NEVER_TYPED for byte in needle):
            found = array("i")  # never inside one field's text
        elif counted is not None and counted > many:
            found = counted
        else:
            pattern, base = self._pattern(needle), self._narrowing(needle)
            if base is not None:
                found = self._scan(pattern, base)
            else:
                tags = pattern.findall(self._buffer)
                found = len(tags) if len(tags) > many else _rows(tags)
        self._recent[needle] = found
        if len(self._recent) > _CACHED:
            self._recent.popitem(last=False)
        return found

    def _short_count(self, needle: bytes) -> int | None:
        """Rows holding a one- or two-byte needle, from the tables (None: not counted)."""
        if len(needle) == 1 and self._singles is not None:
            return self._singles.get(needle[0], 0)
        if len(needle) == 2 and self._pairs is not None:
            return self._pairs.get((needle[0], needle[1]), 0)
        return None

    def _narrowing(self, needle: bytes) -> array[int] | None:
        """The rows of the smallest listed recent filter this one contains ("cas" ->
        "cast"), when searching only them beats a full scan."""
        bases = [f for key, f in self._recent.items() if key in needle and not isinstance(f, int)]
        if not bases:
            return None
        smallest = min(bases, key=len)
        return smallest if len(smallest) * _NARROW_SHARE <= len(self.ids) else None

    def positions(self, filter_text: str) -> array[int] | None:
        """Row positions (ascending) whose text contains the filter; None = all."""
        needle = _needle(filter_text)
        if not needle:
            return None
        with self._lock:
            found = self._found(needle)
            if isinstance(found, int):  # listed now (select-all, a deep page)
                found = _rows(self._pattern(needle).findall(self._buffer))
                self._recent[needle] = found
            return found

    def count(self, filter_text: str) -> int:
        needle = _needle(filter_text)
        if not needle:
            return len(self.ids)
        with self._lock:
            found = self._found(needle)
        return found if isinstance(found, int) else len(found)

    def matching_ids(self, filter_text: str) -> array[int]:
        found = self.positions(filter_text)
        ids = self.ids
        return array("i", ids) if found is None else array("i", map(ids.__getitem__, found))

    def page(
        self,
        filter_text: str,
        order: array[int] | None,
        order_name: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[int]:
        """Row positions offset..offset+limit-1 of the matching rows, in `order` (row
        positions; None = id order) or its exact reverse. `order_name` names the order for
        the cache of rows already found in it."""
        needle = _needle(filter_text)
        if not needle:
            rows: Sequence[int] = range(len(self.ids)) if order is None else order
            return _slice(rows, descending, offset, limit)
        with self._lock:
            found = self._found(needle)
            if isinstance(found, int):
                rows = self._lazy_page(needle, order, order_name, descending, offset + limit)
                return list(rows[offset : offset + limit])
            rows = self._in_order(needle, found, order, order_name)
            return _slice(rows, descending, offset, limit)

    def _in_order(
        self, needle: bytes, found: array[int], order: array[int] | None, order_name: str
    ) -> array[int]:
        """The matching rows in `order` (cached per filter and order)."""
        if order is None:
            return found
        key = (needle, order_name, False)
        cached = self._pages.get(key)
        if cached is not None and cached[1] < 0:  # complete
            self._pages.move_to_end(key)
            return cached[0]
        wanted = bytearray(len(self.ids))
        for row in found:
            wanted[row] = 1
        in_order = array("i", compress(order, map(wanted.__getitem__, order)))
        self._remember(key, in_order, -1)
        return in_order

    def _lazy_page(
        self,
        needle: bytes,
        order: array[int] | None,
        order_name: str,
        descending: bool,
        wanted: int,
    ) -> array[int]:
        """At least the first `wanted` matching rows in the order (or its reverse), searching
        it a chunk at a time from where the last call stopped."""
        key = (needle, order_name, descending)
        found, done = self._pages.get(key, (array("i"), 0))
        total = len(self.ids) if order is None else len(order)
        pattern = self._pattern(needle)
        while len(found) < wanted and 0 <= done < total:
            stop = min(done + _CHUNK, total)
            if order is None and not descending:  # a stretch of the buffer as it is
                first, last = self._starts[done], self._starts[stop]
                found.extend(_rows(pattern.findall(self._buffer, first, last)))
            else:
                rows: Sequence[int] = range(total) if order is None else order
                part = rows[total - stop : total - done][::-1] if descending else rows[done:stop]
                found.extend(self._scan(pattern, part))
            done = stop
        self._remember(key, found, done if done < total else -1)
        return found

    def _remember(self, key: tuple[bytes, str, bool], rows: array[int], done: int) -> None:
        self._pages[key] = (rows, done)
        self._pages.move_to_end(key)
        while len(self._pages) > _CACHED:
            self._pages.popitem(last=False)

    def forget_recent(self) -> None:
        """Drop the filters remembered for narrowing and paging (benchmarks: a cold search)."""
        with self._lock:
            self._recent.clear()
            self._pages.clear()


def _rows(tags: list[bytes]) -> array[int]:
    """Tags (row numbers written in 0xF6-0xFF digits) -> row numbers, without a Python loop."""
    if not tags:
        return array("i")
    return array("i", map(int, b" ".join(tags).translate(_TAG_DIGITS).split()))


def _slice(rows: Sequence[int], descending: bool, offset: int, limit: int) -> list[int]:
    """rows[offset:offset + limit], counted from the end when descending (reversed)."""
    if not descending:
        return list(rows[offset : offset + limit])
    stop = max(len(rows) - offset, 0)
    return list(reversed(rows[max(stop - limit, 0) : stop]))
