"""Answers questions about official figures (intents stat_<topic> and follow-ups).

Every figure is given with its qualifier, period, scope and source. When the
question names no indicator, the topic's headline figures are given; when it
names a year the knowledge base has no figure for, the bot says so and offers the
years it does have.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import LAST_ANSWER_SLOT, KnowledgeAction, latest_intent, latest_text
from actions.formatting import HUMAN_REFERRAL_BUTTON, format_earlier, format_statistic
from actions.knowledge_access import ask
from knowledge import repository

STAT_INTENT_PREFIX = "stat_"
PERIOD_FOLLOWUP_INTENT = "ask_period_followup"
UNKNOWN_STATISTIC_INTENT = "ask_unknown_statistic"
MAX_EARLIER_FIGURES = 3
PERIOD_START_WORDS = ("since", "from", "launched in", "started in", "began in")
# Below this NLU confidence, a figure is given only if the question names an indicator;
# otherwise the bot asks first, so an off-topic question is never answered with a figure.
MIN_CONFIDENCE_WITHOUT_INDICATOR = 0.5
MAX_INDICATORS_NAMED = 2


def requested_years(tracker: Tracker) -> List[int]:
    """Return the years the latest message asks about, in order, without repeats.

    A year after "since" or "from" starts a cumulative period ("cases since 2013"):
    it names no figure of its own, so it is not a year to look figures up by.
    """
    text = latest_text(tracker).lower()
    years: List[int] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != "year":
            continue
        start = entity.get("start")
        if isinstance(start, int) and text[:start].rstrip().endswith(PERIOD_START_WORDS):
            continue
        try:
            year = int(str(entity.get("value"))[:4])
        except ValueError:
            continue
        if year not in years:
            years.append(year)
    return years


def refers_to(statistic: Any, years: List[int]) -> bool:
    """Whether a figure is about, or was stated in, one of the years."""
    return statistic.period_year in years or statistic.as_of.year in years


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
        """Choose topic, indicators and years from the tracker, then utter the figures."""
        intent = latest_intent(tracker)
        if intent.startswith(STAT_INTENT_PREFIX):
            topic = intent[len(STAT_INTENT_PREFIX):]
        elif intent == PERIOD_FOLLOWUP_INTENT and tracker.get_slot("stat_topic"):
            topic = tracker.get_slot("stat_topic")
        else:
            return await self._offer_topics(dispatcher, intent)

        matched = await ask(repository.match_indicators, topic=topic, text=latest_text(tracker))
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        if intent.startswith(STAT_INTENT_PREFIX) and not matched and confidence < MIN_CONFIDENCE_WITHOUT_INDICATOR:
            return await self._confirm_topic(dispatcher, topic)
        indicator_keys = [indicator.key for indicator in matched[:MAX_INDICATORS_NAMED]]
        if not indicator_keys and intent == PERIOD_FOLLOWUP_INTENT and tracker.get_slot("stat_indicator"):
            indicator_keys = [tracker.get_slot("stat_indicator")]
        if not indicator_keys:
            indicators = await ask(repository.list_indicators, topic=topic)
            indicator_keys = [i.key for i in indicators if i.headline] or [i.key for i in indicators]

        histories = {key: await ask(repository.get_indicator_history, indicator=key) for key in indicator_keys}
        years = requested_years(tracker)
        buttons: List[Dict[Text, Text]] = []
        if years:
            lines = [format_statistic(s) for h in histories.values() for s in h if refers_to(s, years)]
            if not lines and not matched:
                lines = await self._topic_figures_for_years(topic, indicator_keys, years)
            if not lines:
                preamble, buttons = await self._no_figure_for(topic, years)
                lines = [preamble, *self._latest_figures(histories)]
        else:
            lines = self._latest_figures(histories)
        if not lines:
            return await self._offer_topics(dispatcher, intent)
        dispatcher.utter_message(text="\n\n".join(lines), buttons=buttons)
        return [
            SlotSet("stat_topic", topic),
            SlotSet("stat_indicator", indicator_keys[0] if len(indicator_keys) == 1 else None),
            SlotSet(LAST_ANSWER_SLOT, f"{STAT_INTENT_PREFIX}{topic}"),
        ]

    @staticmethod
    def _latest_figures(histories: Dict[Text, List[Any]]) -> List[Text]:
        lines = []
        for history in histories.values():
            if not history:
                continue
            line = format_statistic(history[0])
            earlier = history[1 : 1 + MAX_EARLIER_FIGURES]
            if earlier:
                line += "\nEarlier: " + "; ".join(format_earlier(s) for s in earlier) + "."
            lines.append(line)
        return lines

    async def _topic_figures_for_years(
        self, topic: Text, already_checked: List[Text], years: List[int]
    ) -> List[Text]:
        # The indicator asked about has no figure for those years; another of the topic may.
        lines = []
        for indicator in await ask(repository.list_indicators, topic=topic):
            if indicator.key in already_checked:
                continue
            history = await ask(repository.get_indicator_history, indicator=indicator.key)
            lines += [format_statistic(s) for s in history if refers_to(s, years)]
        return lines

    async def _no_figure_for(
        self, topic: Text, years: List[int]
    ) -> Tuple[Text, List[Dict[Text, Text]]]:
        available = await ask(repository.list_statistic_years, topic=topic)
        topic_view = await ask(repository.get_topic, key=topic, kind="stat")
        title = topic_view.title if topic_view else topic.replace("_", " ")
        asked = " or ".join(str(year) for year in years)
        preamble = f"I don't have a figure on {title} for {asked}."
        if available:
            preamble += f" I do have figures for: {', '.join(str(y) for y in available)}. The latest:"
        buttons = [
            {"title": str(y), "payload": f'/{PERIOD_FOLLOWUP_INTENT}{{"year":"{y}"}}'}
            for y in available[-4:]
        ]
        return preamble, buttons

    async def _confirm_topic(
        self, dispatcher: CollectingDispatcher, topic: Text
    ) -> List[Dict[Text, Any]]:
        topic_view = await ask(repository.get_topic, key=topic, kind="stat")
        title = topic_view.title if topic_view else topic.replace("_", " ")
        dispatcher.utter_message(
            text=f"I'm not sure I understood. Did you mean the official figures on {title}?",
            buttons=[{"title": title, "payload": f"/{STAT_INTENT_PREFIX}{topic}"}, HUMAN_REFERRAL_BUTTON],
        )
        return [SlotSet(LAST_ANSWER_SLOT, "clarify")]

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
