"""Calls to Rasa's HTTP API, authenticated by a short-lived JWT in the Authorization header.

Rasa's plain `--auth-token` is read only from the `?token=` query string, which proxies and
access logs record; with `--jwt-secret` (scripts/rasa_cli.py) a caller signs a token instead
and sends it as `Authorization: Bearer ...`, so no secret ever appears in a URL.
"""
from __future__ import annotations

import time

import jwt

JWT_SECRET_ENV = "RASA_JWT_SECRET"  # nosec B105  # a variable name
JWT_METHOD = "HS256"
# Long enough for one request (a model swap can take minutes), short if the header leaks.
TOKEN_LIFETIME_SECONDS = 600


def api_headers(secret: str) -> dict[str, str]:
    """Return the header that authenticates one API call as an administrator."""
    now = int(time.time())
    token = jwt.encode({"user": {"username": "maintainer", "role": "admin"}, "iat": now,
                        "exp": now + TOKEN_LIFETIME_SECONDS}, secret, algorithm=JWT_METHOD)
    return {"Authorization": f"Bearer {token}"}
