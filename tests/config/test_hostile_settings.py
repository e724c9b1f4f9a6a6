"""Hostile or broken settings: refused quickly with one short line each, never a traceback,
a hang or a memory blow-up (issue 7, item 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jettui.config import SettingsError, load_settings, parse_settings

REPO = Path(__file__).parents[2]
PASSWORD = "Zq9-secret-pw"


def alias_bomb(levels: int = 8) -> str:
    """The "billion laughs": each level lists the previous one nine times (9**8 values)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\njet:\n  api_user: *a{levels}\n"


def problems_of(text: str, tmp_path: Path) -> list[str]:
    started = time.monotonic()
    with pytest.raises(SettingsError) as caught:
        parse_settings(text, tmp_path / "settings.yaml")
    assert time.monotonic() - started < 2.0
    for problem in caught.value.problems:
        assert len(problem) < 400, problem[:500]
        assert "\n" not in problem
    return caught.value.problems


def one_problem(text: str, tmp_path: Path) -> str:
    problems = problems_of(text, tmp_path)
    assert len(problems) == 1, problems
    return problems[0]


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    assert "alias" in one_problem(alias_bomb(), tmp_path)


def test_an_alias_inside_a_section_is_refused_too(tmp_path: Path) -> None:
    text = "jet: &j {api_user: a}\ntui:\n  keymap: &k {help: f1}\nlog: {enabled: true}\n" + (
        "x: *k\n"
    )
    assert "alias" in one_problem(text, tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "jet: " + "[" * 15_000 + "]" * 15_000 + "\n",
        "jet:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 400)),
    ],
    ids=["flow", "block"],
)
def test_very_deep_nesting_is_refused(tmp_path: Path, text: str) -> None:
    assert "nested" in one_problem(text, tmp_path) or "must be" in one_problem(text, tmp_path)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("jet:\n  timeout_seconds: .nan", "jet.timeout_seconds: must be a finite number"),
        ("jet:\n  timeout_seconds: .inf", "jet.timeout_seconds: must be a finite number"),
        ("jet:\n  timeout_seconds: 1e400", "jet.timeout_seconds: must be a finite number"),
        ("pricing:\n  increment_amount: -.inf", "pricing.increment_amount: must be a finite"),
        ("store:\n  store_id: 123456789012345678901234", "store.store_id: must be at most"),
        ("store:\n  language_id: 99999999999", "store.language_id: must be at most"),
        ("sandbox:\n  token_lifetime_seconds: 99999999999999", "token_lifetime_seconds: must be at most"),
        ("jet:\n  concurrency: 100000000", "jet.concurrency: must be at most 64"),
        ("store:\n  database: mysql://u:p@[::1/opencart", "store.database: 'mysql://u:***@[::1/opencart' is not a valid URL"),
        ("store:\n  database: mysql://u:p@127.0.0.1:99999/oc", "store.database: "),
        ("jet:\n  api_url: https://merchant-api.jet.com:99999/api", "jet.api_url: "),
        ("store:\n  database: sqlite:///shop#2.db", "'#' is not supported"),
        ("store:\n  database: sqlite:///shop?mode=ro.db", "'?' or '#'"),
        ("jet:\n  email: " + "x" * 30_000, "jet.email: 'xxxxx"),
        ("jet:\n  api_user: [" + ", ".join(["1"] * 3_000) + "]", "jet.api_user: must be text, not a list"),
    ],
    ids=[
        "nan-timeout", "inf-timeout", "1e400-timeout", "inf-increment", "store-id-beyond-64-bits",
        "language-id-huge", "huge-token-lifetime", "concurrency-huge", "unclosed-ipv6",
        "db-port-99999", "api-port-99999", "sqlite-hash", "sqlite-question-mark", "huge-text",
        "huge-list",
    ],
)  # fmt: skip
def test_bad_value_is_one_short_line(tmp_path: Path, line: str, fragment: str) -> None:
    assert fragment in one_problem(line + "\n", tmp_path)


