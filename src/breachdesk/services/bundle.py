"""Encrypted, signed hand-off bundles of an incident's case file, people manifest and audit."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import UnitOfWorkFactory

# A part renders one incident's content as bytes; it audits its own reads (e.g. the manifest).
Part = Callable[[IncidentId, str], bytes]


class BundleWriter(Protocol):
    """Writes the encrypted, signed bundle file."""

    def __call__(
        self, target: Path, files: dict[str, bytes], *, recipient: str, created: datetime
    ) -> Mapping[str, object]: ...


def to_json_bytes(value: Any) -> bytes:
    """Dataclasses, enums and datetimes as indented JSON."""

    def default(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        if isinstance(obj, datetime):
            return obj.isoformat()
        if isinstance(obj, set | frozenset | tuple):
            return sorted(obj, key=str) if isinstance(obj, set | frozenset) else list(obj)
        return str(obj)

    return json.dumps(value, default=default, indent=2, sort_keys=True).encode("utf-8")


class BundleService:
    """Builds a bundle from chosen parts and records who sent what to whom."""

    def __init__(
        self, uow: UnitOfWorkFactory, writer: BundleWriter, clock: Clock, parts: dict[str, Part]
    ) -> None:
        self._uow = uow
        self._writer = writer
        self._clock = clock
        self.parts = parts

    def create(
        self,
        incident_id: IncidentId,
        target: Path,
        *,
        recipient: str,
        parts: list[str],
        actor: str,
    ) -> Mapping[str, object]:
        """Write the bundle; the audit entry names the parts, hashes and the recipient key."""
        unknown = sorted(set(parts) - self.parts.keys())
        if unknown or not parts:
            raise InvalidInputError(
                f"--parts: unknown {', '.join(unknown) or '(none)'};"
                f" choose from {', '.join(sorted(self.parts))}"
            )
        with self._uow() as uow:
            uow.incidents.get(incident_id)  # raises NotFoundError
        files = {f"{name}.json": self.parts[name](incident_id, actor) for name in parts}
        now = self._clock.now()
        manifest = self._writer(target, files, recipient=recipient, created=now)
        with self._uow() as uow:
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.BUNDLE_EXPORTED,
                    subject=f"bundle:{incident_id}",
                    incident_id=incident_id,
                    details={"parts": parts, "recipient": recipient, "files": manifest["files"]},
                )
            )
            uow.commit()
        return manifest
