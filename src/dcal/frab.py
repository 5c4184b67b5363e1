"""The frab/pretalx schedule format (``schedule.json`` and ``schedule.xml``), in and out.

It is what pretalx, frab and pentabarf publish and what Giggity, ConfClerk and
EventFahrplan read. Its JSON schema is kept by the voc/schedule project.

Reading trusts each event's own offset (``date``, ``2020-12-14T09:00:00+01:00``) for the
instant, because that is what the schedule apps show; the declared
``time_zone_name`` is only used where it agrees. Everything else that real exports get
wrong is repaired where the file itself says how, and reported.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, NamedTuple, TextIO
from urllib.parse import quote

from dcal import __version__
from dcal.errors import CatalogueError, DcalError
from dcal.importing import (
    YEARS,
    Ids,
    Imported,
    Quirks,
    check_years,
    clean,
    fixed_clock,
    http_url,
    named_zone,
    offset_name,
    timed_entry,
)
from dcal.model import Catalogue, Session
from dcal.zones import WallProblem, Zone, localize, resolve_zone

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# A session with no duration lasts one slot of the schedule's grid, else this long.
DEFAULT_DURATION = timedelta(hours=1)
_DURATION_RE = re.compile(r"(\d{1,5}):(\d{2})(?::(\d{2}))?")
# dcal's export names each event's session in origin_url, so an import gets its id back.
_ORIGIN = "urn:dcal:session:"
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


# ------------------------------------------------------------------------------ reading


def read_frab_json(label: str, data: Mapping[str, Any], assume_zone: str | None) -> Imported:
    schedule = data.get("schedule")
    if not isinstance(schedule, dict) or not isinstance(schedule.get("conference"), dict):
        raise CatalogueError([f"{label}: schedule.conference: missing; not a frab schedule"])
    return _Reader(label, assume_zone).read(schedule["conference"])


def read_frab_xml(label: str, text: str, assume_zone: str | None) -> Imported:
    """A ``schedule.xml``, parsed with no DTD, entities or external references."""
    import xml.etree.ElementTree as ElementTree

    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        root = SafeTree.fromstring(text, forbid_dtd=True)
    except DefusedXmlException:
        raise CatalogueError(
            [f"{label}: the XML declares a DTD or entities, which dcal does not read"]
        ) from None
    except ElementTree.ParseError as exc:
        raise CatalogueError([f"{label}: not valid XML: {exc}"]) from None
    for element in root.iter():  # a namespaced schedule: the names are what matter
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    if root.tag != "schedule" or root.find("conference") is None:
        raise CatalogueError([f"{label}: not a frab schedule.xml (<schedule><conference>)"])
    return _Reader(label, assume_zone).read(_conference_from_xml(root))


def _all_text(element: Any) -> str:
    """An element's text with that of any markup inside it (``<em>and</em>``)."""
    return "".join(element.itertext()).strip()


def _conference_from_xml(root: Any) -> dict[str, Any]:
    """The XML's conference and days, in the shape of the JSON format."""
    conference_element = root.find("conference")
    conference: dict[str, Any] = {
        child.tag: _all_text(child) for child in conference_element if len(child) == 0
    }
    days = []
    for day in root.iter("day"):
        rooms: dict[str, list[dict[str, Any]]] = {}
        for room in [*day.findall("room"), *day.findall("rooms/room")]:
            events = rooms.setdefault(room.get("name") or "", [])
            for event in room.findall("event"):
                record: dict[str, Any] = {
                    child.tag: _all_text(child)
                    for child in event
                    if child.tag not in ("persons", "links", "attachments")
                }
                record.update(event.attrib)
                record["persons"] = [
                    {"name": _all_text(p)} for p in event.iterfind("persons/person")
                ]
                record["links"] = [
                    {"url": link.get("href", ""), "title": (link.text or "").strip()}
                    for link in event.iterfind("links/link")
                ]
                events.append(record)
        days.append(
            {
                "index": day.get("index"),
                "date": day.get("date"),
                "day_start": day.get("start"),
                "day_end": day.get("end"),
                "rooms": rooms,
            }
        )
    conference["days"] = days
    return conference


