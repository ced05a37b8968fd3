"""Per-session configuration read from each request, as a gateway (e.g. Smithery) sends it.

Three carriers, merged in this order, later ones winning field by field:

1. `config` query parameter: base64 (standard or URL-safe, padding optional) of a JSON object;
2. dot-notation query parameters: `?jurisdiction=VIC&tabClientId=...&toolsets.0=racing`;
3. headers: `X-TAB-Jurisdiction`, `X-TAB-Client-Id`, `X-TAB-Client-Secret`, `X-TAB-Username`,
   `X-TAB-Password`, `X-TAB-Toolsets` (comma-separated) - the preferred carrier for credentials.

The result is validated with `SessionConfig` (unknown settings, such as an upstream URL, are
refused) and put in `scope["state"]["session_config"]`; its secret values are registered with
the log redactor. Afterwards the query string and the `X-TAB-*` headers are removed from the
request, so nothing downstream can log or echo them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from pydantic import SecretStr, ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from app.observability.logging import REDACTOR
from app.request_config.model import SessionConfig
from app.security.responses import reject

#: Query parameters a gateway adds for itself; never configuration.
RESERVED_QUERY = frozenset({"api_key", "profile"})
CONFIG_QUERY = "config"
MAX_CONFIG_BYTES = 16 * 1024
HEADER_PREFIX = b"x-tab-"
HEADER_FIELDS: dict[bytes, str] = {
    b"x-tab-jurisdiction": "jurisdiction",
    b"x-tab-client-id": "tabClientId",
    b"x-tab-client-secret": "tabClientSecret",
    b"x-tab-username": "tabUsername",
    b"x-tab-password": "tabPassword",
    b"x-tab-toolsets": "toolsets",
}
LIST_FIELDS = frozenset({"toolsets"})

# Field name or alias -> alias, so `tab_client_id` and `tabClientId` are one field.
_ALIASES: dict[str, str] = {}
for _name, _field in SessionConfig.model_fields.items():
    _ALIASES[_name] = _ALIASES[_field.alias or _name] = _field.alias or _name
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.\-\[\]]")


class SessionConfigError(ValueError):
    """Invalid per-session configuration. The message names fields, never their values."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


def _printable(name: str) -> str:
    return _SAFE_NAME.sub("?", name)[:60]


def _decode_config(value: str) -> dict[str, Any]:
    # A raw "+" in a query string arrives as a space; base64 never contains spaces.
    text = value.strip().replace(" ", "+").translate(str.maketrans("-_", "+/"))
    text += "=" * (-len(text) % 4)
    if len(text) > MAX_CONFIG_BYTES * 4 // 3 + 4:
        raise SessionConfigError(f"config: too long (at most {MAX_CONFIG_BYTES} bytes of JSON)",
                                 [CONFIG_QUERY])
    try:
        data = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError):
        raise SessionConfigError(
            "config: must be base64 (standard or URL-safe) of a JSON object", [CONFIG_QUERY]
        ) from None
    if not isinstance(data, dict):
        raise SessionConfigError("config: the decoded JSON must be an object", [CONFIG_QUERY])
    return data


def _list_value(value: str) -> Any:
    """`a,b` or a JSON array as a list; anything else unchanged (validation then names it)."""
    value = value.strip()
    if value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return [part.strip() for part in value.split(",") if part.strip()]


def _header_label(name: bytes) -> str:
    return _printable(name.decode("latin-1").title().replace("-Tab-", "-TAB-"))


def _from_query(query_string: bytes, merged: dict[str, Any], origin: dict[str, str]) -> None:
    dotted: dict[str, Any] = {}
    try:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True,
                          max_num_fields=100)
    except ValueError:
        raise SessionConfigError("query: too many parameters", ["query"]) from None
    for key, value in pairs:
        if key == CONFIG_QUERY:
            for name, item in _decode_config(value).items():
                name = _ALIASES.get(name, name)
                merged[name] = item
                origin[name] = "config (base64 JSON)"
            continue
        if key in RESERVED_QUERY:
            continue
        head, _, rest = key.partition(".")
        head = _ALIASES.get(head, head)
        origin[head] = f"query parameter {_printable(head)}"
        current = dotted.get(head)
        if head in LIST_FIELDS and (rest == "" or rest.isdigit()):
            items = [value] if rest else _list_value(value)
            if isinstance(items, list) and isinstance(current, list):
                current.extend(items)
            else:
                dotted[head] = items
        elif rest:  # a nested key: no setting has one, so validation refuses it by name
            dotted[head] = {**(current if isinstance(current, dict) else {}), rest: value}
        else:
            dotted[head] = value
    merged.update(dotted)


