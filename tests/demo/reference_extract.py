"""Extract jettui/store/data/reference.json from OpenCart's install SQL.

The package cannot read /work/shared at run time, so the reference rows (language, currency,
countries, US zones, statuses, classes, the settings orders need...) ship as JSON. Re-run with
``python tests/demo/reference_extract.py [path/to/opencart.sql]``; ``test_reference.py``
checks that the shipped JSON still matches a fresh extraction.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQL = ROOT.parent / "shared" / "opencart" / "opencart-3.0.sql"
REFERENCE_JSON = ROOT / "jettui" / "store" / "data" / "reference.json"

US_COUNTRY_ID = 223
# Whole tables copied as they are.
TABLES = (
    "language",
    "currency",
    "country",
    "customer_group",
    "customer_group_description",
    "order_status",
    "stock_status",
    "return_status",
    "return_reason",
    "return_action",
    "weight_class",
    "weight_class_description",
    "length_class",
    "length_class_description",
    "tax_class",
    "extension",
)
# Setting groups kept (what addOrder/addOrderHistory, the totals and the admin read).
SETTING_CODES = ("config", "total_", "shipping_flat", "payment_cod", "payment_free_checkout")
# Bulky config rows of no use to jettui.
SETTING_SKIP = {"config_robots", "config_file_ext_allowed", "config_file_mime_allowed"}
# The one value OpenCart computes in SQL: CONCAT('INV-', YEAR(CURDATE()), '-00').
INVOICE_PREFIX_TEMPLATE = "INV-{year}-00"

_INSERT = re.compile(r"^INSERT INTO `oc_(\w+)` \(([^)]*)\) VALUES\s*$", re.M)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "'": "'", '"': '"', "\\": "\\", "/": "/"}


def _parse_values(sql: str, pos: int) -> tuple[list[list[Any]], int]:
    """Parse ``(a, 'b', ...), (...);`` starting at ``pos``; return rows and the end offset."""
    rows: list[list[Any]] = []
    row: list[Any] = []
    i = pos
    while True:
        c = sql[i]
        if c in " \r\n\t,":
            i += 1
        elif c == "(":
            row = []
            i += 1
        elif c == ")":
            rows.append(row)
            i += 1
        elif c == ";":
            return rows, i + 1
        elif c == "'":
            out = []
            i += 1
            while True:
                c = sql[i]
                if c == "\\":
                    out.append(_ESCAPES.get(sql[i + 1], sql[i + 1]))
                    i += 2
                elif c == "'" and sql[i + 1] == "'":
                    out.append("'")
                    i += 2
                elif c == "'":
                    i += 1
                    break
                else:
                    out.append(c)
                    i += 1
            row.append("".join(out))
        elif sql.startswith("CONCAT('INV-', YEAR(CURDATE()), '-00')", i):
            row.append(INVOICE_PREFIX_TEMPLATE)
            i += len("CONCAT('INV-', YEAR(CURDATE()), '-00')")
        else:
            m = re.compile(r"NULL|-?\d+(\.\d+)?").match(sql, i)
            if not m:
                raise ValueError(f"cannot parse SQL value at offset {i}: {sql[i : i + 40]!r}")
            text = m.group(0)
            row.append(None if text == "NULL" else float(text) if m.group(1) else int(text))
            i = m.end()


def parse_inserts(sql: str) -> dict[str, list[dict[str, Any]]]:
    """Every INSERT of the dump as ``{table (no prefix): [row dicts]}``."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for m in _INSERT.finditer(sql):
        columns = [c.strip().strip("`") for c in m.group(2).split(",")]
        rows, _ = _parse_values(sql, m.end())
        tables.setdefault(m.group(1), []).extend(dict(zip(columns, r, strict=True)) for r in rows)
    return tables


def _first_key(row: dict[str, Any]) -> tuple:
    return tuple(v for v in row.values() if isinstance(v, int))


def extract(sql_path: Path = DEFAULT_SQL) -> dict[str, Any]:
    all_rows = parse_inserts(sql_path.read_text(encoding="utf-8"))
    tables = {name: sorted(all_rows[name], key=_first_key) for name in TABLES}
    tables["zone"] = [z for z in all_rows["zone"] if z["country_id"] == US_COUNTRY_ID]
    tables["setting"] = [
        {k: v for k, v in s.items() if k != "setting_id"}
        for s in all_rows["setting"]
        if s["code"].startswith(SETTING_CODES) and s["key"] not in SETTING_SKIP
    ]
    return {
        "_source": (
            "OpenCart 3.0.3.8 upload/install/opencart.sql (GPLv3), extracted by "
            "tests/demo/reference_extract.py; zone holds the US rows only; setting value "
            f"'{INVOICE_PREFIX_TEMPLATE}' is filled in at build time"
        ),
        "tables": tables,
    }


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SQL
    REFERENCE_JSON.write_text(dump(extract(source)), encoding="utf-8")
    print(f"wrote {REFERENCE_JSON}")
