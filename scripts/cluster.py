"""The multi-replica deployment on one machine: `make cluster-up` / `make cluster-down`.

    nginx (127.0.0.1) ─┬─ Rasa replicas ×N (hashed by conversation) ─┬─ PostgreSQL: conversations
                       │     │ Redis lock store (key_prefix)          │
                       ├─ action servers ×M ─────────────────────────┴─ PostgreSQL: knowledge base
                       └─ Telegram webhook → bot receivers ×K ── PostgreSQL: the shared inbox

Every server is started from here as a child process with its own log in the run directory;
nginx runs in the foreground (`daemon off`) with a configuration generated into that directory
(scripts/nginx_conf.py), not as the system's service. The Rasa replicas use
deploy/endpoints.yml as it is, with its variables pointed at this cluster. Secrets reach the
processes in their environment, never in their arguments.

    python -m scripts.cluster up [--rasa N] [--actions M] [--bots K]
    python -m scripts.cluster down

`up` leaves the processes running and records their ids in state/cluster/cluster.json; `down`
stops exactly those. `tests/test_cluster.py` drives the same `Cluster` class and kills members.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from scripts.model_store import PROJECT_ROOT, rasa_environment
from scripts.nginx_conf import Ports, nginx_config
from scripts.services import Service, free_port, start_action_server, start_rasa_server

DEPLOY_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.yml"
DEPLOY_CREDENTIALS = PROJECT_ROOT / "deploy" / "credentials.yml"
RUN_DIRECTORY = PROJECT_ROOT / "state" / "cluster"
WEBHOOK_PATH = "/telegram/hook"
# Three replicas loading one model at once on two cores take a while.
RASA_START_SECONDS = 600.0


@dataclass
class ClusterSettings:
    """What a cluster runs, and on what."""

    model: Path
    run_directory: Path
    kb_url: str
    tracker_db: dict[str, str]  # TRACKER_DB_HOST, _PORT, _NAME, _USER, _PASSWORD
    inbox_url: str
    redis_key_prefix: str
    # Secrets and Telegram settings shared by the servers (RASA_CHANNEL_SECRET, ...).
    environment: dict[str, str] = field(repr=False, default_factory=dict)
    rasa_replicas: int = 3
    action_servers: int = 2
    bot_receivers: int = 2
    rasa_port: int = 0  # 0: any free port
    actions_port: int = 0
    webhook_port: int = 0
    redis_db: str = "1"


def tracker_variables(url: str) -> dict[str, str]:
    """Return the TRACKER_DB_* variables of deploy/endpoints.yml for a PostgreSQL URL."""
    parsed = make_url(url)
    return {"TRACKER_DB_HOST": parsed.host or "127.0.0.1", "TRACKER_DB_PORT": str(parsed.port or 5432),
            "TRACKER_DB_NAME": parsed.database or "", "TRACKER_DB_USER": parsed.username or "",
            "TRACKER_DB_PASSWORD": parsed.password or ""}


class Cluster:
    """Starts, kills, restarts and stops the cluster's processes."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.run = settings.run_directory
        self.ports = Ports(
            rasa=settings.rasa_port or free_port(), actions=settings.actions_port or free_port(),
            webhook=settings.webhook_port or free_port(),
            rasa_replicas=tuple(free_port() for _ in range(settings.rasa_replicas)),
            action_servers=tuple(free_port() for _ in range(settings.action_servers)),
            bot_receivers=tuple(free_port() for _ in range(settings.bot_receivers)),
        )
        self.nginx: Service | None = None
        self.actions: list[Service | None] = [None] * settings.action_servers
        self.rasa: list[Service | None] = [None] * settings.rasa_replicas
        self.bots: list[Service | None] = [None] * settings.bot_receivers
        self.starts: dict[str, int] = {}

    @property
    def rasa_url(self) -> str:
        """The Rasa replicas' front door (nginx)."""
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def webhook_url(self) -> str:
        """Telegram's webhook URL (nginx), as the receivers register it."""
        return f"http://127.0.0.1:{self.ports.webhook}{WEBHOOK_PATH}"

    def _log(self, name: str) -> Path:
        self.starts[name] = self.starts.get(name, 0) + 1
        return self.run / f"{name}-{self.starts[name]}.log"

    def start(self) -> None:
        """Start nginx, the action servers, the Rasa replicas (in parallel), then the receivers."""
        self.run.mkdir(parents=True, exist_ok=True)
        self.start_nginx()
        with ThreadPoolExecutor(max_workers=len(self.actions) + len(self.rasa)) as pool:
            for future in [pool.submit(self.start_actions, i) for i in range(len(self.actions))]:
                future.result()
            for future in [pool.submit(self.start_rasa, i) for i in range(len(self.rasa))]:
                future.result()
        for index in range(len(self.bots)):
            self.start_bot(index)

    def start_nginx(self) -> None:
        """Write nginx.conf and run nginx in the foreground as a child process."""
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run / f"{kind}-temp").mkdir(parents=True, exist_ok=True)
        conf = self.run / "nginx.conf"
        conf.write_text(nginx_config(self.ports, self.run, WEBHOOK_PATH.rsplit("/", 1)[0] + "/"))
        nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
        if nginx is None:
            raise RuntimeError("nginx is not installed: apt-get update && apt-get install -y nginx")
        command = [nginx, "-p", str(self.run), "-c", str(conf), "-g", "daemon off;"]
        self.nginx = _spawn("nginx", command, dict(os.environ), self._log("nginx"))
        _wait_for_port(self.nginx, self.ports.rasa, 30)

    def start_actions(self, index: int) -> None:
        """Start action server `index` on the cluster's knowledge base."""
        self.actions[index] = start_action_server(
            self._log(f"actions{index}"), port=self.ports.action_servers[index],
            environment={"KB_DATABASE_URL": self.settings.kb_url})

    def rasa_environment(self) -> dict[str, str]:
        """The variables deploy/endpoints.yml reads, pointed at this cluster, and the secrets."""
        return {
            **self.settings.environment, **self.settings.tracker_db,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": self.settings.redis_db,
            "REDIS_KEY_PREFIX": self.settings.redis_key_prefix,
        }

    def start_rasa(self, index: int) -> None:
        """Start Rasa replica `index` with deploy/endpoints.yml and deploy/credentials.yml."""
        self.rasa[index] = start_rasa_server(
            self.settings.model, DEPLOY_ENDPOINTS, self._log(f"rasa{index}"),
            port=self.ports.rasa_replicas[index], environment=self.rasa_environment(),
            credentials=DEPLOY_CREDENTIALS, timeout=RASA_START_SECONDS)

    def start_bot(self, index: int) -> None:
        """Start bot receiver `index` in webhook mode behind nginx, on the shared inbox."""
        environment = {
            **rasa_environment(), **self.settings.environment, "PYTHONPATH": str(PROJECT_ROOT),
            "RASA_URL": self.rasa_url, "INBOX_DATABASE_URL": self.settings.inbox_url,
            "TELEGRAM_WEBHOOK_URL": self.settings.environment.get("TELEGRAM_WEBHOOK_URL") or self.webhook_url,
            "TELEGRAM_WEBHOOK_PORT": str(self.ports.bot_receivers[index]),
        }
        bot = _spawn(f"bot{index}", [sys.executable, "-m", "bot"], environment, self._log(f"bot{index}"))
        self.bots[index] = bot
        _wait_for_port(bot, self.ports.bot_receivers[index], 60)

    def kill(self, group: str, index: int) -> None:
        """SIGKILL a member (`rasa`, `actions` or `bots`) and wait for it to die."""
        service = getattr(self, group)[index]
        if service is None:
            raise ValueError(f"{group}[{index}] is not running")
        service.process.kill()
        service.process.wait(timeout=15)
        service.stop()  # closes its log

    def members(self) -> dict[str, Service]:
        """Return the running members by name."""
        named: dict[str, Service | None] = {}
        for group in ("bots", "rasa", "actions"):
            named.update({f"{group}{i}": s for i, s in enumerate(getattr(self, group))})
        named["nginx"] = self.nginx
        return {name: service for name, service in named.items() if service is not None}

    def stop(self) -> None:
        """Stop every member: receivers first (they finish their updates), nginx last."""
        for service in self.members().values():
            service.stop()

    def save(self, path: Path) -> None:
        """Record the members' process ids and the front doors for `down` and for people."""
        path.write_text(json.dumps({
            "rasa": self.rasa_url, "webhook": self.webhook_url,
            "actions": f"http://127.0.0.1:{self.ports.actions}",
            "processes": {name: s.process.pid for name, s in self.members().items()},
        }, indent=2))


