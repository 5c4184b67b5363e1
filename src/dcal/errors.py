"""Exceptions that carry their own exit codes; the CLI converts them in one place."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CATALOGUE = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class DcalError(Exception):
    """An error the user can act on; ``str()`` is the one-line message."""

    exit_code = EXIT_USAGE


class UsageError(DcalError):
    """A bad flag value, zone, date or id (exit 2)."""

    exit_code = EXIT_USAGE


class ZoneError(UsageError):
    """A zone name dcal cannot resolve to exactly one zone."""


class TimeParseError(UsageError):
    """A date or time that cannot be read."""


class CatalogueError(DcalError):
    """An unreadable or invalid catalogue (exit 3); carries one message per problem."""

    exit_code = EXIT_CATALOGUE

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid catalogue")
        self.problems = problems


class OutputError(DcalError):
    """Output that could not be written (exit 4)."""

    exit_code = EXIT_OUTPUT
