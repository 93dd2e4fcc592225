"""Starts the action server and the Rasa server on loopback, for tests and benchmarks."""
from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from scripts.model_store import PROJECT_ROOT, rasa_environment, rasa_executable


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
    _log_file: Optional[object] = field(default=None, repr=False)

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


def _start(name: str, command: List[str], environment: Dict[str, str], log_path: Path,
           url: str, probe_url: str, timeout: float, cwd: Path) -> Service:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "w")
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env={**environment, "PYTHONPATH": str(cwd)}, stdout=log_file,
        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    service = Service(name, url, process, log_path, _log_file=log_file)
    _wait_until_up(service, probe_url, timeout)
    service.started_in = time.monotonic() - started
    return service


def start_action_server(log_path: Path, port: Optional[int] = None,
                        environment: Optional[Dict[str, str]] = None,
                        timeout: float = 90, cwd: Path = PROJECT_ROOT) -> Service:
    """Start `rasa run actions` on 127.0.0.1 and wait for its /health."""
    port = port or free_port()
    env = {**rasa_environment(), "SANIC_HOST": "127.0.0.1", **(environment or {})}
    url = f"http://127.0.0.1:{port}"
    return _start(
        "action server",
        [rasa_executable(), "run", "actions", "--port", str(port), "--actions", "actions"],
        env, log_path, url, f"{url}/health", timeout, cwd,
    )


def write_endpoints(path: Path, action_server_url: str,
                    tracker_store: Optional[dict] = None,
                    lock_store: Optional[dict] = None) -> Path:
    """Write an endpoints.yml for one server."""
    endpoints: dict = {"action_endpoint": {"url": f"{action_server_url}/webhook"}}
    if tracker_store:
        endpoints["tracker_store"] = tracker_store
    if lock_store:
        endpoints["lock_store"] = lock_store
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def start_rasa_server(model: Path, endpoints: Path, log_path: Path,
                      port: Optional[int] = None, api_token: Optional[str] = None,
                      environment: Optional[Dict[str, str]] = None,
                      credentials: Optional[Path] = None,
                      timeout: float = 240, cwd: Path = PROJECT_ROOT) -> Service:
    """Start `rasa run` with the REST channel on 127.0.0.1 and wait until it answers."""
    port = port or free_port()
    command = [
        rasa_executable(), "run", "--model", str(model), "--endpoints", str(endpoints),
        "--credentials", str(credentials or PROJECT_ROOT / "credentials.yml"),
        "--interface", "127.0.0.1", "--port", str(port),
    ]
    if api_token:
        command += ["--enable-api", "--auth-token", api_token]
    env = {**rasa_environment(), **(environment or {})}
    url = f"http://127.0.0.1:{port}"
    return _start("rasa server", command, env, log_path, url, f"{url}/", timeout, cwd)

