"""A person in danger gets emergency help first (issue #20): the detector's patterns, the
emergency-help action, and the whole path through the real Rasa server, inside the
pre-check and during a clarification too."""
from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.crisis import ActionCrisisHelp
from assistant.crisis import detect_crisis
from assistant.language import is_mostly_chinese
from assistant.last_answer import LastAnswer
from testkit.support import reply_text
from testkit.trackers import make_tracker, run, texts

# The issue's own messages, and variants as people type them (no punctuation, typos,
# Traditional characters), with the situation each must be recognised as.
CRISES = [
    ("我男朋友现在拿着刀在门外说要杀了我", "danger_now"),
    ("救命 有人在打我妈", "danger_now"),
    ("活着太累了 我想结束这一切", "self_harm"),
    ("我爸喝多了又在打我 我才13岁", "child_harm"),
    ("there is a man with a knife outside my door right now", "danger_now"),
    ("I cant take it anymore, I want to kill myself", "self_harm"),
    ("他說要殺了我全家", "danger_now"),
    ("我不想活了", "self_harm"),
    ("老公又打我了 我躲在厕所里", "domestic_violence"),
    ("my husband beats me every night", "domestic_violence"),
    ("im thinking about suicide", "self_harm"),
    ("i just want it all to end", "self_harm"),
    ("he is hurting my daughter", "child_harm"),
    ("ＳＯＳ", "danger_now"),
    ("help me!!!", "danger_now"),
    ("help me please", "danger_now"),
    ("im so scared", "danger_now"),
    ("帮帮我", "danger_now"),
    # Told without the usual words (issue #20, the third blind set).
    ("my uncle keeps coming into my room at night and says nobody will believe me. im 12", "child_harm"),
    ("催债的发微信说知道我女儿在哪个幼儿园 不然后果自负", "danger_now"),
    ("last year i lent him 30k, today him and his brothers pulled me inside and wont let me leave, texting from the bathroom",
     "danger_now"),
]
# Ordinary legal questions that mention police, violence or death: no false alarm.
ORDINARY = [
    "can the police help me get my wages back",
    "反家暴法哪年实施的",
    "持刀伤人一般判几年",
    "小时候被家暴 现在成年了还能起诉吗",
    "my ex used to hit me years ago does that help my custody case",
    "my son was beaten by classmates last week can we claim from the school",
    "交通事故死亡赔偿金怎么算",
    "我弟弟因为打架被拘留了 能请律师吗",
    "how many legal aid cases involved domestic violence",
    "my client was charged with assault, can he get a duty lawyer",
    "这是我的救命钱 被骗了怎么办",
    "help me apply for legal aid",
    "help me please with my divorce papers",
    "i am scared of losing my job if i sue",
    "help",
    "my son and daughter in law kicked me out of the flat I bought for them",
    "催收天天打我通讯录里的电话 能举报吗",
    "小区对面工地每天晚上十点以后还在打桩 吵得根本睡不着",
    "neighbour built an extension on the roof and now rain leaks into my flat",
    "contract has 30% penalty if I terminate. I want to end it because the supplier is always late",
    "my son 14 got hit by a truck while cycling to school",
    "我老公被关在看守所 能见他吗",
    "之前在网上威胁要杀我的人已经被抓了 我能要求赔偿吗",
    "打游戏被队友坑到想砍人哈哈哈 就是吐槽一下",
    "自杀的人留下的债 家属要替他还吗",
    "楼上装修天天电钻 吵得我想死",
    "催收天天打我爸妈和同事的电话 这样合法吗",
]


def crisis_answer(*situations: str, routed: str | None = None) -> dict:
    """The `last_answer` of emergency help for the situations (and a problem's routes)."""
    return LastAnswer("crisis", intents=(routed,) if routed else (), situations=situations).to_slot()


