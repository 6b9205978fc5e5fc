"""Who may do what: the one role-by-permission matrix every web page and API endpoint checks."""

from __future__ import annotations

from enum import StrEnum

from breachdesk.core.errors import BreachdeskError
from breachdesk.services.user_ports import Role


class Permission(StrEnum):
    """One kind of action in the web workspace and the API."""

    VIEW = "view"  # incidents, dashboard, obligations, timeline, findings, evidence, decisions
    VIEW_PEOPLE = "view_people"  # affected people (masked) and their exposure detail
    VIEW_AUDIT = "view_audit"  # the audit log and its chain verification
    MARK_OBLIGATION = "mark_obligation"  # mark an obligation met with proof
    MANAGE_CASE = "manage_case"  # open incidents, change their status, complete checklist tasks
    DECIDE = "decide"  # record a decision
    PREVIEW_NOTICES = "preview_notices"  # read rendered notices and the campaign plan
    APPROVE_NOTICES = "approve_notices"  # approve a notice campaign (counsel's sign-off)
    SEND_NOTICES = "send_notices"  # queue and send an approved campaign
    VIEW_DELIVERY = "view_delivery"  # delivery counters, ledger download, sent-mail viewer
    PRIVILEGED = "privileged"  # counsel's privileged notes, read and write


R = Role
P = Permission
_ALL = frozenset(Role)

#: The matrix. A role missing from a permission's set is refused on the server, for every object.
MATRIX: dict[Permission, frozenset[Role]] = {
    P.VIEW: _ALL,
    P.VIEW_PEOPLE: frozenset({R.ADMIN, R.RESPONDER, R.COUNSEL, R.COMMUNICATIONS}),
    P.VIEW_AUDIT: frozenset({R.ADMIN, R.RESPONDER, R.COUNSEL}),
    P.MARK_OBLIGATION: frozenset({R.ADMIN, R.RESPONDER, R.COUNSEL}),
    P.MANAGE_CASE: frozenset({R.ADMIN, R.RESPONDER}),
    P.DECIDE: frozenset({R.ADMIN, R.RESPONDER, R.COUNSEL}),
    P.PREVIEW_NOTICES: frozenset({R.ADMIN, R.RESPONDER, R.COUNSEL, R.COMMUNICATIONS}),
    P.APPROVE_NOTICES: frozenset({R.COUNSEL}),
    P.SEND_NOTICES: frozenset({R.ADMIN, R.COUNSEL, R.COMMUNICATIONS}),
    P.VIEW_DELIVERY: frozenset({R.ADMIN, R.COUNSEL, R.COMMUNICATIONS}),
    P.PRIVILEGED: frozenset({R.COUNSEL}),
}


class ForbiddenError(BreachdeskError):
    """The user's role does not allow this action."""


def allowed(role: Role, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return role in MATRIX[permission]


def require(role: Role, permission: Permission) -> None:
    """Raise ForbiddenError unless ``role`` holds ``permission``."""
    if not allowed(role, permission):
        raise ForbiddenError(f"the {role.value} role may not {permission.value.replace('_', ' ')}")
