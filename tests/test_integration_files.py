"""The files other tools read: the GitHub Actions workflow and the pre-commit hooks.

Every ``l10n …`` command line in them must be one this version of the command accepts:
a console script of this package, subcommands of the click group, options they have.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from l10n import cli as cli_module

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "l10n.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

def console_scripts() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts: dict[str, str] = project["project"]["scripts"]
    return scripts


def parse(argv: list[str]) -> click.Context:
    """Parse ``argv`` (without the program name) the way ``l10n`` would, down to the
    innermost subcommand, without running anything.  Unknown options, missing option
    values, bad choices and unknown subcommands raise ``click.UsageError``."""
    group: click.Command = cli_module.cli
    ctx = group.make_context("l10n", list(argv))
    while isinstance(group, click.Group):
        with warnings.catch_warnings():  # click 9 keeps every remaining token in args
            warnings.simplefilter("ignore", DeprecationWarning)
            rest = [*getattr(ctx, "protected_args", []), *ctx.args]
        if not rest:
            raise click.UsageError("missing subcommand", ctx)
        name, command, args = group.resolve_command(ctx, rest)
        assert name is not None and command is not None
        ctx = command.make_context(name, args, parent=ctx)
        group = command
    return ctx


def option_names(ctx: click.Context) -> set[str]:
    names: set[str] = set()
    current: click.Context | None = ctx
    while current is not None:
        for param in current.command.params:
            if isinstance(param, click.Option):
                names.update(param.opts + param.secondary_opts)
        current = current.parent
    return names


def validate(line: str) -> click.Context:
    """One shell command line starting with a console script of this package."""
    tokens = shlex.split(line, comments=True)
    scripts = console_scripts()
    assert tokens[0] in scripts, f"{tokens[0]!r} is not a console script of this package"
    assert scripts[tokens[0]] == "l10n.cli:main"
    ctx = parse(tokens[1:])
    # Belt and braces: every option token is an option of the command or its parents.
    known = option_names(ctx)
    for token in tokens[1:]:
        if token.startswith("-") and token != "-":
            assert token.split("=", 1)[0] in known, f"{line!r}: unknown option {token}"
    return ctx


def workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def run_lines() -> Iterator[tuple[str, str]]:
    """(job, line) for every uncommented ``l10n`` command in the workflow's run steps."""
    for job_name, job in workflow()["jobs"].items():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                line = line.strip()
                if line.split(" ", 1)[0] in console_scripts():
                    yield job_name, line


def commented_lines() -> Iterator[str]:
    """Comment lines of the workflow file that start with ``l10n `` (command examples)."""
    for raw in WORKFLOW.read_text(encoding="utf-8").splitlines():
        if "#" not in raw:
            continue
        comment = raw.split("#", 1)[1].strip()
        if comment.startswith("l10n "):
            yield comment


# --- the validator itself --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "l10n check --no-such-option",
        "l10n check --format xml",
        "l10n check --format",
        "l10n no-such-command",
        "l10n glossary export",  # --format is required
        "l10n glossary no-such-command",
        "l10n",
    ],
)
def test_validator_rejects_bad_command_lines(line: str) -> None:
    with pytest.raises(click.UsageError):
        validate(line)


def test_validator_rejects_other_programs() -> None:
    with pytest.raises(AssertionError, match="console script"):
        validate("l10nx check")


def test_validator_accepts_group_options_and_nested_commands() -> None:
    ctx = validate("l10n -C . -v glossary export --format csv -o out.csv")
    assert ctx.command.name == "export" and ctx.params["fmt"] == "csv"
    assert validate("l10n check --lang es --lang fr --format=sarif").params["fmt"] == "sarif"


# --- the workflow ----------------------------------------------------------------------


def test_workflow_triggers_and_pinned_actions() -> None:
    data = workflow()
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    triggers = data.get("on", data.get(True))
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    uses = [s["uses"] for job in data["jobs"].values() for s in job["steps"] if "uses" in s]
    assert "actions/checkout@v4" in uses and "actions/setup-python@v5" in uses
    assert "actions/upload-artifact@v4" in uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", action), action


