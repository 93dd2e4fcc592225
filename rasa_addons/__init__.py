"""Rasa-side add-ons loaded by config.yml and credentials.yml.

- text_normaliser: cleans user text before the NLU pipeline sees it
- knowledge_router: routes faq_*/stat_* intents to the knowledge-base actions
- privacy_channel: HTTP endpoint that deletes a conversation (/forget)
- action_response_validation: validates action-server replies without re-preparing
  the JSON schema each time (installed here, because Rasa imports this package when it
  loads a model that uses the components above)
- bot_channel: the Telegram front end's authenticated, idempotent channel
- replies_importer: adds the fixed replies of assistant/replies.py to the domain at training

Importing the package also keeps user text out of the server's logs (assistant/log_privacy.py).
"""
from assistant import log_privacy
from rasa_addons import action_response_validation

log_privacy.install()
action_response_validation.install()
