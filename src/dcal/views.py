"""What each output shows: times per display zone, machine records, and display grids.

Nothing here writes or styles output; renderers turn these values into text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from dcal.model import Session
from dcal.timeparse import WEEKDAYS_EN, WEEKDAYS_JA
from dcal.zones import Zone, utc_label

# A display cell: runs of (text, style name); styles are interpreted by the table renderer.
Cell = tuple[tuple[str, str], ...]

SESSION_ZONE = "session"
# The few words of the table itself, per --lang; catalogue text comes from the catalogue.
WORDS = {
    "en": {
        "when": "When",
        "session": "Session",
        "own": "Session zone",
        "tba": "TBA",
        "day": "all day",
        "links": "Add to calendar",
    },
    "ja": {
        "when": "日時",
        "session": "セッション",
        "own": "開催地の時刻",
        "tba": "未定",
        "day": "終日",
        "links": "カレンダーに追加",
    },
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DisplayZone(NamedTuple):
    """A zone the user asked to see times in; ``zone`` None means each session's own zone."""

    label: str
    zone: Zone | None

    def heading(self, lang: str = "en") -> str:
        if self.zone is None:
            return WORDS[lang]["own"]
        if self.label.casefold() == self.zone.name.casefold():
            return self.zone.name
        return f"{self.label} ({self.zone.name})"


class ZoneTime(NamedTuple):
    """A session's times in one display zone; shifts are days relative to its own dates."""

    label: str
    tz_name: str | None
    start: datetime | date | None
    end: datetime | date | None
    start_shift: int = 0
    end_shift: int = 0


def zone_time(session: Session, display: DisplayZone) -> ZoneTime:
    """``session`` seen in ``display``: per-instant conversion; dated sessions never shift."""
    own = session.zone
    if session.start is None or session.end is None or own is None:
        tz_name = display.zone.name if display.zone else None
        return ZoneTime(display.label, tz_name, session.date, session.end_date or session.date)
    if display.zone is None:
        return ZoneTime(display.label, own.name, session.start, session.end)
    start = session.start.astimezone(display.zone.tz)
    end = session.end.astimezone(display.zone.tz)
    own_day = session.start.date()
    return ZoneTime(
        display.label,
        display.zone.name,
        start,
        end,
        (start.date() - own_day).days,
        (end.date() - own_day).days,
    )


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def session_record(session: Session, zones: Sequence[DisplayZone], lang: str) -> dict[str, Any]:
    """The machine-format object of one session (json, jsonl; flattened for csv/tsv).

    Field names and order are a documented contract: add fields at the end, never rename.
    """
    start, end = session.start, session.end
    times = []
    for display in zones:
        seen = zone_time(session, display)
        times.append(
            {
                "zone": seen.label,
                "tz": seen.tz_name,
                "start": _iso(seen.start),
                "end": _iso(seen.end),
                "day_shift": seen.start_shift,
                "end_day_shift": seen.end_shift,
            }
        )
    kind = session.kind
    return {
        "id": session.id,
        "title": session.text("title", lang),
        "event": session.event,
        "kind": kind,
        "timezone": session.zone.name if session.zone else None,
        "start": _iso(start or session.date),
        "end": _iso(end or session.end_date or session.date),
        "start_utc": start.astimezone(UTC).isoformat(timespec="seconds") if start else None,
        "end_utc": end.astimezone(UTC).isoformat(timespec="seconds") if end else None,
        "all_day": kind == "dated",
        "tba": kind == "tba",
        "themes": list(session.themes),
        "cities": list(session.names("cities", lang)),
        "hosts": list(session.names("hosts", lang)),
        "speakers": list(session.names("speakers", lang)),
        "mode": session.mode,
        "location": session.text("location", lang),
        "summary": session.text("summary", lang),
        "report": session.text("report", lang),
        "url": session.url,
        "links": list(session.links),
        "announced": session.announced,
        "times": times,
    }


