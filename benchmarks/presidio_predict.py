"""Presidio's predictions on the synthetic set, for side-by-side accuracy and speed.

Run with a SEPARATE virtual environment holding presidio-analyzer (never the project's):

    python3 -m venv /tmp/presidio-venv && /tmp/presidio-venv/bin/pip install presidio-analyzer
    /tmp/presidio-venv/bin/python benchmarks/presidio_predict.py --out /tmp/presidio.jsonl
    .venv/bin/python benchmarks/accuracy.py --predictions /tmp/presidio.jsonl

spaCy models are not on PyPI and nothing may be downloaded, so the NLP engine is a blank English
spaCy pipeline: Presidio runs with its pattern recognisers only (no NER for PERSON, LOCATION, NRP,
DATE_TIME). Its published figure with spaCy's small model is quoted in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared/data/pii/synth_dataset_v2.json"
GROUP = {
    "PERSON": "person_name",
    "LOCATION": "location",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "US_SSN": "ssn",
    "IP_ADDRESS": "ip_address",
    "US_DRIVER_LICENSE": "drivers_license",
    "NRP": "origin_belief",
}


def _analyzer():  # type: ignore[no-untyped-def]
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankEngine(SpacyNlpEngine):  # type: ignore[misc]
        """spaCy's blank English pipeline: tokeniser only, nothing downloaded."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankEngine()
    engine.load()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def main() -> int:
    """Write one JSON line of predicted spans per record and print Presidio's throughput."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    records = json.loads(args.data.read_text(encoding="utf-8"))
    analyzer = _analyzer()
    analyzer.analyze("warm up 212-555-0199", language="en")
    size = 0
    started = time.process_time()
    with args.out.open("w", encoding="utf-8") as out:
        for i, record in enumerate(records):
            text = record["full_text"]
            size += len(text.encode("utf-8"))
            results = analyzer.analyze(text, language="en")
            spans = [
                {"group": GROUP.get(r.entity_type, r.entity_type.lower()), "start": r.start,
                 "end": r.end}
                for r in results
            ]  # fmt: skip
            out.write(json.dumps({"record": i, "spans": spans}) + "\n")
    cpu = time.process_time() - started
    print(f"presidio (pattern recognisers): {size} bytes in {cpu:.1f} s CPU = "
          f"{size / 1e3 / cpu:.1f} KB/s per core")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
