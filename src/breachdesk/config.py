"""Settings from ``BREACHDESK_*`` environment variables; built once in the entry point."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Literal

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
    key_command: str | None = None  # an external command printing the key (KMS/HSM client)
    retention_people_days: int = 730  # default retention of affected people after closing
    retention_evidence_days: int = 2555  # default retention of evidence after closing
    actor: str | None = None
    debug: bool = False
    sla_days: str | None = None  # days to fix per severity, e.g. critical=7,high=30
    # notice channels beyond e-mail; secrets are read from the variables named by *_secret_env
    sms_provider: Literal["twilio", "webhook"] | None = None
    sms_url: str | None = None  # gateway base (Twilio: https://api.twilio.com) or webhook URL
    sms_account: str | None = None  # Twilio account SID
    sms_sender: str | None = None  # sending number, or a Twilio messaging service SID (MG...)
    sms_region: str | None = None  # country whose national numbers are read (e.g. US), else +
    # names of the variables holding the Twilio auth token or webhook key, not secrets themselves
    sms_secret_env: str = "BREACHDESK_SMS_SECRET"  # noqa: S105
    inapp_url: str | None = None  # the organisation's application, receiving signed webhooks
    inapp_secret_env: str = "BREACHDESK_INAPP_SECRET"  # noqa: S105
    letters_spool: Path | None = None  # print spool for letters (default <home>/letters)
    channel_timeout: float = 15.0  # seconds per HTTP request to a gateway or application
    # e-mail notices; without smtp_host an embedded sink on loopback writes <home>/mail (Maildir)
    smtp_host: str | None = None
    smtp_port: int | None = None  # default 25, 587 with starttls, 465 with tls
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "notices@breachdesk.invalid"
    smtp_domain: str | None = None  # right-hand side of Message-IDs (default: from's domain)
    smtp_timeout: float = 30.0
    smtp_per_domain: int = 8  # concurrent deliveries per recipient domain
    smtp_verify_tls: bool = True
    # optional DKIM signing of e-mail notices (needs the "dkim" extra): BREACHDESK_DKIM_*
    dkim_selector: str | None = None
    dkim_domain: str | None = None  # signing domain (default: the domain of smtp_from)
    dkim_key_file: Path | None = None  # PEM RSA private key

    def resolved_actor(self) -> str:
        """The actor recorded in the audit chain."""
        return self.actor or default_actor()

    def resolved_database_url(self) -> str:
        """The configured URL, else the workspace's SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'breachdesk.db').resolve()}"
