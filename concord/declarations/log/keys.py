"""The key that signs tree heads: Ed25519, its 32-byte seed from the environment
(LOG_SIGNING_KEY, settings.py). Its public half is published with every head, on the log's
page and in the API, so a reader needs nothing from Concord but the log itself."""

import base64
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _key(seed: str) -> Ed25519PrivateKey:
    raw = base64.b64decode(seed)
    if len(raw) != 32:
        raise ImproperlyConfigured("LOG_SIGNING_KEY must be 32 bytes, base64-encoded.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key() -> str:
    raw = _key(settings.LOG_SIGNING_KEY).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(message: bytes) -> str:
    return base64.b64encode(_key(settings.LOG_SIGNING_KEY).sign(message)).decode()
