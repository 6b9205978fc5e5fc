"""Rendered notices as frozen values: what was said, on which channel, from which templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    """A way a notice reaches its audience."""

    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"
    REGULATOR_LETTER = "regulator_letter"
    IN_APP = "in_app"
    SUBSTITUTE_WEB = "substitute_web"
    MEDIA = "media"
    PRESS_RELEASE = "press_release"
    SOCIAL_POST = "social_post"


#: Channels that can carry a notice owed to each rules recipient (first: the default).
CHANNELS_FOR_RECIPIENT: dict[str, tuple[Channel, ...]] = {
    "individuals": (Channel.EMAIL, Channel.SMS, Channel.LETTER, Channel.IN_APP),
    "regulator": (Channel.REGULATOR_LETTER,),
    "attorney_general": (Channel.REGULATOR_LETTER,),
    "consumer_reporting_agencies": (Channel.REGULATOR_LETTER,),
    "law_enforcement": (Channel.REGULATOR_LETTER,),
    "data_owner": (Channel.REGULATOR_LETTER,),
    "media": (Channel.MEDIA, Channel.PRESS_RELEASE, Channel.SOCIAL_POST),
    "substitute": (Channel.SUBSTITUTE_WEB, Channel.MEDIA),
}

#: Channels whose notice is addressed to one affected person.
INDIVIDUAL_CHANNELS: frozenset[Channel] = frozenset(
    {Channel.EMAIL, Channel.SMS, Channel.LETTER, Channel.IN_APP}
)


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """One rendered notice; recipient details never appear in repr."""

    channel: Channel
    locale: str  # the locale whose templates were used, e.g. "es"
    subject: str
    text: str = field(repr=False)
    html: str | None = field(repr=False)
    template_id: str  # e.g. "es/email"
    template_version: str  # sha256 over the names and sources of every template file used
    requested_locale: str = ""  # the locale asked for, e.g. "es-MX"
    notes: tuple[str, ...] = ()  # e.g. a locale fallback
    recipient_name: str | None = field(default=None, repr=False)
    recipient_address: str | None = field(default=None, repr=False)

    @property
    def content_hash(self) -> str:
        """sha256 of the rendered subject, text and HTML: the proof of what was sent."""
        digest = hashlib.sha256()
        for part in (self.subject, self.text, self.html or ""):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()


_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€")


def sms_segments(text: str) -> int:
    """How many SMS segments a text needs (GSM-7: 160/153 units; otherwise UCS-2: 70/67)."""
    if all(c in _GSM7 or c in _GSM7_EXTENDED for c in text):
        units = sum(2 if c in _GSM7_EXTENDED else 1 for c in text)
        single, multi = 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, multi = 70, 67
    return 1 if units <= single else -(-units // multi)
