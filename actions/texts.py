"""Every sentence the actions say, in English and in Chinese, in one place.

The texts here are those the actions build around knowledge-base content. Rasa's fixed replies
are in assistant/replies.py (Rasa's training reads them there, without this package), and the
actions say the few keys they share from there (`say` reads both). Chinese is written as a
Chinese public-service text would say it, not as a translation of the English.
"""
from __future__ import annotations


from assistant.contract import HUMAN_HANDOFF_INTENT, UNKNOWN_STATISTIC_INTENT, language_or_default
from assistant.replies import REPLIES

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "not_legal_advice": (
            "This is general legal information, not legal advice. For your own case, "
            "ask your local legal aid centre or call 12348."
        ),
        "knowledge_unavailable": (
            "Sorry, my legal information database isn't available right now. Please try "
            "again in a few minutes. For help today, call the 12348 public legal service "
            "hotline or visit www.12348.gov.cn."
        ),
        "no_answer_yet": (
            "Sorry, I don't have an answer on that yet. The 12348 public legal "
            "service hotline can help you directly."
        ),
        "answer_source": "Source: {source}. Last reviewed {reviewed}.",
        "figure_source": "Source: {source}.",
        "figure_note": "Note: {note}",
        "earlier": "Earlier: {figures}.",
        "no_figure_for_year": "I don't have a figure on {title} for {years}.",
        "figures_available": " I do have figures for: {years}. The latest:",
        "no_figure_since": (
            "I don't have a cumulative figure on {title} counted since {year}. The latest figures I have:"
        ),
        "no_figure_at": "I don't have a figure on {title} for {date}. The nearest I have:",
        "series_intro": "{title} over the years (each figure with its own period and source):",
        "national_figures_only": (
            "I only have national figures, not figures for {place}: the provincial justice department "
            "or 12348 can tell you local ones. The national figures:"
        ),
        "years_joiner": " or ",
        "list_joiner": ", ",
        "confirm_statistic_topic": (
            "I'm not sure I understood. Did you mean the official figures on {title}?"
        ),
        "which_figures": "Which figures do you mean? I have official figures on these topics:",
        "figures_not_held": (
            "I don't hold official figures on that. These are the figures I can "
            "give, each with its date and source:"
        ),
        "did_you_mean": "Did you mean one of these?",
        "not_understood": (
            "Sorry, I'm not sure I understood. I can help with China's public legal services "
            "(legal aid, the 12348 hotline, mediation, notarization, arbitration, judicial "
            "appraisal, lawyers) and official figures about them. Could you rephrase? "
            "To talk to a person, call the 12348 public legal service hotline."
        ),
        "referral_heading": "To talk to a person:",
        "intent_title:help": "What can you answer?",
        "intent_title:bot_challenge": "Are you a bot?",
        f"intent_title:{UNKNOWN_STATISTIC_INTENT}": "Which figures do you have?",
        "date_unknown": "date unknown",
        # A statistics topic without a title in the knowledge base.
        "untitled_figures": "this topic",
        # Charts of a statistic's figures (actions/charts.py).
        "chart_x_label": "Year",
        "chart_y_label": "Number of {unit}",
        "chart_y_label_percent": "Per cent",
        "chart_caption": "Figures {periods}. Sources: {sources}.",
        "chart_joiner": "; ",
        # The legal-aid pre-check (actions/eligibility.py).
        "check_intro": (
            "Let's check whether you may get legal aid: at most three questions. "
            "Say \"stop\" at any time to leave."
        ),
        "check_resume": "Back to your legal-aid check:",
        "check_noted": "Noted: {answers}. (If I got that wrong, just correct me, e.g. \"not wages, a work injury\".)",
        "check_assumed_none": (
            "I've taken it that none of those situations applies to you; if one does, just say which."
        ),
        "check_not_understood": (
            "Sorry, I didn't understand that answer. Please choose one of the options (or type "
            "its number), or say \"stop\" to leave the check."
        ),
        "check_stop_button": "Stop the check",
        "check_stopped": (
            "OK, I've stopped the legal-aid check. Ask me anything else, or say \"check my "
            "eligibility\" to start again. To talk to a person, call 12348."
        ),
        "check_not_running": (
            "There's no check running. Ask me anything, or say \"check my eligibility\" to see "
            "whether you may get legal aid."
        ),
        "check_result": "Result: {outcome}",
        "check_based_on": "Based on your answers: {answers}.",
        "check_rule": "{reason} ({articles})",
        "check_where": "Where to apply: {where}",
        "check_bring": "What to bring: {bring}",
        "check_centre_decides": (
            "Only the legal aid centre decides whether you get legal aid. This is general legal "
            "information, not legal advice."
        ),
        "check_again_button": "Check again",
        "check_documents_button": "What documents do I need?",
        "check_offer_button": "Check my situation",
        "outcome:lawyer_appointed": "a lawyer must be appointed for you, free of charge.",
        "outcome:no_means_test": "you can get legal aid without a financial-hardship test.",
        "outcome:likely_eligible": "you are likely eligible, and your finances need not be checked.",
        "outcome:depends_on_standard": "it depends on your province's financial-hardship standard.",
        "outcome:not_covered": (
            "probably not covered by national legal aid rules, but your province may cover it."
        ),
        "articles_one": "{law}, Art. {articles}",
        "articles_many": "{law}, Arts. {articles}",
        "articles_last_joiner": " and ",
        "answers_joiner": "; ",
        # A personal problem (actions/problems.py) and a crisis (actions/crisis.py).
        "problem_intro": (
            "Your question seems to be about {title}. I can't advise on your own case, but these "
            "are the free and public routes, in the order people usually take them:"
        ),
        "problem_time_limit": "Time limit: {time_limit}",
        "problem_legal_aid": "Legal aid: {note}",
        "problem_check_offer": "The legal-aid pre-check can tell you more about your own situation.",
        "problem_evidence": "Evidence: {evidence}",
        "problem_human": (
            "Free legal advice from a person: call 12348, or put your question to a lawyer "
            "online at https://www.12348.gov.cn."
        ),
        "problem_not_advice": "This is general legal information, not advice on your case.",
        "problem_unknown": (
            "Sorry, I don't have the routes for this kind of problem yet. The 12348 public legal "
            "service hotline, or a lawyer online at https://www.12348.gov.cn, can tell you where "
            "to turn. This is general legal information, not legal advice."
        ),
        "problem_routes_button": "Where to turn",
        "problem_button": "My problem: {title}",
        "crisis_when_safe": "When you are safe:",
        "crisis_your_problem": "About your legal problem ({title}):",
        "crisis_legal_help": "Free legal help: call 12348, or go to your local legal aid centre.",
    },
    "zh": {
        "not_legal_advice": (
            "以上为一般性法律信息，不构成法律意见。具体情况请咨询当地法律援助中心或拨打12348。"
        ),
        "knowledge_unavailable": (
            "抱歉，法律信息数据库暂时无法使用，请几分钟后再试。如需帮助，"
            "请拨打12348公共法律服务热线或访问 www.12348.gov.cn。"
        ),
        "no_answer_yet": "抱歉，这个问题暂时没有答案。可直接拨打12348公共法律服务热线咨询。",
        "answer_source": "来源：{source}。最后审核：{reviewed}。",
        "figure_source": "来源：{source}。",
        "figure_note": "说明：{note}",
        "earlier": "此前：{figures}。",
        "no_figure_for_year": "暂无{years}年的{title}。",
        "figures_available": "现有数据年份：{years}。最新数据如下：",
        "no_figure_since": "暂无{year}年以来{title}的累计数据。现有最新数据如下：",
        "no_figure_at": "暂无{date}的{title}。时间最接近的数据如下：",
        "series_intro": "{title}历年数据（各注明统计期间和来源）：",
        "national_figures_only": (
            "暂无{place}的数据，这里只有全国数据；地方数据可咨询当地司法行政部门或拨打12348。全国数据如下："
        ),
        "years_joiner": "、",
        "list_joiner": "、",
        "confirm_statistic_topic": "不太确定您的意思。您是想查询{title}吗？",
        "which_figures": "您想查询哪方面的数据？现有以下官方数据：",
        "figures_not_held": "暂无这方面的官方数据。可以查询以下数据（均注明日期和来源）：",
        "did_you_mean": "您是想问以下哪个问题？",
        "not_understood": (
            "抱歉，没有理解您的问题。我可以解答中国公共法律服务（法律援助、12348热线、调解、"
            "公证、仲裁、司法鉴定、律师服务）及相关官方数据方面的问题，请换个说法再问。"
            "如需人工服务，请拨打12348公共法律服务热线。"
        ),
        "referral_heading": "人工服务渠道：",
        "intent_title:help": "你能回答什么？",
        "intent_title:bot_challenge": "你是机器人吗？",
        f"intent_title:{UNKNOWN_STATISTIC_INTENT}": "有哪些数据？",
        "date_unknown": "日期不详",
        "untitled_figures": "该项数据",
        "chart_x_label": "年份",
        "chart_y_label": "单位：{unit}",
        "chart_y_label_percent": "百分比（%）",
        "chart_caption": "数据时间：{periods}。来源：{sources}。",
        "chart_joiner": "；",
        "check_intro": "下面帮您初步判断能否申请法律援助，最多3个问题。随时输入“不查了”可以退出。",
        "check_resume": "继续刚才的法律援助自查：",
        "check_noted": "已记录：{answers}。（如有误，可以直接更正，例如“不是欠薪，是工伤”。）",
        "check_assumed_none": "您没有提到上述情形，按“以上都不是”记录；如属于其中一种，请直接告诉我。",
        "check_not_understood": (
            "抱歉，没有理解您的回答。请选择下面的一项（也可以输入序号），或输入“不查了”退出自查。"
        ),
        "check_stop_button": "不查了",
        "check_stopped": (
            "好的，已退出法律援助自查。您可以继续提问，或输入“查一下我能不能申请法律援助”重新开始。"
            "如需人工服务，请拨打12348。"
        ),
        "check_not_running": (
            "当前没有进行中的自查。您可以直接提问，或输入“查一下我能不能申请法律援助”开始自查。"
        ),
        "check_result": "自查结果：{outcome}",
        "check_based_on": "依据您的回答：{answers}。",
        "check_rule": "{reason}（{articles}）",
        "check_where": "向哪里申请：{where}",
        "check_bring": "需要准备：{bring}",
        "check_centre_decides": "是否给予法律援助，由法律援助机构审查决定。以上为一般性法律信息，不构成法律意见。",
        "check_again_button": "重新自查",
        "check_documents_button": "申请要带哪些材料？",
        "check_offer_button": "自查能否申请",
        "outcome:lawyer_appointed": "依法应当为您指派律师，免费提供辩护。",
        "outcome:no_means_test": "您申请法律援助不受经济困难条件的限制。",
        "outcome:likely_eligible": "您很可能符合条件，且免予核查经济困难状况。",
        "outcome:depends_on_standard": "能否获得法律援助，取决于当地的经济困难标准。",
        "outcome:not_covered": "按国家法律规定可能不在法律援助范围内，但当地可能有扩大范围的规定。",
        "articles_one": "《{law}》{articles}",
        "articles_many": "《{law}》{articles}",
        "articles_last_joiner": "、",
        "answers_joiner": "；",
        "problem_intro": (
            "您反映的情况属于{title}方面的问题。我不能对您的具体案件提供意见，"
            "以下是可以使用的免费和公共渠道（按通常的先后顺序）："
        ),
        "problem_time_limit": "时效期限：{time_limit}",
        "problem_legal_aid": "法律援助：{note}",
        "problem_check_offer": "如需了解您本人能否申请法律援助，可以进行法律援助自查。",
        "problem_evidence": "请注意保留证据：{evidence}",
        "problem_human": (
            "人工免费咨询：拨打12348公共法律服务热线，"
            "或登录中国法律服务网（https://www.12348.gov.cn）在线咨询律师。"
        ),
        "problem_not_advice": "以上为一般性法律信息，不构成对您案件的法律意见。",
        "problem_unknown": (
            "抱歉，暂时没有这类问题的维权途径信息。可以拨打12348公共法律服务热线，"
            "或登录中国法律服务网（https://www.12348.gov.cn）在线咨询律师。以上为一般性法律信息，不构成法律意见。"
        ),
        "problem_routes_button": "维权途径",
        "problem_button": "我的问题：{title}",
        "crisis_when_safe": "安全以后：",
        "crisis_your_problem": "关于您的法律问题（{title}）：",
        "crisis_legal_help": "免费法律帮助：拨打12348，或到当地法律援助中心申请。",
    },
}


# What the actions can say: their own texts and the shared ones of assistant/replies.py (the
# handoff button's title, the card for when the knowledge base is down); tests/test_contracts.py
# keeps the two sets of keys apart, so neither hides the other.
CATALOGUE: dict[str, dict[str, str]] = {
    language: {**REPLIES[language], **TEXTS[language]} for language in TEXTS
}


def say(language: object, key: str, **values: object) -> str:
    """Return the text ``key`` in the language (English for an unknown one), filled in."""
    template = CATALOGUE[language_or_default(language)][key]
    return template.format(**values) if values else template


def referral_button(language: object) -> dict[str, str]:
    """The "talk to a person" button, in the language (the help reply's last button too)."""
    return {"title": say(language, f"intent_title:{HUMAN_HANDOFF_INTENT}"), "payload": f"/{HUMAN_HANDOFF_INTENT}"}
