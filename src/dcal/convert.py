"""Converting one wall-clock time between zones (``dcal convert``)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any, NamedTuple

from dcal.errors import TimeParseError
from dcal.timeparse import parse_datetime, pattern
from dcal.views import shift_text, weekday_text
from dcal.zones import Zone, describe_problem, localize, utc_label


def parse_convert_time(text: str, source: Zone, now: datetime) -> datetime:
    """``now``, ``HH:MM`` (today in the source zone) or ``YYYY-MM-DD HH:MM`` → naive wall time."""
    stripped = unicodedata.normalize("NFKC", text).strip()
    if stripped.lower() == "now":
        return now.astimezone(source.wall).replace(tzinfo=None, microsecond=0)
    try:
        if pattern(r"\d{1,2}:\d{2}(?::\d{2})?").fullmatch(stripped):
            today = now.astimezone(source.wall).date()
            return parse_datetime(f"{today.isoformat()} {stripped}")
        return parse_datetime(stripped)
    except TimeParseError as exc:
        raise TimeParseError(f"{exc} (or 'HH:MM' for today, or 'now')") from None


class Conversion(NamedTuple):
    """One instant, as written in the source zone and as seen in each target zone."""

    text: str
    source: Zone
    instant: datetime
    targets: tuple[tuple[Zone, datetime], ...]
    note: str | None

    def _entry(self, zone: Zone, moment: datetime) -> dict[str, Any]:
        return {
            "zone": zone.text,
            "tz": zone.name,
            "time": moment.isoformat(timespec="seconds"),
            "day_shift": (moment.date() - self.instant.date()).days,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.text,
            "from": self._entry(self.source, self.instant),
            "utc": self.instant.astimezone(UTC).isoformat(timespec="seconds"),
            "to": [self._entry(zone, moment) for zone, moment in self.targets],
            "note": self.note,
        }

    def as_text(self) -> str:
        """Aligned lines: the input first, then each target zone."""
        rows = [(self.source, self.instant), *self.targets]
        width = max(len(zone.text) for zone, _ in rows)
        lines = []
        for index, (zone, moment) in enumerate(rows):
            offset = utc_label(moment)
            named = zone.name.casefold() not in (zone.text.casefold(), offset.casefold(), "utc")
            shift = shift_text((moment.date() - self.instant.date()).days)
            parts = [
                zone.text.ljust(width),
                f"{moment:%Y-%m-%d %H:%M}",
                weekday_text(moment.date(), "en"),
                f"({zone.name}, {offset})" if named else f"({offset})",
            ]
            if shift:
                parts.append(f"({shift})")
            if index == 0:
                parts.append("← input")
            lines.append("  ".join(parts))
        return "\n".join(lines) + "\n"


def convert_time(text: str, wall: datetime, source: Zone, targets: list[Zone]) -> Conversion:
    """Read ``wall`` in ``source`` (DST gaps and repeats noted) and show it in each target."""
    localized = localize(wall, source.wall)
    note = describe_problem(wall, source.name, localized) if localized.problem else None
    instant = localized.instant
    seen = tuple((zone, instant.astimezone(zone.tz)) for zone in targets)
    return Conversion(text, source, instant, seen, note)
