"""One run of a reset campaign through one provider, in batches, resumable after a crash.

Per batch: one transaction records the *intent* of every pending action of every account
(``in_progress``, attempt rows, audit entries); then the provider is called outside any
transaction; then one transaction records every answer. An account left ``in_progress`` by a
crash is first read back from the store: a forced reset already in place is recorded as done
and not requested again; when the provider cannot tell, the account becomes ``uncertain``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from breachdesk.core.audit import AuditAction
from breachdesk.core.clock import Clock
from breachdesk.credentials.provider import (
    Account,
    ActionResult,
    CredentialProvider,
    Outcome,
    PlannedChange,
    ProviderError,
    ResetAction,
)
from breachdesk.services.outbox import TokenBucket
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory
from breachdesk.services.reset_ports import SETTLED, ResetAccount, ResetAttempt, ResetState

FORCE = ResetAction.FORCE_RESET.value


@dataclass(frozen=True, slots=True)
class Preview:
    """What a dry run would do to one account."""

    account: ResetAccount
    login: str = field(repr=False)
    changes: tuple[PlannedChange, ...]
    error: str | None = None


@dataclass(slots=True)
class RunReport:
    """What a run did (or, dry, would do)."""

    provider: str
    execute: bool
    previews: list[Preview] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # already settled
    recovered: int = 0  # found done in the store after an interruption
    failures: list[tuple[int, str]] = field(default_factory=list)  # account id, reason

    def count(self, state: str) -> None:
        """Add one account outcome."""
        self.outcomes[state] = self.outcomes.get(state, 0) + 1


def _record(
    uow: UnitOfWork, clock: Clock, account: ResetAccount, attempts: Sequence[ResetAttempt]
) -> None:
    from breachdesk.services.resets import record_account

    for attempt in attempts:
        uow.resets.add_attempt(attempt)
    record_account(uow, account, clock=clock)


def _audit(
    uow: UnitOfWork,
    clock: Clock,
    account: ResetAccount,
    action: AuditAction,
    actor: str,
    details: dict[str, object],
) -> None:
    from breachdesk.services.resets import audit_campaign

    audit_campaign(uow, account.incident_id, action, actor=actor, clock=clock, details=details)


def _in_doubt(log: Sequence[ResetAttempt]) -> set[str]:
    """Actions whose intent was logged after the last recorded answer."""
    pending: set[str] = set()
    for attempt in log:
        if attempt.phase == "intent":
            pending.add(attempt.action)
        else:
            pending.discard(attempt.action)
    return pending


class CampaignRun:
    """Runs one provider over a campaign's accounts."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        provider: CredentialProvider,
        name: str,
        actor: str,
        on_account: Callable[[ResetAccount, str], None] | None = None,
    ) -> None:
        self._uow, self._clock, self._provider = uow, clock, provider
        self._name, self._actor, self._on = name, actor, on_account

    def _done(self, account: ResetAccount, outcome: str) -> None:
        if self._on is not None:
            self._on(account, outcome)

    def run(
        self,
        accounts: Sequence[ResetAccount],
        logins: Mapping[int, str | None],
        *,
        execute: bool,
        rate: float | None,
        batch: int,
    ) -> RunReport:
        """Preview or execute every unsettled account."""
        report = RunReport(self._name, execute)
        bucket = TokenBucket(rate) if rate else None
        todo = []
        for account in accounts:
            if account.state in SETTLED:
                report.skipped += 1
                self._done(account, "skipped")
            else:
                todo.append(account)
        for start in range(0, len(todo), max(1, batch)):
            chunk = todo[start : start + max(1, batch)]
            if execute:
                self._execute(chunk, logins, report, bucket)
                continue
            for account in chunk:
                if bucket is not None:
                    bucket.take()
                self._done(account, self._preview(account, logins.get(account.id), report))
        return report

    def _preview(self, account: ResetAccount, login: str | None, report: RunReport) -> str:
        actions = [ResetAction(a) for a in account.actions if a not in account.done_actions]
        if not login:
            report.previews.append(Preview(account, "", (), "no login known for this person"))
            report.count("no_login")
            return "no_login"
        try:
            acct = Account(account.id, account.person_id, login)
            changes = self._provider.preview(acct, actions)
        except ProviderError as exc:
            report.previews.append(Preview(account, login, (), exc.message))
            report.count("error")
            return "error"
        report.previews.append(Preview(account, login, tuple(changes)))
        report.count("would_change")
        return "would_change"

    # --- execute ---------------------------------------------------------------------------

    def _attempt(
        self, account: ResetAccount, action: str, phase: str, outcome: str | None, response: str
    ) -> ResetAttempt:
        return ResetAttempt(
            account.id, self._name, action, phase, outcome, response, self._actor, self._clock.now()
        )

    def _recover(self, account: ResetAccount, login: str, report: RunReport) -> ResetAccount:
        """Settle an interrupted account's forced reset from the store's own state."""
        with self._uow() as uow:
            doubt = _in_doubt(uow.resets.attempts(account.id))
        if FORCE not in doubt:
            return account  # revocations are idempotent: they are simply made again
        state = self._provider.state(Account(account.id, account.person_id, login), since=None)
        if not state.exists:
            return replace(account, state=ResetState.MISSING, error="account not in the store")
        if state.flagged is None:
            return replace(
                account,
                state=ResetState.UNCERTAIN,
                error="interrupted; the provider cannot tell whether it was reset",
            )
        if not state.flagged:
            return account
        report.recovered += 1
        new = replace(account, done_actions=(*account.done_actions, FORCE))
        with self._uow() as uow:
            answer = "recovered: reset already in place, not requested again"
            attempt = self._attempt(account, FORCE, "result", Outcome.DONE.value, answer)
            _record(uow, self._clock, new, [attempt])
            _audit(
                uow,
                self._clock,
                new,
                AuditAction.RESET_ATTEMPTED,
                self._actor,
                {"account": account.id, "action": FORCE, "outcome": "done", "recovered": True},
            )
            uow.commit()
        return new

    def _pending(self, account: ResetAccount) -> list[str]:
        return [
            a
            for a in account.actions
            if a not in account.done_actions and ResetAction(a) in self._provider.actions
        ]

    def _execute(
        self,
        chunk: Sequence[ResetAccount],
        logins: Mapping[int, str | None],
        report: RunReport,
        bucket: TokenBucket | None,
    ) -> None:
        ready: list[tuple[ResetAccount, str]] = []
        finished: list[ResetAccount] = []
        for account in chunk:
            login = logins.get(account.id)
            if not login:
                finished.append(
                    replace(
                        account, state=ResetState.FAILED, error="no login known for this person"
                    )
                )
                continue
            try:
                if account.state in (
                    ResetState.IN_PROGRESS,
                    ResetState.UNCERTAIN,
                    ResetState.FAILED,
                ):
                    account = self._recover(account, login, report)
            except ProviderError as exc:
                finished.append(replace(account, state=ResetState.FAILED, error=exc.message))
                continue
            if account.state in (ResetState.MISSING, ResetState.UNCERTAIN):
                finished.append(account)
            else:
                ready.append((account, login))
        intents = self._intend(ready)
        results = [(account, self._call(account, login, bucket)) for account, login in intents]
        self._settle(finished, results, report)

    def _intend(self, ready: list[tuple[ResetAccount, str]]) -> list[tuple[ResetAccount, str]]:
        """Record every pending action's intent in one transaction, before any call."""
        out: list[tuple[ResetAccount, str]] = []
        if not ready:
            return out
        with self._uow() as uow:
            for account, login in ready:
                pending = self._pending(account)
                new = replace(
                    account,
                    state=ResetState.IN_PROGRESS,
                    provider=self._name,
                    attempts=account.attempts + (1 if pending else 0),
                )
                attempts = [self._attempt(account, a, "intent", None, "") for a in pending]
                _record(uow, self._clock, new, attempts)
                out.append((new, login))
            intents = {str(a.id): list(a.actions) for a, _ in out}
            _audit(
                uow,
                self._clock,
                out[0][0],
                AuditAction.RESET_INTENDED,
                self._actor,
                {"provider": self._name, "accounts": len(out), "intents": intents},
            )
            uow.commit()
        return out

    def _call(
        self, account: ResetAccount, login: str, bucket: TokenBucket | None
    ) -> tuple[list[ActionResult], str | None]:
        """The provider's answers for the account's pending actions, and why it stopped early."""
        if bucket is not None:
            bucket.take()
        answers: list[ActionResult] = []
        acct = Account(account.id, account.person_id, login)
        try:
            for action in self._pending(account):
                answer = self._provider.apply(acct, ResetAction(action))
                answers.append(answer)
                if answer.outcome in (Outcome.MISSING, Outcome.FAILED):
                    break
        except ProviderError as exc:
            return answers, exc.message
        return answers, None

    def _apply_answers(self, account: ResetAccount, answers: list[ActionResult]) -> ResetAccount:
        done = list(account.done_actions)
        for answer in answers:
            match answer.outcome:
                case Outcome.DONE | Outcome.UNSUPPORTED:
                    done.append(answer.action.value)
                case Outcome.MISSING:
                    return replace(
                        account,
                        state=ResetState.MISSING,
                        error=answer.response,
                        done_actions=tuple(done),
                    )
                case Outcome.FAILED:
                    return replace(
                        account,
                        state=ResetState.FAILED,
                        error=answer.response,
                        done_actions=tuple(done),
                    )
        return replace(
            account,
            state=ResetState.FLAGGED,
            error=None,
            done_actions=tuple(done),
            flagged_at=account.flagged_at or self._clock.now(),
        )

    def _settle(
        self,
        finished: list[ResetAccount],
        results: list[tuple[ResetAccount, tuple[list[ActionResult], str | None]]],
        report: RunReport,
    ) -> None:
        """Record every answer (and every account that could not be tried) in one transaction."""
        closing: list[tuple[ResetAccount, list[ResetAttempt]]] = [(a, []) for a in finished]
        for account, (answers, error) in results:
            new = self._apply_answers(account, answers)
            if error is not None and new.state is ResetState.FLAGGED:
                # the provider stopped working: unanswered intents stay logged, so a re-run
                # checks the store before asking again
                new = replace(new, state=ResetState.FAILED, error=error, flagged_at=None)
            attempts = [
                self._attempt(account, a.action.value, "result", a.outcome.value, a.response)
                for a in answers
            ]
            closing.append((new, attempts))
        if not closing:
            return
        with self._uow() as uow:
            for account, attempts in closing:
                _record(uow, self._clock, account, attempts)
            outcomes: dict[str, list[int]] = {}
            for account, _ in closing:
                outcomes.setdefault(account.state.value, []).append(account.id)
            _audit(
                uow,
                self._clock,
                closing[0][0],
                AuditAction.RESET_ATTEMPTED,
                self._actor,
                {"provider": self._name, "outcomes": outcomes},
            )
            uow.commit()
        for account, _ in closing:
            report.count(account.state.value)
            if account.state in (ResetState.FAILED, ResetState.UNCERTAIN):
                report.failures.append((account.id, account.error or ""))
            self._done(account, account.state.value)
