"""Short messages read against the previous answer (issue #21): a follow-up keeps the topic,
a typed number or option text chooses a button, a request for a language is one, and
the router and the actions read a message the same way (assistant/follow_up.py)."""
from __future__ import annotations

import pytest

from assistant.choices import chosen_button
from assistant.follow_up import intent_in_context
from assistant.language import detect_language, is_mostly_chinese
from assistant.last_answer import LastAnswer, answer_of
from assistant.places import named_place
from scripts.evaluate import RasaClient

def topic(intent: str) -> dict:
    """The `last_answer` of an answer on one topic."""
    return answer_of(intent).to_slot()


def outcome(rule: str) -> dict:
    """The `last_answer` of the pre-check's outcome by `rule`."""
    return LastAnswer("eligibility", rule=rule).to_slot()


BUTTONS = [{"title": "公证", "payload": "/faq_notarization"},
           {"title": "司法鉴定", "payload": "/faq_judicial_appraisal"},
           {"title": "转人工服务", "payload": "/human_handoff"}]


@pytest.mark.parametrize(("text", "expected"), [
    ("2", "faq_judicial_appraisal"), ("第二个", "faq_judicial_appraisal"), ("the second one", "faq_judicial_appraisal"),
    ("公证", "faq_notarization"), ("司法鉴定吧", None), ("5", None), ("香蕉", None),
])
def test_a_typed_choice_picks_a_button(text, expected):
    assert chosen_button(text, BUTTONS) == expected


def test_a_short_name_chooses_the_title_it_stands_for():
    buttons = [{"title": "如何申请法律援助", "payload": "/faq_legal_aid_apply"},
               {"title": "人民调解", "payload": "/faq_peoples_mediation"}]
    assert chosen_button("法援", buttons, min_coverage=0.5) == "faq_legal_aid_apply"
    assert chosen_button("调解", buttons, min_coverage=0.5) == "faq_peoples_mediation"


