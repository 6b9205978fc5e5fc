"""Every registered credential provider honours the contract."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from breachdesk.adapters.resets.registry import factories
from breachdesk.credentials.provider import ProviderError, ResetAction

FACTORIES = list(factories().values())


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.kind)
def test_sample_configuration_validates_and_is_plain_data(factory: Any) -> None:
    config = json.loads(factory.sample_config)
    factory.validate(config)
    assert pickle.loads(pickle.dumps(factory)).kind == factory.kind  # noqa: S301 - own bytes
    assert all(key.endswith("_env") for key in factory.secret_keys)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.kind)
@pytest.mark.parametrize("key", ["password", "client_secret", "secret", "api_token"])
def test_secrets_in_clear_are_refused(factory: Any, key: str) -> None:
    config = {**json.loads(factory.sample_config), key: "hunter2"}
    with pytest.raises(ProviderError, match="in clear"):
        factory.validate(config)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.kind)
def test_empty_configuration_is_refused(factory: Any) -> None:
    with pytest.raises(ProviderError):
        factory.validate({})


def test_kinds_are_unique_and_actions_known() -> None:
    kinds = [f.kind for f in FACTORIES]
    assert len(kinds) == len(set(kinds))
    assert {"sql", "ldap", "keycloak", "webhook"} <= set(kinds)
    assert {a.value for a in ResetAction} == {
        "force_reset",
        "revoke_sessions",
        "revoke_keys",
        "reset_security_questions",
    }
