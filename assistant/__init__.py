"""Dependency-light pieces every process shares: the intent/knowledge-base contract
(`assistant.contract`), the language of a message (`assistant.language`) and Rasa's fixed
replies (`assistant.replies`).

Nothing here imports Rasa, rasa_sdk, SQLAlchemy or python-telegram-bot, so the bot,
the action server, Rasa's add-ons, scripts and benchmarks can all use it.
"""
