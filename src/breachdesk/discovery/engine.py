"""The scan engine: read a source, classify its columns, count elements, collect record hits.

Work is cut into small picklable ``ScanTask`` values (a whole file, or a record-aligned byte range
of a large delimited file with the column plan decided up front), so a local process pool or a
Dask cluster can run them; ``merge`` folds task results into one ``SourceReport`` per file.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from breachdesk.core.element import DataElement
from breachdesk.discovery.columns import classify_batch
from breachdesk.discovery.detectors import Detector
from breachdesk.discovery.model import Locator, Skipped, TableBatch, TextChunk
from breachdesk.discovery.normalize import mask, normalize
from breachdesk.discovery.plan import IDENTIFIER_ELEMENTS, ColumnPlan, plan_columns
from breachdesk.discovery.readers.base import ReadContext, ReadLimits
from breachdesk.discovery.readers.csv_split import ByteRange
from breachdesk.discovery.readers.registry import open_source, read_stream, reader_for
from breachdesk.discovery.registry import default_detectors
from breachdesk.discovery.result import ColumnReport, RecordHit, SourceReport
from breachdesk.discovery.text import detect_many, detect_text

SAMPLES_PER_ELEMENT = 3
CLASSIFY_ROWS = 2_000  # rows of a table's first batch used to decide its columns
EMBEDDED_SAMPLE = 500  # distinct free-text values searched per column and batch (no --incident)
STRICT_SAMPLE = 512  # distinct candidates per column and batch checked by the strict validator
# Free text is only searched where something could be found: an @, a run of digits, a
# capitalised word pair (names, streets) or a long token (keys, tokens).
PROSE_PREFILTER = r"@|\d{3}|\p{Lu}\p{Ll}+[ ,.]+\p{Lu}\p{Ll}|[A-Za-z0-9_\-]{20}"
EMBEDDED_MIN_CONFIDENCE = 0.75
TableKey = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class ScanTask:
    """One unit of scanning work; small and picklable."""

    path: str
    name: str
    collect: bool = False
    part: ByteRange | None = None
    plan: tuple[ColumnPlan, ...] | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)


@dataclass(slots=True)
class ColumnStats:
    """Counts for one column, summed over batches and tasks."""

    plan: ColumnPlan
    values: int = 0
    validated: int = 0
    embedded: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class TaskResult:
    """What one task found; merged per source."""

    records: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    tables: dict[TableKey, dict[str, ColumnStats]] = field(default_factory=dict)
    elements: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)
    hits: list[RecordHit] = field(default_factory=list)


def _sample(result: TaskResult, element: DataElement, value: str) -> None:
    seen = result.samples.setdefault(element.value, [])
    masked = mask(element, value)
    if len(seen) < SAMPLES_PER_ELEMENT and masked not in seen:
        seen.append(masked)


def _validator(element: DataElement, detectors: Sequence[Detector]) -> Detector | None:
    return next((d for d in detectors if element in d.elements), None)


def _non_empty(series: pl.Series) -> pl.Series:
    values = series.cast(pl.String).str.strip_chars()
    return values.filter(values.is_not_null() & (values.str.len_chars() > 0))


def _validated(values: pl.Series, element: DataElement, detectors: Sequence[Detector]) -> int:
    """Values that validate as ``element``: the candidate pattern runs on every value
    (vectorised); the strict validator on up to ``STRICT_SAMPLE`` distinct candidates, whose
    pass rate scales the count."""
    detector = _validator(element, detectors)
    if detector is None:
        return values.len()
    candidates = values
    if detector.value_pattern is not None:
        candidates = values.filter(values.str.contains(detector.value_pattern))
    if candidates.len() == 0:
        return 0
    distinct = candidates.unique(maintain_order=True)
    sample = distinct.head(STRICT_SAMPLE).to_list()
    passed = sum(detector.classify(v) is element for v in sample)
    if len(sample) == distinct.len():
        counts = candidates.value_counts(name="n")
        valid = {v for v in sample if detector.classify(v) is element}
        return int(sum(n for v, n in counts.iter_rows() if v in valid))
    return round(candidates.len() * passed / len(sample))


def _embedded_by_value(
    values: pl.Series, detectors: Sequence[Detector]
) -> dict[str, list[tuple[DataElement, str]]]:
    found: dict[str, list[tuple[DataElement, str]]] = {}
    distinct = values.unique().to_list()
    detected = detect_many(distinct, detectors, min_confidence=EMBEDDED_MIN_CONFIDENCE)
    for value, matches in zip(distinct, detected, strict=True):
        if matches:
            found[value] = [(m.element, m.value) for m in matches]
    return found


def _present(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars().str.len_chars().fill_null(0) > 0


def _element_masks(
    frame: pl.DataFrame,
    plans: Sequence[ColumnPlan],
    embedded: dict[str, dict[str, list[tuple[DataElement, str]]]],
) -> pl.DataFrame:
    """One boolean column per element: does the row hold it."""
    exprs: dict[str, list[pl.Expr]] = defaultdict(list)
    for plan in plans:
        if plan.element is not None and plan.name in frame.columns:
            exprs[plan.element.value].append(_present(plan.name))
    for name, by_value in embedded.items():
        holders: dict[str, list[str]] = defaultdict(list)
        for value, matches in by_value.items():
            for element in {e.value for e, _ in matches}:
                holders[element].append(value)
        for element, values in holders.items():
            exprs[element].append(pl.col(name).is_in(values).fill_null(False))
    if not exprs:
        return pl.DataFrame()
    return frame.select([pl.any_horizontal(e).alias(k) for k, e in sorted(exprs.items())])


def _identifiers(
    row: dict[str, str | None],
    plans: Sequence[ColumnPlan],
    embedded: dict[str, dict[str, list[tuple[DataElement, str]]]],
) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    names: list[str] = []
    for plan in plans:
        value = (row.get(plan.name) or "").strip()
        if not value:
            continue
        if plan.id_kind == "person_name":
            names.append(value)
        elif plan.id_kind is not None:
            element = plan.element
            norm = (
                normalize(element, value)
                if element and element in IDENTIFIER_ELEMENTS
                else (" ".join(value.split()))
            )
            found.append((plan.id_kind, norm))
        for element, raw in embedded.get(plan.name, {}).get(row.get(plan.name) or "", []):
            kind = IDENTIFIER_ELEMENTS.get(element)
            if kind is not None and kind != "person_name":
                found.append((kind, normalize(element, raw)))
    if names:
        found.append(("person_name", " ".join(" ".join(names).split())))
    return tuple(dict.fromkeys(found))


def _estimate_embedded(
    values: pl.Series, detectors: Sequence[Detector], column: ColumnStats, result: TaskResult
) -> Counter[str]:
    """Rows holding each element inside free text, from up to ``EMBEDDED_SAMPLE`` distinct
    prefiltered values scaled to all prefiltered rows (used when no per-record output is kept)."""
    candidates = values.filter(values.str.contains(PROSE_PREFILTER))
    if candidates.len() == 0:
        return Counter()
    counts = candidates.value_counts(name="n", sort=False)
    name = counts.columns[0]
    sample = counts.head(EMBEDDED_SAMPLE) if counts.height > EMBEDDED_SAMPLE else counts
    scale = candidates.len() / max(1, int(sample["n"].sum()))
    found: Counter[str] = Counter()
    rows = list(sample.select(name, "n").iter_rows())
    detected = detect_many([v for v, _ in rows], detectors, min_confidence=EMBEDDED_MIN_CONFIDENCE)
    for (_value, n), matches in zip(rows, detected, strict=True):
        elements = set()
        for match in matches:
            elements.add(match.element.value)
            _sample(result, match.element, match.value)
        for element in elements:
            found[element] += n
    estimate = Counter({e: round(n * scale) for e, n in found.items()})
    column.embedded.update(estimate)
    return estimate


def _process_batch(
    batch: TableBatch,
    plans: Sequence[ColumnPlan],
    result: TaskResult,
    detectors: Sequence[Detector],
    collect: bool,
) -> None:
    key: TableKey = (batch.locator.path, batch.locator.table)
    stats = result.tables.setdefault(key, {p.name: ColumnStats(p) for p in plans})
    frame = batch.frame
    result.records += frame.height
    embedded: dict[str, dict[str, list[tuple[DataElement, str]]]] = {}
    estimated: Counter[str] = Counter()
    for plan in plans:
        if plan.name not in frame.columns:
            continue
        values = _non_empty(frame[plan.name])
        column = stats.setdefault(plan.name, ColumnStats(plan))
        column.values += values.len()
        if plan.element is not None and values.len():
            column.validated += _validated(values, plan.element, detectors)
            _sample(result, plan.element, values[0])
        elif plan.free_text and values.len() and not collect:
            estimated.update(_estimate_embedded(values, detectors, column, result))
        elif plan.free_text and values.len():
            by_value = _embedded_by_value(values, detectors)
            embedded[plan.name] = by_value
            for value, n in values.value_counts(name="n").iter_rows():
                for element, raw in by_value.get(value, []):
                    column.embedded[element.value] += n
                    _sample(result, element, raw)
    held = {p.element.value for p in plans if p.element is not None}
    for name, n in estimated.items():
        if name not in held:  # rows already counted through a column are not added twice
            result.elements[name] += n
    masks = _element_masks(frame, plans, embedded)
    if masks.width == 0:
        return
    for name, count in masks.sum().row(0, named=True).items():
        result.elements[name] += int(count)
    if collect:
        _collect_hits(batch, masks, plans, embedded, result)


def _collect_hits(
    batch: TableBatch,
    masks: pl.DataFrame,
    plans: Sequence[ColumnPlan],
    embedded: dict[str, dict[str, list[tuple[DataElement, str]]]],
    result: TaskResult,
) -> None:
    table = batch.locator.path + (f"::{batch.locator.table}" if batch.locator.table else "")
    names = masks.columns
    wanted = [p.name for p in plans if p.name in batch.frame.columns]
    rows = batch.frame.select(wanted).cast(pl.String).iter_rows(named=True)
    for offset, (flags, row) in enumerate(zip(masks.iter_rows(), rows, strict=True)):
        elements = tuple(n for n, flag in zip(names, flags, strict=True) if flag)
        if elements:
            result.hits.append(
                RecordHit(
                    table, batch.first_row + offset, elements, _identifiers(row, plans, embedded)
                )
            )


def _process_text(
    chunk: TextChunk, result: TaskResult, detectors: Sequence[Detector], collect: bool
) -> None:
    result.records += 1
    matches = detect_text(chunk.text, detectors)
    for m in matches:
        result.elements[m.element.value] += 1
        _sample(result, m.element, m.value)
    if collect and matches:
        ids = tuple(
            dict.fromkeys(
                (IDENTIFIER_ELEMENTS[m.element], normalize(m.element, m.value))
                for m in matches
                if m.element in IDENTIFIER_ELEMENTS
            )
        )
        result.hits.append(
            RecordHit(
                chunk.locator.path,
                chunk.first_line,
                tuple(sorted({m.element.value for m in matches})),
                ids,
            )
        )


def decide_columns(batch: TableBatch, detectors: Sequence[Detector]) -> tuple[ColumnPlan, ...]:
    """Plans for a table from rows spread evenly over its first batch."""
    frame = batch.frame
    if frame.height > CLASSIFY_ROWS:
        frame = frame.gather_every(frame.height // CLASSIFY_ROWS).head(CLASSIFY_ROWS)
    sample = TableBatch(batch.locator, batch.first_row, frame)
    return plan_columns(classify_batch(sample, detectors), frame)


def run_task(task: ScanTask) -> TaskResult:
    """Execute one task; never raises on bad input (bad parts become ``Skipped``)."""
    from breachdesk.discovery.readers.delimited import CsvReader

    detectors = default_detectors()
    result = TaskResult()
    if task.part is not None:
        context = ReadContext(task.limits, nested=read_stream)
        items: Iterable[object] = CsvReader().read_range(
            Path(task.path), task.part, Locator(task.name), context
        )
    else:
        items = open_source(task.path, limits=task.limits, name=task.name)
    plans: dict[TableKey, tuple[ColumnPlan, ...]] = {}
    for item in items:
        if isinstance(item, Skipped):
            result.skipped.append(item)
        elif isinstance(item, TextChunk):
            _process_text(item, result, detectors, task.collect)
        elif isinstance(item, TableBatch):
            key = (item.locator.path, item.locator.table)
            if task.plan is None and key not in plans:
                plans[key] = decide_columns(item, detectors)
            table_plan = task.plan if task.plan is not None else plans[key]
            _process_batch(item, table_plan, result, detectors, task.collect)
    return result


SPLIT_BYTES = 16 << 20
# Smaller ranges when per-record hits travel back: each task's hits are held in memory until
# the parent spills them.
COLLECT_SPLIT_BYTES = 16 << 20


def source_format(path: Path) -> str:
    """Name of the reader that handles the file, or ``unknown``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return "unreadable"
    reader = reader_for(path.name, head)
    return reader.name if reader is not None else "unknown"


