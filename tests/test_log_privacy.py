"""No user text in any log: a unique marker sent through the bot and the REST channel while
Rasa's action call hangs (client timeouts), while the action server fails with HTTP 500 (its
reply echoes the tracker), and while the knowledge base is down; then every log is searched.

Real processes throughout: `python -m bot`, Rasa, the action server (with a corrupted and
with an unreachable knowledge base); the hanging action endpoint is a socket that accepts
and never answers.
"""
from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import socket
import sqlite3
import sys
import threading
import urllib.parse
from pathlib import Path

from knowledge.loader import load_into_url
from scripts.services import free_port, start_action_server, start_rasa_server, write_endpoints
from testkit.fake_telegram import FakeTelegram

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MARKER = "zqxj" + secrets.token_hex(6)
CHAT = 5151


class BlackHole:
    """A TCP server that accepts connections and never answers (a hung action server)."""

    def __init__(self, port: int) -> None:
        self.server = socket.create_server(("127.0.0.1", port))
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.connections:
            connection.close()


def rest(url: str, sender: str, text: str, timeout: float) -> None:
    """POST to the REST channel; give up after `timeout` as a user's app would (socket closed)."""
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        connection.request("POST", "/webhooks/rest/webhook",
                           body=json.dumps({"sender": sender, "message": text}),
                           headers={"Content-Type": "application/json"})
        connection.getresponse().read()
    except OSError:
        pass  # timed out: the client gave up
    finally:
        connection.close()


def corrupted_knowledge_base(directory: Path) -> str:
    """A knowledge base whose figures are not numbers: the statistics action raises."""
    path = directory / "corrupted.db"
    load_into_url(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE statistics SET value = 'not-a-number'")
    return f"sqlite:///{path}"


async def bot_round(telegram: FakeTelegram, text: str, count: int) -> None:
    telegram.send_text(CHAT, text)
    await telegram.wait_for_texts(CHAT, count, timeout=60)


def test_no_user_text_in_any_log(trained_model: Path, tmp_path: Path) -> None:
    """Timeouts, an action-server 500 and a database outage log what failed, never the text."""
    action_port = free_port()
    endpoints = write_endpoints(tmp_path / "endpoints.yml", f"http://127.0.0.1:{action_port}")
    hole = BlackHole(action_port)
    rasa = start_rasa_server(trained_model, endpoints, tmp_path / "rasa.log")
    logs = [tmp_path / "rasa.log"]
    try:
        asyncio.run(_exercise(rasa, hole, action_port, tmp_path, logs))
    finally:
        hole.close()
        rasa.stop()
    rasa_log = (tmp_path / "rasa.log").read_text(errors="replace")
    assert "500" in rasa_log or "ClientResponseError" in rasa_log  # the failure is logged ...
    for log in logs:
        content = log.read_text(errors="replace")
        assert MARKER not in content, f"{log.name} contains user text"  # ... the text is not
    assert len(logs) == 4


async def _exercise(rasa, hole: BlackHole, action_port: int, directory: Path, logs: list[Path]) -> None:
    async with FakeTelegram() as telegram:
        environment = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "RASA_", "SENDER_ID_", "INBOX_", "BOT_"))
        }
        environment.update({
            "TELEGRAM_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": telegram.url,
            "RASA_URL": rasa.url, "RASA_CHANNEL_SECRET": rasa.channel_secret,
            "RASA_PRIVACY_TOKEN": rasa.privacy_token, "SENDER_ID_SECRET": secrets.token_urlsafe(32),
            "INBOX_DATABASE_URL": f"sqlite:///{directory / 'inbox.db'}", "RASA_TIMEOUT_SECONDS": "2",
            "BOT_SEND_INTERVAL_SECONDS": "0.05", "LOG_LEVEL": "INFO", "PTB_TIMEDELTA": "true",
        })
        bot_log = directory / "bot.log"
        logs.append(bot_log)
        with open(bot_log, "w") as log:
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=environment,
                stdout=log, stderr=asyncio.subprocess.STDOUT,
            )

        async def with_action_server(environment: dict[str, str], log_name: str, question: str,
                                     replies: int) -> None:
            """Start the action server on the endpoint's port; ask over REST and Telegram; stop it."""
            server = start_action_server(directory / log_name, port=action_port, environment=environment)
            logs.append(server.log_path)
            try:
                await asyncio.to_thread(rest, rasa.url, "log-privacy-rest", question, 30)
                await bot_round(telegram, question, replies)
            finally:
                server.stop()

        try:
            await telegram.wait_until(lambda: bool(telegram.calls_of("getUpdates")), timeout=30)
            # 1. The action call hangs: the clients time out (REST at 2 s, the bot at 2 s).
            await asyncio.to_thread(rest, rasa.url, "log-privacy-rest", f"how do I apply for legal aid {MARKER}", 2)
            await bot_round(telegram, f"how do I apply for legal aid {MARKER}", 1)
            hole.close()
            # 2. The action server fails with 500 and echoes the tracker.
            await with_action_server(
                {"KB_DATABASE_URL": corrupted_knowledge_base(directory)}, "actions-corrupted.log",
                f"how many lawyers are there in China {MARKER}", 2)
            # 3. The knowledge base is down.
            await with_action_server(
                {"KB_DATABASE_URL": "postgresql+psycopg2://nobody@127.0.0.1:1/none"}, "actions-outage.log",
                f"is mediation free {MARKER}", 3)
        finally:
            bot.terminate()
            await bot.wait()
