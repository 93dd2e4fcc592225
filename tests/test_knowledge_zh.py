"""The knowledge base in Chinese: every text the user sees has a Chinese version,
figures read the Chinese way, and Chinese questions find the right indicator.

Database fixtures (a fresh SQLite and PostgreSQL database per test) are in conftest.py.
"""
import re

import pytest

from actions.formatting import format_number, format_statistic
from assistant.language import is_mostly_chinese
from knowledge import repository

# (topic, Chinese question, indicator it must match): written with the Chinese keywords.
CHINESE_QUESTIONS = [
    ('criminal_defence', '刑事案件律师辩护率是多少', 'criminal_defence_rate'),
    ('criminal_defence', '有多少个县开展了刑事辩护全覆盖试点', 'defence_pilot_counties'),
    ('criminal_defence', '试点县占全国县级行政区的比例是多少', 'defence_pilot_county_share'),
    ('criminal_defence', '百分之多少的县开展了试点', 'defence_pilot_county_share'),
    ('criminal_defence', '审判阶段律师辩护率', 'trial_defence_help_rate'),
    ('criminal_defence', '审判阶段刑事案件律师辩护率', 'trial_defence_help_rate'),
    ('criminal_defence', '有值班律师帮助的刑事案件比例', 'trial_defence_help_rate'),
    ('criminal_defence', '试点是哪一年开始的', 'defence_pilot_start_year'),
    ('criminal_defence', '刑辩全覆盖覆盖率多少', 'defence_pilot_county_share'),
    ('criminal_defence', '多少刑事案件有律师辩护', 'criminal_defence_rate'),
    ('criminal_defence', '试点县的比例', 'defence_pilot_county_share'),
    ('criminal_defence', '试点地区有多少', 'defence_pilot_counties'),
    ('criminal_defence', '什么时候开始试点的', 'defence_pilot_start_year'),
    ('criminal_defence', '百分之多少的刑事案件有律师', 'criminal_defence_rate'),
    ('service_entities', '全国有多少个公共法律服务中心', 'public_legal_service_entities'),
    ('service_entities', '公共法律服务实体平台有多少个', 'physical_service_platforms'),
    ('service_entities', '五级公共法律服务实体平台有多少', 'public_legal_service_entities'),
    ('service_entities', '各类法律服务机构有多少家', 'legal_service_institutions'),
    ('service_entities', '线下平台有多少', 'physical_service_platforms'),
    ('legal_service_network', '中国法律服务网访问量多少', 'network_visits'),
    ('legal_service_network', '中国法律服务网有多少注册用户', 'network_registered_users'),
    ('legal_service_network', '中国法律服务网解答了多少法律咨询', 'network_consultations'),
    ('legal_service_network', '网上办理了多少法律事务', 'network_online_services'),
    ('legal_service_network', '用户满意度是多少', 'network_satisfaction'),
    ('legal_service_network', '中国法律服务网是什么时候上线的', 'network_launch_year'),
    ('legal_service_network', '上线以来访问量', 'network_visits'),
    ('legal_service_network', '上线以来咨询了多少人次', 'network_consultations'),
    ('legal_service_network', '用户评价怎么样', 'network_satisfaction'),
    ('legal_service_network', '有多少人使用中国法律服务网', 'network_registered_users'),
    ('hotline_calls', '12348热线一年接听多少电话', 'hotline_calls'),
    ('hotline_calls', '12348热线有多少坐席', 'hotline_seats'),
    ('hotline_calls', '话务员接听多少电话', 'hotline_calls'),
    ('hotline_calls', '12348有多少接线员', 'hotline_seats'),
    ('hotline_calls', '热线电话有多少工作人员', 'hotline_seats'),
    ('legal_aid', '法律援助办理了多少案件', 'legal_aid_cases'),
    ('legal_aid', '法律援助提供了多少法律咨询', 'legal_aid_consultations'),
    ('legal_aid', '多少人获得了法律援助', 'legal_aid_recipients'),
    ('legal_aid', '律师办理了多少法律援助案件', 'legal_aid_cases_by_lawyers'),
    ('legal_aid', '农民工法律援助案件有多少', 'legal_aid_migrant_workers'),
    ('legal_aid', '帮助了多少农民工讨薪', 'legal_aid_migrant_workers'),
    ('legal_aid', '有多少人咨询过法律援助', 'legal_aid_consultations'),
    ('legal_aid', '受援人数是多少', 'legal_aid_recipients'),
    ('arbitration', '全国有多少仲裁委员会', 'arbitration_commissions'),
    ('arbitration', '仲裁委员会受理了多少案件', 'arbitration_cases'),
    ('arbitration', '仲裁委员会有多少仲裁员', 'arbitrators'),
    ('arbitration', '仲裁机构有多少家', 'arbitration_commissions'),
    ('arbitration', '仲裁案件有多少', 'arbitration_cases'),
    ('notarization', '每年办理多少公证', 'notarizations_per_year'),
    ('notarization', '公证处每年办理多少件公证', 'notarizations_per_year'),
    ('notarization', '公证机构有多少公证员', 'notaries'),
    ('notarization', '公证处有多少家', 'notary_offices'),
    ('notarization', '全国有多少公证员', 'notaries'),
    ('judicial_appraisal', '司法鉴定机构有多少家', 'judicial_appraisal_institutions'),
    ('judicial_appraisal', '司法鉴定机构有多少鉴定人', 'judicial_appraisers'),
    ('judicial_appraisal', '每年司法鉴定多少件', 'judicial_appraisals_per_year'),
    ('judicial_appraisal', '司法鉴定人每年办理多少鉴定', 'judicial_appraisals_per_year'),
    ('lawyers', '全国有多少律师', 'lawyers'),
    ('lawyers', '律师事务所有多少家', 'law_firms'),
    ('lawyers', '有多少个律所', 'law_firms'),
    ('lawyers', '律所有多少律师', 'lawyers'),
    ('lawyers', '律师每年办理多少业务', 'lawyer_matters_per_year'),
    ('lawyers', '律师办理多少案件', 'lawyer_matters_per_year'),
    ('lawyers', '多少单位聘请律师担任法律顾问', 'lawyer_counsel_organisations'),
    ('lawyers', '执业律师人数', 'lawyers'),
    ('lawyer_work', '律师办理的诉讼案件有多少', 'lawyer_litigation_cases'),
    ('lawyer_work', '律师办理非诉讼案件多少', 'lawyer_non_litigation_matters'),
    ('lawyer_work', '律师提供了多少公益法律服务', 'lawyer_public_welfare_services'),
    ('lawyer_work', '律师打了多少官司', 'lawyer_litigation_cases'),
    ('village_advisers', '多少个村有法律顾问', 'villages_with_legal_advisers'),
    ('village_advisers', '法律顾问每月到村几次', 'village_adviser_monthly_duty'),
    ('village_advisers', '社区法律顾问每月服务多少小时', 'village_adviser_monthly_duty'),
    ('village_advisers', '村里的法律顾问多久来一次', 'village_adviser_monthly_duty'),
    ('village_advisers', '一村一法律顾问每月服务多少小时', 'village_adviser_monthly_duty'),
    ('lawyer_mediation', '律师调解工作室调解了多少案件', 'lawyer_mediation_cases'),
    ('lawyer_mediation', '有多少个律师调解工作室', 'lawyer_mediation_studios'),
    ('lawyer_mediation', '有多少律师调解工作室', 'lawyer_mediation_studios'),
    ('lawyer_mediation', '律师调解中心有多少调解员', 'lawyer_mediators'),
    ('lawyer_mediation', '律师调解从哪年开始', 'lawyer_mediation_start_year'),
    ('lawyer_mediation', '律师调解员有多少', 'lawyer_mediators'),
    ('lawyer_mediation', '律师调解了多少纠纷', 'lawyer_mediation_cases'),
    ('tibet_lawyers', '派了多少律师去西藏', 'tibet_lawyers_sent'),
]

