"""`make shell` and `make run` hide the libraries' start-up warnings, and only those
(scripts/rasa_cli.py); the test session itself keeps every warning as an error."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = """
import sysconfig, warnings
from scripts.rasa_cli import quiet_third_party_warnings
quiet_third_party_warnings()
library = sysconfig.get_paths()["purelib"] + "/somelib/module.py"
warnings.warn_explicit("from a library", DeprecationWarning, library, 1)
warnings.warn_explicit("from our code", UserWarning, "/work/project/actions/x.py", 1)
"""


def test_library_warnings_are_hidden_and_ours_are_shown() -> None:
    """A warning from site-packages is not printed; one from the project's code is."""
    result = subprocess.run([sys.executable, "-W", "always", "-c", PROGRAM], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    assert "from our code" in result.stderr and "from a library" not in result.stderr
