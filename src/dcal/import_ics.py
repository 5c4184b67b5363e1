"""Reading iCalendar (.ics) files that other calendar tools write, as catalogue entries.

``read_ics`` turns the VEVENTs of a file from Google Calendar, Outlook/Exchange, Apple
Calendar, Thunderbird or a web site's exporter into dcal sessions, with a note for each
thing it had to assume or leave out. The choices, stated once:

- Zones. A TZID that is an IANA name is used as it is. A Windows name (Outlook) is read as
  the IANA zone it stands for, and a ``/vendor/…/Europe/Berlin`` TZID (Thunderbird, libical)
  as the IANA name it ends with. Any other TZID is read with the file's own VTIMEZONE, and
  the session kept at the UTC offset it has then, since dcal cannot name such a zone. A
  TZID with neither is an error. The VTIMEZONEs of zones that tzdata knows are not read:
  tzdata has their rules, for every year.
- UTC times (``Z``, as Google writes them) keep their instant and are written in the
  calendar's X-WR-TIMEZONE when that is an IANA name, else in UTC. Floating times are read
  in the zone the caller gives, else X-WR-TIMEZONE, else UTC.
- Series (RRULE, RDATE) are expanded on the wall clock of DTSTART's zone (a weekly 10:00
  stays 10:00 across DST), EXDATEs and RECURRENCE-ID changes applied; each occurrence is a
  session ``<id>-YYYYMMDD`` (``-YYYYMMDDTHHMM`` when a day has two). A series with no end,
  or with more than 1000 occurrences, is left out whole: never cut short silently.
- Left out, each with a note: cancelled events and occurrences, events that end before
  they start, series that cannot be expanded, components other than VEVENT.
- An event with a start time and no end lasts an hour, and so does one whose end equals
  its start (dcal needs an end after the start); an all-day event with no end, one day.
- Mode: only ``online`` is guessed, for an event with a Zoom, Teams, Meet or Webex link and
  no place but that link; every other event has no mode.
- ORGANIZER's name is the host. Attendees are the people invited, not speakers: not read.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import islice
from typing import Any, NamedTuple

from dcal.catalogue import MAX_REVISION, show
from dcal.errors import CatalogueError
from dcal.importing import (
    YEARS,
    Ids,
    Imported,
    Quirks,
    check_years,
    clean,
    fixed_clock,
    http_url,
    listed,
    named_zone,
    source_name,
    timed_entry,
)
from dcal.timeparse import MAX_YEAR
from dcal.views import plural
from dcal.zones import iana_zone, localize, lookup_iana

MAX_OCCURRENCES = 1000
MAX_READABLE_UID = 64  # longer UIDs become a short hash for the session id
SERIES_YEARS = 50  # a series' occurrences are looked for this far after its start
UNTITLED = "(untitled)"
ONE_HOUR = timedelta(hours=1)
ONE_DAY = timedelta(days=1)
_MEETING_LINK = re.compile(
    r"(?i)https://(?:[a-z0-9-]+\.)*(?:zoom\.us|zoom\.com|teams\.microsoft\.com|teams\.live\.com"
    r"|meet\.google\.com|webex\.com)/"
)
# LOCATION values that name no place but the meeting itself.
_NO_PLACE = re.compile(
    r"(?i)online|virtual|zoom(?: meeting)?|(?:microsoft )?teams(?: meeting)?|google meet"
    r"|webex|https?://\S+"
)
# Where Google and Microsoft put an event's video-call link.
_CONFERENCE_KEYS = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
# Notes told once for all the events concerned: "<n> events …: a, b and 3 more".
_QUIRKS = {
    "no-end": "with a start time but no end (no DTEND or DURATION, or one equal to DTSTART): "
    "assumed to last one hour",
    "same-day": "all day with DTEND equal to DTSTART: read as one day",
    "untitled": f"with no SUMMARY: titled {UNTITLED!r}",
    "cancelled": "cancelled (STATUS:CANCELLED or METHOD:CANCEL): left out",
    "repeat": "starting or ending in the hour that a DST change repeats: kept at their UTC "
    "offset, so that the instant is kept",
    "both-ends": "with both DTEND and DURATION: DTEND used, DURATION ignored",
    "gap": "starting at a time that a DST change skips: read with the offset before the "
    "change, as RFC 5545 says (so the clock shows it later by the change)",
    "short-rule": f"whose RRULE gives fewer occurrences than its COUNT within {SERIES_YEARS} "
    "years of DTSTART (a rule that rarely or never matches): only those imported",
}


def read_ics(label: str, text: str, assume_zone: str | None = None) -> Imported:
    """The VEVENTs of an iCalendar file as catalogue entries, and notes on what was assumed.

    ``assume_zone`` is the zone of floating times (no TZID, no ``Z``). Raises
    CatalogueError for a file that is not iCalendar or holds no event, and for events
    whose times cannot be read (every such problem at once).
    """
    floating = _assumed_clock(assume_zone)
    # icalendar warns (GloballyUniqueTZIDGuessed …) where dcal already notes what it did.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _Reader(label, _parse(label, text), floating).read()


class _Clock(NamedTuple):
    """How one kind of time in the file is read and written."""

    tz: tzinfo  # where its wall clocks are read, and its series expanded
    name: str | None  # the catalogue zone entries are written in; None: each one's UTC offset
    store: tzinfo  # the zone ``name`` names
    tzid: str = ""  # the TZID of the file's own VTIMEZONE that ``tz`` was made from


class _Moment(NamedTuple):
    """A date-time as written: a wall clock and how to read it."""

    wall: datetime  # naive
    clock: _Clock

    def instant(self) -> datetime:
        """In UTC: Python adds and subtracts datetimes of one zone on the wall clock."""
        return localize(self.wall, self.clock.tz).instant.astimezone(UTC)


class _Timing(NamedTuple):
    """When an event happens: its (first) start, and how long it lasts."""

    start: date | _Moment
    length: timedelta  # whole days after a date; exact time after a date-time
    nominal: timedelta = timedelta(0)  # days added to the wall clock first (DURATION P1D)

    @property
    def wall(self) -> datetime:
        """The start as a wall clock (midnight for a date)."""
        start = self.start
        return start.wall if isinstance(start, _Moment) else datetime.combine(start, time())

    @property
    def zone(self) -> tzinfo | None:
        """Where the series is expanded; None for whole days."""
        return self.start.clock.tz if isinstance(self.start, _Moment) else None


class _Occurrence(NamedTuple):
    """One instance of a series, as its rules give it."""

    wall: datetime  # its start on the series' wall clock (midnight for a date)
    key: date | datetime  # what a RECURRENCE-ID names: a date, or a UTC instant
    length: timedelta | None  # an RDATE period's own length


def _assumed_clock(assume_zone: str | None) -> tuple[_Clock, str] | None:
    if assume_zone is None:
        return None
    name, wall = named_zone(assume_zone)
    return _Clock(wall, name, wall), "as given with --timezone"


def _iana_clock(key: str) -> _Clock:
    tz = iana_zone(key)
    return _Clock(tz, key, tz)


_UTC_CLOCK = _Clock(UTC, "UTC", UTC)


def _parse(label: str, text: str) -> list[Any]:
    """The file's VCALENDARs; CatalogueError if it holds none, or no event."""
    import icalendar

    # A byte-order mark or blank lines before BEGIN are common, and harmless.
    data = text.lstrip("\ufeff \t\r\n")
    if "BEGIN:VCALENDAR" not in data.upper():
        raise CatalogueError([f"{label}: not an iCalendar file (no BEGIN:VCALENDAR)"])
    try:
        components = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, … on broken input
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise CatalogueError([f"{label}: not valid iCalendar: {reason}"]) from None
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if not calendars:
        raise CatalogueError([f"{label}: no complete VCALENDAR (BEGIN:VCALENDAR … END:VCALENDAR)"])
    if not any(c.name == "VEVENT" for cal in calendars for c in cal.subcomponents):
        raise CatalogueError([f"{label}: the calendar holds no events (VEVENT)"])
    return calendars


