"""Keep secrets that travel in URLs out of every log line (ours and gunicorn's access log)."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# Paths whose last segment is a secret: e-mailed password-reset links.
_SECRET_PATHS = re.compile(r"(/password/reset/)[^/?#\s]+")


def redact_secrets(text: str) -> str:
    return _SECRET_PATHS.sub(r"\1[redacted]", text)


class RedactingLogger(Logger):
    """gunicorn's logger, with secrets in the request line, path and referrer blanked out."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact_secrets(atoms[name])
        return atoms