@pytest.mark.parametrize(("text", "situation"), CRISES)
def test_detector_recognises_a_crisis_and_its_situation(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_detector_stays_quiet_on_ordinary_questions(text):
    assert detect_crisis(text) == ()


def test_detector_reads_the_end_of_a_long_story():
    story = "我在工地干了三年，老板一直拖欠工资。" * 40 + "现在他带人拿着刀堵在我家门口"
    assert "danger_now" in detect_crisis(story)


async def test_crisis_help_puts_numbers_first_then_the_legal_route(knowledge_base, dispatcher):
    tracker = make_tracker(intent="crisis", text="他又打我了", entities=[
        {"entity": "crisis", "value": "domestic_violence"}, {"entity": "crisis", "value": "danger_now"},
    ], slots={"language": "zh"})
    events = await run(ActionCrisisHelp(), dispatcher, tracker)
    first = dispatcher.messages[0]["text"]
    assert first.index("110") < first.index("12338")
    text = texts(dispatcher)
    assert "保护令" in text and "第三十二条" in text and "12348" in text and is_mostly_chinese(text)
    assert ActiveLoop(None) in events
    assert SlotSet("last_answer", crisis_answer("danger_now", "domestic_violence")) in events


async def test_crisis_help_adds_the_routes_of_the_problem_told(knowledge_base, dispatcher):
    tracker = make_tracker(intent="problem_unpaid_wages", text="boss threatens to kill me over my wages",
                           entities=[{"entity": "crisis", "value": "danger_now"}])
    events = await run(ActionCrisisHelp(), dispatcher, tracker)
    assert "110" in dispatcher.messages[0]["text"]
    assert "arbitration" in texts(dispatcher).lower()
    assert SlotSet("last_answer", crisis_answer("danger_now", routed="problem_unpaid_wages")) in events


async def test_a_crisis_only_the_classifier_saw_gets_the_help_of_the_problem_it_ranks(knowledge_base, dispatcher):
    ranking = [{"name": "crisis", "confidence": 0.7}, {"name": "problem_domestic_violence", "confidence": 0.12}]
    tracker = make_tracker(intent="crisis", text="he came home drunk again, i locked myself in the bathroom",
                           confidence=0.7, ranking=ranking)
    events = await run(ActionCrisisHelp(), dispatcher, tracker)
    assert "12338" in texts(dispatcher) and "110" in dispatcher.messages[0]["text"]
    assert SlotSet("last_answer", crisis_answer("danger_now", "domestic_violence")) in events
    # Nothing ranked: danger and despair, as before.
    dispatcher.messages.clear()
    events = await run(ActionCrisisHelp(), dispatcher, make_tracker(intent="crisis", text="i cant go on"))
    assert SlotSet("last_answer", crisis_answer("danger_now", "self_harm")) in events


async def test_a_crisis_only_the_classifier_saw_in_a_story_also_gets_the_routes_of_the_problem_ranked(
        knowledge_base, dispatcher):
    ranking = [{"name": "crisis", "confidence": 0.55}, {"name": "problem_foreign_related", "confidence": 0.13}]
    tracker = make_tracker(intent="crisis", confidence=0.55, ranking=ranking,
                           text="im a teacher from abroad, the school ended my contract and is holding my passport")
    events = await run(ActionCrisisHelp(), dispatcher, tracker)
    assert "110" in dispatcher.messages[0]["text"]
    assert SlotSet("last_answer", crisis_answer("danger_now", "self_harm", routed="problem_foreign_related")) in events
    # A problem ranked too low is not taken for the story's.
    dispatcher.messages.clear()
    ranking = [{"name": "crisis", "confidence": 0.9}, {"name": "problem_housing", "confidence": 0.02}]
    events = await run(ActionCrisisHelp(), dispatcher, make_tracker(
        intent="crisis", confidence=0.9, ranking=ranking, text="whats the point of anything anymore"))
    assert SlotSet("last_answer", crisis_answer("danger_now", "self_harm")) in events


async def test_crisis_help_without_the_knowledge_base_still_gives_the_numbers(
    unreachable_knowledge_base, dispatcher
):
    tracker = make_tracker(intent="crisis", text="i want to die")
    events = await run(ActionCrisisHelp(), dispatcher, tracker)
    assert dispatcher.messages[0]["response"] == "utter_crisis_fallback"
    assert SlotSet("last_answer", crisis_answer("danger_now", "self_harm")) in events


@pytest.mark.parametrize(("text", "number", "language"), [
    ("我男朋友现在拿着刀在门外说要杀了我", "110", "zh"),
    ("活着太累了 我想结束这一切", "12356", "zh"),
    ("救命 有人在打我妈", "110", "zh"),
    ("我爸喝多了又在打我 我才13岁", "110", "zh"),
    ("there is a man with a knife outside my door right now", "110", "en"),
    ("I cant take it anymore, I want to kill myself", "12356", "en"),
])
def test_crisis_gets_emergency_help_first_through_rasa(talk, text, number, language):
    reply = talk(text)
    assert number in reply[0]["text"], reply_text(reply)
    assert is_mostly_chinese(reply_text(reply)) == (language == "zh")
    assert "%" not in reply_text(reply)  # never a figure


# The crisis messages (first six of CRISES), each sent while the pre-check waits for
# an answer, in the language of the message.
IN_THE_CHECK = [
    ("我能申请法律援助吗" if any("\u4e00" <= c <= "\u9fff" for c in text) else "check my eligibility",
     text, "12356" if situation == "self_harm" else "110")
    for text, situation in CRISES[:6]
] + [("我能申请法律援助吗", "活着没意思 不想活了", "12356"),
     ("check my eligibility", "he has a knife and says he will kill me", "110")]


@pytest.mark.parametrize(("start", "crisis", "number"), IN_THE_CHECK)
def test_crisis_inside_the_pre_check_ends_it_and_gets_help_first(talk, start, crisis, number):
    talk(start)
    reply = talk(crisis)
    assert number in reply[0]["text"], reply_text(reply)
    text = reply_text(reply)
    assert "您要办理的是哪一类事情" not in text and "What is your matter about?" not in text
    # The check is over: an answer to its question is now read as an ordinary message.
    assert "已记录" not in reply_text(talk("2")) and "Noted" not in text


@pytest.mark.parametrize(("start", "story", "outcome", "cost", "free"), [
    ("帮我看看能不能申请法律援助", "他喝了酒就对我动手 已经好几年了 我想跟他离婚", "您申请法律援助不受经济困难条件的限制", "那要钱吗",
     "不收取任何费用"),
    ("can you check if i qualify for legal aid", "my husband has been hitting me for years, i want out of this marriage",
     "Result: you can get legal aid without a financial-hardship test", "does it cost money", "free of charge"),
])
def test_violence_at_home_told_in_the_check_gets_help_first_then_the_checks_outcome(talk, start, story, outcome,
                                                                                   cost, free):
    """Session 13: the person asked about legal aid; the help for violence at home comes first,
    then the outcome it settles (Art. 32), and a question about legal aid after it is about legal aid."""
    talk(start)
    text = reply_text(talk(story))
    assert "110" in text and outcome in text, text
    assert text.index("110") < text.index(outcome) and ("Art. 32" in text or "第三十二条" in text)
    assert free in reply_text(talk(cost))


def test_after_help_for_violence_at_home_the_check_reads_the_story_told(talk):
    """Session 13: "so can i get legal aid?" after the help: the story answered the matter and the
    special situation, so the outcome comes at once, not "What is your matter about?"."""
    talk("my wife hits me whenever she drinks and last week she broke my glasses, i want a divorce")
    text = reply_text(talk("so can i get legal aid for that?"))
    assert "Result: you can get legal aid without a financial-hardship test" in text, text
    assert "What is your matter about?" not in text


def test_crisis_during_a_clarification_gets_help_first(talk):
    talk("kkkk legal")  # an unclear message: "Did you mean...?" or a request to rephrase
    reply = talk("i want to end my life")
    assert "12356" in reply[0]["text"], reply_text(reply)


def test_words_of_a_crisis_long_past_are_ruled_out_not_ignored():
    from assistant.crisis import assess_crisis

    assessment = assess_crisis("我小时候后妈经常打我 现在她病了要我出钱 我要管吗")
    assert assessment.situations == () and assessment.ruled_out
    assert not assess_crisis("公证处几点上班").ruled_out


@pytest.mark.parametrize("text", [
    "我小时候后妈经常打我 现在她病了要我出钱 我要管吗",
    "can the police help me get my wages back",
    "反家暴法哪年实施的",
])
def test_ordinary_messages_get_no_emergency_help_through_rasa(rasa_url, rasa_api_secret, text):
    from scripts.evaluate import RasaClient

    client = RasaClient(rasa_url, rasa_api_secret)
    sender = f"ordinary-{abs(hash(text))}"
    client.send(sender, text)
    answer = LastAnswer.from_slot(client.slot_set_in_last_turn(sender, "last_answer"))
    assert answer is None or answer.kind != "crisis"


def test_a_short_message_needs_a_surer_classifier_to_count_as_a_crisis():
    from assistant.contract import CRISIS_MIN_CONFIDENCE
    from rasa_addons.crisis_classifier import _with_crisis_probability, crisis_threshold

    ranking = [{"name": "faq_legal_aid_apply", "confidence": 0.6}, {"name": "crisis", "confidence": 0.4}]
    assert crisis_threshold("我想申请") == crisis_threshold("hes deaf") == 0.7
    assert crisis_threshold("he was drunk again tonight and i locked myself in the bathroom") == CRISIS_MIN_CONFIDENCE
    kept = _with_crisis_probability(ranking, 0.56, crisis_threshold("我想申请"))
    assert [c["name"] for c in kept] == ["faq_legal_aid_apply"] and abs(kept[0]["confidence"] - 1.0) < 1e-9
    assert _with_crisis_probability(ranking, 0.56)[0] == {"name": "crisis", "confidence": 0.56}


@pytest.mark.parametrize(("text", "situation"), [
    ("救救我", "danger_now"), ("有人闯进我家了", "danger_now"), ("someone just broke in downstairs", "danger_now"),
    ("three men waiting outside my door with metal bars", "danger_now"), ("永别了", "self_harm"),
    ("我在楼顶站了半个多小时了", "self_harm"), ("他喝醉了把娃往地上摔", "child_harm"),
    ("离婚要准备什么 他现在每天晚上都打我", "domestic_violence"),
    # Session 14: a small child shown hurt after a weekend away.
    ("my 5 year old came back from her dads with a busted lip and wont say why", "child_harm"),
])
def test_detector_recognises_short_and_indirect_crises_found_in_session_9(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "今天加班加到想死 老板还扣我全勤奖 合法吗", "我儿子昨天被派出所带走了 说是打架",
    "i volunteer at a suicide prevention line, can we refer callers to legal aid",
    "前几年村里有人喝农药自杀 他家里人想告卖农药的店", "新闻说有人在医院门口持刀伤人 被告能有律师吗",
])
def test_detector_stays_quiet_on_ordinary_messages_found_in_session_9(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


# Written in my own words after the fourth blind set showed the kinds (session 10).
@pytest.mark.parametrize(("text", "situation"), [
    ("活着真的没意思", "self_harm"), ("我要是不在了 家里还能拿到保险赔偿 他们就轻松了", "self_harm"),
    ("does it hurt to jump from the 15th floor", "self_harm"), ("i cant take this anymore", "self_harm"),
])
def test_detector_recognises_indirect_self_harm_found_in_session_10(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "我是社工 有被家暴的妇女来求助 该转介到哪里", "同学前年自杀了 他欠的网贷家里要还吗",
    "what is the penalty for carrying a knife on the subway", "lol my mom said shell kill me if i fail. how do i notarize a diploma",
    "this job is going to kill me, can i quit without notice",
])
def test_detector_stays_quiet_on_ordinary_messages_found_in_session_10(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


# Session 11: violence against a relative told as ongoing is domestic violence (not the
# classifier's default of danger and despair); the same told as past stays quiet.
@pytest.mark.parametrize(("text", "found"), [
    ("does legal aid help women like my sister? her husband keeps hitting her", True),
    ("my stepdad has been abusing my mom since i was little and she finally wants a divorce", True),
    ("my father used to beat my mother when i was a kid", False),
])
def test_detector_reads_ongoing_violence_against_a_relative_found_in_session_11(text, found):
    assert ("domestic_violence" in detect_crisis(text)) is found


# Written in my own words after the fifth blind set showed the kinds (session 11).
@pytest.mark.parametrize(("text", "situation"), [
    ("被裁了 老婆也走了 天天都在想着怎么从这个世界消失", "self_harm"),
    ("if i died would my kids still get the insurance money even if it was suicide", "self_harm"),
    ("i have been stockpiling my meds for a few weeks now", "self_harm"),
    ("picked my daughter up from her dads and she has a black eye she wont explain", "child_harm"),
    ("my debts keep piling up and my family would be better off if i wasnt around anymore", "self_harm"),
])
def test_detector_recognises_crises_found_in_session_11(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "打死我也不相信法律援助一分钱不收", "我在写一部小说 男主角被老婆家暴 现实里男的能申请保护令吗",
])
def test_detector_stays_quiet_on_ordinary_messages_found_in_session_11(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


# Written in my own words after the session-12 development set showed the kinds.
@pytest.mark.parametrize(("text", "situation"), [
    ("厂里拖了我半年工资 房东天天催 我这会儿已经站在天台上了", "self_harm"),
    ("官司要是输了我也不活了 办法我都想好了", "self_harm"),
    ("wo zhen de bu xiang huo le", "self_harm"),
    ("left a goodbye letter for my parents on the table, one more thing, who inherits my flat", "self_harm"),
    ("ive been planning how id do it for a week", "self_harm"),
    ("thanks for everything, you wont hear from me again after tonight", "self_harm"),
    ("俺爹喝多了又打俺 俺娘不敢管", "domestic_violence"),
    ("他把我身份证收了 不让我出门 已经三天了", "domestic_violence"),
    ("拆迁队开着挖掘机来了 我奶奶人还在里面", "danger_now"),
    ("the demolition guys are knocking down the wall and my dad is still inside", "danger_now"),
    ("about 10 of them with iron pipes, theyre starting to beat the workers", "danger_now"),
    ("he says he will bury me alive and his guys are waiting outside my shop", "danger_now"),
    ("舅舅让我脱衣服 还说这是我们俩的秘密", "child_harm"),
    ("后妈不给我饭吃 晚上让我睡楼道", "child_harm"),
])
def test_detector_recognises_crises_found_in_session_12(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "新闻里说有个男的把老婆家暴致死 这种会判几年",
    "我们村有个人前年喝农药死了 他家的宅基地现在归谁",
    "我是社工 服务对象说过想自杀 我需要上报吗",
    "方案再改不完领导要杀了我😂 加班费能要吗",
    "what does the law say about self defence if someone pulls a knife on you",
    "can anyone call 12356 or is it only for people with suicidal thoughts",
    "my kid got hit by another boy last semester, his parents wont pay the dental bills",
    "以前婆婆不让我回娘家 手机也被她收过 现在已经搬出来住了 这算家暴吗",
])
def test_detector_stays_quiet_on_ordinary_messages_found_in_session_12(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


# Written in my own words after the sixth blind set, scored once, showed the kinds (session 12).
@pytest.mark.parametrize(("text", "situation"), [
    ("我常想要是我走了 家里人反倒轻松了", "self_harm"),
    ("the landlord kicked us out and i honestly dont see the point in living anymore", "self_harm"),
    ("my cousin posted a goodbye on weibo last night and her phone is off", "self_harm"),
    ("工头欠了我们一年的钱 我今晚就提着刀去找他拼命", "danger_now"),
    ("a message came: we know your son's school, pay up or he gets hurt", "danger_now"),
    ("two men have broken into our flat and i can hear them in the kitchen", "danger_now"),
    ("my aunt lives with my cousin and he beats her, she just called me crying from the bathroom", "domestic_violence"),
    ("幼儿园老师把孩子打得脸都肿了 还说是他自己撞的", "child_harm"),
])
def test_detector_recognises_crises_found_in_the_sixth_blind_set(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "上个月家里进了小偷 someone broke into our house and took the tv, police wont file it",
    "孩子骑车被电动车撞了 对方跑了 能报警吗",
])
def test_detector_stays_quiet_on_ordinary_messages_like_the_sixth_blind_set(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


@pytest.mark.parametrize(("text", "situation"), [
    # Session 13: a child named by age, and a bus driver who hurts one (not a traffic accident).
    ("my 7 yr old says the school bus driver keeps touching her", "child_harm"),
    ("我外孙6岁 从他爸那接回来身上全是伤", "child_harm"),
])
def test_detector_recognises_a_child_named_by_age(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "my son was hit by a bus on the way to school, who pays the hospital",
    "我女儿十岁那年被老师打过 现在想起诉学校要赔偿",
    "my brother takes money from our 78 year old mom and she is upset",
])
def test_detector_stays_quiet_on_accidents_past_harm_and_older_people_named_by_age(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


@pytest.mark.parametrize(("text", "situation"), [
    # Session 13, kinds the seventh blind set found (written here in other words).
    ("仓库里有个同事被货架砸了 脸上全是血 叫不醒 主管说别报警", "danger_now"),
    ("初二了 没人管我 手腕上划了十几道 这次划得很深", "self_harm"),
    ("小区门口有个小女孩 五六岁 一身伤 一直在哭 找不到大人", "child_harm"),
    ("sitting on the railway tracks near my village, the last train is at 11", "self_harm"),
    ("just want to not wake up tomorrow, thats all", "self_harm"),
    ("got the hose and tape ready in the garage", "self_harm"),
    ("heard gunshots next door a minute ago and now nobody answers", "danger_now"),
    ("the bulldozer is already at the wall and my mum is still inside the house", "danger_now"),
    ("the guy who cheated me, im heading over there tonight with a bat", "danger_now"),
    ("a lorry flipped, the driver is trapped in his truck and its smoking", "danger_now"),
])
def test_detector_recognises_crises_found_in_the_seventh_blind_set(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "做伤情鉴定要去哪家鉴定机构 费用多少",
    "the hotpot place made us all sick, felt like we were gonna die haha, everyone is fine now, refund?",
    "my manager threatens to kill my reference if i complain, is that legal",
    "the restaurant's exhaust pipe blows smoke into my window every night",
    # A cold review's cases: accidents at work, adults named by age, machines, pollution, notices.
    "我在厂里干活手上划了几道口子 老板不给报销医药费",
    "我今年35岁，被老板打得身上都是伤 能告他吗",
    "电脑没反应了 客服也不管",
    "black smoke coming from the chemical plant next to our village, can we sue them for pollution",
    "we got a demolition notice but my mom still lives in the house, what compensation can we get",
    "my 8 year old fell off his bike and has bruises, can i sue the park",
])
def test_detector_stays_quiet_on_ordinary_messages_like_the_seventh_blind_set(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}


