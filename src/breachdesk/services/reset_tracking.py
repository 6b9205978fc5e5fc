"""After the reset: completion polling, reminders, reset links and enrolment codes."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from jinja2 import TemplateNotFound

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import OutgoingMessage
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.credentials import signature as signatures
from breachdesk.credentials import token as tokens
from breachdesk.credentials.provider import Account, ProviderError
from breachdesk.services.outbox import queue_notices
from breachdesk.services.people import tick_task
from breachdesk.services.ports import KeyedHasher, PersonRow, UnitOfWorkFactory
from breachdesk.services.reset_ports import ResetAccount, ResetState
from breachdesk.services.resets import (
    ResetService,
    audit_campaign,
    login_field,
    record_account,
)

REMINDER_CAMPAIGN = "reset_reminder"
REMINDER_TEMPLATE = "reset_reminder.txt.j2"
DEFAULT_LINK_TTL = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Per-account state of the campaign and the completion rate."""

    accounts: list[ResetAccount]
    counts: dict[str, int]
    completion: float  # completed / (flagged + completed)
    newly_completed: int = 0
    poll_errors: list[tuple[int, str]] = field(default_factory=list)
    task_closed: bool = False


@dataclass(frozen=True, slots=True)
class ReminderReport:
    """What ``reset remind`` queued."""

    queued: int
    no_address: int
    outbox_ids: list[int]


# Renders one reminder: (locale, variables) -> (subject, text, template version)
ReminderRenderer = Callable[[str, dict[str, object]], tuple[str, str, str]]


def _rate(accounts: Sequence[ResetAccount]) -> float:
    flagged = sum(a.state in (ResetState.FLAGGED, ResetState.COMPLETED) for a in accounts)
    done = sum(a.state is ResetState.COMPLETED for a in accounts)
    return done / flagged if flagged else 0.0


