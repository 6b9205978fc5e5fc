"""Envelope encryption: per-incident data keys wrapped by the workspace key.

Every encrypted column of a row that belongs to an incident is sealed with that incident's
current data key (DEK); the token names the key (``v2:<incident>.<version>:...``) so reading
finds it. Repositories need no change: an engine hook looks at each INSERT or UPDATE, works out
the incident the rows belong to (its ``incident_id`` column, or the parent rows it references)
and scopes the column encryption to that incident's key for the statement. Destroying an
incident's keys (a purge) makes every copy of its rows unreadable: crypto-shredding.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import eq
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, Connection, Engine, Table, event, func, insert, select, update
from sqlalchemy.sql import Delete, Insert, Select, Update, visitors
from sqlalchemy.sql.elements import BindParameter, ClauseElement
from sqlalchemy.sql.util import find_tables

from breachdesk.adapters.crypto import KEY_BYTES, FieldCipher
from breachdesk.core.errors import CryptoError

TOKEN_VERSION = "v2"  # noqa: S105 - a format tag, not a secret
_NONCE = 12
_scope: ContextVar[KeyId | None] = ContextVar("breachdesk_key_scope", default=None)


@dataclass(frozen=True, slots=True, order=True)
class KeyId:
    """Which data key sealed a value: an incident and the key's version."""

    incident_id: int
    version: int

    def text(self) -> str:
        """The form in a token header."""
        return f"{self.incident_id}.{self.version}"

    @classmethod
    def parse(cls, text: str) -> KeyId:
        """Read a token header's key id."""
        incident, _, version = text.partition(".")
        return cls(int(incident), int(version))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


