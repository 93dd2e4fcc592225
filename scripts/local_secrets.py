"""Creates the secrets a local run needs, once, in an ignored file: `state/secrets.env`.

`make run`, `make telegram` and `make shell` source it, so a first run needs no set-up,
and the same values survive restarts (a new SENDER_ID_SECRET would orphan every stored
conversation). A variable already set in the environment wins over the file. A deployment
sets its own values instead (README "Privacy and security").
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = PROJECT_ROOT / "state" / "secrets.env"
NAMES = ("SENDER_ID_SECRET", "RASA_CHANNEL_SECRET", "RASA_PRIVACY_TOKEN")


def ensure(path: Path = SECRETS_FILE) -> Path:
    """Create `path` with random values for every missing name; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text() if path.exists() else ""
    missing = [name for name in NAMES if f"{name}:=" not in existing]
    if missing:
        # Owner-only from the first byte: the file holds keys.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a") as file:
            for name in missing:
                # Shell syntax: keep a value the environment already has, then export.
                file.write(f': "${{{name}:={secrets.token_urlsafe(32)}}}"; export {name}\n')
    os.chmod(path, 0o600)
    return path


if __name__ == "__main__":
    print(ensure())
    sys.exit(0)
