"""In-app notices: a signed webhook to the organisation's own application, which shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from breachdesk.adapters.webhook import SignedPoster
from breachdesk.core.clock import Clock, SystemClock
from breachdesk.core.delivery import OutboxMessage, Receipt, message_id


@dataclass(frozen=True, slots=True)
class InAppOptions:
    """The application's notice endpoint; the signing secret never appears in repr."""

    url: str
    secret: bytes = field(repr=False)
    timeout: float = 15.0
    connections: int = 16


class InAppTransport:
    """Posts ``{person_ref, incident, subject, text, html, message_id}`` as signed JSON.

    ``person_ref`` is the message's recipient: the person's account reference in the application.
    The application answers 2xx once the banner or inbox message is stored; 5xx and 429 are retried.
    """

    def __init__(self, options: InAppOptions, clock: Clock | None = None) -> None:
        self._domain = urlsplit(options.url).hostname or "app"
        self._poster = SignedPoster(
            options.url,
            options.secret,
            clock or SystemClock(),
            timeout=options.timeout,
            connections=options.connections,
        )

    def __repr__(self) -> str:
        return f"InAppTransport(domain={self._domain!r})"

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return "in_app"

    def send(self, message: OutboxMessage) -> Receipt:
        """Deliver one notice to the application; never raises."""
        mid = message_id(message.id, message.incident_id, self._domain)
        payload = {
            "person_ref": message.recipient,
            "incident": message.incident_id,
            "subject": message.subject,
            "text": message.body_text,
            "html": message.body_html,
            "message_id": mid,
        }
        return self._poster.post(payload, mid, "id", "status", "error")

    def close(self) -> None:
        """Close pooled connections."""
        self._poster.close()
