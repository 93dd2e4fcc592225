"""The referral card: where to reach a person (12348, 12348.gov.cn, legal aid centres)."""
from __future__ import annotations

from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import KnowledgeAction, conversation_language
from actions.knowledge_access import KnowledgeUnavailable, ask
from actions.texts import say
from assistant.contract import LAST_ANSWER_SLOT
from assistant.last_answer import LastAnswer
from knowledge import repository

CARD_ORDER = ("hotline", "website", "office", "wechat")


def format_referral_card(services: list[Any], language: Text = "en") -> Text:
    """Format the services as a card, hotline first."""
    lines = [say(language, "referral_heading")]
    ordered = sorted(
        services,
        key=lambda s: CARD_ORDER.index(s.kind) if s.kind in CARD_ORDER else len(CARD_ORDER),
    )
    for service in ordered:
        if language == "zh":
            line = f"• {service.name}（{service.contact}）：{service.offers}"
        else:
            line = f"• {service.name} ({service.contact}): {service.offers}"
        if service.availability_note:
            line += f" {service.availability_note}"
        lines.append(line)
    return "\n".join(lines)


class ActionReferralCard(KnowledgeAction):
    """Give the ways to reach a person, from the knowledge base's services."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_referral_card"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Utter the referral card; fall back to the hotline alone if the KB is down."""
        language = conversation_language(tracker)
        try:
            services = await ask(repository.list_services, language=language)
        except KnowledgeUnavailable:
            services = []
        # Said even when the knowledge base is down: a way to a human must never fail.
        text = format_referral_card(services, language) if services else say(language, "hotline_card")
        dispatcher.utter_message(text=text)
        return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("referral").to_slot())]
