"""Key material from a configured secret: 32 random bytes as hex or base64, or a passphrase."""

from __future__ import annotations

import base64
import binascii

#: The shortest passphrase accepted as key material (32 random bytes, hex or base64, also do).
MIN_PASSPHRASE = 16


def key_material(configured: str) -> bytes:
    """The input keying material of `TAB_MCP_STORE_KEY`: 32 bytes given as hex or base64, else
    the passphrase's UTF-8 bytes. Raises `ValueError` (no value echoed) when too short."""
    text = configured.strip()
    if len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        decoded = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) == 32:
        return decoded
    if len(text) < MIN_PASSPHRASE:
        raise ValueError(f"must be 32 random bytes (64 hex digits or base64) or a passphrase of "
                         f"at least {MIN_PASSPHRASE} characters, e.g. the output of "
                         "`openssl rand -hex 32`")
    return text.encode("utf-8")
