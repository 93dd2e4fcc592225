"""Rasa-side add-ons loaded by config.yml and credentials.yml.

- text_normaliser: cleans user text before the NLU pipeline sees it
- knowledge_router: routes faq_*/stat_* intents to the knowledge-base actions
- privacy_channel: HTTP endpoint that deletes a conversation (/forget)
- action_response_validation: validates action-server replies without re-preparing
  the JSON schema each time (installed here, because Rasa imports this package when it
  loads a model that uses the components above)
"""
from rasa_addons import action_response_validation

action_response_validation.install()
