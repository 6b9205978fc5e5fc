"""Evidence use cases: add (write-once, idempotent), list, verify, export, each with custody."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from breachdesk.casefile.evidence import (
    CHUNK,
    CustodyAction,
    CustodyEntry,
    EvidenceItem,
    hash_stream,
    sniff_media_type,
)
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import CryptoError, IntegrityError, InvalidInputError
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.ports import BlobStore, StoredBlob, UnitOfWork, UnitOfWorkFactory
from breachdesk.services.state import evidence_state, evidence_subject


@dataclass(frozen=True, slots=True)
class AddResult:
    """An evidence item and whether this call stored it (False: the bytes were already there)."""

    item: EvidenceItem
    created: bool


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of re-hashing one stored item."""

    item: EvidenceItem
    ok: bool
    reason: str | None


def _record(
    uow: UnitOfWork,
    item: EvidenceItem,
    action: CustodyAction,
    audit: AuditAction,
    *,
    actor: str,
    clock: Clock,
    detail: str | None,
) -> CustodyEntry:
    now = clock.now()
    entry = uow.evidence.add_custody(item.id, action=action, actor=actor, at=now, detail=detail)
    uow.audit.append(
        AuditDraft(
            at=now,
            actor=actor,
            action=audit,
            subject=evidence_subject(item.id),
            incident_id=item.incident_id,
            details={"custody": entry.id, "detail": detail},
            state_hash=evidence_state(uow, item.id),
        )
    )
    return entry


class EvidenceService:
    """Register, verify and export evidence with a chain of custody."""

    def __init__(self, uow: UnitOfWorkFactory, store: BlobStore, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._clock = clock

    def add(
        self, incident_id: IncidentId, path: Path, *, actor: str, description: str | None = None
    ) -> AddResult:
        """Store a file write-once and register it; the same bytes again change nothing."""
        if not path.is_file():
            raise InvalidInputError(f"{path}: not a readable file")
        with self._uow() as uow:  # fail before copying anything if the incident is unknown
            uow.incidents.get(incident_id)
        try:
            with path.open("rb") as fh:
                head = fh.read(64)
            with self._store.put(path, self._shared_key) as blob:  # locked until committed
                return self._register(incident_id, path.name, head, blob, actor, description)
        except OSError as exc:
            raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None

    def _shared_key(self, sha256: str) -> bytes | None:
        """The key stored bytes are sealed with, from any incident's item of them."""
        with self._uow() as uow:
            return uow.evidence.shared_blob_key(sha256)

    def _register(
        self,
        incident_id: IncidentId,
        name: str,
        head: bytes,
        blob: StoredBlob,
        actor: str,
        description: str | None,
    ) -> AddResult:
        with self._uow() as uow:
            existing = uow.evidence.find(incident_id, blob.sha256)
            if existing is not None:
                return AddResult(existing, created=False)
            item = uow.evidence.add(
                incident_id,
                sha256=blob.sha256,
                size=blob.size,
                media_type=sniff_media_type(name, head),
                original_name=name,
                description=description,
                added_by=actor,
                at=self._clock.now(),
                blob_key=blob.key,  # this incident's own sealed copy of the blob's key
            )
            _record(
                uow,
                item,
                CustodyAction.ADDED,
                AuditAction.EVIDENCE_ADDED,
                actor=actor,
                clock=self._clock,
                detail=f"stored as sha256:{blob.sha256}",
            )
            uow.commit()
        return AddResult(item, created=True)

    def open(self, item: EvidenceItem) -> BinaryIO:
        """The item's stored bytes, decrypted (an authentication failure is a CryptoError)."""
        with self._uow() as uow:
            key = uow.evidence.blob_key(item.id)
        return self._store.open(item.sha256, key)

    def items(self, incident_id: IncidentId) -> list[EvidenceItem]:
        """The incident's evidence items."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.evidence.for_incident(incident_id)

    def custody(self, evidence_id: EvidenceId) -> list[CustodyEntry]:
        """An item's chain of custody."""
        with self._uow() as uow:
            uow.evidence.get(evidence_id)
            return uow.evidence.custody(evidence_id)

    def _check(self, item: EvidenceItem) -> VerifyResult:
        if not self._store.exists(item.sha256):
            return VerifyResult(item, False, "stored file is missing")
        try:
            with self.open(item) as fh:
                sha256, size = hash_stream(fh)
        except CryptoError:
            return VerifyResult(
                item, False, "stored file no longer matches what was stored (fails authentication)"
            )
        if sha256 != item.sha256 or size != item.size:
            return VerifyResult(item, False, "stored file no longer matches its SHA-256")
        return VerifyResult(item, True, None)

    def verify(self, incident_id: IncidentId, *, actor: str) -> list[VerifyResult]:
        """Re-hash every stored item of the incident and record the outcome in custody."""
        results = [self._check(item) for item in self.items(incident_id)]
        with self._uow() as uow:
            for r in results:
                action, audit = (
                    (CustodyAction.VERIFIED, AuditAction.EVIDENCE_VERIFIED)
                    if r.ok
                    else (CustodyAction.VERIFY_FAILED, AuditAction.EVIDENCE_VERIFY_FAILED)
                )
                _record(uow, r.item, action, audit, actor=actor, clock=self._clock, detail=r.reason)
            uow.commit()
        return results

    def export(
        self, incident_id: IncidentId, evidence_id: EvidenceId, destination: Path, *, actor: str
    ) -> Path:
        """Copy a stored item out, checking its hash on the way; custody records the access."""
        with self._uow() as uow:
            item = uow.evidence.get(evidence_id)
        if item.incident_id != incident_id:
            raise InvalidInputError(f"evidence {evidence_id}: not part of incident {incident_id}")
        target = destination / item.original_name if destination.is_dir() else destination
        if target.exists():
            raise InvalidInputError(f"{target}: already exists; choose another --to")
        if not self._store.exists(item.sha256):
            raise IntegrityError(f"evidence {evidence_id}: stored file is missing")
        partial = target.with_name(target.name + ".partial")
        h = hashlib.sha256()
        try:
            with self.open(item) as src, partial.open("xb") as dst:
                while chunk := src.read(CHUNK):
                    h.update(chunk)
                    dst.write(chunk)
            if h.hexdigest() != item.sha256:
                partial.unlink()
                raise IntegrityError(
                    f"evidence {evidence_id}: stored file no longer matches its "
                    "SHA-256; not exported"
                )
            os.replace(partial, target)
        except CryptoError:
            partial.unlink(missing_ok=True)
            raise IntegrityError(
                f"evidence {evidence_id}: stored file fails authentication; not exported"
            ) from None
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InvalidInputError(f"{target}: cannot write ({exc.strerror})") from None
        with self._uow() as uow:
            _record(
                uow,
                item,
                CustodyAction.EXPORTED,
                AuditAction.EVIDENCE_EXPORTED,
                actor=actor,
                clock=self._clock,
                detail=f"exported to {target}",
            )
            uow.commit()
        return target