class ResetTracking:
    """Completion tracking, reminders, reset links and credit-monitoring codes."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        resets: ResetService,
        hasher: KeyedHasher,
        render: ReminderRenderer,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._resets = resets
        self._hasher = hasher
        self._render = render

    def _mac(self, payload: str) -> str:
        return self._hasher.keyed_hash(payload, purpose=tokens.PURPOSE)

    def status(self, incident_id: IncidentId) -> StatusReport:
        """Every account of the campaign with its state (read only)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            accounts = uow.resets.accounts(incident_id)
        counts = Counter(a.state.value for a in accounts)
        return StatusReport(accounts, dict(sorted(counts.items())), _rate(accounts))

    def poll(self, incident_id: IncidentId, *, actor: str, close_at: float = 0.9) -> StatusReport:
        """Ask each account's provider whether the password was changed; close the checklist
        task ``credentials.track`` once ``close_at`` of the flagged accounts have completed."""
        with self._uow() as uow:
            waiting = [a for a in uow.resets.accounts(incident_id) if a.state is ResetState.FLAGGED]
        errors: list[tuple[int, str]] = []
        completed = 0
        for name in sorted({a.provider for a in waiting if a.provider}):
            group = [a for a in waiting if a.provider == name]
            completed += self._poll_provider(incident_id, name, group, actor, errors)
        report = self.status(incident_id)
        closed = False
        if report.completion >= close_at and report.counts.get(ResetState.COMPLETED.value):
            with self._uow() as uow:
                tick_task(uow, incident_id, "credentials.track", actor=actor, clock=self._clock)
                uow.commit()
            closed = True
        return replace(report, newly_completed=completed, poll_errors=errors, task_closed=closed)

    def _poll_provider(
        self,
        incident_id: IncidentId,
        name: str,
        group: list[ResetAccount],
        actor: str,
        errors: list[tuple[int, str]],
    ) -> int:
        stored, provider = self._resets.open_provider(name)
        logins = self._resets.logins(incident_id, group, login_field(stored))
        completed: list[ResetAccount] = []
        try:
            for account in group:
                login = logins[account.id]
                if not login:
                    continue
                try:
                    state = provider.state(
                        Account(account.id, account.person_id, login), since=account.flagged_at
                    )
                except ProviderError as exc:
                    errors.append((account.id, exc.message))
                    continue
                if state.completed:
                    at = state.changed_at or self._clock.now()
                    completed.append(replace(account, state=ResetState.COMPLETED, completed_at=at))
        finally:
            provider.close()
        if completed:
            with self._uow() as uow:  # one transaction for the whole poll of this provider
                for new in completed:
                    record_account(uow, new, clock=self._clock)
                audit_campaign(
                    uow,
                    incident_id,
                    AuditAction.RESET_COMPLETED,
                    actor=actor,
                    clock=self._clock,
                    details={"provider": name, "accounts": [a.id for a in completed]},
                )
                uow.commit()
        done = len(completed)
        return done

    def complete(self, account_id: int, *, actor: str) -> ResetAccount:
        """Record completion reported by a signed callback (the caller verified it)."""
        with self._uow() as uow:
            account = uow.resets.account(account_id)
            if account.state is ResetState.COMPLETED:
                return account
            if account.state is not ResetState.FLAGGED:
                raise InvalidInputError(f"reset account {account_id} was not reset yet")
            new = replace(account, state=ResetState.COMPLETED, completed_at=self._clock.now())
            record_account(uow, new, clock=self._clock)
            audit_campaign(
                uow,
                new.incident_id,
                AuditAction.RESET_COMPLETED,
                actor=actor,
                clock=self._clock,
                details={"via": "callback", "accounts": [new.id]},
            )
            uow.commit()
        return new

    def callback(
        self,
        body: bytes,
        timestamp: str,
        signature: str,
        secret: str,
        *,
        actor: str,
        tolerance: timedelta = timedelta(minutes=5),
    ) -> ResetAccount:
        """A signed completion callback (``{"reference": account id, "status": "completed"}``):
        the signature and a fresh timestamp are checked before anything is recorded."""
        if not signatures.verify(secret, timestamp, body, signature):
            raise InvalidInputError("callback signature does not match")
        try:
            sent = float(timestamp)
            data = json.loads(body)
            reference, status = int(data["reference"]), str(data["status"])
        except (ValueError, KeyError, TypeError):
            raise InvalidInputError("callback body is not a completion notice") from None
        if abs(self._clock.now().timestamp() - sent) > tolerance.total_seconds():
            raise InvalidInputError("callback timestamp is stale (possible replay)")
        if status != "completed":
            raise InvalidInputError(f"callback status {status!r} is not handled")
        return self.complete(reference, actor=actor)

    # --- links -----------------------------------------------------------------------------

    def issue_links(
        self,
        incident_id: IncidentId,
        base_url: str,
        *,
        actor: str,
        ttl: timedelta = DEFAULT_LINK_TTL,
        accounts: Sequence[int] | None = None,
    ) -> dict[int, str]:
        """A fresh single-use link per open account (person id -> URL); older links stop
        working. The notify step places them into notices."""
        links: dict[int, str] = {}
        expires = self._clock.now() + ttl
        with self._uow() as uow:
            for account in uow.resets.accounts(incident_id):
                if account.state in (ResetState.COMPLETED, ResetState.MISSING):
                    continue
                if accounts is not None and account.id not in accounts:
                    continue
                nonce = tokens.new_nonce()
                token = tokens.issue(account.id, nonce, expires, self._mac)
                uow.resets.update_account(
                    replace(
                        account,
                        link_nonce=nonce,
                        link_expires_at=expires,
                        link_sent_at=self._clock.now(),
                    ),
                    at=self._clock.now(),
                )
                links[account.person_id] = f"{base_url.rstrip('/')}/{token}"
            if links:
                audit_campaign(
                    uow,
                    incident_id,
                    AuditAction.RESET_LINKS_ISSUED,
                    actor=actor,
                    clock=self._clock,
                    details={"links": len(links), "expires": expires.isoformat()},
                )
                uow.commit()
        return links

    def redeem(self, token: str, *, actor: str = "reset-link") -> ResetAccount:
        """Validate a reset link and record the click; a link works once."""
        try:
            claims = tokens.validate(token, now=self._clock.now(), mac=self._mac)
        except tokens.TokenError as exc:
            raise InvalidInputError(str(exc)) from None
        with self._uow() as uow:
            try:
                account = uow.resets.account(claims.account_id)
            except NotFoundError:
                raise InvalidInputError("reset token names no account") from None
            if account.link_nonce is None or not hmac.compare_digest(
                account.link_nonce, claims.nonce
            ):
                raise InvalidInputError("reset link was replaced by a newer one")
            if account.clicked_at is not None:
                raise InvalidInputError("reset link was already used")
            new = replace(account, clicked_at=self._clock.now())
            record_account(uow, new, clock=self._clock)
            audit_campaign(
                uow,
                new.incident_id,
                AuditAction.RESET_LINK_CLICKED,
                actor=actor,
                clock=self._clock,
                details={"account": new.id},
            )
            uow.commit()
        return new

    # --- reminders -------------------------------------------------------------------------

    def remind(
        self,
        incident_id: IncidentId,
        *,
        after: timedelta,
        actor: str,
        organisation: str,
        locale: str = "en",
        link_base: str | None = None,
    ) -> ReminderReport:
        """Queue a reminder to each person reset at least ``after`` ago who has not completed
        (and was not reminded within ``after``). Accounts are marked before the notices are
        queued, so a crash in between loses a reminder rather than sending two."""
        now = self._clock.now()
        with self._uow() as uow:
            due = [
                a
                for a in uow.resets.accounts(incident_id)
                if a.state is ResetState.FLAGGED
                and a.flagged_at
                and a.flagged_at + after <= now
                and (a.reminded_at is None or a.reminded_at + after <= now)
            ]
            people = {a.id: uow.people.get(incident_id, a.person_id).row for a in due}
            for account in due:
                new = replace(account, reminded_at=now, reminders=account.reminders + 1)
                record_account(uow, new, clock=self._clock)
            if due:
                audit_campaign(
                    uow,
                    incident_id,
                    AuditAction.RESET_REMINDED,
                    actor=actor,
                    clock=self._clock,
                    details={"accounts": [a.id for a in due]},
                )
                uow.commit()
        links = (
            self.issue_links(incident_id, link_base, actor=actor, accounts=[a.id for a in due])
            if link_base
            else {}
        )
        messages = [
            self._reminder(incident_id, account, people[account.id], links, organisation, locale)
            for account in due
            if people[account.id].email
        ]
        ids = queue_notices(self._uow, self._clock, messages, actor=actor)
        return ReminderReport(len(ids), len(due) - len(messages), ids)

    def _reminder(
        self,
        incident_id: IncidentId,
        account: ResetAccount,
        row: PersonRow,
        links: dict[int, str],
        organisation: str,
        locale: str,
    ) -> OutgoingMessage:
        now = self._clock.now()
        subject, text, version = self._render(
            locale,
            {
                "organisation": organisation,
                "name": row.name or "",
                "link": links.get(account.person_id, ""),
                "urgent": account.urgency == "critical",
                "days": max(1, (now - (account.flagged_at or now)).days),
            },
        )
        return OutgoingMessage(
            incident_id=incident_id,
            person_id=account.person_id,
            campaign=REMINDER_CAMPAIGN,
            channel="email",
            recipient=row.email or "",
            subject=subject,
            body_text=text,
            body_html=None,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            template_version=version,
        )

    # --- credit monitoring -----------------------------------------------------------------

    def import_codes(self, incident_id: IncidentId, codes: Sequence[str], *, actor: str) -> int:
        """Store enrolment codes (encrypted; matched by keyed hash so re-imports add nothing)."""
        clean = [c.strip() for c in codes if c.strip()]
        pairs = [(c, self._hasher.keyed_hash(c, purpose="credit-code")) for c in clean]
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            added = uow.resets.add_codes(incident_id, pairs)
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.CREDIT_CODES_IMPORTED,
                    subject=f"credit-codes:{incident_id}",
                    incident_id=incident_id,
                    details={"added": added, "given": len(clean)},
                )
            )
            uow.commit()
        return added

    def codes(self, incident_id: IncidentId) -> dict[int, str]:
        """Allocated enrolment codes by person id (for the notify step)."""
        with self._uow() as uow:
            return {p: c for p, c in uow.resets.codes(incident_id) if p is not None}


def reminder_renderer(overrides: Path | None = None) -> ReminderRenderer:
    """Render ``reset_reminder.txt.j2`` (sandboxed, strict) in the first locale that has it."""
    from breachdesk.notify.render import locale_chain, renderer

    shipped = renderer(overrides)

    def render(locale: str, variables: dict[str, object]) -> tuple[str, str, str]:
        for loc in locale_chain(locale):
            env = shipped.environment(loc)
            try:
                template = env.get_template(REMINDER_TEMPLATE)
            except TemplateNotFound:
                continue
            text = template.render(variables)
            subject = str(template.make_module(variables).subject)  # type: ignore[attr-defined]
            source = env.loader.get_source(env, REMINDER_TEMPLATE)[0] if env.loader else ""
            version = hashlib.sha256(f"{loc}/{REMINDER_TEMPLATE}\n{source}".encode()).hexdigest()
            return subject, text.strip() + "\n", f"{loc}/reset_reminder@{version[:16]}"
        raise InvalidInputError(f"no {REMINDER_TEMPLATE} template for locale {locale}")

    return render
