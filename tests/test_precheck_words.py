"""The legal-aid pre-check in people's own words (issue #21): negation, ages, two answers in
one sentence, a correction in one phrase, a skipped question, and no question asked whose
answer cannot change what the person should do. Through the real Rasa and action servers."""
from __future__ import annotations

import pytest

from assistant.contract import is_leaving_word
from assistant.language import chinese_number, is_mostly_chinese
from assistant.last_answer import answer_of
from knowledge.eligibility import EligibilityTable
from testkit.support import reply_text

SPECIAL_QUESTION = {"en": "Does any of these apply to you?", "zh": "您是否属于以下情形"}
MEANS_QUESTION = {"en": "Which best describes your financial situation?", "zh": "您的经济状况最接近哪一种"}


@pytest.fixture(scope="module")
def table(read_eligibility_table) -> EligibilityTable:
    """The shipped pre-check in Chinese (typed answers are read in either language)."""
    return read_eligibility_table("zh")


@pytest.mark.parametrize(("text", "asked", "expected"), [
    ("我不穷", "elig_means", {"elig_means": "no_hardship"}),
    # Session 15: an amount below the local line with the person's own "not in hardship"; a
    # question whether (穷不穷) chooses nothing; a suspect said healthy and his case small.
    ("退休金一个月三千多 算不上困难", "elig_means", {"elig_means": "no_hardship"}),
    ("家里穷不穷有关系吗", "elig_means", {}),
    ("we earn pretty well and have savings", "elig_means", {"elig_means": "no_hardship"}),
    ("他五十了 身体没毛病 小案子", "elig_defence", {"elig_defence": "none"}),
    ("他是未成年人", "elig_defence", {"elig_defence": "minor"}),
    # A cold review's: denials, hardship said beside "not a 困难户", an emphatic 不是不是.
    ("他成年了 没有精神病 也不会判死刑", "elig_defence", {"elig_defence": "none"}),
    ("没有家暴", "elig_special", {"elig_special": "none"}),
    ("我们家不算困难户，但是确实请不起律师", "elig_means", {"elig_means": "hardship"}),
    ("I used to have savings but I lost my job", "elig_means", {"elig_means": "hardship"}),
    ("不是不是 他都四十了", "elig_defence", {"elig_defence": "none"}),
    ("收入还行吧", "elig_means", {"elig_means": "no_hardship"}),
    ("I earn a little but I am not poor", "elig_means", {"elig_means": "no_hardship"}),
    ("他才15岁", "elig_defence", {"elig_defence": "minor"}),
    ("my son is 16", "elig_defence", {"elig_defence": "minor"}),
    ("he is 45", "elig_defence", {}),
    ("我是农民工 老板欠了我三个月工资", None, {"elig_matter": "wages", "elig_means": "migrant"}),
    ("my employer will not pay for my injury at work", None, {"elig_matter": "injury"}),
    ("没有被家暴", "elig_special", {"elig_special": "none"}),
    # 没 before a verb of violence denies it; the matter the same sentence names still counts.
    ("没有 他倒是没打我 就是不管我", "elig_special", {"elig_matter": "support", "elig_special": "none"}),
    ("they say he could get the death penalty", "elig_defence", {"elig_defence": "death_or_life"}),
    # The fourth blind set: a few hundred yuan a month is low income; "broke my leg" is not;
    # denying the special situation while asked about money answers both.
    ("his pension is tiny, like 300 a month", "elig_means", {"elig_means": "hardship"}),
    ("退休金一个月600", "elig_means", {"elig_means": "hardship"}),
    ("i make 6000 a month", "elig_means", {}),
    ("每个月还300房贷", "elig_means", {}),
    ("unpaid overtime and salary from a restaurant, 2 months", "elig_matter", {"elig_matter": "wages"}),
    ("no wait its a work injury not wages, i broke my leg at the factory", "elig_means",
     {"elig_matter": "injury"}),
    ("nah no abuse, she just ignores him", "elig_means", {"elig_special": "none"}),
    ("没打她 就是不管不问", "elig_means", {"elig_special": "none"}),
    # Having no lawyer is the check's premise, not "none of these"; "他才16" is an age.
    ("no he has no lawyer yet", "elig_defence", {}),
    ("没有律师 他才16", "elig_defence", {"elig_defence": "minor"}),
    ("我被取保候审了 自己请不起律师", None, {"elig_matter": "criminal_suspect", "elig_means": "hardship"}),
    ("i got stabbed stopping a guy robbing an old lady and he wont pay my hospital bills", "elig_matter",
     {"elig_matter": "injury", "elig_special": "bravery"}),
    # "no"/"nothing like" deny what follows; the bare "no" still answers the question asked.
    ("no hes 35, no disability, its some fraud thing, nothing like life in prison", "elig_defence",
     {"elig_defence": "none"}),
    ("my income is fine tbh, i make about 9000 a month", "elig_means", {"elig_means": "no_hardship"}),
    ("i earn minimum wage and raise 2 kids by myself", "elig_means", {"elig_matter": "wages", "elig_means": "hardship"}),
    ("its a work injury not wages. i came from guizhou to work in the city", "elig_means",
     {"elig_matter": "injury", "elig_means": "migrant"}),
    # Session 13: having come from a named place to work is a migrant worker, whatever the place;
    # "不是欠工资" denies the wages; a fall from scaffolding is an injury; hitting at home in English.
    ("we moved from gansu to find work and the factory owes us four months", None,
     {"elig_matter": "wages", "elig_means": "migrant"}),
    ("我们从贵州跑到东莞做工 厂里三个月没发钱", None, {"elig_matter": "wages", "elig_means": "migrant"}),
    ("i came from the office to work on my appeal", None, {}),
    ("不是拖欠工资 是从脚手架上摔下来骨折了", "elig_means", {"elig_matter": "injury"}),
    ("my wife keeps hitting me and the kids", "elig_special", {"elig_special": "violence"}),
    ("i stopped a man snatching a phone and he cut my hand", "elig_special", {"elig_special": "bravery"}),
    # The seventh blind set's kinds, in other words: an age as "not yet 16", where one is from,
    # a rural hukou, hitting told as a correction.
    ("他还没满17", "elig_defence", {"elig_defence": "minor"}),
    ("we are from yunnan, working at a building site in xiamen", None, {"elig_means": "migrant"}),
    ("俺是农村户口 在县城饭店打工", None, {"elig_means": "migrant"}),
    ("oh and my husband keeps hitting me too", "elig_means", {"elig_special": "violence"}),
    # A stranger's blow, an age said as "not yet 18", hours said with 从…到 (a cold review's cases).
    ("the boss hasnt paid me and when i asked he hit me", None, {"elig_matter": "wages"}),
    ("我儿子还没满18 被抓了", None, {"elig_matter": "criminal_suspect", "elig_defence": "minor"}),
    ("从早到晚干活 老板不给加班费", None, {"elig_matter": "wages"}),
    # Session 14: a bare age answers the question about the suspect, not another; a person and a
    # number; an income in Chinese numerals, which the province's line decides up to 5000.
    ("17", "elig_defence", {"elig_defence": "minor"}),
    ("十六", "elig_defence", {"elig_defence": "minor"}),
    ("25", "elig_defence", {}),
    ("17", "elig_means", {}),
    ("他十六", "elig_defence", {"elig_defence": "minor"}),
    ("他十一月被抓的", None, {"elig_matter": "criminal_suspect"}),
    ("一个月两千五", "elig_means", {"elig_means": "hardship"}),
    ("月收入8000", "elig_means", {}),
    ("一个月后我还了2000", "elig_means", {}),
    # A cold review's: no age in 一直 or 5分钟; no income in rent or 1.2万; no age under 12.
    ("他一直在打工，被抓了", None, {"elig_matter": "criminal_suspect"}),
    ("他5分钟前被带走了", None, {"elig_matter": "criminal_suspect"}),
    ("月收入1.2万", "elig_means", {}),
    ("房租一个月2500", "elig_means", {}),
    ("7", "elig_defence", {}),
    # Session 16 (a cold review's): dibao told beside "getting by" is dibao; "cant afford" is hardship.
    ("i get by fine on dibao", "elig_means", {"elig_means": "assistance"}),
    ("够花吗 不够", "elig_means", {}),
    # Session 17 (the eleventh blind set): life imprisonment said plainly, pay never paid, a brother
    # who does not support their mother, a son who shoves his father.
    ("hes 58, no lawyer yet. police said he could get life for it", "elig_defence",
     {"elig_defence": "death_or_life"}),
    ("i worked there all summer and they never paid me", None, {"elig_matter": "wages"}),
    ("想告我弟不养她", None, {"elig_matter": "support"}),
    ("my son yells at me and sometimes shoves me", None, {"elig_special": "violence"}),
    # A cold review's: a loan never paid back, life insurance, a son who turns 18, a son who works.
    ("he borrowed money and never paid me back", None, {"elig_matter": "other"}),
    ("i want to get life insurance for my mom", None, {}),
    ("when my son hits 18 does child support stop", None, {"elig_matter": "support"}),
    ("我儿子打工的工资被老板拖欠了", None, {"elig_matter": "wages", "elig_means": "migrant"}),
    # Session 18 (the twelfth blind set): a situation denied after it is named, violence told as
    # "动手", "没啥钱" and debts, a migrant worker who says where he is from after where he worked.
    ("见义勇为啥的都没有 就是普通车祸", "elig_special", {"elig_matter": "injury", "elig_special": "none"}),
    ("残疾倒不是", "elig_special", {"elig_special": "none"}),
    ("他喝了酒就动手 打过我好几回 我报过警的", "elig_special", {"elig_special": "violence"}),
    ("家暴没有停过", None, {"elig_special": "violence"}),
    ("我们在农村种地的 没啥钱 还欠着外债", "elig_means", {"elig_means": "hardship"}),
    ("i worked at a shoe factory in dongguan for 8 months, im from guizhou", None, {"elig_means": "migrant"}),
    ("i work at a restaurant, im from here", None, {}),
    # A cold review's: what is missing is the matter ("工资也没有"); only a list denied ends with its
    # filler; a neighbour's or a colleague's blows are no violence at home; "from" a department.
    ("干了三个月 工资也没有", "elig_means", {"elig_matter": "wages"}),
    ("离婚了 抚养费也没有", None, {"elig_matter": "support"}),
    ("见义勇为、家暴这些都没有", "elig_special", {"elig_special": "none"}),
    ("同事跟我吵架 对我动手了", "elig_special", {}),
    ("i worked at a factory for 5 years. my boss says im from the wrong department so he wont pay", None, {}),
])
def test_answers_in_own_words(table: EligibilityTable, text, asked, expected):
    assert table.match_answers(text, asked) == expected


