"""Composition root: Settings -> adapters -> services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.adapters.evidence_store import FileBlobStore
from breachdesk.adapters.smtp import DkimKey
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
from breachdesk.services.bounces import BounceService
from breachdesk.services.campaign import CampaignService
from breachdesk.services.casefile import CaseService
from breachdesk.services.evidence import EvidenceService
from breachdesk.services.findings import FindingService
from breachdesk.services.investigation import InvestigationService
from breachdesk.services.logs import LogService
from breachdesk.services.notices import NoticeService
from breachdesk.services.obligations import ObligationService
from breachdesk.services.passwords import PasswordService, PwnedCheck
from breachdesk.services.people import LinkService
from breachdesk.services.people_views import PeopleService
from breachdesk.services.ports import Executor, Transport
from breachdesk.services.reset_tracking import ResetTracking
from breachdesk.services.resets import ResetService
from breachdesk.services.scan import ScanService
from breachdesk.services.timeline import TimelineService
from breachdesk.vulns.sla import parse_sla_days

if TYPE_CHECKING:
    from breachdesk.core.ids import EvidenceId, IncidentId
    from breachdesk.services.access_report import AccessReportService
    from breachdesk.services.bundle import BundleService
    from breachdesk.services.codescan import CodeScanService
    from breachdesk.services.dashboard import DashboardService
    from breachdesk.services.followup import FollowupService, Recipient
    from breachdesk.services.pentest import PentestService
    from breachdesk.services.portal import PortalService
    from breachdesk.services.purge import PurgeService
    from breachdesk.services.retention import RetentionService
    from breachdesk.services.retest import RetestService
    from breachdesk.services.schedule import ScheduleService
    from breachdesk.services.users import UserService


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
    logs: LogService
    timeline: TimelineService
    investigation: InvestigationService
    link: LinkService
    people: PeopleService
    obligations: ObligationService
    notices: NoticeService
    campaigns: CampaignService
    bounces: BounceService
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
    if settings.key:
        return settings.key.get_secret_value()
    if settings.key_command:  # a KMS or HSM client printing the key
        from breachdesk.adapters.crypto import encode_key, key_from_command

        return encode_key(key_from_command(settings.key_command))
    return None


def _database_label(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url.split("@")[-1]
    return str(settings.home / "breachdesk.db")


def _engine(settings: Settings, cipher: FieldCipher) -> Engine:
    from breachdesk.adapters.keyring import use_key_store
    from breachdesk.adapters.sql.types import engine_keyring

    engine = make_engine(settings.resolved_database_url())
    install_cipher(engine, cipher)
    # incident data keys are wrapped by keys kept beside the key file, outside the database
    use_key_store(engine_keyring(engine), Layout(settings.home).key_store)
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
        logs=LogService(uow, FileBlobStore(layout.evidence), evidence, clock),
        timeline=TimelineService(uow, clock),
        investigation=InvestigationService(uow, cipher, clock),
        link=LinkService(uow, cipher, clock),
        people=people,
        obligations=obligations,
        notices=NoticeService(uow, people, obligations, clock),
        findings=FindingService(uow, clock, parse_sla_days(settings.sla_days)),
        campaigns=CampaignService(uow, obligations, cipher, clock),
        bounces=BounceService(uow, clock),
    )


@dataclass(frozen=True, slots=True)
class MailRoute:
    """Where e-mail notices go: the configured SMTP server or the embedded Maildir sink."""

    transport: Transport
    description: str  # host:port, or the sink's Maildir path
    maildir: Path | None  # set when the embedded sink receives the mail


@contextmanager
def email_route(settings: Settings, home: Path) -> Iterator[MailRoute]:
    """SMTP per ``BREACHDESK_SMTP_*``; without a host, an embedded sink on loopback for the
    duration of the block, filing into ``<home>/mail`` over real SMTP."""
    from breachdesk.adapters.mail_sink import LOOPBACK, MailSink
    from breachdesk.adapters.smtp import SmtpSettings, SmtpTransport

    sender = settings.smtp_from
    domain = message_id_domain(settings)
    dkim = _dkim_key(settings)
    if settings.smtp_host:
        port = (
            settings.smtp_port or {"none": 25, "starttls": 587, "tls": 465}[settings.smtp_security]
        )
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        smtp = SmtpSettings(
            host=settings.smtp_host,
            port=port,
            sender=sender,
            domain=domain,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=password,
            timeout=settings.smtp_timeout,
            per_domain=settings.smtp_per_domain,
            verify_tls=settings.smtp_verify_tls,
            dkim=dkim,
        )
        transport = SmtpTransport(smtp)
        try:
            yield MailRoute(transport, f"{settings.smtp_host}:{port}", None)
        finally:
            transport.close()
        return
    maildir = home / "mail"
    maildir.parent.mkdir(parents=True, exist_ok=True)
    with MailSink(maildir) as sink:
        transport = SmtpTransport(
            SmtpSettings(host=LOOPBACK, port=sink.port, sender=sender, domain=domain, dkim=dkim)
        )
        try:
            yield MailRoute(transport, str(maildir), maildir)
        finally:
            transport.close()


def message_id_domain(settings: Settings) -> str:
    """The right-hand side of this workspace's Message-IDs (``BREACHDESK_SMTP_DOMAIN``)."""
    return settings.smtp_domain or settings.smtp_from.rpartition("@")[2] or "breachdesk.invalid"


