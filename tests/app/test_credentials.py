"""The one credentials type: its grant rule, completeness check and salted fingerprint."""

from __future__ import annotations

import hashlib
import json

import pytest
from pydantic import SecretStr

from app.config import load_settings
from app.domain.credentials import AuthMode, Credentials
from app.request_config.model import SessionConfig

NAMES = ("ID", "SECRET", "USER", "PASS")


def creds(client: str | None = None, secret: str | None = None, username: str | None = None,
          password: str | None = None) -> Credentials:
    return Credentials(client_id=client,
                       client_secret=SecretStr(secret) if secret is not None else None,
                       username=SecretStr(username) if username is not None else None,
                       password=SecretStr(password) if password is not None else None)


@pytest.mark.parametrize(("parts", "mode"), [
    (("id", "s", "u", "p"), AuthMode.PASSWORD),
    (("id", None, "u", "p"), AuthMode.PASSWORD),  # a public client logs in without a secret
    (("id", "s", None, None), AuthMode.CLIENT_CREDENTIALS),
    ((None, None, "u", "p"), AuthMode.ANONYMOUS),  # the password grant names its client
    (("id", None, None, None), AuthMode.ANONYMOUS),
    ((None, None, None, None), AuthMode.ANONYMOUS),
    (("id", "s", "u", None), AuthMode.CLIENT_CREDENTIALS),
])
def test_grant_rule(parts: tuple[str | None, ...], mode: AuthMode) -> None:
    assert creds(*parts).mode is mode


def test_settings_and_session_config_produce_the_same_credentials() -> None:
    settings = load_settings({}, tab_client_id="id", tab_client_secret="s",
                             tab_username="u", tab_password="p")
    session = SessionConfig.model_validate({"tabClientId": "id", "tabClientSecret": "s",
                                            "tabUsername": "u", "tabPassword": "p"})
    assert settings.credentials == session.credentials == creds("id", "s", "u", "p")
    assert settings.credentials.mode is AuthMode.PASSWORD
    assert settings.credentials.secret_values() == ["s", "u", "p"]


@pytest.mark.parametrize(("parts", "message"), [
    (("id", None, None, None), "ID and SECRET must be set together"),
    ((None, "s", None, None), "ID and SECRET must be set together"),
    (("id", "s", "u", None), "USER and PASS must be set together"),
    ((None, None, "u", "p"), "the password grant (USER/PASS) also needs ID and SECRET"),
])
def test_incomplete_sets_are_refused_by_name(parts: tuple[str | None, ...],
                                             message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        creds(*parts).check_complete(NAMES)


def test_complete_sets_pass() -> None:
    for parts in [(None, None, None, None), ("id", "s", None, None), ("id", "s", "u", "p")]:
        creds(*parts).check_complete(NAMES)


def test_fingerprint_depends_on_every_part_and_nothing_else() -> None:
    base = creds("client-a", "secret-a", "user-a", "pass-a")
    variants = [creds("client-b", "secret-a", "user-a", "pass-a"),
                creds("client-a", "secret-b", "user-a", "pass-a"),
                creds("client-a", "secret-a", "user-b", "pass-a"),
                creds("client-a", "secret-a", "user-a", "pass-b"),
                # the boundary between parts cannot be shifted
                creds("client-a", "secret-auser-a", None, None)]
    fingerprints = {item.fingerprint() for item in [base, *variants]}
    assert len(fingerprints) == 1 + len(variants)
    assert creds("client-a", "secret-a", "user-a", "pass-a").fingerprint() == base.fingerprint()
    for raw in ("client-a", "secret-a", "user-a", "pass-a"):
        assert raw not in base.fingerprint()


def test_fingerprint_is_salted_per_process() -> None:
    unsalted = hashlib.sha256(json.dumps(["client-a", "secret-a", "", ""]).encode()).hexdigest()
    assert creds("client-a", "secret-a").fingerprint() != unsalted


def test_secrets_stay_out_of_the_repr() -> None:
    full = creds("id", "secret-value", "user-value", "password-value")
    for value in ("secret-value", "user-value", "password-value"):
        assert value not in repr(full)
