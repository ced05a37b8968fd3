"""Re-reading the server's upstream credentials from their `*_FILE` secrets (rotation).

`load_settings()` reads `TAB_CLIENT_SECRET_FILE`, `TAB_USERNAME_FILE` and `TAB_PASSWORD_FILE` at
start. When the upstream later answers `invalid_client`, the token manager calls the reloader
built here: it reads the files again (a rotated Kubernetes/Docker secret is updated in place),
falls back to the start-up value of any setting without a readable file, and registers new
values with the log redactor before anyone can log them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import structlog
from pydantic import SecretStr

from app.config import Settings
from app.observability.logging import REDACTOR

log = structlog.get_logger(__name__)

_FILE_VARIABLES = {
    "client_secret": "TAB_CLIENT_SECRET_FILE",
    "username": "TAB_USERNAME_FILE",
    "password": "TAB_PASSWORD_FILE",
}


class CredentialValues(NamedTuple):
    """The server's upstream credentials; positionally compatible with `app.tab.auth.Credentials`
    (`Credentials(*values)`)."""

    client_id: str | None
    client_secret: SecretStr | None
    username: SecretStr | None
    password: SecretStr | None


def _read(variable: str, path: str) -> SecretStr | None:
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        log.warning("secret file unreadable; keeping the previous value",
                    variable=variable, error=exc.strerror)
        return None
    return SecretStr(value) if value else None


def credentials_reloader(settings: Settings, environ: Mapping[str, str] | None = None
                         ) -> Callable[[], CredentialValues]:
    """A function returning the current upstream credentials, re-reading the `*_FILE` secrets.

    The file paths are taken from `environ` (default: the process environment) now; their
    contents are read at every call.
    """
    env = dict(os.environ if environ is None else environ)
    paths = {field: env[variable] for field, variable in _FILE_VARIABLES.items()
             if env.get(variable)}
    current: dict[str, SecretStr | None] = {
        "client_secret": settings.tab_client_secret,
        "username": settings.tab_username,
        "password": settings.tab_password,
    }

    def reload() -> CredentialValues:
        for field, path in paths.items():
            fresh = _read(_FILE_VARIABLES[field], path)
            if fresh is not None:
                current[field] = fresh
        REDACTOR.add_secrets(value.get_secret_value() for value in current.values()
                             if value is not None)
        return CredentialValues(settings.tab_client_id, current["client_secret"],
                                current["username"], current["password"])

    return reload