@pytest.mark.parametrize(("text", "intent", "confidence", "previous", "expected"), [
    ("贵不贵啊", "nlu_fallback", 0.3, topic("faq_notarization"), "faq_notarization"),
    ("does it cost anything", "faq_legal_aid_cost", 0.9, topic("faq_peoples_mediation"), "faq_peoples_mediation"),
    ("does legal aid cost anything", "faq_legal_aid_cost", 0.9, topic("faq_peoples_mediation"), "faq_legal_aid_cost"),
    ("how long do i have", "out_of_scope", 0.6, topic("problem_traffic_accident"), "problem_traffic_accident"),
    ("上海有多少", "ask_unknown_statistic", 0.7, topic("stat_legal_aid"), "ask_period_followup"),
    ("back in march 2021?", "out_of_scope", 0.5, topic("stat_lawyers"), "ask_period_followup"),
    # Between a service's figures and the service itself.
    ("咋联系他们", "nlu_fallback", 0.2, topic("stat_village_advisers"), "faq_village_legal_adviser"),
    ("公证处呢", "faq_notarization", 0.7, topic("stat_lawyers"), "stat_notarization"),
    # After the pre-check's outcome, how to apply; a problem with "can I get legal aid?", the check.
    ("那我现在去哪", "nlu_fallback", 0.2, outcome("wages_injury_waived"), "faq_legal_aid_apply"),
    ("how do i start", "help", 0.8, outcome("civil_no_hardship"), "faq_legal_aid_apply"),
    ("how do i start", "help", 0.8, None, "help"),
    ("那得他本人去吗 他住院了", "nlu_fallback", 0.2, outcome("civil_waived"), "faq_legal_aid_apply"),
    ("老人要赡养费 可以申请法援吗", "problem_elderly_support", 0.6, None, "check_eligibility"),
    # A first question about one aspect that names no service: which service is meant?
    ("is it free", "faq_legal_aid_cost", 0.9, None, "nlu_fallback"),
    ("怎么申请啊", "faq_legal_aid_apply", 0.8, LastAnswer("referral").to_slot(), "nlu_fallback"),
    ("is legal aid free", "faq_legal_aid_cost", 0.9, None, "faq_legal_aid_cost"),
    ("申请要交钱吗", "faq_legal_aid_cost", 0.9, topic("check_eligibility"), "faq_legal_aid_cost"),
    ("法援要花钱吗", "faq_legal_aid_cost", 0.9, None, "faq_legal_aid_cost"),
    # After figures, a question with no figure in it is about the service itself.
    ("can i call on a sunday", "faq_hotline_hours", 0.58, topic("stat_hotline_calls"), "faq_hotline_hours"),
    ("is it open 24 hours", "faq_hotline_hours", 1.0, topic("stat_hotline_calls"), "faq_hotline_hours"),
    ("what do they actually do", "nlu_fallback", 0.2, topic("stat_village_advisers"), "faq_village_legal_adviser"),
    ("is the award final or can i appeal", "nlu_fallback", 0.2, topic("stat_arbitration"), "faq_arbitration"),
    ("鉴定费能减免吗，我家条件不好", "faq_legal_aid_cost", 0.37, topic("stat_judicial_appraisal"), "faq_judicial_appraisal"),
    ("and 2018", "nlu_fallback", 0.2, topic("stat_village_advisers"), "ask_period_followup"),
    # After the routes for a problem, a follow-up may be a full sentence.
    ("is there a free way to sort this out without going to court", "nlu_fallback", 0.2, topic("problem_medical"),
     "problem_medical"),
    ("and if the other guy just doesnt do what we agreed", "nlu_fallback", 0.2, topic("faq_peoples_mediation"),
     "faq_peoples_mediation"),
    # "How has it changed" asks for figures, even right after a FAQ answer.
    ("全国律师人数这几年是怎么变化的", "stat_lawyers", 0.3, topic("faq_peoples_mediation"), "stat_lawyers"),
    # After figures: one more of the same topic, or a question about the figure just given.
    ("鉴定人呢", "ask_period_followup", 0.498, topic("stat_judicial_appraisal"), "ask_period_followup"),
    ("and offices?", "nlu_fallback", 0.2, topic("stat_notarization"), "ask_period_followup"),
    ("调解员有几个", "faq_peoples_mediation", 0.455, topic("stat_lawyer_mediation"), "ask_period_followup"),
    ("and for migrant workers", "faq_wage_arrears", 0.553, topic("stat_legal_aid"), "ask_period_followup"),
    ("how many cases have they handled", "stat_legal_aid", 0.465, topic("stat_lawyer_mediation"), "ask_period_followup"),
    ("as of when", "faq_legal_aid_what", 0.27, topic("stat_notarization"), "ask_period_followup"),
    ("这是一年的还是累计的", "meta_up_to_date", 0.64, topic("stat_arbitration"), "ask_period_followup"),
    ("and is it free", "nlu_fallback", 0.2, topic("stat_lawyer_mediation"), "faq_lawyer_mediation"),
    ("how many lawyers are there", "stat_lawyers", 0.9, topic("stat_notarization"), "stat_lawyers"),
    # Session 14: a bare name, or "and …" of someone else, the classifier could not place is one
    # more of the same figures; a question of another kind is not.
    ("rural residents?", "problem_traffic_accident", 0.21, topic("stat_legal_aid"), "ask_period_followup"),
    ("offices", "faq_public_legal_services", 0.22, topic("stat_notarization"), "ask_period_followup"),
    ("and for migrant workers that year", "faq_wage_arrears", 0.46, topic("stat_legal_aid"), "ask_period_followup"),
    ("网址是啥", "nlu_fallback", 0.3, topic("stat_legal_service_network"), "faq_legal_service_network"),
    ("thanks", "thank", 0.45, topic("stat_legal_aid"), "thank"),
    # A bare number that is no year, no service's number and no choice names no topic.
    ("i was fired", "problem_dismissal", 0.25, topic("stat_legal_aid"), "problem_dismissal"),
    ("ok thanks", "nlu_fallback", 0.2, topic("stat_legal_aid"), "nlu_fallback"),
    ("123", "faq_hotline_12348", 0.75, None, "nlu_fallback"),
    ("12348", "faq_hotline_12348", 0.9, None, "faq_hotline_12348"),
    ("2", "faq_hotline_12348", 0.75, LastAnswer("clarify").to_slot(), "faq_hotline_12348"),
    # After the routes for a problem: what to keep, how long, where to complain are about it.
    ("what should i keep as evidence", "out_of_scope", 0.42, topic("problem_dismissal"), "problem_dismissal"),
    ("who do i complain to", "faq_legal_aid_complaint", 0.72, topic("problem_consumer"), "problem_consumer"),
    ("要是拖了好几年还能告吗", "nlu_fallback", 0.2, topic("problem_inheritance"), "problem_inheritance"),
    ("要不要先去公证处", "faq_notarization", 0.74, topic("problem_inheritance"), "faq_notarization"),
    # Session 15: a part of the problem routed ("who pays her medical bills" after a road accident),
    # a public number its routes name; not 12348 itself, nor an amount.
    ("who covers her medical bills then", "problem_personal_injury", 0.74, topic("problem_traffic_accident"),
     "problem_traffic_accident"),
    ("打12315有用吗", "faq_hotline_12348", 0.8, topic("problem_consumer"), "problem_consumer"),
    # Session 17: the police after violence at home are its route, not a stranger's crime.
    ("报警有用吗", "problem_crime_victim", 0.57, topic("problem_domestic_violence"), "problem_domestic_violence"),
    ("我被邻居打了 报警有用吗", "problem_crime_victim", 0.8, topic("problem_domestic_violence"), "problem_crime_victim"),
    ("邻居家被偷了 报警有用吗", "problem_crime_victim", 0.9, topic("problem_domestic_violence"), "problem_crime_victim"),
    ("12348是干嘛的", "faq_hotline_12348", 0.8, topic("problem_consumer"), "faq_hotline_12348"),
    # A cold review's: an amount is no number to call, and a story of one's own is a new problem.
    ("老板欠我15000工资没给", "problem_unpaid_wages", 0.9, topic("problem_traffic_accident"), "problem_unpaid_wages"),
    ("我借给朋友五万块钱，他不还了", "problem_loans_debts", 0.9, topic("problem_fraud"), "problem_loans_debts"),
    ("my mum's surgery went wrong, can we sue the doctor", "problem_medical", 0.9, topic("problem_work_injury"),
     "problem_medical"),
    ("can legal aid help me sue him", "faq_legal_aid_matters", 0.6, topic("problem_consumer"), "faq_legal_aid_matters"),
    # Session 16: "start one" after a service's answer is that service, unless it is read as a problem.
    ("ok how do i start one", "help", 0.8, topic("faq_peoples_mediation"), "faq_peoples_mediation"),
    ("how do i get one", "problem_domestic_violence", 0.45, topic("faq_legal_aid_apply"), "problem_domestic_violence"),
    # After the outcome for a suspect, the detention itself is the suspect's routes; a lawyer, legal aid.
    ("will the police even tell us where he is", "faq_legal_aid_criminal", 0.7, outcome("defence_appointed"),
     "problem_criminal_suspect"),
    ("who asks for the lawyer, us or the police", "nlu_fallback", 0.3, outcome("defence_appointed"),
     "faq_legal_aid_criminal"),
    ("how long will the police keep him", "nlu_fallback", 0.3, outcome("defence_appointed"), "problem_criminal_suspect"),
    ("我被骗了两万 要去派出所报案吗", "problem_fraud", 0.95, outcome("defence_appointed"), "problem_fraud"),
    # "can i apply for legal aid" and nothing else asks whether one qualifies: the check.
    ("can i apply for legal aid", "faq_legal_aid_apply", 0.97, None, "check_eligibility"),
    ("能申请法律援助不", "faq_legal_aid_matters", 0.39, None, "check_eligibility"),
    ("can i apply for legal aid online", "faq_legal_aid_apply", 0.9, None, "faq_legal_aid_apply"),
    ("so can i get legal aid?", "faq_legal_aid_matters", 0.6, outcome("civil_hardship"), "faq_legal_aid_apply"),
    ("how many times can i apply for legal aid", "faq_legal_aid_apply", 0.9, topic("stat_legal_aid"),
     "faq_legal_aid_apply"),
    # Figures asked of nothing as a first message: which figures there are, not a guess.
    ("帮我查个数", "out_of_scope", 0.22, None, "ask_unknown_statistic"),
    ("numbers pls", "stat_lawyers", 0.3, None, "ask_unknown_statistic"),
    ("how many lawyers are there", "stat_lawyers", 0.9, None, "stat_lawyers"),
    # Doubts about the figures, unplaced: their sources; a credit record's data is no such doubt.
    ("why should i believe these stats", "out_of_scope", 0.28, None, "meta_figure_source"),
    ("我的征信数据出错了怎么办", "nlu_fallback", 0.3, None, "nlu_fallback"),
    # A count of the service whose figures were just given is its figures; documents or days are not.
    ("做调解的律师有几个", "faq_lawyer_mediation", 0.81, topic("stat_lawyer_mediation"), "stat_lawyer_mediation"),
    ("how many documents do i need to apply", "faq_legal_aid_documents", 0.95, topic("stat_legal_aid"),
     "faq_legal_aid_documents"),
    # A cold review's: a problem named is not "one" of the last service, nor a sure question the check.
    ("how do i get one of those protection orders", "problem_domestic_violence", 0.45,
     topic("faq_legal_aid_apply"), "problem_domestic_violence"),
    ("我70岁了 法援需要带什么材料", "faq_legal_aid_documents", 0.9, topic("faq_legal_aid_matters"),
     "faq_legal_aid_documents"),
    ("我想知道家暴案件去年法律援助办了多少件", "stat_legal_aid", 0.9, topic("faq_legal_aid_eligibility"),
     "stat_legal_aid"),
    # A slipped character still names the service: not a vague first question.
    ("法律缓助怎么申请", "faq_legal_aid_apply", 0.96, None, "faq_legal_aid_apply"),
    # Not a follow-up: confident, long, off-topic without a word pointing back, or no previous topic.
    ("how do I get a document notarized", "faq_notarization", 0.9, topic("faq_peoples_mediation"), "faq_notarization"),
    ("what's the weather", "out_of_scope", 0.95, topic("faq_notarization"), "out_of_scope"),
    ("贵不贵啊", "nlu_fallback", 0.3, outcome("civil_hardship"), "nlu_fallback"),
    ("我想问一下我老公打我我能不能离婚他一直不同意而且房子是他的名字孩子还小", "nlu_fallback", 0.3,
     "faq_notarization", "nlu_fallback"),
])
def test_a_short_follow_up_is_read_against_the_previous_answer(text, intent, confidence, previous, expected):
    assert intent_in_context(text, intent, confidence, previous) == expected


