"""Random tokens and how they are stored: only their SHA-256, never the token itself.

The tokens are 256-bit random values, so a plain SHA-256 is enough to make a stolen
database useless; a slow hash (bcrypt) is only needed for low-entropy passwords.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
