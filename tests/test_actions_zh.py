"""Actions answering in Chinese: the `language` slot chooses every text they say."""
from __future__ import annotations

from actions.clarify import ActionClarify
from actions.faq import ActionAnswerFaq
from actions.referral import ActionReferralCard
from actions.statistics import ActionAnswerStatistic, topic_title
from assistant.language import is_mostly_chinese
from testkit.trackers import buttons, make_tracker, run, texts, year_entity

ZH = {"language": "zh"}


async def test_faq_answer_in_chinese_with_source_date_and_not_advice_note(knowledge_base, dispatcher):
    tracker = make_tracker(intent="faq_legal_aid_apply", text="怎么申请法律援助", slots=ZH)
    await run(ActionAnswerFaq(), dispatcher, tracker)
    reply = texts(dispatcher)
    assert is_mostly_chinese(reply)
    assert "来源：中华人民共和国法律援助法（2021年8月20日）" in reply
    assert "最后审核：2026年11月29日" in reply
    assert "不构成法律意见" in reply


async def test_chinese_question_about_litigation_cases_gets_that_figure(knowledge_base, dispatcher):
    # Issue #10: "2020年律师办理了多少诉讼案件" once got the number of practising lawyers.
    text = "2020年律师办理了多少诉讼案件"
    tracker = make_tracker(intent="stat_lawyer_work", text=text, slots=ZH,
                           entities=[{"entity": "year", "value": "2020", "start": 0, "end": 4}])
    events = await run(ActionAnswerStatistic(), dispatcher, tracker)
    reply = texts(dispatcher)
    assert "661万件" in reply and "诉讼" in reply
    assert "执业律师" not in reply
    assert is_mostly_chinese(reply) and "来源：" in reply
    assert {"event": "slot", "timestamp": None, "name": "stat_indicator",
            "value": "lawyer_litigation_cases"} in events


async def test_press_figure_in_chinese_keeps_the_qualifier(knowledge_base, dispatcher):
    tracker = make_tracker(intent="stat_legal_aid", text="截至2021年法律援助案件有多少件", slots=ZH,
                           entities=[year_entity(2021)])
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    reply = texts(dispatcher)
    assert "超过1289万件" in reply and "国务院新闻办公室" in reply


async def test_year_since_in_chinese_is_a_period(knowledge_base, dispatcher):
    text = "2013年以来法律援助办了多少案件"
    tracker = make_tracker(intent="stat_legal_aid", text=text, slots=ZH,
                           entities=[{"entity": "year", "value": "2013", "start": 0, "end": 4}])
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    assert "暂无" not in texts(dispatcher)


async def test_unknown_year_in_chinese_offers_the_years_it_has(knowledge_base, dispatcher):
    tracker = make_tracker(intent="stat_lawyers", text="1999年律师有多少", slots=ZH,
                           entities=[year_entity(1999)])
    await run(ActionAnswerStatistic(), dispatcher, tracker)
    reply = texts(dispatcher)
    assert reply.startswith("暂无1999年的") and "现有数据年份" in reply
    assert buttons(dispatcher)


async def test_clarify_and_referral_in_chinese(knowledge_base, dispatcher):
    ranking = [{"name": "faq_legal_aid_cost", "confidence": 0.3},
               {"name": "faq_legal_aid_what", "confidence": 0.28}]
    await run(ActionClarify(), dispatcher, make_tracker(intent="nlu_fallback", slots=ZH, ranking=ranking))
    assert texts(dispatcher) == "您是想问以下哪个问题？"
    titles = [b["title"] for b in buttons(dispatcher)]
    assert all(is_mostly_chinese(title) for title in titles) and "转人工服务" in titles
    dispatcher.messages.clear()
    await run(ActionReferralCard(), dispatcher, make_tracker(intent="human_handoff", slots=ZH))
    card = texts(dispatcher)
    assert card.startswith("人工服务渠道：") and "12348公共法律服务热线" in card


async def test_knowledge_base_down_apology_in_chinese(unreachable_knowledge_base, dispatcher):
    await run(ActionAnswerFaq(), dispatcher, make_tracker(intent="faq_legal_aid_cost", slots=ZH))
    reply = texts(dispatcher)
    assert "暂时无法使用" in reply and "12348" in reply


async def test_a_statistics_topic_without_a_title_is_never_named_by_its_key(knowledge_base):
    # The key is English ("tibet_lawyers"): a Chinese user gets a Chinese generic title instead.
    assert await topic_title("lawyers", "zh") == "全国律师数据"
    assert await topic_title("no_such_topic", "zh") == "该项数据"
    assert await topic_title("no_such_topic", "en") == "this topic"