def test_an_unsure_out_of_scope_naming_a_service_yields_to_the_service_ranked_next():
    ranking = [{"name": "out_of_scope", "confidence": 0.35}, {"name": "faq_hotline_12348", "confidence": 0.3}]
    assert intent_in_context("what exactly is 12348", "out_of_scope", 0.35, None, (), ranking) == "faq_hotline_12348"
    weather = [{"name": "out_of_scope", "confidence": 0.35}, {"name": "faq_hotline_hours", "confidence": 0.3}]
    assert intent_in_context("whats the weather tomorrow", "out_of_scope", 0.35, None, (), weather) == "out_of_scope"
    # A language named in a question about a service, without asking for that language.
    named = [{"name": "switch_language", "confidence": 0.25}, {"name": "faq_notarization", "confidence": 0.21}]
    assert intent_in_context("出国用的公证书 要不要翻成英文", "switch_language", 0.25, None, (), named) == "faq_notarization"
    assert intent_in_context("请用英文回答", "switch_language", 0.25, None, (), named) == "switch_language"
    # The hotline's number is a contact, not a figure.
    hotline = [{"name": "faq_hotline_12348", "confidence": 0.6}, {"name": "stat_hotline_calls", "confidence": 0.17}]
    assert intent_in_context("whats the legal hotline number again", "faq_hotline_12348", 0.6, None, (),
                             hotline) == "faq_hotline_12348"


def test_a_place_is_named():
    assert named_place("上海有多少") == "上海" and named_place("and in shanghai?") == "Shanghai"
    assert named_place("how many lawyers") is None