FLAT_COLUMNS = (
    "id",
    "title",
    "event",
    "kind",
    "timezone",
    "start",
    "end",
    "start_utc",
    "end_utc",
    "all_day",
    "tba",
    "themes",
    "cities",
    "hosts",
    "speakers",
    "mode",
    "location",
    "summary",
    "report",
    "url",
    "links",
    "announced",
)


def flat_columns(zones: Sequence[DisplayZone]) -> list[str]:
    """CSV/TSV header: the record's fields, then start/end/day_shift per display zone."""
    columns = list(FLAT_COLUMNS)
    for display in zones:
        columns += [f"start [{display.label}]", f"end [{display.label}]"]
        columns.append(f"day_shift [{display.label}]")
    return columns


def flat_row(record: dict[str, Any]) -> list[str]:
    """A record as CSV/TSV cells, in ``flat_columns`` order; lists joined with ``; ``."""
    cells = [cell_text(record[name]) for name in FLAT_COLUMNS]
    for entry in record["times"]:
        cells += [cell_text(entry["start"]), cell_text(entry["end"]), cell_text(entry["day_shift"])]
    return cells


def cell_text(value: Any) -> str:
    """A record value as one CSV/TSV/table cell: lists joined with ``; ``, true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def plural(count: int, noun: str) -> str:
    """``1 session``, ``3 sessions``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def shift_text(days: int) -> str:
    """``+1 day``, ``−2 days`` (with a minus sign), or empty for no shift."""
    if days == 0:
        return ""
    sign = "+" if days > 0 else "\u2212"
    return f"{sign}{plural(abs(days), 'day')}"


def weekday_text(day: date, lang: str) -> str:
    """``Wed`` or ``水``, whatever the machine's locale."""
    return (WEEKDAYS_JA if lang == "ja" else WEEKDAYS_EN)[day.weekday()]


def day_text(day: date, lang: str) -> str:
    """``Wed 21 Oct 2020`` or ``2020年10月21日(水)``: fixed names, whatever the machine's locale."""
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日({weekday_text(day, lang)})"
    return f"{weekday_text(day, lang)} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def _clock(value: datetime, zone_label: bool, offset: bool = False) -> str:
    """``17:00``, with the zone's abbreviation (``JST``), or its offset when ``offset``."""
    text = value.strftime("%H:%M")
    if zone_label:
        abbreviation = value.strftime("%Z")
        if abbreviation.isalpha():
            text += f" {abbreviation}"
        elif offset:
            text += f" {utc_label(value)}"
    return text


def time_cell(seen: ZoneTime, lang: str, *, mixed_zones: bool = False) -> Cell:
    """``17:00–18:30 JST``, ``23:00–00:30 JST (+1 day)``, ``all day``, ``TBA``.

    A column whose heading names its zone shows abbreviations only (``CEST`` tells DST);
    a column of ``mixed_zones`` (each session's own) also shows numeric offsets.
    """
    if seen.start is None:
        return ((WORDS[lang]["tba"], "tba"),)
    if not isinstance(seen.start, datetime) or not isinstance(seen.end, datetime):
        return ((WORDS[lang]["day"], "dim"),)
    start, end = seen.start, seen.end
    runs: list[tuple[str, str]] = []
    if seen.start_shift != seen.end_shift and seen.start_shift:
        runs += [(_clock(start, False), ""), (f" ({shift_text(seen.start_shift)})", "shift")]
    else:
        runs.append((_clock(start, False), ""))
    if (end.date() - start.date()).days > 1:
        runs.append((f"–{end:%Y-%m-%d} {_clock(end, True, mixed_zones)}", ""))
    else:
        runs.append((f"–{_clock(end, True, mixed_zones)}", ""))
    if seen.end_shift:
        runs.append((f" ({shift_text(seen.end_shift)})", "shift"))
    return tuple(runs)


