"""The shape of this project's NLU components that learn nothing: built from their config."""
from __future__ import annotations

from typing import Any, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


class StatelessComponent(GraphComponent):
    """A component with nothing to train or persist; subclasses read `self._config`."""

    def __init__(self, config: dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        """Create the component from its configuration (it has nothing to train)."""
        return cls(config)
