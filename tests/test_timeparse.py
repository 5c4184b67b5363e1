"""Dates and wall-clock times as catalogues and users write them."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcal.errors import TimeParseError
from dcal.timeparse import (
    MAX_YEAR,
    MIN_YEAR,
    parse_date,
    parse_datetime,
    parse_instant,
    parse_time_of_day,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-10-21 10:00", datetime(2020, 10, 21, 10, 0)),
        ("2020-10-21T10:00", datetime(2020, 10, 21, 10, 0)),
        ("2020-10-21t10:00:30", datetime(2020, 10, 21, 10, 0, 30)),
        ("  2020-10-21   9:05 ", datetime(2020, 10, 21, 9, 5)),
        ("2020-1-2 00:00", datetime(2020, 1, 2, 0, 0)),
        ("2020-10-22 24:30", datetime(2020, 10, 23, 0, 30)),
        ("2020-10-22 24:00", datetime(2020, 10, 23, 0, 0)),
        ("2020-12-31 25:15", datetime(2021, 1, 1, 1, 15)),
        ("2024-02-28 47:59", datetime(2024, 2, 29, 23, 59)),
        ("２０２０-１０-２１ １０：００", datetime(2020, 10, 21, 10, 0)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2020-10-21",
        "10:00",
        "2020-13-01 10:00",
        "2021-02-29 10:00",
        "2020-10-21 48:00",
        "2020-10-21 10:60",
        "2020-10-21 10:00:61",
        "21/10/2020 10:00",
        "2020-10-21 10:00+02:00",
        "2020-10-21 10:00Z",
        "9999-12-31 24:00",
        "٢٠٢٠-10-21 10:00",
    ],
)
def test_parse_datetime_refuses(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_datetime(text)


def test_offset_hint() -> None:
    with pytest.raises(TimeParseError, match="without an offset"):
        parse_datetime("2020-10-21T10:00+02:00")


@pytest.mark.parametrize("text", ["0001-12-31 10:00", "9999-01-01 00:00", "9998-12-31 24:00"])
def test_years_outside_the_supported_range(text: str) -> None:
    with pytest.raises(TimeParseError, match="outside the years dcal supports"):
        parse_datetime(text)


def test_parse_date() -> None:
    assert parse_date("2025-06-16") == date(2025, 6, 16)
    with pytest.raises(TimeParseError, match="not a real date"):
        parse_date("2025-02-30")
    with pytest.raises(TimeParseError, match="YYYY-MM-DD"):
        parse_date("16 June")


def test_parse_time_of_day() -> None:
    assert parse_time_of_day("24:30") == (time(0, 30), 1)
    assert parse_time_of_day("9:05") == (time(9, 5), 0)
    with pytest.raises(TimeParseError):
        parse_time_of_day("9")


@given(
    st.datetimes(min_value=datetime(MIN_YEAR, 1, 2), max_value=datetime(MAX_YEAR, 12, 30)),
    st.booleans(),
)
def test_datetime_round_trip(moment: datetime, with_t: bool) -> None:
    moment = moment.replace(microsecond=0)
    text = moment.isoformat(sep="T" if with_t else " ")
    assert parse_datetime(text) == moment


@given(st.datetimes(min_value=datetime(MIN_YEAR, 1, 2), max_value=datetime(MAX_YEAR, 12, 30)))
def test_past_midnight_style(moment: datetime) -> None:
    """``D 24:MM`` is ``D+1 00:MM``, as announcers write it."""
    moment = moment.replace(hour=0, second=0, microsecond=0)
    previous = date.fromordinal(moment.toordinal() - 1)
    assert parse_datetime(f"{previous} 24:{moment.minute:02d}") == moment


@given(st.text(max_size=30))
def test_parser_only_raises_its_own_error(text: str) -> None:
    with contextlib.suppress(TimeParseError):
        parse_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22T00:00:00Z", datetime(2026, 11, 22, tzinfo=UTC)),
        ("2026-11-22T09:00:00+09:00", datetime(2026, 11, 22, tzinfo=UTC)),
        (" 2026-11-22 01:30-01:30 ", datetime(2026, 11, 22, 3, 0, tzinfo=UTC)),
    ],
)
def test_parse_instant(text: str, expected: datetime) -> None:
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["2026-11-22T00:00:00", "yesterday", "0001-01-01T00:00:00+05:00"])
def test_parse_instant_refuses(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_instant(text)
