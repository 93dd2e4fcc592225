"""`rasa` with the HTTP API's JWT secret taken from the environment, not from the command line
(and, for `rasa shell`, charts printed as text tables: scripts/shell_charts.py).

    RASA_JWT_SECRET=... python -m scripts.rasa_cli run --enable-api ...

Rasa reads its API credentials only from options (`--auth-token`, `--jwt-secret`), and command
lines are visible to every user of the machine (`ps`, /proc/<pid>/cmdline). This wrapper adds
the option inside the process, so the secret never appears in the process's arguments. It uses
JWT, not `--auth-token`: Rasa reads that token from the URL's query string, which proxies and
access logs keep; a JWT travels in the Authorization header (scripts/rasa_api.py).

Every Rasa server of the project starts here, so Rasa's turn time limits are set here too
(rasa_addons/turn_limits.py).
"""
from __future__ import annotations

import os
import sys
import sysconfig
import warnings
from typing import TextIO

from scripts.rasa_api import JWT_METHOD, JWT_SECRET_ENV


def with_jwt(arguments: list[str], secret: str) -> list[str]:
    """Return Rasa's arguments plus the JWT options when the API is enabled."""
    if "--enable-api" not in arguments:
        return arguments
    if len(secret) < 32:
        sys.exit(f"--enable-api needs {JWT_SECRET_ENV} of at least 32 characters: "
                 "the HTTP API is never opened without one.")
    # One "--jwt-secret=…" word: argparse takes a separate value that starts with "-"
    # (a random URL-safe secret, 1 in 64) for an option and stops (seen 3 Dec 2026).
    return [*arguments, f"--jwt-secret={secret}", "--jwt-method", JWT_METHOD]


# Set by `make shell` and `make run` only: tests keep every warning (pytest.ini: error).
QUIET_ENV = "QUIET_THIRD_PARTY_WARNINGS"


def quiet_third_party_warnings() -> None:
    """Hide the warnings Rasa's libraries print at start-up (about 30 lines before the first
    prompt): they are not ours to fix, and they hide the ones that matter. Warnings raised
    in this project's code still show."""
    # Not warning filters: sanic, SQLAlchemy and Rasa add filters of their own while they
    # load ("once", "always"), in front of any set here. Where a warning is shown is one place.
    libraries = sysconfig.get_paths()["purelib"]
    show = warnings.showwarning

    def show_unless_third_party(message: Warning | str, category: type[Warning], filename: str,
                                lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
        if not filename.startswith(libraries):
            show(message, category, filename, lineno, file, line)

    warnings.showwarning = show_unless_third_party


def main() -> None:
    """Run Rasa's command line with `--jwt-secret $RASA_JWT_SECRET` when the API is enabled."""
    if os.environ.get(QUIET_ENV):
        quiet_third_party_warnings()
    secret = os.environ.pop(JWT_SECRET_ENV, "")
    sys.argv = ["rasa", *with_jwt(sys.argv[1:], secret)]
    if sys.argv[1:2] == ["shell"]:
        from scripts import shell_charts

        shell_charts.install()
    # The conversation lock outlives the turn's action calls (set before Rasa reads it); action
    # calls share one keep-alive session and carry the recent events only.
    from rasa_addons import action_payload, keep_alive, turn_limits

    turn_limits.install()
    keep_alive.install()
    action_payload.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
