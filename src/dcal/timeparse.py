"""Reading dates and wall-clock times as people and catalogues write them."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TypeVar

from dcal.errors import TimeParseError

# A day's margin inside datetime's own range (years 1–9999), so that no conversion (offsets
# up to 18 hours) and no exclusive end date (+1 day) can overflow.
MIN_YEAR, MAX_YEAR = 2, 9998

# Weekday names as dcal reads and writes them, whatever the machine's locale.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_EN = tuple(name[:3] for name in DAY_NAMES)
WEEKDAYS_JA = "月火水木金土日"

# Announcers write times past midnight as 24:30 (and Japanese listings as 25:00);
# hours up to 47 are read as the next day.
MAX_HOUR = 47

_Day = TypeVar("_Day", date, datetime)

_DATE = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_DATE_RE = rf"^{_DATE}$"
_TIME_RE = rf"^{_TIME}$"
_DATETIME_RE = rf"^{_DATE}(?:[Tt]|\s+){_TIME}$"
# What catalogues write nearly always (hours 00–23): read by datetime.fromisoformat.
_CANONICAL_RE = r"\d{4}-\d{2}-\d{2}[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"


# A time written with an offset at its end (``…+02:00``, ``…Z``): meant as an instant.
OFFSET_AT_END = r"(?:[+-]\d{2}:?\d{2}|[Zz])\s*$"


@cache
def pattern(source: str) -> re.Pattern[str]:
    """Compile on first use, not at import (start-up is budgeted); ASCII digits only."""
    return re.compile(source, re.ASCII)


def _normalise(text: str) -> str:
    """Full-width digits and colons (as Japanese input methods type them) become ASCII."""
    return (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` → date, with a message that says what was wrong."""
    match = pattern(_DATE_RE).match(_normalise(text))
    if not match:
        raise TimeParseError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-16")
    return check_year(_make_date(text, match), repr(text))


def parse_time_of_day(text: str) -> tuple[time, int]:
    """``HH:MM[:SS]`` → (time, extra days); ``24:30`` is (00:30, 1)."""
    match = pattern(_TIME_RE).match(_normalise(text))
    if not match:
        raise TimeParseError(f"{text!r} is not a time; write it as HH:MM, e.g. 17:00")
    return _make_time(text, match)


def parse_datetime(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` (or with ``T``) → naive wall-clock datetime.

    ``2020-10-22 24:30`` is 00:30 on 23 October. Offsets are not accepted here: the
    zone of a wall-clock time is always given separately.
    """
    if pattern(_CANONICAL_RE).fullmatch(text):  # the common case, in C: ~10x faster
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:  # 30 February: the message comes below
            moment = None
        if moment is not None and MIN_YEAR <= moment.year <= MAX_YEAR:
            return moment
    stripped = _normalise(text)
    match = pattern(_DATETIME_RE).match(stripped)
    if not match:
        hint = ""
        if pattern(OFFSET_AT_END).search(stripped):
            hint = " without an offset (give the zone separately)"
        raise TimeParseError(
            f"{text!r} is not a date and time; write it as YYYY-MM-DD HH:MM{hint}, "
            "e.g. 2020-10-21 10:00"
        )
    day = check_year(_make_date(text, match), repr(text))
    clock, extra_days = _make_time(text, match)
    return check_year(datetime.combine(day, clock) + timedelta(days=extra_days), repr(text))


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date-time with an offset (``Z`` for UTC) → aware datetime in UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise TimeParseError(
            f"{text!r} is not a date-time with an offset; write e.g. 2026-11-22T00:00:00Z"
        )
    # Both where it is written and in UTC: "0002-01-01T00:00+23:59" is year 1 in UTC.
    return check_year(check_year(moment, repr(text)).astimezone(UTC), repr(text))


def check_year(value: _Day, text: object) -> _Day:
    """``value`` if its year is one dcal supports, else a TimeParseError naming ``text``."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise TimeParseError(
            f"{text!s} is outside the years dcal supports ({MIN_YEAR:04d}–{MAX_YEAR})"
        )
    return value


def _make_date(text: str, match: re.Match[str]) -> date:
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise TimeParseError(f"{text!r} is not a real date ({exc})") from None


def _make_time(text: str, match: re.Match[str]) -> tuple[time, int]:
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > MAX_HOUR or minute > 59 or second > 59:
        raise TimeParseError(f"{text!r} is not a real time of day")
    extra_days, hour = divmod(hour, 24)
    return time(hour, minute, second), extra_days
