"""Inbound API keys: parsing `TAB_MCP_API_KEYS` and checking a presented key in constant time.

A configured entry is either the key itself or `sha256:<64 hex digits>`, the SHA-256 of the key
(so a deployment need not store the key in clear). Only digests are kept in memory. A presented
key is hashed and compared with `hmac.compare_digest` against *every* configured digest, without
stopping at a match, so the time taken depends neither on a matching prefix nor on which key
(if any) matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

from pydantic import SecretStr

HASH_PREFIX = "sha256:"
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{64}")


class ApiKeyError(ValueError):
    """A configured key entry is malformed. The message names the entry, never its value."""


def key_digest(key: str) -> bytes:
    """SHA-256 of a key as it is presented (UTF-8)."""
    return hashlib.sha256(key.encode("utf-8")).digest()


def hash_entry(key: str) -> str:
    """The `sha256:<hex>` form of `key`, to configure instead of the key itself."""
    return HASH_PREFIX + key_digest(key).hex()


class ApiKeys:
    """The configured inbound keys, as digests. Empty means the endpoint is open."""

    def __init__(self, digests: Sequence[bytes]) -> None:
        self._digests = tuple(digests)

    @classmethod
    def parse(cls, entries: Iterable[str | SecretStr], *, name: str = "TAB_MCP_API_KEYS"
              ) -> ApiKeys:
        """Digests from plain or `sha256:<hex>` entries; raises `ApiKeyError` on a bad hash."""
        digests: list[bytes] = []
        for position, entry in enumerate(entries, start=1):
            value = entry.get_secret_value() if isinstance(entry, SecretStr) else entry
            value = value.strip()
            if not value:
                continue
            if value.lower().startswith(HASH_PREFIX):
                hex_part = value[len(HASH_PREFIX):]
                if not _HEX_DIGEST.fullmatch(hex_part):
                    raise ApiKeyError(
                        f"{name}: entry {position} starts with '{HASH_PREFIX}' but is not followed "
                        "by 64 hex digits; give the key itself or sha256:<hex digest of the key>")
                digests.append(bytes.fromhex(hex_part))
            else:
                digests.append(key_digest(value))
        return cls(digests)

    @property
    def enabled(self) -> bool:
        """True when at least one key is configured (the endpoint then requires one)."""
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def match(self, presented: str | None) -> int | None:
        """The index of the configured key `presented` equals, or None.

        Every configured digest is compared, whatever the outcome, in constant time each.
        """
        if presented is None:
            # Still do the work, so a missing key costs what a wrong one does.
            presented = ""
        digest = key_digest(presented)
        found: int | None = None
        for index, expected in enumerate(self._digests):
            if hmac.compare_digest(digest, expected) and found is None:
                found = index
        return found if presented else None

    def key_id(self, index: int) -> str:
        """A non-secret, stable label of configured key `index` (for rate-limit buckets)."""
        return "key:" + hashlib.sha256(b"tab-mcp key id:" + self._digests[index]).hexdigest()[:16]


def bearer_token(authorization: str | None) -> str | None:
    """The credential of an `Authorization: Bearer <token>` header value, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token