class _Reader:
    def __init__(
        self, label: str, calendars: list[Any], floating: tuple[_Clock, str] | None
    ) -> None:
        self.label = label
        self.calendars = calendars
        self.ids = Ids()
        self.sessions: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.problems: list[str] = []
        self.quirks = Quirks()
        self.vtimezones: dict[str, Any] = {}
        self.clocks: dict[str, _Clock | None] = {}
        self.tzid_users: dict[str, dict[str, None]] = {}  # ordered sets
        self.tzid_read_as: dict[str, str] = {}  # TZID → how it was read, for its note
        self.tzid_offsets: dict[str, set[str]] = {}  # VTIMEZONE-only TZID → offsets kept
        self.floating_users: dict[str, None] = {}  # an ordered set
        self.cancel_all = any(_text(c.get("METHOD"), upper=True) == "CANCEL" for c in calendars)
        zone_text = self._calendar_text("X-WR-TIMEZONE")
        zone_key = lookup_iana(zone_text) if zone_text else None
        if zone_text and not zone_key:
            self.notes.append(
                f"{label}: X-WR-TIMEZONE {show(zone_text)} is not an IANA zone name (ignored)"
            )
        # UTC times are expanded in UTC (RFC 5545) and written in X-WR-TIMEZONE.
        self.utc = _iana_clock(zone_key)._replace(tz=UTC) if zone_key else _UTC_CLOCK
        if floating is None and zone_key:
            floating = (_iana_clock(zone_key), "the calendar's X-WR-TIMEZONE")
        if floating is None:
            reason = (
                "as the file names no zone for them (dcal import --timezone ZONE reads them in one)"
            )
            floating = (_UTC_CLOCK, reason)
        self.floating, self.floating_reason = floating

    # ------------------------------------------------------------------ the file

    def read(self) -> Imported:
        events: list[Any] = []
        changes: dict[str, list[Any]] = {}
        others: Counter[str] = Counter()
        for calendar in self.calendars:
            for component in calendar.subcomponents:
                if component.name == "VTIMEZONE":
                    tzid = _text(component.get("TZID"))
                    if tzid:
                        self.vtimezones.setdefault(tzid, component)
                elif component.name != "VEVENT":
                    others[component.name or "unnamed"] += 1
                elif component.get("RECURRENCE-ID") is not None:
                    changes.setdefault(_text(component.get("UID")) or "", []).append(component)
                else:
                    events.append(component)
        bases: dict[str, list[str]] = {}
        for number, event in enumerate(events, 1):
            uid = _text(event.get("UID"))
            base = self._event(event, number, changes.pop(uid, []) if uid else [])
            if uid and base:
                bases.setdefault(uid, []).append(base)
        for uid, orphans in changes.items():
            for change in orphans:
                self._lone_change(change, uid, None)
        for uid, made in bases.items():
            if len(made) > 1:
                self.notes.append(
                    f"{self.label}: event {show(uid)}: {len(made)} events share this UID "
                    f"(none is a RECURRENCE-ID change): all are kept, as {listed(made, 5)}"
                )
        self._report(others)
        if self.problems:
            raise CatalogueError(self.problems)
        return Imported(self._meta(), self.sessions, self.notes)

    def _calendar_text(self, *keys: str) -> str | None:
        for calendar in self.calendars:
            for key in keys:
                value = _text(calendar.get(key))
                if value:
                    return value
        return None

    def _meta(self) -> dict[str, Any]:
        name = self._calendar_text("X-WR-CALNAME", "NAME")
        meta: dict[str, Any] = {"name": name or source_name(self.label) or "Calendar"}
        description = self._calendar_text("X-WR-CALDESC", "DESCRIPTION")
        if description:
            meta["description"] = description
        url = http_url(self._calendar_text("URL", "SOURCE"))
        if url:
            meta["url"] = url
        return meta

    def quirk(self, kind: str, example: str) -> None:
        self.quirks.add(kind, example)

    def _report(self, others: Counter[str]) -> None:
        label = self.label
        if self.floating_users:
            count = plural(len(self.floating_users), "event")
            self.notes.append(
                f"{label}: {count} with floating times (no TZID, no Z) read in "
                f"{self.floating.name}, {self.floating_reason}: {listed(self.floating_users)}"
            )
        for tzid, users in self.tzid_users.items():
            used = f"{plural(len(users), 'event')}: {listed(users)}"
            if tzid in self.tzid_read_as:
                self.notes.append(
                    f"{label}: TZID {show(tzid)} {self.tzid_read_as[tzid]}, in {used}"
                )
            elif self.tzid_offsets.get(tzid):
                offsets = ", ".join(sorted(self.tzid_offsets[tzid]))
                self.notes.append(
                    f"{label}: TZID {show(tzid)} is not a zone name dcal knows: read with the "
                    f"file's VTIMEZONE and kept at their UTC offsets ({offsets}), in {used}"
                )
        self.notes.extend(self.quirks.notes(label, "event", _QUIRKS, before=": "))
        for kind, number in others.items():
            self.notes.append(
                f"{label}: {plural(number, f'{kind} component')} ignored (dcal imports events only)"
            )

    def _left_out(self, name: str, why: str) -> None:
        self.notes.append(f"{self.label}: event {name}: left out: {why}")

    def _cancelled(self, event: Any, name: str) -> bool:
        if self.cancel_all or _text(event.get("STATUS"), upper=True) == "CANCELLED":
            self.quirk("cancelled", name)
            return True
        return False

    # ------------------------------------------------------------------ events

    def _event(self, event: Any, number: int, changes: list[Any]) -> str | None:
        """Add an event (each occurrence of a series) to the sessions; its id, or None."""
        name = _event_name(event, number)
        if self._cancelled(event, name):
            return None
        try:
            return self._add_event(event, number, name, changes)
        except OverflowError:
            self._left_out(name, f"its times fall outside {YEARS}")
            return None

    def _add_event(self, event: Any, number: int, name: str, changes: list[Any]) -> str | None:
        timing = self._timing(event, name)
        if timing is None:
            return None
        series = event.get("RRULE") is not None or event.get("RDATE") is not None
        occurrences = self._series(event, timing, name) if series else None
        if series and occurrences is None:
            return None
        fields = self._fields(event, name)
        uid = _text(event.get("UID"))
        base = self.ids.make(_short_uid(uid), uid, fields.get("title"), f"event-{number}")
        if occurrences is None:
            entry = self._entry(base, fields, timing, timing.wall, None, name)
            if entry is not None:
                self.sessions.append(entry)
            for change in changes:
                self._lone_change(change, uid or base, name)
            return base
        by_key = self._changes(changes, timing, name)
        per_day = Counter(o.wall.date() for o in occurrences)
        entries = []
        for occurrence in occurrences:
            wall = occurrence.wall
            suffix = f"{wall:%Y%m%d}" + (f"T{wall:%H%M}" if per_day[wall.date()] > 1 else "")
            ident = self.ids.make(f"{base}-{suffix}")
            change = by_key.pop(occurrence.key, None)
            if change is None:
                entry = self._entry(ident, fields, timing, wall, occurrence.length, name)
            else:
                entry = self._changed(ident, fields, change)
            if entry is not None:
                entries.append(entry)
        self.sessions.extend(entries)
        for change in by_key.values():
            self._lone_change(change, uid or base, name)
        return base

    def _changes(self, changes: list[Any], timing: _Timing, name: str) -> dict[Any, Any]:
        """A series' RECURRENCE-ID components by the key of the occurrence each replaces."""
        result: dict[Any, Any] = {}
        for number, change in enumerate(changes):
            change_name = _event_name(change, None)
            original = self._when(change.get("RECURRENCE-ID"), "RECURRENCE-ID", change_name)
            if original is None:
                continue
            if _param(change.get("RECURRENCE-ID"), "RANGE").upper() == "THISANDFUTURE":
                self.notes.append(
                    f"{self.label}: event {change_name}: RANGE=THISANDFUTURE read as a change "
                    "to that one occurrence only"
                )
            key: Any = original.instant() if isinstance(original, _Moment) else original
            if isinstance(timing.start, _Moment) != isinstance(original, _Moment):
                key = ("matches no occurrence", number)
            known = result.get(key)
            if known is not None:
                self.notes.append(
                    f"{self.label}: event {change_name}: two changes to one occurrence of "
                    f"{name}: the one with the higher SEQUENCE (else the later) kept"
                )
                if _sequence_of(known) > _sequence_of(change):
                    continue
            result[key] = change
        return result

    def _changed(self, ident: str, fields: dict[str, Any], change: Any) -> dict[str, Any] | None:
        """The entry of an occurrence that a RECURRENCE-ID component replaces."""
        name = _event_name(change, None)
        if self._cancelled(change, f"{name} ({ident})"):
            return None
        timing = self._timing(change, name)
        if timing is None:
            return None
        own = self._fields(change, name, titled="title" in fields)
        return self._entry(ident, {**fields, **own}, timing, timing.wall, None, name)

    def _lone_change(self, change: Any, uid: str, series: str | None) -> None:
        """A RECURRENCE-ID change that replaces no occurrence: kept as an event of its own."""
        name = _event_name(change, None)
        if self._cancelled(change, name):
            return
        try:
            timing = self._timing(change, name)
            original = self._when(change.get("RECURRENCE-ID"), "RECURRENCE-ID", name)
            if timing is None or original is None:
                return
            fields = self._fields(change, name)
            day = original.wall if isinstance(original, _Moment) else original
            ident = self.ids.make(f"{_short_uid(uid)}-{day:%Y%m%d}", fields.get("title"))
            entry = self._entry(ident, fields, timing, timing.wall, None, name)
        except OverflowError:
            self._left_out(name, f"its times fall outside {YEARS}")
            return
        if entry is None:
            return
        why = (
            f"its RECURRENCE-ID names no occurrence of {series}"
            if series
            else "it changes one occurrence of a series that the file does not hold"
        )
        self.notes.append(
            f"{self.label}: event {name}: {why}; kept as an event of its own, {ident!r}"
        )
        self.sessions.append(entry)

    # ------------------------------------------------------------------ times

    def _timing(self, event: Any, name: str) -> _Timing | None:
        """DTSTART and the event's length, or None (a problem or a note says why)."""
        if event.get("DTSTART") is None:
            self.problems.append(f"{self.label}: event {name}: DTSTART: missing")
            return None
        start = self._when(event.get("DTSTART"), "DTSTART", name, first=True)
        end_prop, duration_prop = event.get("DTEND"), event.get("DURATION")
        end = self._when(end_prop, "DTEND", name) if end_prop is not None else None
        if start is None or (end_prop is not None and end is None):
            return None
        timed = isinstance(start, _Moment)
        if end is not None:
            if timed != isinstance(end, _Moment):
                kinds = ("a date-time", "a date") if timed else ("a date", "a date-time")
                self.problems.append(
                    f"{self.label}: event {name}: DTSTART is {kinds[0]} but DTEND {kinds[1]}; "
                    "both must be dates (all day) or both date-times"
                )
                return None
            if duration_prop is not None:
                self.quirk("both-ends", name)
            if isinstance(start, _Moment) and isinstance(end, _Moment):
                return self._checked(name, _Timing(start, end.instant() - start.instant()))
            assert isinstance(start, date)
            assert isinstance(end, date)
            return self._checked(name, _Timing(start, end - start))
        if duration_prop is None:  # RFC 5545 §3.6.1: it ends when it starts, or lasts a day
            return self._checked(name, _Timing(start, timedelta(0) if timed else ONE_DAY))
        duration = _attr(duration_prop, "dt")
        if not isinstance(duration, timedelta):
            self.problems.append(
                f"{self.label}: event {name}: DURATION: {show(str(duration_prop))} is not a "
                "duration"
            )
            return None
        if timed:  # days and weeks are added to the wall clock, the rest is exact time
            days = timedelta(days=max(duration.days, 0))
            return self._checked(name, _Timing(start, duration - days, days))
        whole = duration.days + (1 if duration.seconds or duration.microseconds else 0)
        return self._checked(name, _Timing(start, timedelta(days=whole)))

    def _checked(self, name: str, timing: _Timing) -> _Timing | None:
        total = timing.length + timing.nominal
        if total < timedelta(0):
            self._left_out(name, "it ends (DTEND or DURATION) before it starts (DTSTART)")
            return None
        if total == timedelta(0):
            if isinstance(timing.start, _Moment):
                self.quirk("no-end", name)
                return timing._replace(length=ONE_HOUR)
            self.quirk("same-day", name)
            return timing._replace(length=ONE_DAY)
        return timing

    def _when(
        self, prop: Any, what: str, name: str, *, first: bool = False
    ) -> date | _Moment | None:
        """A DTSTART-like property as a date or a wall clock; None if unreadable."""
        if isinstance(prop, list):
            self.problems.append(f"{self.label}: event {name}: {what}: given more than once")
            return None
        value = _attr(prop, "dt")
        if isinstance(value, datetime) and _param(prop, "VALUE").upper() == "DATE":
            return value.date()  # VALUE=DATE wins over a TZID written beside it
        if isinstance(value, datetime):
            return self._moment(value, _param(prop, "TZID"), name, first)
        if isinstance(value, date):
            return value
        self.problems.append(
            f"{self.label}: event {name}: {what}: {show(str(prop))} is not a date or date-time"
        )
        return None

    def _moment(self, value: datetime, tzid: str, name: str, first: bool) -> _Moment | None:
        if tzid:
            clock = self._tzid_clock(tzid, name)
            return _Moment(value.replace(tzinfo=None), clock) if clock else None
        if value.tzinfo is not None:  # written with Z
            return _Moment(value.astimezone(UTC).replace(tzinfo=None), self.utc)
        if first:
            self.floating_users[name] = None
        return _Moment(value, self.floating)

    def _tzid_clock(self, tzid: str, name: str) -> _Clock | None:
        self.tzid_users.setdefault(tzid, {})[name] = None
        if tzid not in self.clocks:
            self.clocks[tzid] = self._resolve(tzid, name)
        return self.clocks[tzid]

    def _resolve(self, tzid: str, name: str) -> _Clock | None:
        """The clock of a TZID, or None (and a problem naming ``name``, its first user)."""
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        key = lookup_iana(tzid)
        if key:
            return _iana_clock(key)
        key = lookup_iana(WINDOWS_TO_OLSON.get(tzid.strip(), ""))
        if key:
            self.tzid_read_as[tzid] = f"read as {key} (a Windows zone name)"
            return _iana_clock(key)
        if tzid.startswith("/"):  # RFC 5545 §3.2.19: a globally unique id, vendor-prefixed
            parts = tzid.strip("/").split("/")
            for start in range(1, len(parts)):
                key = lookup_iana("/".join(parts[start:]))
                if key:
                    self.tzid_read_as[tzid] = f"read as {key}, the IANA name it ends with"
                    return _iana_clock(key)
        component = self.vtimezones.get(tzid)
        if component is None:
            self.problems.append(
                f"{self.label}: event {name}: TZID {show(tzid)} is neither a zone name dcal "
                "knows nor defined by a VTIMEZONE in the file"
            )
            return None
        from icalendar.timezone import tzp

        try:  # made afresh: icalendar's own cache keeps the first file's zone of each name
            made: Any = tzp.create_timezone(component)
            if not isinstance(made, tzinfo):
                raise TypeError("not a zone")
            tz = made
            tz.utcoffset(datetime(2000, 1, 1))
        except Exception as exc:  # a broken VTIMEZONE fails in many ways inside icalendar
            reason = " ".join(str(exc).split())[:100] or type(exc).__name__
            self.problems.append(
                f"{self.label}: event {name}: the VTIMEZONE of TZID {show(tzid)} cannot be "
                f"read ({reason})"
            )
            return None
        self.tzid_offsets[tzid] = set()
        return _Clock(tz, None, tz, tzid)

    def _series(self, event: Any, timing: _Timing, name: str) -> list[_Occurrence] | None:
        """The occurrences of a finite series, or None (left out, with a note)."""
        from dateutil.rrule import rruleset, rrulestr  # type: ignore[import-untyped,unused-ignore]

        first, zone = timing.wall, timing.zone
        series = rruleset()
        series.rdate(first)  # DTSTART is always the first occurrence (RFC 5545 §3.8.5.3)
        for rule in _as_list(event.get("RRULE")):
            if not isinstance(rule, dict) or not hasattr(rule, "to_ical"):
                self._left_out(name, f"its RRULE {show(str(rule))} cannot be read")
                return None
            if "COUNT" not in rule and "UNTIL" not in rule:
                self._left_out(
                    name, "its RRULE never ends (no COUNT or UNTIL); dcal imports finite series"
                )
                return None
            if not _can_match(rule):
                self._left_out(name, "its RRULE names no day that exists (such as 30 February)")
                return None
            text = ""
            try:
                parts = rule.to_ical().decode("utf-8", "replace").split(";")
                text = ";".join(p for p in parts if not p.upper().startswith("UNTIL="))
                made = rrulestr(text, dtstart=first, cache=True)  # counted, then expanded
                until = _as_list(rule.get("UNTIL"))
                end = _until(until[0], zone) if until and "COUNT" not in rule else None
                # A rule that matches rarely or never (30 February) is searched up to a
                # horizon, not to the year 9999: dateutil would take seconds per event.
                horizon = _horizon(first)
                with warnings.catch_warnings():  # COUNT with a bound is what is meant here
                    warnings.simplefilter("ignore")
                    made = made.replace(until=min(end, horizon) if end else horizon)
                count = rule.get("COUNT")
                wanted = int(count[0] if isinstance(count, list) else count) if count else None
            except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
                self._left_out(name, f"its RRULE {show(text)} cannot be read ({exc})")
                return None
            if wanted is not None and wanted <= MAX_OCCURRENCES:
                found = sum(1 for _ in islice(made, wanted))
                if found < wanted:
                    self.quirk("short-rule", f"{name} ({found} of {wanted})")
            series.rrule(made)
        lengths: dict[datetime, timedelta] = {}
        for value, tzid in _dates(event.get("RDATE")):
            period_end = None
            if isinstance(value, tuple) and len(value) == 2:  # a PERIOD: start and end
                value, period_end = value
            wall = self._wall(value, tzid, timing, name, "RDATE")
            if wall is None:
                return None
            series.rdate(wall)
            if isinstance(period_end, timedelta):
                lengths[wall] = period_end
            elif isinstance(period_end, datetime) and isinstance(value, datetime):
                lengths[wall] = period_end - value
        excluded_days: set[date] = set()
        for value, tzid in _dates(event.get("EXDATE")):
            if zone is not None and type(value) is date:
                excluded_days.add(value)  # a whole day out of a timed series
                continue
            wall = self._wall(value, tzid, timing, name, "EXDATE")
            if wall is None:
                return None
            series.exdate(wall)
        kept = (wall for wall in series if wall.date() not in excluded_days)
        try:
            walls = list(islice(kept, MAX_OCCURRENCES + 1))
        except (ValueError, TypeError) as exc:
            self._left_out(name, f"its occurrences cannot be worked out ({exc})")
            return None
        if len(walls) > MAX_OCCURRENCES:
            self._left_out(
                name,
                f"its series has more than {MAX_OCCURRENCES} occurrences; dcal imports at "
                f"most {MAX_OCCURRENCES} per event, and never a part of a series",
            )
            return None
        return [
            _Occurrence(
                wall,
                wall.date() if zone is None else localize(wall, zone).instant.astimezone(UTC),
                lengths.get(wall),
            )
            for wall in walls
        ]

    def _wall(
        self, value: Any, tzid: str, timing: _Timing, name: str, what: str
    ) -> datetime | None:
        """An RDATE or EXDATE as a wall clock of the series."""
        if isinstance(value, datetime):
            moment = self._moment(value, tzid, name, first=False)
            if moment is None:
                return None
            if timing.zone is None:
                return datetime.combine(moment.wall.date(), time())
            return moment.instant().astimezone(timing.zone).replace(tzinfo=None)
        if isinstance(value, date):  # a date in a timed series: at DTSTART's time of day
            return datetime.combine(value, timing.wall.time())
        self._left_out(name, f"its {what} {show(str(value))} cannot be read")
        return None

    # ------------------------------------------------------------------ entries

    def _entry(
        self,
        ident: str,
        fields: dict[str, Any],
        timing: _Timing,
        wall: datetime,
        length: timedelta | None,
        name: str,
    ) -> dict[str, Any] | None:
        """The catalogue entry of one occurrence, starting at ``wall`` on its clock."""
        entry: dict[str, Any] = {"id": ident, "title": fields.get("title") or UNTITLED}
        try:
            if isinstance(timing.start, _Moment):
                clock = timing.start.clock
                localized = localize(wall, clock.tz)
                begin = localized.instant.astimezone(UTC)  # exact arithmetic from here on
                if localized.problem == "gap":
                    self.quirk("gap", show(ident))
                if length is not None:
                    finish = begin + length
                else:
                    nominal_end = localize(wall + timing.nominal, clock.tz).instant
                    finish = nominal_end.astimezone(UTC) + timing.length
                if finish <= begin:
                    self._left_out(f"{name} ({ident})", "it ends before it starts")
                    return None
                zone_name, store = clock.name, clock.store
                if zone_name is None:  # a zone only its VTIMEZONE defines: kept at its offset
                    zone_name, store = fixed_clock(localized.instant)
                    self.tzid_offsets.setdefault(clock.tzid, set()).add(zone_name)
                times = timed_entry(begin, finish, zone_name, store)
                if times["timezone"] != zone_name:
                    self.quirk("repeat", show(ident))
                entry.update(times)
            else:
                day = wall.date()
                days = length if length is not None and length >= ONE_DAY else timing.length
                last = day + timedelta(days=days.days - 1)
                check_years(day, last)
                entry["date"] = day.isoformat()
                if last > day:
                    entry["end_date"] = last.isoformat()
        except OverflowError:
            self._left_out(f"{name} ({ident})", f"it falls outside {YEARS}")
            return None
        entry.update((key, value) for key, value in fields.items() if key != "title")
        mode = _mode(fields)
        if mode:
            entry["mode"] = mode
        return entry

    def _fields(self, event: Any, name: str, *, titled: bool = False) -> dict[str, Any]:
        """The event's texts as catalogue fields (those it has). ``titled``: a change
        to an occurrence whose series has a title."""
        fields: dict[str, Any] = {}
        for key, prop in (
            ("title", "SUMMARY"),
            ("location", "LOCATION"),
            ("summary", "DESCRIPTION"),
        ):
            text = _text(event.get(prop))
            if text:
                fields[key] = text
        if "title" not in fields and not titled:
            self.quirk("untitled", name)
        categories = (c for value in _as_list(event.get("CATEGORIES")) for c in _items(value))
        themes = _unique(_text(c) for c in categories)
        if themes:
            fields["themes"] = themes
        hosts = _unique(_text(_param(o, "CN")) for o in _as_list(event.get("ORGANIZER")))
        if hosts:
            fields["hosts"] = hosts
        written_url = _text(event.get("URL"))
        url = http_url(written_url)
        if url:
            fields["url"] = url
        elif written_url:
            self.notes.append(
                f"{self.label}: event {name}: URL {show(written_url)} is not an http(s) "
                "address (left out)"
            )
        links = _unique(http_url(_text(event.get(key))) for key in _CONFERENCE_KEYS)
        links = [link for link in links if link != url]
        if links:
            fields["links"] = links
        sequence = event.get("SEQUENCE")
        if isinstance(sequence, int) and not isinstance(sequence, bool):
            fields["revision"] = min(max(int(sequence), 0), MAX_REVISION)
        elif re.fullmatch(r"[0-9]+", _text(sequence) or ""):  # beyond icalendar's INTEGER
            fields["revision"] = MAX_REVISION
        elif sequence is not None:
            self.notes.append(
                f"{self.label}: event {name}: SEQUENCE {show(str(sequence))} is not a whole "
                "number (ignored)"
            )
        return fields


