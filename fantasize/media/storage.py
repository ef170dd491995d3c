"""Where uploaded files live: a small interface, local disk by default."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from fantasize.db import after_commit, after_rollback
from fantasize.extensions import db


class LocalStorage:
    """Files under ``UPLOAD_DIR``, each under a random name in a folder (``avatars``, ``products``…)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def save(self, folder: str, data: bytes, extension: str) -> str:
        name = f"{secrets.token_urlsafe(18)}.{extension}"
        directory = self.root / folder
        directory.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
        return f"{folder}/{name}"

    def path(self, key: str) -> Path:
        resolved = (self.root / key).resolve()
        if self.root.resolve() not in resolved.parents:
            raise ValueError("key escapes the storage root")
        return resolved

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def storage() -> LocalStorage:
    return LocalStorage(current_app.config["UPLOAD_DIR"])


def save_for_transaction(folder: str, data: bytes, extension: str) -> str:
    """Store a file that a row of the current transaction will name; it is removed again on rollback."""
    store = storage()
    key = store.save(folder, data, extension)
    after_rollback(db.session(), lambda: store.delete(key))
    return key


def delete_after_commit(key: str | None) -> None:
    """Remove a file once the transaction that stopped naming it has committed (kept on rollback)."""
    if key:
        store = storage()
        after_commit(db.session(), lambda: store.delete(key))