def _dkim_key(settings: Settings) -> DkimKey | None:
    """The DKIM key of ``BREACHDESK_DKIM_*``, or None when signing is not configured."""
    if not settings.dkim_selector and not settings.dkim_key_file:
        return None
    if not settings.dkim_selector or not settings.dkim_key_file:
        raise ConfigError("DKIM needs both BREACHDESK_DKIM_SELECTOR and BREACHDESK_DKIM_KEY_FILE")
    domain = settings.dkim_domain or settings.smtp_from.rpartition("@")[2]
    path = settings.dkim_key_file
    try:
        return DkimKey.from_file(settings.dkim_selector, domain, path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the DKIM key ({exc.strerror})") from None


def channel_transport(channel: str, settings: Settings, home: Path) -> Transport | None:
    """The configured transport of a non-e-mail channel (SMS, letter, in-app), else None."""
    from breachdesk.adapters.channels import channel_transport as configured

    return configured(channel, settings, home)


@dataclass(frozen=True, slots=True)
class SecurityTesting:
    """The web test, code scanning, re-test and follow-up services of a workspace."""

    pentest: PentestService
    code: CodeScanService
    retest: RetestService
    followup: FollowupService
    schedules: ScheduleService


def security_testing(
    ws: Workspace, *, clock: Clock | None = None, advisories_online: bool = False
) -> SecurityTesting:
    """Wire the security-testing services (HTTP probe, installed scanners) for ``ws``."""
    from breachdesk.adapters.http_probe import HttpProbe
    from breachdesk.adapters.scanner_tools import ScannerTools
    from breachdesk.services.codescan import CodeScanService
    from breachdesk.services.followup import FollowupService, Recipient
    from breachdesk.services.pentest import PentestService
    from breachdesk.services.retest import RetestService
    from breachdesk.services.schedule import ScheduleService

    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(ws.engine)
    tools = ScannerTools(advisories_online=advisories_online)

    def add_evidence(incident_id: IncidentId, path: Path, description: str) -> EvidenceId:
        return ws.evidence.add(incident_id, path, actor=ws.actor, description=description).item.id

    workdir = ws.layout.home / "scanner-reports"
    pentest = PentestService(
        uow, clock, ws.findings, HttpProbe, tools=tools, add_evidence=add_evidence, workdir=workdir
    )
    code = CodeScanService(ws.findings, tools, add_evidence, workdir=workdir)

    def recipients(incident_id: IncidentId, actor: str) -> list[Recipient]:
        plan = ws.campaigns.plan(incident_id, actor=actor)
        return [
            Recipient(n.person_id, n.locale, address)
            for n in plan.notices
            for channel, address in zip(n.channels, n.addresses, strict=True)
            if channel.value == "email"
        ]

    followup = FollowupService(
        uow, clock, ws.cases, ws.findings, ws.obligations,
        recipients=recipients, reports_dir=ws.layout.home / "reports",
    )  # fmt: skip
    return SecurityTesting(
        pentest,
        code,
        RetestService(uow, ws.findings, pentest, code),
        followup,
        ScheduleService(uow, clock, pentest),
    )


@dataclass(frozen=True, slots=True)
class CredentialResets:
    """Credential-reset services of one workspace: campaigns, tracking, password assessment."""

    resets: ResetService
    tracking: ResetTracking
    passwords: PasswordService


def credential_resets(
    ws: Workspace, clock: Clock | None = None, environ: dict[str, str] | None = None
) -> CredentialResets:
    """Wire the reset services: providers from the registry, secrets from the environment."""
    import os

    from breachdesk.adapters.resets.registry import open_provider, validate
    from breachdesk.services.passwords import PasswordService
    from breachdesk.services.reset_tracking import ResetTracking, reminder_renderer
    from breachdesk.services.resets import ResetService

    clock = clock or SystemClock()
    env = dict(os.environ) if environ is None else environ
    uow = SqlUnitOfWorkFactory(ws.engine)
    resets = ResetService(uow, clock, lambda kind, cfg: open_provider(kind, cfg, env), validate)
    return CredentialResets(
        resets,
        ResetTracking(uow, clock, resets, ws.cipher, reminder_renderer()),
        PasswordService(uow, FileBlobStore(ws.layout.evidence), clock),
    )


@dataclass(frozen=True, slots=True)
class Protection:
    """Retention, purges and key rotation of a workspace."""

    retention: RetentionService
    purge: PurgeService
    access: AccessReportService
    bundles: BundleService


def protection(ws: Workspace, clock: Clock | None = None) -> Protection:
    """Wire retention (defaults from settings), purging, key rotation and access reports."""
    from breachdesk.services.access_report import AccessReportService
    from breachdesk.services.purge import PurgeService
    from breachdesk.services.retention import RetentionDefaults, RetentionService

    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(ws.engine)
    defaults = RetentionDefaults(
        ws.settings.retention_people_days, ws.settings.retention_evidence_days
    )
    return Protection(
        RetentionService(uow, clock, defaults),
        PurgeService(uow, FileBlobStore(ws.layout.evidence), clock),
        AccessReportService(uow),
        _bundles(ws, clock),
    )


def _bundles(ws: Workspace, clock: Clock) -> BundleService:
    """Bundle parts read through the audited services; signed with the workspace's key."""
    from functools import partial

    from breachdesk.adapters.bundle_format import load_signing_key, write_bundle
    from breachdesk.services.bundle import BundleService, Part, to_json_bytes

    signer = load_signing_key(ws.layout.home / "signing.key")

    def casefile(incident_id: IncidentId, actor: str) -> bytes:
        return to_json_bytes(ws.cases.show(incident_id))

    def manifest(incident_id: IncidentId, actor: str) -> bytes:
        return to_json_bytes(ws.people.export(incident_id, actor=actor, with_contact=False))

    def audit(incident_id: IncidentId, actor: str) -> bytes:
        return to_json_bytes(list(ws.audit.entries(incident_id)))

    parts: dict[str, Part] = {"casefile": casefile, "manifest": manifest, "audit": audit}
    return BundleService(
        SqlUnitOfWorkFactory(ws.engine), partial(write_bundle, signer=signer), clock, parts
    )


def pwned_check(file: Path | None, api: str | None) -> PwnedCheck | None:
    """A Pwned Passwords check: a local sorted file, the range API when a URL is given, or none."""
    from breachdesk.adapters.pwned import LocalPwnedFile, PwnedRangeClient

    if file is not None:
        return LocalPwnedFile(file)
    if api:
        return PwnedRangeClient(api)
    return None


@dataclass(frozen=True, slots=True)
class WebServices:
    """The services of the web workspace and the public portal, for one workspace."""

    users: UserService
    portal: PortalService
    dashboard: DashboardService


def web_services(
    ws: Workspace,
    clock: Clock | None = None,
    *,
    reset_base_url: str | None = None,
    fast_hashing: bool = False,
) -> WebServices:
    """Wire users (Argon2 hashing), the portal (with reset links when a base URL is given) and
    the dashboard; ``fast_hashing`` is for tests that create many users."""
    from breachdesk.adapters.password_hasher import Argon2Hasher
    from breachdesk.services.dashboard import DashboardService
    from breachdesk.services.portal import PortalService
    from breachdesk.services.users import UserService

    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(ws.engine)
    reset_link = None
    if reset_base_url:
        tracking = credential_resets(ws, clock).tracking
        base = reset_base_url

        def reset_link(incident_id: IncidentId, account_id: int) -> str | None:
            links = tracking.issue_links(incident_id, base, actor="portal", accounts=[account_id])
            return next(iter(links.values()), None)

    return WebServices(
        UserService(uow, Argon2Hasher(fast=fast_hashing), ws.cipher, clock),
        PortalService(uow, ws.cipher, clock, reset_link),
        DashboardService(uow, clock),
    )
