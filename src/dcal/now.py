"""``dcal now``: the sessions on at a moment, and the next ones to begin."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import NamedTuple

from dcal.convert import convert_time, parse_convert_time
from dcal.errors import TimeParseError
from dcal.model import Session
from dcal.timeparse import OFFSET_AT_END, parse_instant, pattern
from dcal.zones import Zone


class Happening(NamedTuple):
    """A session on now (``status`` "now") or still to come ("next"), and when that changes."""

    session: Session
    status: str
    minutes: int | None  # until it ends ("now") or begins ("next"); None for whole days


def moment_at(text: str, zone: Zone, clock: datetime) -> tuple[datetime, str | None]:
    """``--at``: ``now``, an instant with an offset, or a wall-clock time on ``zone``'s
    display clock (``--tz CET --at 10:00`` in June is 10:00 CEST); and a DST note, if any."""
    if text.strip().lower() == "now":
        return clock, None
    try:
        return parse_instant(text), None
    except TimeParseError:
        if pattern(OFFSET_AT_END).search(text):
            raise  # meant as an instant: its own message says what is wrong
    on_display_clock = zone._replace(wall=zone.tz)
    wall = parse_convert_time(text, on_display_clock, clock)
    conversion = convert_time(text, wall, on_display_clock, [])
    return conversion.instant, conversion.note


def happening(
    sessions: Iterable[Session], moment: datetime, today: date, upcoming: int
) -> list[Happening]:
    """Sessions on at ``moment`` (dated ones on ``today``), then the ``upcoming`` next ones.

    ``sessions`` are in time order, as a catalogue holds them (and filters keep them), so
    the next ones are the first that start later.

    Dated sessions are whole days where they happen, never shifted: ``today`` is the day
    the user lives in. TBA sessions are never on.
    """
    current: list[Happening] = []
    later: list[Happening] = []
    # In UTC: aware datetimes that share a tzinfo compare and subtract as wall clocks,
    # which is wrong on the night the clocks change.
    moment = moment.astimezone(UTC)
    for session in sessions:
        if session.start is not None and session.end is not None:
            start, end = session.start.astimezone(UTC), session.end.astimezone(UTC)
            if start <= moment < end:
                current.append(Happening(session, "now", _minutes(moment, end)))
            elif start > moment:
                later.append(Happening(session, "next", _minutes(moment, start)))
        elif session.date is not None:
            if session.date <= today <= (session.end_date or session.date):
                current.append(Happening(session, "now", None))
            elif session.date > today:
                later.append(Happening(session, "next", None))
    return current + later[:upcoming]


def _minutes(moment: datetime, then: datetime) -> int:
    return int((then - moment).total_seconds() // 60)


def status_text(item: Happening, today: date) -> str:
    """``now · ends in 45 min``, ``in 2 h 15 min``, ``in 3 days``."""
    if item.status == "now":
        return "now" if item.minutes is None else f"now · ends in {duration_text(item.minutes)}"
    if item.minutes is None:
        assert item.session.date is not None
        days = (item.session.date - today).days
        return "tomorrow" if days == 1 else f"in {days} days"
    return f"in {duration_text(item.minutes)}"


def duration_text(minutes: int) -> str:
    """``45 min``, ``2 h 15 min``, ``3 d 4 h``."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"
