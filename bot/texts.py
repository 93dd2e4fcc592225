"""Every text the Telegram front end says itself, in English and in Chinese.

Answers come from Rasa in the conversation's language; these are the bot's own
replies (commands, fallbacks, notes). A chat's language is the language of its last
message with words (assistant.language), or for /start Telegram's language_code.

Two sentences are Rasa's too, so they are written once in assistant/replies.py and borrowed
(SHARED): the apology when the legal information service cannot be reached, and the 12348
card. The bot says them when Rasa itself is down, so it reads them from there, not from Rasa.
"""
from __future__ import annotations


from assistant.contract import DEFAULT_LANGUAGE, language_or_default
from assistant.replies import REPLIES, WEBSITE

# The bot's commands, each described once per language: Telegram's command menu
# (bot/app.py) and the lists in /start, /help and the unknown-command reply are made from it.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "About this bot and privacy", "关于本助手和隐私说明"),
    ("check", "Can I get legal aid? A few questions", "法律援助自查（几个问题）"),
    ("cancel", "Stop the legal-aid check", "退出自查"),
    ("help", "Example questions", "问题示例"),
    ("hotline", "Talk to a person: 12348 and legal aid", "人工服务：12348和法律援助"),
    ("language", "中文 / English", "中文 / English"),
    ("forget", "Delete our conversation", "删除对话记录"),
)


def command_descriptions(language: str) -> list[tuple[str, str]]:
    """(command, description) of every command, in the menu's order."""
    column = 2 if language == "zh" else 1
    return [(command[0], command[column]) for command in COMMANDS]


def command_list(language: str, *names: str) -> str:
    """The named commands as lines "/name – description", in the order given."""
    described = dict(command_descriptions(language))
    return "\n".join(f"/{name} – {described[name]}" for name in names)


COMMANDS_EN = command_list("en", "check", "help", "hotline", "language", "forget")
COMMANDS_ZH = command_list("zh", "check", "help", "hotline", "language", "forget")
HELP_COMMANDS = ("check", "cancel", "hotline", "language", "forget", "start")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "welcome": (
            "Hello! I answer questions about China's public legal services: legal aid, the 12348 "
            "hotline, people's mediation, notarization, arbitration, judicial appraisal, lawyers, "
            "and the official figures about them.\n\n"
            "I give general legal information, not legal advice. For your own case, talk to a "
            "lawyer or a legal-aid centre (see /hotline).\n\n"
            "Privacy: to follow the conversation I store the text of your messages and my answers "
            "under a pseudonymous ID (not your Telegram ID, name or phone number), and delete them "
            "automatically {days} days after your last message. A message waiting for its answer "
            "is kept until it is answered; afterwards only its number is kept, for a day. Please "
            "don't send ID numbers, phone numbers or other people's details (I mask the ones I "
            "recognise). Telegram's servers are outside mainland China. Send /forget at any time "
            "to delete our conversation now.\n\n"
            "我也可以用中文回答：直接用中文提问即可。\n\n" + COMMANDS_EN
        ),
        "help": (
            "Type a question in your own words, or tap an example below.\n\n"
            + command_list("en", *HELP_COMMANDS)
        ),
        "error": (
            "Sorry, something went wrong on my side. Please send your question again. If it's "
            f"urgent, call the 12348 public legal service hotline or visit {WEBSITE}."
        ),
        "empty_question": "Please type your question, for example: \"How do I apply for legal aid?\"",
        "text_only": (
            "Sorry, I can only read text messages – please type your question. "
            "(Nothing from that message was stored.)"
        ),
        "edited": "I don't read edited messages – please send your corrected question as a new message.",
        "unknown_command": (
            "I don't know that command. Type your question in your own words, or use:\n" + COMMANDS_EN
        ),
        "private_only": (
            "I only work in private chats. Please message me directly: my answers are general "
            "legal information, and legal questions are better asked in private."
        ),
        "truncated": "Your message was long, so I only read its first {limit} characters.",
        "redacted": (
            "I removed what looked like an ID number, phone number or e-mail address before "
            "reading your message. Please don't send personal details."
        ),
        "forget_done": "Done: our conversation has been deleted. If you write again, I start from scratch.",
        "forget_nothing": "There was nothing stored about our conversation, so there was nothing to delete.",
        "stale_button": "Sorry, I can't use that button any more. Please type your question.",
        "forget_failed": (
            "Sorry, I couldn't reach the service to delete our conversation. Please send /forget "
            "again in a few minutes."
        ),
        "choose": "Please choose:",
        "you_can_type": "You can also type:",
    },
    "zh": {
        "welcome": (
            "您好！我可以解答中国公共法律服务方面的问题，包括法律援助、12348热线、人民调解、公证、"
            "仲裁、司法鉴定、律师服务，并提供相关官方数据。\n\n"
            "我提供的是一般性法律信息，不构成法律意见。具体案件请咨询律师或法律援助中心（见 /hotline）。\n\n"
            "隐私说明：为了理解上下文，我会以化名编号（不是您的Telegram账号、姓名或手机号）保存您的消息和我的回答，"
            "在您最后一条消息{days}天后自动删除。等待回复的消息在回复前保留，回复后只保留编号一天。"
            "请不要发送身份证号、手机号或他人的个人信息（能识别的我会自动遮盖）。Telegram的服务器位于中国大陆以外。"
            "随时发送 /forget 即可立即删除对话记录。\n\n"
            "You can also ask in English.\n\n" + COMMANDS_ZH
        ),
        "help": (
            "请直接输入您的问题，或点击下面的示例。\n\n" + command_list("zh", *HELP_COMMANDS)
        ),
        "error": (
            f"抱歉，系统出了点问题，请重新发送您的问题。如有急事，请拨打12348公共法律服务热线或访问 {WEBSITE}。"
        ),
        "empty_question": "请输入您的问题，例如：“怎么申请法律援助？”",
        "text_only": "抱歉，我只能阅读文字消息，请用文字输入您的问题。（该消息的内容没有被保存。）",
        "edited": "我不读取修改过的消息，请把修改后的问题作为新消息发送。",
        "unknown_command": "没有这个命令。请直接输入您的问题，或使用：\n" + COMMANDS_ZH,
        "private_only": "我只在私聊中回答问题。请直接给我发消息：法律问题更适合在私聊中询问。",
        "truncated": "您的消息较长，我只读取了前{limit}个字符。",
        "redacted": "您的消息中疑似身份证号、电话号码或电子邮箱的内容已被删除。请不要发送个人信息。",
        "forget_done": "已删除我们的对话记录。如果您再次发消息，将重新开始。",
        "forget_nothing": "目前没有保存我们的对话记录，无需删除。",
        "stale_button": "抱歉，这个按钮已失效，请直接输入您的问题。",
        "forget_failed": "抱歉，暂时无法连接服务删除对话记录，请几分钟后再发送 /forget。",
        "choose": "请选择：",
        "you_can_type": "也可以直接输入：",
    },
}

