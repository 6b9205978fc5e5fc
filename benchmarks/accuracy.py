"""Span-level precision, recall and F1 of ``detect_text`` on presidio-research's synthetic set.

Usage: python benchmarks/accuracy.py [--data PATH] [--errors N]

Overlap matching: a labelled span is found when any predicted span overlaps it; a predicted span is
correct when it overlaps a labelled span. Per element, both sides must be that element; for any-PII
the element is ignored. Labelled types outside the personal-data vocabulary (ORGANIZATION, TITLE,
DOMAIN_NAME) are not PII: a prediction that only overlaps one of them is a false positive.
DATE_TIME and AGE are personal data outside the scored set: in the main any-PII figure a prediction
on one of them is neutral (neither right nor wrong); "any-PII (broad)" counts them as PII to find,
and only dates next to a birth cue are detected, so most of them are misses there.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from breachdesk.discovery.match import TextMatch
from breachdesk.discovery.text import detect_text

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared/data/pii/synth_dataset_v2.json"

GROUP = {  # dataset entity type -> our element group
    "PERSON": "person_name",
    "STREET_ADDRESS": "postal_address",
    "GPE": "location",
    "ZIP_CODE": "postal_code",
    "CREDIT_CARD": "payment_card",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "IBAN_CODE": "iban",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip_address",
    "US_DRIVER_LICENSE": "drivers_license",
    "NRP": "origin_belief",
}
UNCOVERED_PII = {"DATE_TIME", "AGE"}
NRP_ELEMENTS = {"racial_ethnic_origin", "religious_belief", "political_opinion"}


def group_of(match: TextMatch) -> str:
    """Evaluation group of a predicted element."""
    return "origin_belief" if match.element.value in NRP_ELEMENTS else match.element.value


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


Predictor = Callable[[int, str], list[tuple[str, tuple[int, int]]]]


def ours(_index: int, text: str) -> list[tuple[str, tuple[int, int]]]:
    """breachdesk's predictions for one text as (group, span)."""
    return [(group_of(m), m.span) for m in detect_text(text)]


def from_file(path: Path) -> Predictor:
    """Stored predictions, one JSON line per record: {"record": i, "spans": [...]}."""
    stored: dict[int, list[tuple[str, tuple[int, int]]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        stored[row["record"]] = [(s["group"], (s["start"], s["end"])) for s in row["spans"]]
    return lambda index, _text: stored.get(index, [])


PRESIDIO_SPANS = Path(__file__).resolve().parent / "results" / "presidio_spans.jsonl"


def from_presidio_cache(path: Path) -> Predictor:
    """Presidio's spans as cached by presidio_baseline.py (all results, as presidio_predict)."""
    from presidio_predict import GROUP as PRESIDIO_GROUP

    stored: dict[int, list[tuple[str, tuple[int, int]]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        stored[row["line"]] = [
            (PRESIDIO_GROUP.get(s["entity_type"], s["entity_type"].lower()), (s["start"], s["end"]))
            for s in row["spans"]
        ]
    return lambda index, _text: stored.get(index, [])


def evaluate(
    records: list[dict[str, object]], errors: int = 0, predict: Predictor = ours
) -> dict[str, tuple[float, ...]]:
    """Counts and P/R/F1 per element group, for any-PII and any-PII (broad)."""
    c: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp_pred, n_pred, tp_gold, n_gold
    shown = 0
    for index, rec in enumerate(records):
        text = str(rec["full_text"])
        gold = [
            (s["entity_type"], (s["start_position"], s["end_position"]))
            for s in rec["spans"]  # type: ignore[attr-defined]
        ]
        preds = predict(index, text)
        pii = [(GROUP[t], sp) for t, sp in gold if t in GROUP]
        broad = pii + [(t, sp) for t, sp in gold if t in UNCOVERED_PII]
        uncovered = [sp for t, sp in gold if t in UNCOVERED_PII]
        for name, gold_set in (("any-PII", pii), ("any-PII (broad)", broad)):
            acc = c[name]
            # in the main figure a prediction on a date or age (PII we do not score) is neutral
            scored = [
                p
                for _, p in preds
                if gold_set is broad
                or any(_overlaps(p, g) for _, g in pii)
                or not any(_overlaps(p, u) for u in uncovered)
            ]
            acc[1] += len(scored)
            acc[0] += sum(any(_overlaps(p, g) for _, g in gold_set) for p in scored)
            acc[3] += len(gold_set)
            acc[2] += sum(any(_overlaps(p, g) for _, p in preds) for _, g in gold_set)
        for group in {g for g, _ in pii} | {g for g, _ in preds}:
            gs = [sp for g, sp in pii if g == group]
            ps = [sp for g, sp in preds if g == group]
            acc = c[group]
            acc[0] += sum(any(_overlaps(p, g) for g in gs) for p in ps)
            acc[1] += len(ps)
            acc[2] += sum(any(_overlaps(p, g) for p in ps) for g in gs)
            acc[3] += len(gs)
        if errors and shown < errors:
            missed = [
                (g, text[sp[0] : sp[1]])
                for g, sp in pii
                if not any(_overlaps(sp, p) for _, p in preds)
            ]
            wrong = [
                (g, text[sp[0] : sp[1]])
                for g, sp in preds
                if not any(_overlaps(sp, q) for _, q in pii)
            ]
            if missed or wrong:
                shown += 1
                print(f"--- {text!r}\n    missed={missed}\n    false={wrong}")
    return {k: (*v, *_prf(*v)) for k, v in c.items()}


def main() -> int:
    """Run the evaluation and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="print up to N records with errors")
    parser.add_argument("--predictions", type=Path, help="score another tool's predictions")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"data set not found: {args.data}", file=sys.stderr)
        return 2
    records = json.loads(args.data.read_text(encoding="utf-8"))
    started = time.perf_counter()
    predict = from_file(args.predictions) if args.predictions else ours
    results = evaluate(records, args.errors, predict)
    elapsed = time.perf_counter() - started
    side = None
    if not args.predictions and PRESIDIO_SPANS.exists():
        side = evaluate(records, 0, from_presidio_cache(PRESIDIO_SPANS))
    head = f"{'element':<20} {'pred':>6} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6}"
    print(head + (f" {'Presidio F1':>12}" if side else ""))
    for name in sorted(results, key=lambda k: (k.startswith("any"), k)):
        _tp, n_p, _tg, n_g, p, r, f = results[name]
        other = f" {side[name][6]:>12.3f}" if side and name in side else ""
        print(f"{name:<20} {n_p:>6} {n_g:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f}{other}")
    print(f"{len(records)} records in {elapsed:.2f}s")
    if side:
        print(f"Presidio: spans cached by benchmarks/presidio_baseline.py ({PRESIDIO_SPANS.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
