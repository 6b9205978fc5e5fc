"""Log investigation throughput: parse, ingest and Sigma detection over generated access logs.

Usage: python benchmarks/logs.py [--lines 5000000] [--rules DIR]... [--baseline-lines 1000000]
                                 [--no-ingest] [--seed 7]

Generates ``--lines`` combined-format access-log lines (benign traffic with SQL injection, path
traversal and scanner requests sprinkled in) into a temporary file, then measures:

1. parse: the Apache parser over the file, lines/s (events counted, nothing kept);
2. ingest: ``logs ingest`` into a throwaway SQLite workspace (evidence, parse, batched inserts),
   lines/s; skipped with ``--no-ingest``;
3. detection: the shipped rules plus the SigmaHQ web rules (``../shared/data/sigma/rules/web``
   when present, or ``--rules``) compiled to polars and evaluated over the incident's event frame
   read back from the store, lines/s; the built-in analytics are timed on their own;
4. baseline: pySigma's SQLite backend (what Zircolite uses) converting the same rules to SQL and
   running each query over a SQLite table of the same events (Sigma field names as columns,
   ``COLLATE NOCASE`` like Zircolite, the raw line as the full-text column for keyword rules),
   over the first ``--baseline-lines`` events; lines/s; table loading is not timed.

Prints the ratio detection/baseline over the rules both convert, per-rule match counts that
differ between the two, and peak RSS. Targets (issue 8): parse >= 200,000 lines/s, detection
>= 5x the baseline.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory
from breachdesk.bootstrap import init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.services.logs import IngestOptions
from breachdesk.timeline.analytics import analytics
from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.parsers.access import ApacheParser
from breachdesk.timeline.parsers.base import ParseOptions
from breachdesk.timeline.sigma import RuleSet, evaluate, load_rules
from breachdesk.timeline.sigma.engine import frame_of

SHARED_WEB = Path(__file__).resolve().parents[2] / "shared" / "data" / "sigma" / "rules" / "web"
CHUNK = 1_000_000
PAGES = [
    "/",
    "/products",
    "/cart",
    "/help",
    "/static/app.js",
    "/static/site.css",
    "/img/logo.png",
    "/search?q=shoes",
    "/search?q=gift+card",
    "/account",
]
ATTACKS = [
    "/search?q=1%27%20UNION%20SELECT%20username,password%20FROM%20users--",
    "/products?id=1%27+or+1%3d1--",
    "/download?file=../../../../etc/passwd",
    "/static/..%2f..%2f..%2fwindows/win.ini",
    "/index.php?page=php://filter/convert.base64-encode/resource=index",
    "/api/customers/C0000042",
]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15",
    "curl/8.5.0",
]
SCANNERS = ["sqlmap/1.8.11#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0)"]
# The Sigma web taxonomy columns the baseline table carries (Zircolite flattens events so).
SQL_COLUMNS = [
    "c-ip",
    "cs-method",
    "c-uri",
    "cs-uri-stem",
    "cs-uri-query",
    "sc-status",
    "c-useragent",
    "cs-user-agent",
    "cs-host",
    "cs-referer",
    "cs-username",
    "raw",
]


def generate(path: Path, lines: int, seed: int) -> None:
    """Write ``lines`` access-log lines, one in 1,000 an attack, in time order."""
    rng = np.random.default_rng(seed)
    start = int(datetime(2026, 11, 19, tzinfo=UTC).timestamp())
    with path.open("w", encoding="utf-8") as fh:
        for offset in range(0, lines, CHUNK):
            n = min(CHUNK, lines - offset)
            attack = rng.random(n) < 0.001
            seconds = start + (np.arange(offset, offset + n) * 86_400) // max(lines, 1)
            url = np.where(attack, rng.choice(ATTACKS, n), rng.choice(PAGES, n))
            agent = np.where(
                attack & (rng.random(n) < 0.5), rng.choice(SCANNERS, n), rng.choice(AGENTS, n)
            )
            frame = pl.DataFrame(
                {
                    "ip": np.where(
                        attack,
                        "203.0.113." + rng.integers(1, 9, n).astype(str),
                        "198.51.100." + rng.integers(1, 255, n).astype(str),
                    ),
                    "t": pl.Series(seconds * 1_000_000).cast(pl.Datetime("us", "UTC")),
                    "url": url,
                    "status": np.where(rng.random(n) < 0.03, "404", "200"),
                    "size": rng.integers(200, 20_000, n).astype(str),
                    "agent": agent,
                }
            )
            text = frame.select(
                pl.concat_str(
                    "ip",
                    pl.lit(" - - ["),
                    pl.col("t").dt.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                    pl.lit('] "GET '),
                    "url",
                    pl.lit(' HTTP/1.1" '),
                    "status",
                    pl.lit(" "),
                    "size",
                    pl.lit(' "-" "'),
                    "agent",
                    pl.lit('"'),
                )
            ).to_series()
            fh.write("\n".join(text.to_list()))
            fh.write("\n")


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_parse(path: Path) -> tuple[int, float]:
    """Events parsed and seconds."""
    began = time.perf_counter()
    count = 0
    with path.open("rb") as stream:
        for item in ApacheParser().parse(stream, path.name, ParseOptions()):
            count += isinstance(item, LogEvent)
    return count, time.perf_counter() - began


def ingest(path: Path, home: Path) -> tuple[pl.DataFrame, float]:
    """Ingest into a throwaway workspace; the incident's event frame and the ingest seconds."""
    settings = Settings(home=home, database_url=None, actor="bench", key=None)
    init_workspace(settings)
    ws = open_workspace(settings)
    try:
        incident = ws.cases.open_incident(
            IncidentDraft("bench", datetime(2026, 11, 20, tzinfo=UTC)), actor="bench"
        ).id
        began = time.perf_counter()
        ws.logs.ingest(incident, [path], IngestOptions(format="apache"), actor="bench")
        seconds = time.perf_counter() - began
        with SqlUnitOfWorkFactory(ws.engine)() as uow:
            frame = uow.logs.events_frame(incident)
        return frame, seconds
    finally:
        ws.close()


