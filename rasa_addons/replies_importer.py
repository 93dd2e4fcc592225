"""Rasa's fixed replies come from assistant/replies.py, not from domain.yml (issue #22).

config.yml lists this importer after RasaFileImporter. Rasa merges the domains of all the
importers (CombinedDataImporter: domain.yml's, then this one's responses) and stores the merged
domain in the trained model, so the served model renders the responses itself, with no action
server, as if they were written in domain.yml (the merged domain is the same); `rasa data
validate` checks the rules' utter_* steps against the same merged domain. The replies are
Python so that they live beside the texts the actions and the bot say, in one kind of store
with one check of both languages (tests/test_contracts.py).

Rasa warns once per training, "Auto-config for multiple importers is not supported; using
config as is": config.yml sets every pipeline and policy key, so there is nothing to auto-fill.
"""
from __future__ import annotations

from typing import Any, Text

from rasa.shared.core.domain import KEY_RESPONSES, Domain
from rasa.shared.core.training_data.structures import StoryGraph
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.replies import domain_responses


class RepliesImporter(TrainingDataImporter):
    """A domain holding only the `responses` of assistant/replies.py; no data, no config."""

    def __init__(
        self,
        config_file: Text | None = None,
        domain_path: Text | None = None,
        training_data_paths: list[Text] | Text | None = None,
        **kwargs: Any,
    ) -> None:
        """Take Rasa's standard arguments; the replies need none of them."""

    def get_domain(self) -> Domain:
        """Return the responses as a domain for Rasa to merge with domain.yml's."""
        return Domain.from_dict({KEY_RESPONSES: domain_responses()})

    def get_stories(self, exclusion_percentage: int | None = None) -> StoryGraph:
        """Return no stories (they are in data/)."""
        return StoryGraph([])

    def get_conversation_tests(self) -> StoryGraph:
        """Return no test stories."""
        return StoryGraph([])

    def get_config(self) -> dict[Text, Any]:
        """Return no configuration (config.yml is RasaFileImporter's)."""
        return {}

    def get_config_file_for_auto_config(self) -> Text | None:
        """Return no configuration file."""
        return None

    def get_nlu_data(self, language: Text | None = "en") -> TrainingData:
        """Return no NLU data (it is in data/)."""
        return TrainingData()
