"""The reset campaign on the in-memory fakes, with an in-memory identity store as provider."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from breachdesk.casefile.incident import IncidentDraft
from breachdesk.credentials.provider import (
    Account,
    AccountState,
    ActionResult,
    Outcome,
    PlannedChange,
    ProviderError,
    ResetAction,
)
from breachdesk.services.casefile import CaseService
from breachdesk.services.ports import PeopleWrite, PersonRow
from breachdesk.services.reset_ports import ResetState
from breachdesk.services.resets import ResetService
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


class MemoryStore:
    """An identity store in memory: users, reset flags and a per-user reset counter."""

    kind = "memory"
    actions = frozenset({ResetAction.FORCE_RESET, ResetAction.REVOKE_SESSIONS})

    def __init__(self, users: Sequence[str], *, down_for: set[str] | None = None) -> None:
        self.resets = dict.fromkeys(users, 0)
        self.flagged: set[str] = set()
        self.down_for = down_for or set()

    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        return [PlannedChange(a, "flag", int(account.login in self.resets)) for a in actions]

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        if account.login in self.down_for:
            raise ProviderError("store unreachable")
        if account.login not in self.resets:
            return ActionResult(action, Outcome.MISSING, "no such user")
        if action is ResetAction.FORCE_RESET:
            self.resets[account.login] += 1
            self.flagged.add(account.login)
        return ActionResult(action, Outcome.DONE, "ok")

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        known = account.login in self.resets
        return AccountState(known, account.login in self.flagged, None)

    def close(self) -> None:
        return


def _setup(store: MemoryStore) -> tuple[ResetService, Any, int, FixedClock]:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    incident = CaseService(uow, clock).open_incident(
        IncidentDraft(title="t", discovered_at=T0), actor="t"
    )
    rows = [
        PersonRow(
            f"r{n}", True, None, None, None, "unknown", "email,password", "", 1, False, email=email
        )
        for n, email in enumerate(["a@x.test", "b@x.test", "c@x.test"])
    ]
    with uow() as tx:
        tx.people.replace(incident.id, PeopleWrite(rows, [], [], [], []))
        tx.commit()
    service = ResetService(uow, clock, lambda _k, _c: store, lambda _k, _c: None)
    service.configure("mem", "memory", {"login": "email"}, actor="t")
    return service, uow, incident.id, clock


def test_run_resets_each_known_account_once_and_reports_the_rest() -> None:
    store = MemoryStore(["a@x.test", "b@x.test"], down_for={"b@x.test"})
    service, uow, incident, _ = _setup(store)
    plan = service.plan(incident, actor="t")
    assert [a.urgency for a in plan.accounts] == ["critical"] * 3
    dry = service.run(incident, "mem", actor="t")
    assert store.resets == {"a@x.test": 0, "b@x.test": 0}
    assert dry.outcomes == {"would_change": 3}
    report = service.run(incident, "mem", actor="t", execute=True)
    assert report.outcomes == {"flagged": 1, "failed": 1, "missing": 1}
    assert report.failures[0][1] == "store unreachable"
    store.down_for.clear()
    again = service.run(incident, "mem", actor="t", execute=True)
    assert again.outcomes == {"flagged": 1}
    assert again.skipped == 2
    assert store.resets == {"a@x.test": 1, "b@x.test": 1}
    with uow() as tx:
        states = sorted(a.state.value for a in tx.resets.accounts(incident))
    assert states == [ResetState.FLAGGED.value] * 2 + [ResetState.MISSING.value]


def test_plan_is_idempotent_and_keeps_progress() -> None:
    store = MemoryStore(["a@x.test", "b@x.test", "c@x.test"])
    service, _uow, incident, clock = _setup(store)
    assert service.plan(incident, actor="t").added == 3
    service.run(incident, "mem", actor="t", execute=True)
    clock.advance(timedelta(hours=1))
    again = service.plan(incident, actor="t")
    assert again.added == 0
    assert {a.state for a in again.accounts} == {ResetState.FLAGGED}
