"""`rasa` with the HTTP API token taken from the environment, not from the command line.

    RASA_API_TOKEN=... python -m scripts.rasa_cli run --enable-api ...

Rasa reads its API token only from `--auth-token`, and command lines are visible to every
user of the machine (`ps`, /proc/<pid>/cmdline). This wrapper adds the option inside the
process, so the token never appears in the process's arguments.
"""
from __future__ import annotations

import os
import sys

TOKEN_ENV = "RASA_API_TOKEN"  # nosec B105  # a variable name


def main() -> None:
    """Run Rasa's command line with `--auth-token $RASA_API_TOKEN` when the API is enabled."""
    token = os.environ.pop(TOKEN_ENV, "")
    arguments = sys.argv[1:]
    if "--enable-api" in arguments:
        if not token:
            sys.exit(f"--enable-api needs {TOKEN_ENV}: the HTTP API is never opened without a token.")
        arguments += ["--auth-token", token]
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
