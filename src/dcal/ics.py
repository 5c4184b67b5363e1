"""iCalendar (RFC 5545) output, written with the ``icalendar`` library.

Imported only by the commands that export: icalendar is the heaviest import dcal has.
Events are serialised one by one as they are made, so memory does not grow with the
catalogue beyond the sessions themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple, TextIO
from urllib.parse import urlsplit

import icalendar

from dcal import __version__
from dcal.catalogue import MAX_REVISION
from dcal.model import Session
from dcal.render import clean_text, title_line
from dcal.zones import is_repeated

PRODID = f"-//dcal//dcal {__version__}//EN"
# The DTSTAMP of a catalogue that does not say when it was revised: fixed, so that the
# same catalogue always gives the same bytes (``--stamp now`` asks for the wall clock).
DEFAULT_STAMP = datetime(1970, 1, 1, tzinfo=UTC)
# VTIMEZONE rules are written for the sessions' dates, with this margin on each side.
TIMEZONE_MARGIN = timedelta(days=7)


class IcsOptions(NamedTuple):
    """What an export adds to the sessions themselves."""

    calendar_name: str | None = None
    stamp: datetime = DEFAULT_STAMP
    alarms: tuple[timedelta, ...] = ()
    lang: str = "en"
    uid_domain: str = "dcal"
    method: str | None = None  # PUBLISH or REQUEST
    organizer: str | None = None  # mailto: URI
    attendees: tuple[str, ...] = ()
    # SEQUENCE per session id, where a state file says more than the session's revision.
    sequences: Mapping[str, int] = MappingProxyType({})


def uid_domain(catalogue_url: str | None) -> str:
    """The right-hand side of UIDs: the catalogue's web host, else ``dcal``."""
    try:
        host = urlsplit(catalogue_url).hostname if catalogue_url else None
    except ValueError:
        host = None
    from dcal.timeparse import pattern

    # A UID's right-hand side is written raw: accept only an ordinary host name.
    if host and pattern(r"[a-z0-9]([a-z0-9.-]{0,250}[a-z0-9])?").fullmatch(host):
        return host
    return "dcal"


def _uses_tzid(session: Session) -> bool:
    """Timed in an IANA zone, at wall times that occur once: write TZID; else write UTC.

    A wall time in a DST repeat plus TZID means its *first* occurrence (RFC 5545 §3.3.5),
    which would move a session stored at the second one by an hour.
    """
    if session.start is None or session.end is None or session.zone is None:
        return False
    if session.zone.kind not in ("iana", "city") or session.zone.wall is not session.zone.tz:
        return False
    return not any(is_repeated(moment) for moment in (session.start, session.end))


def vtimezones(sessions: Sequence[Session]) -> dict[str, icalendar.Timezone]:
    """One VTIMEZONE per TZID used, its rules limited to the dates of its sessions."""
    spans: dict[str, tuple[date, date]] = {}
    for session in sessions:
        if not _uses_tzid(session):
            continue
        assert session.zone is not None
        assert session.start is not None
        assert session.end is not None
        first, last = session.start.date(), session.end.date()
        known = spans.get(session.zone.name)
        spans[session.zone.name] = (
            (min(first, known[0]), max(last, known[1])) if known else (first, last)
        )
    zones = {}
    for key, (first, last) in sorted(spans.items()):
        timezone = icalendar.Timezone.from_tzid(
            key, first_date=first - TIMEZONE_MARGIN, last_date=last + TIMEZONE_MARGIN
        )
        timezone.pop("COMMENT", None)  # icalendar's note; RFC 5545 allows no COMMENT there
        zones[key] = timezone
    return zones


def description(session: Session, lang: str) -> str:
    """Summary, speakers, hosts, links and the time as announced, as one text."""
    parts = []
    summary = session.text("summary", lang)
    if summary:
        parts.append(summary)
    for label, names in (
        ("Speakers", session.names("speakers", lang)),
        ("Hosts", session.names("hosts", lang)),
    ):
        if names:
            parts.append(f"{label}: " + "; ".join(names))
    links = [link for link in (session.url, *session.links) if link]
    if links:
        parts.append("Links: " + " ".join(links))
    if session.announced:
        parts.append(f"Announced: {session.announced}")
    return "\n\n".join(parts)


