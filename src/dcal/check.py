"""``dcal check``: what loading a catalogue warns about, stored times that a DST change makes
doubtful, fixed offsets that the session's city does not use, and announcements that
disagree with the stored times."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from dcal.announce import (
    Announcement,
    NoZoneError,
    parse_announcement,
    read_parts,
    weekday_differences,
)
from dcal.errors import DcalError
from dcal.model import Catalogue, Session, WallNote
from dcal.zones import resolve_zone, utc_label


class Finding(NamedTuple):
    """One problem: where (session, field), what kind, and the values that disagree."""

    session: str | None
    field: str  # "announced", "start", "end", "timezone", "catalogue"
    kind: str  # see KINDS
    message: str
    zone: str | None = None
    published: str | None = None
    computed: str | None = None

    def as_text(self) -> str:
        where = f"{self.session}: {self.field}" if self.session else self.field
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


KINDS = {
    "mismatch": "an announced time or date that disagrees with the stored one",
    "weekday": "an announced weekday that the date does not fall on",
    "unreadable": "an announced string dcal cannot read",
    "no-zone": "an announced time that names no zone",
    "dst-gap": "a stored time that does not exist (the clocks skip it)",
    "dst-repeat": "a stored time that occurs twice (the clocks go back)",
    "offset-city": "a fixed offset that none of the session's cities uses on that date",
    "warning": "anything else loading the catalogue warns about (unknown keys …)",
    "invalid": "a problem that makes the catalogue unreadable (with exit code 3)",
}


def check_catalogue(catalogue: Catalogue, today: date) -> list[Finding]:
    """Every finding: the catalogue's own first, then the sessions' in time order (``today``
    places the year-less announcements of TBA sessions)."""
    dst_warnings = {note.warning for note in catalogue.wall_notes}
    findings = [
        Finding(None, "catalogue", "warning", warning)
        for warning in catalogue.warnings
        if warning not in dst_warnings
    ]
    notes: dict[str, list[WallNote]] = {}
    for note in catalogue.wall_notes:
        notes.setdefault(note.session, []).append(note)
    for session in catalogue.sessions:
        findings += [_dst_finding(note) for note in notes.get(session.id, [])]
        findings += offset_findings(session, catalogue.cities)
        if session.announced:
            findings += announcement_findings(session, catalogue.cities, today)
    return findings


def _dst_finding(note: WallNote) -> Finding:
    wall = f"{note.wall:%Y-%m-%d %H:%M}"
    read_as = note.instant.isoformat(timespec="minutes")
    kind = f"dst-{note.problem}"
    return Finding(note.session, note.field, kind, note.description, note.zone, wall, read_as)


def offset_findings(session: Session, cities: Mapping[str, str]) -> list[Finding]:
    """A fixed offset (``UTC+2``, ``CEST``) that none of the session's cities is on that day.

    Online sessions are left alone: their cities are where participants are, not the clock
    the session keeps.
    """
    zone, start = session.zone, session.start
    if zone is None or start is None or zone.kind not in ("offset", "abbreviation"):
        return []
    if session.mode == "online":
        return []
    wrong: list[tuple[str, str, datetime]] = []  # city, its offset, when
    for city in session.cities:
        try:
            city_zone = resolve_zone(city, cities=cities, suggest=False)
        except DcalError:
            continue
        if city_zone.kind not in ("iana", "city"):
            continue
        # Both ends: a session can run into the night the clocks change.
        moments = [m for m in (start, session.end or start) if _off(m, city_zone.tz)]
        if not moments:
            return []  # the session keeps this city's clock
        seen = moments[0].astimezone(city_zone.tz)
        wrong.append((city, f"{utc_label(seen)} ({city_zone.name}, {seen:%Z})", seen))
    if not wrong:
        return []
    written = utc_label(start)
    when = wrong[0][2]
    where = "; ".join(f"{city} is on {offset}" for city, offset, _ in wrong)
    return [
        Finding(
            session.id,
            "timezone",
            "offset-city",
            f"{zone.text} is {written}, but on {when:%Y-%m-%d} {where}",
            zone.text,
            written,
            utc_label(when),
        )
    ]


def _off(moment: datetime, tz: tzinfo) -> bool:
    """Whether ``tz`` is on another offset than ``moment`` at that instant."""
    return moment.astimezone(tz).utcoffset() != moment.utcoffset()


def announcement_findings(
    session: Session, cities: Mapping[str, str], today: date
) -> list[Finding]:
    """The announced string cross-checked with the stored times, in every zone it names."""
    text = session.announced or ""
    hint = session.first_day or today
    try:
        # The stored date decides the year: a wrong weekday is a finding, not a clue.
        announcement = parse_announcement(text, year_hint=hint, cities=cities, stored_hint=True)
    except NoZoneError as exc:
        return [_finding(session, "no-zone", f"{text!r}: {exc}", published=text)]
    except DcalError as exc:
        return [_finding(session, "unreadable", f"{text!r} cannot be read: {exc}", published=text)]
    findings = [
        _finding(
            session,
            "weekday",
            f"weekday: published {weekday.published}, but {weekday.note}",
            published=weekday.published,
            computed=weekday.computed,
        )
        for weekday in weekday_differences(announcement)
    ]
    if session.start is not None and session.end is not None:
        return findings + _timed(session, announcement)
    if session.date is not None:
        return findings + _dated(session, announcement)
    if announcement.dates or announcement.parts:
        findings.append(
            _finding(session, "mismatch", f"{text!r} gives a date, but the session has none (TBA)")
        )
    return findings


def _timed(session: Session, announcement: Announcement) -> list[Finding]:
    assert session.start is not None
    assert session.end is not None
    if not announcement.parts:
        findings = [
            _finding(
                session,
                "no-zone",
                f"{session.announced!r} names no time and zone to compare with the stored times",
                published=session.announced,
            )
        ]
        if announcement.dates is not None:  # the date can still be wrong
            stored = session.start.date()
            published = _days(announcement.dates.first, announcement.dates.last)
            if not announcement.dates.first <= stored <= announcement.dates.last:
                findings.append(
                    _finding(
                        session,
                        "mismatch",
                        f"date: published {published}, stored {stored.isoformat()}",
                        published=published,
                        computed=stored.isoformat(),
                    )
                )
        return findings
    findings = []
    try:
        readings = read_parts(
            announcement, (session.start, session.end), default_day=session.start.date()
        )
    except DcalError as exc:
        text = session.announced
        return [_finding(session, "unreadable", f"{text!r} cannot be read: {exc}", published=text)]
    for reading in readings:
        zone = reading.part.zone.text
        for difference in reading.differences:
            message = (
                f"{zone} {difference.what}: published {difference.published}, "
                f"computed {difference.computed}"
            )
            # Why it may differ: an abbreviation out of season, a time the clocks skip.
            reasons = [difference.note, *reading.notes] if difference.note else reading.notes
            if reasons:
                message += f" ({'; '.join(reasons)})"
            findings.append(
                _finding(
                    session,
                    "mismatch",
                    message,
                    zone=zone,
                    published=difference.published,
                    computed=difference.computed,
                )
            )
    return findings


def _dated(session: Session, announcement: Announcement) -> list[Finding]:
    assert session.date is not None
    if announcement.parts:
        return [
            _finding(
                session,
                "mismatch",
                f"{session.announced!r} gives times, but the session is stored as whole days",
                published=session.announced,
            )
        ]
    if announcement.dates is None:
        return [
            _finding(
                session,
                "unreadable",
                f"{session.announced!r} names no date",
                published=session.announced,
            )
        ]
    published = _days(announcement.dates.first, announcement.dates.last)
    computed = _days(session.date, session.end_date or session.date)
    if published == computed:
        return []
    return [
        _finding(
            session,
            "mismatch",
            f"dates: published {published}, stored {computed}",
            published=published,
            computed=computed,
        )
    ]


def _days(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def _finding(
    session: Session,
    kind: str,
    message: str,
    *,
    zone: str | None = None,
    published: str | None = None,
    computed: str | None = None,
) -> Finding:
    return Finding(session.id, "announced", kind, message, zone, published, computed)


def report(source: str, sessions: int | None, findings: Sequence[Finding]) -> dict[str, Any]:
    """The ``-f json`` document."""
    return {
        "catalogue": source,
        "sessions": sessions,
        "ok": not findings,
        "findings": [finding.as_dict() for finding in findings],
    }
