"""The deployed path for real: knowledge base and conversations in PostgreSQL, locks in Redis."""
from __future__ import annotations

import secrets

import hashlib
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from knowledge.loader import load_into_url
from scripts import unanswered
from assistant.privacy import conversation_ref
from scripts.model_store import PROJECT_ROOT
from scripts.services import Service, start_action_server, start_rasa_server, write_endpoints
from testkit.support import post_json, reply_text, temporary_postgres_database

# The tracker store of deploy/endpoints.yml (and endpoints.yml).
DEPLOYED_STORE = "rasa_addons.tracker_store.DurableSQLTrackerStore"
# The lock store of deploy/endpoints.yml: Rasa's Redis store with leased tickets.
DEPLOYED_LOCK_STORE = "rasa_addons.lock_store.LeasedRedisLockStore"
API_SECRET = secrets.token_urlsafe(32)
DEPLOY_CREDENTIALS = PROJECT_ROOT / "deploy" / "credentials.yml"


def pseudonym(name: str) -> str:
    """Return a sender id shaped like the bot's (64 hex digits) for a readable test name."""
    return hashlib.sha256(name.encode()).hexdigest()


@dataclass
class Deployment:
    """The running deployed stack and where its data lives."""

    kb_url: str
    tracker_url: str
    endpoints: Path
    model: Path
    directory: Path
    actions: Service
    rasa: Service

    def say(self, sender: str, message: str) -> str:
        """Send a message over the bot channel, the deployment's only message channel."""
        request = urllib.request.Request(
            f"{self.rasa.url}/webhooks/bot/webhook",
            data=json.dumps({"sender": pseudonym(sender), "message": message}).encode(),
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {self.rasa.channel_secret}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return reply_text(json.loads(response.read()))

    def restart_rasa(self) -> None:
        self.rasa.stop()
        self.rasa = start_rasa_server(self.model, self.endpoints, self.directory / "rasa-restarted.log",
                                      api_secret=API_SECRET, credentials=DEPLOY_CREDENTIALS,
                                      environment={"UNANSWERED_REPORT": str(self.report)})

    @property
    def report(self) -> Path:
        """Where this Rasa server's privacy channel finds the unanswered report."""
        return self.directory / "unanswered.md"

    def erase(self, sender: str) -> dict:
        request = urllib.request.Request(
            f"{self.rasa.url}/webhooks/privacy/conversations/{pseudonym(sender)}", method="DELETE",
            headers={"Authorization": f"Bearer {self.rasa.privacy_token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def stored_events(self, sender: str) -> int:
        engine = create_engine(self.tracker_url, future=True)
        with engine.connect() as connection:
            count = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": pseudonym(sender)}
            ).scalar_one()
        engine.dispose()
        return count


@pytest.fixture(scope="module")
def deployment(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Start the action server on a PostgreSQL KB and Rasa on a PostgreSQL tracker store + Redis locks."""
    directory = tmp_path_factory.mktemp("deployment")
    with temporary_postgres_database("kb") as kb_url, temporary_postgres_database("tracker") as tracker_url:
        load_into_url(kb_url)
        tracker = make_url(tracker_url)
        endpoints = write_endpoints(
            directory / "endpoints.yml",
            "http://placeholder",
            tracker_store={"type": DEPLOYED_STORE, "dialect": "postgresql", "url": tracker.host,
                           "port": tracker.port, "db": tracker.database,
                           "username": tracker.username, "password": ""},
            lock_store={"type": DEPLOYED_LOCK_STORE, "url": "127.0.0.1", "port": 6379, "db": 2,
                        "key_prefix": f"test{uuid.uuid4().hex[:8]}"},
        )
        actions = start_action_server(directory / "actions.log", environment={"KB_DATABASE_URL": kb_url})
        endpoints = write_endpoints(
            endpoints, actions.url,
            tracker_store={"type": DEPLOYED_STORE, "dialect": "postgresql", "url": tracker.host,
                           "port": tracker.port, "db": tracker.database,
                           "username": tracker.username, "password": ""},
            lock_store={"type": DEPLOYED_LOCK_STORE, "url": "127.0.0.1", "port": 6379, "db": 2,
                        "key_prefix": f"test{uuid.uuid4().hex[:8]}"},
        )
        rasa = start_rasa_server(trained_model, endpoints, directory / "rasa.log", api_secret=API_SECRET,
                                 credentials=DEPLOY_CREDENTIALS,
                                 environment={"UNANSWERED_REPORT": str(directory / "unanswered.md")})
        deployed = Deployment(kb_url, tracker_url, endpoints, trained_model, directory, actions, rasa)
        try:
            yield deployed
        finally:
            deployed.rasa.stop()
            deployed.actions.stop()


def test_the_deployment_has_no_rest_channel(deployment):
    """deploy/credentials.yml: only the authenticated bot channel takes messages."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_json(f"{deployment.rasa.url}/webhooks/rest/webhook", {"sender": "x", "message": "hi"})
    refused.value.close()
    assert refused.value.code == 404


def test_answers_come_from_the_postgresql_knowledge_base(deployment):
    assert "540,000" in deployment.say("deploy-answer", "how many lawyers are there in China?")


def test_conversation_is_stored_and_survives_a_rasa_restart(deployment):
    sender = "deploy-restart"
    deployment.say(sender, "how many lawyers are there in China?")
    assert deployment.stored_events(sender) > 0
    deployment.restart_rasa()
    # The follow-up only makes sense with the topic remembered from before the restart.
    assert "651,600" in deployment.say(sender, "and in 2022?")


def test_conversations_older_than_the_retention_are_deleted_by_the_server(deployment):
    """The privacy channel's job (run at start-up, then hourly) deletes conversations silent for
    more than CONVERSATION_RETENTION_DAYS (30) and keeps recent ones."""
    deployment.say("deploy-recent", "hello")
    engine = create_engine(deployment.tracker_url, future=True)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                 "VALUES (:sender, 'user', :timestamp, '{}')"),
            {"sender": pseudonym("deploy-old"), "timestamp": time.time() - 31 * 86400},
        )
    engine.dispose()
    assert deployment.stored_events("deploy-old") == 1
    deployment.restart_rasa()
    deadline = time.monotonic() + 30
    while deployment.stored_events("deploy-old") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert deployment.stored_events("deploy-old") == 0
    assert deployment.stored_events("deploy-recent") > 0


def test_forget_erases_the_conversation_from_postgresql(deployment):
    sender = "deploy-forget"
    deployment.say(sender, "hello")
    assert deployment.stored_events(sender) > 0
    url = f"{deployment.rasa.url}/webhooks/privacy/conversations/{pseudonym(sender)}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=30)
    refused.value.close()
    assert refused.value.code == 403 and deployment.stored_events(sender) > 0
    assert deployment.erase(sender)["deleted_events"] > 0
    assert deployment.stored_events(sender) == 0
    assert deployment.erase(sender)["deleted_events"] == 0  # the bot then says nothing was stored


def test_knowledge_base_outage_gets_a_polite_reply_then_recovers(deployment):
    database = make_url(deployment.kb_url).database
    admin = create_engine(deployment.kb_url.replace(f"/{database}", "/test"), future=True,
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name"), {"name": database})
        during = deployment.say("deploy-outage", "how do I apply for legal aid?")
        assert "isn't available right now" in during and "12348" in during
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    after = deployment.say("deploy-outage", "how do I apply for legal aid?")
    assert "isn't available" not in after and "legal aid" in after.lower()


def test_unanswered_report_groups_fallback_messages_and_forget_removes_a_share(deployment):
    """The report groups messages across conversations; /forget of one removes its share."""
    for sender in ("deploy-unanswered-1", "deploy-unanswered-2"):
        deployment.say(sender, "blorp zzkx fnarg")
    deployment.say("deploy-unanswered-1", "Blorp zzkx fnarg?")
    deployment.say("deploy-unanswered-1", "how do I apply for legal aid?")
    deployment.say("deploy-unanswered-2", "wibble quux frobnicate")
    report = deployment.report
    assert unanswered.main(["--endpoints", str(deployment.endpoints), "--out", str(report)]) == 0
    content = report.read_text()
    row = next(line for line in content.splitlines() if "blorp zzkx fnarg" in line)
    first, second = (conversation_ref(pseudonym(f"deploy-unanswered-{n}")) for n in (1, 2))
    assert row.startswith(f"| 3 | 2: {first}×2 {second}×1 |") or row.startswith(f"| 3 | 2: {second}×1 {first}×2 |")
    assert "apply for legal aid" not in content and "wibble quux" in content
    assert deployment.erase("deploy-unanswered-2")["report_rows"] == 2
    content = report.read_text()
    row = next(line for line in content.splitlines() if "blorp zzkx fnarg" in line)
    assert row.startswith(f"| 2 | 1: {first}×2 |") and "wibble quux" not in content