def _spawn(name: str, command: list[str], environment: dict[str, str], log_path: Path) -> Service:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log: IO[str] = open(log_path, "w")  # noqa: SIM115 (the Service closes it in stop())
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, stdout=log,  # nosec B603
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Service(name, "", process, log_path, _log_file=log)


def _wait_for_port(service: Service, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited with {service.process.returncode}:\n{service.log()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    service.stop()
    raise RuntimeError(f"{service.name} did not listen on {port} within {timeout:.0f} s:\n{service.log()[-3000:]}")


def down(run_directory: Path = RUN_DIRECTORY) -> int:
    """Stop the processes `up` recorded (SIGTERM, then SIGKILL after 20 s); return 0."""
    record = run_directory / "cluster.json"
    if not record.exists():
        print("No cluster is running (no state/cluster/cluster.json).")
        return 0
    processes: dict[str, int] = json.loads(record.read_text())["processes"]
    for name, pid in processes.items():  # receivers first, nginx last (the order `up` saved)
        if _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        print(f"stopped {name} ({pid})")
    record.unlink()
    return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (our own child, already exited) is not running.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def main(arguments: list[str] | None = None) -> int:
    """`up` or `down` (see the module docstring)."""
    from scripts.cluster_setup import settings_from_environment

    parser = argparse.ArgumentParser(prog="python -m scripts.cluster")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--rasa", type=int, default=3, help="Rasa replicas")
    parser.add_argument("--actions", type=int, default=2, help="action servers")
    parser.add_argument("--bots", type=int, default=2, help="Telegram receivers (with TELEGRAM_TOKEN)")
    options = parser.parse_args(arguments)
    if options.command == "down":
        return down()
    if (RUN_DIRECTORY / "cluster.json").exists():
        print("A cluster is running already: make cluster-down first.", file=sys.stderr)
        return 1
    settings = settings_from_environment(options.rasa, options.actions, options.bots)
    cluster = Cluster(settings)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    cluster.save(RUN_DIRECTORY / "cluster.json")
    print(f"Rasa (bot channel) at {cluster.rasa_url}; action servers behind "
          f"http://127.0.0.1:{cluster.ports.actions}; "
          + (f"{len(cluster.bots)} Telegram receivers behind {cluster.webhook_url}; " if cluster.bots else "")
          + f"logs in {RUN_DIRECTORY}. Stop with: make cluster-down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