@pytest.mark.parametrize(("text", "language"), [
    ("what is 值班律师", "en"), ("12348 hotline 一年接多少电话", "zh"), ("律师 ok", "zh"),
    ("thanks, back to english now pls", "en"), ("ok 还是说中文吧", "zh"), ("123", None), ("k", None),
    # Both scripts: the grammar decides ("and" is English, 我/要 Chinese).
    ("and 人民调解?", "en"), ("我想问下 legal aid 申请下来要多久", "zh"),
    # Asking in one script for the other language.
    ("可以用English回复吗", "en"), ("can u reply 用中文", "zh"),
    # Pleasantries in both scripts keep the conversation's language; a question still decides.
    ("好的 thanks", None), ("ok 谢谢!", None), ("thanks 法律援助怎么申请", "zh"),
])
def test_the_language_of_a_message(text, language):
    assert detect_language(text) == language


@pytest.fixture
def client(rasa_url, rasa_api_secret) -> RasaClient:
    return RasaClient(rasa_url, rasa_api_secret)


def converse(client: RasaClient, sender: str, text: str) -> tuple[str, str]:
    reply = "\n".join(message.get("text", "") for message in client.send(sender, text))
    answer = LastAnswer.from_slot(client.slot_set_in_last_turn(sender, "last_answer"))
    return reply, answer.label if answer else ""


@pytest.mark.parametrize(("sender", "turns"), [
    ("carry-zh", [("公证怎么办理", "faq_notarization", "zh"), ("贵不贵啊", "faq_notarization", "zh")]),
    ("carry-en", [("what is people's mediation", "faq_peoples_mediation", "en"),
                  ("does it cost anything", "faq_peoples_mediation", "en")]),
    ("place-zh", [("2022年法律援助办了多少案件", "stat_legal_aid", "zh"), ("上海有多少", "stat_legal_aid", "zh")]),
    ("switch-back", [("法律援助是什么", "faq_legal_aid_what", "zh"),
                     ("can you say that in english please", "", "en"),
                     ("ok 还是说中文吧", "", "zh")]),
])
def test_follow_ups_through_rasa(client, sender, turns):
    for text, answered_as, language in turns:
        reply, last_answer = converse(client, sender, text)
        if answered_as:
            assert last_answer == answered_as, (text, last_answer, reply)
        assert is_mostly_chinese(reply) == (language == "zh"), (text, reply)
    if sender == "place-zh":
        assert "只有全国数据" in reply


def test_too_close_to_call_between_a_service_and_its_figures_the_words_decide():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "faq_hotline_12348", "confidence": 0.41},
               {"name": "stat_hotline_calls", "confidence": 0.40}]
    assert intent_in_context("whats the hotline number", "nlu_fallback", 0.2, None, ranking=ranking) == "faq_hotline_12348"
    assert intent_in_context("how many calls does the hotline get", "nlu_fallback", 0.2, None,
                             ranking=ranking) == "stat_hotline_calls"
    assert intent_in_context("法律援助热线是多少", "nlu_fallback", 0.2, None, ranking=ranking) == "faq_hotline_12348"


def test_figures_for_a_group_the_topic_lacks_are_said_to_be_lacking(client):
    """"rural residents?" gets its own figure; "and for women?" is told there is none."""
    sender = "group-en"
    converse(client, sender, "how many legal aid cases were there in 2022")
    reply, answered = converse(client, sender, "and for migrant workers that year")
    assert answered == "stat_legal_aid" and "468,000" in reply and "staff" not in reply, reply
    reply, answered = converse(client, sender, "rural residents?")
    assert answered == "stat_legal_aid" and "830,000" in reply and "“" not in reply, reply
    reply, answered = converse(client, sender, "and for women?")
    assert answered == "stat_legal_aid" and "“women”" in reply, reply


def test_a_check_after_the_routes_does_not_ask_the_matter_again(client):
    reply, last_answer = converse(client, "matter-from-route",
                                  "i was hit by a car at a crossing last week and broke my wrist, the driver stopped paying")
    assert last_answer == "problem_traffic_accident", reply
    reply, _ = converse(client, "matter-from-route", "can i get legal aid for this")
    assert "Noted: Injury compensation" in reply and "What is your matter about?" not in reply, reply


def test_a_period_asked_without_figures_before_it_asks_for_the_best_ranked_figures():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "ask_period_followup", "confidence": 0.41},
               {"name": "stat_legal_aid", "confidence": 0.4}]
    assert intent_in_context("十八大以来法援一共办了多少案子", "nlu_fallback", 0.2, None, (), ranking) == "stat_legal_aid"
    # After figures, the same words are a follow-up to them (the statistics action reads the topic).
    assert intent_in_context("那十八大以来呢", "ask_period_followup", 0.6, topic("stat_lawyers"), (), ranking) \
        == "ask_period_followup"
    # Unclear words without a period are not answered with figures: the bot asks which are meant.
    assert intent_in_context("numbers?", "nlu_fallback", 0.2, None, (), ranking) == "ask_unknown_statistic"
    assert intent_in_context("hello", "nlu_fallback", 0.2, None, (), ranking) == "nlu_fallback"


