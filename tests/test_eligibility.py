"""The legal-aid pre-check (issue #13): its decision table, and every path of it through the
real Rasa server and action server (REST), in English and in Chinese."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from assistant.contract import LEAVING_WORDS
from assistant.language import is_mostly_chinese
from assistant.last_answer import LastAnswer
from knowledge.eligibility import EligibilityTable, walk
from testkit.support import reply_payloads, reply_text

# The decision table's spec, written from the Legal Aid Law (2021), not from the data file:
# answers -> outcome and the articles it must name. A question missing from the answers
# must not be asked.
SPEC = [
    ({"elig_matter": "criminal_suspect", "elig_defence": "minor"}, "lawyer_appointed", (25,)),
    ({"elig_matter": "criminal_suspect", "elig_defence": "death_or_life"}, "lawyer_appointed", (25,)),
    ({"elig_matter": "criminal_suspect", "elig_defence": "none", "elig_means": "assistance"},
     "likely_eligible", (24, 42)),
    # Art. 42(3) waives the check for migrant workers only for wages and work injuries.
    ({"elig_matter": "criminal_suspect", "elig_defence": "none", "elig_means": "migrant"},
     "depends_on_standard", (24, 34)),
    ({"elig_matter": "criminal_suspect", "elig_defence": "none", "elig_means": "no_hardship"},
     "not_covered", (24, 30)),
    ({"elig_matter": "other", "elig_special": "violence"}, "no_means_test", (32,)),
    # Matters outside the national list: only a special situation can open legal aid.
    ({"elig_matter": "other", "elig_special": "retrial"}, "no_means_test", (32,)),
    # Once the finances are told, the outcome is given; it names the Art. 32 exceptions.
    ({"elig_matter": "state_compensation", "elig_means": "no_hardship"}, "not_covered", (31, 32)),
    # Hardship: applying is the next step either way, so no special situation is asked.
    ({"elig_matter": "criminal_victim", "elig_means": "hardship"},
     "depends_on_standard", (29, 34)),
    ({"elig_matter": "wages", "elig_means": "migrant"}, "likely_eligible", (31, 42)),
    ({"elig_matter": "support", "elig_means": "migrant"},
     "depends_on_standard", (31, 34)),
    ({"elig_matter": "support", "elig_means": "no_income"}, "likely_eligible", (31, 42)),
    ({"elig_matter": "environment", "elig_means": "no_hardship"}, "not_covered", (31,)),
    ({"elig_matter": "other", "elig_special": "none"}, "not_covered", (31,)),
]
# What each outcome says, in each language (the heading of the reply).
HEADLINES = {
    "en": {"lawyer_appointed": "a lawyer must be appointed", "no_means_test": "without a financial-hardship test",
           "likely_eligible": "you are likely eligible", "depends_on_standard": "province's financial-hardship standard",
           "not_covered": "probably not covered by national legal aid rules"},
    "zh": {"lawyer_appointed": "依法应当为您指派律师", "no_means_test": "不受经济困难条件的限制",
           "likely_eligible": "免予核查经济困难状况", "depends_on_standard": "取决于当地的经济困难标准",
           "not_covered": "可能不在法律援助范围内"},
}
ARTICLES_ZH = {24: "第二十四条", 25: "第二十五条", 29: "第二十九条", 30: "第三十条", 31: "第三十一条",
               32: "第三十二条", 34: "第三十四条", 36: "第三十六条", 41: "第四十一条", 42: "第四十二条"}
START = {"en": "check my eligibility", "zh": "帮我查一下能不能申请法律援助"}


@pytest.fixture(scope="module")
def table(read_eligibility_table) -> EligibilityTable:
    """The shipped pre-check in English."""
    return read_eligibility_table("en")


def articles_named(reply: str, articles: tuple[int, ...], language: str) -> bool:
    if language == "zh":
        return "《中华人民共和国法律援助法》" in reply and all(ARTICLES_ZH[a] in reply for a in articles)
    cited = reply.split("Legal Aid Law of the People's Republic of China, Art", 1)[-1].split(")")[0]
    return all(str(a) in cited.replace(",", " ").split() for a in articles)


# --- the table ------------------------------------------------------------------------


@pytest.mark.parametrize(("answers", "outcome", "articles"), SPEC)
def test_table_asks_only_what_the_outcome_depends_on_and_decides_per_the_law(
        table: EligibilityTable, answers, outcome, articles):
    given: dict[str, str] = {}
    while (step := table.next_step(given)).rule is None:
        assert step.question in answers, f"asked {step.question} after {given}"
        given[step.question] = answers[step.question]
    assert given == answers
    assert step.rule.outcome == outcome
    assert set(articles) <= set(step.rule.articles)


def test_every_path_of_answers_reaches_a_rule_and_every_rule_is_reached(table: EligibilityTable):
    reached, dead_ends = walk(table)
    assert dead_ends == []
    assert reached == {rule.key for rule in table.rules}


@pytest.mark.parametrize(("text", "asked", "expected"), [
    ("3", "elig_matter", {"elig_matter": "wages"}),
    ("第三个", "elig_matter", {"elig_matter": "wages"}),
    ("my boss hasn't paid my wages", "elig_matter", {"elig_matter": "wages"}),
    ("老闆拖欠工資", "elig_matter", {"elig_matter": "wages"}),  # Traditional characters
    ("none of these", "elig_special", {"elig_special": "none"}),
    ("no, I'm not poor", "elig_means", {"elig_means": "no_hardship"}),
    ("I can't afford a lawyer", "elig_means", {"elig_means": "hardship"}),
    ("I am a victim of domestic violence, can I get a free lawyer?", None, {"elig_special": "violence"}),
    # "None" is only an answer to the question asked: "no money" fills no other question.
    ("no money", "elig_means", {"elig_means": "hardship"}),
    ("banana", "elig_matter", {}),
    # Session 12: an adult in good health is none of the defence situations; little pay and no
    # savings is hardship, an office job alone says nothing.
    ("no he has no lawyer. hes 41 and healthy, he got into a fight", "elig_defence", {"elig_defence": "none"}),
    ("she cleans offices, doesnt earn much and has no savings", "elig_means", {"elig_means": "hardship"}),
    ("i have an office job", "elig_means", {}),
])
def test_typed_answers(table: EligibilityTable, text, asked, expected):
    assert table.match_answers(text, asked) == expected


# --- through Rasa -------------------------------------------------------------------------


def leaf_paths(table: EligibilityTable) -> list[tuple[list[tuple[str, str]], str]]:
    """Every sequence of (question, answer) the check can ask, with the rule that decides it."""
    paths, pending = [], [[]]
    while pending:
        path = pending.pop()
        step = table.next_step(dict(path))
        if step.rule is not None:
            paths.append((path, step.rule.key))
        else:
            pending += [path + [(step.question, o.value)] for o in table.question(step.question).options]
    return sorted(paths)


def payload(question: str, value: str) -> str:
    return "/check_eligibility" + json.dumps({question: value}, separators=(",", ":"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_path_through_rasa_names_the_outcome_and_its_articles(talk, table, language):
    rules = {rule.key: rule for rule in table.rules}
    paths = leaf_paths(table)
    assert len(paths) > 50  # every answer to every question asked: 59 paths (Dec 2026)
    for number, (path, rule_key) in enumerate(paths):
        sender = f"path-{language}-{number}-{uuid.uuid4().hex[:6]}"
        reply = talk(START[language], sender=sender)
        for question, value in path:
            assert payload(question, value) in reply_payloads(reply), (path, question, reply_text(reply))
            reply = talk(payload(question, value), sender=sender)
        text = reply_text(reply)
        rule = rules[rule_key]
        assert HEADLINES[language][rule.outcome] in text, (path, text)
        assert articles_named(text, rule.articles, language), (path, text)
        assert ("不构成法律意见" if language == "zh" else "not legal advice") in text
        assert "12348" in text or "/human_handoff" in reply_payloads(reply)
        assert is_mostly_chinese(text) == (language == "zh"), text


def test_typed_answers_in_english_with_a_prefilled_matter(talk):
    reply = reply_text(talk("Can I get legal aid for a divorce?"))
    assert "Noted: Something else" in reply and "Does any of these apply to you?" in reply
    reply = reply_text(talk("none of these"))
    assert HEADLINES["en"]["not_covered"] in reply and "Art. 31" in reply
    assert "Where to apply:" in reply and "What to bring:" in reply
    assert "Only the legal aid centre decides" in reply


def test_domestic_violence_needs_no_means_test_in_chinese(talk):
    # Violence told as happening gets emergency help first (tests/test_crisis.py); told as a
    # status, it is an answer to the check.
    # The victim's claim is no defence of a suspect, so what the matter is changes nothing: the
    # outcome comes at once (conversations_blind9).
    reply = reply_text(talk("我是家暴受害者，能申请免费律师吗"))
    assert "已记录：遭受家庭暴力" in reply and "您要办理的是哪一类事情" not in reply
    assert HEADLINES["zh"]["no_means_test"] in reply and "第三十二条" in reply
    assert "由法律援助机构审查决定" in reply and is_mostly_chinese(reply)


def test_a_correction_after_the_outcome_changes_one_answer_and_keeps_the_others(talk):
    talk("帮我看看能不能申请法律援助")
    reply = reply_text(talk("我是进城打工的 老板欠我三个月工资"))
    assert "第四十二条" in reply, reply
    reply = reply_text(talk("不对 是工伤 我在车间被机器轧了手"))
    # The migrant worker stands: the outcome comes at once, for injury compensation.
    assert "人身损害赔偿" in reply and "第四十二条" in reply and "您的经济状况" not in reply, reply


def test_a_check_after_a_story_reads_the_story(talk):
    talk("we are a crew of migrant workers from sichuan, the subcontractor vanished before new year "
         "owing us half a year of pay and the main contractor says its not their problem")
    reply = reply_text(talk("can we get legal aid"))
    assert "Migrant worker" in reply and "42" in reply and "financial situation?" not in reply, reply


def test_a_check_after_the_answer_on_unpaid_wages_reads_the_story_it_answered(talk):
    talk("我们一个村出来的八个人在工地干了大半年 包工头过年前卷钱跑了 一分钱没结")
    reply = reply_text(talk("我们能申请法律援助吗"))
    assert "进城务工人员" in reply and "第四十二条" in reply and "您的经济状况" not in reply, reply


def test_traditional_characters_and_typed_words(talk):
    reply = reply_text(talk("我能不能申請法律援助"))
    assert "您要办理的是哪一类事情" in reply
    reply = reply_text(talk("工資被拖欠了"))
    assert "已记录：追讨劳动报酬" in reply and "您的经济状况最接近哪一种" in reply
    reply = reply_text(talk("我是農民工"))
    assert HEADLINES["zh"]["likely_eligible"] in reply
    assert "第三十一条" in reply and "第四十二条" in reply


def test_unrelated_question_is_answered_then_the_check_resumes(talk):
    assert "What is your matter about?" in reply_text(talk("check my eligibility"))
    reply = talk("how do I get a document notarized?")
    text = reply_text(reply)
    assert "notar" in text.lower()
    assert "Back to your legal-aid check: What is your matter about?" in text
    assert payload("elig_matter", "wages") in reply_payloads(reply)
    reply = reply_text(talk(payload("elig_matter", "other")))
    assert "Does any of these apply to you?" in reply


def test_an_answer_it_does_not_understand_gets_the_question_again(talk):
    talk("帮我查一下能不能申请法律援助")
    reply = talk("香蕉")
    text = reply_text(reply)
    assert "没有理解您的回答" in text and "您要办理的是哪一类事情" in text
    assert payload("elig_matter", "wages") in reply_payloads(reply)


# Leaving phrases (assistant/contract.py) beside the words alone.
LEAVING_PHRASES = ["stop", "never mind", "forget it", "cancel the check", "不查了", "算了", "那我先不查了", "oh never mind",
                   "先不弄了 我先去问问医院"]


@pytest.mark.parametrize("word", sorted(LEAVING_WORDS) + LEAVING_PHRASES + ["/stop_check", "I don't want to continue"])
def test_each_leaving_word_ends_the_check(talk, word):
    zh = is_mostly_chinese(word)
    talk(START["zh" if zh else "en"])
    reply = reply_text(talk(word))
    assert ("已退出法律援助自查" if zh else "I've stopped the legal-aid check") in reply
    # The check is over: the next question is answered as usual, not as an answer.
    reply = reply_text(talk("什么是法律援助？" if zh else "what is legal aid?"))
    assert "没有理解您的回答" not in reply and "didn't understand that answer" not in reply
    assert ("来源" if zh else "Source:") in reply


def test_follow_up_after_the_outcome(talk):
    talk("check my eligibility")
    talk(payload("elig_matter", "wages"))
    talk(payload("elig_special", "none"))
    reply = talk(payload("elig_means", "migrant"))
    assert "/faq_legal_aid_documents" in reply_payloads(reply)
    text = reply_text(talk("what documents do I need?"))
    assert "statement of your financial situation" in text and "Last reviewed" in text


def test_general_eligibility_answer_offers_the_check(talk):
    reply = talk("what are the conditions for legal aid")
    assert "/check_eligibility" in reply_payloads(reply)


# --- the loader refuses a broken table ------------------------------------------------------

RULE = """
- key: {key}
  position: {position}
  conditions: {conditions}
  outcome: not_covered
  articles: [31]
  reason: A reason.
  reason_zh: 一个理由。
  source: legal-aid-law-2021
  last_reviewed: 2026-12-03