class _Day(NamedTuple):
    """A schedule day as its events need it, read once."""

    date: str | None  # as written
    start: datetime | None  # day_start, with its offset
    end: datetime | None  # day_end


class _Event(NamedTuple):
    where: str
    day: _Day
    room: str
    data: Mapping[str, Any]


# A zone as a reader keeps it: the name entries are written with, and the clock it reads.
_Zone = tuple[str, tzinfo]


class _Reader:
    def __init__(self, label: str, assume_zone: str | None) -> None:
        self.label = label
        self.assume_zone = assume_zone
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.quirks = Quirks()
        self.spans: list[tuple[datetime, datetime]] = []  # every day's [day_start, day_end)

    def quirk(self, kind: str, example: str) -> None:
        self.quirks.add(kind, example)

    def read(self, conference: Mapping[str, Any]) -> Imported:
        title = clean(conference.get("title")) or clean(conference.get("acronym")) or "Schedule"
        zone, zone_reason = self._zone(conference)
        slot = _duration(conference.get("timeslot_duration"))
        events = list(self._events(conference))  # and with them, every day's span
        ids = Ids()
        sessions = []
        for event in events:
            entry = self._session(event, zone, slot, ids)
            if entry is not None:  # its event is the catalogue's name: the schedule's title
                sessions.append(entry)
        if self.problems:
            raise CatalogueError(self.problems)
        if not events:
            self.notes.append(f"{self.label}: the schedule lists no events")
        meta: dict[str, Any] = {"name": title}
        url = http_url(conference.get("url"))
        if url:
            meta["url"] = url
        if zone is not None:
            meta["timezone"] = zone[0]
        self._report(zone, zone_reason, slot)
        self.notes.extend(ids.note(self.label))
        return Imported(meta, sessions, self.notes)

    def _zone(self, conference: Mapping[str, Any]) -> tuple[_Zone | None, str]:
        """The schedule's zone: the one the user names, else the declared one if known."""
        if self.assume_zone:
            return named_zone(self.assume_zone), "given with --timezone"
        declared = clean(conference.get("time_zone_name"))
        if not declared:
            self.notes.append(
                f"{self.label}: the schedule names no time zone: each event is kept at its own "
                "UTC offset (dcal import --timezone ZONE stores them on that zone's clock)"
            )
            return None, ""
        try:
            zone = resolve_zone(declared)
        except DcalError:
            self.notes.append(
                f"{self.label}: time_zone_name {declared!r} is not a known zone (ignored): "
                "each event is kept at its own UTC offset"
            )
            return None, ""
        return (zone.name, zone.tz), "declared"

    def _events(self, conference: Mapping[str, Any]) -> Iterator[_Event]:
        days = conference.get("days")
        if not isinstance(days, list):
            self.problems.append(f"{self.label}: conference.days: missing or not a list")
            return
        for day_number, day in enumerate(days, 1):
            if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
                self.problems.append(f"{self.label}: day {day_number}: expected rooms")
                continue
            read = _Day(clean(day.get("date")), _instant(day.get("day_start")),
                        _instant(day.get("day_end")))  # fmt: skip
            if read.start and read.end:
                self.spans.append((read.start, read.end))
            for room, events in day["rooms"].items():
                if not isinstance(events, list):
                    self.problems.append(
                        f"{self.label}: day {day_number}: room {room!r}: not a list"
                    )
                    continue
                for number, event in enumerate(events, 1):
                    where = f"day {day.get('date') or day_number}, room {room!r}, event {number}"
                    if not isinstance(event, dict):
                        self.problems.append(f"{self.label}: {where}: not an event object")
                        continue
                    yield _Event(where, read, str(room), event)

    def _session(
        self, event: _Event, zone: _Zone | None, slot: timedelta | None, ids: Ids
    ) -> dict[str, Any] | None:
        data = event.data
        ident = ids.make(
            _dcal_id(data.get("origin_url")),
            data.get("slug"),
            data.get("code"),
            data.get("guid"),
            data.get("id"),
        )
        named = any(clean(data.get(key)) for key in ("slug", "code", "guid", "id"))
        here = f"{self.label}: {event.where}" + (f" ({ident})" if named else "")
        try:
            start = self._start(event, zone, here, ident)
            if start is None:
                return None
            end = self._end(data, start, slot, ident)
            clock = self._clock(start, end, zone, ident, clean(data.get("type")) == "all-day")
        except OverflowError:  # beyond what datetime (or dcal) can hold
            self.quirk("years", ident)
            return None
        entry: dict[str, Any] = {"id": ident, "title": clean(data.get("title")) or "(untitled)"}
        if not clean(data.get("title")):
            self.quirk("untitled", ident)
        entry.update(clock)
        location = clean(data.get("room")) or clean(event.room)
        if location:
            entry["location"] = location
        track = clean(data.get("track"))
        if data.get("track") and not track:
            self.quirk("unread", f"{ident} (track)")
        if track:
            entry["themes"] = [track]
        persons = _items(data.get("persons"))
        speakers = [_person(p) for p in persons]
        if not all(speakers) or (data.get("persons") and not persons):
            self.quirk("unread", f"{ident} (persons)")
        if any(speakers):
            entry["speakers"] = [s for s in speakers if s]
        parts = [clean(data.get(key)) for key in ("subtitle", "abstract", "description")]
        summary = "\n\n".join(dict.fromkeys(p for p in parts if p))  # each text once
        if summary:
            entry["summary"] = summary
        links_given = _items(data.get("links"))
        if data.get("links") and not all(isinstance(link, dict) for link in links_given or [1]):
            self.quirk("unread", f"{ident} (links)")
        own_url = data.get("url")
        if own_url == f"urn:uuid:{data.get('guid')}":  # dcal's stand-in for "no page"
            own_url = None
        written = [own_url] + [link.get("url") for link in links_given if isinstance(link, dict)]
        urls = [http_url(url) for url in written]
        if any(clean(url) and not checked for url, checked in zip(written, urls, strict=True)):
            self.quirk("not-http", ident)
        if urls[0]:
            entry["url"] = urls[0]
        links = list(dict.fromkeys(url for url in urls[1:] if url))
        if links:
            entry["links"] = links
        return entry

    def _start(self, event: _Event, zone: _Zone | None, here: str, ident: str) -> datetime | None:
        """The start instant: ``date`` with its offset, else the day's date and ``start``."""
        data, day = event.data, event.day
        written = clean(data.get("date"))
        on = day.date
        if written and _DATE_ONLY.fullmatch(written):  # a day, not a time: with ``start``
            on, written = written, None
        if written:
            try:
                start = datetime.fromisoformat(written.replace("Z", "+00:00"))
            except ValueError:
                self.problems.append(f"{here}: date: {written!r} is not a date-time")
                return None
            if start.tzinfo is None:
                if zone is None:
                    self.problems.append(
                        f"{here}: date: {written!r} has no UTC offset and the schedule names no "
                        "zone; import it with dcal import --timezone ZONE"
                    )
                    return None
                start = self._on_clock(start, zone[1], ident)
                self.quirk("no-offset", ident)
            # A date inside any of the schedule's days is taken as written.
            misfiled = not any(begin <= start < end for begin, end in self.spans)
        else:
            from_day = self._from_day(event, on, zone, here, ident)
            if from_day is None:
                return None
            start, misfiled = from_day, True
        # Past midnight, under the previous day's date: the day's own span says so.
        if misfiled and day.start and day.end and start < day.start:
            clock = start.tzinfo
            assert clock is not None
            wall = start.replace(tzinfo=None) + _DAY  # the same clock time, a day later
            moved = self._on_clock(wall, zone[1] if zone else clock, ident)
            if day.start <= moved < day.end:
                self.quirk("after-midnight", ident)
                start = moved
        return start

    def _from_day(
        self, event: _Event, on_text: str | None, zone: _Zone | None, here: str, ident: str
    ) -> datetime | None:
        """A start from a date (the day's) and ``start``, on the clock the day itself is on."""
        clock_text = clean(event.data.get("start")) or ""
        clock = _CLOCK_RE.fullmatch(clock_text)
        try:
            on = date.fromisoformat(on_text or "")
        except ValueError:
            on = None
        if clock is None or on is None:
            self.problems.append(f"{here}: neither a date nor a day date and start time")
            return None
        hour, minute, second = (int(g or 0) for g in clock.groups())
        if hour > 23 or minute > 59 or second > 59:
            self.problems.append(f"{here}: start: {clock_text!r} is not a time")
            return None
        wall = datetime.combine(on, time(hour, minute, second))
        day_start = event.day.start
        reading: tzinfo | None = zone[1] if zone else None
        if day_start is not None and not self.assume_zone:
            agrees = reading is not None and _offset(day_start.astimezone(reading)) == _offset(
                day_start
            )
            if not agrees:
                if reading is not None:
                    self.quirk("contradiction", f"{ident} ({offset_name(_offset(day_start))})")
                reading = day_start.tzinfo  # the offset the day itself is written with
        if reading is None:
            self.problems.append(
                f"{here}: no date with an offset, and the schedule names no zone; "
                "import it with dcal import --timezone ZONE"
            )
            return None
        return self._on_clock(wall, reading, ident)

    def _on_clock(self, wall: datetime, clock: tzinfo, ident: str) -> datetime:
        instant, problem = _on_clock(wall, clock)
        if problem == "gap":
            self.quirk("gap", ident)
        return instant

    def _end(
        self, data: Mapping[str, Any], start: datetime, slot: timedelta | None, ident: str
    ) -> datetime:
        written_end = _instant(data.get("end"))
        if written_end is not None and written_end > start:
            return written_end
        length = _duration(data.get("duration"))
        if length is None or length <= timedelta(0):
            length = slot if slot and slot > timedelta(0) else DEFAULT_DURATION
            self.quirk("no-duration", ident)
        return start + length

    def _clock(
        self, start: datetime, end: datetime, zone: _Zone | None, ident: str, all_day: bool
    ) -> dict[str, Any]:
        """Where the entry's wall clocks are kept: the schedule's zone, or the event's offset."""
        if zone is not None:
            name, clock = zone
            local, local_end = start.astimezone(clock), end.astimezone(clock)
            if all_day and local.time() == local_end.time() == time(0) and local_end > local:
                # An event of whole days, as dcal writes them: dated, never shifted.
                check_years(local, local_end - _DAY)
                days = {"date": local.date().isoformat()}
                if local_end.date() - _DAY != local.date():
                    days["end_date"] = (local_end.date() - _DAY).isoformat()
                return days
            if start.utcoffset() == local.utcoffset() or self.assume_zone:
                if start.utcoffset() != local.utcoffset():
                    self.quirk("other-offset", ident)
                entry = timed_entry(start, end, name, clock)
                if entry["timezone"] != name:
                    self.quirk("repeat", ident)
                return entry
            self.quirk("contradiction", f"{ident} ({offset_name(_offset(start))})")
        return timed_entry(start, end, *fixed_clock(start))

    def _report(self, zone: _Zone | None, reason: str, slot: timedelta | None) -> None:
        name = zone[0] if zone else ""
        texts = {
            "after-midnight": "after midnight filed under the previous day's date (before "
            "its day_start): moved to the next day",
            "contradiction": f"with a UTC offset that the declared zone {name} does not "
            "have then: kept at their own offset (dcal import --timezone ZONE stores them on "
            "that zone's clock)",
            "other-offset": f"with a UTC offset other than {name}'s ({reason}): kept "
            "their instants, on that zone's clock",
            "no-duration": f"with no duration: assumed {_hours(slot or DEFAULT_DURATION)}"
            " (one slot of the schedule's grid, else an hour)",
            "no-offset": f"with a date-time but no UTC offset: read on the clock of {name} "
            f"({reason})",
            "gap": "at a wall time the clocks skip (DST): read as RFC 5545 does, an hour later",
            "repeat": "starting or ending in the hour that a DST change repeats: kept at "
            "their UTC offset, so that the instant is kept",
            "untitled": "with no title: called '(untitled)'",
            "not-http": "with a url or link that is not an http(s) URL: left out",
            "unread": "with a field that is not in the schedule format's shape: left out",
            "years": f"outside {YEARS}: left out",
        }
        self.notes.extend(self.quirks.notes(self.label, "event", texts))


