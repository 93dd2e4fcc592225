"""Multi-turn flows in tests/test_stories.yml, checked by `rasa test` itself."""
from __future__ import annotations

import subprocess
from pathlib import Path

from scripts.model_store import PROJECT_ROOT, rasa_environment, rasa_executable


def test_story_flows_pass_with_fail_on_prediction_errors(trained_model: Path, tmp_path: Path):
    completed = subprocess.run(
        [
            rasa_executable(), "test", "core",
            "--model", str(trained_model),
            "--stories", str(PROJECT_ROOT / "tests" / "test_stories.yml"),
            "--fail-on-prediction-errors",
            "--out", str(tmp_path / "results"),
        ],
        cwd=PROJECT_ROOT, env=rasa_environment(), capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    failed = (tmp_path / "results" / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed
