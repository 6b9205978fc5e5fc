"""Postal letters: one print-ready PDF per letter in a workspace spool, with a mail-house manifest.

Layout: ``<spool>/<incident>/<batch>/<letter id>.pdf`` and ``manifest.csv`` beside them. Both hold
personal data (names, addresses, exposed data), so folders are created 0700 and files 0600; hand
a batch to the mail house over an encrypted channel and delete it once printed. The manifest is
authoritative: a letter is queued for print once its row is written (a PDF without a row, left by
a crash, is written again). A letter id already in a manifest of the incident is not written
twice, so a resend after a crash is recognised.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from breachdesk.core.clock import Clock, SystemClock
from breachdesk.core.delivery import OutboxMessage, Receipt, Verdict
from breachdesk.notify.message import Channel, RenderedMessage
from breachdesk.notify.pdf import render_pdf
from breachdesk.notify.postal import parse_recipient

MANIFEST = "manifest.csv"
ADDRESS_LINES = 5
FIELDS = (
    "letter_id",
    "reference",
    "file",
    "pages",
    "name",
    *(f"address_{i}" for i in range(1, ADDRESS_LINES + 1)),
)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class LetterOptions:
    """Where letters are spooled for the mail house."""

    spool: Path


def reference(incident_id: int, letter_id: int) -> str:
    """The letter's reference for the mail house: identifies it without any personal data."""
    return f"BD-{incident_id}-{letter_id:08d}"


def address_fields(recipient: str) -> list[str]:
    """Name and ``ADDRESS_LINES`` address fields (extra lines joined into the last)."""
    postal = parse_recipient(recipient)
    lines = list(postal.lines[: ADDRESS_LINES - 1])
    lines.append(", ".join(postal.lines[ADDRESS_LINES - 1 :]))
    lines += [""] * (ADDRESS_LINES - len(lines))
    # spreadsheets run cells starting with these characters as formulas
    return [f"'{v}" if v.startswith(_FORMULA) else v for v in (postal.name, *lines)]


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by ReportLab (page objects, not the page tree)."""
    return len(_PAGE.findall(pdf))


class _Batch:
    """One open batch folder and its manifest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        fd = os.open(folder / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.manifest: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.manifest)
        self.writer.writerow(FIELDS)
        self.manifest.flush()


class LetterTransport:
    """Writes each letter as a PDF into a print batch and lists it in the batch's manifest."""

    def __init__(self, options: LetterOptions, clock: Clock | None = None) -> None:
        self._spool = options.spool
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._layout = threading.Lock()
        self._batches: dict[tuple[int, str], _Batch] = {}
        self._done: dict[int, dict[int, str]] = {}  # incident -> letter id -> batch name

    def __repr__(self) -> str:
        return "LetterTransport()"

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return "letter"

    def send(self, message: OutboxMessage) -> Receipt:
        """Queue one letter for print; a spool that cannot be written is a temporary failure."""
        ref = reference(message.incident_id, message.id)
        try:
            with self._lock:
                earlier = self._written(message.incident_id).get(message.id)
            if earlier is not None:
                return Receipt(Verdict.ACCEPTED, f"already queued for print: batch {earlier}", ref)
            try:
                # ReportLab's font registry is not documented as thread-safe, and pure-Python
                # layout gains nothing from threads under the GIL: one layout at a time
                with self._layout:
                    pdf = render_pdf(_rendered(message))
            except ValueError as exc:  # markup ReportLab cannot lay out: resending will not help
                return Receipt(Verdict.PERMANENT, f"letter layout failed: {type(exc).__name__}")
            row = [str(message.id), ref, f"{message.id:08d}.pdf", str(page_count(pdf))]
            row += address_fields(message.recipient)
            with self._lock:
                batch = self._batch(message.incident_id, message.campaign)
                _write_private(batch.folder / row[2], pdf)
                batch.writer.writerow(row)
                batch.manifest.flush()
                self._written(message.incident_id)[message.id] = batch.folder.name
        except OSError as exc:
            return Receipt(Verdict.TEMPORARY, f"spool not writable: {exc.strerror or exc}", ref)
        return Receipt(
            Verdict.ACCEPTED, f"queued for print: batch {batch.folder.name} file {row[2]}", ref
        )

    def batches(self) -> tuple[Path, ...]:
        """Folders of the batches this transport opened."""
        with self._lock:
            return tuple(b.folder for b in self._batches.values())

    def close(self) -> None:
        """Close every open manifest."""
        with self._lock:
            batches, self._batches = list(self._batches.values()), {}
        for batch in batches:
            batch.manifest.close()

    def _written(self, incident_id: int) -> dict[int, str]:
        done = self._done.get(incident_id)
        if done is None:
            done = {}
            for manifest in sorted((self._spool / str(incident_id)).glob(f"*/{MANIFEST}")):
                with manifest.open(encoding="utf-8", newline="") as fh:
                    for record in csv.DictReader(fh):
                        if (record.get("letter_id") or "").isdigit():
                            done[int(record["letter_id"])] = manifest.parent.name
            self._done[incident_id] = done
        return done

    def _batch(self, incident_id: int, campaign: str) -> _Batch:
        batch = self._batches.get((incident_id, campaign))
        if batch is None:
            parent = self._spool / str(incident_id)
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            stamp = self._clock.now().strftime("%Y%m%dT%H%M%SZ")
            base = f"{stamp}-{_UNSAFE.sub('-', campaign).strip('-') or 'letters'}"
            for n in range(1, 1000):
                folder = parent / (base if n == 1 else f"{base}-{n}")
                try:
                    folder.mkdir(mode=0o700)
                except FileExistsError:
                    continue
                break
            else:  # pragma: no cover - a thousand batches in one second
                raise FileExistsError(f"{parent}: no free batch folder")
            batch = _Batch(folder)
            self._batches[(incident_id, campaign)] = batch
        return batch


def _rendered(message: OutboxMessage) -> RenderedMessage:
    return RenderedMessage(
        channel=Channel.LETTER,
        locale="",
        subject=message.subject,
        text=message.body_text,
        html=message.body_html,
        template_id="letter",
        template_version=message.template_version,
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (a reader never sees half a PDF)."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with io.FileIO(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
