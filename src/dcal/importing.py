"""What every reader of another tool's schedule shares: the result, ids, zones, wall clocks.

A reader turns a foreign file (frab/pretalx schedule, iCalendar, a spreadsheet) into
catalogue entries, the same tables a dcal catalogue holds, plus one note for everything
it had to assume. The entries are then validated exactly as a catalogue is, so an
imported schedule is never trusted more than a hand-written one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from dcal.catalogue import ID_CHARS, MAX_ID
from dcal.timeparse import MAX_YEAR, MIN_YEAR
from dcal.views import plural
from dcal.zones import is_repeated

# Said of anything left out for its date: dcal reads and writes the years 0002–9998.
YEARS = f"the years dcal supports ({MIN_YEAR:04d}–{MAX_YEAR})"

# What a dcal id cannot hold (catalogue.ID_RE), replaced by "-".
_ID_BAD = re.compile(f"[^{ID_CHARS}]+")


class Imported(NamedTuple):
    """A foreign schedule read as a catalogue."""

    meta: dict[str, Any]  # the catalogue table: name, url, timezone, cities …
    sessions: list[dict[str, Any]]  # catalogue entries, with dcal's field names
    notes: list[str]  # what was assumed or left out, one line each, naming file and entry
    # Where each entry is in the file, for validation messages ("row 4"); default "#n".
    places: list[str] | None = None


class Ids:
    """Unique dcal ids made from whatever a foreign file uses (codes, slugs, UIDs).

    ``renamed`` lists the ids given twice, as ``first → first-2``, for the reader to report.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._count: dict[str, int] = {}
        self.renamed: list[str] = []

    def make(self, *candidates: object) -> str:
        """The first usable candidate as an id, made unique with ``-2``, ``-3`` …"""
        base = ""
        for candidate in candidates:
            if candidate is None or isinstance(candidate, bool):
                continue
            text = _ID_BAD.sub("-", str(candidate).strip()).strip("-._:@+")[:MAX_ID]
            if text:
                base = text
                break
        base = base or "session"
        ident, count = base, self._count.get(base, 1)
        while ident in self._seen:
            count += 1
            suffix = f"-{count}"
            ident = base[: MAX_ID - len(suffix)] + suffix
        self._count[base] = count  # the next repeat starts counting here, not from 2
        if ident != base:
            self.renamed.append(f"{base} → {ident}")
        self._seen.add(ident)
        return ident

    def note(self, label: str) -> list[str]:
        """The note about repeated ids, if there were any."""
        if not self.renamed:
            return []
        return [
            f"{label}: {plural(len(self.renamed), 'id')} given to more than one event: "
            f"the later ones renamed, e.g. {listed(self.renamed)}"
        ]


class Quirks:
    """What a reader assumed or repaired, by kind: each kind said once, with a few examples."""

    def __init__(self) -> None:
        self._examples: dict[str, list[str]] = {}

    def add(self, kind: str, example: str) -> None:
        self._examples.setdefault(kind, []).append(example)

    def notes(
        self, label: str, noun: str, texts: Mapping[str, str], before: str = ", e.g. "
    ) -> list[str]:
        """``file: 2 events <text>, e.g. a, b``, a line per kind in the order first met."""
        return [
            f"{label}: {plural(len(examples), noun)} {texts[kind]}{before}{listed(examples)}"
            for kind, examples in self._examples.items()
        ]


def named_zone(text: str) -> tuple[str, tzinfo]:
    """The zone a user names for a file's times (``--timezone``): its catalogue name and clock.

    An abbreviation keeps the fixed offset that times written with it mean (``CET`` is
    +01:00 even in July), as everywhere in dcal; a city is its IANA zone.
    """
    from dcal.errors import DcalError, UsageError
    from dcal.zones import resolve_zone

    try:
        if text.strip().lower() == "local":
            raise DcalError("name the zone: 'local' depends on the machine that reads the file")
        zone = resolve_zone(text)
    except DcalError as exc:
        raise UsageError(f"--timezone: {exc}") from None
    return (zone.text.strip() if zone.kind == "abbreviation" else zone.name), zone.wall


def clean(value: object) -> str | None:
    """Text from a foreign file: stripped, CR LF made LF, control characters removed."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    from dcal.render import UNSAFE
    from dcal.timeparse import pattern

    text = pattern(UNSAFE).sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip() or None


def http_url(value: object) -> str | None:
    """An http(s) URL a catalogue accepts (``catalogue.is_url``), stripped; else None."""
    from dcal.catalogue import is_url

    text = value.strip() if isinstance(value, str) else ""
    return text if is_url(text) else None


def offset_name(offset: timedelta) -> str:
    """``UTC+01:00`` (``UTC`` for zero): how a catalogue writes a fixed offset."""
    from dcal.zones import offset_name as minutes_name

    return minutes_name(int(offset.total_seconds()) // 60)


def fixed_clock(moment: datetime) -> tuple[str, tzinfo]:
    """The fixed-offset clock a catalogue can name for ``moment``: (``UTC+01:00``, its tzinfo).

    An offset with seconds (an old LMT such as +00:53:28) has no catalogue name: such a
    moment is kept in UTC, so that its instant stays exact.
    """
    from dcal.zones import fixed_offset
    from dcal.zones import offset_name as minutes_name

    minutes, seconds = divmod(int((moment.utcoffset() or timedelta(0)).total_seconds()), 60)
    minutes = 0 if seconds else minutes
    return minutes_name(minutes), fixed_offset(minutes)


def wall_text(moment: datetime) -> str:
    """A wall-clock time as a catalogue writes it: ``2025-06-18 10:00`` (seconds if any)."""
    # Not strftime: it writes year 2 as "2", which no catalogue reads back.
    text = f"{moment.year:04d}-{moment:%m-%d %H:%M}"
    return text + f":{moment.second:02d}" if moment.second else text


def check_years(*moments: date) -> None:
    """OverflowError unless every date or wall clock falls within ``YEARS``."""
    if not all(MIN_YEAR <= moment.year <= MAX_YEAR for moment in moments):
        raise OverflowError(YEARS)


def timed_entry(start: datetime, end: datetime, zone_name: str, zone: tzinfo) -> dict[str, str]:
    """start/end/timezone of an entry: two aware instants as wall clocks in ``zone``.

    A wall clock in a DST repeat names two instants and a catalogue reads the first: an
    instant in the second one is kept at its fixed offset instead (the caller can tell by
    the entry's timezone, and says so). OverflowError if a wall clock falls outside
    ``YEARS`` (the years are those of the clocks written, not of UTC).
    """
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if any(t.fold == 1 and is_repeated(t) for t in (local_start, local_end)):
        zone_name, clock = fixed_clock(local_start)
        local_start, local_end = start.astimezone(clock), end.astimezone(clock)
    check_years(local_start, local_end)
    return {
        "timezone": zone_name,
        "start": wall_text(local_start.replace(tzinfo=None)),
        "end": wall_text(local_end.replace(tzinfo=None)),
    }


def source_name(label: str) -> str:
    """A schedule's name from its file name: ``programme.csv`` is ``programme``."""
    from pathlib import PurePath

    return PurePath(label).stem if label != "<stdin>" else "Imported schedule"


def listed(items: Iterable[str], most: int = 3) -> str:
    """``a, b, c and 4 more``: a few examples for a note."""
    items = list(items)
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"
