"""Writers: CSV formula safety, TSV escaping, Markdown escaping, JSON shape."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcal.render import (
    clean_text,
    spreadsheet_safe,
    tsv_escape,
    write_delimited,
    write_json,
    write_jsonl,
    write_markdown,
)
from dcal.views import Grid


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("-3", "-3"),
        ("-03:00", "-03:00"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(cell: str, expected: str) -> None:
    assert spreadsheet_safe(cell) == expected


def test_tsv_escape() -> None:
    assert tsv_escape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"


@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), max_size=5))
def test_csv_round_trip_is_safe(rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    write_delimited(["a", "b"], rows, out, tsv=False)
    parsed = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert parsed[0] == ["a", "b"]
    assert len(parsed) == len(rows) + 1
    for cells in parsed[1:]:
        for cell in cells:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "\n")) or cell == ""
            assert not any(ord(c) < 32 and c not in "\t\n\r" for c in cell)


@given(st.lists(st.lists(st.text(max_size=12), min_size=2, max_size=2), max_size=5))
def test_tsv_never_carries_raw_tabs_or_newlines(rows: list[list[str]]) -> None:
    out = io.StringIO()
    write_delimited(["a", "b"], rows, out, tsv=True)
    lines = out.getvalue().split("\n")
    assert lines[-1] == ""
    assert len(lines) == len(rows) + 2
    assert all(line.count("\t") == 1 for line in lines[:-1])


def test_clean_text_drops_terminal_controls() -> None:
    assert clean_text("a\x1b[31mred\x07\u202eb\tc") == "a[31mredb c"
    assert clean_text("two\nlines", newlines=False) == "two lines"


def test_markdown_escapes() -> None:
    out = io.StringIO()
    write_markdown(Grid(("h|1",), (((("a|b *c* <i>", ""), ("\nid", "dim")),),)), out)
    assert out.getvalue() == "| h\\|1 |\n|---|\n| a\\|b \\*c\\* \\<i\\> · id |\n"


def test_json_shapes() -> None:
    out = io.StringIO()
    write_json([], out)
    assert out.getvalue() == "[]\n"
    out = io.StringIO()
    write_json([{"a": "日本"}, {"a": 2}], out)
    assert json.loads(out.getvalue()) == [{"a": "日本"}, {"a": 2}]
    assert "日本" in out.getvalue()
    out = io.StringIO()
    write_jsonl([{"a": 1}, {"a": 2}], out)
    assert out.getvalue() == '{"a": 1}\n{"a": 2}\n'


def test_json_fast_path_misses_nothing() -> None:
    """to_json skips its escaping pass for printable text: every character it escapes must
    therefore be unprintable."""
    import re

    from dcal.render import _JSON_UNSAFE

    unsafe = re.compile(_JSON_UNSAFE)
    escaped = [chr(c) for c in range(0x110000) if unsafe.match(chr(c))]
    assert escaped
    assert not any(c.isprintable() for c in escaped)
