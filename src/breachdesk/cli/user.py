"""``breachdesk user``: web workspace users, roles and API tokens."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from breachdesk.bootstrap import web_services
from breachdesk.cli.output import console, emit_json, opened, when
from breachdesk.core.errors import InvalidInputError
from breachdesk.services.users import parse_role

app = typer.Typer(no_args_is_help=True, help="Users of the web workspace, roles and API tokens.")

PASSWORD_ENV = "BREACHDESK_USER_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
RoleArg = Annotated[
    str, typer.Option("--role", help="admin, responder, counsel, communications or viewer.")
]


def _password(env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not os.isatty(0):
        raise InvalidInputError(f"no password: set {env} or run in a terminal to be asked")
    entered: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    role: RoleArg,
    password_env: Annotated[
        str, typer.Option(help="Variable holding the password (else asked for).")
    ] = PASSWORD_ENV,
) -> None:
    """Create a user; the password is hashed with Argon2id and never stored or shown."""
    chosen = parse_role(role)
    password = _password(password_env)
    with opened(ctx) as ws:
        user = web_services(ws).users.add(name, chosen, password, actor=ws.actor)
    console.print(f"User {user.name} added with role {user.role.value}.", markup=False)


@app.command("role")
def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="The new role.")],
) -> None:
    """Change a user's role; their open sessions end."""
    chosen = parse_role(new_role)
    with opened(ctx) as ws:
        user = web_services(ws).users.set_role(name, chosen, actor=ws.actor)
    console.print(f"User {user.name} now has role {user.role.value}.", markup=False)


@app.command("token")
def token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="User name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
) -> None:
    """Issue an API token (sent as ``Authorization: Bearer``); shown once, stored hashed."""
    with opened(ctx) as ws:
        issued = web_services(ws).users.issue_token(name, label, actor=ws.actor)
    typer.echo(issued)


@app.command("list")
def list_users(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every user with role and lock-out state."""
    with opened(ctx) as ws:
        users = web_services(ws).users.users()
    if as_json:
        emit_json(
            [
                {"name": u.name, "role": u.role.value, "locked_until": u.locked_until,
                 "disabled": u.disabled, "created_at": u.created_at}
                for u in users
            ]
        )  # fmt: skip
        return
    table = Table("Name", "Role", "Locked until", "Created")
    for u in users:
        table.add_row(u.name, u.role.value, when(u.locked_until), when(u.created_at))
    console.print(table)