def test_workflow_checks_pull_requests_and_publishes_main() -> None:
    by_job: dict[str, list[list[str]]] = {}
    for job, line in run_lines():
        by_job.setdefault(job, []).append(shlex.split(line, comments=True))
    jobs = workflow()["jobs"]
    assert "pull_request" in jobs["check"]["if"] and "push" in jobs["publish"]["if"]
    assert ["l10n", "check", "--format", "github"] in by_job["check"]
    publish = by_job["publish"]
    assert publish.index(["l10n", "extract"]) < publish.index(["l10n", "publish"])
    upload = next(s for s in jobs["publish"]["steps"] if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == "public"
    installs = [s["run"] for s in jobs["check"]["steps"] if "pip install" in s.get("run", "")]
    assert installs and "apt-get install" in installs[0] and "gettext" in installs[0]


def test_pull_requests_get_the_static_review_pages_as_an_artifact() -> None:
    steps = workflow()["jobs"]["check"]["steps"]
    review = next(s for s in steps if "l10n review" in s.get("run", ""))
    command = shlex.split(review["run"])
    folder = command[command.index("--static") + 1]
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == folder
    # Editors want the pages most when a check failed.
    assert "cancelled()" in review["if"] and "cancelled()" in upload["if"]
    assert steps.index(review) < steps.index(upload)


def test_every_workflow_command_line_parses() -> None:
    lines = list(run_lines())
    assert len(lines) >= 4
    for _, line in lines:
        validate(line)


def test_commented_examples_parse_too() -> None:
    """Examples in comments are command lines a reader will paste: they must parse."""
    examples = list(commented_lines())
    assert any("--shard ${{ matrix.shard }}/4" in e for e in examples)
    for example in examples:
        validate(re.sub(r"\$\{\{[^}]*\}\}", "1", example))  # a matrix value


# --- the pre-commit hooks --------------------------------------------------------------


def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data
    return data


def test_hooks_have_the_required_keys() -> None:
    ids = [h["id"] for h in hooks()]
    assert len(ids) == len(set(ids)) and "l10n-check" in ids and "l10n-glossary-lint" in ids
    for hook in hooks():
        for key in ("id", "name", "entry", "language"):
            assert isinstance(hook[key], str) and hook[key], (hook.get("id"), key)
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        assert hook["pass_filenames"] is False  # `l10n check` takes article names


def test_hook_entries_are_commands_of_this_package() -> None:
    for hook in hooks():
        ctx = validate(hook["entry"])
        assert ctx.command.name == hook["id"].removeprefix("l10n-").split("-")[-1]


@pytest.mark.parametrize(
    ("path", "check", "lint"),
    [
        ("locales/es/commentary/ai-initiative.po", True, False),
        ("locales/templates/briefs/sora-explainer.pot", True, False),
        ("glossaries/newsroom.tbx", True, True),
        ("glossaries/terms.csv", True, True),
        ("articles/briefs/sora-explainer.html", True, False),
        ("articles/old/page.htm", True, False),
        ("l10n.toml", True, True),
        ("site/l10n.toml", True, True),
        ("README.md", False, False),
        ("l10n/cli.py", False, False),
        ("my-l10n.toml", False, False),
        ("notes.pot.txt", False, False),
    ],
)
def test_hook_file_patterns(path: str, check: bool, lint: bool) -> None:
    patterns = {h["id"]: re.compile(h["files"]) for h in hooks()}
    # pre-commit selects a file when re.search finds the pattern in its path.
    assert bool(patterns["l10n-check"].search(path)) is check
    assert bool(patterns["l10n-glossary-lint"].search(path)) is lint


def test_hooks_pass_on_the_example_project() -> None:
    runner = CliRunner()
    for hook in hooks():
        args = shlex.split(hook["entry"])[1:]
        result = runner.invoke(cli_module.cli, ["-C", str(ROOT), *args])
        assert result.exit_code == 0, (hook["id"], result.output, result.stderr)


def readme_commands() -> list[str]:
    """The two set-up commands README.md opens with (the first ``sh`` block)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    demo, tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci == tests
    # Both start from a new virtual environment, so lingering old packages are not used.
    assert "python3 -m venv" in demo and "python3 -m venv --clear" in tests
    for command in (demo, tests):
        for part in command.split(" && "):
            if part.startswith("l10n "):
                parse(shlex.split(part)[1:])


def test_readme_test_steps_all_run_when_one_fails(tmp_path: Path) -> None:
    # Only the part after the install: a failing first step must not hide the others.
    steps = readme_commands()[1].rsplit(" && ", 1)[1]
    for tool in ("python", "ruff", "mypy", "l10n"):
        script = tmp_path / tool
        script.write_text(f"#!/bin/sh\necho ran {tool} >> {tmp_path}/log\nexit 1\n")
        script.chmod(0o755)
    done = subprocess.run(
        ["sh", "-c", steps], env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, check=False
    )
    assert done.returncode == 1
    assert (tmp_path / "log").read_text().split("\n")[:-1] == [
        "ran python",
        "ran ruff",
        "ran mypy",
        "ran l10n",
    ]


def test_every_dependency_has_a_tested_upper_bound() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        assert "<" in requirement, requirement