def parse_frame(path: Path) -> pl.DataFrame:
    """The event frame built directly from parsed events (``--no-ingest``)."""
    parts = []
    with path.open("rb") as stream:
        batch: list[LogEvent] = []
        for item in ApacheParser().parse(stream, path.name, ParseOptions()):
            if isinstance(item, LogEvent):
                batch.append(item)
            if len(batch) == 200_000:
                parts.append(frame_of(batch))
                batch = []
        parts.append(frame_of(batch))
    frame = pl.concat(parts)
    return frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("id"))


def sql_table(frame: pl.DataFrame) -> sqlite3.Connection:
    """An in-memory SQLite table of the events under Sigma field names (not timed)."""
    conn = sqlite3.connect(":memory:")
    cols = ", ".join(f'"{c}" TEXT COLLATE NOCASE' for c in SQL_COLUMNS)
    conn.execute(f"CREATE TABLE logs (id INTEGER, {cols})")
    target = pl.col("target").fill_null("")
    sources = [
        pl.col("src_ip"),
        pl.col("action"),
        target,
        target.str.split("?").list.first(),
        target.str.splitn("?", 2).struct.field("field_1"),
        pl.col("status"),
        pl.col("user_agent"),
        pl.col("user_agent"),
        pl.col("host"),
        pl.col("fields").str.json_path_match("$.referer"),
        pl.col("user"),
        pl.concat_str(
            ["src_ip", "action", "target", "status", "user_agent"], separator=" ", ignore_nulls=True
        ),
    ]
    rows = frame.select("id", *(e.alias(c) for e, c in zip(sources, SQL_COLUMNS, strict=True)))
    marks = ", ".join("?" for _ in range(len(SQL_COLUMNS) + 1))
    conn.executemany(f"INSERT INTO logs VALUES ({marks})", rows.iter_rows())  # noqa: S608
    return conn


def baseline(
    conn: sqlite3.Connection, rule_files: list[tuple[str, str]]
) -> tuple[dict[str, int], float, list[str]]:
    """Per rule id: rows matched by pySigma's SQLite queries; seconds; rules it cannot convert."""
    from sigma.backends.sqlite import sqliteBackend
    from sigma.collection import SigmaCollection

    backend = sqliteBackend(fulltext_field="raw")
    queries: dict[str, list[str]] = {}
    refused: list[str] = []
    for rule_id, text in rule_files:
        try:
            queries[rule_id] = backend.convert(SigmaCollection.from_yaml(text))
        except Exception:  # the backend's own errors: counted as not converted
            refused.append(rule_id)
    counts: dict[str, int] = {}
    began = time.perf_counter()
    for rule_id, sqls in queries.items():
        counts[rule_id] = sum(len(conn.execute(q).fetchall()) for q in sqls)
    return counts, time.perf_counter() - began, refused


