"""Writers for the machine and Markdown formats. Catalogue text is data: every writer
neutralises what could act as markup, terminal control, a second field or a formula."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from dcal.model import Session
from dcal.timeparse import pattern
from dcal.views import Grid

# C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what a reader
# sees ("Trojan Source"); tab and newline are handled by each writer.
UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
# Characters JSON may carry raw but a terminal would act on (C1 controls, DEL, line and
# paragraph separators, bidi overrides): written as \uXXXX escapes, so the data is kept.
_JSON_UNSAFE = r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# What a URL written into Markdown or a link keeps as it is; anything else is percent-encoded.
URL_SAFE = "/:%?#&=+@,;~!$"
# OWASP: a spreadsheet treats a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean_text(text: str, *, newlines: bool = True) -> str:
    """Drop control characters; tabs become spaces; newlines stay only if ``newlines``."""
    text = pattern(UNSAFE).sub("", text.replace("\r\n", "\n").replace("\t", " "))
    return text if newlines else text.replace("\n", " ")


@functools.cache
def _encoder(indent: int | None) -> json.JSONEncoder:
    """One encoder per layout: ``json.dumps`` with options builds a new one at every call."""
    return json.JSONEncoder(ensure_ascii=False, indent=indent)


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON text, UTF-8 kept readable, with terminal-active characters escaped."""
    text = _encoder(indent).encode(value)
    if text.isprintable():  # none of them (all are unprintable), checked at C speed
        return text
    return pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_json(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One JSON array, one object per line for readable diffs; ``[]`` when empty."""
    first = True
    for record in records:
        out.write("[\n" if first else ",\n")
        out.write(to_json(record))
        first = False
    out.write("[]\n" if first else "\n]\n")


def write_json_object(record: dict[str, Any], out: TextIO) -> None:
    out.write(to_json(record, indent=2) + "\n")


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    for record in records:
        out.write(to_json(record) + "\n")


def spreadsheet_safe(cell: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with an apostrophe.

    Negative numbers and ISO offsets (``-3``, ``-03:00``) are data, not formulas, and
    stay as they are so that tools reading the file get numbers back.
    """
    if cell.startswith(_FORMULA_START) and not re.fullmatch(r"-\d+(?:[.:]\d+)?", cell):
        return "'" + cell
    return cell


def tsv_escape(cell: str) -> str:
    r"""TSV cells never hold a raw tab or line break: ``\t``, ``\n``, ``\r``, ``\\``."""
    return cell.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_delimited(
    columns: Sequence[str], rows: Iterable[Sequence[str]], out: TextIO, *, tsv: bool
) -> None:
    """CSV (RFC 4180, CRLF rows) or TSV (escaped, LF rows), safe to open in a spreadsheet."""
    if tsv:
        out.write("\t".join(tsv_escape(c) for c in columns) + "\n")
        for row in rows:
            cells = (tsv_escape(spreadsheet_safe(pattern(UNSAFE).sub("", cell))) for cell in row)
            out.write("\t".join(cells) + "\n")
        return
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(pattern(UNSAFE).sub("", cell)) for cell in row])


def _markdown_cell(cell: Iterable[tuple[str, str]]) -> str:
    """One table cell: lines joined with `` · ``, Markdown and HTML characters escaped.

    Runs styled ``link:URL`` become links; the URL is percent-encoded by whoever made it,
    and anything that could end it early is encoded again here.
    """
    runs = list(cell)
    links = [(text, style[5:]) for text, style in runs if style.startswith("link:")]
    if links:
        return " · ".join(f"[{_markdown_text(text)}]({_markdown_url(url)})" for text, url in links)
    return _markdown_text("".join(text for text, _ in runs)) or " "


def _markdown_text(text: str) -> str:
    lines = clean_text(text).split("\n")
    text = " · ".join(line.strip() for line in lines if line.strip())
    return re.sub(r"([\\`*_{}\[\]<>|#!~])", r"\\\1", text)


def title_line(session: Session, lang: str) -> str:
    """A session's title as one line for a calendar: its id if the title is empty."""
    return clean_text(session.text("title", lang) or "", newlines=False).strip() or session.id


def _markdown_url(url: str) -> str:
    from urllib.parse import quote

    return quote(clean_text(url, newlines=False), safe=URL_SAFE)


def write_markdown(grid: Grid, out: TextIO) -> None:
    """A GitHub-flavoured Markdown table."""
    out.write("| " + " | ".join(_markdown_cell(((h, ""),)) for h in grid.headings) + " |\n")
    out.write("|" + "|".join("---" for _ in grid.headings) + "|\n")
    for row in grid.rows:
        out.write("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |\n")