_DAY = timedelta(days=1)


def _dcal_id(origin: Any) -> str | None:
    """The session id that dcal's own export keeps in ``origin_url``."""
    from urllib.parse import unquote

    if isinstance(origin, str) and origin.startswith(_ORIGIN):
        return unquote(origin[len(_ORIGIN) :])
    return None


def _items(value: Any) -> list[Any]:
    """A JSON list, or nothing for anything else (the reader says what it could not read)."""
    return value if isinstance(value, list) else []


def _person(person: Any) -> str | None:
    if isinstance(person, str):
        return clean(person)
    if not isinstance(person, dict):
        return None
    for key in ("name", "public_name", "full_public_name"):
        name = clean(person.get(key))
        if name:
            return name
    return None


def _instant(value: Any) -> datetime | None:
    """An ISO date-time with an offset, or None."""
    text = clean(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _duration(value: Any) -> timedelta | None:
    """``01:30`` (hours and minutes, the schema's form) or ``01:30:00`` (and seconds)."""
    match = _DURATION_RE.fullmatch(clean(value) or "")
    if not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if minutes > 59 or seconds > 59:
        return None
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _on_clock(wall: datetime, zone: tzinfo) -> tuple[datetime, WallProblem | None]:
    """A wall clock on ``zone``, at the fixed offset it has then (so arithmetic is exact)."""
    localized = localize(wall, zone)
    return localized.instant.astimezone(timezone(_offset(localized.instant))), localized.problem


def _offset(moment: datetime) -> timedelta:
    return moment.utcoffset() or timedelta(0)


def _hours(length: timedelta) -> str:
    minutes = int(length.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ------------------------------------------------------------------------------ writing


# The schema's time_zone_name: an IANA name of the Area/Location kind, or UTC.
_SCHEMA_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def frab_zone(zone: Zone) -> _Zone | None:
    """The IANA name and clock a schedule's days can be on, or None (a fixed offset)."""
    key = "UTC" if zone.kind == "utc" else getattr(zone.tz, "key", None)
    if isinstance(key, str) and _SCHEMA_ZONE.search(key):
        return key, zone.tz
    return None


def schedule_zone(catalogue: Catalogue, sessions: Sequence[Session]) -> _Zone:
    """The zone of the schedule's days: the catalogue's, else the commonest IANA zone, else UTC."""
    if catalogue.timezone:
        chosen = frab_zone(resolve_zone(catalogue.timezone, cities=catalogue.cities))
        if chosen is not None:
            return chosen
    counts = Counter(zone for s in sessions if s.zone and (zone := frab_zone(s.zone)))
    best = counts.most_common(1)[0][0] if counts else None
    return best or ("UTC", UTC)


def write_frab_json(
    catalogue: Catalogue, sessions: Sequence[Session], zone: _Zone, lang: str, out: TextIO
) -> None:
    """A ``schedule.json`` (frab/pretalx, schema 1.x) of the timed and dated sessions.

    Days are calendar days on ``zone``'s clock. A dated session becomes an event from
    midnight to midnight of its days, of type ``all-day`` (the reader turns it back).
    """
    from dcal.render import to_json

    namespace = uuid.uuid5(uuid.NAMESPACE_URL, catalogue.url or "https://dcal.invalid/")
    days: dict[date, dict[str, list[dict[str, Any]]]] = {}
    rooms: dict[str, None] = {}
    people: dict[str, int] = {}
    slugs: set[str] = set()
    last = date.min
    for number, session in enumerate(sessions, 1):
        start, end = _span(session, zone[1])
        room = _room(session, lang)
        rooms[room] = None
        event = _event(session, number, start, end, room, lang, namespace, people, slugs)
        event["url"] = event["url"] or catalogue.url or f"urn:uuid:{event['guid']}"
        days.setdefault(start.date(), {}).setdefault(room, []).append(event)
        last = max(last, (end - timedelta(microseconds=1)).date())
    title = catalogue.name or "Schedule"
    # An empty schedule still needs dates: the catalogue's revision day, never the clock.
    first = min(days) if days else (catalogue.updated or datetime(1970, 1, 1)).date()
    last = last if days else first
    conference: dict[str, Any] = {
        "acronym": _acronym(title),
        "title": title,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
        "time_zone_name": zone[0],
    }
    if catalogue.url:
        conference["url"] = catalogue.url
    conference["rooms"] = [
        {"name": name, "guid": str(uuid.uuid5(namespace, "room:" + name))} for name in rooms
    ]
    conference["days"] = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": _midnight(day, zone[1]).isoformat(timespec="seconds"),
            "day_end": _midnight(day + _DAY, zone[1]).isoformat(timespec="seconds"),
            "rooms": days[day],
        }
        for index, day in enumerate(sorted(days), 1)
    ]
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "dcal", "version": __version__},
        "schedule": {
            "version": catalogue.updated.isoformat() if catalogue.updated else "1.0",
            "conference": conference,
        },
    }
    out.write(to_json(document, indent=2) + "\n")


