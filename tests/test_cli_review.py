"""``l10n review`` on the command line: the static export, the host rule, the server call."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.cli import cli

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("articles", "locales", "glossaries"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "l10n.toml", root / "l10n.toml")
    return root


def test_static_writes_the_views(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["-C", str(example), "review", "--static", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote 9 file(s)")
    assert (out / "index.html").is_file() and (
        out / "ar" / "briefs" / "sora-explainer.html"
    ).is_file()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """A stand-in for l10n.review.server that records how it was called."""
    calls: list[dict[str, object]] = []
    fake = types.ModuleType("l10n.review.server")

    def serve(project: object, **options: object) -> None:
        calls.append(options)

    fake.serve = serve  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "l10n.review.server", fake)
    import l10n.review

    monkeypatch.setattr(l10n.review, "server", fake, raising=False)
    return calls


def test_the_server_gets_the_options(example: Path, server: list[dict[str, object]]) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "-C",
            str(example),
            "review",
            "--lang",
            "zh-hans",
            "--port",
            "0",
            "briefs/sora-explainer.html",
        ],
    )
    assert result.exit_code == 0, result.output
    assert server == [
        {
            "host": "127.0.0.1",
            "port": 0,
            "lang": "zh-Hans",
            "articles": ("briefs/sora-explainer.html",),
            "open_browser": False,
        }
    ]


def test_a_remote_host_needs_the_flag_and_is_warned_about(
    example: Path, server: list[dict[str, object]]
) -> None:
    refused = CliRunner().invoke(cli, ["-C", str(example), "review", "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and not server
    assert refused.output.count("\n") == 1 and "--allow-remote" in refused.output
    allowed = CliRunner().invoke(
        cli, ["-C", str(example), "review", "--host", "0.0.0.0", "--allow-remote"]
    )
    assert allowed.exit_code == 0, allowed.output
    assert "warning" in allowed.output and server[0]["host"] == "0.0.0.0"
    for loopback in ("localhost", "127.0.0.2", "::1"):
        assert (
            CliRunner().invoke(cli, ["-C", str(example), "review", "--host", loopback]).exit_code
            == 0
        )
