"""`rasa` with the HTTP API's JWT secret taken from the environment, not from the command line.

    RASA_JWT_SECRET=... python -m scripts.rasa_cli run --enable-api ...

Rasa reads its API credentials only from options (`--auth-token`, `--jwt-secret`), and command
lines are visible to every user of the machine (`ps`, /proc/<pid>/cmdline). This wrapper adds
the option inside the process, so the secret never appears in the process's arguments. It uses
JWT, not `--auth-token`: Rasa reads that token from the URL's query string, which proxies and
access logs keep; a JWT travels in the Authorization header (scripts/rasa_api.py).
"""
from __future__ import annotations

import os
import sys

from scripts.rasa_api import JWT_METHOD, JWT_SECRET_ENV


def main() -> None:
    """Run Rasa's command line with `--jwt-secret $RASA_JWT_SECRET` when the API is enabled."""
    secret = os.environ.pop(JWT_SECRET_ENV, "")
    arguments = sys.argv[1:]
    if "--enable-api" in arguments:
        if len(secret) < 32:
            sys.exit(f"--enable-api needs {JWT_SECRET_ENV} of at least 32 characters: "
                     "the HTTP API is never opened without one.")
        arguments += ["--jwt-secret", secret, "--jwt-method", JWT_METHOD]
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
