"""Memory trimming between parts: glibc ``malloc_trim`` through ctypes (no-op elsewhere)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any


@functools.cache
def _libc() -> Any:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def trim_heap() -> None:
    """Hand the memory a finished part freed back to the system (glibc ``malloc_trim``).
    glibc keeps freed blocks mapped, and a part's big buffers (bulk files, their JSON) are
    freed amid small objects that outlive them: without this a 100,000-product run's resident
    memory creeps up part after part although the objects it holds do not. No-op elsewhere."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)
