"""Reading per-session configuration from a request, as a gateway (e.g. Smithery) sends it.

Three carriers, merged in this order, later ones winning field by field:

1. `config` query parameter: base64 (standard or URL-safe, padding optional) of a JSON object;
2. dot-notation query parameters: `?jurisdiction=VIC&tabClientId=...&toolsets.0=racing`;
3. headers: `X-TAB-Jurisdiction`, `X-TAB-Client-Id`, `X-TAB-Client-Secret`, `X-TAB-Username`,
   `X-TAB-Password`, `X-TAB-Toolsets` (comma-separated) - the preferred carrier for credentials.

The result is validated with `SessionConfig` (unknown settings, such as an upstream URL, are
refused); errors name the field and where it came from, never its value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.datastructures import Headers

from app.request_config.model import SessionConfig

#: Query parameters a gateway adds for itself; never configuration.
RESERVED_QUERY = frozenset({"api_key", "profile"})
CONFIG_QUERY = "config"
MAX_CONFIG_BYTES = 16 * 1024
HEADER_PREFIX = "x-tab-"
HEADER_FIELDS: dict[str, str] = {
    "x-tab-jurisdiction": "jurisdiction",
    "x-tab-client-id": "tabClientId",
    "x-tab-client-secret": "tabClientSecret",
    "x-tab-username": "tabUsername",
    "x-tab-password": "tabPassword",
    "x-tab-toolsets": "toolsets",
    "x-tab-bet-max-stake": "betMaxStake",
    "x-tab-bet-max-daily": "betMaxDaily",
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


def _header_label(name: str) -> str:
    return _printable(name.title().replace("-Tab-", "-TAB-"))


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


def _from_headers(headers: Headers, merged: dict[str, Any], origin: dict[str, str]) -> None:
    for name, value in headers.items():
        name = name.lower()
        if not name.startswith(HEADER_PREFIX):
            continue
        value = value.strip()
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


def parse_session_config(query_string: bytes, headers: Headers) -> SessionConfig | None:
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