def _midnight(day: date, clock: tzinfo) -> datetime:
    """The start of ``day`` on ``clock`` (an hour later where midnight is skipped)."""
    return localize(datetime.combine(day, time(0)), clock).instant


def _span(session: Session, clock: tzinfo) -> tuple[datetime, datetime]:
    if session.start is not None and session.end is not None:
        return session.start.astimezone(clock), session.end.astimezone(clock)
    assert session.date is not None  # TBA sessions are left out before
    return _midnight(session.date, clock), _midnight(
        (session.end_date or session.date) + _DAY, clock
    )


def _event(
    session: Session,
    number: int,
    start: datetime,
    end: datetime,
    room: str,
    lang: str,
    namespace: uuid.UUID,
    people: dict[str, int],
    slugs: set[str],
) -> dict[str, Any]:
    speakers = session.names("speakers", lang)
    return {
        "guid": str(uuid.uuid5(namespace, session.id)),
        "id": number,
        "date": start.isoformat(timespec="seconds"),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(timespec="seconds"),
        "duration": _hours(end.astimezone(UTC) - start.astimezone(UTC)),
        "room": room,
        "slug": _slug(session.id, slugs),
        "url": session.url or "",
        "title": session.text("title", lang) or session.id,
        "subtitle": None,
        "track": session.themes[0] if session.themes else None,
        "type": "session" if session.kind == "timed" else "all-day",
        "language": lang,
        "abstract": session.text("summary", lang),
        "description": session.text("report", lang),
        "persons": [
            {"id": people.setdefault(name, len(people) + 1), "public_name": name}
            for name in speakers
        ],
        "links": [{"url": link, "title": link} for link in session.links],
        "origin_url": _ORIGIN + quote(session.id, safe=""),
    }


def _room(session: Session, lang: str) -> str:
    """The room an app files the event under: its location, else cities, else its mode."""
    location = session.text("location", lang)
    if location:
        return location
    cities = session.names("cities", lang)
    if cities:
        return ", ".join(cities)
    return "Online" if session.mode == "online" else (session.event or "Main")


def _slug(ident: str, taken: set[str]) -> str:
    """The schema's slug (``^[a-z0-9_-]+[a-z0-9]$``), the id itself where it already is one."""
    base = re.sub(r"[^a-z0-9_-]+", "-", ident.lower()).strip("-_") or "session"
    base = base if len(base) > 1 else base + "0"
    slug, count = base, 1
    while slug in taken:
        count += 1
        slug = f"{base}-{count}"
    taken.add(slug)
    return slug


def _acronym(title: str) -> str:
    """The schema's acronym (``^[a-z0-9_-][a-z0-9_]{3,}…``) from the catalogue's name."""
    acronym = re.sub(r"[^a-z0-9_]+", "_", title.lower()).strip("_")
    return (acronym + "____")[: max(4, len(acronym))]
