"""The README stays true: every command's --help is pasted in it, and every command has an example."""

from __future__ import annotations

import re

import pytest
from tests.conftest import ROOT

README = ROOT / "README.md"
COMMANDS = (
    "list",
    "show",
    "export",
    "convert",
    "now",
    "parse",
    "check",
    "themes",
    "cities",
    "zones",
    "import",
)


def help_text(run, command: str) -> str:
    result = run(command, "--help")
    assert result.code == 0
    return result.out


def test_help_is_in_the_readme(
    run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    text = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        block = f"<!-- help:{command} -->\n```text\n$ dcal {command} --help\n{help_text(run, command)}```\n<!-- /help -->"
        pattern = re.compile(rf"<!-- help:{command} -->.*?<!-- /help -->", re.DOTALL)
        assert pattern.search(text), f"README.md has no help block for {command}"
        if request.config.getoption("--update-golden"):
            text = pattern.sub(lambda _, block=block: block, text)
        else:
            assert block in text, (
                f"README.md: the help of 'dcal {command}' is out of date; run pytest --update-golden"
            )
    if request.config.getoption("--update-golden"):
        README.write_text(text, encoding="utf-8")


def test_every_command_has_an_example() -> None:
    text = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert re.search(rf"^dcal {command}\b", text, re.MULTILINE), command


def test_the_two_commands_are_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install . && dcal list" in text
    assert "pip install -e '.[test]' && pytest" in text
