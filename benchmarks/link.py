"""Linking throughput: 1,000,000 leaked records against 1,000,000 customers.

Usage: python benchmarks/link.py [--customers 1000000] [--records 1000000] [--workers 2]

Generates (once, cached in benchmarks/data/link-<customers>-<records>/) a customer master in
Parquet made of ``breachdesk.demodata`` people, and the record keys a scan of several leaked
sources would store: users (username, email, phone), an order export (email, phone, SSN; several
orders per customer), an API dump (customer id, email, phone) and people who are not customers,
some of them in two sources. Values carry the generator's noise (case, stray spaces, national
phone formats, missing values, typos). Leaked values are normalised with
``breachdesk.discovery.normalize`` and keyed-hashed with ``FieldCipher`` exactly as ``scan`` does.

The measured run happens in a fresh process: load the master, hash its key columns (distinct
values only, spread over ``--workers`` processes), link, build the manifest. It prints wall time
per stage, peak RSS (linking process and hashing workers), precision and recall against the
generator's truth, and the ratio to a straightforward pandas merge on the same hashed keys.
Targets (issue 4): < 60 s, < 4 GB RSS, precision >= 0.999, recall >= 0.99.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from random import Random
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
KEY = bytes(range(32))  # a fixed benchmark key, so cached leaked hashes stay valid
KEYS = ["customer_id", "email", "phone", "ssn", "username"]
CHUNK = 20_000
_CIPHER: Any = None


def _init_worker() -> None:
    global _CIPHER  # noqa: PLW0603 - one cipher per worker process
    from breachdesk.adapters.crypto import FieldCipher

    _CIPHER = FieldCipher(KEY)


def _normalise(kind: str, raw: str) -> str:
    from breachdesk.core.element import DataElement
    from breachdesk.discovery.normalize import normalize

    if kind == "customer_id":
        return " ".join(raw.split())
    return normalize(DataElement(kind), raw)


def _hash_chunk(task: tuple[str, list[str], bool]) -> list[str | None]:
    """Normalise (unless done already) and keyed-hash one chunk of values of one kind."""
    kind, values, normalised = task
    out: list[str | None] = []
    for raw in values:
        value = raw if normalised else _normalise(kind, raw)
        out.append(_CIPHER.keyed_hash(value, purpose=f"match:{kind}") if value else None)
    return out


class PoolHasher:
    """``keys_of`` for ``hash_master``: chunks of distinct values hashed by worker processes."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def __call__(self, kind: str, values: Sequence[str]) -> list[str | None]:
        tasks = [(kind, list(values[i : i + CHUNK]), False) for i in range(0, len(values), CHUNK)]
        return [h for part in self.pool.imap(_hash_chunk, tasks) for h in part]


def _people_chunk(task: tuple[int, int, int]) -> list[tuple[Any, ...]]:
    from breachdesk.demodata.master import REFERENCE_DAY
    from breachdesk.demodata.person import make_person

    seed, start, stop = task
    rng = Random(f"link-bench-{seed}-{start}")  # noqa: S311 - seeded test data
    out = []
    for i in range(start, stop):
        p = make_person(rng, i, REFERENCE_DAY)
        out.append(
            (
                p.customer_id,
                p.first_name,
                p.last_name,
                p.email,
                p.phone,
                p.date_of_birth.isoformat(),
                p.postal_code,
                p.city,
                p.region,
                p.country,
                p.username,
                p.ssn,
            )
        )
    return out


PEOPLE_COLUMNS = [
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "postal_code",
    "city",
    "region",
    "country",
    "username",
    "ssn",
]


def make_people(pool: Any, first: int, count: int, seed: int) -> pl.DataFrame:
    """``count`` generated people with indexes from ``first`` (in parallel, deterministic)."""
    step = 50_000
    tasks = [(seed, s, min(s + step, first + count)) for s in range(first, first + count, step)]
    rows = [r for part in pool.imap(_people_chunk, tasks) for r in part]
    return pl.DataFrame(rows, schema=PEOPLE_COLUMNS, orient="row")


def _typo(rng: Random, text: str) -> str:
    from breachdesk.demodata import noise

    return noise.typo(rng, text)


