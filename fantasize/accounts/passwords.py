"""Password hashing (bcrypt) and the password policy."""

from __future__ import annotations

import bcrypt
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128  # bcrypt reads 72 bytes; longer inputs are pre-hashed below
_DUMMY_HASH: bytes | None = None


def _prepare(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(raw) > 72:
        import base64
        import hashlib

        raw = base64.b64encode(hashlib.sha256(raw).digest())
    return raw


def hash_password(password: str) -> str:
    rounds = current_app.config["BCRYPT_ROUNDS"]
    return bcrypt.hashpw(_prepare(password), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check ``password``; without a hash, spend the same time anyway (no user enumeration by timing)."""
    global _DUMMY_HASH
    if not password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = bcrypt.hashpw(b"dummy-password", bcrypt.gensalt(rounds=current_app.config["BCRYPT_ROUNDS"]))
        bcrypt.checkpw(_prepare(password), _DUMMY_HASH)
        return False
    return bcrypt.checkpw(_prepare(password), password_hash.encode("ascii"))


def password_problems(password: str, *, email: str | None = None, username: str | None = None) -> list[str]:
    """Why ``password`` is not acceptable (empty when it is)."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    user_inputs = [value for value in (email, username, email.split("@")[0] if email else None) if value]
    result = zxcvbn(password, user_inputs=user_inputs, max_length=MAX_LENGTH)  # its default (72) would raise
    if result["score"] >= 2:
        return []
    feedback = result["feedback"]
    reason = feedback.get("warning") or "This password is too easy to guess."
    return [f"{reason.rstrip('.')}. Choose a less common password, for example a few unrelated words."]
