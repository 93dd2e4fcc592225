"""Where a figure comes from (actions/figure_source.py): the figure named by its value, with its
own source and date, or the general answer on sources (issue #21)."""
from __future__ import annotations

import pytest

from actions.figure_source import ActionFigureSource, NamedValue, values_named
from assistant.last_answer import answer_of
from testkit.support import reply_text
from testkit.trackers import make_tracker, run, texts


@pytest.mark.parametrize(("text", "expected"), [
    ("where does the 66% figure come from", [NamedValue(66, 1, True)]),
    ("百分之六十六这个说法哪来的", [NamedValue(66, 1, True)]),
    ("1.37 million, where is that from", [NamedValue(1_370_000, 10_000, False)]),
    ("137万这个数是哪来的", [NamedValue(1_370_000, 10_000, False)]),
    ("12,890,000 cases source?", [NamedValue(12_890_000, 10_000, False)]),
    # A year is no figure asked about.
    ("2022年的数据是哪来的", []),
    ("where do your figures come from", []),
    ("where does " + "9" * 400 + " come from", []),
])
def test_the_value_a_question_names(text, expected):
    assert values_named(text) == expected


async def test_a_figure_named_by_its_value_gets_its_own_source(knowledge_base, dispatcher):
    tracker = make_tracker(intent="meta_figure_source", text="where does the 66% figure come from")
    events = await run(ActionFigureSource(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "66%" in text and "Source:" in text and "2021" in text, text
    assert {"event": "slot", "name": "last_answer", "value": answer_of("meta_figure_source").to_slot(),
            "timestamp": None} in events


async def test_a_value_not_held_is_not_vouched_for(knowledge_base, dispatcher):
    tracker = make_tracker(intent="meta_figure_source", text="数据里说法援每件收300元 这个哪来的",
                           slots={"language": "zh"})
    await run(ActionFigureSource(), dispatcher, tracker)
    text = texts(dispatcher)
    assert "没有300这个数据" in text and "都注明来源和日期" in text, text


async def test_no_value_named_gets_the_general_answer(knowledge_base, dispatcher):
    tracker = make_tracker(intent="meta_figure_source", text="where do your numbers come from")
    await run(ActionFigureSource(), dispatcher, tracker)
    assert "names its source and date" in texts(dispatcher)


def test_the_source_of_a_figure_asked_by_its_value_through_rasa(talk):
    talk("how many legal aid cases were there in 2022")
    reply = reply_text(talk("where does the 1.37 million come from"))
    assert "Where that figure comes from" in reply and "1.37 million" in reply and "Source:" in reply, reply
    reply = reply_text(talk("那137万这个数是哪来的"))
    assert "这个数据的出处" in reply and "137万" in reply and "来源：" in reply, reply