def _leaked_values(rng: Random, row: dict[str, Any], source: str) -> list[tuple[str, str]]:
    """The raw identifier values one leaked record of ``source`` holds, noise included."""
    from breachdesk.demodata import noise

    email = noise.pad(rng, noise.recase(rng, row["email"]))
    if rng.random() < 0.005:
        email = _typo(rng, email)
    phone = noise.maybe_missing(rng, noise.format_phone(rng, row["phone"]))
    values = [("email", noise.maybe_missing(rng, email, 0.02)), ("phone", phone)]
    if source == "users":
        values.append(("username", row["username"]))
    elif source == "export" and row["ssn"]:
        values.append(("ssn", row["ssn"]))
    elif source == "api":
        values.append(("customer_id", row["customer_id"]))
    return [(k, v) for k, v in values if v]


_ELEMENTS = {
    "users": "date_of_birth,email,password_hash,person_name,phone,username",
    "export": "card_security_code,email,payment_card,person_name,phone,postal_address,ssn",
    "api": "date_of_birth,email,ip_address,person_name,phone,postal_address,username",
}


def make_leak(
    customers: pl.DataFrame, outsiders: pl.DataFrame, records: int, seed: int
) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Leaked records (with their truth) and their raw identifier values."""
    rng = Random(f"link-leak-{seed}")  # noqa: S311 - seeded test data
    plan = [("users", 0.30), ("export", 0.35), ("api", 0.25)]
    people = customers.to_dicts()
    strangers = outsiders.to_dicts()
    rows: list[tuple[int, int, str, str | None, int | None]] = []
    values: list[tuple[int, str, str]] = []
    for source_id, (source, share) in enumerate(plan, start=1):
        count = int(records * share)
        picks = (
            rng.sample(range(len(people)), count)
            if source != "export"
            else [rng.randrange(len(people)) for _ in range(count)]
        )
        for index in picks:
            rid = len(rows) + 1
            rows.append((rid, source_id, _ELEMENTS[source], people[index]["customer_id"], None))
            values += [(rid, k, v) for k, v in _leaked_values(rng, people[index], source)]
    while len(rows) < records:  # people who are not customers, some in two sources
        index = rng.randrange(len(strangers))
        for source in ("users", "export")[: 1 + (rng.random() < 0.4)]:
            if len(rows) >= records:
                break
            rid = len(rows) + 1
            rows.append((rid, 4, _ELEMENTS[source], None, index))
            values += [(rid, k, v) for k, v in _leaked_values(rng, strangers[index], "api")[:2]]
    frame = pl.DataFrame(
        rows,
        schema={
            "record_id": pl.Int64,
            "source_id": pl.Int64,
            "elements": pl.String,
            "truth_customer": pl.String,
            "truth_stranger": pl.Int64,
        },
        orient="row",
    )
    return frame, values


def hash_leak(pool: Any, values: list[tuple[int, str, str]]) -> pl.DataFrame:
    """record_keys as scan stores them: normalised, keyed-hashed, distinct per record."""
    raw = pl.DataFrame(values, schema=["record_id", "kind", "raw"], orient="row")
    parts = []
    for (kind,), group in raw.group_by("kind"):
        distinct = group.get_column("raw").unique().to_list()
        hashes = PoolHasher(pool)(str(kind), distinct)
        lookup = pl.DataFrame(
            {"raw": distinct, "keyed_hash": hashes}, schema_overrides={"keyed_hash": pl.String}
        )
        parts.append(group.join(lookup, on="raw").drop("raw").drop_nulls("keyed_hash"))
    return pl.concat(parts).unique().sort("record_id")


def generate(folder: Path, customers: int, records: int, seed: int, workers: int) -> None:
    """Write master.parquet, records.parquet and record_keys.parquet into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with mp.get_context("fork").Pool(workers, initializer=_init_worker) as pool:
        master = make_people(pool, 0, customers, seed)
        strangers = make_people(pool, customers * 2, max(1, records // 15), seed)
        leak, values = make_leak(master, strangers, records, seed)
        keys = hash_leak(pool, values)
    master.write_parquet(folder / "master.parquet")
    leak.write_parquet(folder / "records.parquet")
    keys.write_parquet(folder / "record_keys.parquet")
    print(f"generated {folder.name} in {time.perf_counter() - started:.0f} s")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the hashing workers)."""
    mine, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return mine.ru_utime + mine.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def score(assignments: pl.DataFrame, records: pl.DataFrame) -> dict[str, float]:
    """Precision and recall of customer links, and how well strangers were grouped."""
    judged = records.join(assignments, on="record_id", how="left")
    linked = judged.filter(pl.col("customer_id").is_not_null())
    correct = int((linked["customer_id"] == linked["truth_customer"]).fill_null(False).sum())
    truly = int(records["truth_customer"].is_not_null().sum())
    strangers = judged.filter(pl.col("truth_stranger").is_not_null())
    groups = strangers.filter(pl.col("customer_id").is_null())
    pure = groups.group_by("person_id").agg(pl.col("truth_stranger").n_unique() == 1)
    return {
        "precision": correct / max(1, linked.height),
        "recall": correct / max(1, truly),
        "stranger_people_true": strangers["truth_stranger"].n_unique(),
        "stranger_people_found": groups["person_id"].n_unique(),
        "stranger_groups_pure": float(pure["truth_stranger"].mean() or 0.0),
    }


def measure(folder: Path, workers: int) -> dict[str, Any]:
    """The timed run (in its own process, so peak RSS is the linking's alone)."""
    from breachdesk.identity import build_manifest, hash_master, link, load_master_file

    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    started = last = time.perf_counter()
    last_cpu = _cpu()

    def lap(name: str) -> None:
        nonlocal last, last_cpu
        now, now_cpu = time.perf_counter(), _cpu()
        stages[name] = round(now - last, 2)
        cpu[name] = round(now_cpu - last_cpu, 2)
        last, last_cpu = now, now_cpu

    master = load_master_file(folder / "master.parquet", keys=KEYS)
    record_keys = pl.read_parquet(folder / "record_keys.parquet")
    records = pl.read_parquet(folder / "records.parquet")
    lap("load")
    with mp.get_context("fork").Pool(workers, initializer=_init_worker) as pool:
        master_keys = hash_master(master, keys_of=PoolHasher(pool))
    lap("hash_master")
    result = link(record_keys, master_keys, KEYS, records=records["record_id"])
    lap("link")
    manifest = build_manifest(
        result, records.drop("truth_customer", "truth_stranger"), master=master.frame
    )
    lap("manifest")
    total = time.perf_counter() - started
    master_keys.write_parquet(folder / "master_keys.parquet")  # for the pandas baseline
    return {
        "stages_s": stages,
        "total_s": round(total, 2),
        "cpu_s": cpu,
        "total_cpu_s": round(sum(cpu.values()), 2),
        "peak_rss_mb": round(_rss_mb(resource.RUSAGE_SELF)),
        "worker_peak_rss_mb": round(_rss_mb(resource.RUSAGE_CHILDREN)),
        "people": len(manifest),
        "stats": result.stats.__repr__(),
        **score(result.assignments, records),
    }


def baseline(folder: Path) -> dict[str, Any]:
    """A straightforward pandas merge on the same hashed keys: one customer per record, or none."""
    import pandas as pd

    record_keys = pd.read_parquet(folder / "record_keys.parquet")
    master_keys = pd.read_parquet(folder / "master_keys.parquet")
    started, cpu = time.perf_counter(), time.process_time()
    hits = record_keys.merge(master_keys, on=["kind", "keyed_hash"])
    pairs = hits[["record_id", "customer_id"]].drop_duplicates()
    counts = pairs.groupby("record_id")["customer_id"].transform("nunique")
    assigned = pairs[counts == 1]
    took = time.perf_counter() - started
    return {
        "link_s": round(took, 2),
        "link_cpu_s": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(_rss_mb(resource.RUSAGE_SELF)),
        "assigned": len(assigned),
    }


def fuzzy(folder: Path, sample: int) -> dict[str, Any]:
    """Fuzzy matching of ``sample`` customers known only by a mistyped name, date of birth and
    (for half of them) postal code, against the whole master."""
    from breachdesk.adapters.crypto import FieldCipher
    from breachdesk.demodata import noise
    from breachdesk.identity.fuzzy import fuzzy_matches

    cipher = FieldCipher(KEY)
    master = pl.read_parquet(folder / "master.parquet")

    def hashed(kind: str) -> pl.Expr:
        return pl.col(kind).map_elements(
            lambda v: cipher.keyed_hash(v, purpose=f"match:{kind}"), return_dtype=pl.String
        )

    master_keys = pl.concat(
        [
            master.select("customer_id", kind=pl.lit(kind), keyed_hash=hashed(kind))
            for kind in ("date_of_birth", "postal_code")
        ]
    )
    names = master.select(
        "customer_id", name=pl.concat_str("first_name", "last_name", separator=" ")
    )
    rng = Random(f"fuzzy-{sample}")  # noqa: S311 - seeded test data
    picked = master.sample(sample, seed=1).with_row_index("record_id", offset=1)
    picked = picked.with_columns(pl.col("record_id").cast(pl.Int64))
    typed = [
        noise.recase(rng, noise.typo(rng, f"{a} {b}"))
        for a, b in picked.select("first_name", "last_name").iter_rows()
    ]
    record_names = picked.select("record_id", name=pl.Series(typed))
    with_postal = picked.filter(pl.col("record_id") % 2 == 0)
    record_keys = pl.concat(
        [
            picked.select(
                "record_id", kind=pl.lit("date_of_birth"), keyed_hash=hashed("date_of_birth")
            ),
            with_postal.select(
                "record_id", kind=pl.lit("postal_code"), keyed_hash=hashed("postal_code")
            ),
        ]
    )
    unknown = picked.select("record_id", component="record_id")
    started, cpu = time.perf_counter(), time.process_time()
    found = fuzzy_matches(unknown, record_keys, record_names, master_keys, names)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    truth = picked.select(component="record_id", truth="customer_id")
    chosen = found.filter(~pl.col("tie")).join(truth, on="component")
    return {
        "sample": sample,
        "fuzzy_s": round(took, 2),
        "fuzzy_cpu_s": round(cpu, 2),
        "matched": chosen.height,
        "ties": int(found["tie"].sum()),
        "precision": float((chosen["customer_id"] == chosen["truth"]).mean() or 0.0),
        "recall": float((chosen["customer_id"] == chosen["truth"]).sum() / sample),
        "peak_rss_mb": round(_rss_mb(resource.RUSAGE_SELF)),
    }


def run_child(*args: str) -> dict[str, Any]:
    """Run this script in a fresh interpreter and return the JSON it prints."""
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Generate (cached), measure in a fresh process, compare with pandas, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fuzzy-sample", type=int, default=100_000)
    parser.add_argument("--fuzzy", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fuzzy:
        print(json.dumps(fuzzy(args.fuzzy, args.fuzzy_sample)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers)))
        return
    if args.baseline:
        print(json.dumps(baseline(args.baseline)))
        return
    folder = DATA / f"link-{args.customers}-{args.records}-{args.seed}"
    if not (folder / "record_keys.parquet").exists():
        generate(folder, args.customers, args.records, args.seed, args.workers)
    ours = run_child("--measure", str(folder), "--workers", str(args.workers))
    print(json.dumps({"breachdesk": ours}, indent=2))
    if args.fuzzy_sample:
        sample = str(args.fuzzy_sample)
        print(json.dumps({"fuzzy": run_child("--fuzzy", str(folder), "--fuzzy-sample", sample)}))
    try:
        theirs = run_child("--baseline", str(folder))
    except subprocess.CalledProcessError:
        print("pandas baseline unavailable (pip install pandas into the venv to compare)")
        return
    ratio = theirs["link_s"] / max(ours["stages_s"]["link"], 1e-9)
    print(json.dumps({"pandas_merge": theirs}, indent=2))
    print(
        f"link step: breachdesk {ours['stages_s']['link']} s vs pandas merge "
        f"{theirs['link_s']} s (pandas/breachdesk = {ratio:.2f})"
    )
    cpu_ratio = theirs["link_cpu_s"] / max(ours["cpu_s"]["link"], 1e-9)
    print(
        f"link step CPU: breachdesk {ours['cpu_s']['link']} s vs pandas merge "
        f"{theirs['link_cpu_s']} s (pandas/breachdesk = {cpu_ratio:.2f})"
    )


if __name__ == "__main__":
    main()
