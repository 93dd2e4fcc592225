"""Actions with a real Tracker, a real CollectingDispatcher and a test knowledge base."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionClarify
from actions.faq import ActionAnswerFaq
from actions.formatting import format_number
from actions.referral import ActionReferralCard
from actions.statistics import ActionAnswerStatistic
from assistant.last_answer import LastAnswer, answer_of
from testkit.trackers import buttons, make_tracker, run, texts, year_entity

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (540000, "lawyers", "540,000"),
        (12890000, "cases", "12.89 million"),
        (1.4e9, "visits", "1.4 billion"),
        (12e6, "calls", "12 million"),
        (66, "%", "66%"),
        (2017, "year", "2017"),
    ],
)
def test_format_number_reads_like_a_person_writes(value, unit, expected):
    assert format_number(value, unit) == expected


async def test_faq_answer_has_source_review_date_and_not_advice_note(knowledge_base, dispatcher):
    tracker = make_tracker(intent="faq_legal_aid_apply", text="how do I apply for legal aid")
    events = await run(ActionAnswerFaq(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "legal aid" in text.lower()
    assert "Source:" in text and "Last reviewed" in text
    assert "not legal advice" in text
    assert events == [SlotSet("last_answer", answer_of("faq_legal_aid_apply").to_slot())]


async def test_every_faq_intent_in_the_domain_has_an_answer(knowledge_base, dispatcher):
    import yaml

    intents = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]
    for intent in [name for name in intents if name.startswith("faq_")]:
        local = CollectingDispatcher()
        events = await run(ActionAnswerFaq(), local, make_tracker(intent=intent))
        assert events == [SlotSet("last_answer", answer_of(intent).to_slot())], intent


async def test_statistic_names_qualifier_period_and_source(knowledge_base, dispatcher):
    tracker = make_tracker(intent="stat_lawyers", text="how many lawyers are there in China?")
    events = await run(ActionAnswerStatistic(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "540,000" in text  # the 2021 press-conference figure is kept in the history
    assert "more than" in text
    assert "State Council Information Office" in text
    assert SlotSet("stat_topic", "lawyers") in events
    assert SlotSet("last_answer", answer_of("stat_lawyers").to_slot()) in events


async def test_statistic_for_a_named_indicator_only(knowledge_base, dispatcher):
    tracker = make_tracker(intent="stat_lawyer_mediation", text="how many lawyer mediators?")
    events = await run(ActionAnswerStatistic(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "55,000" in text
    assert "8,800" not in text
    assert SlotSet("stat_indicator", "lawyer_mediators") in events


async def test_year_followup_uses_the_previous_topic(knowledge_base, dispatcher):
    tracker = make_tracker(
        intent="ask_period_followup",
        text="and in 2020?",
        entities=[year_entity(2020)],
        slots={"stat_topic": "lawyer_work", "stat_indicator": "lawyer_litigation_cases"},
    )
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    assert "6.61 million" in texts(dispatcher)


async def test_unknown_year_offers_the_years_it_has(knowledge_base, dispatcher):
    tracker = make_tracker(
        intent="stat_lawyers", text="how many lawyers in 1995", entities=[year_entity(1995)]
    )
    events = await run(ActionAnswerStatistic(), dispatcher, tracker)
    assert "1995" in texts(dispatcher) and "I do have figures for" in texts(dispatcher)
    offered = buttons(dispatcher)
    assert offered and all(b["payload"].startswith("/ask_period_followup") for b in offered)
    assert all(len(b["payload"].encode()) <= 64 and b["payload"].isascii() for b in offered)
    assert SlotSet("stat_topic", "lawyers") in events


async def test_unknown_statistic_lists_what_it_knows_with_buttons(knowledge_base, dispatcher):
    tracker = make_tracker(intent="ask_unknown_statistic", text="how many judges are there")
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    payloads = [b["payload"] for b in buttons(dispatcher)]
    assert "/stat_lawyers" in payloads and len(payloads) >= 10
    assert "don't hold official figures" in texts(dispatcher)


async def test_clarify_offers_the_close_candidates(knowledge_base, dispatcher):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "faq_lawyer_mediation", "confidence": 0.40},
        {"name": "stat_lawyer_mediation", "confidence": 0.38},
        {"name": "out_of_scope", "confidence": 0.10},
    ]
    tracker = make_tracker(intent="nlu_fallback", text="lawyer mediation", ranking=ranking)
    events = await run(ActionClarify(), dispatcher, tracker)
    payloads = [b["payload"] for b in buttons(dispatcher)]
    assert payloads[:2] == ["/faq_lawyer_mediation", "/stat_lawyer_mediation"]
    assert "/human_handoff" in payloads and "/out_of_scope" not in payloads
    assert "Did you mean" in texts(dispatcher)
    assert events == [SlotSet("last_answer", LastAnswer("clarify").to_slot())]


async def test_clarify_without_candidates_says_what_it_can_do(knowledge_base, dispatcher):
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "out_of_scope", "confidence": 0.3}]
    tracker = make_tracker(intent="nlu_fallback", text="zzzz", ranking=ranking)
    await run(ActionClarify(), dispatcher, tracker)
    assert "12348" in texts(dispatcher)


async def test_referral_card_lists_hotline_website_and_legal_aid_centre(knowledge_base, dispatcher):
    events = await run(ActionReferralCard(), dispatcher, make_tracker(intent="human_handoff"))
    text = texts(dispatcher)
    assert text.index("12348") < text.index("12348.gov.cn")
    assert "legal aid" in text.lower()
    assert events == [SlotSet("last_answer", LastAnswer("referral").to_slot())]


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionAnswerFaq(), "faq_notarization"), (ActionAnswerStatistic(), "stat_lawyers"),
     (ActionClarify(), "nlu_fallback")],
)
async def test_unreachable_knowledge_base_gets_a_polite_reply(
    unreachable_knowledge_base, dispatcher, action, intent, caplog
):
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "faq_notarization", "confidence": 0.39}]
    events = await run(action, dispatcher, make_tracker(intent=intent, ranking=ranking))
    assert "12348" in texts(dispatcher)
    assert "Knowledge base unavailable" in caplog.text
    assert events == [SlotSet("last_answer", LastAnswer("knowledge_unavailable").to_slot())]


async def test_referral_card_works_without_the_knowledge_base(unreachable_knowledge_base, dispatcher):
    await run(ActionReferralCard(), dispatcher, make_tracker(intent="human_handoff"))
    assert "12348" in texts(dispatcher)


async def test_year_after_since_is_a_cumulative_period_not_a_lookup(knowledge_base, dispatcher):
    tracker = make_tracker(
        intent="stat_legal_aid",
        text="how many legal aid cases have been handled since 2013?",
        entities=[{"entity": "year", "value": "2013", "start": 49, "end": 53}],
    )
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    assert "12.89 million" in texts(dispatcher)
    assert "I don't have a figure" not in texts(dispatcher)


async def test_named_indicator_without_that_year_keeps_to_the_indicator(knowledge_base, dispatcher):
    tracker = make_tracker(
        intent="stat_legal_service_network",
        text="how many visits did 12348.gov.cn have in 2018?",
        entities=[year_entity(2018)],
    )
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "I don't have a figure" in text and "1.4 billion" in text


async def test_unsure_statistic_without_an_indicator_asks_before_giving_figures(knowledge_base, dispatcher):
    tracker = make_tracker(intent="stat_legal_aid", text="how big is legal size paper", confidence=0.43)
    events = await run(ActionAnswerStatistic(), dispatcher, tracker)
    assert "Did you mean" in texts(dispatcher)
    assert [b["payload"] for b in buttons(dispatcher)][0] == "/stat_legal_aid"
    assert not any(ch.isdigit() for ch in texts(dispatcher).replace("12348", ""))
    assert events == [SlotSet("last_answer", LastAnswer("clarify").to_slot())]
