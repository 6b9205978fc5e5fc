"""Free-text detection throughput (MB/s on one core) on the synthetic set replicated to ~100 MB.

Usage: python benchmarks/scan_text.py [--data PATH] [--size-mb 100] [--mode record|chunk]

``record`` detects every sentence as its own text, twice: one ``detect_text`` call per sentence,
and ``detect_many`` over blocks of 2,048 sentences (as ``breachdesk detect`` does with JSON lines);
``chunk`` joins sentences into ~1 MB texts, as a document or log reader would hand them over;
``distinct`` detects the sentences joined once into one text, with every per-value cache of the
detectors cleared before each of 20 repetitions (text without any repeated value).
One process, one core; MB means 10^6 bytes of UTF-8 text.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.registry import default_detectors
from breachdesk.discovery.text import detect_many, detect_text

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared/data/pii/synth_dataset_v2.json"


def replicated(texts: list[str], target_bytes: int, mode: str) -> Iterator[str]:
    """The texts repeated until ``target_bytes`` of UTF-8 have been produced."""
    produced = 0
    chunk: list[str] = []
    chunk_bytes = 0
    while produced < target_bytes:
        for text in texts:
            size = len(text.encode("utf-8")) + 1
            produced += size
            if mode == "record":
                yield text
            else:
                chunk.append(text)
                chunk_bytes += size
                if chunk_bytes >= 1_000_000:
                    yield "\n".join(chunk)
                    chunk, chunk_bytes = [], 0
            if produced >= target_bytes:
                break
    if chunk:
        yield "\n".join(chunk)


def main() -> int:
    """Run the measurement and print bytes, seconds, MB/s and matches."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--mode", choices=("record", "chunk", "distinct"), default="record")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"data set not found: {args.data}", file=sys.stderr)
        return 2
    texts = [r["full_text"] for r in json.loads(args.data.read_text(encoding="utf-8"))]
    detectors = default_detectors()
    detect_text(texts[0], detectors)  # warm up: compile patterns, load lexicons
    target = int(args.size_mb * 1_000_000)
    if args.mode == "distinct":
        _measure_distinct("\n".join(texts), lambda t: detect_text(t, detectors))
        return 0
    if args.mode == "chunk":
        _measure("chunk", replicated(texts, target, "chunk"), lambda t: detect_text(t, detectors))
        return 0
    _measure("record", replicated(texts, target, "record"), lambda t: detect_text(t, detectors))
    _measure(
        "record-batched",
        (block for block in _blocks(replicated(texts, target, "record"))),
        lambda block: [m for ms in detect_many(block, detectors) for m in ms],
    )
    return 0


def _value_caches() -> list[Any]:
    """Every lru_cache'd function of the built-in detector modules."""
    import breachdesk.discovery.detectors as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found += [f for f in vars(module).values() if hasattr(f, "cache_clear")]
    return found


def _measure_distinct(text: str, detect: Callable[[str], list[TextMatch]]) -> None:
    caches = _value_caches()
    cpu = 0.0
    matches = 0
    for _ in range(20):
        for cache in caches:
            cache.cache_clear()
        fresh = text[:1] + text[1:]  # a new object: per-text passes are redone too
        started = time.process_time()
        matches = len(detect(fresh))
        cpu += time.process_time() - started
    total = 20 * len(text.encode("utf-8"))
    print(f"mode=distinct bytes={total} cpu_s={cpu:.1f} matches={matches} (per run)")
    print(f"throughput: {total / 1e6 / cpu:.2f} MB/s per core (target >= 5)")


def _blocks(texts: Iterator[str], size: int = 2048) -> Iterator[list[str]]:
    block: list[str] = []
    for text in texts:
        block.append(text)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _measure(mode: str, items: Iterator[Any], detect: Callable[[Any], list[TextMatch]]) -> None:
    total = 0
    matches = 0
    started = time.process_time()
    wall = time.perf_counter()
    for item in items:
        total += sum(len(t.encode("utf-8")) for t in item) if isinstance(item, list) else 0
        total += len(item.encode("utf-8")) if isinstance(item, str) else 0
        matches += len(detect(item))
    cpu = time.process_time() - started
    elapsed = time.perf_counter() - wall
    print(f"mode={mode} bytes={total} cpu_s={cpu:.1f} wall_s={elapsed:.1f} matches={matches}")
    print(f"throughput: {total / 1e6 / cpu:.2f} MB/s per core (target >= 5)")


if __name__ == "__main__":
    sys.exit(main())
