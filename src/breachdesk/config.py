"""Settings from ``BREACHDESK_*`` environment variables; built once in the entry point."""

from __future__ import annotations

import getpass
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_actor() -> str:
    """The OS user name, or ``unknown`` where none can be found."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Settings(BaseSettings):
    """Configuration; every field maps to ``BREACHDESK_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="BREACHDESK_", extra="ignore")

    home: Path = Path(".breachdesk")
    database_url: str | None = None
    key: SecretStr | None = None
    actor: str | None = None
    debug: bool = False

    def resolved_actor(self) -> str:
        """The actor recorded in the audit chain."""
        return self.actor or default_actor()

    def resolved_database_url(self) -> str:
        """The configured URL, else the workspace's SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'breachdesk.db').resolve()}"
