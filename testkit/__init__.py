"""Test support shared by tests/ and bench/: real parts for tests, never test cases.

- support: REST helpers (post_json, reply_text, reply_payloads) and temporary PostgreSQL databases
- fake_telegram: a fake Telegram Bot API server speaking the real HTTP protocol

Starting the action server and Rasa together is `scripts.services.serving()`; loading
the knowledge base into a URL is `knowledge.loader.load_into_url()`; the worked example
of a new topic is `scripts.example_topic`.
"""