def test_figures_asked_without_naming_whose_are_read_against_the_last_answer():
    """Issue #21 (fourth blind set): "cases in total?" after arbitration figures, "how many county
    level areas have it" after the answer on lawyer mediation, "上海的有吗", "农村居民的" after
    figures, and "numbers?" with nothing before it."""
    fallback = [{"name": "nlu_fallback", "confidence": 0.2}]
    assert intent_in_context("cases in total?", "stat_legal_aid", 0.33, topic("stat_arbitration"), (), fallback) \
        == "ask_period_followup"
    assert intent_in_context("how many ppl actually got aid", "nlu_fallback", 0.2, topic("stat_legal_aid"), (),
                             fallback) == "ask_period_followup"
    assert intent_in_context("上海的有吗", "out_of_scope", 0.34, topic("stat_legal_aid"), (), fallback) \
        == "ask_period_followup"
    assert intent_in_context("农村居民的", "nlu_fallback", 0.2, topic("stat_legal_aid"), (), fallback) \
        == "ask_period_followup"
    assert intent_in_context("how many county level areas have it", "nlu_fallback", 0.2,
                             topic("faq_lawyer_mediation"), (), fallback) == "stat_lawyer_mediation"
    assert intent_in_context("我想查个数", "nlu_fallback", 0.2, None, (), fallback) == "ask_unknown_statistic"
    assert intent_in_context("how many people got help", "ask_unknown_statistic", 0.6, topic("stat_legal_aid"), (),
                             fallback) == "ask_period_followup"
    # "公证处呢" after the number of notaries: one more of the same service's figures.
    assert intent_in_context("公证处呢", "faq_notarization", 0.7, topic("stat_notarization"), (), fallback) \
        == "ask_period_followup"
    # A period asked after the answer on a service: that service's figures.
    ranked = [{"name": "ask_period_followup", "confidence": 0.23}, {"name": "stat_service_entities", "confidence": 0.17}]
    assert intent_in_context("2020年底有多少个县", "ask_period_followup", 0.23,
                             topic("faq_criminal_defence_coverage"), (), ranked) == "stat_criminal_defence"
    # Another service named, a duration, a price, or a confident question: not the same figures.
    assert intent_in_context("how many lawyers", "stat_lawyers", 0.9, topic("stat_legal_aid"), (), fallback) \
        == "stat_lawyers"
    assert intent_in_context("how many days does it take", "nlu_fallback", 0.2, topic("faq_notarization"), (),
                             fallback) != "stat_notarization"
    assert intent_in_context("律师的呢", "stat_lawyers", 0.7, topic("stat_legal_aid"), (), fallback) == "stat_lawyers"


def test_after_a_labour_problem_arbitration_is_labour_arbitration():
    assert intent_in_context("does arbitration cost money", "faq_arbitration", 0.91, topic("problem_dismissal")) \
        == "faq_labour_arbitration"
    assert intent_in_context("does arbitration cost money", "faq_arbitration", 0.91, topic("problem_contract")) \
        == "faq_arbitration"


def test_after_which_figures_the_option_words_choose_even_a_confident_topic():
    buttons = [{"title": "法律援助（数据）", "payload": "/stat_legal_aid"}, {"title": "律师（数据）", "payload": "/stat_lawyers"}]
    assert intent_in_context("法律援助", "faq_legal_aid_what", 0.9,
                             LastAnswer("unknown_statistic", intents=("ask_period_followup",)).to_slot(),
                             buttons) == "stat_legal_aid"
    assert intent_in_context("法律援助", "faq_legal_aid_what", 0.9, topic("faq_notarization"), buttons) == "faq_legal_aid_what"


def test_a_topic_word_is_not_a_partial_button_title():
    buttons = [{"title": "Lawyers sent to Tibet (figures)", "payload": "/stat_tibet_lawyers"},
               {"title": "Legal aid (figures)", "payload": "/stat_legal_aid"}]
    assert intent_in_context("lawyers", "stat_lawyers", 0.8, LastAnswer("clarify").to_slot(), buttons) == "stat_lawyers"
    assert intent_in_context("legal aid", "faq_legal_aid_what", 0.8, LastAnswer("clarify").to_slot(), buttons) == "stat_legal_aid"


def test_a_follow_up_to_a_service_gets_no_figure_it_did_not_ask_for():
    assert intent_in_context("is there an app", "stat_legal_service_network", 0.8,
                             topic("faq_legal_service_network")) == "faq_legal_service_network"
    assert intent_in_context("how many people use it", "stat_legal_service_network", 0.8,
                             topic("faq_legal_service_network")) == "stat_legal_service_network"


def test_an_unsure_story_is_routed_to_its_likeliest_problem():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "problem_contract", "confidence": 0.15},
               {"name": "problem_consumer", "confidence": 0.1}]
    story = "在驾校交了四千多学费 教练一直约不上车 想退费 驾校说只能退三成"
    assert intent_in_context(story, "nlu_fallback", 0.2, None, (), ranking) == "problem_contract"
    # Too close to call, or a short message: "Did you mean…?" stays.
    close = [ranking[0], {"name": "problem_contract", "confidence": 0.15}, {"name": "faq_notarization", "confidence": 0.14}]
    assert intent_in_context(story, "nlu_fallback", 0.2, None, (), close) == "nlu_fallback"
    assert intent_in_context("退费怎么办", "nlu_fallback", 0.2, None, (), ranking) == "nlu_fallback"


