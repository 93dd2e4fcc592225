"""Every sentence Rasa's side says, in English and in Chinese, written once (issue #22): Rasa's
fixed replies (REPLIES) and the texts the actions build around knowledge-base content
(ACTION_TEXTS), one store read through CATALOGUE. A table of sentences, read whole: it is
longer than a module of code should be, and splitting it would make two stores again.

A key named ``utter_*`` is a response (Rasa's rule for a response's name): at training,
rasa_addons/replies_importer.py (config.yml ``importers:``) turns each into the domain's
``responses`` with a Chinese variation on the ``language`` slot, so the trained model renders
them itself, also when the action server is down (utter_service_unavailable,
utter_crisis_fallback). The other keys are what those responses and other processes share:
the help buttons' titles, the handoff button's title (also the actions' referral button) and
the card said when nothing else can be reached (the actions when the knowledge base is down,
the Telegram bot when Rasa is).

Readers: Rasa's training (through the importer), the actions (actions/texts.py `say` reads
CATALOGUE) and the bot (bot/texts.py borrows two sentences). So nothing here imports Rasa, rasa_sdk
or python-telegram-bot; and since the model is built from this file, it is a training input
(scripts/model_store.py). Chinese is written as a Chinese public-service text would say it,
not as a translation of the English.
"""
from __future__ import annotations

from typing import Any

from assistant.contract import (
    CHECK_ELIGIBILITY_INTENT,
    DEFAULT_LANGUAGE,
    HUMAN_HANDOFF_INTENT,
    LANGUAGE_SLOT,
    LANGUAGES,
    UNKNOWN_STATISTIC_INTENT,
)

WEBSITE = "https://www.12348.gov.cn"
RESPONSE_PREFIX = "utter_"

