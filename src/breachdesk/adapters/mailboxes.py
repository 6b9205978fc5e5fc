"""Raw messages from an mbox file, a Maildir or an IMAP folder (read-only), for bounce processing.

Locations name the file, folder entry or IMAP UID, never content. Nothing is deleted or flagged:
bounce processing is idempotent, so a mailbox can be read again.
"""

from __future__ import annotations

import contextlib
import imaplib
import mailbox
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from breachdesk.core.errors import ConfigError, InvalidInputError
from breachdesk.services.bounces import MailItem

_FETCH = 100  # messages per IMAP FETCH


def read_mbox(path: Path) -> Iterator[MailItem]:
    """Every message of an mbox file, located as ``FILE#n`` (1-based)."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such mbox file")
    with path.open("rb") as f:
        head = f.read(5)
    if head and head != b"From ":
        raise InvalidInputError(f"{path}: not an mbox file (it must start with a 'From ' line)")
    box = mailbox.mbox(path, create=False)
    try:
        for n, key in enumerate(box.iterkeys(), start=1):
            yield MailItem(f"{path}#{n}", box.get_bytes(key))
    finally:
        box.close()


def read_maildir(path: Path) -> Iterator[MailItem]:
    """Every message of a Maildir (``new`` then ``cur``), located by its file name."""
    if not (path / "new").is_dir() or not (path / "cur").is_dir():
        raise InvalidInputError(f"{path}: not a Maildir (no new/ and cur/ folders)")
    for sub in ("new", "cur"):
        for entry in sorted((path / sub).iterdir()):
            if entry.is_file() and not entry.name.startswith("."):
                try:
                    data = entry.read_bytes()
                except FileNotFoundError:  # moved by a mail client meanwhile
                    continue
                yield MailItem(f"{path}/{sub}/{entry.name}", data)


@dataclass(frozen=True, slots=True)
class ImapSource:
    """An IMAP folder: ``imaps://user@host[:port]/FOLDER`` (or ``imap://`` on a trusted network)."""

    url: str
    password: str = field(repr=False)
    cafile: Path | None = None
    timeout: float = 60.0

    def messages(self) -> Iterator[MailItem]:
        """Every message of the folder, oldest first, located as ``imap:FOLDER#uidN``."""
        parts = urlsplit(self.url)
        if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise InvalidInputError("--imap: expected imaps://user@host[:port]/FOLDER")
        folder = unquote(parts.path.lstrip("/")) or "INBOX"
        conn = self._connect(parts.scheme, parts.hostname, parts.port)
        try:
            try:
                conn.login(unquote(parts.username), self.password)
            except imaplib.IMAP4.error:
                raise ConfigError(f"IMAP login refused for {parts.hostname}") from None
            status, _ = conn.select(_quote(folder), readonly=True)
            if status != "OK":
                raise InvalidInputError(f"IMAP folder {folder!r} cannot be opened")
            yield from self._fetch(conn, folder)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()

    def _connect(self, scheme: str, host: str, port: int | None) -> imaplib.IMAP4:
        try:
            if scheme == "imaps":
                context = ssl.create_default_context(cafile=self.cafile)
                return imaplib.IMAP4_SSL(
                    host, port or 993, ssl_context=context, timeout=self.timeout
                )
            return imaplib.IMAP4(host, port or 143, timeout=self.timeout)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ConfigError(
                f"cannot connect to IMAP server {host} ({type(exc).__name__})"
            ) from None

    def _fetch(self, conn: imaplib.IMAP4, folder: str) -> Iterator[MailItem]:
        status, data = conn.uid("SEARCH", "ALL")
        if status != "OK":
            raise InvalidInputError(f"IMAP folder {folder!r} cannot be searched")
        uids = [u.decode() for u in (data[0] or b"").split()]
        for start in range(0, len(uids), _FETCH):
            chunk = uids[start : start + _FETCH]
            status, rows = conn.uid("FETCH", ",".join(chunk), "(UID BODY.PEEK[])")
            if status != "OK":
                raise InvalidInputError(f"IMAP folder {folder!r}: FETCH refused")
            for row in rows:
                if isinstance(row, tuple) and len(row) == 2:
                    uid = _uid_of(row[0])
                    yield MailItem(f"imap:{folder}#uid{uid}", row[1])


def _uid_of(prefix: bytes) -> str:
    words = prefix.decode("ascii", "replace").replace("(", " ").split()
    for i, word in enumerate(words[:-1]):
        if word.upper() == "UID":
            return words[i + 1]
    return "?"


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
