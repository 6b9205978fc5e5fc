"""SMS through an HTTP gateway: the Twilio Messages API (or a compatible one), a signed webhook."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import phonenumbers

from breachdesk.adapters.webhook import (
    SignedPoster,
    answer_of,
    failure_receipt,
    verdict_for,
)
from breachdesk.core.clock import Clock, SystemClock
from breachdesk.core.delivery import OutboxMessage, Receipt, Verdict, message_id

TWILIO_BASE = "https://api.twilio.com"
_ID_DOMAIN = "sms.breachdesk"
_NOT_A_NUMBER = Receipt(Verdict.PERMANENT, "not a phone number that can be written in E.164")


def e164(number: str, region: str | None = None) -> str | None:
    """The number in E.164 (``+14155550123``), reading national numbers in ``region``; else None."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True, slots=True)
class TwilioOptions:
    """A Twilio-compatible gateway account; the auth token never appears in repr."""

    account_sid: str
    auth_token: str = field(repr=False)
    sender: str  # an E.164 number, or a messaging service SID (``MG...``)
    base_url: str = TWILIO_BASE
    timeout: float = 15.0
    connections: int = 16
    region: str | None = None  # ISO country for numbers written without +, e.g. "US"

    @property
    def messages_url(self) -> str:
        """The account's Messages resource."""
        return f"{self.base_url.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"


class TwilioTransport:
    """Sends SMS with ``POST .../Accounts/{sid}/Messages.json`` (form, basic auth), pooled."""

    def __init__(self, options: TwilioOptions) -> None:
        self._options = options
        self._client = httpx.Client(
            auth=(options.account_sid, options.auth_token),
            timeout=options.timeout,
            limits=httpx.Limits(
                max_connections=options.connections,
                max_keepalive_connections=options.connections,
            ),
        )

    def __repr__(self) -> str:
        return f"TwilioTransport(account={self._options.account_sid!r})"

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return "sms"

    def send(self, message: OutboxMessage) -> Receipt:
        """Submit one SMS; the gateway's message SID is the server response."""
        to = e164(message.recipient, self._options.region)
        if to is None:  # the gateway would refuse it: no request, fall back at once
            return _NOT_A_NUMBER
        sender = self._options.sender
        form = {
            "To": to,
            "Body": message.body_text,
            ("MessagingServiceSid" if sender.startswith("MG") else "From"): sender,
        }
        try:
            response = self._client.post(self._options.messages_url, data=form)
        except httpx.HTTPError as exc:
            return failure_receipt(exc)
        verdict = verdict_for(response.status_code)
        sid = _field(response, "sid")
        return Receipt(verdict, answer_of(response, "sid", "status", "code", "message"), sid)

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()


@dataclass(frozen=True, slots=True)
class WebhookSmsOptions:
    """A generic SMS gateway taking signed JSON; the signing secret never appears in repr."""

    url: str
    secret: bytes = field(repr=False)
    sender: str | None = None
    timeout: float = 15.0
    connections: int = 16
    region: str | None = None  # ISO country for numbers written without +, e.g. "US"


class WebhookSmsTransport:
    """Posts ``{to, from, text, message_id, incident}`` as signed JSON to an SMS gateway."""

    def __init__(self, options: WebhookSmsOptions, clock: Clock | None = None) -> None:
        self._options = options
        self._poster = SignedPoster(
            options.url,
            options.secret,
            clock or SystemClock(),
            timeout=options.timeout,
            connections=options.connections,
        )

    def __repr__(self) -> str:
        return "WebhookSmsTransport()"

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return "sms"

    def send(self, message: OutboxMessage) -> Receipt:
        """Submit one SMS; 2xx accepted, 5xx and 429 temporary, other 4xx permanent."""
        to = e164(message.recipient, self._options.region)
        if to is None:
            return _NOT_A_NUMBER
        mid = message_id(message.id, message.incident_id, _ID_DOMAIN)
        payload = {
            "to": to,
            "from": self._options.sender,
            "text": message.body_text,
            "message_id": mid,
            "incident": message.incident_id,
        }
        return self._poster.post(payload, mid, "id", "status", "error")

    def close(self) -> None:
        """Close pooled connections."""
        self._poster.close()


def _field(response: httpx.Response, name: str) -> str | None:
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    value = data.get(name) if isinstance(data, dict) else None
    return str(value) if value else None
