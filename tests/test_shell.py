"""The README's run command path: `rasa shell` in a real pseudo-terminal."""
from __future__ import annotations

import re

from pathlib import Path

import pexpect
import pytest

from scripts.model_store import PROJECT_ROOT, rasa_environment, rasa_executable
from scripts.services import Service, free_port, write_endpoints

PROMPT = "Your input ->"
FREE_TEXT_CHOICE = "Type out your own message"
ARROW_UP = "\x1b[A"
# Every reply of the bot contains one of these; typed input echoed back does not.
REPLY_MARKERS = ("12348", "Did you mean", "type your question", "Sorry", "您是想问", "请输入", "抱歉")


@pytest.fixture
def shell(trained_model: Path, action_server: Service, tmp_path: Path):
    """Start `rasa shell` with the trained model, as `make shell` does."""
    endpoints = write_endpoints(tmp_path / "endpoints.yml", action_server.url)
    child = pexpect.spawn(
        rasa_executable(),
        ["shell", "--model", str(trained_model), "--endpoints", str(endpoints),
         "--port", str(free_port())],
        cwd=str(PROJECT_ROOT),
        env=rasa_environment(),
        encoding="utf-8",
        codec_errors="replace",
        timeout=240,
        dimensions=(50, 250),
    )
    with open(tmp_path / "shell.log", "w") as log:
        child.logfile_read = log
        try:
            child.expect(PROMPT)
            yield child
            child.sendline("/stop")
            child.expect(pexpect.EOF, timeout=60)
        finally:
            child.close(force=True)


def say(child: pexpect.spawn, text: str, expected_reply: str) -> str:
    """Type a line, wait for a reply matching the regex, then for the next prompt."""
    child.sendline(text)
    # The prompt is redrawn while typing, so wait for the bot's words first.
    child.expect([expected_reply, "Traceback"], timeout=120)
    printed = child.before + child.after
    if child.expect([PROMPT, FREE_TEXT_CHOICE], timeout=120) == 1:
        # The reply had buttons: rasa shell shows them as a menu. Leave it by choosing
        # its last entry, "Type out your own message...", as a person would.
        child.send(ARROW_UP)
        child.send("\r")
        child.expect(PROMPT, timeout=60)
    return printed


def pasted(text: str) -> str:
    """Wrap text in a terminal's bracketed paste, the way control characters reach a prompt."""
    return f"\x1b[200~{text}\x1b[201~"


def test_shell_answers_hi_and_survives_bad_input(shell):
    assert "Traceback" not in say(shell, "hi", "Hello")
    for bad in ["", "a" * 10_000, "😀 🎉 ⚖️", pasted("tab\there\x07bell\x1b[31mred\x00"),
                "法律援助 how to apply?"]:
        printed = say(shell, bad, "|".join(REPLY_MARKERS))
        assert "Traceback" not in printed, f"traceback after {bad[:20]!r}"
    assert shell.isalive()


def test_shell_speaks_chinese(shell):
    """`make shell`: type Chinese, get Chinese (and Traditional characters are understood)."""
    assert "您好" in say(shell, "你好", "您好")
    printed = on_screen(say(shell, "法律援助要收费吗？", "来源"))
    assert "不收取任何费用" in printed and "Traceback" not in printed
    assert "申请" in on_screen(say(shell, "請問怎麼申請法律援助", "来源"))


def on_screen(printed: str) -> str:
    """The text as read on screen: no colour codes, no line wrapping or padding."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\s+", "", printed)


def test_shell_runs_the_eligibility_check_with_numbered_choices(shell):
    """The pre-check in `make shell`: its buttons are a menu; choosing one answers the question."""
    shell.sendline("check my eligibility")
    shell.expect("What is your matter about", timeout=120)
    shell.expect("Something else", timeout=60)  # the menu of choices
    shell.send("\r")  # the first choice: a criminal case, as the suspect or defendant
    shell.expect("Does any of these apply to the suspect or defendant", timeout=120)
    shell.expect(FREE_TEXT_CHOICE, timeout=60)
    shell.send("\r")  # the first choice again: under 18
    shell.expect("a lawyer must be appointed", timeout=120)
    printed = shell.before + shell.after
    # The shell cuts long lines at the terminal's width; these are short ones of the outcome.
    shell.expect("Only the legal aid centre decides", timeout=60)
    assert "Traceback" not in printed
    shell.expect(FREE_TEXT_CHOICE, timeout=60)  # the outcome's buttons; leave the menu
    shell.send(ARROW_UP)
    shell.send("\r")
    shell.expect(PROMPT, timeout=60)
