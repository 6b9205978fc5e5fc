"""The detector registry: an explicit tuple of built-ins plus the ``breachdesk.detectors`` group."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import entry_points

from breachdesk.discovery.detectors import Detector

ENTRY_POINT_GROUP = "breachdesk.detectors"


class DuplicateDetectorError(Exception):
    """Two detectors claim the same name."""


def builtin_detectors() -> tuple[Detector, ...]:
    """One instance of every built-in detector, in evaluation order."""
    from breachdesk.discovery.detectors.api_key import ApiKeyDetector
    from breachdesk.discovery.detectors.card_detail import CardDetailDetector
    from breachdesk.discovery.detectors.credential import CredentialDetector
    from breachdesk.discovery.detectors.credit_card import CreditCardDetector
    from breachdesk.discovery.detectors.date_of_birth import DateOfBirthDetector
    from breachdesk.discovery.detectors.device_id import DeviceIdDetector
    from breachdesk.discovery.detectors.drivers_license import DriversLicenseDetector
    from breachdesk.discovery.detectors.email import EmailDetector
    from breachdesk.discovery.detectors.geolocation import GeolocationDetector
    from breachdesk.discovery.detectors.iban import IbanDetector
    from breachdesk.discovery.detectors.ip_address import IpAddressDetector
    from breachdesk.discovery.detectors.location import LocationDetector
    from breachdesk.discovery.detectors.national_id import NationalIdDetector
    from breachdesk.discovery.detectors.password_hash import PasswordHashDetector
    from breachdesk.discovery.detectors.person_name import PersonNameDetector
    from breachdesk.discovery.detectors.phone import PhoneDetector
    from breachdesk.discovery.detectors.postal_address import PostalAddressDetector
    from breachdesk.discovery.detectors.postal_code import PostalCodeDetector
    from breachdesk.discovery.detectors.routing_number import RoutingNumberDetector
    from breachdesk.discovery.detectors.special_category import SpecialCategoryDetector
    from breachdesk.discovery.detectors.ssn import SsnDetector

    return (
        EmailDetector(),
        CreditCardDetector(),
        IbanDetector(),
        SsnDetector(),
        RoutingNumberDetector(),
        NationalIdDetector(),
        IpAddressDetector(),
        PasswordHashDetector(),
        ApiKeyDetector(),
        CredentialDetector(),
        CardDetailDetector(),
        DeviceIdDetector(),
        GeolocationDetector(),
        PhoneDetector(),
        DateOfBirthDetector(),
        DriversLicenseDetector(),
        PostalAddressDetector(),
        PostalCodeDetector(),
        PersonNameDetector(),
        LocationDetector(),
        SpecialCategoryDetector(),
    )


def plugin_factories() -> list[tuple[str, Callable[[], Detector]]]:
    """``(entry point name, factory)`` for every third-party detector installed."""
    return [(ep.name, ep.load()) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def check_unique(detectors: Iterable[Detector]) -> tuple[Detector, ...]:
    """The detectors as a tuple; raises ``DuplicateDetectorError`` if two share a name."""
    seen: set[str] = set()
    result = tuple(detectors)
    for detector in result:
        if detector.name in seen:
            raise DuplicateDetectorError(f"two detectors are named {detector.name!r}")
        seen.add(detector.name)
    return result


def load_detectors(*, plugins: bool = True) -> tuple[Detector, ...]:
    """Built-ins followed by installed plugins; duplicate names fail loudly."""
    found = list(builtin_detectors())
    if plugins:
        for ep_name, factory in plugin_factories():
            detector = factory()
            if not isinstance(detector, Detector):
                raise TypeError(f"entry point {ep_name!r} did not produce a Detector")
            found.append(detector)
    return check_unique(found)


_DEFAULT: tuple[Detector, ...] | None = None


def default_detectors() -> tuple[Detector, ...]:
    """Built-ins plus plugins, loaded once on first use (never at import time)."""
    global _DEFAULT  # noqa: PLW0603 - a lazily built, immutable cache
    if _DEFAULT is None:
        _DEFAULT = load_detectors()
    return _DEFAULT
