"""``dcal parse``: what a published time string means, part by part."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from dcal.announce import (
    Announcement,
    Difference,
    PartReading,
    TimeOfDay,
    abbreviation_note,
    ignored_hint,
    parse_announcement,
    read_parts,
    weekday_differences,
)
from dcal.errors import TimeParseError
from dcal.views import day_text, shift_text
from dcal.zones import utc_label


class Explanation(NamedTuple):
    """An announcement, its parts placed and compared with the first, and what was assumed."""

    announcement: Announcement
    readings: tuple[PartReading, ...]
    weekdays: tuple[Difference, ...]
    notes: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        # A time the clocks skip is a mistake in the text, even where the parts agree.
        return not self.weekdays and not any(
            r.differences or r.placed.skipped for r in self.readings
        )

    def as_dict(self) -> dict[str, Any]:
        dates = self.announcement.dates
        first = self.readings[0] if self.readings else None
        end = first.computed_end if first else None
        return {
            "text": self.announcement.text,
            "dates": None
            if dates is None
            else {
                "first": dates.first.isoformat(),
                "last": dates.last.isoformat(),
                "text": dates.text,
                "year_given": dates.year_given,
            },
            "start_utc": _utc(first.computed_start) if first else None,
            "end_utc": _utc(end) if end else None,
            "parts": [reading_record(r) for r in self.readings],
            "weekdays": [d._asdict() for d in self.weekdays],
            "agrees": self.agrees,
            "ignored": list(self.announcement.ignored),
            "notes": list(self.notes),
        }

    def as_text(self) -> str:
        rows: list[tuple[str, str]] = [("text", self.announcement.text)]
        dates = self.announcement.dates
        if dates is not None:
            shown = day_text(dates.first, "en")
            if dates.last != dates.first:
                days = (dates.last - dates.first).days + 1
                shown += f" – {day_text(dates.last, 'en')} ({days} days)"
            rows.append(("date", shown))
        rows += [("weekday", f"published {d.published}, but {d.note}") for d in self.weekdays]
        if self.readings:
            first = self.readings[0]
            start = first.computed_start.astimezone(UTC)
            span = f"{start:%Y-%m-%d %H:%M}"
            if first.computed_end is not None:
                end = first.computed_end.astimezone(UTC)
                span += (
                    f" – {end:%H:%M}" if end.date() == start.date() else f" – {end:%Y-%m-%d %H:%M}"
                )
            rows.append(("instant", f"{span} UTC"))
        if self.announcement.ignored:
            rows.append(("ignored", ", ".join(repr(w) for w in self.announcement.ignored)))
        lines = [f"{name:<9}{value}" for name, value in rows]
        if self.readings:
            base = self.readings[0].placed.start_wall.date()
            table = [("zone", "tz", "published", "computed", "")]
            for index, reading in enumerate(self.readings):
                part = reading.part
                placed = reading.placed
                published = _range(placed.start_wall, placed.end_wall, base, part.start, part.end)
                computed = _range(reading.computed_start, reading.computed_end, base)
                if reading.placed.skipped:
                    verdict = "no such time: the clocks skip it"
                elif index == 0:
                    verdict = "reference"
                elif reading.differences:
                    verdict = "; ".join(_difference_text(d) for d in reading.differences)
                else:
                    verdict = "agrees"
                if part.alias:
                    verdict += " (restates the zone before)"
                tz = (
                    part.zone.name if part.zone.kind != "abbreviation" else utc_label(reading.start)
                )
                table.append((part.zone.text, tz, published, computed, verdict))
            widths = [max(len(row[i]) for row in table) for i in range(4)]
            lines.append("")
            for row in table:
                cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
                lines.append("  ".join([*cells, row[4]]).rstrip())
        return "\n".join(lines) + "\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="minutes")


def _difference_text(difference: Difference) -> str:
    text = (
        f"{difference.what} differs: published {difference.published}, "
        f"computed {difference.computed}"
    )
    return f"{text} ({difference.note})" if difference.note else text


def _range(
    start: datetime,
    end: datetime | None,
    base: date,
    start_clock: TimeOfDay | None = None,
    end_clock: TimeOfDay | None = None,
) -> str:
    """``17:00–18:30``, ``23:00–24:30`` as published, ``23:00–00:30 (+1 day)``."""
    start_shift = (start.date() - base).days
    text = clock_text(start, start_clock)
    if start_shift:
        text += f" ({shift_text(start_shift)})"
    if end is not None:
        text += f"–{clock_text(end, end_clock)}"
        end_shift = (end.date() - base).days
        if end_shift and end_shift != start_shift and not (end_clock and end_clock.hour >= 24):
            text += f" ({shift_text(end_shift)})"
    return text


def explain(
    text: str, *, today: date, year: int | None = None, cities: Mapping[str, str] | None = None
) -> Explanation:
    """Parse ``text`` and compare every part with the first. Raises TimeParseError."""
    announcement = parse_announcement(text, year_hint=today, year=year, cities=cities)
    if announcement.dates is None and not announcement.parts:
        raise TimeParseError(
            "nothing in the text reads as a date or a time" + ignored_hint(announcement.ignored)
        )
    notes = []
    dates = announcement.dates
    if dates is not None and not dates.year_given and year is None:
        notes.append(
            f"the text gives no year: read as {dates.first.year}, the nearest to today "
            "(pass --year to choose)"
        )
    if dates is None:
        notes.append(f"the text gives no date: read on {today.isoformat()} (today)")
    readings = tuple(read_parts(announcement, default_day=today))
    for reading in readings:
        notes.extend(reading.notes)
        season = abbreviation_note(reading.part.zone, reading.start)
        if season and not reading.differences:
            notes.append(season)  # "10:00 CET" on a summer date: right offset, odd name
    weekdays = tuple(weekday_differences(announcement))
    return Explanation(announcement, readings, weekdays, tuple(notes))


def clock_text(moment: datetime, clock: TimeOfDay | None = None) -> str:
    """``17:00``; a published time as written (``24:30``, ``02:30`` in a DST gap)."""
    return clock.label if clock is not None else moment.strftime("%H:%M")


def reading_record(reading: PartReading) -> dict[str, Any]:
    """A part as JSON: published and computed times with offsets, and any differences."""
    part = reading.part

    def iso(value: datetime | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    return {
        "zone": part.zone.text,
        "tz": part.zone.name,
        "published": {
            "start": iso(reading.start),
            "end": iso(reading.end),
            "text": part.start.text + (f"–{part.end.text}" if part.end else ""),
        },
        "computed": {"start": iso(reading.computed_start), "end": iso(reading.computed_end)},
        "agrees": not reading.differences,
        "differences": [d._asdict() for d in reading.differences],
        "notes": list(reading.notes),
    }
