"""Composition root: Settings -> adapters -> services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.adapters.evidence_store import FileBlobStore
from breachdesk.adapters.spool import EncryptedSpool
from breachdesk.adapters.sql.types import install_cipher
from breachdesk.adapters.sql.uow import SqlUnitOfWorkFactory, make_engine
from breachdesk.adapters.workspace import (
    Layout,
    check_schema,
    initialise_schema,
    load_key,
    prepare_home,
)
from breachdesk.config import Settings
from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock, SystemClock
from breachdesk.core.errors import ConfigError
from breachdesk.identity import CustomerMaster
from breachdesk.services.audit import AuditService
from breachdesk.services.casefile import CaseService
from breachdesk.services.evidence import EvidenceService
from breachdesk.services.findings import FindingService
from breachdesk.services.notices import NoticeService
from breachdesk.services.obligations import ObligationService
from breachdesk.services.people import LinkService
from breachdesk.services.people_views import PeopleService
from breachdesk.services.ports import Executor
from breachdesk.services.scan import ScanService
from breachdesk.vulns.sla import parse_sla_days


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything a front end needs, wired for one workspace."""

    settings: Settings
    layout: Layout
    engine: Engine
    cipher: FieldCipher
    actor: str
    cases: CaseService
    evidence: EvidenceService
    audit: AuditService
    scans: ScanService
    link: LinkService
    people: PeopleService
    obligations: ObligationService
    notices: NoticeService
    findings: FindingService

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``init`` did."""

    home: str
    database: str
    created_key_file: bool
    created_schema: bool


def _secret(settings: Settings) -> str | None:
    return settings.key.get_secret_value() if settings.key else None


def _database_label(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url.split("@")[-1]
    return str(settings.home / "breachdesk.db")


def _engine(settings: Settings, cipher: FieldCipher) -> Engine:
    engine = make_engine(settings.resolved_database_url())
    install_cipher(engine, cipher)
    return engine


def init_workspace(settings: Settings, clock: Clock | None = None) -> InitResult:
    """Create (or re-check) the workspace: folder, key, schema; audit a first initialisation."""
    layout = Layout(settings.home)
    key, created_key = prepare_home(layout, _secret(settings))
    cipher = FieldCipher(key)
    engine = _engine(settings, cipher)
    try:
        fresh = initialise_schema(engine, cipher)
        if fresh:
            uow = SqlUnitOfWorkFactory(engine)()
            with uow:
                uow.audit.append(
                    AuditDraft(
                        at=(clock or SystemClock()).now(),
                        actor=settings.resolved_actor(),
                        action=AuditAction.WORKSPACE_INITIALISED,
                        subject="workspace",
                        details={"key_fingerprint": cipher.fingerprint},
                    )
                )
                uow.commit()
    finally:
        engine.dispose()
    return InitResult(str(layout.home), _database_label(settings), created_key, fresh)


def make_executor(*, workers: int = 1, dask: str | None = None) -> Executor:
    """The executor for scans: a Dask cluster, a local process pool, or this process."""
    from breachdesk.adapters.executor import DaskExecutor, InlineExecutor, LocalExecutor

    if dask:
        return DaskExecutor(dask)
    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    return LocalExecutor(workers) if workers > 1 else InlineExecutor()


def load_master(
    source: str, *, query: str | None, overrides: dict[str, str] | None, keys: list[str] | None
) -> CustomerMaster:
    """A customer master from a CSV/Parquet file or a database URL and query."""
    from breachdesk.adapters.customer_master import load_customer_master

    return load_customer_master(source, query=query, overrides=overrides, keys=keys)


def open_workspace(settings: Settings, clock: Clock | None = None) -> Workspace:
    """Open an initialised workspace, checking the schema and the key."""
    layout = Layout(settings.home)
    if not settings.database_url and not (layout.home / "breachdesk.db").is_file():
        raise ConfigError(
            f"no workspace at {layout.home}: run `breachdesk init` (or set BREACHDESK_HOME)"
        )
    cipher = FieldCipher(load_key(layout, _secret(settings)))
    engine = _engine(settings, cipher)
    try:
        check_schema(engine, cipher, where=_database_label(settings))
    except ConfigError:
        engine.dispose()
        raise
    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(engine)
    evidence = EvidenceService(uow, FileBlobStore(layout.evidence), clock)
    people = PeopleService(uow, cipher, clock)
    obligations = ObligationService(uow, clock)
    return Workspace(
        settings=settings,
        layout=layout,
        engine=engine,
        cipher=cipher,
        actor=settings.resolved_actor(),
        cases=CaseService(uow, clock),
        evidence=evidence,
        audit=AuditService(uow, clock),
        scans=ScanService(uow, evidence, cipher, clock, EncryptedSpool),
        link=LinkService(uow, cipher, clock),
        people=people,
        obligations=obligations,
        notices=NoticeService(uow, people, obligations, clock),
        findings=FindingService(uow, clock, parse_sla_days(settings.sla_days)),
    )
