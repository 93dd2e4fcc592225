"""Rasa-side add-ons loaded by config.yml and credentials.yml.

- text_normaliser: cleans user text before the NLU pipeline sees it
- knowledge_router: routes faq_*/stat_* intents to the knowledge-base actions
- privacy_channel: HTTP endpoint that deletes a conversation (/forget)
"""
