"""Reading and editing settings.yaml safely (ruamel.yaml).

- **Reading** takes at most :data:`MAX_SETTINGS_BYTES` from a regular file: ``--config
  /dev/zero`` or a FIFO must not hang or fill memory, and ``/dev/null`` is not a settings
  file. Files the settings point at (``jet.api_secret_file``) go through the same reader.
- **Loading** refuses a key given twice (YAML's usual "the later one wins" silently reset
  settings), aliases standing for mappings or lists (the "billion laughs" bomb: a few lines
  that expand to millions of values) and nesting deeper than a settings file ever needs.
- **Editing** round-trips the file: comments, key order, quoting and flow style
  (``jet: {api_url: ..., api_user: ...}``) stay as the merchant wrote them; only the changed
  values are replaced or added. (A regex editor used to append a second ``jet:`` block to a
  flow-style section, and the later block silently won.)

Problems are :class:`YamlProblem` with one short line; none prints a value at length.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections import deque
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_SETTINGS_BYTES = 32 * 1024  # the shipped, commented file is 3 kB; the parser is pure Python
MAX_SECRET_BYTES = 64 * 1024
MAX_DEPTH = 6  # sections (1) → settings (2) → tui.keymap entries (3); more is a mistake
MAX_CONTAINERS = 1_000
MAX_FLOW_DEPTH = 50  # refused before parsing; the parser's recursion is slow to fail


class YamlProblem(Exception):
    """One line saying why the text or file cannot be used (without the file's name)."""


def read_small_text(path: Path, max_bytes: int) -> str:
    """The UTF-8 text of the regular file ``path``, refusing anything else or anything
    bigger than ``max_bytes``. Raises :class:`OSError` (missing, no permission) or
    :class:`YamlProblem`."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise YamlProblem(f"{_kind(mode)}, not a regular file")
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise YamlProblem(f"larger than {max_bytes // 1024} kB: not a settings or secret file")
    if b"\0" in data:
        raise YamlProblem("a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"not UTF-8 text (byte {exc.start + 1})") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def load_yaml(text: str) -> Any:
    """Plain Python data (dict, list, str, int, float, bool, None) from ``text``."""
    if _flow_depth(text) > MAX_FLOW_DEPTH:
        raise YamlProblem("not a settings file: nested far too deeply")
    loader = YAML(typ="safe", pure=True)
    data = _parse(loader, text)
    _check_shape(data)
    return data


def _flow_depth(text: str) -> int:
    """How deep flow collections (``[``/``{`` where YAML opens one: after ``:``, ``-``, ``,``,
    another bracket or at a line's start) nest, quotes and comments skipped: a cheap look
    before the parser, whose recursion takes seconds to fail on ``[[[[...``."""
    depth = deepest = 0
    quote = ""
    previous = "\n"  # the last character that was not a space
    in_comment = False
    for char in text:
        if in_comment:
            in_comment = char != "\n"
        elif quote:
            if char == quote:
                quote = ""
        elif char in " \t":
            continue
        elif char in "\"'" and previous in "\n[{,:-":
            quote = char
        elif char == "#":
            in_comment = True
        elif char in "[{" and (previous in "\n:-" or (depth and previous in "[{,")):
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
        previous = char
    return deepest


def _parse(loader: YAML, text: str) -> Any:
    try:
        return loader.load(text)
    except DuplicateKeyError as exc:
        raise YamlProblem(_duplicate_line(exc)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = _cut(exc.problem or exc.context or "invalid YAML")
        raise YamlProblem(f"not valid YAML{where}: {problem}") from None
    except YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {_cut(str(exc).splitlines()[0])}") from None
    except RecursionError:
        raise YamlProblem("not a settings file: nested far too deeply") from None


def _duplicate_line(exc: DuplicateKeyError) -> str:
    match = re.search(r'found duplicate key "(.*?)" with value', exc.problem or "", re.S)
    key = _cut(match.group(1), 40) if match else "a key"
    mark = exc.problem_mark
    where = f"line {mark.line + 1}: " if mark else ""
    return f"{where}'{key}' is given twice (the later one would silently win): keep one"


def _cut(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_shape(data: Any) -> None:
    """Refuse alias bombs and deep nesting before anything walks or prints the data."""
    seen: set[int] = set()
    queue: deque[tuple[Any, int]] = deque([(data, 1)])
    while queue:  # breadth first: an alias is met again before the walk goes deep
        value, depth = queue.popleft()
        if not isinstance(value, dict | list):
            continue
        if id(value) in seen:
            raise YamlProblem(
                "uses a YAML alias (*name) for a mapping or list: write the values out"
            )
        seen.add(id(value))
        if depth > MAX_DEPTH or len(seen) > MAX_CONTAINERS:
            raise YamlProblem("not a settings file: nested too deeply or far too large")
        items = value.values() if isinstance(value, dict) else value
        queue.extend((item, depth + 1) for item in items)


# --- editing --------------------------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, order, flow style
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long value onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def set_values(text: str, changes: dict[tuple[str, str], Any]) -> str:
    """``text`` with ``section.key`` set to each value, everything else as written.

    Values must be plain (str, int, float, bool). A missing section is appended; an empty one
    (``log:``) gets its first key.
    """
    yaml = _round_trip()
    data = _parse(yaml, text)
    if data is None:
        data = CommentedMap()
    if not isinstance(data, dict):
        raise YamlProblem("must be a mapping of sections (jet:, store:, ...)")
    for (section, key), value in changes.items():
        block = data.get(section)
        if block is None:
            block = CommentedMap()
            data[section] = block
        if not isinstance(block, dict):
            raise YamlProblem(f"{section}: must be a mapping of settings")
        block[key] = _plain(value)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """45.0 is written 45 (the loader reads a whole number as a number setting)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
