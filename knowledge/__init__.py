"""Knowledge base of the legal-service assistant: models, loader and read-only queries.

Import the submodules you need (``knowledge.db``, ``knowledge.repository``,
``knowledge.loader``); nothing here opens a database at import time.
"""
