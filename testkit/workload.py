"""The Telegram workload of the crash and cluster tests: 32 chats × 20 questions, and how a
part re-sent in the one documented window (bot/delivery.py) is recognised."""
from __future__ import annotations

CHATS = [1000 + n for n in range(32)]
# Twenty questions with different answers (so a repeated reply is visible), English and
# Chinese, with a follow-up that only makes sense after the question before it.
QUESTIONS = [
    "hello",
    "how do I apply for legal aid?",
    "what is the 12348 hotline?",
    "is people's mediation free?",
    "how many lawyers are there in China?",
    "and in 2020?",
    "what does a notary do?",
    "法律援助要收费吗？",
    "什么是人民调解？",
    "what is judicial appraisal?",
    "how does labour arbitration work?",
    "what is a duty lawyer?",
    "公证处能办什么？",
    "what is a village legal adviser?",
    "can I get a free lawyer in a criminal case?",
    "劳动仲裁怎么申请？",
    "what is the China Legal Service Network?",
    "how long does legal aid take?",
    "what is lawyer mediation?",
    "thank you",
]


def drop_resent_parts(texts: dict[int, list[str]], sends: dict[int, list[float]],
                      kills: list[float]) -> tuple[dict[int, list[str]], int]:
    """Return each chat's texts without the parts sent again right after a kill (the same part
    as the one before it, with a kill between the two sends), and how many were dropped."""
    collapsed: dict[int, list[str]] = {}
    resent = 0
    for chat, chat_texts in texts.items():
        times = sends[chat]
        kept: list[str] = []
        for index, part in enumerate(chat_texts):
            if (index > 0 and part == chat_texts[index - 1]
                    and any(times[index - 1] < kill < times[index] for kill in kills)):
                resent += 1
            else:
                kept.append(part)
        collapsed[chat] = kept
    return collapsed, resent