def _first_batch_plan(
    path: Path, part: ByteRange, limits: ReadLimits
) -> tuple[ColumnPlan, ...] | None:
    from breachdesk.discovery.readers.delimited import CsvReader

    context = ReadContext(limits, nested=read_stream)
    for item in CsvReader().read_range(path, part, Locator(path.name), context):
        if isinstance(item, TableBatch):
            return decide_columns(item, default_detectors())
    return None


def plan_tasks(
    path: Path, *, collect: bool, limits: ReadLimits | None = None, split_bytes: int = SPLIT_BYTES
) -> list[ScanTask]:
    """Cut one file into tasks: byte ranges for large delimited files, else the whole file."""
    from breachdesk.discovery.readers.csv_split import split_csv

    limits = limits or ReadLimits()
    if collect:
        split_bytes = min(split_bytes, COLLECT_SPLIT_BYTES)
    whole = [ScanTask(str(path), path.name, collect, limits=limits)]
    try:
        size = path.stat().st_size
    except OSError:
        return whole
    if size <= split_bytes or source_format(path) != "csv":
        return whole
    ranges = split_csv(path, split_bytes)
    if len(ranges) < 2:
        return whole
    plan = _first_batch_plan(path, ranges[0], limits)
    if plan is None:
        return whole
    return [ScanTask(str(path), path.name, collect, part, plan, limits) for part in ranges]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _merge_tables(results: Sequence[TaskResult]) -> dict[TableKey, dict[str, ColumnStats]]:
    merged: dict[TableKey, dict[str, ColumnStats]] = {}
    for result in results:
        for key, columns in result.tables.items():
            into = merged.setdefault(key, {})
            for name, stats in columns.items():
                target = into.setdefault(name, ColumnStats(stats.plan))
                target.values += stats.values
                target.validated += stats.validated
                target.embedded.update(stats.embedded)
    return merged