def test_passwords_in_bad_database_urls_are_never_shown(tmp_path: Path) -> None:
    for url in (
        f"mysql://shop:{PASSWORD}@[::1/opencart",
        f"mysql://shop:{PASSWORD}@127.0.0.1:99999/oc",
        f"mysql://shop:{PASSWORD}/x@127.0.0.1/oc",
        f"mysql://shop@127.0.0.1:99999/oc?password={PASSWORD}",
    ):
        problem = one_problem(f"store:\n  database: {url}\n", tmp_path)
        assert PASSWORD not in problem and "store.database" in problem


def write(tmp_path: Path, text: str, name: str = "settings.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_not_a_settings_file(device: str) -> None:
    started = time.monotonic()
    with pytest.raises(SettingsError) as caught:
        load_settings(device)
    assert time.monotonic() - started < 1.0
    (problem,) = caught.value.problems
    assert "not a settings file" in problem and "not a regular file" in problem


def test_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "settings.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(SettingsError) as caught:
        load_settings(fifo)
    assert time.monotonic() - started < 1.0
    assert "a pipe, not a regular file" in caught.value.problems[0]


def test_a_huge_settings_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = write(tmp_path, "# " + "x" * 5_000_000 + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert "larger than" in caught.value.problems[0]


@pytest.mark.parametrize(
    ("secret_file", "fragment"),
    [
        ("/dev/zero", "not a regular file"),
        ("binary.bin", "a binary file"),
        ("latin1.txt", "not UTF-8"),
        ("big.txt", "larger than"),
    ],
)
def test_unusable_secret_file_is_one_line(tmp_path: Path, secret_file: str, fragment: str) -> None:
    (tmp_path / "binary.bin").write_bytes(b"\x7fELF\x00\x01\x02")
    (tmp_path / "latin1.txt").write_bytes("s\xe9cret".encode("latin-1"))
    (tmp_path / "big.txt").write_bytes(b"s" * 200_000)
    path = write(tmp_path, f"jet:\n  api_secret_file: {secret_file}\n")
    started = time.monotonic()
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert time.monotonic() - started < 1.0
    (problem,) = caught.value.problems
    assert "jet.api_secret_file" in problem and fragment in problem


def test_sqlite_file_name_is_used_literally_by_the_store(tmp_path: Path) -> None:
    """Should a '#' reach the store anyway (not through settings), it opens exactly that file."""
    from jettui.store.db import open_database

    db = open_database(f"sqlite:///{tmp_path}/shop#2.db")
    db.close()
    assert (tmp_path / "shop#2.db").exists()
    assert not (tmp_path / "shop").exists()


# --- through the command line: exit 2, one line, quickly -------------------------------------


def run_check(config: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("JETTUI_JET_API_SECRET", None)
    return subprocess.run(
        [sys.executable, "-m", "jettui.cli", "--config", config, "config", "check"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
        env=env,
    )


@pytest.mark.parametrize(
    "case", ["dev-zero", "dev-null", "fifo", "alias-bomb", "deep-nesting", "duplicate-section"]
)
def test_config_check_refuses_in_one_line(tmp_path: Path, case: str) -> None:
    config = str(tmp_path / "settings.yaml")
    if case == "dev-zero":
        config = "/dev/zero"
    elif case == "dev-null":
        config = "/dev/null"
    elif case == "fifo":
        os.mkfifo(config)
    elif case == "alias-bomb":
        write(tmp_path, alias_bomb())
    elif case == "deep-nesting":
        write(tmp_path, "jet: " + "{a: " * 6_000 + "1" + "}" * 6_000 + "\n")
    else:
        write(tmp_path, "jet:\n  api_user: a\nlog:\n  enabled: true\njet:\n  api_user: b\n")
    started = time.monotonic()
    done = run_check(config, tmp_path)
    elapsed = time.monotonic() - started
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1, lines[:5]
    assert len(lines[0]) < 400
    assert "Traceback" not in done.stderr
    assert elapsed < 10  # a second or two of work plus the interpreter's start
    assert not Path("/dev/demo-store.db").exists()


def test_braces_inside_a_plain_value_are_not_nesting(tmp_path: Path) -> None:
    """The quick depth look must not refuse a secret that merely contains brackets."""
    path = write(tmp_path, "jet:\n  api_secret: ab{{{{{{{{{{[[[[[[[[[[cd\n")
    assert load_settings(path).jet.api_secret.reveal() == "ab{{{{{{{{{{[[[[[[[[[[cd"
