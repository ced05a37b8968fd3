"""Secrets kept in the shared store are sealed: AES-256-GCM under a key derived from
`TAB_MCP_STORE_KEY`, with a context as associated data.

The context binds a sealed value to where it belongs (say, the credential fingerprint of a token
record), so a value copied to another key, or read for another credential set, does not open.
The same key material also gives a fleet-wide fingerprint key: every process configured with the
same store key computes the same fingerprint of the same credentials, and nobody without it can
test guesses against the fingerprints kept in the store.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.primitives.key_material import key_material
from app.store.errors import SealError

_VERSION = b"\x01"
_NONCE_BYTES = 12
_SALT = b"tab-mcp shared store"


def _derive(material: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(material)


def derive_key(configured_key: str, purpose: str) -> bytes:
    """A 32-byte key for `purpose` from the configured store key: the same in every process
    configured with that key, and telling nothing about it (say, a quote signing key every
    replica shares when none is configured of its own)."""
    return _derive(key_material(configured_key), purpose.encode("utf-8"))


class Sealer:
    """Seals and opens values under one configured key, within one namespace."""

    __slots__ = ("_aead", "_namespace", "fingerprint_key")

    def __init__(self, configured_key: str, namespace: str) -> None:
        material = key_material(configured_key)
        self._aead = AESGCM(_derive(material, b"seal v1"))
        self._namespace = namespace.encode("utf-8")
        #: HMAC key for fleet-wide credential fingerprints (see `Credentials.fingerprint`).
        self.fingerprint_key = _derive(material, b"fingerprint v1")

    def _aad(self, context: str) -> bytes:
        return self._namespace + b"\x00" + context.encode("utf-8")

    def seal(self, plaintext: bytes, *, context: str) -> bytes:
        """`plaintext` encrypted and authenticated, bound to `context`."""
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, self._aad(context))

    def unseal(self, sealed: bytes, *, context: str) -> bytes:
        """The plaintext of `sealed`; `SealError` when it was tampered with, or sealed under
        another key, namespace or context."""
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _VERSION:
            raise SealError("not a sealed value of this version")
        nonce = sealed[1:1 + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, sealed[1 + _NONCE_BYTES:], self._aad(context))
        except InvalidTag:
            raise SealError("the sealed value did not open (wrong key or context, or "
                            "tampered with)") from None