# The answers that give contact details only (no legal procedure), as in English.
CONTACT_ONLY_TOPICS = {"hotline_12348", "hotline_hours", "legal_service_network", "wechat_channel"}


def _answers(kb_data, language):
    return {a["topic_key"]: a for a in kb_data.answers if a["language"] == language}


def test_every_faq_answer_has_a_chinese_row_with_the_same_source_date_and_flag(kb_data):
    english, chinese = _answers(kb_data, "en"), _answers(kb_data, "zh")
    assert set(chinese) == set(english)
    for topic, answer in chinese.items():
        for field in ("source_key", "last_reviewed", "legal_process"):
            assert answer[field] == english[topic][field], (topic, field)


def test_chinese_answers_are_plain_chinese_text_with_a_way_to_a_person(kb_data):
    for topic, answer in _answers(kb_data, "zh").items():
        text = answer["text"]
        assert 120 <= len(text) <= 450, (topic, len(text))
        assert is_mostly_chinese(text), topic
        assert not re.search(r"\*\*|__|^#|\]\(|`", text, flags=re.MULTILINE), topic
        assert "12348" in text or "法律援助中心" in text, topic
        assert "24/7" not in text, topic


def test_chinese_answers_keep_the_hedges(kb_data):
    texts = {topic: a["text"] for topic, a in _answers(kb_data, "zh").items()}
    assert "通话费" in texts["hotline_12348"]
    assert re.search(r"各省|各地", texts["hotline_hours"])
    assert re.search(r"各省|各地", texts["legal_aid_eligibility"])
    assert "第三十四条" in texts["legal_aid_eligibility"] or "34" in texts["legal_aid_eligibility"]


