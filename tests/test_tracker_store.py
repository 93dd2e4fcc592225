"""The default tracker store (rasa_addons/tracker_store.py) and the working tracker's window
(rasa_addons/tracker_window.py), with Rasa's real classes, the project's domain and SQLite files;
and the turn's time limits (rasa_addons/turn_limits.py) in a fresh interpreter, as Rasa starts."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa

from scripts.model_store import PROJECT_ROOT

SENDER = "s" * 64


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        # Raised on every domain load; Rasa's own commands hide it (rasa/utils/common.py).
        warnings.filterwarnings("ignore", message="Slot auto-fill has been removed", category=UserWarning)
        return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def store(domain, tmp_path: Path):
    from rasa_addons.tracker_store import DurableSQLTrackerStore

    return DurableSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _turn(tracker, text: str, intent: str, answer: str | None = None, language: str = "en") -> None:
    """One user turn as Rasa logs it: the message, slots, an action, a reply, listening."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 0.9}))
    tracker.update(SlotSet("language", language))
    tracker.update(ActionExecuted("action_answer_faq"))
    tracker.update(BotUttered(f"answer to {text}", data={"buttons": [{"title": "more", "payload": "/help"}]}))
    if answer:
        tracker.update(SlotSet("last_answer", answer))
    tracker.update(ActionExecuted("action_listen"))


def _new_tracker(store, turns: int):
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    tracker = store.init_tracker(SENDER)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for number in range(turns):
        _turn(tracker, f"question {number}", "faq_notarization", answer=f"faq_{number}",
              language="zh" if number == 1 else "en")
    return tracker


async def _stored(store, turns: int):
    """A conversation of `turns` turns saved through `store`, as the processor saves it."""
    tracker = await store.get_or_create_tracker(SENDER, append_action_listen=False)
    for event in _new_tracker(store, turns).events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


def _state(tracker) -> dict:
    """What Rasa and the actions read from a tracker, besides the events."""
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)
    state.pop("latest_event_time", None)
    # The message that started a form: Rasa keeps it, nothing reads it (no from_trigger_intent).
    (state.get("active_loop") or {}).pop("trigger_message", None)
    return state


# --- the store ---------------------------------------------------------------------------------


async def test_rasa_reads_what_it_writes_and_the_other_way_round(store, domain, tmp_path: Path):
    from rasa.core.tracker_store import SQLTrackerStore

    tracker = await _stored(store, 3)
    with store.session_scope() as session:
        rows = session.scalars(sa.select(store.SQLEvent.data).order_by(store.SQLEvent.id)).all()
    assert [json.loads(row) for row in rows] == [e.as_dict() for e in tracker.events]
    rasa = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    loaded = await rasa.retrieve(SENDER)
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in (await store.retrieve(SENDER)).events]
    _turn(loaded, "written by Rasa's store", "faq_legal_aid_cost")
    await rasa.save(loaded)
    again = await store.get_or_create_tracker(SENDER)  # the database has more: read it again
    assert again.latest_message.text == "written by Rasa's store"
    assert len((await store.retrieve(SENDER)).events) == len(loaded.events)


async def test_a_save_appends_only_the_new_events(store):
    tracker = await _stored(store, 2)
    await store.save(tracker)  # nothing new: nothing written
    working = await store.get_or_create_tracker(SENDER)
    _turn(working, "one more", "faq_notarization")
    await store.save(working)
    with store.session_scope() as session:
        rows = session.scalars(sa.select(store.SQLEvent.data).order_by(store.SQLEvent.id)).all()
    assert [json.loads(row)["event"] for row in rows] == [e.as_dict()["event"] for e in working.events]


async def test_sqlite_runs_in_wal_mode_with_normal_sync(store):
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


