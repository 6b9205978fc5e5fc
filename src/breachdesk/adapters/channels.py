"""Transports per channel: built-ins, the ``breachdesk.transports`` group, settings -> transport.

A ``TransportPlugin`` turns settings into picklable options (or None when its channel is not
configured) and options into a live ``Transport``. ``channel_transport`` picks, for one channel,
the first registered plugin that is configured. E-mail is built by the campaign from its SMTP
settings; these plugins cover the other channels.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from breachdesk.adapters.inapp import InAppOptions, InAppTransport
from breachdesk.adapters.letters import LetterOptions, LetterTransport
from breachdesk.adapters.sms import (
    TWILIO_BASE,
    TwilioOptions,
    TwilioTransport,
    WebhookSmsOptions,
    WebhookSmsTransport,
)
from breachdesk.config import Settings
from breachdesk.core.errors import ConfigError
from breachdesk.services.ports import Transport

ENTRY_POINT_GROUP = "breachdesk.transports"

#: The discard port on loopback: closed on ordinary hosts (refused), and where a discard service
#: listens it never answers (a timeout); either way a transport must report a temporary failure.
REFUSING_URL = "http://127.0.0.1:9"


class DuplicateTransportError(Exception):
    """Two transport plugins share a name."""


class TransportPlugin(Protocol):
    """A kind of transport: the channel it serves, its options from settings, the live transport."""

    @property
    def name(self) -> str: ...
    @property
    def channel(self) -> str: ...
    def options(self, settings: Settings, home: Path, environ: Mapping[str, str]) -> object | None:
        """Picklable options from settings, or None when the plugin is not configured."""
        ...

    def build(self, options: object) -> Transport:
        """A transport for options returned by ``options`` or ``unreachable``."""
        ...

    def unreachable(self, home: Path) -> object:
        """Options aimed at an endpoint that refuses delivery (for the contract test)."""
        ...


def _secret(environ: Mapping[str, str], variable: str, what: str) -> bytes:
    value = environ.get(variable)
    if not value:
        raise ConfigError(
            f"{what} is configured but the variable {variable} holding its secret is empty"
        )
    return value.encode("utf-8")


class TwilioPlugin:
    """SMS through the Twilio Messages API or a compatible gateway (``BREACHDESK_SMS_*``)."""

    name = "twilio"
    channel = "sms"

    def options(
        self, settings: Settings, home: Path, environ: Mapping[str, str]
    ) -> TwilioOptions | None:
        """Options when ``sms_provider`` is ``twilio``; account and sender are required."""
        if settings.sms_provider != "twilio":
            return None
        if not settings.sms_account or not settings.sms_sender:
            raise ConfigError(
                "SMS over Twilio needs BREACHDESK_SMS_ACCOUNT and BREACHDESK_SMS_SENDER"
            )
        token = _secret(environ, settings.sms_secret_env, "SMS over Twilio").decode("utf-8")
        return TwilioOptions(
            account_sid=settings.sms_account,
            auth_token=token,
            sender=settings.sms_sender,
            base_url=settings.sms_url or TWILIO_BASE,
            timeout=settings.channel_timeout,
            region=settings.sms_region,
        )

    def build(self, options: object) -> Transport:
        """A pooled Twilio client."""
        if not isinstance(options, TwilioOptions):
            raise TypeError("twilio transport needs TwilioOptions")
        return TwilioTransport(options)

    def unreachable(self, home: Path) -> TwilioOptions:
        """An account on a refusing endpoint."""
        return TwilioOptions("AC0", "token", "+15005550006", base_url=REFUSING_URL, timeout=2)


class WebhookSmsPlugin:
    """SMS through a generic gateway taking signed JSON (``BREACHDESK_SMS_PROVIDER=webhook``)."""

    name = "sms-webhook"
    channel = "sms"

    def options(
        self, settings: Settings, home: Path, environ: Mapping[str, str]
    ) -> WebhookSmsOptions | None:
        """Options when ``sms_provider`` is ``webhook``; the URL is required."""
        if settings.sms_provider != "webhook":
            return None
        if not settings.sms_url:
            raise ConfigError("SMS over a webhook needs BREACHDESK_SMS_URL")
        return WebhookSmsOptions(
            url=settings.sms_url,
            secret=_secret(environ, settings.sms_secret_env, "SMS over a webhook"),
            sender=settings.sms_sender,
            timeout=settings.channel_timeout,
            region=settings.sms_region,
        )

    def build(self, options: object) -> Transport:
        """A pooled signed-webhook client."""
        if not isinstance(options, WebhookSmsOptions):
            raise TypeError("sms-webhook transport needs WebhookSmsOptions")
        return WebhookSmsTransport(options)

    def unreachable(self, home: Path) -> WebhookSmsOptions:
        """A gateway on a refusing endpoint."""
        return WebhookSmsOptions(f"{REFUSING_URL}/sms", b"secret", timeout=2)


class InAppPlugin:
    """In-app notices through a signed webhook to the organisation's application."""

    name = "in-app"
    channel = "in_app"

    def options(
        self, settings: Settings, home: Path, environ: Mapping[str, str]
    ) -> InAppOptions | None:
        """Options when ``BREACHDESK_INAPP_URL`` is set."""
        if not settings.inapp_url:
            return None
        return InAppOptions(
            url=settings.inapp_url,
            secret=_secret(environ, settings.inapp_secret_env, "In-app notices"),
            timeout=settings.channel_timeout,
        )

    def build(self, options: object) -> Transport:
        """A pooled signed-webhook client."""
        if not isinstance(options, InAppOptions):
            raise TypeError("in-app transport needs InAppOptions")
        return InAppTransport(options)

    def unreachable(self, home: Path) -> InAppOptions:
        """An application on a refusing endpoint."""
        return InAppOptions(f"{REFUSING_URL}/notices", b"secret", timeout=2)