def test_a_question_about_a_service_that_asks_for_a_figure_gets_the_figures():
    ranking = [{"name": "faq_criminal_defence_coverage", "confidence": 0.59},
               {"name": "stat_criminal_defence", "confidence": 0.37}]
    assert intent_in_context("刑辩全覆盖现在推到多少个县了", "faq_criminal_defence_coverage", 0.59, None,
                             ranking=ranking) == "stat_criminal_defence"
    assert intent_in_context("辩护率呢", "stat_criminal_defence", 0.85, topic("faq_criminal_defence_coverage"),
                             ranking=ranking) == "stat_criminal_defence"
    # A price is not a figure.
    ranking = [{"name": "faq_legal_aid_cost", "confidence": 0.6}, {"name": "stat_legal_aid", "confidence": 0.2}]
    assert intent_in_context("法律援助要多少钱", "faq_legal_aid_cost", 0.6, None, ranking=ranking) == "faq_legal_aid_cost"


def test_a_bare_name_chooses_the_title_it_covers_most():
    buttons = [{"title": "律师调解数据", "payload": "/stat_lawyer_mediation"},
               {"title": "律师数据", "payload": "/stat_lawyers"},
               {"title": "村（居）法律顾问数据", "payload": "/stat_village_advisers"}]
    assert chosen_button("律师", buttons) == "stat_lawyers"
    assert chosen_button("村法律顾问", buttons) == "stat_village_advisers"
    assert chosen_button("lawyers", [{"title": "Lawyers (figures)", "payload": "/stat_lawyers"}]) == "stat_lawyers"


def test_a_yes_or_no_question_about_a_service_is_not_a_request_for_its_figures():
    ranking = [{"name": "stat_criminal_defence", "confidence": 0.53},
               {"name": "faq_criminal_defence_coverage", "confidence": 0.22}]
    assert intent_in_context("现在所有刑事案件都有律师辩护吗？", "stat_criminal_defence", 0.53, None,
                             ranking=ranking) == "faq_criminal_defence_coverage"
    assert intent_in_context("刑事案件辩护率有多少", "stat_criminal_defence", 0.53, None,
                             ranking=ranking) == "stat_criminal_defence"
    # "哪几个" asks which, not how many; a hotline's number is no figure.
    ranking = [{"name": "faq_public_legal_services", "confidence": 0.8}, {"name": "stat_service_entities", "confidence": 0.2}]
    assert intent_in_context("公共法律服务有哪几个平台", "faq_public_legal_services", 0.8, None,
                             ranking=ranking) == "faq_public_legal_services"
    ranking = [{"name": "faq_hotline_12348", "confidence": 0.6}, {"name": "stat_hotline_calls", "confidence": 0.3}]
    assert intent_in_context("12348热线能干什么", "faq_hotline_12348", 0.6, None, ranking=ranking) == "faq_hotline_12348"


def test_a_message_torn_between_two_figures_asks_for_both():
    ranking = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "stat_lawyers", "confidence": 0.46},
               {"name": "stat_village_advisers", "confidence": 0.44}]
    assert intent_in_context("全国现在有多少律师 村居法律顾问又有多少", "nlu_fallback", 0.2, None,
                             ranking=ranking) == "stat_lawyers"
    ranking[2] = {"name": "faq_village_legal_adviser", "confidence": 0.44}
    assert intent_in_context("全国现在有多少律师 村居法律顾问又有多少", "nlu_fallback", 0.2, None,
                             ranking=ranking) == "nlu_fallback"


def test_an_unsure_follow_up_keeps_its_aspect_of_the_same_service():
    """"谁可以申请" after what legal aid is; "晚上十点还有人接吗" after the hotline (ranked behind
    the unclear verdict); a question ranked too low, or of another service, takes the topic."""
    assert intent_in_context("谁可以申请", "faq_legal_aid_eligibility", 0.42, topic("faq_legal_aid_what")) \
        == "faq_legal_aid_eligibility"
    hours = [{"name": "nlu_fallback", "confidence": 0.2}, {"name": "faq_hotline_hours", "confidence": 0.16}]
    assert intent_in_context("晚上十点还有人接吗", "nlu_fallback", 0.2, topic("faq_hotline_12348"), (), hours) \
        == "faq_hotline_hours"
    low = [{"name": "out_of_scope", "confidence": 0.22}, {"name": "faq_legal_aid_cost", "confidence": 0.05}]
    assert intent_in_context("do i have to write it down", "out_of_scope", 0.22, topic("faq_legal_aid_complaint"),
                             (), low) == "faq_legal_aid_complaint"


def test_a_question_whether_a_service_speaks_a_language_is_about_the_service():
    ranking = [{"name": "switch_language", "confidence": 0.6}, {"name": "faq_hotline_12348", "confidence": 0.2}]
    assert intent_in_context("can i call 12348 and talk in english", "switch_language", 0.6, None, (), ranking) \
        == "faq_hotline_12348"
    assert intent_in_context("can you answer in english please", "switch_language", 0.9, None, (), ranking) \
        == "switch_language"


def test_after_criminal_legal_aid_how_fast_is_its_answer_and_a_sure_enough_problem_is_its_own():
    """"how fast" after criminal legal aid: the lawyer is appointed within 3 days (that answer);
    "how do i get a protection order" after the legal-aid criteria: domestic violence."""
    criminal = topic("faq_legal_aid_criminal")
    assert intent_in_context("how fast", "out_of_scope", 0.28, criminal) == "faq_legal_aid_criminal"
    assert intent_in_context("how do i get a protection order", "problem_domestic_violence", 0.43,
                             topic("faq_legal_aid_eligibility")) == "problem_domestic_violence"
    assert intent_in_context("and legal service staff", "faq_public_legal_services", 0.6,
                             topic("stat_service_entities")) == "ask_period_followup"