# Sent back as the question when tapped, so each must fit callback_data (64 bytes).
HELP_QUESTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "How do I apply for legal aid?",
        "Who can get legal aid?",
        "What is the 12348 hotline?",
        "Is people's mediation free?",
        "My employer owes me wages. What can I do?",
        "How many lawyers are there in China?",
    ),
    "zh": (
        "怎么申请法律援助？",
        "哪些人可以申请法律援助？",
        "12348热线是做什么的？",
        "人民调解收费吗？",
        "老板拖欠工资怎么办？",
        "全国有多少律师？",
    ),
}
# What the bot sends Rasa for /language and /hotline: intent syntax the bot builds itself.
SWITCH_LANGUAGE_MESSAGE = '/switch_language{{"language":"{language}"}}'
HANDOFF_MESSAGE = "/human_handoff"
# /check and /cancel: the legal-aid pre-check.
CHECK_MESSAGE = "/check_eligibility"
CANCEL_CHECK_MESSAGE = "/stop_check"


# The bot's key -> the key in assistant/replies.py of the sentence it borrows.
SHARED = {
    # Rasa unreachable: the apology Rasa gives when its own service (the action server) is.
    "fallback": "utter_service_unavailable",
    # /hotline with Rasa unreachable.
    "hotline_card": "hotline_card",
}


def say(language: object, key: str, **values: object) -> str:
    """Return the text `key` in the language (English for an unknown one), filled in."""
    language = language_or_default(language)
    template = REPLIES[language][SHARED[key]] if key in SHARED else TEXTS[language][key]
    return template.format(**values) if values else template


def language_of_telegram_user(language_code: str | None) -> str:
    """Telegram's IETF language tag ("zh-hans", "en") -> "zh" or "en"."""
    if language_code and language_code.lower().startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE


def other_language(language: object) -> str:
    """The language /language switches to."""
    return "en" if language_or_default(language) == "zh" else "zh"
