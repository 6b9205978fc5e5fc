"""Presidio baseline: structured and text throughput, column classification and text spans.

Usage: python benchmarks/presidio_baseline.py [--force] [--rows N] [--data PATH]

Presidio never enters the project venv. This script creates ``benchmarks/.venv-presidio`` (once)
with presidio-analyzer from PyPI, checks whether spaCy's small English model installs from PyPI
(it is not published there, so the run normally falls back to regex-only analysis: Presidio's
default recognizers over a blank spaCy English pipeline, which tokenises for context words but
has no NER), then re-runs itself inside that venv as a worker and records:

- structured: ``BatchAnalyzerEngine.analyze_dict`` over a sample (20,000 rows) of the generated
  benchmark customer table: bytes/s, rows/s and the entity Presidio assigns to each column;
- text: ``AnalyzerEngine.analyze`` over ``../shared/data/pii/synth_dataset_v2.json``: bytes/s,
  and its spans, one JSON line per input line, in ``benchmarks/results/presidio_spans.jsonl``.

Results are cached in ``benchmarks/results/presidio.json``; other benchmarks read that file.
``--force`` measures again. The worker imports only the standard library and Presidio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "benchmarks" / ".venv-presidio"
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / "presidio.json"
SPANS = RESULTS / "presidio_spans.jsonl"
SAMPLE = RESULTS / "presidio_sample.csv"
TEXT_DATA = ROOT.parent / "shared" / "data" / "pii" / "synth_dataset_v2.json"
PRESIDIO_REQUIREMENT = "presidio-analyzer>=2.2,<3"
SPACY_MODEL = "en_core_web_sm"
SAMPLE_SEED = 7
# A column gets Presidio's most frequent entity when it is found in this share of its values.
COLUMN_SHARE = 0.3
TEXT_PASSES = 3  # the text set takes about a second: time several passes, keep the fastest

# Presidio entity -> breachdesk element id, to score its column classification.
ENTITY_ELEMENT = {
    "PERSON": "person_name",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip_address",
    "LOCATION": "location",
    "DATE_TIME": "date_of_birth",
    "US_BANK_NUMBER": "bank_account",
    "ABA_ROUTING_NUMBER": "routing_number",
    "US_DRIVER_LICENSE": "drivers_license",
    "US_PASSPORT": "passport",
    "US_ITIN": "tax_id",
    "NRP": "racial_ethnic_origin",
    "MEDICAL_LICENSE": "medical",
}


# ---------------------------------------------------------------- parent (project venv) side


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(_venv_python()), "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def ensure_venv() -> dict[str, Any]:
    """Create the Presidio venv when missing; report whether a spaCy English model installed."""
    marker = VENV / "breachdesk-setup.json"
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    if not _venv_python().exists():
        print(f"creating {VENV.relative_to(ROOT)} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    done = _pip("install", "--quiet", PRESIDIO_REQUIREMENT)
    if done.returncode != 0:
        raise SystemExit(f"pip could not install {PRESIDIO_REQUIREMENT}:\n{done.stderr[-2000:]}")
    # spaCy publishes its models on GitHub releases, not PyPI; try the official name on PyPI only.
    model = _pip("install", "--quiet", SPACY_MODEL.replace("_", "-"))
    setup = {
        "spacy_model": SPACY_MODEL if model.returncode == 0 else None,
        "spacy_model_check": "installed from PyPI"
        if model.returncode == 0
        else "not installable from PyPI: " + (model.stderr.strip().splitlines() or ["?"])[-1],
    }
    marker.write_text(json.dumps(setup, indent=2))
    return setup


def make_sample(rows: int) -> tuple[Path, dict[str, str | None]]:
    """The first ``rows`` rows of a generated benchmark table, and its column truth."""
    from breachdesk.demodata import generate_structured_table

    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "table.csv"
        truth = generate_structured_table(full, rows * 600, seed=SAMPLE_SEED)
        with full.open("rb") as src, SAMPLE.open("wb") as dst:
            for n, line in enumerate(src):
                if n > rows:
                    break
                dst.write(line)
    expected = {c.name: (c.element.value if c.element else None) for c in truth.columns}
    return SAMPLE, expected


def score_columns(columns: dict[str, Any], expected: dict[str, str | None]) -> dict[str, Any]:
    """Compare Presidio's per-column entity with the truth; count the columns it got right."""
    right = 0
    for name, info in columns.items():
        predicted = ENTITY_ELEMENT.get(info["entity"]) if info["entity"] else None
        if info["entity"] and predicted is None:
            predicted = f"other:{info['entity']}"
        info["expected"] = expected.get(name)
        info["predicted"] = predicted
        info["right"] = predicted == info["expected"]
        right += info["right"]
    flagged = sum(1 for i in columns.values() if i["expected"] is None and i["predicted"])
    return {"right": right, "total": len(columns), "non_pii_flagged": flagged}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Set up, run the worker in the Presidio venv, score, cache and return the results."""
    setup = ensure_venv()
    sample, expected = make_sample(args.rows)
    out = RESULTS / "presidio_worker.json"
    cmd = [str(_venv_python()), str(Path(__file__).resolve()), "--worker"]
    cmd += ["--sample", str(sample), "--data", str(args.data), "--out", str(out)]
    cmd += ["--spacy-model", setup["spacy_model"] or ""]
    env = {**os.environ, "PYTHONNOUSERSITE": "1"}
    subprocess.run(cmd, check=True, env=env)
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    result["setup"] = setup
    result["structured"]["score"] = score_columns(result["structured"]["columns"], expected)
    result["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result["command"] = "python benchmarks/presidio_baseline.py --force"
    CACHE.write_text(json.dumps(result, indent=2) + "\n")
    return result


def summary(result: dict[str, Any]) -> str:
    """A few lines for people; the JSON has the rest."""
    s, t = result["structured"], result["text"]
    lines = [
        f"Presidio {result['presidio_version']}, nlp: {result['nlp_engine']}",
        f"structured: {s['rows']} rows, {s['bytes'] / 1e3:.0f} kB in {s['seconds']:.1f} s: "
        f"{s['bytes_per_s'] / 1e3:.1f} kB/s, {s['rows_per_s']:.0f} rows/s (1 process)",
        f"columns right: {s['score']['right']} of {s['score']['total']}, "
        f"non-PII columns flagged: {s['score']['non_pii_flagged']}",
        f"text: {t['lines']} lines, {t['bytes'] / 1e3:.0f} kB in {t['seconds']:.1f} s: "
        f"{t['bytes_per_s'] / 1e3:.1f} kB/s; spans in {t['spans_file']}",
    ]
    for name, info in s["columns"].items():
        mark = "ok " if info["right"] else "BAD"
        lines.append(
            f"  {mark} {name:16} presidio={info['entity'] or '-':16} share={info['share']:.2f} "
            f"expected={info['expected'] or '-'}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run the worker or the whole baseline (cached unless ``--force``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="measure again, ignore the cache")
    parser.add_argument("--rows", type=int, default=20_000, help="structured sample rows")
    parser.add_argument("--data", type=Path, default=TEXT_DATA, help="presidio-research json")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spacy-model", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    if CACHE.exists() and not args.force:
        result = json.loads(CACHE.read_text())
        print(f"(cached {CACHE.relative_to(ROOT)}; --force to measure again)")
    else:
        result = run(args)
    print(summary(result))
    return 0


# ---------------------------------------------------------------- worker (Presidio venv) side


def build_analyzer(spacy_model: str) -> tuple[Any, str]:
    """Presidio's AnalyzerEngine with default recognizers; blank spaCy English without a model."""
    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine

    # Offline: the e-mail recognizer's domain check uses tldextract's bundled suffix list instead
    # of fetching the public-suffix list on first use.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    if spacy_model:
        models = [{"lang_code": "en", "model_name": spacy_model}]
        config = {"nlp_engine_name": "spacy", "models": models}
        engine = NlpEngineProvider(nlp_configuration=config).create_engine()
        return AnalyzerEngine(nlp_engine=engine), f"spacy {spacy_model}"

    class BlankSpacyNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
        """spaCy's tokenizer only: context words work, NER finds nothing."""

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}])
    engine.load()
    return AnalyzerEngine(nlp_engine=engine), "spacy.blank('en') (regex recognizers only, no NER)"