def _column_reports(tables: dict[TableKey, dict[str, ColumnStats]]) -> tuple[ColumnReport, ...]:
    reports = []
    for (path, table), columns in tables.items():
        where = path + (f"::{table}" if table else "")
        for stats in columns.values():
            plan = stats.plan
            share = stats.validated / stats.values if stats.values and plan.element else 0.0
            reports.append(
                ColumnReport(
                    where,
                    plan.name,
                    plan.element.value if plan.element else None,
                    plan.confidence,
                    min(share, 1.0),
                    stats.values,
                    dict(stats.embedded),
                )
            )
    return tuple(reports)


def merge(
    path: Path, results: Sequence[TaskResult], *, sha256: str | None = None
) -> tuple[SourceReport, list[RecordHit]]:
    """Fold the results of one file's tasks (in task order) into its report and hits."""
    samples: dict[str, list[str]] = {}
    elements: Counter[str] = Counter()
    for result in results:
        elements.update(result.elements)
        for element, masked in result.samples.items():
            seen = samples.setdefault(element, [])
            seen.extend(m for m in masked if m not in seen)
    report = SourceReport(
        path=str(path),
        sha256=sha256 or file_sha256(path),
        size=path.stat().st_size,
        format=source_format(path),
        records=sum(r.records for r in results),
        skipped=tuple(s for r in results for s in r.skipped),
        columns=_column_reports(_merge_tables(results)),
        elements=dict(elements),
        samples={k: tuple(v[:SAMPLES_PER_ELEMENT]) for k, v in samples.items()},
    )
    return report, [hit for r in results for hit in r.hits]


def task_bytes(task: ScanTask) -> int:
    """Bytes of input a task covers (for progress)."""
    if task.part is not None:
        return task.part.end - task.part.start
    try:
        return Path(task.path).stat().st_size
    except OSError:
        return 0


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, plus every file under named folders (sorted, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def scan_paths(
    paths: Sequence[Path],
    *,
    collect: bool = False,
    run: Callable[[Sequence[ScanTask]], Iterable[TaskResult]] | None = None,
) -> list[tuple[SourceReport, list[RecordHit]]]:
    """Scan files in-process (or with ``run`` mapping tasks to results in order)."""
    runner = run or (lambda tasks: [run_task(t) for t in tasks])
    out = []
    for path in paths:
        tasks = plan_tasks(path, collect=collect)
        out.append(merge(path, list(runner(tasks))))
    return out
