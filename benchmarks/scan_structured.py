"""Structured scan throughput: `breachdesk scan --workers N` on a generated customer table.

Usage: python benchmarks/scan_structured.py [--size-mb 1024] [--workers 2] [--keep]

Generates (once, cached in benchmarks/data/) a customer table of ``--size-mb`` megabytes with 27
mixed columns from ``breachdesk.demodata``, scans it with the real command line in a subprocess,
and prints MB/s, rows/s, peak RSS, column classification against the generator's truth, and the
ratio to Presidio's throughput on a 20,000-row sample of the same table
(``benchmarks/presidio_baseline.py``, cached in benchmarks/results/presidio.json).
Targets (issue 3): >= 50 MB/s with 2 workers on this 2-core machine; >= 1,000x Presidio; every
column right and no non-PII column flagged.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
PRESIDIO = RESULTS / "presidio.json"
BIN = Path(sys.executable).with_name("breachdesk")


def table(size_mb: int) -> tuple[Path, dict[str, str | None], int]:
    """The cached benchmark table, its column truth and row count."""
    from breachdesk.demodata import generate_structured_table

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"customers_{size_mb}mb.csv"
    meta = path.with_suffix(".truth.json")
    if not (path.exists() and meta.exists()):
        started = time.perf_counter()
        truth = generate_structured_table(path, size_mb * 1_000_000, seed=7)
        took = time.perf_counter() - started
        print(f"generated {path.name} in {took:.1f} s ({size_mb / took:.0f} MB/s)")
        meta.write_text(
            json.dumps(
                {
                    "rows": truth.rows,
                    "columns": {
                        c.name: c.element.value if c.element else None for c in truth.columns
                    },
                }
            )
        )
    saved = json.loads(meta.read_text())
    return path, saved["columns"], int(saved["rows"])


def presidio() -> dict[str, Any] | None:
    """Presidio's cached baseline, measuring it first if there is none."""
    if not PRESIDIO.exists():
        script = ROOT / "benchmarks" / "presidio_baseline.py"
        done = subprocess.run([sys.executable, str(script)], check=False)
        if done.returncode != 0 or not PRESIDIO.exists():
            return None
    result: dict[str, Any] = json.loads(PRESIDIO.read_text())
    return result


def scan(path: Path, workers: int) -> tuple[float, dict[str, Any], float]:
    """Run the real CLI; return seconds, its JSON report and the peak RSS (MB) of a child."""
    report = RESULTS / "scan_structured_report.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    cmd = [str(BIN), "scan", str(path), "--workers", str(workers), "--json", str(report)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    data: dict[str, Any] = json.loads(report.read_text())
    return seconds, data["sources"][0], peak_mb


def score(columns: list[dict[str, Any]], truth: dict[str, str | None]) -> dict[str, Any]:
    """Columns classified right, wrong, and non-PII columns flagged."""
    got = {c["name"]: c["element"] for c in columns}
    wrong = {n: {"expected": e, "got": got.get(n)} for n, e in truth.items() if got.get(n) != e}
    flagged = [n for n, e in truth.items() if e is None and got.get(n)]
    return {
        "right": len(truth) - len(wrong),
        "total": len(truth),
        "wrong": wrong,
        "non_pii_flagged": flagged,
    }


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    path, truth, rows = table(args.size_mb)
    seconds, report, peak_mb = scan(path, args.workers)
    size = path.stat().st_size
    mbps, rps = size / seconds / 1e6, rows / seconds
    ours = score(report["columns"], truth)
    base = presidio()
    result: dict[str, Any] = {
        "breachdesk": {
            "bytes": size,
            "rows": rows,
            "seconds": round(seconds, 2),
            "mb_per_s": round(mbps, 2),
            "rows_per_s": round(rps),
            "workers": args.workers,
            "peak_child_rss_mb": round(peak_mb),
            "columns": ours,
        },
        "presidio": None,
    }
    print(
        f"breachdesk scan --workers {args.workers}: {size / 1e6:,.0f} MB, {rows:,} rows in "
        f"{seconds:.1f} s = {mbps:.1f} MB/s, {rps:,.0f} rows/s, peak RSS {peak_mb:,.0f} MB"
    )
    print(
        f"  columns right: {ours['right']}/{ours['total']}; non-PII flagged: "
        f"{ours['non_pii_flagged'] or 'none'}; wrong: {ours['wrong'] or 'none'}"
    )
    if base is not None:
        s = base["structured"]
        ratio = mbps * 1e6 / s["bytes_per_s"]
        result["presidio"] = {
            "bytes_per_s": s["bytes_per_s"],
            "rows_per_s": s["rows_per_s"],
            "rows": s["rows"],
            "score": s["score"],
            "ratio": round(ratio),
        }
        print(
            f"Presidio {base['presidio_version']} ({base['nlp_engine']}), {s['rows']:,} rows: "
            f"{s['bytes_per_s'] / 1e3:.1f} kB/s, {s['rows_per_s']:.0f} rows/s; columns right "
            f"{s['score']['right']}/{s['score']['total']}, non-PII flagged "
            f"{s['score']['non_pii_flagged']}"
        )
        print(f"ratio breachdesk / Presidio (bytes/s): {ratio:,.0f}x")
    else:
        print("Presidio baseline unavailable (see benchmarks/presidio_baseline.py)")
    (RESULTS / "scan_structured.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
