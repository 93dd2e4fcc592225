"""Answers questions about official figures (intents stat_<topic> and follow-ups).

Every figure is given with its qualifier, period, scope and source. When the
question names no indicator, the topic's headline figures are given; when it
names a year the knowledge base has no figure for, the bot says so and offers the
years it does have.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._base import (
    KnowledgeAction,
    classified_confidence,
    classified_intent,
    conversation_language,
    latest_intent,
    latest_text,
)
from actions.charts import chart_of
from actions.figure_periods import figures_for_period, until_figure
from actions.formatting import format_earlier, format_month, format_statistic
from actions.knowledge_access import ask
from actions.texts import referral_button, say
from assistant.contract import (
    LAST_ANSWER_SLOT,
    PERIOD_FOLLOWUP_INTENT,
    STAT_INDICATOR_SLOT,
    STAT_TOPIC_SLOT,
    YEAR_ENTITY,
    intent_of,
    is_statistic_intent,
    topic_of,
)
from assistant.figure_follow_ups import asks_no_figure_in_particular, name_asked
from assistant.language import HAN_CHARACTER, count_scripts, to_simplified
from assistant.last_answer import LastAnswer, answer_of
from assistant.periods import AskedPeriod, in_a_span_of_years, read_period
from assistant.places import named_place
from knowledge import repository

MAX_EARLIER_FIGURES = 3
PERIOD_START_WORDS = ("since", "from", "launched in", "started in", "began in")
# "2013年以来" / "自2013年起": a year that starts a cumulative period, in Chinese.
PERIOD_START_PREFIXES_ZH = ("自", "从")
PERIOD_START_SUFFIXES_ZH = ("年以来", "年来", "年起", "年至今", "年开始", "以来")
# Below this NLU confidence, a figure is given only if the question names an indicator;
# otherwise the bot asks first, so an off-topic question is never answered with a figure.
MIN_CONFIDENCE_WITHOUT_INDICATOR = 0.5
MAX_INDICATORS_NAMED = 2
# Charts beside one answer: one per indicator answered, as many as can be named at once.
MAX_CHARTS = MAX_INDICATORS_NAMED
# A short follow-up to the previous figures: "and consultations?", "what about lawyers", "那调解员呢".
_FOLLOW_UP = re.compile(r"^\W*(and|what about|how about|also|n)\b|^\W*(那|还有|那么|另外)|呢\W*$", re.IGNORECASE)
_FOLLOW_UP_OPENING = re.compile(r"^\W*(and|what about|how about|also)\b|^\W*(那|还有|那么|另外)", re.IGNORECASE)
MAX_FOLLOW_UP_HAN = 12
MAX_FOLLOW_UP_WORDS = 6
MAX_BARE_FOLLOW_UP_WORDS = 2
MAX_BARE_FOLLOW_UP_HAN = 4
# Two figures asked at once ("公证一年多少件 司法鉴定呢", "lawyers and village advisers"): a
# second topic is answered too when the message joins two questions, the classifier ranks
# that topic at all, and the message names one of its indicators. "At all": a classifier sure
# of the first topic ranks the second far below (0.04 for 鉴定 in "一年全国能办多少件公证 鉴定又有
# 多少"); the joined clauses and the named indicator are the evidence.
SECOND_TOPIC_MIN_CONFIDENCE = 0.001
_JOINED = re.compile(
    r"和|以及|还有|另外|又|呢|，|、|;|；|,|\band\b|\balso\b|\bas well as\b"
    rf"|(?<={HAN_CHARACTER})\s+(?={HAN_CHARACTER})",  # two Chinese clauses split by a space
    re.IGNORECASE,
)


def is_follow_up(text: str) -> bool:
    """Whether a message is a short follow-up to the previous answer ("and consultations?"),
    or a bare name of what is wanted ("consultations?", "咨询量") right after figures."""
    han, latin_words = count_scripts(text)
    bare = (latin_words <= MAX_BARE_FOLLOW_UP_WORDS and not han) or (han <= MAX_BARE_FOLLOW_UP_HAN and not latin_words)
    return han <= MAX_FOLLOW_UP_HAN and latin_words <= MAX_FOLLOW_UP_WORDS and (bool(_FOLLOW_UP.search(text)) or bare)


def requested_years(tracker: Tracker) -> list[int]:
    """Return the years the latest message asks about, in order, without repeats.

    A year after "since" or "from" starts a cumulative period ("cases since 2013"):
    it names no figure of its own, so it is not a year to look figures up by.
    """
    text = latest_text(tracker).lower()
    years: list[int] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != YEAR_ENTITY:
            continue
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and _starts_a_period(text, start, end):
            continue
        try:
            year = int(str(entity.get("value"))[:4])
        except ValueError:
            continue
        if year not in years:
            years.append(year)
    return years


def first_mention(indicators: list[Any], text: str) -> int:
    """Where the text first names one of the indicators (its length when it names none)."""
    lowered = to_simplified(text).lower()
    positions = [lowered.find(keyword.lower()) for indicator in indicators
                 for keyword in (*indicator.keywords, *indicator.keywords_zh) if keyword]
    return min((p for p in positions if p >= 0), default=len(lowered))


def _starts_a_period(text: str, start: int, end: int) -> bool:
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return in_a_span_of_years(text, start) or (
        before.endswith(PERIOD_START_WORDS)
        or before.endswith(PERIOD_START_PREFIXES_ZH)
        or after.startswith(PERIOD_START_SUFFIXES_ZH)
    )


def refers_to(statistic: Any, years: list[int]) -> bool:
    """Whether a figure is about, or was stated in, one of the years."""
    return statistic.period_year in years or statistic.as_of.year in years


def topic_buttons(topics: list[Any], limit: int = 13) -> list[dict[Text, Text]]:
    """Buttons that ask for each statistic topic's figures (payloads stay short ASCII)."""
    return [
        {"title": topic.title, "payload": f"/{intent_of('stat', topic.key)}"}
        for topic in topics[:limit]
    ]