def classify_column(results: list[list[Any]], values: list[str]) -> dict[str, Any]:
    """Most frequent entity over a column's values, and the share of values it was found in.

    Each value counts once, for its best result (highest score, then longest span), as Presidio's
    anonymizer would resolve overlaps: ``a@mail.example.com`` is an e-mail, not a URL.
    """
    best = [max(found, key=lambda r: (r.score, r.end - r.start)) for found in results if found]
    counts = Counter(r.entity_type for r in best)
    non_empty = sum(1 for v in values if v.strip()) or 1
    if not counts:
        return {"entity": None, "share": 0.0, "entities": {}}
    top, hits = counts.most_common(1)[0]
    share = hits / non_empty
    return {
        "entity": top if share >= COLUMN_SHARE else None,
        "majority_entity": top,
        "share": round(share, 4),
        "entities": dict(counts.most_common()),
    }


def measure_structured(analyzer: Any, sample: Path) -> dict[str, Any]:
    """analyze_dict over the sample's columns: throughput and per-column entity."""
    from presidio_analyzer import BatchAnalyzerEngine

    with sample.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    columns = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    start = time.perf_counter()
    results = {r.key: r.recognizer_results for r in batch.analyze_dict(columns, language="en")}
    seconds = time.perf_counter() - start
    size = sample.stat().st_size
    return {
        "rows": len(rows),
        "bytes": size,
        "seconds": round(seconds, 2),
        "bytes_per_s": round(size / seconds, 1),
        "rows_per_s": round(len(rows) / seconds, 1),
        "columns": {n: classify_column(results[n], columns[n]) for n in header},
    }


