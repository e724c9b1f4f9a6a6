"""Listings go to stdout so they can be piped; progress and messages stay on stderr (issue 11).
With --json the document carries the listing and stdout holds nothing else."""

from __future__ import annotations

import json

from .conftest import WriteSettings, run_jettui


def test_categories_list_prints_rows_on_stdout(write_settings: WriteSettings) -> None:
    config = write_settings()
    assert run_jettui(config, "demo", "--products", "5").code == 0
    ran = run_jettui(config, "categories", "list")
    assert ran.code == 0, ran.err
    rows = ran.out.strip().splitlines()
    assert rows and all("→" in row for row in rows)
    assert ran.err == ""
    as_json = run_jettui(config, "categories", "list", "--json").document
    assert len(as_json["categories"]) == len(rows)


def test_taxonomy_listing_on_stdout_messages_on_stderr(write_settings: WriteSettings) -> None:
    config = write_settings()
    assert run_jettui(config, "demo", "--products", "5").code == 0
    empty = run_jettui(config, "categories", "taxonomy")
    assert empty.code == 0 and empty.out == ""
    assert "taxonomy cache is empty" in empty.err

    refreshed = run_jettui(config, "categories", "taxonomy", "--refresh", "--search", "cookware")
    assert refreshed.code == 0, refreshed.err
    assert "nodes cached" in refreshed.err  # the refresh's message
    assert "Cookware" in refreshed.out and "nodes cached" not in refreshed.out
    assert [line.split()[0] for line in refreshed.out.strip().splitlines()] == ["4000188"]


def test_config_show_is_pipeable_and_json_is_one_document(write_settings: WriteSettings) -> None:
    config = write_settings()
    ran = run_jettui(config, "config", "show")
    assert ran.code == 0
    assert ran.out.startswith(f"# {config}") and "  api_secret: " in ran.out
    assert "jetsecret" not in ran.out + ran.err
    document = json.loads(run_jettui(config, "config", "show", "--json").out)
    assert document["settings"]["jet"]["api_secret"] == "********"