def make_event(session: Session, options: IcsOptions) -> icalendar.Event:
    """One VEVENT. Text is cleaned of control characters; icalendar escapes the rest."""
    event = icalendar.Event()
    event.add("uid", f"{session.id}@{options.uid_domain}")
    event.add("dtstamp", options.stamp)
    event.add("sequence", options.sequences.get(session.id, session.revision))
    if session.start is not None and session.end is not None:
        if _uses_tzid(session):
            event.add("dtstart", session.start)
            event.add("dtend", session.end)
        else:
            event.add("dtstart", session.start.astimezone(UTC))
            event.add("dtend", session.end.astimezone(UTC))
    else:
        assert session.date is not None
        last = session.end_date or session.date
        event.add("dtstart", session.date)
        event.add("dtend", last + timedelta(days=1))  # DTEND of a date is exclusive
    title = title_line(session, options.lang)
    event.add("summary", title)
    location = session.text("location", options.lang)
    if location:
        event.add("location", clean_text(location, newlines=False))
    text = description(session, options.lang)
    if text:
        event.add("description", clean_text(text))
    if session.url:
        event.add("url", session.url)
    if session.themes:
        event.add("categories", [clean_text(t, newlines=False) for t in session.themes])
    if options.organizer:
        event.add("organizer", icalendar.vCalAddress(options.organizer))
    for attendee in options.attendees:
        address = icalendar.vCalAddress(attendee)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        event.add("attendee", address, encode=False)
    if options.method == "REQUEST":
        event.add("status", "CONFIRMED")
    for before in options.alarms:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def write_ics(
    sessions: Sequence[Session],
    out: TextIO,
    options: IcsOptions,
    timezones: Mapping[str, icalendar.Timezone] | None = None,
) -> None:
    """A whole VCALENDAR of ``sessions`` (TBA sessions must be left out by the caller).

    ``timezones`` (from ``vtimezones``) lets many files share VTIMEZONEs computed once.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if options.method:
        calendar.add("method", options.method)
    if options.calendar_name:
        name = icalendar.vText(clean_text(options.calendar_name, newlines=False))
        calendar.add("x-wr-calname", name)
    head = calendar.to_ical().decode("utf-8")
    end = "END:VCALENDAR\r\n"
    out.write(head[: -len(end)])
    if timezones is None:
        timezones = vtimezones(sessions)
    used = sorted({s.zone.name for s in sessions if s.zone is not None and _uses_tzid(s)})
    for key in used:
        out.write(timezones[key].to_ical().decode("utf-8"))
    for session in sessions:
        out.write(serialise(make_event(session, options)))
    out.write(end)


def serialise(component: icalendar.cal.Component) -> str:
    """``component.to_ical()``, with its lines folded by ``fold`` (same bytes, less time)."""
    return "".join(fold(line) + "\r\n" for line in component.content_lines() if line)


def fold(line: str, limit: int = 75) -> str:
    """A content line folded as icalendar folds it, working on whole runs of bytes.

    RFC 5545 §3.1: at most 75 octets a line, never inside a UTF-8 character. Like
    icalendar (issue #1501), a fold never falls right after a ``\\`` or ``^``, so that
    an escape stays on one line. icalendar checks every character in Python; on long
    descriptions that was a third of an export's time.
    """
    data = line.encode("utf-8")
    if len(data) < limit:
        return line
    pieces = []
    start = 0
    while len(data) - start >= limit:
        end = start + limit - 1
        while data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


STATE_VERSION = 1


def fingerprint(session: Session, options: IcsOptions) -> str:
    """A digest of the event as exported, DTSTAMP and SEQUENCE aside: changes when it does."""
    import hashlib

    plain = options._replace(stamp=DEFAULT_STAMP, sequences=MappingProxyType({session.id: 0}))
    return hashlib.sha256(make_event(session, plain).to_ical()).hexdigest()


def next_sequences(
    sessions: Sequence[Session], options: IcsOptions, state: Mapping[str, Any]
) -> tuple[dict[str, int], dict[str, Any]]:
    """SEQUENCE per session, from the last export's state, and the state to keep for the next.

    An unchanged event keeps its number (same catalogue, same bytes); a changed one gets the
    previous number plus one; a ``revision`` in the catalogue is never undercut.
    """
    before = state.get("events", {})
    sequences: dict[str, int] = {}
    after: dict[str, Any] = dict(before)
    for session in sessions:
        uid = f"{session.id}@{options.uid_domain}"
        digest = fingerprint(session, options)
        known = before.get(uid)
        sequence = session.revision
        if known is not None:
            previous = int(known["sequence"])
            sequence = max(sequence, previous if known["hash"] == digest else previous + 1)
        if sequence > MAX_REVISION:
            from dcal.errors import UsageError

            raise UsageError(f"{uid}: SEQUENCE would pass {MAX_REVISION}; start a new state file")
        sequences[session.id] = sequence
        after[uid] = {"hash": digest, "sequence": sequence}
    return sequences, {"version": STATE_VERSION, "events": dict(sorted(after.items()))}


def read_state(text: str, where: str) -> dict[str, Any]:
    """A state file's contents, checked; raises UsageError naming ``where``."""
    import json

    from dcal.errors import UsageError

    try:
        data = json.loads(text)
        events = data["events"]
        ok = data.get("version") == STATE_VERSION and all(
            isinstance(v["hash"], str) and type(v["sequence"]) is int and v["sequence"] >= 0
            for v in events.values()
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        ok = False
    if not ok:
        raise UsageError(f"--state {where}: not a dcal state file (delete it to start afresh)")
    return dict(data)


def mail_address(text: str, flag: str) -> str:
    """A ``mailto:`` URI for ORGANIZER/ATTENDEE; nothing that could end or split a property."""
    from dcal.errors import UsageError
    from dcal.timeparse import pattern

    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if not pattern(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").fullmatch(value):
        raise UsageError(
            f"{flag} {text!r}: give an e-mail address, e.g. mailto:office@city.example"
        )
    return f"mailto:{value}"


def split_names(sessions: Sequence[Session]) -> list[str]:
    """A file name per session for ``--split``: from its id, never a path, never shared."""
    import hashlib

    from dcal.timeparse import pattern

    names: list[str] = []
    taken: set[str] = set()  # lower-cased: a:b and a_b, or case-only twins, collide
    for session in sessions:
        stem = pattern(r"[^A-Za-z0-9._-]").sub("_", session.id).lstrip(".") or "session"
        name = f"{stem}.ics"
        digest = hashlib.sha256(session.id.encode("utf-8")).hexdigest()
        width = 8
        while name.lower() in taken:
            name = f"{stem}-{digest[:width]}.ics"
            width += 8
        taken.add(name.lower())
        names.append(name)
    return names


def parse_duration(text: str) -> timedelta:
    """``15m``, ``1h``, ``1d``, ``90s``, ``1h30m``: how long before the session an alarm rings."""
    from dcal.errors import UsageError
    from dcal.timeparse import pattern

    match = pattern(r"(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?").fullmatch(
        text.strip().lower()
    )
    if not match or not any(match.groups()):
        raise UsageError(f"--alarm {text!r}: write a duration such as 15m, 1h, 1d or 1h30m")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