async def test_a_turn_that_failed_before_saving_leaves_no_trace(store):
    await _stored(store, 2)
    working = await store.get_or_create_tracker(SENDER)
    _turn(working, "never saved", "faq_notarization")  # the turn fails here: no save
    again = await store.get_or_create_tracker(SENDER)
    assert again is not working and again.latest_message.text == "question 1"


async def test_an_erased_conversation_starts_again_empty(store):
    from rasa_addons.privacy_retention import erase_conversation

    tracker = await _stored(store, 2)
    assert erase_conversation(store, SENDER) == len(tracker.events)
    fresh = await store.get_or_create_tracker(SENDER, append_action_listen=False)
    assert list(fresh.events) == [] and await store.retrieve(SENDER) is None


async def test_a_long_conversation_is_worked_on_as_its_latest_turns(store):
    from rasa.shared.core.events import UserUttered

    from rasa_addons.tracker_window import DEFAULT_TURNS

    tracker = await _stored(store, 40)
    working = await store.get_or_create_tracker(SENDER)
    users = [e for e in working.events if isinstance(e, UserUttered)]
    assert len(users) == DEFAULT_TURNS and users[-1].text == "question 39"
    assert _state(working) == _state(tracker)
    _turn(working, "question 40", "faq_notarization")
    await store.save(working)
    stored = await store.retrieve(SENDER)  # every event is still in the database
    assert len([e for e in stored.events if isinstance(e, UserUttered)]) == 41
    assert _state(stored) == _state(working)


async def test_the_agent_s_fail_safe_wrapper_asks_the_store_for_the_working_tracker(store):
    """Rasa's agent wraps every store in a FailSafeTrackerStore; the processor's tracker still
    comes from this store's memory and window, not from a full `retrieve`."""
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.core.events import UserUttered

    from rasa_addons.tracker_window import DEFAULT_TURNS

    wrapped = FailSafeTrackerStore(store)
    await _stored(wrapped, 30)
    working = await wrapped.get_or_create_tracker(SENDER)
    assert len([e for e in working.events if isinstance(e, UserUttered)]) == DEFAULT_TURNS
    assert len([e for e in (await wrapped.retrieve(SENDER)).events if isinstance(e, UserUttered)]) == 30


# --- the window -----------------------------------------------------------------------------------


def test_the_window_keeps_every_slot_set_before_the_cut(store):
    from rasa.shared.core.events import SlotSet

    from rasa_addons.tracker_window import compact

    tracker = _new_tracker(store, 3)
    tracker.update(SlotSet("language", "zh"))  # set once, early, never again
    for number in range(20):
        _turn(tracker, f"later {number}", "greet", language="zh")
    working = compact(tracker, turns=4)
    assert working is not None and _state(working) == _state(tracker)
    assert working.get_slot("last_answer") == "faq_2"


def test_a_short_conversation_is_not_cut_and_a_form_stays_active(store):
    from rasa.shared.core.events import ActionExecuted, ActiveLoop

    from rasa_addons.tracker_window import compact

    assert compact(_new_tracker(store, 8), turns=4) is None  # not twice the window yet
    tracker = _new_tracker(store, 3)
    tracker.update(ActiveLoop("eligibility_form"))
    for number in range(12):
        _turn(tracker, f"answer {number}", "inform")
    working = compact(tracker, turns=4)
    assert working.active_loop_name == "eligibility_form" and _state(working) == _state(tracker)
    tracker.update(ActionExecuted("eligibility_form"))
    tracker.update(ActiveLoop(None))
    tracker.update(ActionExecuted("action_listen"))
    for number in range(4):
        _turn(tracker, f"after {number}", "faq_notarization")
    working = compact(tracker, turns=4)
    assert working.active_loop_name is None and _state(working) == _state(tracker)


def test_a_cut_conversation_is_not_taken_for_a_first_contact(store, domain):
    """The greeting rule for a first contact needs the conversation's start; the window has earlier
    turns before the latest message, so the rule policy's states are not those of a first turn."""
    from rasa_addons.tracker_window import compact

    tracker = _new_tracker(store, 20)
    _turn(tracker, "hi", "greet")
    working = compact(tracker, turns=4)
    states = working.past_states(domain)
    assert len(states) > 4 and states[-1] == tracker.past_states(domain)[-1]