def test_a_time_limit_asked_after_a_detour_is_about_the_problem_told_before():
    """The problem routed last (LAST_PROBLEM_SLOT) answers "还能告吗" after another answer, unless
    the question names a service or is about the service just answered."""
    assert intent_in_context("过了多久就不能告了", "nlu_fallback", 0.2, topic("faq_notarization"), (), (),
                             "problem_inheritance") == "problem_inheritance"
    assert intent_in_context("is there a time limit for suing her", "faq_labour_arbitration", 0.33,
                             LastAnswer("eligibility", rule="civil_waived").to_slot(), (), (),
                             "problem_elderly_support") == "problem_elderly_support"
    assert intent_in_context("去哪办", "nlu_fallback", 0.2, topic("faq_notarization"), (), (),
                             "problem_inheritance") == "faq_notarization"
    assert intent_in_context("过了多久就不能告了", "nlu_fallback", 0.2, topic("faq_notarization")) != \
        "problem_inheritance"


def test_a_request_for_figures_that_names_nothing_is_told_apart_from_figures_not_held():
    """"stats please" is asked which figures; "how many judges are there" names figures the
    bot does not hold (actions/statistics.py says so)."""
    from assistant.figure_follow_ups import asks_no_figure_in_particular

    assert all(asks_no_figure_in_particular(t) for t in ("stats please", "numbers?", "我想查个数", "give me the numbers"))
    assert not any(asks_no_figure_in_particular(t) for t in ("how many judges are there", "法官有多少", "hello"))


def test_the_defence_rule_prefix_names_every_rule_for_a_suspect(read_eligibility_table):
    """follow_up.DEFENCE_RULE_PREFIX is a contract with knowledge/data/eligibility_rules.yml:
    every rule for a suspect or defendant, and no other, starts with it."""
    from assistant.follow_up import DEFENCE_RULE_PREFIX

    for rule in read_eligibility_table("en").rules:
        for_suspect = "criminal_suspect" in dict(rule.conditions).get("elig_matter", ())
        assert rule.key.startswith(DEFENCE_RULE_PREFIX) == for_suspect, rule.key


def test_a_wish_to_apply_starts_the_check_and_after_its_outcome_asks_where_to_apply():
    for text in ("我要申请法律援助", "您好，我们想申请一下法援。", "I would like to apply for legal aid"):
        assert intent_in_context(text, "faq_legal_aid_apply", 0.9, None) == "check_eligibility", text
    outcome = LastAnswer("eligibility", rule="civil_waived").to_slot()
    assert intent_in_context("我想申请法律援助", "faq_legal_aid_apply", 0.9, outcome) == "faq_legal_aid_apply"
    # Asking how is a question on applying, not a wish.
    assert intent_in_context("我想申请法律援助 怎么申请", "faq_legal_aid_apply", 0.9, None) == "faq_legal_aid_apply"
    assert intent_in_context("how do i apply for legal aid", "faq_legal_aid_apply", 0.9, None) == "faq_legal_aid_apply"


def test_what_else_after_the_outcome_is_about_the_problem_told_in_the_check():
    outcome = LastAnswer("eligibility", rule="civil_means_tested").to_slot()
    for text in ("那我还能找谁帮忙", "ok so what can i do then", "還有什麼別的辦法嗎"):
        assert intent_in_context(text, "faq_legal_aid_apply", 0.4, outcome, (), (),
                                 "problem_traffic_accident") == "problem_traffic_accident", text
    # Without a problem told, or naming a service, it is not.
    assert intent_in_context("那我还能找谁帮忙", "faq_legal_aid_apply", 0.4, outcome) == "faq_legal_aid_apply"
    assert intent_in_context("还能找谁 公证处吗", "faq_notarization", 0.9, outcome, (), (),
                             "problem_traffic_accident") == "faq_notarization"


def test_a_correction_after_the_outcome_reopens_the_check():
    outcome = LastAnswer("eligibility", rule="wages_injury_waived").to_slot()
    for text in ("不是欠薪 是工伤 我从梯子上摔下来了", "no its not wages, it was an injury at work"):
        assert intent_in_context(text, "problem_work_injury", 0.8, outcome) == "check_eligibility", text
    # Not after any other answer, and "不是" alone corrects nothing.
    assert intent_in_context("不是欠薪 是工伤", "problem_work_injury", 0.8, topic("faq_notarization")) \
        == "problem_work_injury"
    assert intent_in_context("不是很懂", "nlu_fallback", 0.2, outcome) != "check_eligibility"


@pytest.mark.parametrize(("sender", "turns"), [
    # A wish to apply starts the check; a story answers its first question and names the problem,
    # which a later "what else" reads (the check's answers are not the routes' kind).
    ("wish-zh", [("我要申请法律援助", "check_eligibility"), ("孩子他爸离婚后一分抚养费都没给过", "check_eligibility"),
                 ("我在吃低保", "eligibility:civil_waived"), ("除了法援还能找谁帮忙", "problem_family")]),
    ("suing-en", [("could you check whether my mother can get legal aid", "check_eligibility"),
                  ("she is 81 and my brother wont give her a cent for her upkeep", "check_eligibility"),
                  ("she has no income at all, no pension", "eligibility:civil_waived"),
                  ("how long do we have to take him to court", "problem_elderly_support")]),
    # Legal aid asked however it is read after a problem's routes: the check on that story; an
    # income in Chinese numerals the province's line decides.
    ("cover-en", [("i was riding my ebike and a car hit me from behind, broke my leg. the driver says its my fault "
                   "and his insurance wont pay", "problem_traffic_accident"),
                  ("would legal aid cover any of this", "check_eligibility"),
                  ("i deliver food, came from henan, dont earn much", "eligibility:civil_hardship")]),
    ("income-zh", [("法援我能申请吗，查一下", "check_eligibility"), ("被车撞了 对方不赔", "check_eligibility"),
                   ("一个月两千五", "eligibility:civil_hardship")]),
    ("correct-zh", [("帮我查一下能不能申请法援", "check_eligibility"), ("老板拖欠我两个月工资 我是进城务工的", ""),
                    # The migrant worker stands: the outcome at once, for the injury.
                    ("不对 是工伤 我在车间把手压伤了", "eligibility:wages_injury_waived")]),
])
def test_the_check_in_a_conversation(client, sender, turns):
    for text, answered_as in turns:
        reply, last_answer = converse(client, sender, text)
        if answered_as:
            assert last_answer == answered_as, (text, last_answer, reply)
    if sender == "correct-zh":
        assert "人身损害赔偿" in reply and "欠薪" not in reply.split("已记录")[-1].split("。")[0], reply


