"""Spreadsheets of sessions that were not written for dcal: CSV with their own column names.

Organizers keep programmes in sheets, and calendars export them (Google Calendar's CSV
format, Outlook's export): ``Subject, Start Date, Start Time, End Date, End Time, All Day
Event, Description, Location``. Columns are recognised by name, in any case and order;
dates may be ISO, day-first with dots, or with slashes (month first, as those calendars
write them, unless a value in the column can only be day first). Anything assumed is said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from dcal.errors import CatalogueError
from dcal.importing import (
    YEARS,
    Ids,
    Imported,
    Quirks,
    http_url,
    listed,
    named_zone,
    source_name,
    wall_text,
)
from dcal.timeparse import MAX_HOUR
from dcal.views import plural

# The columns a sheet may have, by dcal field; names are compared in lower case without
# spaces, dashes or underscores.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "uid", "code", "slug", "sessionid"),
    "title": ("title", "subject", "session", "sessiontitle", "name", "eventtitle"),
    "date": ("date", "startdate", "day"),
    "start": ("start", "starttime", "begin", "begins", "from", "starts"),
    "end_date": ("enddate",),
    "end": ("end", "endtime", "finish", "until", "to", "ends"),
    "timezone": ("timezone", "tz", "zone", "tzid"),
    "all_day": ("allday", "alldayevent"),
    "location": ("location", "room", "venue", "place"),
    "summary": ("description", "abstract", "summary", "notes", "details"),
    "speakers": ("speakers", "speaker", "presenters", "presenter", "persons"),
    "themes": ("themes", "theme", "track", "tracks", "categories", "category", "tags"),
    "url": ("url", "link", "website", "web"),
    "event": ("event", "conference", "series"),
    "cities": ("cities", "city"),
    "hosts": ("hosts", "host", "organizer", "organiser", "organizers"),
}
_ALIASES = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?")
_TRUE = {"true", "yes", "y", "1", "x", "✓"}


def column_field(name: str) -> str | None:
    """The dcal field a sheet's column holds, or None."""
    return _ALIASES.get(re.sub(r"[\s_\-.]+", "", name.strip().lower()))


def looks_like_a_sheet(header: Sequence[str]) -> bool:
    """A header naming a title and a start or date column in words dcal knows."""
    fields = {column_field(name) for name in header}
    return "title" in fields and bool(fields & {"start", "date"})


def read_sheet(
    label: str, header: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]], zone: str | None
) -> Imported:
    """Entries from a sheet's rows (``(where, cells)``, where being ``row 4``)."""
    fields = [column_field(name) for name in header]
    given: dict[str, str] = {}
    for name, field in zip(header, fields, strict=True):
        if field is not None and field in given:
            raise CatalogueError(
                [f"{label}: row 1: columns {given[field]!r} and {name!r} both give the {field}; "
                 "keep one, or rename the other"]
            )  # fmt: skip
        if field is not None:
            given[field] = name
    notes: list[str] = []
    ignored = [name for name, field in zip(header, fields, strict=True) if field is None]
    if ignored:
        notes.append(f"{label}: columns not read: {', '.join(map(repr, ignored))}")
    records = [
        (where, {f: c.strip() for f, c in zip(fields, cells, strict=False) if f and c.strip()})
        for where, cells in rows
    ]
    month_first = _month_first(label, [r for _, r in records], notes)
    assumed_zone = _zone(label, zone, records, notes)
    ids = Ids()
    problems: list[str] = []
    sessions, places = [], []
    quirks = Quirks()
    for where, record in records:
        try:
            entry = _entry(record, month_first, assumed_zone, ids, quirks, where)
        except OverflowError:
            problems.append(f"{label}: {where}: outside {YEARS}")
            continue
        except ValueError as exc:
            problems.append(f"{label}: {where}: {exc}")
            continue
        sessions.append(entry)
        places.append(where)
    if problems:
        raise CatalogueError(problems)
    notes.extend(quirks.notes(label, "row", _QUIRKS))
    notes.extend(ids.note(label))
    # The sheet's name is the catalogue's, and so each session's event unless a column says.
    return Imported({"name": source_name(label)}, sessions, notes, places)


def _month_first(label: str, records: list[dict[str, str]], notes: list[str]) -> bool:
    """Slashed dates: month first (as calendars export them) unless one can only be day first."""
    slashed = [
        match.groups()
        for record in records
        for key in ("date", "end_date", "start", "end")
        if (match := _SLASHED.search(record.get(key, "")))
    ]
    if not slashed:
        return True
    if any(int(first) > 12 for first, _, _ in slashed):
        notes.append(f"{label}: dates like {'/'.join(slashed[0])} read day first (day/month/year)")
        return False
    if all(int(first) == int(second) for first, second, _ in slashed):
        return True
    notes.append(
        f"{label}: dates like {'/'.join(slashed[0])} read month first (month/day/year, as "
        "calendars export them); write YYYY-MM-DD to be sure"
    )
    return True