REPLIES: dict[str, dict[str, str]] = {
    "en": {
        "utter_greet_first_contact": (
            "Hello! I answer questions about China's public legal services: legal aid, the 12348 hotline, "
            "mediation, notarization, arbitration and the official figures about them. I give general legal "
            "information, not legal advice. For a person, call 12348."
        ),
        "utter_greet": "Hello again! What would you like to know about public legal services?",
        "utter_goodbye": (
            "Goodbye, and good luck. If you need a person, the 12348 public legal service hotline can help."
        ),
        "utter_you_are_welcome": (
            "You're welcome. Anything else about legal aid, mediation or other public legal services?"
        ),
        "utter_iamabot": (
            "I'm an automated assistant, not a person or a lawyer, and not an official service of the "
            "Ministry of Justice: my answers and figures come from laws and official publications, each "
            "named with its date. I give general legal information, not legal advice. To talk to a person, "
            "call the 12348 public legal service hotline or visit www.12348.gov.cn."
        ),
        "utter_help": (
            "I can explain China's public legal services and quote official figures, each with its date and "
            "source. Try one of these, or type your own question:"
        ),
        # The titles of utter_help's buttons (RESPONSE_BUTTONS below); the last one is the
        # actions' "talk to a person" button too.
        "help_button:check_eligibility": "Can I get legal aid? (check)",
        "help_button:faq_legal_aid_apply": "How do I apply for legal aid?",
        "help_button:faq_hotline_12348": "What is the 12348 hotline?",
        "help_button:stat_lawyers": "How many lawyers are there?",
        "help_button:faq_peoples_mediation": "Is people's mediation free?",
        f"intent_title:{HUMAN_HANDOFF_INTENT}": "Talk to a person",
        "utter_out_of_scope": (
            "Sorry, I can only help with China's public legal services (legal aid, the 12348 hotline, "
            "mediation, notarization, arbitration, judicial appraisal, lawyers) and official figures about "
            "them. For anything else about the law, the 12348 public legal service hotline can point you to "
            "the right place. Type \"help\" to see what I can answer."
        ),
        "utter_empty_message": (
            "I didn't catch any text. Please type your question, for example: \"How do I apply for legal aid?\""
        ),
        "utter_service_unavailable": (
            "Sorry, I can't reach my legal information service right now, so I can't answer that. Please try "
            "again in a few minutes. If it's urgent, call the 12348 public legal service hotline or visit "
            "www.12348.gov.cn."
        ),
        "utter_language_switched": "OK, I'll answer in English. 如需中文服务，请输入“说中文”。",
        "utter_meta_legal_advice": (
            "What I give is general legal information, not legal advice: it cannot replace a lawyer's view of "
            "your case, it is not evidence, and it is not an official reply from any authority. For your own "
            "case, ask a lawyer or your local legal aid centre, or call 12348."
        ),
        "utter_meta_guarantee": (
            "I can't promise any outcome. Whether you win, get compensation or get legal aid depends on the "
            "facts and evidence of your case and on what the court, the arbitration body or the legal aid "
            "centre decides. To have your case assessed, call 12348 for free legal advice or ask your local "
            "legal aid centre."
        ),
        "utter_meta_figure_source": (
            "Every figure and answer I give names its source and date: official statements such as State "
            "Council Information Office press conferences and Ministry of Justice releases, and statutes such "
            "as the Legal Aid Law. Where a figure comes from a secondary report, I say so. The source is at "
            "the end of each answer."
        ),
        "utter_meta_up_to_date": (
            "Each answer shows when it was last reviewed, and each figure the date it refers to. Laws and "
            "local rules change, and provinces set their own standards, so check anything important with 12348 "
            "or your local legal aid centre before you act on it."
        ),
        "utter_meta_instruction": (
            "I only give information that is true and sourced, so I won't say that. For example, legal aid is "
            "free of charge (Legal Aid Law Art. 2), and I can't promise anyone a result. Ask me about legal "
            "aid, 12348, mediation or the official figures."
        ),
        "utter_crisis_fallback": (
            "If you or someone else is in danger, call 110 (police) now; if someone is hurt, call 120. If you "
            "are thinking of ending your life, call 12356, the psychological assistance hotline (hours differ "
            "by area; if it does not answer, call 110 or 120). For domestic violence, the 12338 women's rights "
            "hotline can help, and a court can issue a personal safety protection order. For legal questions, "
            "call 12348."
        ),
        "utter_default": (
            "Sorry, I'm not sure how to answer that. I can help with legal aid, the 12348 hotline, mediation, "
            "notarization, arbitration and related figures; type \"help\" for examples, or call 12348 to talk "
            "to a person."
        ),
        # The way to a person when neither the knowledge base (whose services make the full
        # card, action_referral_card) nor Rasa can be reached: said by the actions and the bot.
        "hotline_card": (
            "To talk to a person:\n\n"
            "☎ 12348 – the public legal service hotline. Consultation is free; hours vary by "
            "province and normal call charges may apply.\n"
            f"🌐 {WEBSITE} – China Legal Service Network (online consultation and service finder).\n"
            "💬 WeChat: search for the 掌上12348 (12348 in your pocket) public account of your province.\n"
            "🏛 Legal aid: the legal-aid centre of your county or city judicial bureau (司法局) takes "
            "applications in person.\n\n"
            "This is general legal information, not legal advice."
        ),
    },
    "zh": {
        "utter_greet_first_contact": (
            "您好！我可以解答中国公共法律服务方面的问题，包括法律援助、12348热线、调解、公证、仲裁等，"
            "并提供相关官方数据。我提供的是一般性法律信息，不是法律意见。如需人工服务，请拨打12348。"
        ),
        "utter_greet": "您好！想了解哪方面的公共法律服务？",
        "utter_goodbye": "再见，祝您一切顺利。如需人工帮助，可拨打12348公共法律服务热线。",
        "utter_you_are_welcome": "不客气。关于法律援助、调解或其他公共法律服务，还有什么想了解的吗？",
        "utter_iamabot": (
            "我是自动问答助手，不是工作人员，也不是律师，也不是司法部的官方服务；回答和数据来自法律法规和官方发布，"
            "均注明来源和日期。我提供的是一般性法律信息，不是法律意见。如需人工服务，"
            "请拨打12348公共法律服务热线，或访问中国法律服务网 www.12348.gov.cn。"
        ),
        "utter_help": (
            "我可以介绍中国的公共法律服务，并提供官方数据（注明日期和来源）。可以点击下面的问题，"
            "也可以直接输入您的问题："
        ),
        "help_button:check_eligibility": "我能申请法律援助吗？（自查）",
        "help_button:faq_legal_aid_apply": "怎么申请法律援助？",
        "help_button:faq_hotline_12348": "12348热线是什么？",
        "help_button:stat_lawyers": "全国有多少律师？",
        "help_button:faq_peoples_mediation": "人民调解收费吗？",
        f"intent_title:{HUMAN_HANDOFF_INTENT}": "转人工服务",
        "utter_out_of_scope": (
            "抱歉，我只能解答中国公共法律服务（法律援助、12348热线、调解、公证、仲裁、司法鉴定、律师服务）"
            "及相关官方数据方面的问题。其他法律问题，可拨打12348公共法律服务热线咨询。"
            "输入“帮助”可查看我能回答的问题。"
        ),
        "utter_empty_message": "没有收到文字内容。请输入您的问题，例如：“怎么申请法律援助？”",
        "utter_service_unavailable": (
            "抱歉，法律信息服务暂时无法连接，暂时不能回答这个问题，请几分钟后再试。如有急事，"
            "请拨打12348公共法律服务热线或访问 www.12348.gov.cn。"
        ),
        "utter_language_switched": "好的，我将用中文回答您的问题。如需英文服务，请发送“English please”。",
        "utter_meta_legal_advice": (
            "我提供的是一般性法律信息，不是法律意见：不能代替律师对您具体案件的意见，不能作为证据，"
            "也不是任何机关的官方答复。您自己的案件，请咨询律师、当地法律援助中心，或拨打12348。"
        ),
        "utter_meta_guarantee": (
            "我无法对任何结果作出保证。能否胜诉、获得赔偿或获得法律援助，取决于案件事实和证据，以及法院、"
            "仲裁机构或法律援助机构的决定。如需评估您的案件，可拨打12348免费咨询律师，"
            "或到当地法律援助中心咨询。"
        ),
        "utter_meta_figure_source": (
            "我提供的每个数据和回答都注明来源和日期，来源包括国务院新闻办公室新闻发布会、"
            "司法部等官方发布的信息，以及《法律援助法》等法律法规；来自二手报道的数据会特别说明。"
            "来源写在每个回答的末尾。"
        ),
        "utter_meta_up_to_date": (
            "每个回答都标注了最后审核日期，每个数据都标注了统计时间。法律和地方规定会变化，各省标准也不相同，"
            "办理重要事项前，请通过12348或当地法律援助中心核实。"
        ),
        "utter_meta_instruction": (
            "我只提供真实、有来源的信息，不会按要求说不实的内容。例如，"
            "法律援助不收取任何费用（《法律援助法》第二条），我也不能对任何结果作出保证。您可以问我法律援助、"
            "12348、调解或相关官方数据。"
        ),
        "utter_crisis_fallback": (
            "如果您或他人正面临危险，请立即拨打110报警；有人受伤请拨打120。如有轻生念头，"
            "请拨打12356心理援助热线（各地接听时间不同，接不通请拨打110或120）。遭受家庭暴力，"
            "可拨打12338妇女维权热线，或向法院申请人身安全保护令。法律问题可拨打12348。"
        ),
        "utter_default": (
            "抱歉，我不太确定怎么回答。我可以解答法律援助、12348热线、调解、公证、仲裁及相关数据方面的问题；"
            "输入“帮助”查看示例，或拨打12348咨询人工服务。"
        ),
        "hotline_card": (
            "人工服务：\n\n"
            "☎ 12348公共法律服务热线：咨询免费；服务时间各省（区、市）不同，可能收取正常通话费。\n"
            f"🌐 {WEBSITE} 中国法律服务网：在线咨询，查找法律服务机构。\n"
            "💬 微信：搜索本省的“掌上12348”公众号。\n"
            "🏛 法律援助：向所在县（市、区）司法局的法律援助中心当面申请。\n\n"
            "以上为一般性法律信息，不构成法律意见。"
        ),
    },
}

