"""The referral card: where to reach a person (12348, 12348.gov.cn, legal aid centres)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import LAST_ANSWER_SLOT, KnowledgeAction
from actions.knowledge_access import KnowledgeUnavailable, ask
from knowledge import repository

# Said even when the knowledge base is down: a way to a human must never fail.
HOTLINE_ONLY_CARD = (
    "To talk to a person: call the 12348 public legal service hotline "
    "(consultations are free; hours vary by province), or visit www.12348.gov.cn. "
    "Your county or city legal aid centre can also help in person."
)


CARD_ORDER = ("hotline", "website", "office", "wechat")


def format_referral_card(services: List[Any]) -> Text:
    """Format the services as a card, hotline first."""
    lines = ["To talk to a person:"]
    ordered = sorted(
        services,
        key=lambda s: CARD_ORDER.index(s.kind) if s.kind in CARD_ORDER else len(CARD_ORDER),
    )
    for service in ordered:
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
    ) -> List[Dict[Text, Any]]:
        """Utter the referral card; fall back to the hotline alone if the KB is down."""
        try:
            services = await ask(repository.list_services)
        except KnowledgeUnavailable:
            services = []
        dispatcher.utter_message(
            text=format_referral_card(services) if services else HOTLINE_ONLY_CARD
        )
        return [SlotSet(LAST_ANSWER_SLOT, "referral")]
