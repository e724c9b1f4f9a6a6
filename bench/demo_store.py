"""Benchmark ``build_demo_store``: wall time and peak memory per catalog size.

    python bench/demo_store.py                    # 1k, 10k and 100k products, SQLite, temp dir
    python bench/demo_store.py 5000 50000         # other sizes
    python bench/demo_store.py --url mysql://user:pass@127.0.0.1:33306/empty_db 10000

Each size runs in a fresh Python process, so "peak RSS" is that build's own high-water mark
(``ru_maxrss``); "imports" is the process's RSS before the build started. The target is
100,000 products in under a minute on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1_000, 10_000, 100_000)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(url: str, products: int) -> None:
    sys.path.insert(0, str(ROOT))
    from jettui.store.demo import build_demo_store

    before = _rss_mb()
    started = time.perf_counter()
    stats = build_demo_store(url, products)
    seconds = time.perf_counter() - started
    path = Path(url.partition(":///")[2]) if url.startswith("sqlite") else None
    print(
        json.dumps(
            {
                "seconds": seconds,
                "imports_mb": before,
                "peak_mb": _rss_mb(),
                "file_mb": path.stat().st_size / 2**20 if path else None,
                "option_values": stats.option_values,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--url", help="an empty database (or an earlier demo store) to build into")
    parser.add_argument("--child", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    print(
        f"{'products':>9} {'seconds':>8} {'products/s':>11} {'peak RSS':>9} {'imports':>8} {'file':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="jettui-bench-") as tmp:
        for size in args.sizes:
            url = args.url or f"sqlite:///{Path(tmp) / f'demo-{size}.db'}"
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, str(size)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            file = f"{r['file_mb']:6.1f}MB" if r["file_mb"] is not None else "       -"
            print(
                f"{size:>9,} {r['seconds']:>8.2f} {size / r['seconds']:>11,.0f} "
                f"{r['peak_mb']:>7.0f}MB {r['imports_mb']:>6.0f}MB {file}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
