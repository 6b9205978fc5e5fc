"""``breachdesk serve``: the web workspace and the public portal over HTTP(S)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from breachdesk.bootstrap import open_workspace
from breachdesk.cli.output import console, settings_of
from breachdesk.core.errors import ConfigError


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    portal_only: Annotated[
        bool, typer.Option("--portal-only", help="Serve only the public portal (/check).")
    ] = False,
    tls_cert: Annotated[Path | None, typer.Option(help="PEM certificate for HTTPS.")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="PEM private key for HTTPS.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Public URL used in e-mailed links (default: bound URL).")
    ] = None,
    insecure_bind_anywhere: Annotated[
        bool,
        typer.Option(
            "--insecure-bind-anywhere", help="Allow a non-loopback bind without TLS (not advised)."
        ),
    ] = False,
) -> None:
    """Serve the dashboard, views and REST API (or the portal alone) until interrupted."""
    import uvicorn

    from breachdesk.web import WebSettings, create_app

    tls = tls_cert is not None and tls_key is not None
    if (tls_cert is None) != (tls_key is None):
        raise ConfigError("HTTPS needs both --tls-cert and --tls-key")
    if not is_loopback(host) and not tls and not insecure_bind_anywhere:
        raise ConfigError(
            f"refusing to serve on {host} without TLS: give --tls-cert and --tls-key, "
            "or --insecure-bind-anywhere behind a TLS-terminating proxy"
        )
    settings = settings_of(ctx)
    open_workspace(settings).close()  # fail now, with a clear message, if there is no workspace
    scheme = "https" if tls else "http"
    url = base_url or f"{scheme}://{host if ':' not in host else f'[{host}]'}:{port}"
    web = WebSettings(base_url=url, https=tls or url.startswith("https"), portal_only=portal_only)
    app = create_app(lambda: open_workspace(settings), web)
    what = "portal" if portal_only else "workspace"
    console.print(f"breachdesk {what} on {url}/{'check' if portal_only else ''}", markup=False)
    uvicorn.run(
        app,
        host=host,
        port=port,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        log_level="warning",
        server_header=False,
    )
