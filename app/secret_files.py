"""Re-reading the server's upstream credentials from their `*_FILE` secrets (rotation).

`load_settings()` reads `TAB_CLIENT_SECRET_FILE`, `TAB_USERNAME_FILE` and `TAB_PASSWORD_FILE`
(set in the environment or `.env`) at start. When the upstream later answers `invalid_client`,
the token manager calls the reloader built here: it reads the files again with the same reader
(a rotated Kubernetes/Docker secret is updated in place), keeps the last good value of any part
whose file is unreadable or empty, and registers new values with the log redactor before
anyone can log them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import structlog
from pydantic import SecretStr

from app.config import (
    Settings,
    SettingsError,
    dotenv_variables,
    read_secret_files,
    secret_file_variables,
)
from app.domain.credentials import Credentials
from app.observability.logging import REDACTOR

log = structlog.get_logger(__name__)

#: `Credentials` field -> the setting whose `<NAME>_FILE` variable may hold it.
ROTATABLE = {
    "client_secret": "tab_client_secret",
    "username": "tab_username",
    "password": "tab_password",
}


def credentials_reloader(settings: Settings, environ: Mapping[str, str] | None = None
                         ) -> Callable[[], Credentials]:
    """A function returning the current upstream credentials, re-reading the `*_FILE` secrets.

    The file paths are taken now from `environ` (default: the process environment) and `.env`,
    as `load_settings` takes them; their contents are read at every call.
    """
    env = secret_file_variables(os.environ if environ is None else environ, dotenv_variables())
    current = settings.credentials

    def reload() -> Credentials:
        nonlocal current
        fresh: dict[str, Any] = {}
        for part, setting in ROTATABLE.items():
            try:
                value = read_secret_files(env, [setting]).get(setting)
            except SettingsError as exc:
                log.warning("secret file unreadable; keeping the previous value", error=str(exc))
                continue
            if value:
                fresh[part] = SecretStr(value)
        current = replace(current, **fresh)
        REDACTOR.add_secrets(current.secret_values())
        return current

    return reload
