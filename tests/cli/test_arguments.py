"""Bad arguments get exit 2 and one line before anything is opened (issue 7 item 12, issue
11): ids beyond 64 bits, a port beyond 65535, `--all` with SKUs in any order."""

from __future__ import annotations

import pytest

from .conftest import WriteSettings, run_jettui

HUGE = str(2**64)
ID_LINE = "an id is a whole number from 0 to 9223372036854775807"


@pytest.mark.parametrize(
    "argv",
    [
        ["categories", "map", HUGE, "--node", "4000188"],
        ["categories", "map", "2", "--node", HUGE],
        ["categories", "map", "2", "--node", "4000188", HUGE],  # an id after the option
        ["categories", "unmap", "2", HUGE],
        ["categories", "create", "--node", HUGE],
        ["categories", "create", "--node", "4000188", "--parent", HUGE],
        ["categories", "create", "--node", "-1"],
    ],
)
def test_ids_beyond_64_bits_are_refused(write_settings: WriteSettings, argv: list[str]) -> None:
    config = write_settings()
    ran = run_jettui(config, *argv)
    assert ran.code == 2
    assert len(ran.lines) == 1 and ID_LINE in ran.lines[0], ran.err
    assert "Traceback" not in ran.err
    assert not (config.parent / "demo-store.db").exists()  # refused before opening anything


@pytest.mark.parametrize("port", ["99999", "65536", "0", "http"])
def test_sandbox_port_out_of_range_is_refused(write_settings: WriteSettings, port: str) -> None:
    ran = run_jettui(write_settings(), "sandbox", "--port", port)
    assert ran.code == 2
    assert len(ran.lines) == 1 and "--port" in ran.lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["upload", "--all", "SKU-1"],
        ["upload", "SKU-1", "--all"],
        ["upload", "SKU-1", "--all", "SKU-2"],
        ["upload", "--all", "--dry-run", "SKU-1", "SKU-2"],
        ["sync", "SKU-1", "--dry-run", "--all"],
        ["upload"],
    ],
)
def test_all_with_skus_is_the_same_line_in_any_order(
    write_settings: WriteSettings, argv: list[str]
) -> None:
    ran = run_jettui(write_settings(), "products", *argv)
    assert ran.code == 2
    assert ran.lines == ["jettui: give --all or one or more SKUs (not both)"]


def test_skus_may_be_split_by_options(write_settings: WriteSettings) -> None:
    """`products upload A --dry-run B` means the SKUs A and B (argparse alone refused B)."""
    config = write_settings()
    ran = run_jettui(config, "products", "upload", "NO-SUCH-1", "--dry-run", "NO-SUCH-2")
    assert ran.code == 2
    assert ran.lines[-1] == "jettui: unknown SKU(s): NO-SUCH-1, NO-SUCH-2; nothing done"