# --- time limits ------------------------------------------------------------------------------------


def test_the_lock_outlives_every_action_call_of_a_turn():
    """Installed as scripts/rasa_cli.py does, before Rasa is imported: Rasa's lock lifetime covers
    as many action calls at their time limit as Rasa runs in one turn."""
    script = (
        "from rasa_addons import turn_limits\n"
        "turn_limits.install()\n"
        "import rasa.core.lock_store as locks, rasa.core.actions.action as action\n"
        "import rasa.core.processor as processor\n"
        "print(locks.LOCK_LIFETIME, action.DEFAULT_REQUEST_TIMEOUT, processor.MAX_NUMBER_OF_PREDICTIONS)\n"
    )
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "KB_TIMEOUT_SECONDS": "5",
                   "RASA_TELEMETRY_ENABLED": "false", "TICKET_LOCK_LIFETIME": "60"}
    output = subprocess.run([sys.executable, "-c", script], env=environment, cwd=PROJECT_ROOT,  # noqa: S603
                            capture_output=True, text=True, check=True, timeout=120).stdout.split()
    lifetime, action_timeout, predictions = float(output[0]), float(output[1]), int(output[2])
    assert action_timeout == 10.0  # two knowledge-base limits, not Rasa's 300 s
    assert lifetime >= (predictions + 1) * action_timeout > 60


# --- the classifiers' fast path ---------------------------------------------------------------------


def test_the_classifiers_score_as_their_scikit_learn_pipelines(trained_model: Path):
    """Both logistic regressions (intents, crisis) give the probabilities of
    `Pipeline.predict_proba` on the features Rasa's own classifier lays out."""
    import numpy as np
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    from rasa_addons.intent_classifier import TfidfLogisticRegressionClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TensorFlow's and matplotlib's import-time notices
        runner = Agent.load(str(trained_model)).processor.graph_runner
    featurized = runner.run(
        inputs={"__message__": [UserMessage(text) for text in (
            "how do I apply for legal aid", "公证怎么办理", "my husband hits me right now",
            "我老公打我 我想离婚", "what is the 12348 hotline")]},
        targets=["run_CountVectorsFeaturizer7"])["run_CountVectorsFeaturizer7"]
    classifiers = [node._component for node in runner._instantiated_nodes.values()
                   if isinstance(node._component, TfidfLogisticRegressionClassifier)]
    assert len(classifiers) == 2
    for classifier in classifiers:
        expected = classifier.clf.predict_proba(LogisticRegressionClassifier._create_X(classifier, featurized))
        assert np.allclose(classifier.probabilities(featurized), expected, rtol=0, atol=1e-12)


# --- the action call ---------------------------------------------------------------------------------


def test_an_action_call_carries_the_latest_turn_and_the_reply_before_it(store, domain):
    """What the actions read (the previous answer's buttons, whether something answered since
    the person's message) is in the call; the older events are not."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import UserUttered
    from rasa_sdk import Tracker

    from actions._base import last_bot_buttons
    from rasa_addons.action_payload import action_call_format

    tracker = _new_tracker(store, 5)
    tracker.update(UserUttered("question 5", intent={"name": "faq_notarization", "confidence": 0.9}))
    call = action_call_format(RemoteAction("action_answer_faq", None), tracker, domain)
    events = call["tracker"]["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["question 4", "question 5"]
    sdk = Tracker.from_dict(call["tracker"])
    assert last_bot_buttons(sdk.events) == [{"title": "more", "payload": "/help"}]
    assert sdk.get_slot("last_answer") == "faq_4" and sdk.latest_message["text"] == "question 5"
    assert call["domain"]  # no endpoint, no selective domain: Rasa sends it as before
