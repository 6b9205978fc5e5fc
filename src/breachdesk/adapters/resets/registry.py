"""Credential-provider registry: built-ins plus the ``breachdesk.credential_providers`` group."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from breachdesk.adapters.resets.keycloak import KeycloakProviderFactory
from breachdesk.adapters.resets.ldap import LdapProviderFactory
from breachdesk.adapters.resets.sql import SqlProviderFactory
from breachdesk.adapters.resets.webhook import WebhookProviderFactory
from breachdesk.core.errors import ConfigError
from breachdesk.credentials.provider import CredentialProvider, ProviderError

GROUP = "breachdesk.credential_providers"
BUILTINS: tuple[Any, ...] = (
    SqlProviderFactory(),
    LdapProviderFactory(),
    KeycloakProviderFactory(),
    WebhookProviderFactory(),
)


def factories() -> dict[str, Any]:
    """Every provider factory by kind; a duplicate kind fails loudly."""
    found: dict[str, Any] = {}
    plugins = [ep.load() for ep in entry_points(group=GROUP)]
    for factory in (*BUILTINS, *(p() if isinstance(p, type) else p for p in plugins)):
        if factory.kind in found:
            raise ConfigError(f"credential provider kind {factory.kind!r} is registered twice")
        found[factory.kind] = factory
    return found


def validate(kind: str, config: Mapping[str, Any]) -> None:
    """Check a configuration before it is stored."""
    factory = factories().get(kind)
    if factory is None:
        raise ConfigError(
            f"unknown provider kind {kind!r} (known: {', '.join(sorted(factories()))})"
        )
    try:
        factory.validate(config)
    except ProviderError as exc:
        raise ConfigError(f"provider {kind}: {exc.message}") from None


def open_provider(kind: str, config_json: str, environ: Mapping[str, str]) -> CredentialProvider:
    """A provider built from its stored configuration and the environment."""
    factory = factories().get(kind)
    if factory is None:
        raise ConfigError(f"unknown provider kind {kind!r}")
    try:
        return factory(json.loads(config_json), environ)  # type: ignore[no-any-return]
    except ProviderError as exc:
        raise ConfigError(f"provider {kind}: {exc.message}") from None
