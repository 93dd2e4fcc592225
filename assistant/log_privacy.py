"""Keeps what users wrote out of the Rasa server's and the action server's logs (both install it).

Rasa 3.6 and rasa_sdk log message texts and whole trackers when something fails: the REST
channel logs the text on a client timeout (structlog key `text`), an action-server error
echoes the tracker (`request_body`) and Rasa logs that body inside the exception
(`ClientResponseError: 500, ..., body='{...}'`). Logs are not covered by /forget or the
retention period, so they must not contain any of it.

`install()` adds, once per process:
- a structlog processor that replaces the values of the keys Rasa uses for user content
  (its own anonymisation list plus trackers, bodies and events) by "[redacted]";
- a log record factory that scrubs every record's message and formatted exception:
  `body='...'` and `request_body`, JSON that carries texts or events, and `"text": "..."`
  pairs.
Timing, ids, intent names, status codes and exception types stay, so failures can still
be diagnosed.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any

REDACTED = "[redacted]"
SENSITIVE_KEYS = frozenset({
    # Rasa's own anonymisation list (rasa/utils/log_utils.py)
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
    "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
    "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
    "entity", "token_text", "user_message", "json_message",
    # and what else carries user content
    "tracker", "body", "request_body", "events", "parse_data", "latest_message", "slots",
    "metadata", "entities", "utterance", "event_info",
})
_BODY = re.compile(r"(body|request_body)(\s*[=:]\s*)('.*'|\".*\"|\{.*\}|\[.*\])", re.DOTALL)
_TEXT_PAIR = re.compile(
    r"""(["']?\b(?:text|user_text|message)["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
)
# JSON or Python reprs of trackers, events and Telegram updates (PTB logs a whole update it
# cannot parse); the texts inside them are not all under "text".
_DATA_BLOB = re.compile(
    r"[\[{][^\n]*?[\"'](?:events|latest_message|slots|sender_id|parse_data|update_id)[\"'][^\n]*[\]}]"
)
_installed = False


def scrub(text: str) -> str:
    """Return `text` without message texts, bodies or tracker data."""
    text = _BODY.sub(lambda match: f"{match.group(1)}{match.group(2)}{REDACTED}", text)
    text = _TEXT_PAIR.sub(lambda match: f"{match.group(1)}\"{REDACTED}\"", text)
    return _DATA_BLOB.sub(REDACTED, text)


def redact_event_dict(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: drop the values of keys that carry user content."""
    for key in list(event_dict):
        if key in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        elif isinstance(event_dict[key], str) and key != "event":
            event_dict[key] = scrub(event_dict[key])
    return event_dict


class UserTextFilter(logging.Filter):
    """Scrubs every record's message and exception text before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a broken format string: keep the template only)
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        exc_info = record.exc_info
        if exc_info or record.exc_text:
            # Formatters use exc_text when it is set; exc_info stays for other filters.
            formatted = record.exc_text or (
                "".join(traceback.format_exception(*exc_info)) if exc_info else "")
            record.exc_text = scrub(formatted.rstrip("\n"))
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def _install_structlog() -> None:
    try:
        import structlog
    except ImportError:
        return
    processors: list[Any] = list(structlog.get_config().get("processors") or [])
    if redact_event_dict not in processors:
        redacting_first: list[Any] = [redact_event_dict, *processors]
        structlog.configure(processors=redacting_first)


def install() -> None:
    """Install the processor and the filter (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    _install_structlog()
    user_text_filter = UserTextFilter()
    previous = logging.getLogRecordFactory()

    # A record factory, not a handler filter: it covers every record of every logger, also
    # those reaching handlers added later.
    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        user_text_filter.filter(record)
        return record

    logging.setLogRecordFactory(scrubbing_factory)
