"""``breachdesk bundle``: encrypted, signed hand-off bundles (age + Ed25519), and opening them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachdesk.bootstrap import protection
from breachdesk.cli.output import console, emit_json, opened
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId


def _key_text(value: str) -> str:
    path = Path(value)
    return path.read_text(encoding="ascii") if path.is_file() else value


def bundle(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="Incident id, or `open` to open a bundle.")],
    file: Annotated[str | None, typer.Argument(help="With `open`: the bundle file.")] = None,
    to: Annotated[
        Path | None, typer.Option(help="Bundle file to write / folder to open into.")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option(help="The recipient's age public key (age1...).")
    ] = None,
    identity: Annotated[
        str | None, typer.Option(help="With `open`: age identity file (or the key itself).")
    ] = None,
    parts: Annotated[str, typer.Option(help="Comma-separated parts.")] = "casefile,manifest,audit",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write an encrypted, signed bundle for outside counsel, a regulator or an insurer; or
    `bundle open FILE --identity KEY --to DIR` to verify the signature and hashes and decrypt."""
    if target == "open":
        _open(file, identity, to, as_json)
        return
    if not target.isdigit() or to is None or not recipient:
        raise InvalidInputError("usage: bundle ID --to FILE --recipient AGE_PUBLIC_KEY")
    with opened(ctx) as ws, console.status("Encrypting and signing the bundle..."):
        manifest = protection(ws).bundles.create(
            IncidentId(int(target)),
            to,
            recipient=recipient,
            parts=[p.strip() for p in parts.split(",") if p.strip()],
            actor=ws.actor,
        )
    if as_json:
        emit_json(manifest)
    else:
        files = manifest["files"]
        count = len(files) if isinstance(files, list) else 0
        console.print(
            f"Wrote {to}: {count} signed parts, encrypted to the recipient.", markup=False
        )


def _open(file: str | None, identity: str | None, to: Path | None, as_json: bool) -> None:
    from breachdesk.adapters.bundle_format import open_bundle

    if file is None or identity is None:
        raise InvalidInputError("usage: bundle open FILE --identity KEY [--to DIR]")
    manifest, files = open_bundle(Path(file), identity=_key_text(identity))
    if to is not None:
        to.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (to / Path(name).name).write_bytes(data)  # names reduced to a base name: no traversal
    if as_json:
        emit_json({"verified": True, "manifest": manifest, "to": str(to) if to else None})
    else:
        console.print(
            f"Signature and {len(files)} file hashes verified (signer {manifest['signer']}).",
            markup=False,
        )
