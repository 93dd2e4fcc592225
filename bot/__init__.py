"""Telegram front end: relays users' questions to the Rasa server over its REST channel.

Run with `python -m bot`; configuration comes from the environment (see `bot.config`).
"""