def range_text(first: date, last: date, lang: str) -> str:
    """``16–18 Jun 2025``, ``3 Mar – 31 Oct 2025``, or both dates in full."""
    if first.year != last.year:
        return f"{day_text(first, lang)} → {day_text(last, lang)}"
    if lang == "ja":
        tail = day_text(last, lang).split("年", 1)[1]
        if first.month == last.month:
            tail = tail.split("月", 1)[1]
        return f"{day_text(first, lang)}〜{tail}"
    if first.month == last.month:
        return f"{first.day}–{last.day} {_MONTHS_EN[first.month - 1]} {first.year}"
    return (
        f"{first.day} {_MONTHS_EN[first.month - 1]} – "
        f"{last.day} {_MONTHS_EN[last.month - 1]} {last.year}"
    )


def when_cell(session: Session, lang: str) -> Cell:
    """The session's own day(s), where it happens."""
    if session.start is not None:
        return ((day_text(session.start.date(), lang), ""),)
    if session.date is not None:
        if session.end_date and session.end_date != session.date:
            return ((range_text(session.date, session.end_date, lang), ""),)
        return ((day_text(session.date, lang), ""),)
    return ((WORDS[lang]["tba"], "tba"),)


class Grid(NamedTuple):
    """Rows of styled cells under headings: what the table and Markdown renderers draw."""

    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The column that takes the remaining width and wraps; the others keep their lines whole.
    flexible: int | None = None


def session_grid(
    sessions: Iterable[Session],
    zones: Sequence[DisplayZone],
    lang: str,
    links: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> Grid:
    """The list table: when, what, one column per display zone, and any calendar links.

    ``links`` are (label, URL) pairs per session; a link is a run styled ``link:URL``.
    """
    words = WORDS[lang]
    headings = (words["when"], words["session"], *(display.heading(lang) for display in zones))
    if links is not None:
        headings += (words["links"],)
    rows = []
    for number, session in enumerate(sessions):
        details = " · ".join(filter(None, [session.id, ", ".join(session.names("cities", lang))]))
        what: Cell = ((session.text("title", lang) or "", "title"), ("\n" + details, "dim"))
        cells = [
            time_cell(zone_time(session, display), lang, mixed_zones=display.zone is None)
            for display in zones
        ]
        if links is not None:
            cells.append(tuple((label, f"link:{url}") for label, url in links[number]))
        rows.append((when_cell(session, lang), what, *cells))
    return Grid(headings, tuple(rows), flexible=1)


def grid_from_records(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> Grid:
    """A plain grid of record fields (facets, zones)."""
    rows = tuple(tuple(((cell_text(record[name]), ""),) for name in columns) for record in records)
    return Grid(tuple(columns), rows)


def detail_grid(session: Session, zones: Sequence[DisplayZone], lang: str) -> Grid:
    """``dcal show``: one field per row."""
    fields: list[tuple[str, Cell]] = [
        ("id", ((session.id, "dim"),)),
        ("title", ((session.text("title", lang) or "", "title"),)),
        ("event", ((session.event, ""),)),
        ("when", when_cell(session, lang)),
    ]
    for display in zones:
        seen = zone_time(session, display)
        fields.append(
            (display.heading(lang), time_cell(seen, lang, mixed_zones=display.zone is None))
        )
    texts = [
        ("announced", session.announced),
        ("mode", session.mode),
        ("location", session.text("location", lang)),
        ("cities", ", ".join(session.names("cities", lang))),
        ("themes", ", ".join(session.themes)),
        ("hosts", "\n".join(session.names("hosts", lang))),
        ("speakers", "\n".join(session.names("speakers", lang))),
        ("url", session.url),
        ("links", "\n".join(session.links)),
        ("summary", session.text("summary", lang)),
        ("report", session.text("report", lang)),
    ]
    fields += [(name, ((value, ""),)) for name, value in texts if value]
    rows = tuple((((name, "dim"),), value) for name, value in fields)
    return Grid(("field", "value"), rows, flexible=1)