@pytest.mark.parametrize(("word", "value"), [
    ("十五", 15), ("二百零五", 205), ("两千五", 2500), ("三百五", 350), ("一万二", 12000), ("两千零五", 2005),
    ("二零二一", 2021), ("十二万", 120000),
])
def test_chinese_numerals_are_read_as_people_say_amounts(word, value):
    assert chinese_number(word) == value


def test_a_denied_answer_is_taken_back(table: EligibilityTable):
    assert table.denied_answers("不是欠薪，是工伤", {"elig_matter": "wages"}) == {"elig_matter"}
    assert table.denied_answers("工伤", {"elig_matter": "wages"}) == set()


def test_a_migrant_worker_claiming_wages_is_not_asked_about_special_situations(table: EligibilityTable):
    step = table.next_step({"elig_matter": "wages", "elig_means": "migrant"})
    assert step.question is None and step.rule.key == "wages_injury_waived"
    # Low income: applying is the next step whatever the special situation, so none is asked.
    assert table.next_step({"elig_matter": "wages", "elig_means": "hardship"}).rule.key == "civil_hardship"
    # Not in hardship: the outcome, which names the Art. 32 situations that would waive the test.
    assert table.next_step({"elig_matter": "wages", "elig_means": "no_hardship"}).rule.key == "civil_no_hardship"