class Keyring:
    """The workspace cipher plus the incidents' data keys, unwrapped on demand and cached.

    Data keys are wrapped by a key-encryption key (KEK). With a key store file (``keks`` in the
    workspace folder, sealed by the workspace key) the KEK lives outside the database, so a
    purge can replace it: every copy of the database taken before the purge then holds data
    keys that the current key material cannot unwrap. Without a store the KEK is derived from
    the workspace key (epoch 0).
    """

    def __init__(self, master: FieldCipher, store: Path | None = None) -> None:
        self.master = master
        self.store = store
        self._keks: dict[int, bytes] = {0: master.wrapping_key()}
        self._deks: dict[KeyId, AESGCM] = {}
        self._seen_max_id = -1
        self.store_loaded = store is None

    def _ensure_store(self) -> None:
        if not self.store_loaded and self.store is not None:
            self._load_store(create=True)
            self.store_loaded = True

    # --- key-encryption keys ------------------------------------------------------------------

    def load_store(self) -> None:
        """Read (or create) the key store file."""
        self._load_store(create=True)

    def _load_store(self, *, create: bool) -> None:
        if self.store is None:
            return
        if not self.store.exists():
            if not create:
                return
            self._write_store({1: os.urandom(KEY_BYTES)})
        text = self.store.read_text(encoding="ascii").strip()
        data = json.loads(self.master.decrypt(text, purpose="keks"))
        self._keks = {int(e): base64.urlsafe_b64decode(k) for e, k in data.items()}

    def _write_store(self, keks: Mapping[int, bytes]) -> None:
        if self.store is None:
            raise CryptoError("no key store configured")
        body = json.dumps({str(e): _b64(k) for e, k in sorted(keks.items())})
        sealed = self.master.encrypt(body, purpose="keks")
        tmp = self.store.with_name(self.store.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(sealed + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if self.store.exists():  # overwrite the old bytes in place before replacing the file
            size = self.store.stat().st_size
            with self.store.open("r+b") as old:
                old.write(os.urandom(size))
                old.flush()
                os.fsync(old.fileno())
        os.replace(tmp, self.store)
        self._keks = dict(keks)

    @property
    def epoch(self) -> int:
        """The KEK new wraps use."""
        return max(self._keks)

    def begin_epoch(self) -> int:
        """Add a new KEK (kept beside the old ones until :meth:`drop_old_epochs`)."""
        if self.store is None:
            raise CryptoError("no key store: a new key-encryption key needs the workspace folder")
        self._ensure_store()
        self._load_store(create=True)
        epoch = self.epoch + 1
        self._write_store({**self._keks, epoch: os.urandom(KEY_BYTES)})
        return epoch

    def drop_old_epochs(self) -> None:
        """Destroy every KEK but the newest (after the re-wrapped keys are committed)."""
        if self.store is not None:
            self._write_store({self.epoch: self._keks[self.epoch]})

    # --- wrapping ---------------------------------------------------------------------------

    def wrap(self, dek: bytes, key_id: KeyId) -> str:
        """Seal a data key under the newest KEK, bound to its id."""
        self._ensure_store()
        epoch = self.epoch
        nonce = os.urandom(_NONCE)
        sealed = AESGCM(self._keks[epoch]).encrypt(nonce, dek, b"dek:" + key_id.text().encode())
        return f"e{epoch}:{_b64(nonce + sealed)}"

    def unwrap(self, wrapped: str, key_id: KeyId) -> bytes:
        """Open a wrapped data key; a destroyed KEK or data key is a clear error."""
        self._ensure_store()
        head, _, body = wrapped.partition(":")
        try:
            epoch = int(head.removeprefix("e"))
        except ValueError:
            raise CryptoError(f"data key {key_id.text()}: not a wrapped key") from None
        if epoch not in self._keks and self.store is not None:
            self._load_store(create=False)  # another process may have moved to a new KEK
        kek = self._keks.get(epoch)
        if kek is None:
            raise CryptoError(
                f"data key {key_id.text()} is wrapped by a key-encryption key that no longer"
                " exists (destroyed by a purge or a rotation)"
            )
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            return AESGCM(kek).decrypt(raw[:_NONCE], raw[_NONCE:], b"dek:" + key_id.text().encode())
        except (InvalidTag, binascii.Error, ValueError):
            raise CryptoError(
                f"data key {key_id.text()} cannot be unwrapped (destroyed or another key)"
            ) from None

    def remember(self, key_id: KeyId, wrapped: str) -> None:
        """Cache the data key of a stored row."""
        self._deks[key_id] = AESGCM(self.unwrap(wrapped, key_id))

    def forget(self, incident_id: int) -> None:
        """Drop an incident's cached keys (after they are destroyed)."""
        for key_id in [k for k in self._deks if k.incident_id == incident_id]:
            del self._deks[key_id]

    def forget_versions(self, incident_id: int, keep_version: int) -> None:
        """Drop an incident's cached keys older than ``keep_version``."""
        for key_id in [
            k for k in self._deks if k.incident_id == incident_id and k.version < keep_version
        ]:
            del self._deks[key_id]

    # --- values ----------------------------------------------------------------------------

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        """Seal with the scoped incident key, else (no incident) with the workspace key."""
        key_id = _scope.get()
        if key_id is None:
            return self.master.encrypt(plaintext, purpose=purpose)
        return self.encrypt_with(key_id, plaintext, purpose=purpose)

    def encrypt_with(self, key_id: KeyId, plaintext: str, *, purpose: str) -> str:
        """Seal with one incident data key."""
        aead = self._deks.get(key_id)
        if aead is None:
            raise CryptoError(f"{purpose}: data key {key_id.text()} is not loaded")
        nonce = os.urandom(_NONCE)
        aad = purpose.encode("utf-8") + b"\x00" + key_id.text().encode("ascii")
        sealed = aead.encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{TOKEN_VERSION}:{key_id.text()}:{_b64(nonce + sealed)}"

    def decrypt(self, token: str, *, purpose: str) -> str:
        """Open a token of either format; a destroyed key is a clear error."""
        if not token.startswith(TOKEN_VERSION + ":"):
            return self.master.decrypt(token, purpose=purpose)
        key_id, body = self.key_of(token, purpose=purpose)
        aead = self._deks.get(key_id)
        if aead is None:
            raise CryptoError(
                f"{purpose}: data key {key_id.text()} is not available (destroyed by a purge?)"
            )
        aad = purpose.encode("utf-8") + b"\x00" + key_id.text().encode("ascii")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plain = aead.decrypt(raw[:_NONCE], raw[_NONCE:], aad)
        except (InvalidTag, binascii.Error, ValueError):
            raise CryptoError(f"{purpose}: encrypted value fails authentication") from None
        return plain.decode("utf-8")

    @staticmethod
    def key_of(token: str, *, purpose: str) -> tuple[KeyId, str]:
        """The key id and body of a v2 token."""
        try:
            _, key_text, body = token.split(":", 2)
            return KeyId.parse(key_text), body
        except ValueError:
            raise CryptoError(f"{purpose}: stored value is not an encrypted token") from None

    # --- storage -----------------------------------------------------------------------------

    def refresh(self, conn: Connection) -> None:
        """Load data keys stored since the last look (another process may have made some)."""
        from breachdesk.adapters.sql.tables import incident_keys as ik

        newest = conn.execute(select(func.max(ik.c.id))).scalar()
        if newest is None or newest <= self._seen_max_id:
            return
        rows = conn.execute(
            select(ik.c.incident_id, ik.c.version, ik.c.wrapped).where(
                ik.c.id > self._seen_max_id, ik.c.destroyed_at.is_(None)
            )
        )
        for row in rows:
            self.remember(KeyId(row.incident_id, row.version), row.wrapped)
        self._seen_max_id = int(newest)

    def current(self, conn: Connection, incident_id: int) -> KeyId:
        """The incident's current (unretired) data key, created on first use in this transaction."""
        from breachdesk.adapters.sql.tables import incident_keys as ik

        row = conn.execute(
            select(ik.c.version, ik.c.wrapped)
            .where(
                ik.c.incident_id == incident_id,
                ik.c.retired_at.is_(None),
                ik.c.destroyed_at.is_(None),
            )
            .order_by(ik.c.version.desc())
            .limit(1)
        ).first()
        if row is not None:
            key_id = KeyId(incident_id, row.version)
            if key_id not in self._deks:
                self.remember(key_id, row.wrapped)
            return key_id
        newest = conn.execute(
            select(func.max(ik.c.version)).where(ik.c.incident_id == incident_id)
        ).scalar()
        return self.create(conn, incident_id, int(newest or 0) + 1)

    def create(self, conn: Connection, incident_id: int, version: int) -> KeyId:
        """Store a new random data key for an incident (inside the caller's transaction)."""
        from breachdesk.adapters.sql.tables import incident_keys as ik

        key_id = KeyId(incident_id, version)
        if self.store is not None and self.store.exists():
            self._load_store(create=False)  # wrap under the newest KEK another process made
        dek = os.urandom(KEY_BYTES)
        conn.execute(
            insert(ik).values(
                incident_id=incident_id,
                version=version,
                wrapped=self.wrap(dek, key_id),
                created_at=datetime.now(UTC),
            )
        )
        self._deks[key_id] = AESGCM(dek)
        return key_id


def use_key_store(keyring: Keyring, path: Path) -> None:
    """Keep the key-encryption keys in ``path`` (read or created on first use, mode 0600)."""
    keyring.store = path
    keyring.store_loaded = False


def encrypted_tables(tables: Iterable[Table]) -> dict[str, Table]:
    """Tables with at least one encrypted column, by name."""
    from breachdesk.adapters.sql.types import EncryptedText

    return {t.name: t for t in tables if any(isinstance(c.type, EncryptedText) for c in t.columns)}


def incident_path(table: Table) -> list[tuple[str, Table]]:
    """Foreign keys leading from ``table`` to a table with an ``incident_id`` column."""
    path: list[tuple[str, Table]] = []
    current = table
    while "incident_id" not in current.c:
        fks = sorted(current.foreign_keys, key=lambda f: f.parent.name)
        if not fks:
            return []
        fk = fks[0]
        path.append((fk.parent.name, fk.column.table))
        current = fk.column.table
    return path


def _rows(multiparams: Sequence[Any], params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if multiparams and isinstance(multiparams[0], Sequence) and multiparams[0]:
        first = multiparams[0]
        if isinstance(first[0], Mapping):
            return list(first)
    if multiparams and isinstance(multiparams[0], Mapping):
        return [m for m in multiparams if isinstance(m, Mapping)]
    return [params] if params else []


def _statement_values(stmt: Insert | Update, rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    compiled = stmt.compile().params
    if not rows:
        return [dict(compiled)]
    return [{**compiled, **row} for row in rows]


def _incident_of(
    conn: Connection, stmt: Insert | Update, values: list[dict[str, Any]]
) -> int | None:
    table = stmt.table
    if not isinstance(table, Table):
        return None
    if "incident_id" in table.c and isinstance(stmt, Insert):
        found = {v.get("incident_id") for v in values}
        return _single(found)
    if isinstance(stmt, Update):
        return _updated_incident(conn, stmt, table, values)
    path = incident_path(table)
    if not path:
        return None
    column = path[0][0]
    parents = [v.get(column) for v in values]
    known = [p for p in parents if p is not None]
    if len(known) != len(parents) or not known:
        return None
    low, high = min(known), max(known)
    parent = path[0][1]
    pk = next(iter(parent.primary_key.columns))
    rows = select(parent).where(pk.between(low, high)).subquery()
    return _through(conn, rows, path[1:])


def _updated_incident(
    conn: Connection, stmt: Update, table: Table, values: list[dict[str, Any]]
) -> int | None:
    """The incident of the rows an UPDATE touches (its WHERE, per parameter set)."""
    where = stmt.whereclause
    if where is None:
        return None
    path = incident_path(table)
    names = {b.key for b in traverse_bindparams(where) if b.value is None and b.callable is None}
    if not names:
        return _through(conn, select(table).where(where).subquery(), path)
    found: set[Any] = set()
    left = getattr(where, "left", None)
    if len(names) == 1 and isinstance(left, Column) and getattr(where, "operator", None) is eq:
        keys = sorted({row.get(next(iter(names))) for row in values}, key=repr)
        for start in range(0, len(keys), 500):  # one query per 500 rows, not one per row
            chunk = keys[start : start + 500]
            found.add(_through(conn, select(table).where(left.in_(chunk)).subquery(), path))
        return _single(found) if len(found) == 1 else None
    seen: set[tuple[Any, ...]] = set()
    for row in values:  # executemany: each parameter set names its own rows
        params = {n: row.get(n) for n in names}
        marker = tuple(sorted(params.items()))
        if marker in seen:
            continue
        seen.add(marker)
        query = select(table).where(where).params(**params).subquery()
        found.add(_through(conn, query, path))
        if len(found) > 1:
            return None
    return _single(found)


def _through(conn: Connection, rows: Any, path: list[tuple[str, Table]]) -> int | None:
    """The single incident id of ``rows`` (a subquery) following ``path``; None if several."""
    current = rows
    for column, parent in path:
        pk = next(iter(parent.primary_key.columns))
        current = select(parent).where(pk.in_(select(current.c[column]))).subquery()
    found = {r[0] for r in conn.execute(select(current.c.incident_id).distinct().limit(2))}
    return _single(found)


def traverse_bindparams(clause: ClauseElement) -> list[BindParameter[Any]]:
    """Every bound parameter in a clause."""
    found: list[BindParameter[Any]] = []
    visitors.traverse(clause, {}, {"bindparam": found.append})
    return found


def _single(found: set[Any]) -> int | None:
    found.discard(None)
    return int(next(iter(found))) if len(found) == 1 else None


def install(engine: Engine, keyring_of: Callable[[], Keyring]) -> None:
    """Scope each write of an encrypted table to its incident's key; load keys before reads."""
    from breachdesk.adapters.sql.tables import metadata

    sealed = encrypted_tables(metadata.tables.values())
    sealed_columns = {
        name: {c.name for c in t.columns if type(c.type).__name__ == "EncryptedText"}
        for name, t in sealed.items()
    }

    event.listen(engine, "after_execute", _clear_scope)
    event.listen(engine, "handle_error", _clear_scope)

    @event.listens_for(engine, "before_execute")
    def _before(
        conn: Connection,
        stmt: Any,
        multiparams: Sequence[Any],
        params: Mapping[str, Any],
        _options: Any,
    ) -> None:
        _scope.set(None)  # a scope never outlives its statement
        if not isinstance(stmt, ClauseElement) or isinstance(stmt, Delete):
            return
        table = getattr(stmt, "table", None)
        if isinstance(stmt, Insert | Update) and isinstance(table, Table):
            if table.name not in sealed:
                return
            values = _statement_values(stmt, _rows(multiparams, params))
            if not values or not sealed_columns[table.name] & values[0].keys():
                return
            keyring = keyring_of()
            incident = _incident_of(conn, stmt, values)
            key_id = keyring.current(conn, incident) if incident is not None else None
            keyring.refresh(conn)
            _scope.set(key_id)
            return
        if isinstance(stmt, Select) and any(
            t.name in sealed
            for t in find_tables(stmt, check_columns=True, include_joins=True)
            if isinstance(t, Table)
        ):
            keyring_of().refresh(conn)


def _clear_scope(*_: Any) -> None:
    _scope.set(None)


def destroy_keys(conn: Connection, keyring: Keyring, incident_id: int) -> int:
    """Overwrite every wrapped data key of an incident with random bytes, then delete the rows."""
    from breachdesk.adapters.sql.tables import incident_keys as ik

    ids = [r.id for r in conn.execute(select(ik.c.id).where(ik.c.incident_id == incident_id))]
    for key_row in ids:
        conn.execute(
            update(ik)
            .where(ik.c.id == key_row)
            .values(
                wrapped=_b64(os.urandom(_NONCE + KEY_BYTES + 16)), destroyed_at=datetime.now(UTC)
            )
        )
    conn.execute(ik.delete().where(ik.c.incident_id == incident_id))
    keyring.forget(incident_id)
    return len(ids)
