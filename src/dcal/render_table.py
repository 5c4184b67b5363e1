"""The terminal table: the only module that imports rich."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dcal.render import clean_text
from dcal.views import Cell, Grid

STYLES = {"title": "bold", "dim": "dim", "shift": "bold yellow", "tba": "italic magenta", "": ""}


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit 1 here; dcal's one boundary turns this into its quiet exit 141.
        raise BrokenPipeError


def make_console(out: TextIO, color: bool | None) -> Console:
    """A console on ``out``: colour on a terminal, or as ``--color/--no-color`` forces.

    Rich itself honours NO_COLOR, FORCE_COLOR, COLUMNS and TERM=dumb; ``--no-color``
    removes every escape sequence, bold and dim included.
    """
    return _Console(
        file=out,
        force_terminal=True if color else None,
        color_system=None if color is False else "auto",
        emoji=False,
        markup=False,
        highlight=False,
    )


def to_text(cell: Cell) -> Text:
    """Styled runs → rich Text; catalogue strings are cleaned and never parsed as markup."""
    text = Text()
    for run, style in cell:
        text.append(clean_text(run), style=STYLES.get(style, ""))
    return text


def write_table(grid: Grid, out: TextIO, *, color: bool | None, title: str | None = None) -> None:
    console = make_console(out, color)
    # Rows of several lines (the session list) read better with a rule between them.
    table = Table(title=clean_text(title) if title else None, show_lines=grid.flexible is not None)
    for index, heading in enumerate(grid.headings):
        flexible = grid.flexible is None or index == grid.flexible
        table.add_column(
            clean_text(heading),
            overflow="fold",
            no_wrap=not flexible,
            ratio=1 if index == grid.flexible else None,
        )
    for row in grid.rows:
        table.add_row(*(to_text(cell) for cell in row))
    console.print(table)


def write_details(grid: Grid, out: TextIO, *, color: bool | None) -> None:
    """``dcal show``: a two-column grid without borders."""
    console = make_console(out, color)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for row in grid.rows:
        table.add_row(*(to_text(cell) for cell in row))
    console.print(table)
