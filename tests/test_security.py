"""Least privilege, tested on the real servers: no open door, no secret in process arguments,
no secret optional."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.model_store import PROJECT_ROOT, rasa_environment
from scripts.rasa_api import api_headers
from scripts.services import Service, free_port, write_endpoints

LOOPBACK_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def listening_addresses(port: int) -> set[str]:
    """Return the local addresses of sockets listening on `port` (from /proc/net/tcp{,6})."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                addresses.add(address)
    return addresses


def command_lines(pid: int) -> list[str]:
    """Return the command lines of `pid` and its descendants."""
    lines, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            lines.append(Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        pending.extend(int(child) for child in children)
    return lines


def test_no_token_or_secret_in_process_arguments(rasa_server: Service, rasa_api_secret: str) -> None:
    """`ps` shows Rasa's command line: the API's JWT secret, channel secret and privacy token are not in it."""
    lines = command_lines(rasa_server.process.pid)
    assert lines and any("scripts.rasa_cli" in line for line in lines)
    assert any("--enable-api" in line for line in lines)
    for secret in (rasa_api_secret, rasa_server.channel_secret, rasa_server.privacy_token):
        assert all(secret not in line for line in lines)


def _tracker_status(rasa_url: str, suffix: str = "", headers: dict | None = None) -> int:
    request = urllib.request.Request(f"{rasa_url}/conversations/someone/tracker{suffix}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_http_api_takes_a_signed_jwt_in_the_header_and_no_secret_in_the_url(
        rasa_url: str, rasa_api_secret: str) -> None:
    """Rasa's API: a JWT signed with RASA_JWT_SECRET works; the secret as ?token=, no
    credentials or a JWT signed with another secret are refused (401)."""
    assert _tracker_status(rasa_url, headers=api_headers(rasa_api_secret)) == 200
    assert _tracker_status(rasa_url, f"?token={rasa_api_secret}") == 401
    assert _tracker_status(rasa_url) == 401
    assert _tracker_status(rasa_url, headers=api_headers(secrets.token_urlsafe(32))) == 401


def test_action_server_listens_on_loopback_only(action_server: Service) -> None:
    """Started without SANIC_HOST, the action server still binds 127.0.0.1 (actions/__init__.py)."""
    port = int(action_server.url.rsplit(":", 1)[1])
    assert listening_addresses(port) == {f"{LOOPBACK_HEX}"}


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic abc"])
def test_erase_without_the_token_is_forbidden(rasa_url: str, authorization: str | None) -> None:
    """DELETE /webhooks/privacy/conversations/<id> without the right bearer token: 403."""
    headers = {"Authorization": authorization} if authorization else {}
    request = urllib.request.Request(f"{rasa_url}/webhooks/privacy/conversations/{'a' * 64}",
                                     method="DELETE", headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403


def test_erase_with_the_token_says_what_it_deleted(rasa_url: str, rasa_server: Service, talk) -> None:
    """With the token: the events deleted; a second erase deletes nothing (and says so)."""
    import json

    sender = "b" * 64
    talk("hello", sender=sender)
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/privacy/conversations/{sender}", method="DELETE",
        headers={"Authorization": f"Bearer {rasa_server.privacy_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        first = json.loads(response.read())
    with urllib.request.urlopen(request, timeout=30) as response:
        second = json.loads(response.read())
    assert first["deleted_events"] > 0 and second["deleted_events"] == 0


@pytest.mark.parametrize("variable", ["RASA_CHANNEL_SECRET", "RASA_PRIVACY_TOKEN"])
def test_rasa_refuses_to_start_without_a_channel_secret(
    trained_model: Path, tmp_path: Path, variable: str
) -> None:
    """The bot and privacy channels do not load without their secrets: Rasa exits naming it."""
    env = {**os.environ, **rasa_environment(), "PYTHONPATH": str(PROJECT_ROOT),
           "RASA_CHANNEL_SECRET": "c" * 32, "RASA_PRIVACY_TOKEN": "p" * 32}
    env.pop(variable)
    endpoints = write_endpoints(tmp_path / "endpoints.yml", "http://127.0.0.1:9")
    completed = subprocess.run(
        [sys.executable, "-m", "scripts.rasa_cli", "run", "--model", str(trained_model),
         "--port", str(free_port()), "--interface", "127.0.0.1", "--credentials", "credentials.yml",
         "--endpoints", str(endpoints)],
        env=env, capture_output=True, text=True, timeout=180, cwd=PROJECT_ROOT,
    )
    assert completed.returncode != 0
    assert f"{variable} must be set" in completed.stdout + completed.stderr


def test_a_jwt_secret_that_starts_with_a_dash_reaches_rasa() -> None:
    """A random URL-safe secret starts with "-" one time in 64; Rasa's parser must take it."""
    from rasa.__main__ import create_argument_parser

    from scripts.rasa_cli import with_jwt

    secret = "-" + secrets.token_urlsafe(32)
    parsed = create_argument_parser().parse_args(with_jwt(["run", "--enable-api"], secret))
    assert parsed.jwt_secret == secret and parsed.enable_api