@pytest.mark.parametrize("kind", ["faq", "stat"])
def test_every_topic_has_a_short_chinese_title(session, kind):
    for topic in repository.list_topics(session=session, kind=kind, language="zh"):
        assert is_mostly_chinese(topic.title) and len(topic.title) <= 16, topic


def test_chinese_views_use_the_chinese_columns(session):
    answer = repository.get_answer(session=session, topic="legal_aid_apply", language="zh")
    assert answer.source_title == "中华人民共和国法律援助法"
    assert is_mostly_chinese(answer.title)
    lawyers = repository.get_indicator_history(session=session, indicator="lawyers", language="zh")
    assert lawyers[-1].period_label == "截至2021年9月" and lawyers[-1].language == "zh"
    assert is_mostly_chinese(lawyers[0].label) and lawyers[0].unit == "名"
    hotline = repository.get_service(session=session, key="hotline_12348", language="zh")
    assert hotline.name.startswith("12348") and is_mostly_chinese(hotline.offers)
    # English stays the default.
    assert repository.get_topic(session=session, key="lawyers", kind="stat").title == "Lawyers in China (figures)"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(12_890_000, "件", "1289万"), (1_400_000_000, "人次", "14亿"), (540_000, "名", "54万"),
     (66, "%", "66%"), (2300, "个", "2300"), (150_000_000, "人次", "1.5亿"), (2017, "年", "2017")],
)
def test_chinese_numbers(value, unit, expected):
    assert format_number(value, unit, "zh") == expected


def test_a_press_figure_reads_the_chinese_way_with_qualifier_period_and_source(session):
    history = repository.get_indicator_history(session=session, indicator="legal_aid_cases", language="zh")
    seed = next(s for s in history if s.as_of.isoformat() == "2021-09-24")
    line = format_statistic(seed)
    assert "超过1289万件" in line
    assert "来源：国务院新闻办公室" in line and "（2021年9月24日）" in line
    assert is_mostly_chinese(line)


def test_chinese_questions_find_their_indicator(session):
    wrong = []
    for topic, question, expected in CHINESE_QUESTIONS:
        matches = repository.match_indicators(session=session, topic=topic, text=question, language="zh")
        best = matches[0].key if matches else None
        if best != expected:
            wrong.append((question, expected, best))
    assert wrong == []


def test_glosses_added_by_the_nlu_do_not_change_the_chinese_match(session):
    # rasa_addons/text_normaliser.py adds English after Chinese terms it knows.
    glossed = "律师调解 lawyer mediation 员有多少 how many"
    best = repository.match_indicators(session=session, topic="lawyer_mediation", text=glossed, language="zh")
    assert best[0].key == "lawyer_mediators"


def test_mixed_question_falls_back_to_english_keywords(session):
    best = repository.match_indicators(session=session, topic="lawyers", text="law firms 数字", language="zh")
    assert best and best[0].key == "law_firms"