async def topic_title(topic: Text, language: Text) -> Text:
    """The statistics topic's title in the language; a topic without one in the knowledge base
    is named generically in the language, never by its key (an English word to a Chinese user)."""
    topic_view = await ask(repository.get_topic, key=topic, kind="stat", language=language)
    return topic_view.title if topic_view else say(language, "untitled_figures")


class ActionAnswerStatistic(KnowledgeAction):
    """Reply with dated, sourced figures for the topic or indicator asked about."""

    def name(self) -> Text:
        """Return the action name."""
        return "action_answer_statistic"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[dict[Text, Any]]:
        """Choose topic, indicators and years from the tracker, then utter the figures."""
        intent = latest_intent(tracker)
        language = conversation_language(tracker)
        if is_statistic_intent(intent):
            _kind, topic = topic_of(intent)
        elif intent == PERIOD_FOLLOWUP_INTENT and tracker.get_slot(STAT_TOPIC_SLOT):
            topic = tracker.get_slot(STAT_TOPIC_SLOT)
        else:
            return await self._offer_topics(dispatcher, intent, language, vague=asks_no_figure_in_particular(
                latest_text(tracker)))

        topic = await self._topic_of_a_follow_up(tracker, intent, topic, language)
        matched = await ask(
            repository.match_indicators, topic=topic, text=latest_text(tracker), language=language
        )
        # A topic read from the previous answer or a chosen button is the person's own choice.
        confidence = classified_confidence(tracker) if intent == classified_intent(tracker) else 1.0
        if is_statistic_intent(intent) and not matched and confidence < MIN_CONFIDENCE_WITHOUT_INDICATOR:
            return await self._confirm_topic(dispatcher, topic, language)
        indicator_keys = [indicator.key for indicator in matched[:MAX_INDICATORS_NAMED]]
        if not indicator_keys and intent == PERIOD_FOLLOWUP_INTENT and tracker.get_slot(STAT_INDICATOR_SLOT):
            indicator_keys = [tracker.get_slot(STAT_INDICATOR_SLOT)]
        if not indicator_keys:
            indicators = await ask(repository.list_indicators, topic=topic, language=language)
            indicator_keys = [i.key for i in indicators if i.headline] or [i.key for i in indicators]

        histories = {
            key: await ask(repository.get_indicator_history, indicator=key, language=language)
            for key in indicator_keys
        }
        period = read_period(latest_text(tracker), this_year=dt.date.today().year)
        years = [] if period.until else list(dict.fromkeys([*requested_years(tracker), *period.years]))
        buttons: list[dict[Text, Text]] = []
        if not years and (period.since or period.until or period.series or period.cumulative or period.annual):
            lines = await self._figures_for_period(topic, histories, bool(matched), period, language)
        elif years:
            lines = [format_statistic(s) for h in histories.values() for s in h if refers_to(s, years)]
            if not lines and not matched:
                lines = await self._topic_figures_for_years(topic, indicator_keys, years, language)
            if not lines:
                preamble, buttons = await self._no_figure_for(topic, years, language)
                lines = [preamble, *self._latest_figures(histories, language)]
        else:
            lines = self._latest_figures(histories, language)
        if not lines:
            return await self._offer_topics(dispatcher, intent, language)
        place = named_place(latest_text(tracker))
        if place is not None and not any(place.lower() in indicator.label.lower() for indicator in matched):
            # National figures only: said first, never passed off as the place's own.
            lines.insert(0, say(language, "national_figures_only", place=place))
        name = name_asked(latest_text(tracker)) if intent == PERIOD_FOLLOWUP_INTENT else None
        if name and not matched and not years and period.is_empty and place is None:
            # "and for women?": figures the topic lacks are said to be lacking, not passed off.
            lines.insert(0, say(language, "no_figure_for_name", name=name, title=await topic_title(topic, language)))
        answered = [intent_of("stat", topic)]
        # A follow-up that opens with "and"/"那" asks one thing, about the previous answer,
        # unless it joins two itself ("thanks! and how many notarizations and appraisals").
        text = latest_text(tracker)
        # Two years asked compare one topic ("2019年和2020年的律师人数"); one year may be asked of
        # two ("how many legal aid cases last year and how many hotline calls").
        asks_two = len(years) < 2 and (not _FOLLOW_UP_OPENING.search(text)
                                       or bool(_JOINED.search(_FOLLOW_UP_OPENING.sub("", text, count=1))))
        second = await self._second_topic(tracker, topic, years, language) if asks_two else None
        if second is not None:
            second_topic, second_indicators, second_lines = second
            if matched and first_mention(second_indicators, text) < first_mention(matched, text):
                # Answered in the order asked: the first named is the question, the other its "also".
                lines, answered = second_lines + lines, [intent_of("stat", second_topic), *answered]
            else:
                lines, answered = lines + second_lines, [*answered, intent_of("stat", second_topic)]
        dispatcher.utter_message(text="\n\n".join(lines), buttons=buttons)
        # The latest figures or the series get charts; an answer for a year, a date or a total
        # is one figure and gets none.
        if not years and not (period.since or period.until or period.cumulative):
            charts = [chart for chart in (chart_of(h, language) for h in histories.values()) if chart]
            for chart in charts[:MAX_CHARTS]:
                dispatcher.utter_message(json_message=chart)
        return [
            SlotSet(STAT_TOPIC_SLOT, topic),
            SlotSet(STAT_INDICATOR_SLOT, indicator_keys[0] if len(indicator_keys) == 1 else None),
            SlotSet(LAST_ANSWER_SLOT, answer_of(*answered).to_slot()),
        ]

    @staticmethod
    async def _topic_of_a_follow_up(tracker: Tracker, intent: Text, topic: Text, language: Text) -> Text:
        """Read a short follow-up ("and consultations?", "那调解员呢") against the previous
        figures' topic first: it keeps that topic when one of its indicators is named."""
        previous = tracker.get_slot(STAT_TOPIC_SLOT)
        text = latest_text(tracker)
        if not previous or previous == topic or not is_statistic_intent(intent) or not is_follow_up(text):
            return topic
        named = await ask(repository.match_indicators, topic=previous, text=text, language=language)
        return previous if named else topic

    async def _second_topic(
        self, tracker: Tracker, topic: Text, years: list[int], language: Text
    ) -> tuple[Text, list[Any], list[Text]] | None:
        """The figures of a second topic the same message asks about, if it asks two things:
        for the year asked when it has them, else the latest."""
        text = latest_text(tracker)
        if not _JOINED.search(text):
            return None
        for candidate in tracker.latest_message.get("intent_ranking") or []:
            name = candidate.get("name") or ""
            if (not is_statistic_intent(name) or topic_of(name)[1] == topic
                    or (candidate.get("confidence") or 0.0) < SECOND_TOPIC_MIN_CONFIDENCE):
                continue
            other = topic_of(name)[1]
            matched = await ask(repository.match_indicators, topic=other, text=text, language=language)
            if matched:
                histories = {
                    indicator.key: await ask(repository.get_indicator_history, indicator=indicator.key,
                                             language=language)
                    for indicator in matched[:1]
                }
                for_years = [format_statistic(s) for h in histories.values() for s in h if refers_to(s, years)]
                return other, matched[:1], for_years or self._latest_figures(histories, language)
        return None

    @staticmethod
    def _latest_figures(histories: dict[Text, list[Any]], language: Text) -> list[Text]:
        lines = []
        for history in histories.values():
            if not history:
                continue
            line = format_statistic(history[0])
            earlier = history[1 : 1 + MAX_EARLIER_FIGURES]
            if earlier:
                figures = say(language, "list_joiner").join(format_earlier(s) for s in earlier)
                line += "\n" + say(language, "earlier", figures=figures)
            lines.append(line)
        return lines

    async def _figures_for_period(
        self, topic: Text, histories: dict[Text, list[Any]], named: bool, period: AskedPeriod,
        language: Text,
    ) -> list[Text]:
        """The figures for the period asked ("since 2013", "截至2022年10月", "近几年"); when
        there are none, a plain sentence saying so, then what there is, with its own period."""
        found = {key: figures_for_period(history, period) for key, history in histories.items()}
        if not any(found.values()) and not named:
            # The headline indicators have nothing for the period; another of the topic may.
            for indicator in await ask(repository.list_indicators, topic=topic, language=language):
                if indicator.key not in histories:
                    history = await ask(repository.get_indicator_history, indicator=indicator.key,
                                        language=language)
                    found[indicator.key] = figures_for_period(history, period)
        title = await topic_title(topic, language)
        if any(found.values()) and period.series and not (period.since or period.until):
            series = [format_statistic(s) for figures in found.values() for s in figures]
            return [say(language, "series_intro", title=title), *series]
        if any(found.values()):
            return self._latest_figures(found, language)
        if period.since:
            return [say(language, "no_figure_since", title=title, year=period.since),
                    *self._latest_figures(histories, language)]
        if period.until:
            nearest = [until_figure(history, period.until)[0] for history in histories.values()]
            when = format_month(*period.until, language=language)
            return [say(language, "no_figure_at", title=title, date=when),
                    *(format_statistic(s) for s in nearest if s is not None)]
        # "in total" or "per year" of a count that has only one kind of figure: the latest.
        return self._latest_figures(histories, language)

    async def _topic_figures_for_years(
        self, topic: Text, already_checked: list[Text], years: list[int], language: Text
    ) -> list[Text]:
        # The indicator asked about has no figure for those years; another of the topic may.
        lines = []
        for indicator in await ask(repository.list_indicators, topic=topic, language=language):
            if indicator.key in already_checked:
                continue
            history = await ask(
                repository.get_indicator_history, indicator=indicator.key, language=language
            )
            lines += [format_statistic(s) for s in history if refers_to(s, years)]
        return lines

    async def _no_figure_for(
        self, topic: Text, years: list[int], language: Text
    ) -> tuple[Text, list[dict[Text, Text]]]:
        available = await ask(repository.list_statistic_years, topic=topic)
        title = await topic_title(topic, language)
        asked = say(language, "years_joiner").join(str(year) for year in years)
        preamble = say(language, "no_figure_for_year", title=title, years=asked)
        if available:
            listed = say(language, "list_joiner").join(str(y) for y in available)
            preamble += say(language, "figures_available", years=listed)
        buttons = [
            {"title": str(y), "payload": f'/{PERIOD_FOLLOWUP_INTENT}{{"{YEAR_ENTITY}":"{y}"}}'}
            for y in available[-4:]
        ]
        return preamble, buttons

    async def _confirm_topic(
        self, dispatcher: CollectingDispatcher, topic: Text, language: Text
    ) -> list[dict[Text, Any]]:
        title = await topic_title(topic, language)
        dispatcher.utter_message(
            text=say(language, "confirm_statistic_topic", title=title),
            buttons=[
                {"title": title, "payload": f"/{intent_of('stat', topic)}"},
                referral_button(language),
            ],
        )
        return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("clarify").to_slot())]

    async def _offer_topics(
        self, dispatcher: CollectingDispatcher, intent: Text, language: Text, vague: bool = False
    ) -> list[dict[Text, Any]]:
        topics = await ask(repository.list_topics, kind="stat", language=language)
        # "stats please" asks which figures; "how many judges are there" asks for figures not held.
        key = "which_figures" if intent == PERIOD_FOLLOWUP_INTENT or vague else "figures_not_held"
        dispatcher.utter_message(text=say(language, key), buttons=topic_buttons(topics))
        return [SlotSet(LAST_ANSWER_SLOT, LastAnswer("unknown_statistic", intents=(intent,)).to_slot())]