def rule_texts(rules: RuleSet, folders: list[Path]) -> list[tuple[str, str]]:
    """``(rule id, YAML)`` of every compiled rule, for the baseline converter."""
    from breachdesk.timeline.sigma.registry import builtin_rules

    texts: dict[str, str] = {}
    roots: list[Any] = [builtin_rules(), *folders]
    wanted = {r.id for r in rules.rules if r.scope.family == "web"}

    def walk(node: Any) -> None:
        for entry in node.iterdir():
            if entry.is_dir():
                walk(entry)
            elif entry.name.endswith(".yml"):
                text = entry.read_text(encoding="utf-8")
                doc = yaml.safe_load(text)
                if isinstance(doc, dict) and str(doc.get("id")) in wanted:
                    texts[str(doc["id"])] = text

    for root in roots:
        walk(root)
    return sorted(texts.items())


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--rules", type=Path, action="append", default=[])
    ap.add_argument("--baseline-lines", type=int, default=1_000_000)
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    folders = args.rules or ([SHARED_WEB] if SHARED_WEB.is_dir() else [])
    with tempfile.TemporaryDirectory(prefix="bd-logs-bench-") as tmp:
        log = Path(tmp) / "access.log"
        began = time.perf_counter()
        generate(log, args.lines, args.seed)
        print(
            f"generated {args.lines:,} lines ({log.stat().st_size / 1e6:,.0f} MB) in "
            f"{time.perf_counter() - began:.1f} s"
        )
        events, parse_s = time_parse(log)
        print(f"parse:     {events:,} events in {parse_s:.1f} s = {events / parse_s:,.0f} lines/s")
        if args.no_ingest:
            frame = parse_frame(log)
        else:
            frame, ingest_s = ingest(log, Path(tmp) / "ws")
            print(
                f"ingest:    {frame.height:,} events in {ingest_s:.1f} s = "
                f"{frame.height / ingest_s:,.0f} lines/s (evidence, parse, store)"
            )
        log.unlink()
        loaded = load_rules(folders)
        rules = RuleSet(tuple(r for r in loaded.rules if r.scope.family == "web"), loaded.problems)
        print(
            f"rules:     {len(rules.rules)} web rules compiled from the shipped set + "
            f"{', '.join(map(str, folders)) or 'nothing else'} ({len(rules.problems)} other "
            "rules not evaluated)"
        )
        texts = rule_texts(rules, folders)
        sample = frame.head(args.baseline_lines)
        conn = sql_table(sample)
        base_counts, base_s, refused = baseline(conn, texts)
        conn.close()
        common = RuleSet(tuple(r for r in rules.rules if r.id in base_counts), ())
        began = time.perf_counter()
        matches = evaluate(frame, common)
        ours_s = time.perf_counter() - began
        began = time.perf_counter()
        evaluate(frame, rules)
        all_s = time.perf_counter() - began
        began = time.perf_counter()
        found = analytics(frame)
        analytics_s = time.perf_counter() - began
        sample_matches = {m.rule.id: m.count for m in evaluate(sample, common)}
        ours_rate = frame.height / ours_s
        base_rate = sample.height / base_s
        print(
            f"detection: {len(common.rules)} rules both convert over {frame.height:,} events in "
            f"{ours_s:.2f} s = {ours_rate:,.0f} lines/s; all {len(rules.rules)} rules "
            f"{frame.height / all_s:,.0f} lines/s; {sum(m.count for m in matches):,} matches"
        )
        print(
            f"analytics: {len(found)} detections in {analytics_s:.2f} s = "
            f"{frame.height / analytics_s:,.0f} lines/s"
        )
        print(
            f"baseline:  pySigma SQLite backend, {len(base_counts)} rules ({len(refused)} "
            f"refused) over {sample.height:,} events in {base_s:.2f} s = "
            f"{base_rate:,.0f} lines/s"
        )
        differ = {
            k: (sample_matches.get(k, 0), v)
            for k, v in base_counts.items()
            if sample_matches.get(k, 0) != v
        }
        print(
            f"agreement: {len(base_counts) - len(differ)}/{len(base_counts)} rules match the "
            f"same number of events on the baseline sample; differing (ours, baseline): "
            f"{differ or 'none'}"
        )
        print(f"ratio:     detection is {ours_rate / base_rate:.1f}x the baseline")
        print(f"peak RSS:  {rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