# ---------------------------------------------------------------------- helpers


def _can_match(rule: Any) -> bool:
    """False for a rule whose months have none of its days (BYMONTH=2;BYMONTHDAY=30).

    dateutil would look for such a day up to the year 9999, for seconds per event.
    """
    try:
        months = [int(m) for m in _as_list(rule.get("BYMONTH"))] or list(range(1, 13))
        days = [int(d) for d in _as_list(rule.get("BYMONTHDAY"))]
    except (TypeError, ValueError):
        return True  # dateutil says what is wrong with it
    longest = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
    return not days or any(
        1 <= abs(day) <= longest.get(month, 31) for month in months for day in days
    )


def _horizon(first: datetime) -> datetime:
    """How far a series is searched for its occurrences: 50 years (or to the last year)."""
    try:
        return first.replace(year=min(first.year + SERIES_YEARS, MAX_YEAR), month=12, day=31)
    except ValueError:
        return datetime(MAX_YEAR, 12, 31, 23, 59)


def _until(value: Any, zone: tzinfo | None) -> datetime:
    """An RRULE's UNTIL as a wall clock of the series (``zone`` None: whole days)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(zone or UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):  # inclusive: the whole day
        return datetime.combine(value, time() if zone is None else time.max)
    raise ValueError(f"UNTIL {value!r} is not a date")


def _mode(fields: dict[str, Any]) -> str | None:
    """``online`` for a meeting link and no place but the link; else no mode."""
    place = fields.get("location")
    if place and not _NO_PLACE.fullmatch(place):
        return None
    texts = [place, fields.get("url"), fields.get("summary"), *fields.get("links", [])]
    return "online" if any(t and _MEETING_LINK.search(t) for t in texts) else None


def _text(value: Any, *, upper: bool = False) -> str | None:
    """A property's text (the first, if given twice), stripped, with no control characters
    but line breaks and tabs; None if nothing is left."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = clean(value if isinstance(value, str) else str(value))
    return text.upper() if upper and text else text


