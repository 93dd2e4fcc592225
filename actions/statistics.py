"""Answers questions about official figures (intents stat_<topic> and follow-ups).

Every figure is given with its qualifier, period, scope and source. When the
question names no indicator, the topic's headline figures are given; when it
names a year the knowledge base has no figure for, the bot says so and offers the
years it does have.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import LAST_ANSWER_SLOT, KnowledgeAction, latest_intent, latest_text
from actions.formatting import format_earlier, format_statistic
from actions.knowledge_access import ask
from knowledge import repository

STAT_INTENT_PREFIX = "stat_"
PERIOD_FOLLOWUP_INTENT = "ask_period_followup"
UNKNOWN_STATISTIC_INTENT = "ask_unknown_statistic"
MAX_EARLIER_FIGURES = 3
MAX_INDICATORS_NAMED = 2


def requested_year(tracker: Tracker) -> Optional[int]:
    """Return the year named in the latest message, if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "year":
            try:
                return int(str(entity.get("value"))[:4])
            except ValueError:
                continue
    return None


def topic_buttons(topics: List[Any], limit: int = 13) -> List[Dict[Text, Text]]:
    """Buttons that ask for each statistic topic's figures (payloads stay short ASCII)."""
    return [
        {"title": topic.title, "payload": f"/{STAT_INTENT_PREFIX}{topic.key}"}
        for topic in topics[:limit]
    ]


class ActionAnswerStatistic(KnowledgeAction):
    """Reply with dated, sourced figures for the topic or indicator asked about."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_answer_statistic"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> List[Dict[Text, Any]]:
        """Choose topic, indicators and year from the tracker, then utter the figures."""
        intent = latest_intent(tracker)
        year = requested_year(tracker)
        indicator_keys: List[Text] = []
        if intent.startswith(STAT_INTENT_PREFIX):
            topic = intent[len(STAT_INTENT_PREFIX):]
            matched = await ask(
                repository.match_indicators, topic=topic, text=latest_text(tracker)
            )
            indicator_keys = [indicator.key for indicator in matched[:MAX_INDICATORS_NAMED]]
        elif intent == PERIOD_FOLLOWUP_INTENT and tracker.get_slot("stat_topic"):
            topic = tracker.get_slot("stat_topic")
            if tracker.get_slot("stat_indicator"):
                indicator_keys = [tracker.get_slot("stat_indicator")]
        else:
            return await self._offer_topics(dispatcher, intent)

        if not indicator_keys:
            indicators = await ask(repository.list_indicators, topic=topic)
            indicator_keys = [i.key for i in indicators if i.headline] or [
                i.key for i in indicators
            ]
        if year is not None:
            lines = await self._figures_for_year(topic, indicator_keys, year)
            if not lines:
                return await self._offer_years(dispatcher, topic, indicator_keys, year)
        else:
            lines = await self._latest_figures(indicator_keys)
        if not lines:
            return await self._offer_topics(dispatcher, intent)
        dispatcher.utter_message(text="\n\n".join(lines))
        return [
            SlotSet("stat_topic", topic),
            SlotSet("stat_indicator", indicator_keys[0] if len(indicator_keys) == 1 else None),
            SlotSet(LAST_ANSWER_SLOT, f"{STAT_INTENT_PREFIX}{topic}"),
        ]

    async def _latest_figures(self, indicator_keys: List[Text]) -> List[Text]:
        lines = []
        for key in indicator_keys:
            history = await ask(repository.get_indicator_history, indicator=key)
            if not history:
                continue
            line = format_statistic(history[0])
            earlier = history[1 : 1 + MAX_EARLIER_FIGURES]
            if earlier:
                line += "\nEarlier: " + "; ".join(format_earlier(s) for s in earlier) + "."
            lines.append(line)
        return lines

    async def _figures_for_year(
        self, topic: Text, indicator_keys: List[Text], year: int
    ) -> List[Text]:
        lines = []
        for key in indicator_keys:
            statistic = await ask(repository.get_statistic_for_year, indicator=key, year=year)
            if statistic is not None:
                lines.append(format_statistic(statistic))
        if lines:
            return lines
        # The asked indicator has no figure that year; another one of the topic may.
        for indicator in await ask(repository.list_indicators, topic=topic):
            if indicator.key in indicator_keys:
                continue
            statistic = await ask(
                repository.get_statistic_for_year, indicator=indicator.key, year=year
            )
            if statistic is not None:
                lines.append(format_statistic(statistic))
        return lines

    async def _offer_years(
        self,
        dispatcher: CollectingDispatcher,
        topic: Text,
        indicator_keys: List[Text],
        year: int,
    ) -> List[Dict[Text, Any]]:
        years = await ask(repository.list_statistic_years, topic=topic)
        topic_view = await ask(repository.get_topic, key=topic)
        title = topic_view.title if topic_view else topic.replace("_", " ")
        if years:
            text = (
                f"I don't have a figure on {title} for {year}. "
                f"I do have figures for: {', '.join(str(y) for y in years)}."
            )
        else:
            text = f"I don't have dated figures on {title}."
        buttons = [
            {"title": str(y), "payload": f'/{PERIOD_FOLLOWUP_INTENT}{{"year":"{y}"}}'}
            for y in years[-4:]
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        return [
            SlotSet("stat_topic", topic),
            SlotSet("stat_indicator", indicator_keys[0] if len(indicator_keys) == 1 else None),
            SlotSet(LAST_ANSWER_SLOT, f"no_year:{topic}:{year}"),
        ]

    async def _offer_topics(
        self, dispatcher: CollectingDispatcher, intent: Text
    ) -> List[Dict[Text, Any]]:
        topics = await ask(repository.list_topics, kind="stat")
        if intent == PERIOD_FOLLOWUP_INTENT:
            text = "Which figures do you mean? I have official figures on these topics:"
        else:
            text = (
                "I don't hold official figures on that. These are the figures I can "
                "give, each with its date and source:"
            )
        dispatcher.utter_message(text=text, buttons=topic_buttons(topics))
        return [SlotSet(LAST_ANSWER_SLOT, f"unknown_statistic:{intent}")]
