"""What every reader of another tool's schedule shares: the result, ids, zones, wall clocks.

A reader turns a foreign file (frab/pretalx schedule, iCalendar, a spreadsheet) into
catalogue entries, the same tables a dcal catalogue holds, plus one note for everything
it had to assume. The entries are then validated exactly as a catalogue is, so an
imported schedule is never trusted more than a hand-written one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

# A dcal id: letters, digits and . _ : @ + -, starting with a letter or digit, ≤ 200.
_ID_BAD = re.compile(r"[^A-Za-z0-9._:@+-]+")
MAX_ID = 200


class Imported(NamedTuple):
    """A foreign schedule read as a catalogue."""

    meta: dict[str, Any]  # the catalogue table: name, url, timezone, cities …
    sessions: list[dict[str, Any]]  # catalogue entries, with dcal's field names
    notes: list[str]  # what was assumed or left out, one line each, naming file and entry


class Ids:
    """Unique dcal ids made from whatever a foreign file uses (codes, slugs, UIDs)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

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
        ident, count = base, 1
        while ident in self._seen:
            count += 1
            suffix = f"-{count}"
            ident = base[: MAX_ID - len(suffix)] + suffix
        self._seen.add(ident)
        return ident


def offset_name(offset: timedelta) -> str:
    """``UTC+01:00`` (``UTC`` for zero): how a catalogue writes a fixed offset."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def wall_text(moment: datetime) -> str:
    """A wall-clock time as a catalogue writes it: ``2025-06-18 10:00`` (seconds if any)."""
    # Not strftime: it writes year 2 as "2", which no catalogue reads back.
    text = f"{moment.year:04d}-{moment:%m-%d %H:%M}"
    return text + f":{moment.second:02d}" if moment.second else text


def same_clock(instant: datetime, zone: tzinfo) -> bool:
    """True if ``zone`` shows ``instant`` with the offset it was written with."""
    return instant.astimezone(zone).utcoffset() == instant.utcoffset()


def timed_entry(start: datetime, end: datetime, zone_name: str, zone: tzinfo) -> dict[str, str]:
    """start/end/timezone of an entry: two aware instants as wall clocks in ``zone``.

    A wall clock in a DST repeat names two instants and a catalogue reads the first: an
    instant in the second one is kept at its fixed offset instead (the caller can tell by
    the entry's timezone, and says so).
    """
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if _second_occurrence(local_start) or _second_occurrence(local_end):
        offset = local_start.utcoffset() or timedelta(0)
        zone_name, local_start = offset_name(offset), start.astimezone(timezone(offset))
        local_end = end.astimezone(timezone(offset))
    return {
        "timezone": zone_name,
        "start": wall_text(local_start.replace(tzinfo=None)),
        "end": wall_text(local_end.replace(tzinfo=None)),
    }


def _second_occurrence(local: datetime) -> bool:
    return local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset()


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def listed(items: Iterable[str], most: int = 3) -> str:
    """``a, b, c and 4 more``: a few examples for a note."""
    items = list(items)
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"
