"""A micro-measurement that explains the full-turn overhead (used in the Notes).

Rasa 3.6 checks every action-server response with `jsonschema.validate(result, spec)`
in `RemoteAction._validate_action_result`; `jsonschema.validate` checks the schema
itself and builds a new validator on every call. This times that call next to a
validator built once, on a response shaped like ours (slot events and one text), in a
separate process so the benchmark process does not import TensorFlow.
"""
from __future__ import annotations

import json
import subprocess
import sys

from scripts.model_store import PROJECT_ROOT, rasa_environment

_SNIPPET = r"""
import json, time, jsonschema
from rasa.core.actions.action import RemoteAction
action = RemoteAction("action_answer_faq", None)
response = {
    "events": [
        {"event": "slot", "timestamp": None, "name": "last_answer",
         "value": {"kind": "answer", "intents": ["faq_legal_aid_apply"]}},
        {"event": "slot", "timestamp": None, "name": "stat_topic", "value": None},
    ],
    "responses": [{"text": "Apply at the legal-aid centre of your county. " * 12, "buttons": [],
                   "elements": [], "custom": {}, "template": None, "response": None,
                   "image": None, "attachment": None}],
}
spec = action.action_response_format_spec()
prebuilt = jsonschema.validators.validator_for(spec)(spec)
def timed(call, rounds=40):
    for _ in range(3):
        call()
    started = time.perf_counter()
    for _ in range(rounds):
        call()
    return (time.perf_counter() - started) / rounds
print(json.dumps({
    "rasa_validate_seconds": timed(lambda: action._validate_action_result(response)),
    "prebuilt_validator_seconds": timed(lambda: prebuilt.validate(response)),
    "jsonschema": jsonschema.__version__,
}))
"""


def action_validation_cost(timeout: float = 120) -> dict[str, float] | None:
    """Return the seconds per validation (Rasa's way and prebuilt), or None if it failed."""
    try:
        completed = subprocess.run(
            [sys.executable, "-c", _SNIPPET], cwd=PROJECT_ROOT, capture_output=True, text=True,
            timeout=timeout, env={**rasa_environment(), "PYTHONPATH": str(PROJECT_ROOT)},
        )
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError, OSError):
        return None
