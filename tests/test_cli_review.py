"""``l10n review`` on the command line: the static export, the host rule, the server call."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cli_projects import example_project
from click.testing import CliRunner

from l10n.cli import cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return example_project(tmp_path)


def test_static_writes_the_views(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["-C", str(example), "review", "--static", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote 9 file(s)")
    assert (out / "index.html").is_file() and (
        out / "ar" / "briefs" / "sora-explainer.html"
    ).is_file()


def test_review_serves_the_project_until_ctrl_c(example: Path) -> None:
    command = [sys.executable, "-m", "l10n", "-C", str(example), "review", "--port", "0"]
    command += ["--lang", "zh-hans", "briefs/sora-explainer.html"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=[\w-]+", line)
        assert found, line
        with httpx.Client(follow_redirects=True, timeout=10) as client:
            assert client.get(found[0]).status_code == 200  # the token becomes a cookie
            rows = client.get(f"http://127.0.0.1:{found[1]}/api/index").json()["rows"]
        assert {(r["rel"], r["lang"]) for r in rows} == {("briefs/sora-explainer.html", "zh-Hans")}
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("host", "says"), [("0.0.0.0", "not a wildcard"), ("8.8.8.8", "--allow-remote")]
)
def test_a_host_others_could_reach_is_refused_in_one_line(
    example: Path, host: str, says: str
) -> None:
    before = sorted(p.read_bytes() for p in example.rglob("*") if p.is_file())
    result = CliRunner().invoke(cli, ["-C", str(example), "review", "--host", host])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and says in result.output
    assert sorted(p.read_bytes() for p in example.rglob("*") if p.is_file()) == before
