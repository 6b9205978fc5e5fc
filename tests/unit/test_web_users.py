"""Web users on the fakes: lock-out and its expiry, per-client throttling, sessions ending on a
role change, hashed tokens, counsel-only notes, and the role matrix."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from breachdesk.adapters.crypto import FieldCipher
from breachdesk.adapters.password_hasher import Argon2Hasher
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.access import MATRIX, ForbiddenError, Permission, allowed
from breachdesk.services.user_ports import Role
from breachdesk.services.users import (
    LOCKOUT,
    MAX_FAILURES,
    MAX_FAILURES_PER_IP,
    LoginRefusedError,
    UserService,
    parse_role,
)
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock

PASSWORD = "twelve chars or more"


@pytest.fixture
def env() -> tuple[UserService, FakeUnitOfWorkFactory, FixedClock]:
    uow = FakeUnitOfWorkFactory()
    clock = FixedClock(datetime(2026, 11, 29, 9, tzinfo=UTC))
    service = UserService(uow, Argon2Hasher(fast=True), FieldCipher(os.urandom(32)), clock)
    for role in Role:
        service.add(role.value, role, PASSWORD, actor="tester")
    return service, uow, clock


def test_a_correct_password_opens_a_session_and_a_wrong_one_is_refused(env) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = env
    token, who = service.login("counsel", PASSWORD, client="127.0.0.1")
    assert who.role is Role.COUNSEL
    assert service.session(token) == who
    with pytest.raises(LoginRefusedError):
        service.login("counsel", PASSWORD + "x", client="127.0.0.1")
    with pytest.raises(LoginRefusedError):
        service.login("nobody", PASSWORD, client="127.0.0.1")
    service.logout(token)
    assert service.session(token) is None


def test_repeated_failures_lock_the_account_until_the_lockout_passes(env) -> None:  # type: ignore[no-untyped-def]
    service, uow, clock = env
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefusedError):
            service.login("viewer", "wrong password!!", client="10.0.0.1")
    with pytest.raises(LoginRefusedError):
        service.login("viewer", PASSWORD, client="10.0.0.2")
    clock.advance(LOCKOUT + timedelta(seconds=1))
    _, who = service.login("viewer", PASSWORD, client="10.0.0.2")
    assert who.name == "viewer"
    actions = [e.action for e in uow.state.audit]
    assert "user.locked_out" in actions
    assert actions.count("user.login_failed") == MAX_FAILURES + 1


def test_one_client_failing_too_often_is_refused_even_with_a_right_password(env) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = env
    for i in range(MAX_FAILURES_PER_IP):
        with pytest.raises(LoginRefusedError):
            service.login(f"guess{i}", "wrong password!!", client="10.6.6.6")
    with pytest.raises(LoginRefusedError):
        service.login("admin", PASSWORD, client="10.6.6.6")
    assert service.login("admin", PASSWORD, client="10.7.7.7")[1].name == "admin"


def test_a_role_change_ends_the_users_sessions(env) -> None:  # type: ignore[no-untyped-def]
    service, _, _ = env
    token, _ = service.login("responder", PASSWORD, client="127.0.0.1")
    service.set_role("responder", Role.VIEWER, actor="admin")
    assert service.session(token) is None
    assert service.login("responder", PASSWORD, client="127.0.0.1")[1].role is Role.VIEWER


def test_api_tokens_are_stored_as_digests_only(env) -> None:  # type: ignore[no-untyped-def]
    service, uow, _ = env
    token = service.issue_token("communications", "ci", actor="admin")
    assert service.bearer(token) is not None
    assert service.bearer(token + "x") is None
    assert token not in repr(uow.state.web)
    assert PASSWORD not in repr(uow.state.web)


def test_privileged_notes_are_for_counsel_and_never_in_the_audit_chain(env) -> None:  # type: ignore[no-untyped-def]
    service, uow, clock = env
    with uow() as tx:
        inc = tx.incidents.add(IncidentDraft(title="t", discovered_at=clock.now()), at=clock.now())
        tx.commit()
    _, counsel = service.login("counsel", PASSWORD, client="127.0.0.1")
    _, admin = service.login("admin", PASSWORD, client="127.0.0.1")
    service.add_note(IncidentId(inc.id), "litigation hold advice", counsel)
    assert [n.body for n in service.notes(IncidentId(inc.id), counsel)] == [
        "litigation hold advice"
    ]
    with pytest.raises(ForbiddenError):
        service.notes(IncidentId(inc.id), admin)
    with pytest.raises(ForbiddenError):
        service.add_note(IncidentId(inc.id), "x", admin)
    assert "litigation" not in repr([e.details for e in uow.state.audit])


def test_the_matrix_gives_approval_to_counsel_alone_and_viewing_to_everyone() -> None:
    assert {r for r in Role if allowed(r, Permission.APPROVE_NOTICES)} == {Role.COUNSEL}
    assert {r for r in Role if allowed(r, Permission.PRIVILEGED)} == {Role.COUNSEL}
    assert MATRIX[Permission.VIEW] == frozenset(Role)
    assert set(MATRIX) == set(Permission)


def test_names_passwords_and_roles_are_checked() -> None:
    uow = FakeUnitOfWorkFactory()
    clock = FixedClock(datetime(2026, 11, 29, tzinfo=UTC))
    service = UserService(uow, Argon2Hasher(fast=True), FieldCipher(os.urandom(32)), clock)
    with pytest.raises(InvalidInputError, match="at least"):
        service.add("short", Role.VIEWER, "short", actor="t")
    with pytest.raises(InvalidInputError, match="user name"):
        service.add("bad name!", Role.VIEWER, PASSWORD, actor="t")
    service.add("ok", Role.VIEWER, PASSWORD, actor="t")
    with pytest.raises(InvalidInputError, match="exists"):
        service.add("ok", Role.VIEWER, PASSWORD, actor="t")
    with pytest.raises(InvalidInputError, match="not one of"):
        parse_role("owner")
    assert parse_role(" Counsel ") is Role.COUNSEL