class LetterPlugin:
    """Postal letters as PDFs in the workspace print spool; always available."""

    name = "letters"
    channel = "letter"

    def options(self, settings: Settings, home: Path, environ: Mapping[str, str]) -> LetterOptions:
        """The spool folder: ``BREACHDESK_LETTERS_SPOOL`` or ``<home>/letters``."""
        return LetterOptions(settings.letters_spool or home / "letters")

    def build(self, options: object) -> Transport:
        """A spool writer."""
        if not isinstance(options, LetterOptions):
            raise TypeError("letters transport needs LetterOptions")
        return LetterTransport(options)

    def unreachable(self, home: Path) -> LetterOptions:
        """A spool whose folder is blocked by a file, so nothing can be written there."""
        blocker = home / "letters-blocked"
        blocker.parent.mkdir(parents=True, exist_ok=True)
        blocker.write_bytes(b"")
        return LetterOptions(blocker / "spool")


def builtin_transports() -> tuple[TransportPlugin, ...]:
    """The built-in transport plugins, in selection order."""
    return (TwilioPlugin(), WebhookSmsPlugin(), InAppPlugin(), LetterPlugin())


def plugin_transports() -> tuple[TransportPlugin, ...]:
    """Plugins installed by third parties under the ``breachdesk.transports`` entry-point group."""
    found: list[TransportPlugin] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        found.append(obj() if isinstance(obj, type) else obj)
    return tuple(found)


def check_unique(plugins: Iterable[TransportPlugin]) -> tuple[TransportPlugin, ...]:
    """The plugins unchanged, or ``DuplicateTransportError`` when two share a name."""
    result = tuple(plugins)
    seen: set[str] = set()
    for plugin in result:
        if plugin.name in seen:
            raise DuplicateTransportError(f"duplicate transport name: {plugin.name}")
        seen.add(plugin.name)
    return result


@cache
def all_transports() -> tuple[TransportPlugin, ...]:
    """Plugins first (so a third party can replace a channel), then built-ins; names unique."""
    return check_unique((*plugin_transports(), *builtin_transports()))


def channel_transport(
    channel: str,
    settings: Settings,
    home: Path,
    *,
    environ: Mapping[str, str] | None = None,
    plugins: Iterable[TransportPlugin] | None = None,
) -> Transport | None:
    """The transport of the first configured plugin serving ``channel``, else None.

    A plugin that is half configured (e.g. a provider without its secret) raises ``ConfigError``.
    """
    env = os.environ if environ is None else environ
    for plugin in all_transports() if plugins is None else plugins:
        if plugin.channel != channel:
            continue
        options = plugin.options(settings, home, env)
        if options is not None:
            return plugin.build(options)
    return None


def configured_channels(
    settings: Settings, home: Path, *, environ: Mapping[str, str] | None = None
) -> frozenset[str]:
    """Channels some registered plugin can serve with these settings (e-mail not included)."""
    env = os.environ if environ is None else environ
    return frozenset(
        p.channel for p in all_transports() if p.options(settings, home, env) is not None
    )
