"""A conversation longer than the working tracker's window (rasa_addons/tracker_window.py),
through the real Rasa server on the project's endpoints.yml (tracker store on SQLite, the
domain sent only to the pre-check's actions): a later greeting is not a first contact, a
follow-up keeps its topic, the pre-check runs across the cut, the database keeps every turn,
and /forget erases them all."""
from __future__ import annotations

import json
import urllib.request

from assistant.language import is_mostly_chinese
from assistant.last_answer import answer_of
from rasa_addons.tracker_window import DEFAULT_TURNS
from scripts.evaluate import RasaClient
from scripts.rasa_api import api_headers
from testkit.support import reply_payloads

SENDER = "c0" * 32
QUESTIONS = ["what is people's mediation", "how do I get a document notarized?", "what is legal aid?",
             "what is the 12348 hotline", "how many lawyers are there in china"]


def _payload(question: str, value: str) -> str:
    return "/check_eligibility" + json.dumps({question: value}, separators=(",", ":"))


def _text(reply: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in reply)


def _user_texts(rasa_url: str, api_secret: str) -> list[str]:
    request = urllib.request.Request(f"{rasa_url}/conversations/{SENDER}/tracker?include_events=ALL",
                                     headers=api_headers(api_secret))
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        events = json.loads(response.read())["events"]
    return [event.get("text") for event in events if event.get("event") == "user"]


def test_a_long_conversation_keeps_its_rules_follow_ups_pre_check_and_forget(rasa_server, rasa_api_secret):
    client = RasaClient(rasa_server.url, rasa_api_secret)
    sent = ["hi"]
    assert "not legal advice" in _text(client.send(SENDER, "hi"))
    for number in range(3 * DEFAULT_TURNS):  # well past the cut, several times
        text = QUESTIONS[number % len(QUESTIONS)]
        sent.append(text)
        assert _text(client.send(SENDER, text)), text
    sent.append("hello there")
    later = _text(client.send(SENDER, "hello there"))
    assert "Hello" in later and "not legal advice" not in later  # not a first contact
    sent += ["公证怎么办理", "贵不贵啊"]
    client.send(SENDER, "公证怎么办理")
    follow_up = _text(client.send(SENDER, "贵不贵啊"))
    assert client.slot_set_in_last_turn(SENDER, "last_answer") == answer_of("faq_notarization").to_slot()
    assert is_mostly_chinese(follow_up)
    # The pre-check, its form active over more turns than the window holds.
    steps = ["check my eligibility", _payload("elig_matter", "wages"), "what is legal aid?",
             _payload("elig_special", "none")] + QUESTIONS[:DEFAULT_TURNS] + [_payload("elig_means", "migrant")]
    for step in steps[:-1]:
        sent.append(step)
        client.send(SENDER, step)
    sent.append(steps[-1])
    outcome = client.send(SENDER, steps[-1])
    assert "/faq_legal_aid_documents" in reply_payloads(outcome), _text(outcome)
    # Every turn is stored, in order, though Rasa worked on the latest ones only.
    stored = _user_texts(rasa_server.url, rasa_api_secret)
    assert len(stored) == len(sent) and stored[0] == "hi" and stored[-1].startswith("/check_eligibility")
    request = urllib.request.Request(f"{rasa_server.url}/webhooks/privacy/conversations/{SENDER}",
                                     method="DELETE",
                                     headers={"Authorization": f"Bearer {rasa_server.privacy_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        assert json.loads(response.read())["deleted_events"] > len(sent)
    assert _user_texts(rasa_server.url, rasa_api_secret) == []
    assert "not legal advice" in _text(client.send(SENDER, "hi"))  # a first contact again
