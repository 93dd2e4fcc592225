"""Action calls carry the events the actions read, not the whole working tracker.

Rasa 3.6 sends the action server every event of the tracker on every call (`current_state(ALL)`),
serialised to JSON on the event loop and parsed again by the action server: 4 % of the loop
under load after #24's other changes (bench/PROFILE.md). The actions read the slots, the latest
message and the active form, which the call carries as before, and of the events only the
latest turn and the bot message before it (actions/_base.py `last_bot_buttons`,
actions/eligibility.py `_interrupted_since_last_message`, rasa_sdk's `slots_to_validate`).
So the call's events start at the user message before the previous bot message.
`scripts/rasa_cli.py` installs it.
"""
from __future__ import annotations

from typing import Any, Text

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity


def recent_events(events: list[Event]) -> list[Event]:
    """The events from the user message before the bot's latest reply to an earlier message."""
    users = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if not users:
        return events
    replies = [index for index, event in enumerate(events[:users[-1]]) if isinstance(event, BotUttered)]
    if not replies:
        return events
    earlier = [index for index in users if index < replies[-1]]
    return events[earlier[-1]:] if earlier else events


def action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[Text, Any]:
    """Rasa's request to the action server, with the recent events only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(list(tracker.events))]
    result = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
              "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def install() -> None:
    """Send the recent events in every action call of this process."""
    RemoteAction._action_call_format = action_call_format