def test_a_victim_of_violence_at_home_is_not_asked_the_matter(table: EligibilityTable):
    # No means test whatever the matter, unless they were the suspect, which a victim is not.
    assert table.next_step({"elig_special": "violence"}).rule.key == "no_means_test"
    assert table.next_step({"elig_special": "violence", "elig_means": "hardship"}).rule.key == "no_means_test"
    # Low income alone decides nothing before the matter is known.
    assert table.next_step({"elig_means": "hardship"}).question == "elig_matter"
    assert table.next_step({"elig_special": "none"}).question == "elig_matter"
    # A suspect's situation read from words says nothing of the matter: a deaf person may claim wages.
    assert table.next_step({"elig_defence": "disability"}).question == "elig_matter"
    assert table.next_step({"elig_defence": "minor"}).question == "elig_matter"


def test_migrant_worker_with_unpaid_wages_gets_the_outcome_at_once(talk):
    assert "您要办理的是哪一类事情" in reply_text(talk("帮我查一下能不能申请法律援助"))
    reply = reply_text(talk("我是农民工 老板欠了我三个月工资"))
    assert "免予核查经济困难状况" in reply and "第四十二条" in reply, reply
    assert SPECIAL_QUESTION["zh"] not in reply


def test_a_correction_in_one_phrase_and_a_skipped_question(talk):
    assert "您要办理的是哪一类事情" in reply_text(talk("帮我查一下能不能申请法律援助"))
    reply = reply_text(talk("工资被拖欠了"))
    assert "已记录：追讨劳动报酬" in reply and MEANS_QUESTION["zh"] in reply
    reply = reply_text(talk("不是欠薪，是工伤"))
    assert "已记录：人身损害赔偿" in reply and MEANS_QUESTION["zh"] in reply, reply
    # Answering the special-situation question instead: recorded, and it decides.
    reply = reply_text(talk("我是见义勇为受的伤"))
    assert "不受经济困难条件的限制" in reply and MEANS_QUESTION["zh"] not in reply, reply
    assert is_mostly_chinese(reply)