def _items(value: Any) -> list[Any]:
    """The categories of one CATEGORIES line."""
    cats = _attr(value, "cats")
    return list(cats) if isinstance(cats, list) else [value]


def _unique(values: Iterable[str | None]) -> list[str]:
    result: list[str] = []
    for value in values:
        if value and value not in result:
            result.append(value)
    return result


def _attr(prop: Any, name: str) -> Any:
    """An attribute of a parsed property (``dt``, ``params`` …); None if it has none, or if
    icalendar could not parse the property (its vBroken raises on every attribute)."""
    try:
        return getattr(prop, name, None)
    except ValueError:  # icalendar's BrokenCalendarProperty
        return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _param(prop: Any, name: str) -> str:
    params = _attr(prop, "params")
    value = params.get(name) if isinstance(params, dict) else None
    return str(value) if value else ""


def _dates(prop: Any) -> Iterator[tuple[Any, str]]:
    """The values of RDATE or EXDATE lines, each with its line's TZID."""
    for line in _as_list(prop):
        tzid = _param(line, "TZID")
        for item in _attr(line, "dts") or [line]:
            value = _attr(item, "dt")
            yield (item if value is None else value), tzid


def _sequence_of(component: Any) -> int:
    value = component.get("SEQUENCE")
    return int(value) if isinstance(value, int) else 0


def _event_name(event: Any, number: int | None) -> str:
    """How notes name an event: its UID, or its SUMMARY if the UID is missing or a long
    machine-made one (Outlook's have 112 hex digits), else its place among the VEVENTs."""
    uid, summary = _text(event.get("UID")), _text(event.get("SUMMARY"))
    if uid and (len(uid) <= 60 or not summary):
        return show(uid)
    if summary:
        return show(summary)
    return f"#{number}" if number else "(with no UID or SUMMARY)"


def _short_uid(uid: str | None) -> str | None:
    """A UID without its ``@domain``: ``abc123@google.com`` → ``abc123``.

    A long one (Outlook's are 112 hex digits, and share their first 32) becomes ``ics-`` and
    16 hex digits of its SHA-256: as stable as the UID, and short enough to read and type.
    """
    if uid and "@" in uid:
        uid = uid.rpartition("@")[0] or None
    if uid and len(uid) > MAX_READABLE_UID:
        import hashlib

        return "ics-" + hashlib.sha256(uid.encode("utf-8", "replace")).hexdigest()[:16]
    return uid