def _zone(
    label: str, given: str | None, records: list[tuple[str, dict[str, str]]], notes: list[str]
) -> str:
    """The zone of rows that name none: --timezone, else UTC (said)."""
    if given:
        return named_zone(given)[0]
    floating = [
        where for where, record in records if "timezone" not in record and _has_clock(record)
    ]
    if floating:
        notes.append(
            f"{label}: {plural(len(floating), 'row')} with times but no zone: read as UTC "
            f"(name the zone with --timezone), e.g. {listed(floating)}"
        )
    return "UTC"


def _has_clock(record: dict[str, str]) -> bool:
    return not _all_day(record) and ("start" in record or "end" in record)


def _all_day(record: dict[str, str]) -> bool:
    flag = record.get("all_day", "").lower()
    return flag in _TRUE


_QUIRKS = {
    "no-end": "with a start but no end (or an end equal to it): assumed an hour",
    "overnight": "ending at a clock time before the start: read as ending the next day",
    "not-http": "with a url that is not an http(s) URL: left out",
}


def _entry(
    record: dict[str, str],
    month_first: bool,
    zone: str,
    ids: Ids,
    quirks: Quirks,
    where: str,
) -> dict[str, Any]:
    title = record.get("title")
    if not title:
        raise ValueError("title: missing")
    entry: dict[str, Any] = {"id": ids.make(record.get("id"), title.lower()), "title": title}
    day = _day(record.get("date"), month_first, "date")
    start_day, (start_clock, start_extra) = _split(record.get("start"), month_first, "start")
    end_day, (end_clock, end_extra) = _split(record.get("end"), month_first, "end")
    day = day or start_day
    last = _day(record.get("end_date"), month_first, "end_date") or end_day
    if day is None:
        raise ValueError("no date: give a date (YYYY-MM-DD) or a start with one")
    if _all_day(record) or (start_clock is None and end_clock is None):
        entry["date"] = day.isoformat()
        if last is not None:
            # Calendars export an all-day event's end as the day after, when it has a time
            # of 00:00 or is a separate end date equal to the start plus one: keep inclusive.
            if end_clock == time(0) and last > day:
                last -= timedelta(days=1)
            if last < day:
                raise ValueError(f"end date {last} is before {day}")
            if last > day:
                entry["end_date"] = last.isoformat()
    else:
        if start_clock is None:
            raise ValueError("start: a time is missing (an end time is given)")
        start = datetime.combine(day, start_clock) + start_extra  # 24:30 is the next day
        if end_clock is None:
            end = start + timedelta(hours=1)
            quirks.add("no-end", where)
        else:
            end = datetime.combine(last or day, end_clock) + end_extra
            if end == start:
                end = start + timedelta(hours=1)
                quirks.add("no-end", where)
            elif end < start and last is None:
                end += timedelta(days=1)  # 23:00–01:00: past midnight
                quirks.add("overnight", where)
        entry["timezone"] = record.get("timezone", zone)
        entry["start"], entry["end"] = wall_text(start), wall_text(end)
    for field in ("location", "summary", "event"):
        if field in record:
            entry[field] = record[field]
    if "url" in record:
        url = http_url(record["url"])
        if url:
            entry["url"] = url
        else:
            quirks.add("not-http", where)
    for field in ("speakers", "themes", "cities", "hosts"):
        if field in record:
            # "Smith, John; Doe, Jane": semicolons separate when there are any.
            separator = ";" if ";" in record[field] else ","
            items = (item.strip() for item in record[field].split(separator))
            entry[field] = [item for item in items if item]
    return entry


_NO_CLOCK: tuple[time | None, timedelta] = (None, timedelta(0))


def _split(
    text: str | None, month_first: bool, name: str
) -> tuple[date | None, tuple[time | None, timedelta]]:
    """A cell holding a date, a time, or both (``2025-06-18 10:00``, ``6/18/2025 10:00 AM``)."""
    if not text:
        return None, _NO_CLOCK
    for pattern in (_ISO_DATE, _DOTTED, _SLASHED):
        match = pattern.match(text)
        if match:
            rest = text[match.end() :].lstrip(" T")
            day = _day(match.group(), month_first, name)
            return day, (_clock(rest, name) if rest else _NO_CLOCK)
    return None, _clock(text, name)


def _day(text: str | None, month_first: bool, name: str) -> date | None:
    if not text:
        return None
    try:
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = map(int, match.groups())
        elif match := _DOTTED.fullmatch(text):
            day, month, year = map(int, match.groups())
        elif match := _SLASHED.fullmatch(text):
            first, second, year = map(int, match.groups())
            month, day = (first, second) if month_first else (second, first)
        else:
            raise ValueError
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a date (write YYYY-MM-DD)") from None


def _clock(text: str, name: str) -> tuple[time, timedelta]:
    """A time of day and the days it runs over: ``24:30`` is (00:30, one day) and ``25:00``
    (Japanese listings) is (01:00, one day), up to ``MAX_HOUR``, as in dcal."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{name}: {text!r} is not a time (write HH:MM)")
    hour, minute, second = (int(part or 0) for part in match.groups()[:3])
    meridiem = (match.group(4) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"{name}: {text!r} is not a time")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    days = 0
    if not meridiem and hour <= MAX_HOUR:
        days, hour = divmod(hour, 24)
    try:
        return time(hour, minute, second), timedelta(days=days)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a time (write HH:MM)") from None