def test_a_kind_of_problem_that_can_be_no_special_case_is_not_asked_about_one(talk):
    """Session 18: a loan or a deposit is no Art. 32 case (the route's `check_special`); with the
    means known, the outcome comes at once; violence told in answer to that question decides it."""
    assert "您要办理的是哪一类事情" in reply_text(talk("我失业大半年了 靠低保过日子 这种能申请法律援助吗"))
    reply = reply_text(talk("房东不退押金 三千块"))
    assert "自查结果" in reply and SPECIAL_QUESTION["zh"] not in reply, reply


def test_violence_told_as_the_answer_on_special_situations_decides_the_check(talk):
    assert SPECIAL_QUESTION["zh"] in reply_text(talk("我想離婚 能申請法律援助嗎"))
    reply = reply_text(talk("他喝了酒就动手 打过我好几回 我报过警的"))
    assert "已记录：遭受家庭暴力" in reply and "不受经济困难条件的限制" in reply, reply
    assert SPECIAL_QUESTION["zh"] not in reply and MEANS_QUESTION["zh"] not in reply


def test_answering_a_later_question_assumes_none_for_the_skipped_one(talk):
    assert "您要办理的是哪一类事情" in reply_text(talk("帮我查一下能不能申请法律援助"))
    assert "犯罪嫌疑人、被告人是否属于以下情形" in reply_text(talk("1"))
    reply = reply_text(talk("我们家是低保户"))
    assert "按“以上都不是”记录" in reply and "第四十二条" in reply, reply


def test_english_negation_and_no_question_asked_twice(talk):
    assert "What is your matter about?" in reply_text(talk("check my eligibility"))
    reply = reply_text(talk("my employer will not pay for my injury at work"))
    assert "Noted: Injury compensation" in reply and MEANS_QUESTION["en"] in reply, reply
    reply = reply_text(talk("I earn a little but I am not poor"))
    assert SPECIAL_QUESTION["en"] not in reply and MEANS_QUESTION["en"] not in reply, reply
    assert "probably not covered" in reply and "domestic violence" in reply and not is_mostly_chinese(reply), reply


