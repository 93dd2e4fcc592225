"""A conversation's working tracker cut to its latest turns, with the same state.

Rasa replays, copies, featurises and sends to the action server every event of the session on
every turn (`tracker.copy()` per action, the rule policy's states of the whole history, the
action call's tracker), so a turn's cost grew with the conversation: 4.7x at turn 200 (#24).
Nothing in this assistant looks further back than the previous answer: rules span one turn
(`conversation_start` rules need the conversation's first turn, and a cut tracker still
has earlier turns), the actions and the knowledge router read the latest message, the slots,
the active form and the events since the previous answer (assistant/follow_up.py). So the
processor works on the latest turns, after a short prefix that restores the state at the cut:

    action_session_start, session_started, the slots set by then, [the active form,]
    action_listen, <latest turns>

Only the working tracker is cut: the database keeps every event, and Rasa's `retrieve` (history,
message ids, the HTTP API) reads them all.
"""
from __future__ import annotations

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, Event, Restarted, SessionStarted,
                                     SlotSet, UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

# User turns kept before the new message; the tracker is cut when it holds twice as many, so
# the work per turn stays between these bounds and the cut (a replay) is paid once in a while.
DEFAULT_TURNS = 4
# Events that undo earlier ones: a cut never separates them from what they undo.
_UNDOING = (ActionReverted, UserUtteranceReverted, Restarted)


def compact(tracker: DialogueStateTracker, turns: int = DEFAULT_TURNS) -> DialogueStateTracker | None:
    """Return a tracker with the same state and the latest `turns` user turns, or None when the
    tracker is short enough or cannot be cut there (e.g. a form interrupted at the cut)."""
    events = list(tracker.events)
    starts = [index for index, event in enumerate(events) if isinstance(event, UserUttered)]
    if turns < 1 or len(starts) <= 2 * turns:
        return None
    cut = starts[-turns]
    before = events[cut - 1]
    if not (isinstance(before, ActionExecuted) and before.action_name == ACTION_LISTEN_NAME):
        return None
    if any(isinstance(event, _UNDOING) for event in events[cut:]):
        return None
    head = tracker.init_copy()
    for event in events[:cut]:
        head.update(event)
    loop = head.active_loop
    if head.is_paused() or (loop is not None and loop.name and (loop.is_interrupted or loop.rejected)):
        return None  # a state the prefix's events would not give back
    stamp = before.timestamp
    prefix: list[Event] = [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=stamp),
                           SessionStarted(timestamp=stamp)]
    initial = tracker.init_copy()
    for name, slot in head.slots.items():
        if slot.value != initial.slots[name].value:
            prefix.append(SlotSet(name, slot.value, timestamp=stamp))
    if loop is not None and loop.name:
        # A form in progress (the pre-check): active again, neither interrupted nor rejected;
        # the message that started it is not kept (only `from_trigger_intent` mappings read it).
        prefix.append(ActiveLoop(loop.name, timestamp=stamp))
    prefix.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=stamp))
    working = tracker.init_copy()
    for event in prefix + events[cut:]:
        working.update(event)
    return working