def _from_headers(headers: list[tuple[bytes, bytes]], merged: dict[str, Any],
                  origin: dict[str, str]) -> None:
    for raw_name, raw_value in headers:
        name = bytes(raw_name).lower()
        if not name.startswith(HEADER_PREFIX):
            continue
        value = bytes(raw_value).decode("latin-1").strip()
        field = HEADER_FIELDS.get(name)
        if field is None:
            label = _header_label(name)
            known = ", ".join(_header_label(known) for known in HEADER_FIELDS)
            raise SessionConfigError(
                f"header {label}: not a session setting (the session headers are {known})",
                [label])
        merged[field] = _list_value(value) if field in LIST_FIELDS else value
        origin[field] = "header " + _header_label(name)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _describe(error: ValidationError, origin: dict[str, str]) -> SessionConfigError:
    allowed = ", ".join(sorted({field.alias or name
                                for name, field in SessionConfig.model_fields.items()}))
    parts: list[str] = []
    fields: list[str] = []
    for item in error.errors(include_input=False, include_url=False):
        loc = [str(part) for part in item["loc"]]
        field = _ALIASES.get(loc[0], _printable(loc[0])) if loc else "configuration"
        where = origin.get(field)
        label = f"{field} ({where})" if where and loc else field
        if item["type"] == "extra_forbidden":
            message = f"not a session setting (allowed: {allowed})"
        else:
            message = item["msg"].removeprefix("Value error, ")
        fields.append(field)
        parts.append(f"{label}: {message}")
    return SessionConfigError("; ".join(parts), fields)


def parse_session_config(query_string: bytes,
                         headers: list[tuple[bytes, bytes]]) -> SessionConfig | None:
    """The session's configuration from a request's query string and headers.

    None when the request carries none; raises `SessionConfigError` when it is invalid.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    _from_query(query_string, merged, origin)
    _from_headers(headers, merged, origin)
    merged = {key: value for key, value in merged.items() if not _blank(value)}
    if not merged:
        return None
    try:
        return SessionConfig.model_validate(merged)
    except ValidationError as exc:
        raise _describe(exc, origin) from None


def secret_values(config: SessionConfig) -> list[str]:
    """The secret values a session configuration carries (for log redaction)."""
    return [value.get_secret_value() for value in
            (config.tab_client_secret, config.tab_username, config.tab_password)
            if isinstance(value, SecretStr)]


def session_config_of(request: Any) -> SessionConfig | None:
    """The validated configuration of an HTTP request (a Starlette `Request`), or None.

    Inside a tool: `session_config_of(ctx.request_context.request)`.
    """
    scope = getattr(request, "scope", None)
    if not isinstance(scope, dict):
        return None
    config = scope.get("state", {}).get("session_config")
    return config if isinstance(config, SessionConfig) else None


class SessionConfigMiddleware:
    """Validates each request's per-session configuration (400 naming the field if invalid)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query_string: bytes = scope.get("query_string", b"")
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        # Whatever the outcome, nothing downstream sees the carriers.
        scope["query_string"] = b""
        scope["headers"] = [(k, v) for k, v in headers
                            if not bytes(k).lower().startswith(HEADER_PREFIX)]
        try:
            config = parse_session_config(query_string, headers)
        except SessionConfigError as exc:
            await reject(scope, send, status=400, reason="invalid_config",
                         message=f"Invalid session configuration: {exc}",
                         data={"fields": exc.fields})
            return
        if config is not None:
            REDACTOR.add_session_secrets(secret_values(config))
            scope.setdefault("state", {})["session_config"] = config
        await self.app(scope, receive, send)
