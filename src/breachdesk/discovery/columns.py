"""Column classification: header synonyms plus full-column value validation with polars.

Each detector's ``value_pattern`` pre-filters the distinct values of a column in one vectorised
pass; the strict validator then runs once per distinct candidate, weighted by its count. Columns
that are not personal data get no element; free-text columns are searched for embedded values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from breachdesk.core.element import DataElement
from breachdesk.discovery import vectorised as vz
from breachdesk.discovery.detectors import Detector, ref
from breachdesk.discovery.header import classify_header
from breachdesk.discovery.model import TableBatch
from breachdesk.discovery.text import detect_text
from breachdesk.discovery.validators import hash_kind

E = DataElement

# Elements a column may get from its values alone, with the share of values that must validate.
_VALUE_ONLY: dict[DataElement, float] = {
    E.EMAIL: 0.6,
    E.PAYMENT_CARD: 0.8,
    E.IBAN: 0.8,
    E.IP_ADDRESS: 0.8,
    E.PASSWORD_HASH: 0.8,
    E.API_KEY: 0.6,
    E.AUTH_TOKEN: 0.8,
    E.PHONE: 0.8,
    E.SSN: 0.8,
    E.POSTAL_ADDRESS: 0.6,
}
# Header elements whose values contradict them below this share are dropped (``phone_type``).
_MIN_SUPPORT = 0.2
# Elements with no reliable value validator: the header alone decides.
_HEADER_ONLY = frozenset(
    {
        E.PERSON_NAME, E.MOTHERS_MAIDEN_NAME, E.GENDER, E.LOCATION, E.GEOLOCATION, E.USERNAME,
        E.PASSWORD, E.SECURITY_ANSWER, E.CARD_SECURITY_CODE, E.CARD_EXPIRY, E.BANK_ACCOUNT,
        E.DRIVERS_LICENSE, E.PASSPORT, E.DEVICE_ID, E.MEDICAL, E.HEALTH_INSURANCE, E.BIOMETRIC,
        E.GENETIC, E.RACIAL_ETHNIC_ORIGIN, E.POLITICAL_OPINION, E.RELIGIOUS_BELIEF, E.TRADE_UNION,
        E.SEX_LIFE_ORIENTATION, E.CRIMINAL_RECORD, E.VEHICLE_ID, E.POSTAL_CODE, E.NATIONAL_ID,
        E.TAX_ID,
    }
)  # fmt: skip
_EMBEDDED_MIN_CONFIDENCE = 0.75
#: Distinct candidate values validated per detector and column (the rest is extrapolated).
MAX_DISTINCT = 50_000
_EMBEDDED_SKIP = frozenset({E.LOCATION, E.RACIAL_ETHNIC_ORIGIN, E.RELIGIOUS_BELIEF})


# Built-in detectors whose whole-value validation has an exact polars-expression twin.
_VECTORISED: dict[str, tuple[tuple[DataElement, Callable[[pl.Expr], pl.Expr]], ...]] = {
    "credit_card@1": ((E.PAYMENT_CARD, vz.card_ok),),
    "ssn@1": ((E.SSN, vz.ssn_ok), (E.TAX_ID, vz.itin_ok)),
    "routing_number@1": ((E.ROUTING_NUMBER, vz.aba_ok),),
}


@dataclass(frozen=True, slots=True)
class ColumnClass:
    """What one column holds: element (or None), confidence, share and count of validated values."""

    column: str
    element: DataElement | None
    confidence: float
    share: float
    count: int
    values: int
    basis: str  # "header", "values", "header+values" or "none"
    embedded: tuple[tuple[DataElement, int], ...] = ()


def value_shares(
    series: pl.Series, detectors: Sequence[Detector], max_distinct: int = MAX_DISTINCT
) -> tuple[int, dict[DataElement, int], int]:
    """Non-empty count, validated count per element, and count of modular-crypt hashes."""
    values = series.cast(pl.String).str.strip_chars().drop_nulls()
    values = values.filter(values.str.len_chars() > 0)
    total = values.len()
    if total == 0:
        return 0, {}, 0
    counts = values.value_counts(name="n", sort=True)
    col = counts.columns[0]
    found: Counter[DataElement] = Counter()
    crypt = 0
    for detector in detectors:
        vector = _VECTORISED.get(ref(detector))
        if vector is not None:  # the whole column's checksums in one polars pass
            for element, valid in vector:
                n = int(counts.filter(valid(pl.col(col)))["n"].sum())
                if n:
                    found[element] += n
            continue
        pattern = detector.value_pattern
        candidates = counts if pattern is None else counts.filter(pl.col(col).str.contains(pattern))
        # The strict validator runs once per distinct candidate, most frequent first; past
        # max_distinct the validated share of the checked values stands for the rest.
        checked = candidates.head(max_distinct)
        scale = int(candidates["n"].sum()) / max(1, int(checked["n"].sum()))
        for value, n in checked.iter_rows():
            kind = detector.classify(value)
            if kind is not None:
                found[kind] += round(n * scale)
                if kind is E.PASSWORD_HASH and not (hash_kind(value) or "").startswith(
                    ("md5", "sha1", "sha256", "sha512")
                ):
                    crypt += round(n * scale)
    return total, {e: min(n, total) for e, n in found.items()}, min(crypt, total)


def _embedded(series: pl.Series, detectors: Sequence[Detector]) -> tuple[tuple[E, int], ...]:
    found: Counter[DataElement] = Counter()
    values = series.cast(pl.String).drop_nulls()
    for value, n in values.value_counts(name="n", sort=True).head(MAX_DISTINCT).iter_rows():
        for match in detect_text(value, detectors, min_confidence=_EMBEDDED_MIN_CONFIDENCE):
            if match.element not in _EMBEDDED_SKIP:
                found[match.element] += n
    return tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0].value)))


def _free_text(series: pl.Series) -> bool:
    values = series.cast(pl.String).drop_nulls()
    if values.len() == 0:
        return False
    # prose: at least three words with letters (timestamps and amounts have spaces too)
    spaced = int(values.str.contains(r"[^\W\d_]{2,}\S*\s+\S+\s+\S+").sum()) / values.len()
    mean_len = int(values.str.len_chars().sum()) / values.len()
    return spaced >= 0.5 and mean_len >= 15


def classify_column(
    name: str, series: pl.Series, detectors: Sequence[Detector] | None = None
) -> ColumnClass:
    """Classify one column from its header and every one of its values."""
    if detectors is None:
        from breachdesk.discovery.registry import default_detectors

        detectors = default_detectors()
    header = classify_header(name)
    if header is not None:
        decided = _by_header(name, series, header, detectors)
        if decided is not None:
            return decided
    total, found, crypt = value_shares(series, detectors)
    if total == 0:
        return ColumnClass(name, None, 0.0, 0.0, 0, 0, "none")
    share = {e: n / total for e, n in found.items()}
    plain = _plain_digit_share(series)
    best = _best_value_element(share, crypt / total, plain)
    if best is not None:
        element, s = best
        return ColumnClass(
            name, element, round(0.5 + 0.5 * s, 3), round(s, 3), found[element], total, "values"
        )
    embedded = _embedded(series, detectors) if _free_text(series) else ()
    return ColumnClass(name, None, 0.0, 0.0, 0, total, "none", embedded)


def _by_header(
    name: str, series: pl.Series, header: tuple[DataElement, float], detectors: Sequence[Detector]
) -> ColumnClass | None:
    """The header's element when the values do not contradict it (only its validators run)."""
    element, confidence = header
    wanted = {element, E.PASSWORD_HASH} if element is E.PASSWORD else {element}
    relevant = [d for d in detectors if wanted & set(d.elements)]
    total, found, _ = value_shares(series, relevant)
    if total == 0:
        return ColumnClass(name, element, round(confidence * 0.5, 3), 0.0, 0, 0, "header")
    if element is E.PASSWORD and found.get(E.PASSWORD_HASH, 0) / total >= 0.8:
        element = E.PASSWORD_HASH  # a "password" column that holds hashes
    support = found.get(element, 0) / total
    if element not in _HEADER_ONLY and support < _MIN_SUPPORT:
        return None
    count = found.get(element, 0) if element not in _HEADER_ONLY else total
    return ColumnClass(
        name, element, round(confidence + (1 - confidence) * support, 3),
        round(support if support else 1.0, 3), count, total,
        "header+values" if support else "header",
    )  # fmt: skip


def _plain_digit_share(series: pl.Series) -> float:
    values = series.cast(pl.String).str.strip_chars().drop_nulls()
    if values.len() == 0:
        return 0.0
    return int(values.str.contains(r"^\d+$").sum()) / values.len()


def _best_value_element(
    share: dict[DataElement, float], crypt_share: float, plain_digit_share: float
) -> tuple[DataElement, float] | None:
    ranked = sorted(share.items(), key=lambda kv: -kv[1])
    for element, s in ranked:
        threshold = _VALUE_ONLY.get(element)
        if threshold is None or s < threshold:
            continue
        if element is E.PASSWORD_HASH and crypt_share < threshold:
            continue  # bare hex digests need a header saying they are passwords
        if element in (E.PHONE, E.SSN) and plain_digit_share > 0.5:
            continue  # unformatted numbers (ids, counters) need a header to be phones or SSNs
        return element, s
    return None


def classify_batch(
    batch: TableBatch, detectors: Sequence[Detector] | None = None
) -> list[ColumnClass]:
    """Classify every column of a table batch."""
    return [classify_column(name, batch.frame[name], detectors) for name in batch.frame.columns]
