"""Every role against every endpoint (pages and API): the server enforces the role matrix, per
object, with CSRF on every unsafe browser request and no cross-incident references (IDOR)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from tests.web.web_support import Breach, first_person, log_in

from breachdesk.services.access import MATRIX, Permission
from breachdesk.services.user_ports import Role

P = Permission


@dataclass(frozen=True)
class Endpoint:
    """One route with the permission it needs and a valid body."""

    method: str
    path: str
    permission: Permission
    body: dict[str, object] | None = None

    def url(self, incident: int, person: int) -> str:
        return self.path.format(i=incident, p=person)


PAGES = (
    Endpoint("GET", "/", P.VIEW),
    Endpoint("GET", "/incidents/{i}", P.VIEW),
    Endpoint("GET", "/incidents/{i}/delivery", P.VIEW),
    Endpoint("GET", "/incidents/{i}/people", P.VIEW_PEOPLE),
    Endpoint("GET", "/incidents/{i}/people/{p}", P.VIEW_PEOPLE),
    Endpoint("GET", "/incidents/{i}/obligations", P.VIEW),
    Endpoint("GET", "/incidents/{i}/timeline", P.VIEW),
    Endpoint("GET", "/incidents/{i}/timeline?from=2026-11-19T00:00&to=2026-11-30T00:00", P.VIEW),
    Endpoint("GET", "/incidents/{i}/resets", P.VIEW),
    Endpoint("GET", "/incidents/{i}/findings", P.VIEW),
    Endpoint("GET", "/incidents/{i}/evidence", P.VIEW),
    Endpoint("GET", "/incidents/{i}/decisions", P.VIEW),
    Endpoint("GET", "/incidents/{i}/notices", P.PREVIEW_NOTICES),
    Endpoint("GET", "/incidents/{i}/notices/ledger.csv", P.VIEW_DELIVERY),
    Endpoint("GET", "/incidents/{i}/notes", P.PRIVILEGED),
    Endpoint("GET", "/audit", P.VIEW_AUDIT),
    Endpoint("GET", "/mail", P.VIEW_DELIVERY),
    Endpoint("POST", "/incidents/{i}/decisions", P.DECIDE,
             {"topic": "t", "decision": "d", "rationale": "r"}),
    Endpoint("POST", "/incidents/{i}/notes", P.PRIVILEGED, {"body": "privileged text"}),
    Endpoint("POST", "/incidents/{i}/notices/approve", P.APPROVE_NOTICES,
             {"organisation": "ACME", "contact_email": "p@acme.example", "measures": "m"}),
    Endpoint("POST", "/incidents/{i}/notices/send", P.SEND_NOTICES, {}),
)  # fmt: skip

API = (
    Endpoint("GET", "/api/v1/whoami", P.VIEW),
    Endpoint("GET", "/api/v1/incidents", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/dashboard", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/obligations", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/people", P.VIEW_PEOPLE),
    Endpoint("GET", "/api/v1/incidents/{i}/people/{p}", P.VIEW_PEOPLE),
    Endpoint("GET", "/api/v1/incidents/{i}/decisions", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/evidence", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/findings", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/resets", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/timeline", P.VIEW),
    Endpoint("GET", "/api/v1/incidents/{i}/notices", P.PREVIEW_NOTICES),
    Endpoint("GET", "/api/v1/incidents/{i}/notes", P.PRIVILEGED),
    Endpoint("GET", "/api/v1/audit/verify", P.VIEW_AUDIT),
    Endpoint("GET", "/api/v1/incidents/{i}/tasks", P.VIEW),
    Endpoint("POST", "/api/v1/incidents", P.MANAGE_CASE,
             {"title": "API incident", "discovered_at": "2026-11-28T10:00:00Z"}),
    Endpoint("POST", "/api/v1/incidents/{i}/status", P.MANAGE_CASE, {"status": "investigating"}),
    Endpoint("POST", "/api/v1/incidents/{i}/tasks/exposure.link/complete", P.MANAGE_CASE,
             {"note": "linked"}),
    Endpoint("POST", "/api/v1/incidents/{i}/decisions", P.DECIDE,
             {"topic": "t", "decision": "d", "rationale": "r"}),
    Endpoint("POST", "/api/v1/incidents/{i}/notes", P.PRIVILEGED, {"body": "privileged text"}),
    Endpoint("POST", "/api/v1/incidents/{i}/notices/approve", P.APPROVE_NOTICES,
             {"organisation": "ACME", "contact_email": "p@acme.example", "measures": "m"}),
    Endpoint("POST", "/api/v1/incidents/{i}/notices/send", P.SEND_NOTICES, {}),
)  # fmt: skip


def test_every_permission_has_a_page_and_an_api_endpoint_in_the_matrix_test() -> None:
    covered = {e.permission for e in PAGES} | {e.permission for e in API}
    assert covered >= set(Permission) - {P.MARK_OBLIGATION}  # mark-met: its own test below


def _call(c: TestClient, e: Endpoint, url: str, headers: dict[str, str], csrf: str | None):  # type: ignore[no-untyped-def]
    if e.method == "GET":
        return c.get(url, headers=headers, follow_redirects=False)
    if url.startswith("/api/"):
        return c.post(url, json=e.body, headers=headers, follow_redirects=False)
    return c.post(url, data={**(e.body or {}), "csrf": csrf or ""}, follow_redirects=False)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_pages_follow_the_matrix_for_each_role(
    client: TestClient, breach: Breach, role: Role
) -> None:
    csrf = log_in(client, role.value)
    person = first_person(breach)
    for e in PAGES:
        r = _call(client, e, e.url(breach.incident, person), {}, csrf)
        if role in MATRIX[e.permission]:
            assert r.status_code in (200, 303, 400), (role, e.path, r.status_code, r.text[:300])
        else:
            assert r.status_code == 403, (role, e.path, r.status_code)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_api_follows_the_matrix_for_each_role(
    client: TestClient, breach: Breach, role: Role
) -> None:
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {breach.tokens[role]}"}
    person = first_person(breach)
    for e in API:
        r = _call(client, e, e.url(breach.incident, person), auth, None)
        if role in MATRIX[e.permission]:
            assert r.status_code in (200, 201, 202, 400), (
                role,
                e.path,
                r.status_code,
                r.text[:300],
            )
        else:
            assert r.status_code == 403, (role, e.path, r.status_code)
            assert r.json()["detail"]


def test_without_credentials_pages_redirect_to_log_in_and_the_api_answers_401(
    client: TestClient, breach: Breach
) -> None:
    client.cookies.clear()
    for e in PAGES:
        r = _call(client, e, e.url(breach.incident, 1), {}, None)
        if e.method == "GET":
            assert r.status_code == 303, e.path
            assert r.headers["location"].startswith("/login"), e.path
        else:
            assert r.status_code in (303, 403), e.path
    for e in API:
        r = _call(
            client, e, e.url(breach.incident, 1), {"Authorization": "Bearer bdk_forged"}, None
        )
        assert r.status_code == 401, e.path


def test_a_browser_post_without_the_session_csrf_token_is_refused(
    client: TestClient, breach: Breach
) -> None:
    log_in(client, "admin")
    body = {"topic": "t", "decision": "d", "rationale": "r"}
    before = client.get(f"/api/v1/incidents/{breach.incident}/decisions").json()
    for csrf in ("", "forged-token"):
        r = client.post(f"/incidents/{breach.incident}/decisions", data={**body, "csrf": csrf})
        assert r.status_code == 403
    assert client.get(f"/api/v1/incidents/{breach.incident}/decisions").json() == before


def test_no_object_of_one_incident_is_reachable_through_another(
    client: TestClient, breach: Breach
) -> None:
    log_in(client, "counsel")
    person = first_person(breach)
    assert client.get(f"/incidents/{breach.incident}/people/{person}").status_code == 200
    assert client.get(f"/incidents/{breach.other}/people/{person}").status_code == 404
    auth = {"Authorization": f"Bearer {breach.tokens[Role.COUNSEL]}"}
    assert (
        client.get(f"/api/v1/incidents/{breach.other}/people/{person}", headers=auth).status_code
        == 404
    )
    assert client.get("/api/v1/incidents/999999/dashboard", headers=auth).status_code == 404
    obligations = client.get(
        f"/api/v1/incidents/{breach.incident}/obligations", headers=auth
    ).json()
    open_one = next(o for o in obligations if o["met_at"] is None)
    r = client.post(
        f"/api/v1/incidents/{breach.other}/obligations/{open_one['id']}/met",
        json={"note": "letter 1"}, headers=auth,
    )  # fmt: skip
    assert r.status_code == 400
    again = client.get(f"/api/v1/incidents/{breach.incident}/obligations", headers=auth).json()
    assert next(o for o in again if o["id"] == open_one["id"])["met_at"] is None


def test_marking_an_obligation_met_needs_the_permission_and_records_the_proof(
    client: TestClient, breach: Breach
) -> None:
    auth = {"Authorization": f"Bearer {breach.tokens[Role.VIEWER]}"}
    obligations = client.get(
        f"/api/v1/incidents/{breach.incident}/obligations", headers=auth
    ).json()
    target = next(o for o in obligations if o["met_at"] is None)
    url = f"/incidents/{breach.incident}/obligations/{target['id']}/met"
    csrf = log_in(client, "viewer")
    assert client.post(url, data={"note": "x", "csrf": csrf}).status_code == 403
    csrf = log_in(client, "responder")
    r = client.post(url, data={"note": "letter ref 42", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/incidents/{breach.incident}/obligations").text
    assert "proof: letter ref 42" in page


def test_privileged_notes_reach_counsel_alone(client: TestClient, breach: Breach) -> None:
    marker = "PRIVILEGED-7d1e advice on litigation hold"
    auth = {"Authorization": f"Bearer {breach.tokens[Role.COUNSEL]}"}
    r = client.post(
        f"/api/v1/incidents/{breach.incident}/notes", json={"body": marker}, headers=auth
    )
    assert r.status_code == 201
    notes = client.get(f"/api/v1/incidents/{breach.incident}/notes", headers=auth).json()
    assert marker in [n["body"] for n in notes]
    person = first_person(breach)
    for role in Role:
        if role is Role.COUNSEL:
            continue
        log_in(client, role.value)
        for e in (*PAGES, *API):
            if e.method != "GET":
                continue
            r = client.get(e.url(breach.incident, person),
                           headers={"Authorization": f"Bearer {breach.tokens[role]}"}
                           if e.path.startswith("/api/") else {})  # fmt: skip
            assert marker not in r.text, (role, e.path)
    log_in(client, "counsel")
    assert marker in client.get(f"/incidents/{breach.incident}/notes").text
    assert marker not in client.get("/audit").text  # the audit entry never carries the text


def test_log_in_locks_the_account_after_repeated_failures(client: TestClient) -> None:
    from tests.web.web_support import PASSWORD, csrf_of

    def attempt(password: str) -> int:
        client.cookies.clear()
        page = client.get("/login")
        r = client.post("/login", data={"name": "communications", "password": password,
                                        "csrf": csrf_of(page.text), "next": "/"},
                        follow_redirects=False)  # fmt: skip
        return r.status_code

    for _ in range(5):
        assert attempt("wrong password!") == 401
    assert attempt(PASSWORD) == 401  # locked: the right password is refused for a while


def test_session_cookie_is_http_only_same_site_strict_and_secure_over_https(breach: Breach) -> None:
    from tests.web.web_support import PASSWORD, csrf_of, make_client

    with make_client(breach, send_mail=False, https=True, base_url="https://testserver") as c:
        c.base_url = "https://testserver"  # type: ignore[misc]
        page = c.get("https://testserver/login")
        r = c.post("https://testserver/login", data={"name": "admin", "password": PASSWORD,
                   "csrf": csrf_of(page.text), "next": "/"}, follow_redirects=False)  # fmt: skip
        cookie = next(
            v for k, v in r.headers.multi_items() if k == "set-cookie" and "bd_session" in v
        )
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert "Secure" in cookie
        assert "Strict-Transport-Security" in r.headers
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]