def test_an_age_under_18_answers_the_defence_question(talk):
    assert "您要办理的是哪一类事情" in reply_text(talk("帮我查一下能不能申请法律援助"))
    reply = reply_text(talk("1"))
    assert "犯罪嫌疑人、被告人是否属于以下情形" in reply
    reply = reply_text(talk("他才15岁"))
    assert "依法应当为您指派律师" in reply, reply
    # The classifier ranks such short person-descriptions as crises; answering the check's
    # question, only the detector's patterns would make one (session 14).
    assert "What is your matter about?" in reply_text(talk("check my eligibility", sender="blind-suspect"))
    reply = reply_text(talk("1", sender="blind-suspect"))
    reply = reply_text(talk("hes blind", sender="blind-suspect"))
    assert "Result:" in reply and "110" not in reply, reply


def test_a_problem_told_with_the_request_is_the_matter_and_no_question_is_asked_twice(talk):
    reply = reply_text(talk("my mom is 80 and my brother wont support her, can she get legal aid"))
    assert "Noted: Support payments" in reply and MEANS_QUESTION["en"] in reply, reply
    reply = reply_text(talk("she only has a tiny rural pension like 200 a month"))
    assert "Noted: Low income" in reply and "Result:" in reply, reply
    assert MEANS_QUESTION["en"] not in reply and SPECIAL_QUESTION["en"] not in reply and not is_mostly_chinese(reply)


def test_a_problem_told_as_the_answer_is_the_matter_not_an_interruption(talk):
    assert "您要办理的是哪一类事情" in reply_text(talk("想查查我够不够法律援助的条件"))
    reply = reply_text(talk("赡养费的事 闺女一分钱不给"))
    assert "已记录：请求给付赡养费" in reply and "我不能对您的具体案件提供意见" not in reply, reply


def test_a_question_inside_the_check_is_answered_and_the_turn_counts_as_its_answer(talk, rasa_url, rasa_api_secret):
    from scripts.evaluate import RasaClient

    sender = "check-question-inside"
    assert "您要办理的是哪一类事情" in reply_text(talk("帮我查一下能不能申请法律援助", sender=sender))
    reply = reply_text(talk("申请要交钱吗", sender=sender))
    assert "不收取任何费用" in reply and "您要办理的是哪一类事情" in reply, reply
    client = RasaClient(rasa_url, rasa_api_secret)
    assert client.slot_set_in_last_turn(sender, "last_answer") == answer_of("faq_legal_aid_cost").to_slot()
    assert client.slot_set_in_last_turn(sender, "requested_slot") == "elig_matter"


def test_a_relative_arrested_gets_the_answer_then_the_check_for_them(talk, rasa_url, rasa_api_secret):
    from scripts.evaluate import RasaClient

    sender = "arrested-brother"
    reply = reply_text(talk("my brother got arrested last night, does he get a free lawyer", sender=sender))
    assert "Art. 24" in reply and "Does any of these apply to the suspect or defendant?" in reply, reply
    assert "Back to your legal-aid check" not in reply, reply
    client = RasaClient(rasa_url, rasa_api_secret)
    assert client.slot_set_in_last_turn(sender, "last_answer") == answer_of("faq_legal_aid_criminal").to_slot()
    assert client.slot_set_in_last_turn(sender, "requested_slot") == "elig_defence"
    reply = reply_text(talk("hes deaf", sender=sender))
    assert "Result:" in reply and "Blind, deaf or mute" in reply, reply
    # Session 17: held in a detention centre is a relative's own case too.
    reply = reply_text(talk("my dad is in the detention centre, can he get legal aid", sender="detained-dad"))
    assert "Art. 24" in reply and "Does any of these apply to the suspect or defendant?" in reply, reply
    # A general question about the rule gets the rule, and no check.
    reply = reply_text(talk("can criminal suspects get legal aid", sender="general-criminal"))
    assert "Art. 24" in reply and "Does any of these apply" not in reply, reply


@pytest.mark.parametrize(("text", "says_none"), [
    ("nah nothing like that", True), ("都不沾边", True), ("none of these really", True),
    ("nope, stop asking me questions", False), ("我是成年人 也能申请法律援助吗", False), ("不用了，都没有用", False),
])
def test_none_of_these_in_words_is_only_that(table: EligibilityTable, text, says_none):
    assert table.says_none_of_these(text) is says_none


