"""`make shell` prints a chart message (assistant/charts.py) as a compact text table.

Rasa's console prints any custom message as indented JSON ("Custom json: {...}"), which is
unreadable for a series of figures. `install()` wraps the console's printer (a module-level
function it looks up at each call) so a chart becomes its table; every other message is
printed as before. scripts/rasa_cli.py installs it for `rasa shell`, in the same process.
"""
from __future__ import annotations

from typing import Any

import rasa.shared.utils.cli
import rasa.shared.utils.io
from rasa.core.channels import console

from assistant.charts import read_chart, text_table


def install() -> None:
    """Make the console print charts as text tables (idempotent)."""
    original = console._print_bot_output
    if getattr(original, "prints_charts", False):
        return

    def print_bot_output(message: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        chart = read_chart(message.get("custom"))
        if chart is None:
            return original(message, *args, **kwargs)
        rasa.shared.utils.cli.print_color(text_table(chart), color=rasa.shared.utils.io.bcolors.OKBLUE)
        rest = {key: value for key, value in message.items() if key != "custom"}
        return original(rest, *args, **kwargs) if set(rest) - {"recipient_id"} else None

    print_bot_output.prints_charts = True  # type: ignore[attr-defined]
    console._print_bot_output = print_bot_output
