"""Optional Ed25519 signatures of assessments (through `cryptography`).

The private key comes from a file named by DEMOZONE_SIGNING_KEY_FILE or from the variable
DEMOZONE_SIGNING_KEY itself: a PEM private key (PKCS#8, unencrypted) or the base64 of the raw
32-byte seed. Without either, assessments are not signed. The public key is recorded in the
store (its own graph, `id:graph/key/<fingerprint>`) and named by every assessment it signed
(`dz:signingKey <id:key/<fingerprint>>`); the fingerprint is the first 16 hex digits of the
SHA-256 of the raw public key, so a key cannot be swapped under its name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from demozone.common import vocab
from demozone.common.errors import InputError, Problem

KEY_FILE_VARIABLE = "DEMOZONE_SIGNING_KEY_FILE"
KEY_VARIABLE = "DEMOZONE_SIGNING_KEY"


@dataclass(frozen=True)
class Signer:
    private: object  # cryptography's Ed25519PrivateKey
    public: bytes  # raw 32 bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    @property
    def key_iri(self) -> str:
        return key_iri(self.fingerprint)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public).decode("ascii")

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")


def fingerprint(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def key_iri(fingerprint_hex: str) -> str:
    return vocab.iri_text("key", fingerprint_hex)


def key_graph_iri(fingerprint_hex: str) -> str:
    return vocab.iri_text("graph", "key", fingerprint_hex)


def signer_from_environment(environ=None) -> Signer | None:
    """The signer the environment names (see the module docstring), or None."""
    environ = os.environ if environ is None else environ
    path = environ.get(KEY_FILE_VARIABLE)
    if path:
        try:
            return signer_from_bytes(Path(path).read_bytes(), path)
        except OSError as err:
            raise _bad_key(path, f"cannot read the signing key: {err}") from None
    text = environ.get(KEY_VARIABLE)
    return signer_from_bytes(text.encode(), KEY_VARIABLE) if text else None


def signer_from_bytes(data: bytes, where: str) -> Signer:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        if b"-----BEGIN" in data:
            private = serialization.load_pem_private_key(data, password=None)
        else:
            private = Ed25519PrivateKey.from_private_bytes(
                base64.b64decode(data.strip(), validate=True)
            )
    except (ValueError, TypeError, binascii.Error) as err:
        raise _bad_key(where, f"not an Ed25519 private key: {err}") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise _bad_key(where, "not an Ed25519 private key")
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return Signer(private, public)


def signature_holds(public_b64: str, message: bytes, signature_b64: str) -> bool:
    """Whether `signature_b64` is the signature of `message` by the key `public_b64`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def _bad_key(where: str, message: str) -> InputError:
    return InputError(
        [
            Problem(
                where,
                "",
                message,
                "签名私钥无法使用",
                expected="an Ed25519 private key: PEM (PKCS#8) or the base64 of its 32-byte seed",
            )
        ]
    )