"""


def _problems(data_dir) -> list[str]:
    from knowledge.loader import DataFileError, load_data_dir

    with pytest.raises(DataFileError) as excinfo:
        load_data_dir(data_dir)
    return [f"{Path(problem.file).name}: {problem.entry}: {problem.reason}" for problem in excinfo.value.problems]


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loader_refuses_a_rule_that_can_never_decide(data_copy):
    with open(data_copy / "eligibility_rules.yml", "a", encoding="utf-8") as rules:
        rules.write(RULE.format(key="shadowed", position=200, conditions="{elig_matter: [other], elig_special: [none]}"))
    assert _problems(data_copy) == [
        "eligibility_rules.yml: shadowed: can never decide: earlier rules cover every answer it allows"]


def test_loader_refuses_answers_that_reach_no_rule(data_copy):
    _edit(data_copy / "eligibility_rules.yml", "conditions: {elig_matter: [other], elig_special: [none]}",
          "conditions: {elig_matter: [criminal_victim], elig_special: [none], elig_means: [no_hardship]}")
    problems = _problems(data_copy)
    assert any("no rule decides the answers elig_matter=other, elig_special=none" in p for p in problems), problems


def test_loader_refuses_unknown_options_and_one_language_only(data_copy):
    with open(data_copy / "eligibility_rules.yml", "a", encoding="utf-8") as rules:
        rules.write(RULE.format(key="typo", position=5, conditions="{elig_matter: [wagez]}"))
    _edit(data_copy / "eligibility_options.yml", '  title_zh: "以上都不是"\n', "", )
    problems = _problems(data_copy)
    assert "eligibility_rules.yml: typo: conditions: 'elig_matter' has no option 'wagez'" in problems
    assert any(p.startswith("eligibility_options.yml: elig_defence/none: has English 'title' but no Chinese")
               for p in problems), problems


def test_validation_refuses_a_button_payload_longer_than_telegram_allows(data_copy):
    from knowledge.loader import load_data_dir
    from scripts.check_training_data import buttons_too_long

    _edit(data_copy / "eligibility_options.yml", "value: no_hardship", "value: not_in_financial_hardship_at_all")
    _edit(data_copy / "eligibility_rules.yml", "elig_means: [no_hardship]}", "elig_means: [not_in_financial_hardship_at_all]}")
    _edit(data_copy / "eligibility_rules.yml", "elig_means: [no_hardship]}", "elig_means: [not_in_financial_hardship_at_all]}")
    _edit(data_copy / "eligibility_rules.yml", "    elig_means: [no_hardship]", "    elig_means: [not_in_financial_hardship_at_all]")
    # The knowledge base holds the value as it is; the front ends' limit is checked beside it.
    problems = [str(p) for p in buttons_too_long(load_data_dir(data_copy), "eligibility_options.yml")]
    assert len(problems) == 1 and "longer than 55 bytes" in problems[0], problems


def test_loader_refuses_a_matter_with_nowhere_to_apply(data_copy):
    _edit(data_copy / "eligibility_guidance.yml", "capacity, environment, other]", "capacity, environment]")
    assert _problems(data_copy) == [
        "eligibility_guidance.yml: (file): no entry lists the matter 'other': where would they apply?"]


def test_loader_refuses_folded_chinese_text(data_copy):
    _edit(data_copy / "eligibility_rules.yml", "reason_zh: 遭受虐待、遗弃或者家庭暴力的受害人主张相关权益，",
          "reason_zh: >-\n    遭受虐待、遗弃或者家庭暴力的受害人主张相关权益，\n    ")
    problems = _problems(data_copy)
    assert len(problems) == 1 and "space between Chinese characters" in problems[0], problems


# --- the knowledge base down ------------------------------------------------------------------


async def test_check_with_the_knowledge_base_down_apologises_and_ends(unreachable_knowledge_base, dispatcher):
    from actions.eligibility import ActionEligibilityOutcome, ValidateEligibilityForm
    from testkit.trackers import make_tracker, run, texts

    domain = {"forms": {"eligibility_form": {"required_slots": ["elig_matter", "elig_means"]}}}
    tracker = make_tracker(intent="check_eligibility", text="我能申请法律援助吗", slots={"language": "zh"})
    events = await run(ValidateEligibilityForm(), dispatcher, tracker, domain)
    assert "数据库暂时无法使用" in texts(dispatcher) and "12348" in texts(dispatcher)
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert {"event": "slot", "timestamp": None, "name": "last_answer",
            "value": LastAnswer("knowledge_unavailable").to_slot()} in events
    dispatcher.messages.clear()
    events = await run(ActionEligibilityOutcome(), dispatcher, tracker, domain)
    assert "12348" in texts(dispatcher)
    assert {"event": "slot", "timestamp": None, "name": "elig_matter", "value": None} in events