# What the actions build around knowledge-base content (figures, answers, routes, the pre-check),
# said through actions/texts.py `say`, which reads CATALOGUE below.
ACTION_TEXTS: dict[str, dict[str, str]] = {
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
        "figure_source_found": "Where that figure comes from:",
        "figure_source_unknown": (
            "I don't hold a figure of {value}, so I can't say where it comes from or vouch for it."
        ),
        "figure_note": "Note: {note}",
        "earlier": "Earlier: {figures}.",
        "no_figure_for_year": "I don't have a figure on {title} for {years}.",
        "no_figure_for_name": "I don't have figures on {title} for “{name}”. The figures I have:",
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
        "check_special_implied": (
            "A matter like this is usually none of the special cases (violence at home, an act of bravery, a "
            "retrial, a martyr's family), so I've noted \"none of these\"; if one applies, just tell me."
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
        "figure_source_found": "这个数据的出处：",
        "figure_source_unknown": "我这里没有{value}这个数据，无法说明其出处，也无法核实。",
        "figure_note": "说明：{note}",
        "earlier": "此前：{figures}。",
        "no_figure_for_year": "暂无{years}年的{title}。",
        "no_figure_for_name": "暂无“{name}”的{title}。现有数据如下：",
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
        "check_special_implied": (
            "这类事项一般不属于家庭暴力、见义勇为、再审改判无罪、英烈亲属等特殊情形，按“以上都不是”记录；"
            "如属于其中一种，请直接告诉我。"
        ),
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

# Every Rasa-side sentence under one key: Rasa's fixed replies and the actions' texts.
# tests/test_contracts.py keeps the two tables' keys apart, so neither hides the other.
CATALOGUE: dict[str, dict[str, str]] = {
    language: {**REPLIES[language], **ACTION_TEXTS[language]} for language in ACTION_TEXTS
}


# The buttons under a response: (intent the button sends, key of its title above).
RESPONSE_BUTTONS: dict[str, tuple[tuple[str, str], ...]] = {
    "utter_help": (
        (CHECK_ELIGIBILITY_INTENT, f"help_button:{CHECK_ELIGIBILITY_INTENT}"),
        ("faq_legal_aid_apply", "help_button:faq_legal_aid_apply"),
        ("faq_hotline_12348", "help_button:faq_hotline_12348"),
        ("stat_lawyers", "help_button:stat_lawyers"),
        ("faq_peoples_mediation", "help_button:faq_peoples_mediation"),
        (HUMAN_HANDOFF_INTENT, f"intent_title:{HUMAN_HANDOFF_INTENT}"),
    ),
}


def response_names() -> list[str]:
    """The names of Rasa's responses, in the order they are written."""
    return [key for key in REPLIES[DEFAULT_LANGUAGE] if key.startswith(RESPONSE_PREFIX)]


def domain_responses() -> dict[str, list[dict[str, Any]]]:
    """The domain's ``responses`` section: per response, one variation for each other language
    (chosen by the ``language`` slot), then the default language's, used otherwise."""
    others = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
    responses = {}
    for name in response_names():
        variations = [{"condition": [{"type": "slot", "name": LANGUAGE_SLOT, "value": language}],
                       **_variation(name, language)} for language in others]
        responses[name] = [*variations, _variation(name, DEFAULT_LANGUAGE)]
    return responses


def _variation(name: str, language: str) -> dict[str, Any]:
    variation: dict[str, Any] = {"text": REPLIES[language][name]}
    if name in RESPONSE_BUTTONS:
        variation["buttons"] = [{"title": REPLIES[language][title], "payload": f"/{intent}"}
                                for intent, title in RESPONSE_BUTTONS[name]]
    return variation
