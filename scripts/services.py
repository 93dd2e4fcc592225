"""Starts the action server and the Rasa server on loopback, for tests and benchmarks."""
from __future__ import annotations

import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from collections.abc import Iterator

import yaml

from scripts.model_store import PROJECT_ROOT, rasa_environment, rasa_executable
from scripts.rasa_api import JWT_SECRET_ENV


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    """A server process started by this module."""

    name: str
    url: str
    process: subprocess.Popen
    log_path: Path
    started_in: float = 0.0
    # The Rasa server's RASA_CHANNEL_SECRET (rasa_addons/bot_channel.py) and
    # RASA_PRIVACY_TOKEN (rasa_addons/privacy_channel.py), for its clients.
    channel_secret: str | None = field(default=None, repr=False)
    privacy_token: str | None = field(default=None, repr=False)
    _log_file: IO[str] | None = field(default=None, repr=False)

    def log(self) -> str:
        """Return what the process has logged so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and close its log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def _wait_until_up(service: Service, probe_url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited with {service.process.returncode}:\n{service.log()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(probe_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    service.stop()
    raise RuntimeError(f"{service.name} did not start within {timeout:.0f} s:\n{service.log()[-4000:]}")


def _start(name: str, command: list[str], environment: dict[str, str], log_path: Path,
           url: str, probe_url: str, timeout: float, cwd: Path) -> Service:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "w")  # noqa: SIM115 (the Service owns it and closes it in stop())
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            command, cwd=cwd, env={**environment, "PYTHONPATH": str(cwd)}, stdout=log_file,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    except OSError:
        log_file.close()
        raise
    service = Service(name, url, process, log_path, _log_file=log_file)
    _wait_until_up(service, probe_url, timeout)
    service.started_in = time.monotonic() - started
    return service


def start_action_server(log_path: Path, port: int | None = None,
                        environment: dict[str, str] | None = None,
                        timeout: float = 90, cwd: Path = PROJECT_ROOT) -> Service:
    """Start `rasa run actions` on 127.0.0.1 and wait for its /health."""
    port = port or free_port()
    # No SANIC_HOST here: actions/__init__.py binds loopback itself, whoever starts it.
    env = {**rasa_environment(), **(environment or {})}
    url = f"http://127.0.0.1:{port}"
    return _start(
        "action server",
        [rasa_executable(), "run", "actions", "--port", str(port), "--actions", "actions"],
        env, log_path, url, f"{url}/health", timeout, cwd,
    )


def write_endpoints(path: Path, action_server_url: str,
                    tracker_store: dict | None = None,
                    lock_store: dict | None = None) -> Path:
    """Write an endpoints.yml for one server."""
    endpoints: dict = {"action_endpoint": {"url": f"{action_server_url}/webhook"}}
    if tracker_store:
        endpoints["tracker_store"] = tracker_store
    if lock_store:
        endpoints["lock_store"] = lock_store
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def project_endpoints(path: Path, action_server_url: str, cwd: Path = PROJECT_ROOT,
                      tracker_store_type: str | None = None) -> Path:
    """Write the endpoints.yml of the project in `cwd` for one server, as `make run` uses it:
    its action server at `action_server_url`, a SQLite tracker store's file beside `path`.
    `tracker_store_type` replaces the store's type (benchmarks compare Rasa's own)."""
    endpoints = yaml.safe_load((cwd / "endpoints.yml").read_text()) or {}
    endpoints["action_endpoint"] = {**(endpoints.get("action_endpoint") or {}),
                                    "url": f"{action_server_url}/webhook"}
    store = endpoints.get("tracker_store")
    if store and store.get("dialect") == "sqlite":
        store["db"] = str(path.parent / "rasa-tracker.db")
    if store and tracker_store_type:
        store["type"] = tracker_store_type
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def start_rasa_server(model: Path, endpoints: Path, log_path: Path,
                      port: int | None = None, api_secret: str | None = None,
                      environment: dict[str, str] | None = None,
                      credentials: Path | None = None,
                      timeout: float = 240, cwd: Path = PROJECT_ROOT) -> Service:
    """Start `rasa run` with the REST and bot channels on 127.0.0.1 and wait until it answers.

    The bot channel's secret and the privacy token are random for this server unless
    `environment` sets RASA_CHANNEL_SECRET / RASA_PRIVACY_TOKEN / SENDER_ID_SECRET; the
    returned Service carries the first two.
    """
    port = port or free_port()
    # scripts.rasa_cli: the API's JWT secret goes in through the environment, never the arguments.
    # An old build served for comparison (bench/) may predate it, and is run without the API.
    wrapper = (cwd / "scripts" / "rasa_cli.py").exists()
    command = [
        *([sys.executable, "-m", "scripts.rasa_cli"] if wrapper else [rasa_executable()]),
        "run", "--model", str(model),
        "--endpoints", str(endpoints),
        "--credentials", str(credentials or PROJECT_ROOT / "credentials.yml"),
        "--interface", "127.0.0.1", "--port", str(port),
    ]
    env = {**rasa_environment(), "RASA_CHANNEL_SECRET": secrets.token_urlsafe(32),
           "RASA_PRIVACY_TOKEN": secrets.token_urlsafe(32),
           # The web page's channel pseudonymises with the bot's secret (rasa_addons/web_channel.py).
           "SENDER_ID_SECRET": secrets.token_urlsafe(32), **(environment or {})}
    if api_secret and wrapper:
        command.append("--enable-api")
        env[JWT_SECRET_ENV] = api_secret
    url = f"http://127.0.0.1:{port}"
    service = _start("rasa server", command, env, log_path, url, f"{url}/", timeout, cwd)
    service.channel_secret = env["RASA_CHANNEL_SECRET"]
    service.privacy_token = env["RASA_PRIVACY_TOKEN"]
    return service



@dataclass
class Serving:
    """An action server and a Rasa server started together by `serving()`."""

    actions: Service
    rasa: Service
    # The secret signing this run's Rasa HTTP API JWTs (random, never a fixed word).
    api_secret: str


@contextmanager
def serving(model: Path, directory: Path, environment: dict[str, str] | None = None,
            cwd: Path = PROJECT_ROOT, api: bool = True, own_endpoints: bool = False,
            tracker_store_type: str | None = None) -> Iterator[Serving]:
    """Start the action server and Rasa on free loopback ports; stop both on exit.

    Logs go to `directory` (actions.log, rasa.log). With `api`, Rasa's HTTP API is on
    with a random JWT secret made for this run. With `own_endpoints`, the project's endpoints.yml
    serves (`project_endpoints`); without, conversations are kept in memory.
    """
    api_secret = secrets.token_urlsafe(24) if api else ""
    actions = start_action_server(directory / "actions.log", environment=environment, cwd=cwd)
    try:
        endpoints = (project_endpoints(directory / "endpoints.yml", actions.url, cwd, tracker_store_type)
                     if own_endpoints else write_endpoints(directory / "endpoints.yml", actions.url))
        rasa = start_rasa_server(
            model, endpoints, directory / "rasa.log", api_secret=api_secret or None,
            environment=environment, credentials=cwd / "credentials.yml", cwd=cwd,
        )
        try:
            yield Serving(actions, rasa, api_secret)
        finally:
            rasa.stop()
    finally:
        actions.stop()
