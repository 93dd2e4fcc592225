"""Custom actions of the assistant (rasa_sdk); `rasa run actions` imports this package.

Importing it, before the server starts:
- keeps user text out of the action server's logs: rasa_sdk logs the whole tracker when an
  action raises (assistant/log_privacy.py);
- binds the server to loopback unless SANIC_HOST says otherwise: rasa_sdk would listen on
  0.0.0.0, and only Rasa on this machine needs to reach it.
"""
import os

from assistant import log_privacy

os.environ.setdefault("SANIC_HOST", "127.0.0.1")
log_privacy.install()