def test_after_crisis_help_or_the_outcome_route_questions_are_about_the_problem_told():
    crisis = LastAnswer("crisis", situations=("domestic_violence",)).to_slot()
    outcome = LastAnswer("eligibility", rule="no_means_test").to_slot()
    dv = "problem_domestic_violence"
    assert intent_in_context("which evidence should i keep", "out_of_scope", 0.4, crisis, (), (), dv) == dv
    assert intent_in_context("要留哪些证据", "nlu_fallback", 0.2, outcome, (), (), dv) == dv
    # Applying and waiting stay with the outcome.
    assert intent_in_context("那我去哪申请啊", "faq_legal_aid_apply", 0.9, outcome, (), (), dv) == "faq_legal_aid_apply"
    # One's means after the outcome: who qualifies; a revision reopens the check.
    assert intent_in_context("but i make decent money, does it matter", "out_of_scope", 0.3, outcome, (), (), dv) \
        == "faq_legal_aid_eligibility"
    assert intent_in_context("even though i have a job?", "out_of_scope", 0.3, outcome, (), (), dv) \
        == "check_eligibility"


def test_a_story_about_wages_or_a_plain_request_for_the_check_starts_it():
    story = "包工头卷铺盖跑了 我们一个村出来的八个人大半年的钱都没结 这种能找法律援助吗"
    assert intent_in_context(story, "faq_wage_arrears", 0.7, None) == "check_eligibility"
    assert intent_in_context("pls check legal aid for me, im charged with fraud", "faq_legal_aid_criminal", 0.7,
                             None) == "check_eligibility"


def test_legal_aid_asked_for_someone_in_a_criminal_case_or_after_help_for_violence_at_home_is_the_check():
    """Session 13: criminal legal aid asked for someone with a fact that decides it is their case,
    asked without one or in general it is the answer; one's means after the help for violence at home, or a fact told after the
    outcome, is read by the check (assistant/check_follow_ups.py)."""
    criminal = "faq_legal_aid_criminal"
    assert intent_in_context("我弟才16 被派出所带走了 能申请法援吗", criminal, 0.7, None) == "check_eligibility"
    assert intent_in_context("my son got arrested, can he get legal aid?", criminal, 0.7, None) == criminal
    assert intent_in_context("could my uncle get legal aid, hes blind and they arrested him", criminal, 0.7,
                             None) == "check_eligibility"
    assert intent_in_context("犯罪嫌疑人能申请法律援助吗", criminal, 0.8, None) == criminal
    violence = LastAnswer("crisis", situations=("danger_now", "domestic_violence")).to_slot()
    despair = LastAnswer("crisis", situations=("self_harm",)).to_slot()
    assert intent_in_context("but i have a job, still ok?", "out_of_scope", 0.4, violence) == "check_eligibility"
    assert intent_in_context("but i have a job, still ok?", "out_of_scope", 0.4, despair) != "check_eligibility"
    after = outcome("civil_hardship")
    for fact in ("我其实是从甘肃出来打工的", "oh and hes deaf btw"):
        assert intent_in_context(fact, "nlu_fallback", 0.2, after) == "check_eligibility", fact


def test_a_price_asked_after_the_outcome_for_a_suspect_is_about_the_price():
    """"那要我们家出钱吗" after the outcome for a suspect asks what legal aid costs, not who asks for it."""
    after = outcome("defence_appointed")
    assert intent_in_context("那要我们家出钱吗", "faq_legal_aid_cost", 0.3, after) == "faq_legal_aid_cost"
    assert intent_in_context("那谁去申请", "nlu_fallback", 0.2, after) == "faq_legal_aid_criminal"


def test_after_a_problems_routes_court_and_disagreement_are_about_them_and_actually_corrects_the_check():
    """Session 13 (the seventh blind set's kinds, in other words)."""
    routes = topic("problem_inheritance")
    for text in ("do we really have to go to court", "the police report blames me, i dont agree", "要不要去法院啊"):
        assert intent_in_context(text, "nlu_fallback", 0.2, routes) == "problem_inheritance", text
    after = outcome("other_matter")
    assert intent_in_context("oh actually he hit me too, twice", "problem_domestic_violence", 0.6, after) \
        == "check_eligibility"
    assert intent_in_context("其实他也动过手", "problem_domestic_violence", 0.6, after) == "check_eligibility"
    # A story ending in "legal aid?" asks for the check.
    assert intent_in_context("they kept me 2 years and the retrial cleared me. compensation from the state, legal aid?",
                             "problem_dismissal", 0.4, None) == "check_eligibility"