def test_hurt_while_stopping_a_crime_is_not_violence_at_home():
    assert "domestic_violence" not in detect_crisis("我上前制止小偷被他打伤了 他不赔医药费 能申请法律援助吗")


@pytest.mark.parametrize("text", [
    "i thought i was going to die when he choked me last night. i want to kill myself",
    "he said he will kill my business and then kill me",
    "我爸又打我妈了 我去拉架 他把我也打了",
    "我想咨询伤情鉴定去哪里做，老公昨晚又打我了",
])
def test_a_rule_against_a_false_alarm_does_not_hide_a_crisis_told_with_it(text):
    assert set(detect_crisis(text)) - {"ruled_out"}


# Session 14, in my own words after the eighth blind set showed the kinds: someone trapped or a
# limb still caught, a threat by the writer, no point anymore, a drug's lethal dose, a cut wrist
# posted, a child pressed for naked pictures, beaten every day.
@pytest.mark.parametrize(("text", "situation"), [
    ("we are stuck in the lift and smoke is getting in", "danger_now"),
    ("his hand is still stuck in the roller, theres blood everywhere", "danger_now"),
    ("我腿被压在车底下了 出不来", "danger_now"),
    ("明天我就带着家伙去找他 让他也尝尝什么叫痛", "danger_now"),
    ("if they fire me ill go over there and hurt him", "danger_now"),
    ("theres no point anymore, i lost everything this year", "self_harm"),
    ("how many sleeping pills is too much", "self_harm"),
    ("她在群里发了割腕的照片 现在联系不上", "self_harm"),
    ("他让我拍不穿衣服的照片 不然就发给我同学", "child_harm"),
    ("结婚以后我天天挨打 他还把我身份证收了", "domestic_violence"),
    # A cold review's: crises the session's first rules hid or missed.
    ("每次看到窗户就想跳楼", "self_harm"), ("my husband hit me before i left for work this morning", "domestic_violence"),
    ("我老公说杀人罪他也不怕，今晚就要弄死我", "danger_now"), ("there's no point anymore", "self_harm"),
    ("I'll go there and kill him", "danger_now"), ("i took 30 pills", "self_harm"), ("我现在很危险", "danger_now"),
])
def test_detector_recognises_crises_found_in_session_14(text, situation):
    assert situation in detect_crisis(text)


@pytest.mark.parametrize("text", [
    "this application is going to kill me, what papers do i need for notarization",
    "我在写小说 女主最后跳楼了 这种情节会涉及什么法律问题",
    "看到新闻说有人跳楼讨薪 这种会被拘留吗",
    "he hit me back in 2019 before we divorced, can i still claim damages",
    "i was beaten by police officers during an arrest, who do i complain to",
    "放火这种案子一般有没有法律援助律师",
    # A cold review's: ordinary questions the session's first patterns caught.
    "我被困在这段婚姻里出不来，想离婚", "I got stuck in the elevator yesterday, can I claim compensation",
    "tired of living paycheck to paycheck, can my landlord raise the rent", "干活时手臂被划破了 能申请工伤吗",
    "带着家伙去讨薪算不算违法", "我要起诉他，让他尝尝什么叫法律的制裁",
])
def test_detector_stays_quiet_on_ordinary_messages_found_in_session_14(text):
    assert not set(detect_crisis(text)) - {"ruled_out"}
