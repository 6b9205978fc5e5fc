"""Every registered transport: unique name, picklable options, down endpoint defers, no PII."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

from breachdesk.adapters.channels import (
    DuplicateTransportError,
    LetterPlugin,
    TransportPlugin,
    TwilioPlugin,
    all_transports,
    channel_transport,
    check_unique,
    configured_channels,
)
from breachdesk.config import Settings
from breachdesk.core.delivery import OutboxMessage, Verdict
from breachdesk.core.errors import ConfigError
from breachdesk.notify.message import Channel
from breachdesk.notify.postal import PostalAddress

PLUGINS = all_transports()
IDS = [p.name for p in PLUGINS]
SECRET_NAME = "Zelda Quartermain-Secretvalue"
SECRET_PHONE = "+14155559876"
SECRET_MAIL = "zelda.secret@example.org"


def message(channel: str) -> OutboxMessage:
    recipient = {
        "sms": SECRET_PHONE,
        "letter": PostalAddress(SECRET_NAME, ("77 Secret Lane", "Hiddenville")).encode(),
    }.get(channel, SECRET_MAIL)
    return OutboxMessage(
        id=1,
        incident_id=1,
        person_id=1,
        campaign="contract",
        channel=channel,
        recipient=recipient,
        subject=f"Notice for {SECRET_NAME}",
        body_text=f"Dear {SECRET_NAME}, your data was exposed.",
        body_html=f"<p>Dear {SECRET_NAME}, your data was exposed.</p>",
        content_hash="h",
        template_version="v",
        attempts=0,
    )


def test_names_are_unique() -> None:
    check_unique(PLUGINS)
    with pytest.raises(DuplicateTransportError, match="twilio"):
        check_unique((TwilioPlugin(), TwilioPlugin()))


@pytest.mark.parametrize("plugin", PLUGINS, ids=IDS)
def test_serves_a_known_channel(plugin: TransportPlugin) -> None:
    assert plugin.channel in {c.value for c in Channel}
    assert plugin.build(plugin.unreachable(Path("/nonexistent"))).channel == plugin.channel


@pytest.mark.parametrize("plugin", PLUGINS, ids=IDS)
def test_options_pickle_and_hide_secrets(plugin: TransportPlugin, tmp_path: Path) -> None:
    options = plugin.unreachable(tmp_path)
    assert pickle.loads(pickle.dumps(options)) == options  # noqa: S301 - our own bytes
    shown = repr(options)
    for secret in ("token", "secret"):
        assert f"'{secret}'" not in shown
        assert f"b'{secret}'" not in shown


@pytest.mark.parametrize("plugin", PLUGINS, ids=IDS)
def test_a_down_endpoint_is_a_temporary_failure_that_names_no_one(
    plugin: TransportPlugin, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = plugin.build(plugin.unreachable(tmp_path))
    try:
        receipt = transport.send(message(plugin.channel))
    finally:
        transport.close()
    assert receipt.verdict is Verdict.TEMPORARY
    shown = " ".join((repr(transport), repr(receipt), receipt.response, caplog.text))
    for value in (SECRET_NAME, SECRET_PHONE, SECRET_MAIL, "Secret Lane"):
        assert value not in shown


@pytest.mark.parametrize("plugin", PLUGINS, ids=IDS)
def test_message_repr_never_carries_the_recipient(plugin: TransportPlugin) -> None:
    shown = repr(message(plugin.channel))
    assert SECRET_NAME not in shown
    assert SECRET_PHONE not in shown


def test_channel_transport_from_settings(tmp_path: Path) -> None:
    env = {"BREACHDESK_SMS_SECRET": "tok", "APP_KEY": "k"}
    assert channel_transport("sms", Settings(), tmp_path, environ=env) is None
    assert channel_transport("in_app", Settings(), tmp_path, environ=env) is None
    letters = channel_transport("letter", Settings(), tmp_path, environ=env)
    assert letters is not None
    assert letters.channel == "letter"
    settings = Settings(
        sms_provider="twilio",
        sms_account="AC1",
        sms_sender="+15005550006",
        inapp_url="https://app.example/notices",
        inapp_secret_env="APP_KEY",
    )
    sms = channel_transport("sms", settings, tmp_path, environ=env)
    assert type(sms).__name__ == "TwilioTransport"
    assert configured_channels(settings, tmp_path, environ=env) == {"sms", "in_app", "letter"}
    webhook = Settings(sms_provider="webhook", sms_url="https://gw.example/sms")
    assert type(channel_transport("sms", webhook, tmp_path, environ=env)).__name__ == (
        "WebhookSmsTransport"
    )
    assert LetterPlugin().options(Settings(), tmp_path, env).spool == tmp_path / "letters"


def test_half_configured_channels_fail_loudly(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="BREACHDESK_SMS_SECRET"):
        channel_transport(
            "sms",
            Settings(sms_provider="twilio", sms_account="AC1", sms_sender="+1"),
            tmp_path,
            environ={},
        )
    with pytest.raises(ConfigError, match="BREACHDESK_SMS_ACCOUNT"):
        channel_transport("sms", Settings(sms_provider="twilio"), tmp_path, environ={})
    with pytest.raises(ConfigError, match="BREACHDESK_SMS_URL"):
        channel_transport("sms", Settings(sms_provider="webhook"), tmp_path, environ={})