def measure_text(analyzer: Any, data: Path) -> dict[str, Any]:
    """analyze() on every sentence: throughput (best of 3 passes), spans written as JSON lines."""
    records = json.loads(data.read_text("utf-8"))
    texts = [r["full_text"] for r in records]
    timings = []
    for _ in range(TEXT_PASSES):
        start = time.perf_counter()
        found = [analyzer.analyze(text=t, language="en") for t in texts]
        timings.append(time.perf_counter() - start)
    seconds = min(timings)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with SPANS.open("w", encoding="utf-8") as fh:
        for i, spans in enumerate(found):
            out = [
                {"entity_type": s.entity_type, "start": s.start, "end": s.end, "score": s.score}
                for s in sorted(spans, key=lambda s: (s.start, s.end))
            ]
            fh.write(json.dumps({"line": i, "spans": out}) + "\n")
    size = sum(len(t.encode("utf-8")) for t in texts)
    return {
        "lines": len(texts),
        "bytes": size,
        "seconds": round(seconds, 2),
        "bytes_per_s": round(size / seconds, 1),
        "spans": sum(len(s) for s in found),
        "spans_file": str(SPANS.relative_to(ROOT)),
    }


def worker(args: argparse.Namespace) -> None:
    """Inside the Presidio venv: measure and write the raw results as JSON."""
    import logging
    from importlib.metadata import version

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    analyzer, nlp = build_analyzer(args.spacy_model)
    analyzer.analyze(text="warm up: call 212-555-0100", language="en")
    result = {
        "presidio_version": version("presidio-analyzer"),
        "spacy_version": version("spacy"),
        "nlp_engine": nlp,
        "processes": 1,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "structured": measure_structured(analyzer, args.sample),
        "text": measure_text(analyzer, args.data),
    }
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
