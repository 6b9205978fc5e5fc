"""Notice campaigns: plan, approve (template versions), queue idempotently, test samples.

A campaign is approved as a whole: the approval records the sender wording and the version hash of
every template the campaign renders (per channel and locale) plus a hash of the override folder.
Queuing refuses unless the newest approval still matches the templates on disk, so a template
edited after approval needs a new approval. Queuing is idempotent: people who already have a
message of the campaign (or were suppressed) are skipped, under the writers' lock.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import canonical_json
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import DeliveryState, Fallback, OutgoingMessage
from breachdesk.core.errors import BreachdeskError, ExitCode, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import ContactInfo, Obligation
from breachdesk.notify.context import LINK_PLACEHOLDER, NoticeContext, authority_contacts
from breachdesk.notify.message import Channel, RenderedMessage
from breachdesk.notify.render import Renderer
from breachdesk.rules.loader import select
from breachdesk.services.campaign_plan import INDIVIDUALS, CampaignPlan, PlannedNotice, build_plan
from breachdesk.services.campaign_proof import (
    LedgerLine,
    Settlement,
    ledger_lines,
    record_ledger_export,
    settle,
)
from breachdesk.services.campaign_support import folder_hash, template_versions
from breachdesk.services.obligations import ObligationService
from breachdesk.services.outbox import (
    DEFAULT_LEASE,
    DispatchReport,
    dispatch_pending,
    notices_subject,
    queue_in,
)
from breachdesk.services.ports import (
    KeyedHasher,
    NoticeApproval,
    NoticeContent,
    Suppression,
    Transport,
    UnitOfWork,
    UnitOfWorkFactory,
)

#: Keyed-hash purpose of e-mail addresses matched across incidents (duplicate suppression).
MATCH_PURPOSE = "notice:email"


class NotApprovedError(BreachdeskError):
    """The campaign has no approval, or its templates changed since it was approved."""

    exit_code = ExitCode.ACTION_NEEDED


@dataclass(frozen=True, slots=True)
class CampaignContent:
    """What every notice of the campaign says about the sender (approved with the templates)."""

    organisation: str
    contact: ContactInfo
    measures: str
    link: str | None = None  # page with details, linked from SMS and in-app notices

    def to_json(self) -> str:
        """Canonical JSON, stored with the approval."""
        c = self.contact
        contact = {"name": c.name, "email": c.email, "phone": c.phone, "url": c.url}
        return canonical_json(
            {
                "organisation": self.organisation,
                "contact": contact,
                "measures": self.measures,
                "link": self.link,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> CampaignContent:
        """The content an approval recorded."""
        data = json.loads(text)
        return cls(
            data["organisation"], ContactInfo(**data["contact"]), data["measures"], data["link"]
        )


@dataclass(frozen=True, slots=True)
class PersonalItems:
    """Per-person items a notice carries when present: reset links and enrolment codes."""

    links: Mapping[int, str] = field(default_factory=dict)  # person id -> single-use URL
    codes: Mapping[int, str] = field(default_factory=dict)  # person id -> enrolment code


@dataclass(frozen=True, slots=True)
class QueueReport:
    """What one queuing run added."""

    queued: int
    already: int  # people who had a message of the campaign before this run
    suppressed: int  # people skipped in this run as notified in another incident
    approval: int


class CampaignService:
    """Plan, approval, queuing and test samples of an incident's notices to affected people."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        obligations: ObligationService,
        hasher: KeyedHasher,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._obligations = obligations
        self._hasher = hasher
        self._clock = clock

    def _audit(
        self,
        uow: UnitOfWork,
        incident_id: int,
        action: AuditAction,
        details: dict[str, object],
        *,
        actor: str,
    ) -> None:
        uow.audit.append(
            AuditDraft(
                at=self._clock.now(),
                actor=actor,
                action=action,
                subject=notices_subject(incident_id),
                incident_id=incident_id,
                details=details,
            )
        )

    def plan(self, incident_id: IncidentId, *, actor: str) -> CampaignPlan:
        """Who gets what, how and why; reading contact data for it is audited."""
        outcome = self._obligations.evaluate(incident_id, actor=actor)
        on = outcome.evaluation.discovered_on
        rules = {r.id: r for r in select(outcome.ruleset.rules, on=on)}
        with self._uow() as uow:
            people = uow.people.for_incident(incident_id)
            plan = build_plan(incident_id, people, outcome.evaluation.obligations, rules)
            counts: dict[str, object] = dict(plan.counts())
            self._audit(uow, incident_id, AuditAction.NOTICES_PLANNED, counts, actor=actor)
            uow.commit()
        return plan

    def approve(
        self,
        incident_id: IncidentId,
        content: CampaignContent,
        *,
        actor: str,
        role: str,
        overrides: Path | None = None,
    ) -> NoticeApproval:
        """Record the approver, role, wording and every template version the campaign uses."""
        plan = self.plan(incident_id, actor=actor)
        used = plan.templates() or tuple((Channel.EMAIL, loc) for loc in ("en",))
        approval = NoticeApproval(
            id=0,
            incident_id=incident_id,
            campaign=INDIVIDUALS,
            approver=actor,
            role=role,
            approved_at=self._clock.now(),
            templates=template_versions(used, overrides),
            overrides=str(overrides) if overrides else None,
            overrides_hash=folder_hash(overrides),
            content=content.to_json(),
        )
        with self._uow() as uow:
            approval = replace(approval, id=uow.campaigns.add_approval(approval))
            details = {"approval": approval.id, "role": role, **approval.state()}
            self._audit(uow, incident_id, AuditAction.NOTICES_APPROVED, details, actor=actor)
            uow.commit()
        return approval

    def approved(self, incident_id: int, plan: CampaignPlan) -> NoticeApproval:
        """The campaign's approval, if it still covers every template; else NotApprovedError."""
        with self._uow() as uow:
            approval = uow.campaigns.approval(incident_id, INDIVIDUALS)
        hint = f"run `breachdesk notify approve {incident_id} --as counsel`"
        if approval is None:
            raise NotApprovedError(f"incident {incident_id}: notices are not approved; {hint}")
        overrides = Path(approval.overrides) if approval.overrides else None
        if folder_hash(overrides) != approval.overrides_hash:
            raise NotApprovedError(
                f"incident {incident_id}: the template overrides in {overrides} changed since "
                f"approval {approval.id}; review them and {hint}"
            )
        recorded = dict(approval.templates)
        for template_id, version in template_versions(plan.templates(), overrides):
            if recorded.get(template_id) != version:
                what = "changed since" if template_id in recorded else "is not covered by"
                raise NotApprovedError(
                    f"incident {incident_id}: template {template_id} {what} approval "
                    f"{approval.id}; review the notices and {hint}"
                )
        return approval

    def queue(
        self,
        incident_id: IncidentId,
        *,
        actor: str,
        suppress_duplicates: bool = False,
        plan: CampaignPlan | None = None,
        personal: PersonalItems | None = None,
    ) -> QueueReport:
        """Render and queue the approved campaign for everyone not queued yet (idempotent);
        ``personal`` adds each person's reset link and enrolment code to their notice."""
        plan = plan or self.plan(incident_id, actor=actor)
        approval = self.approved(incident_id, plan)
        with self._uow() as uow:
            skip = uow.campaigns.queued_people(incident_id, INDIVIDUALS)
            skip |= uow.campaigns.suppressed(incident_id, INDIVIDUALS)
            elsewhere = (
                uow.campaigns.notified_elsewhere(incident_id, INDIVIDUALS)
                if suppress_duplicates
                else []
            )
        todo = [n for n in plan.notices if n.person_id not in skip]
        suppress = self._suppressions(incident_id, todo, elsewhere)
        messages = self._render(
            incident_id, plan, approval, todo, {s.person_id for s in suppress}, personal
        )
        with self._uow() as uow:
            # another process may have queued meanwhile: re-read under the writers' lock
            done = uow.campaigns.queued_people(incident_id, INDIVIDUALS)
            done |= uow.campaigns.suppressed(incident_id, INDIVIDUALS)
            messages = [m for m in messages if m.person_id not in done]
            suppress = [s for s in suppress if s.person_id not in done]
            uow.campaigns.add_suppressions(suppress)
            extra = {"approval": approval.id, "suppressed": len(suppress)}
            ids = queue_in(uow, self._clock.now(), messages, actor=actor, details=extra)
            if suppress and not ids:
                details = {"campaign": INDIVIDUALS, "count": 0, **extra}
                self._audit(uow, incident_id, AuditAction.NOTICES_QUEUED, details, actor=actor)
            uow.commit()
        already = len(plan.notices) - len(todo) + (len(todo) - len(messages) - len(suppress))
        return QueueReport(len(ids), already, len(suppress), approval.id)

    def _suppressions(
        self, incident_id: int, todo: Sequence[PlannedNotice], elsewhere: Sequence[tuple[int, str]]
    ) -> list[Suppression]:
        if not elsewhere:
            return []
        known = {self._match(email): other for other, email in elsewhere}
        now, out = self._clock.now(), []
        for notice in todo:
            email = dict(zip(notice.channels, notice.addresses, strict=True)).get(Channel.EMAIL)
            match = self._match(email) if email else None
            if match is not None and match in known:
                other = known[match]
                out.append(
                    Suppression(incident_id, notice.person_id, INDIVIDUALS, match, other, now)
                )
        return out

    def _match(self, email: str) -> str:
        return self._hasher.keyed_hash(email.strip().lower(), purpose=MATCH_PURPOSE)

    def base_context(
        self, incident_id: int, content: CampaignContent, obligations: Sequence[Obligation]
    ) -> NoticeContext:
        """The campaign-wide part of every notice (people fields filled per person)."""
        with self._uow() as uow:
            incident = uow.incidents.get(IncidentId(incident_id))
        return NoticeContext(
            organisation=content.organisation,
            contact=content.contact,
            incident_description=incident.summary or incident.title,
            measures_taken=content.measures,
            notice_date=self._clock.now().date(),
            occurred_from=incident.occurred_from.date() if incident.occurred_from else None,
            occurred_to=incident.occurred_to.date() if incident.occurred_to else None,
            discovered_on=incident.discovered_at.date(),
            agency_contacts=authority_contacts(obligations),
            link=content.link or content.contact.url or LINK_PLACEHOLDER,
        )

    def _notice_renderer(
        self, plan: CampaignPlan, approval: NoticeApproval, personal: PersonalItems | None = None
    ) -> Callable[[PlannedNotice, Channel], RenderedMessage]:
        """Renders a person's notice on a channel from the approved wording and templates."""
        content = CampaignContent.from_json(approval.content)
        renderer = Renderer(Path(approval.overrides) if approval.overrides else None)
        base = self.base_context(plan.incident_id, content, ())
        by_key = {o.key: o for o in plan.obligations}

        def render(notice: PlannedNotice, channel: Channel) -> RenderedMessage:
            served = [by_key[k] for k in notice.obligations if k in by_key]
            context = replace(
                base,
                elements=notice.elements,
                required=frozenset(item for o in served for item in o.content),
                person_name=notice.name,
                person_address=notice.postal,
                reset_link=personal.links.get(notice.person_id) if personal else None,
                enrolment_code=personal.codes.get(notice.person_id) if personal else None,
            )
            return renderer.render(channel, notice.locale, context)

        return render

    def _render(
        self,
        incident_id: int,
        plan: CampaignPlan,
        approval: NoticeApproval,
        todo: Sequence[PlannedNotice],
        suppressed: set[int],
        personal: PersonalItems | None = None,
    ) -> list[OutgoingMessage]:
        render = self._notice_renderer(plan, approval, personal)
        return [
            _outgoing(incident_id, notice, render(notice, notice.channels[0]))
            for notice in todo
            if notice.person_id not in suppressed
        ]

    def render_fallbacks(self, plan: CampaignPlan, *, actor: str) -> int:
        """Give queued fallbacks (an SMS after a refused e-mail, ...) their own channel's approved
        rendering; the outbox queues a fallback with its parent's text. Returns how many."""
        incident_id = plan.incident_id
        with self._uow() as uow:
            copied = uow.campaigns.copied_fallbacks(incident_id, INDIVIDUALS)
        notices = {n.person_id: n for n in plan.notices}
        copied = [c for c in copied if c[1] in notices and c[2] in _CHANNELS]
        if not copied:
            return 0
        render = self._notice_renderer(plan, self.approved(incident_id, plan))
        contents = []
        for outbox_id, person, channel in copied:
            message = render(notices[person], Channel(channel))
            contents.append((outbox_id, _content(message)))
        with self._uow() as uow:
            done = sum(uow.campaigns.replace_content(i, c) for i, c in contents)
            details: dict[str, object] = {"campaign": INDIVIDUALS, "count": done}
            self._audit(
                uow, incident_id, AuditAction.NOTICES_FALLBACKS_RENDERED, details, actor=actor
            )
            uow.commit()
        return done

    def samples(
        self, incident_id: IncidentId, content: CampaignContent, *, actor: str
    ) -> tuple[CampaignPlan, list[RenderedMessage]]:
        """One rendering per channel and locale of the plan, for a sample person, marked TEST."""
        plan = self.plan(incident_id, actor=actor)
        with self._uow() as uow:
            approval = uow.campaigns.approval(incident_id, INDIVIDUALS)
        overrides = Path(approval.overrides) if approval and approval.overrides else None
        renderer = Renderer(overrides)
        context = replace(
            self.base_context(incident_id, content, plan.obligations),
            elements=frozenset(e for n in plan.notices for e in n.elements),
            required=frozenset(item for o in plan.obligations for item in o.content),
            person_name="Sample Person",
            person_address="1 Sample Street, Sampletown",
        )
        used = plan.templates() or ((Channel.EMAIL, "en"),)
        out = []
        for channel, locale in used:
            message = renderer.render(channel, locale, context)
            out.append(replace(message, subject=f"[TEST] {message.subject}"))
        return plan, out

    def record_test(
        self, incident_id: IncidentId, *, actor: str, recipients: int, outcomes: dict[str, int]
    ) -> None:
        """Audit a test send to internal addresses (counts only, never the addresses)."""
        with self._uow() as uow:
            details: dict[str, object] = {"recipients": recipients, "outcomes": outcomes}
            self._audit(uow, incident_id, AuditAction.NOTICES_TESTED, details, actor=actor)
            uow.commit()

    def dispatch(
        self,
        transport: Transport,
        *,
        owner: str,
        concurrency: int = 8,
        rate: float | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> DispatchReport:
        """Send due messages of the transport's channel (leases let several senders share).

        A message claimed by a sender that died is sent again once its ``lease`` has expired.
        """
        if concurrency < 1:
            raise InvalidInputError("--concurrency must be at least 1")
        if lease <= timedelta(0):
            raise InvalidInputError("--lease must be positive")
        return dispatch_pending(
            self._uow,
            transport,
            self._clock,
            owner=owner,
            concurrency=concurrency,
            rate=rate,
            lease=lease,
            record_batch=RECORD_BATCH,
        )

    def counts(self, incident_id: IncidentId) -> dict[tuple[str, DeliveryState], int]:
        """Messages of the incident per (channel, state)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.campaigns.channel_counts(incident_id)

    def ledger(self, incident_id: IncidentId) -> Iterator[LedgerLine]:
        """Proof per message, recipients masked (audit the export with ``ledger_exported``)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
        return ledger_lines(self._uow, incident_id)

    def ledger_exported(
        self, incident_id: IncidentId, *, actor: str, rows: int, sha256: str
    ) -> None:
        """Audit a ledger export by its row count and file digest."""
        record_ledger_export(
            self._uow, self._clock, incident_id, actor=actor, rows=rows, sha256=sha256
        )

    def settle(self, plan: CampaignPlan, *, actor: str) -> list[Settlement]:
        """Mark individual-notice obligations met from the ledger where every notice arrived."""
        return settle(self._uow, self._obligations, plan, actor=actor)

    def approval(self, incident_id: IncidentId) -> NoticeApproval | None:
        """The newest approval of the incident's notices, if any."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.campaigns.approval(incident_id, INDIVIDUALS)


_CHANNELS = frozenset(c.value for c in Channel)


def _content(message: RenderedMessage) -> NoticeContent:
    return NoticeContent(
        subject=message.subject,
        body_text=message.text,
        body_html=message.html,
        content_hash=message.content_hash,
        template_version=message.template_version,
    )


def _outgoing(incident_id: int, notice: PlannedNotice, message: RenderedMessage) -> OutgoingMessage:
    rest = zip(notice.channels[1:], notice.addresses[1:], strict=True)
    return OutgoingMessage(
        incident_id=incident_id,
        person_id=notice.person_id,
        campaign=INDIVIDUALS,
        channel=notice.channels[0].value,
        recipient=notice.addresses[0],
        subject=message.subject,
        body_text=message.text,
        body_html=message.html,
        content_hash=message.content_hash,
        template_version=message.template_version,
        fallback=tuple(Fallback(c.value, a) for c, a in rest),
    )


#: Outcomes committed per transaction by a dispatcher (crash bound: concurrency + 2 x this).
RECORD_BATCH = 16