@pytest.mark.parametrize(("text", "leaves"), [
    ("先不弄了 我先去找医院问问", True), ("那我先不查了", True), ("好吧那就算了", True), ("ok stop, never mind", True),
    ("never mind, i'll call 12348", True), ("stop", True), ("不查了吧", True), ("算了我不查了", True),
    ("算了 说实话我没什么收入", False), ("我不做了 老板一直拖欠工资", False), ("stop paying me", False),
    ("算了，我先回答你吧", False), ("never mind, i will tell you my income: 2000", False),
    ("never mind the wages, how about the injury", False), ("nah nothing like that", False),
])
def test_a_leaving_phrase_ends_the_check_and_an_answer_does_not(text, leaves):
    assert is_leaving_word(text) is leaves


def test_none_of_these_in_words_is_an_answer_and_a_leaving_phrase_ends_the_check(talk):
    """Session 16: "nah nothing like that" asked about money is no wish to leave; "先不弄了…" is."""
    sender = "none-is-no-stop"
    talk("can i get legal aid? check for me", sender=sender)
    reply = reply_text(talk("my ex husband stopped paying child support", sender=sender))
    assert MEANS_QUESTION["en"] in reply, reply
    reply = reply_text(talk("nah nothing like that", sender=sender))
    assert "stopped the legal-aid check" not in reply and MEANS_QUESTION["en"] in reply, reply
    reply = reply_text(talk("i make about 7k a month, im not poor", sender=sender))
    assert "Result:" in reply and "Not in financial hardship" in reply, reply
    sender = "leaving-phrase"
    talk("帮我查查能不能申请法律援助", sender=sender)
    reply = reply_text(talk("先不查了 我先去问问医院怎么说", sender=sender))
    assert "已退出法律援助自查" in reply, reply


def test_a_means_remark_after_the_outcome_for_violence_at_home_gets_why_not(talk):
    """"but i have a good job, does that matter" after the outcome: who qualifies, not a shrug."""
    sender = "job-after-outcome"
    talk("check if i can get legal aid", sender=sender)
    reply = reply_text(talk("my husband hits me", sender=sender))
    assert "without a financial-hardship test" in reply, reply
    reply = reply_text(talk("but i have a good job, does that matter", sender=sender))
    assert "not sure I understood" not in reply and "Art. 32" in reply, reply


def test_a_time_limit_asked_inside_the_check_gets_the_problems_routes_then_the_check(talk):
    """"起诉有时效吗" while the check asks about special situations: the problem's routes, then back."""
    sender = "time-limit-in-check"
    talk("我爸去年走了 留了套房子没立遗嘱 我哥一直占着不让分", sender=sender)
    reply = reply_text(talk("这种情况能申请法律援助吗", sender=sender))
    assert SPECIAL_QUESTION["zh"] in reply or MEANS_QUESTION["zh"] in reply, reply
    reply = reply_text(talk("起诉有时效吗", sender=sender))
    assert "没有理解您的回答" not in reply and "继续刚才的法律援助自查" in reply, reply


def test_a_story_told_a_few_turns_before_the_check_still_answers_it(talk):
    """"我是河南出来打工的" in the story, two questions about it, then "我这能申请法律援助不": the
    story's answers are kept with its routes, so the outcome (Art. 42) comes at once."""
    sender = "story-answers-later"
    talk("包工头年底跑了 欠我们十几个人四万多工钱 我是河南出来打工的 咋整", sender=sender)
    talk("那我要去哪告他", sender=sender)
    talk("劳动仲裁要交钱吗", sender=sender)
    reply = reply_text(talk("我这能申请法律援助不", sender=sender))
    assert "第四十二条" in reply and MEANS_QUESTION["zh"] not in reply, reply


def test_a_story_answers_no_check_about_another_persons_problem(talk):
    """After violence told of oneself, a friend's unpaid wages asked about: the friend's check,
    with nothing of the earlier story (a cold review's case)."""
    sender = "story-answers-other-problem"
    talk("我老公以前经常打我 现在分居两年了 我想起诉离婚", sender=sender)
    talk("要留什么证据", sender=sender)
    reply = reply_text(talk("我朋友被老板欠了三个月工资 他能申请法律援助吗", sender=sender))
    assert "家庭暴力" not in reply, reply
