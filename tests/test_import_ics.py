"""Reading other tools' iCalendar files: every instant exact, every assumption in a note,
every entry valid for dcal's own catalogue validation, and no input ever crashes."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import BUNDLED, FIXTURES

from dcal.catalogue import Document, build_catalogue, load_catalogue
from dcal.errors import CatalogueError, UsageError
from dcal.ics import IcsOptions, uid_domain, write_ics
from dcal.import_ics import MAX_OCCURRENCES, read_ics
from dcal.importing import Imported
from dcal.model import Catalogue, exportable

ICS = FIXTURES / "ics"
OUTLOOK_ISO = "040000008200E00074C5B7101A82E00800000000D0E1A2B3C4D5DB0100000000000000001"
NIGHT_SHIFT = f"{OUTLOOK_ISO}0000000A1B2C3D4E5F60718293A4B5C6D7E8F90"
CHECK_IN = (
    "040000008200E00074C5B7101A82E0080000000070F6E5D4C3B2DB01000000000000000010000000"
    "F0E1D2C3B4A5968778695A4B3C2D1E0F"
)
PARTNER_CALL = (
    "040000008200E00074C5B7101A82E00800000000112233445566778800000000000000001000000"
    "AABBCCDDEEFF00112233445566778899"
)
STAND_UP = "9C8B7A6F-5E4D-4C3B-8A29-1F0E0D0C0B0A"
# Outlook's long UIDs become short, stable ids: "ics-" and 16 hex digits of their SHA-256.
NIGHT_SHIFT_ID, CHECK_IN_ID, PARTNER_CALL_ID = (
    "ics-" + hashlib.sha256(uid.encode()).hexdigest()[:16]
    for uid in (NIGHT_SHIFT, CHECK_IN, PARTNER_CALL)
)
LOTUS = "C1257F3A0045B2E1C1258C9E002F4{}-Lotus_Notes_Generated"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# Every session of every fixture: (start, end) in UTC, or (date, end_date).
EXPECTED: dict[str, dict[str, tuple[Any, Any]]] = {
    "google.ics": {
        "4h7k2m9q1r3s5t7v9x0z2b4d6f": (utc(2025, 6, 12, 1), utc(2025, 6, 12, 2, 30)),
        "0a1b2c3d4e5f6g7h8i9j": (date(2025, 6, 15), None),
        "7q8r9s0t1u2v3w4x5y6z-20250702": (utc(2025, 7, 2, 10), utc(2025, 7, 2, 11)),
        "7q8r9s0t1u2v3w4x5y6z-20250709": (utc(2025, 7, 9, 10), utc(2025, 7, 9, 11)),
        "7q8r9s0t1u2v3w4x5y6z-20250723": (utc(2025, 7, 23, 10), utc(2025, 7, 23, 11)),
    },
    "outlook.ics": {
        # 22:00 CEST to 04:00 CET, across the night the clocks go back: seven hours.
        NIGHT_SHIFT_ID: (utc(2025, 10, 25, 20), utc(2025, 10, 26, 3)),
        # Monday 10:00 in Bonn every week: 08:00 UTC in summer time, 09:00 after it.
        f"{CHECK_IN_ID}-20251020": (utc(2025, 10, 20, 8), utc(2025, 10, 20, 9)),
        f"{CHECK_IN_ID}-20251027": (utc(2025, 10, 27, 9), utc(2025, 10, 27, 10)),
        f"{CHECK_IN_ID}-20251103": (utc(2025, 11, 3, 9), utc(2025, 11, 3, 10)),
        PARTNER_CALL_ID: (utc(2025, 11, 5, 8), utc(2025, 11, 5, 9, 30)),
    },
    "apple.ics": {
        "5E6F7A8B-1C2D-4E3F-9A0B-C1D2E3F4A5B6": (utc(2025, 6, 16, 7), utc(2025, 6, 16, 8, 30)),
        f"{STAND_UP}-20250616": (utc(2025, 6, 16, 6), utc(2025, 6, 16, 6, 30)),
        f"{STAND_UP}-20250617": (utc(2025, 6, 17, 6, 15), utc(2025, 6, 17, 7)),
        f"{STAND_UP}-20250618": (utc(2025, 6, 18, 6), utc(2025, 6, 18, 6, 30)),
    },
    "floating.ics": {
        "event-1041": (utc(2025, 9, 16, 18, 30), utc(2025, 9, 16, 20)),
        "event-1042": (utc(2025, 9, 20, 10), utc(2025, 9, 20, 11)),
        "event-1043": (date(2025, 10, 10), date(2025, 10, 12)),
    },
    "thunderbird.ics": {
        "b1d9f2c4-7e3a-4f60-9d21-6a8e5c4b3a21": (utc(2025, 3, 27, 18), utc(2025, 3, 27, 20)),
    },
    "lotus.ics": {
        LOTUS.format("A11"): (utc(2025, 9, 30, 12), utc(2025, 9, 30, 13, 30)),
        LOTUS.format("B22"): (utc(2025, 11, 25, 8), utc(2025, 11, 25, 9)),
    },
}


def fixture(name: str) -> str:
    return (ICS / name).read_text(encoding="utf-8")


def validated(label: str, imported: Imported) -> Catalogue:
    """The entries as dcal's own validation reads them (CatalogueError if any is invalid)."""
    entries = [(f"#{i}", e) for i, e in enumerate(imported.sessions, 1)]
    return build_catalogue(label, Document(imported.meta, entries, tuple(imported.notes)))


def times(catalogue: Catalogue) -> dict[str, tuple[Any, Any]]:
    result: dict[str, tuple[Any, Any]] = {}
    for s in catalogue.sessions:
        if s.start is not None and s.end is not None:
            result[s.id] = (s.start.astimezone(UTC), s.end.astimezone(UTC))
        else:
            result[s.id] = (s.date, s.end_date)
    return result


def note(imported: Imported, *words: str) -> str:
    """The one note that holds every word (fails if none or several do)."""
    found = [n for n in imported.notes if all(w in n for w in words)]
    assert len(found) == 1, (words, imported.notes)
    return found[0]


def calendar(*events: str, head: str = "") -> str:
    """A small calendar around VEVENT bodies (each a block of property lines)."""
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{head}{body}END:VCALENDAR\n"


# ---------------------------------------------------------------------- the fixtures


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_fixture_validates_at_the_instants_written(name: str) -> None:
    imported = read_ics(name, fixture(name))
    catalogue = validated(name, imported)
    assert times(catalogue) == EXPECTED[name]
    assert all(n.startswith(f"{name}: ") for n in imported.notes)


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "apple.ics", "lotus.ics"])
def test_single_events_agree_with_icalendar_itself(name: str) -> None:
    """Events without a series start where icalendar alone puts them (its own zones)."""
    catalogue = validated(name, read_ics(name, fixture(name)))
    starts = {s.id: s.start for s in catalogue.sessions}
    for event in icalendar.Calendar.from_ical(fixture(name)).walk("VEVENT"):
        if "RRULE" in event or "RECURRENCE-ID" in event or event.get("STATUS") == "CANCELLED":
            continue
        ident = str(event["UID"]).split("@")[0]
        if len(ident) > 64:  # a long UID's id is its hash
            ident = "ics-" + hashlib.sha256(ident.encode()).hexdigest()[:16]
        if isinstance(event.start, datetime):
            assert starts[ident] == event.start, ident


def test_google_utc_times_are_kept_in_x_wr_timezone() -> None:
    imported = read_ics("google.ics", fixture("google.ics"))
    assert imported.meta == {
        "name": "Tokyo Climate Circle",
        "description": "Public meetups of the Tokyo climate circle",
    }
    first = imported.sessions[0]
    assert first["timezone"] == "Asia/Tokyo"
    assert (first["start"], first["end"]) == ("2025-06-12 10:00", "2025-06-12 11:30")
    assert first["hosts"] == ["Tokyo Climate Circle"]  # the ORGANIZER; attendees are not read
    assert "speakers" not in first
    assert first["links"] == ["https://meet.google.com/abc-defg-hij"]
    assert first["mode"] == "online"  # a Meet link, and no place
    assert first["revision"] == 2
    day = imported.sessions[1]
    assert (day["date"], "end_date" in day) == ("2025-06-15", False)  # one day: no end_date
    assert day["location"] == "Yoyogi Park, Shibuya, Tokyo"
    assert "mode" not in day
    # COUNT=4 weekly, one EXDATE: three occurrences, each its own session.
    weekly = [s["id"] for s in imported.sessions if s["title"] == "Weekly study group"]
    assert weekly == [f"7q8r9s0t1u2v3w4x5y6z-2025070{d}" for d in (2, 9)] + [
        "7q8r9s0t1u2v3w4x5y6z-20250723"
    ]
    cancelled = note(imported, "cancelled")
    assert (
        "1 event" in cancelled and "left out" in cancelled and "9z8y7x6w5v4u3t2s1r0q" in cancelled
    )
    assert len(imported.notes) == 1


def test_outlook_windows_zones_crlf_and_folded_lines() -> None:
    raw = (ICS / "outlook.ics").read_bytes()
    assert b"\r\n" in raw and b"\r\n " in raw  # CRLF, folded lines
    imported = read_ics("outlook.ics", raw.decode("utf-8"))
    assert imported.meta["name"] == "Stadtwerke Bonn climate team"
    by_id = {s["id"]: s for s in imported.sessions}
    night = by_id[NIGHT_SHIFT_ID]  # the folded UID is read whole (its hash says so)
    assert (night["timezone"], night["start"], night["end"]) == (
        "Europe/Berlin",
        "2025-10-25 22:00",
        "2025-10-26 04:00",
    )
    assert night["summary"].endswith("seven hours long.\n\nBring your own laptop.")
    check_in = by_id[f"{CHECK_IN_ID}-20251027"]
    assert (check_in["start"], check_in["mode"], check_in["hosts"]) == (
        "2025-10-27 10:00",
        "online",
        ["Jana Becker"],
    )
    assert check_in["links"][0].startswith("https://teams.microsoft.com/l/meetup-join/")
    assert by_id[PARTNER_CALL_ID]["timezone"] == "Asia/Tokyo"
    # One note per Windows TZID, not per event.
    berlin = note(imported, "'W. Europe Standard Time'")
    assert "read as Europe/Berlin" in berlin and "2 events" in berlin
    assert "Climate data hackathon: night shift" in berlin  # Outlook's UIDs are too long
    assert "read as Asia/Tokyo" in note(imported, "'Tokyo Standard Time'")
    assert len(imported.notes) == 2


def test_apple_duration_and_a_changed_occurrence() -> None:
    imported = read_ics("apple.ics", fixture("apple.ics"))
    by_id = {s["id"]: s for s in imported.sessions}
    plenary = by_id["5E6F7A8B-1C2D-4E3F-9A0B-C1D2E3F4A5B6"]
    assert plenary["location"].startswith("World Conference Center Bonn\nPlatz der")
    assert plenary["url"] == "https://daringcities.org/bonn-dialogues"
    assert plenary["themes"] == ["Plenary", "Local action"]
    moved = by_id[f"{STAND_UP}-20250617"]  # keeps the id of the occurrence it replaces
    assert moved["title"] == "Organisers' stand-up (after the press call)"
    assert (moved["start"], moved["end"], moved["revision"]) == (
        "2025-06-17 08:15",
        "2025-06-17 09:00",
        1,
    )
    assert by_id[f"{STAND_UP}-20250618"]["end"] == "2025-06-18 08:30"  # DURATION:PT30M
    assert imported.notes == []


def test_vendor_prefixed_tzid() -> None:
    imported = read_ics("thunderbird.ics", fixture("thunderbird.ics"))
    assert imported.sessions[0]["timezone"] == "Europe/Berlin"
    text = note(imported, "'/mozilla.org/20050126_1/Europe/Berlin'")
    assert "read as Europe/Berlin" in text and "b1d9f2c4" in text


def test_a_tzid_only_its_vtimezone_defines_is_kept_at_fixed_offsets() -> None:
    imported = read_ics("lotus.ics", fixture("lotus.ics"))
    assert [(s["timezone"], s["start"]) for s in imported.sessions] == [
        ("UTC+02:00", "2025-09-30 14:00"),
        ("UTC+01:00", "2025-11-25 09:00"),
    ]
    text = note(imported, "(UTC+01:00) Amsterdam, Berlin")
    assert "VTIMEZONE" in text and "UTC+01:00, UTC+02:00" in text and "2 events" in text


def test_floating_times_in_utc_unless_a_zone_is_named() -> None:
    imported = read_ics("floating.ics", fixture("floating.ics"))
    assert imported.meta == {"name": "floating"}  # no X-WR-CALNAME: the file's stem
    floating = note(imported, "floating times")
    assert "2 events" in floating and "read in UTC" in floating and "--timezone" in floating
    assert "event-1041@events.example.org" in floating
    one_hour = note(imported, "one hour")
    assert "1 event" in one_hour and "event-1042@events.example.org" in one_hour
    assert "1 VTODO component ignored" in note(imported, "VTODO")
    festival = imported.sessions[2]
    assert (festival["date"], festival["end_date"]) == ("2025-10-10", "2025-10-12")


def test_floating_times_in_the_zone_given() -> None:
    imported = read_ics("floating.ics", fixture("floating.ics"), "Europe/Berlin")
    catalogue = validated("floating.ics", imported)
    assert times(catalogue)["event-1041"] == (utc(2025, 9, 16, 16, 30), utc(2025, 9, 16, 18))
    assert imported.sessions[0]["timezone"] == "Europe/Berlin"
    assert "read in Europe/Berlin, as given with --timezone" in note(imported, "floating times")


def test_floating_times_in_x_wr_timezone() -> None:
    text = fixture("floating.ics").replace(
        "VERSION:2.0\n", "VERSION:2.0\nX-WR-TIMEZONE:Asia/Tokyo\n"
    )
    imported = read_ics("floating.ics", text)
    assert times(validated("x", imported))["event-1042"] == (
        utc(2025, 9, 20, 1),
        utc(2025, 9, 20, 2),
    )
    assert "read in Asia/Tokyo, the calendar's X-WR-TIMEZONE" in note(imported, "floating times")
    # The zone given outranks the calendar's.
    given_zone = read_ics("floating.ics", text, "UTC+2")
    assert given_zone.sessions[1]["timezone"] == "UTC+02:00"


def test_an_abbreviation_given_is_its_fixed_offset() -> None:
    imported = read_ics("floating.ics", fixture("floating.ics"), "CEST")
    catalogue = validated("x", imported)
    assert times(catalogue)["event-1042"][0] == utc(2025, 9, 20, 8)


def test_an_unknown_zone_given_is_an_error() -> None:
    with pytest.raises(UsageError) as caught:
        read_ics("floating.ics", fixture("floating.ics"), "Mars/Olympus")
    assert str(caught.value).startswith("--timezone: unknown zone")


# ---------------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no BEGIN:VCALENDAR"),
        ("id,title\n1,Hello\n", "no BEGIN:VCALENDAR"),
        ("BEGIN:VEVENT\nUID:a\nEND:VEVENT\n", "no BEGIN:VCALENDAR"),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n", "no complete VCALENDAR"),
        ("BEGIN:VCALENDAR\nthis is not a content line\nEND:VCALENDAR\n", "not valid iCalendar"),
        ("END:VEVENT\nBEGIN:VCALENDAR\nEND:VCALENDAR\n", "not valid iCalendar"),
        ("BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:t\nEND:VTODO\nEND:VCALENDAR\n", "no events"),
    ],
)
def test_files_that_are_not_calendars(text: str, words: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        read_ics("in.ics", text)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("in.ics: ")
    assert words in caught.value.problems[0]


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (
            "UID:mars-1\nSUMMARY:x\nDTSTART;TZID=Mars/Olympus:20250101T100000\n"
            "DTEND;TZID=Mars/Olympus:20250101T110000",
            ["event 'mars-1'", "TZID 'Mars/Olympus'", "neither a zone name", "VTIMEZONE"],
        ),
        (
            "UID:mix-1\nSUMMARY:x\nDTSTART;VALUE=DATE:20250101\nDTEND:20250102T100000",
            ["event 'mix-1'", "DTSTART is a date but DTEND a date-time"],
        ),
        (
            "UID:mix-2\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND;VALUE=DATE:20250102",
            ["event 'mix-2'", "DTSTART is a date-time but DTEND a date"],
        ),
        ("UID:nostart\nSUMMARY:x", ["event 'nostart'", "DTSTART: missing"]),
        ("UID:bad\nSUMMARY:x\nDTSTART:tomorrow", ["event 'bad'", "'tomorrow' is not a date"]),
        (
            "UID:dur\nSUMMARY:x\nDTSTART:20250101T100000Z\nDURATION:an hour",
            ["event 'dur'", "DURATION", "not a duration"],
        ),
    ],
)
def test_events_whose_times_cannot_be_read(event: str, words: list[str]) -> None:
    good = "UID:good\nSUMMARY:fine\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z"
    with pytest.raises(CatalogueError) as caught:
        read_ics("in.ics", calendar(good, event))
    assert len(caught.value.problems) == 1
    assert all(w in caught.value.problems[0] for w in words), caught.value.problems
    assert caught.value.problems[0].startswith("in.ics: ")


def test_every_problem_is_reported_at_once() -> None:
    events = [f"UID:e{n}\nSUMMARY:x\nDTSTART;TZID=Nowhere/{n}:20250101T100000" for n in range(3)]
    with pytest.raises(CatalogueError) as caught:
        read_ics("in.ics", calendar(*events))
    assert [p.split("TZID ")[1][:11] for p in caught.value.problems] == [
        f"'Nowhere/{n}'" for n in range(3)
    ]


GOOD = "UID:good@x.org\nSUMMARY:Kept\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z"


def read_with(*events: str, head: str = "") -> Imported:
    imported = read_ics("in.ics", calendar(GOOD, *events, head=head))
    validated("in.ics", imported)
    assert imported.sessions[0]["id"] == "good"
    return imported


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (
            "UID:back\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND:20250101T090000Z",
            ["event 'back': left out", "ends (DTEND or DURATION) before it starts"],
        ),
        (
            "UID:negative\nSUMMARY:x\nDTSTART:20250101T100000Z\nDURATION:-PT1H",
            ["event 'negative': left out", "before it starts"],
        ),
        (
            "UID:forever\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z\n"
            "RRULE:FREQ=WEEKLY",
            ["event 'forever': left out", "never ends (no COUNT or UNTIL)"],
        ),
        (
            "UID:many\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z\n"
            f"RRULE:FREQ=DAILY;COUNT={MAX_OCCURRENCES + 1}",
            ["event 'many': left out", "more than 1000 occurrences", "never a part"],
        ),
        (
            "UID:weird\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z\n"
            "RRULE:FREQ=SOMETIMES;COUNT=2",
            ["event 'weird': left out", "RRULE", "cannot be read"],
        ),
        (
            "UID:gone\nSUMMARY:x\nSTATUS:CANCELLED\nDTSTART:20250101T100000Z",
            ["1 event cancelled", "left out: 'gone'"],
        ),
    ],
)
def test_events_left_out_are_named_in_a_note(event: str, words: list[str]) -> None:
    imported = read_with(event)
    assert [s["id"] for s in imported.sessions] == ["good"]
    assert note(imported, *words).startswith("in.ics: ")


def test_a_series_of_exactly_1000_is_kept() -> None:
    event = (
        "UID:many\nSUMMARY:x\nDTSTART:20250101T100000Z\nDTEND:20250101T110000Z\n"
        f"RRULE:FREQ=DAILY;COUNT={MAX_OCCURRENCES}"
    )
    imported = read_with(event)
    assert len(imported.sessions) == 1 + MAX_OCCURRENCES
    assert imported.sessions[-1]["id"] == "many-20270927"


def test_method_cancel_cancels_every_event() -> None:
    imported = read_ics("in.ics", calendar(GOOD, head="METHOD:CANCEL\n"))
    assert imported.sessions == []
    assert "METHOD:CANCEL" in note(imported, "cancelled")


def test_missing_summary_and_duplicate_uids() -> None:
    imported = read_with(
        "UID:nameless\nDTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
        "UID:good@x.org\nSUMMARY:Again\nDTSTART:20250103T100000Z\nDTEND:20250103T110000Z",
    )
    assert [(s["id"], s["title"]) for s in imported.sessions] == [
        ("good", "Kept"),
        ("nameless", "(untitled)"),
        ("good-2", "Again"),
    ]
    assert "'nameless'" in note(imported, "no SUMMARY", "'(untitled)'")
    duplicate = note(imported, "share this UID")
    assert "event 'good@x.org'" in duplicate and "good, good-2" in duplicate


def test_no_end_zero_length_and_durations() -> None:
    imported = read_with(
        "UID:point\nSUMMARY:x\nDTSTART:20250102T100000Z",
        "UID:zero\nSUMMARY:x\nDTSTART:20250102T100000Z\nDTEND:20250102T100000Z",
        "UID:day\nSUMMARY:x\nDTSTART;VALUE=DATE:20250105",
        "UID:days\nSUMMARY:x\nDTSTART;VALUE=DATE:20250105\nDURATION:P3D",
        "UID:same\nSUMMARY:x\nDTSTART;VALUE=DATE:20250105\nDTEND;VALUE=DATE:20250105",
    )
    by_id = {s["id"]: s for s in imported.sessions}
    assert by_id["point"]["end"] == by_id["zero"]["end"] == "2025-01-02 11:00"
    assert "2 events" in note(imported, "one hour", "'point', 'zero'")
    assert by_id["day"] == {"id": "day", "title": "x", "date": "2025-01-05"}  # RFC: one day
    assert (by_id["days"]["date"], by_id["days"]["end_date"]) == ("2025-01-05", "2025-01-07")
    assert "end_date" not in by_id["same"]
    assert "'same'" in note(imported, "DTEND equal to DTSTART", "one day")


def test_a_duration_in_days_is_kept_on_the_wall_clock() -> None:
    """RFC 5545: P1D is a day on the calendar (25 hours across the October change)."""
    imported = read_with(
        "UID:long\nSUMMARY:x\nDTSTART;TZID=Europe/Berlin:20251025T120000\nDURATION:P1DT1H"
    )
    catalogue = validated("in.ics", imported)
    assert times(catalogue)["long"] == (utc(2025, 10, 25, 10), utc(2025, 10, 26, 12))


def test_utc_times_without_x_wr_timezone_stay_in_utc() -> None:
    imported = read_with()
    assert imported.sessions[0]["timezone"] == "UTC"


def test_an_x_wr_timezone_that_is_no_iana_name_is_ignored() -> None:
    imported = read_with(head="X-WR-TIMEZONE:Central Europe\n")
    assert imported.sessions[0]["timezone"] == "UTC"
    assert "not an IANA zone name" in note(imported, "X-WR-TIMEZONE 'Central Europe'")


def test_a_utc_time_in_the_repeated_hour_keeps_its_instant() -> None:
    """00:30Z is 02:30 CEST, 01:30Z is 02:30 CET: the second is kept at its offset."""
    imported = read_with(
        "UID:late\nSUMMARY:x\nDTSTART:20251026T003000Z\nDTEND:20251026T013000Z",
        head="X-WR-TIMEZONE:Europe/Berlin\n",
    )
    late = imported.sessions[1]
    assert (late["timezone"], late["start"], late["end"]) == (
        "UTC+02:00",
        "2025-10-26 02:30",
        "2025-10-26 03:30",
    )
    assert "'late'" in note(imported, "DST change repeats")
    catalogue = validated("in.ics", imported)
    assert times(catalogue)["late"] == (utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30))


def test_a_wall_clock_in_the_dst_gap_is_read_as_rfc_5545_says() -> None:
    """02:30 does not exist in Berlin on 30 March 2025: read at +01:00, i.e. 03:30 CEST."""
    imported = read_with(
        "UID:gap\nSUMMARY:x\nDTSTART;TZID=Europe/Berlin:20250330T023000\nDURATION:PT1H"
    )
    assert times(validated("in.ics", imported))["gap"] == (
        utc(2025, 3, 30, 1, 30),
        utc(2025, 3, 30, 2, 30),
    )
    assert imported.sessions[1]["start"] == "2025-03-30 03:30"
    assert "'gap'" in note(imported, "DST change skips")


def test_series_expand_on_the_wall_clock_of_their_zone() -> None:
    imported = read_with(
        "UID:weekly\nSUMMARY:x\nDTSTART;TZID=Europe/Berlin:20250321T100000\n"
        "DTEND;TZID=Europe/Berlin:20250321T110000\nRRULE:FREQ=WEEKLY;UNTIL=20250404T090000Z\n"
        "EXDATE;VALUE=DATE:20250328\nRDATE;TZID=Asia/Tokyo:20250402T180000"
    )
    starts = times(validated("in.ics", imported))
    del starts["good"]
    assert starts == {
        "weekly-20250321": (utc(2025, 3, 21, 9), utc(2025, 3, 21, 10)),  # CET
        "weekly-20250402": (utc(2025, 4, 2, 9), utc(2025, 4, 2, 10)),  # the RDATE, in Tokyo
        "weekly-20250404": (utc(2025, 4, 4, 8), utc(2025, 4, 4, 9)),  # CEST, still 10:00
    }


def test_two_occurrences_on_one_day_get_the_time_in_their_id() -> None:
    imported = read_with(
        "UID:twice\nSUMMARY:x\nDTSTART:20250301T090000Z\nDTEND:20250301T100000Z\n"
        "RDATE:20250301T140000Z,20250302T090000Z"
    )
    assert [s["id"] for s in imported.sessions[1:]] == [
        "twice-20250301T0900",
        "twice-20250301T1400",
        "twice-20250302",
    ]


def test_all_day_series_and_period_rdates() -> None:
    imported = read_with(
        "UID:fair\nSUMMARY:x\nDTSTART;VALUE=DATE:20250601\nDTEND;VALUE=DATE:20250603\n"
        "RRULE:FREQ=YEARLY;COUNT=2\nEXDATE;VALUE=DATE:20260601\nRDATE;VALUE=DATE:20270601",
        "UID:talks\nSUMMARY:x\nDTSTART:20250301T090000Z\nDTEND:20250301T100000Z\n"
        "RDATE;VALUE=PERIOD:20250308T090000Z/PT3H",
    )
    by_id = times(validated("in.ics", imported))
    assert by_id["fair-20250601"] == (date(2025, 6, 1), date(2025, 6, 2))
    assert by_id["fair-20270601"] == (date(2027, 6, 1), date(2027, 6, 2))
    assert "fair-20260601" not in by_id
    assert by_id["talks-20250308"] == (utc(2025, 3, 8, 9), utc(2025, 3, 8, 12))


def test_changes_to_occurrences() -> None:
    series = (
        "UID:s@x.org\nSUMMARY:Series\nDTSTART:20250301T090000Z\nDTEND:20250301T100000Z\n"
        "RRULE:FREQ=DAILY;COUNT=3"
    )
    imported = read_with(
        series,
        "UID:s@x.org\nRECURRENCE-ID:20250302T090000Z\nSTATUS:CANCELLED\nDTSTART:20250302T090000Z",
        # No SUMMARY: the series' title is kept.
        "UID:s@x.org\nRECURRENCE-ID:20250303T090000Z\nDTSTART:20250303T150000Z\n"
        "DTEND:20250303T160000Z\nSEQUENCE:4",
        "UID:s@x.org\nRECURRENCE-ID:20250310T090000Z\nSUMMARY:Extra\n"
        "DTSTART:20250310T090000Z\nDTEND:20250310T100000Z",
        "UID:orphan@x.org\nRECURRENCE-ID;VALUE=DATE:20250401\nSUMMARY:Lone\n"
        "DTSTART;VALUE=DATE:20250402",
    )
    by_id = {s["id"]: s for s in imported.sessions}
    assert list(by_id) == ["good", "s-20250301", "s-20250303", "s-20250310", "orphan-20250401"]
    assert (by_id["s-20250303"]["title"], by_id["s-20250303"]["start"]) == (
        "Series",
        "2025-03-03 15:00",
    )
    assert by_id["s-20250303"]["revision"] == 4
    assert "(s-20250302)" in note(imported, "cancelled")
    assert "names no occurrence of 's@x.org'" in note(imported, "'s-20250310'")
    assert "a series that the file does not hold" in note(imported, "'orphan-20250401'")


def test_texts_are_cleaned() -> None:
    imported = read_with(
        "UID:text\nSUMMARY:  \x1b[31mRed\x07 title  \nDESCRIPTION:one\\ntwo\\n\tthree\x00\n"
        "URL:javascript:alert(1)\nCATEGORIES:a,b\nCATEGORIES:b,c\nSEQUENCE:99999999999\n"
        "DTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
        "UID:negative\nSUMMARY:x\nSEQUENCE:-5\nDTSTART:20250102T100000Z",
    )
    assert imported.sessions[2]["revision"] == 0
    entry = imported.sessions[1]
    assert entry["title"] == "[31mRed title"
    assert entry["summary"] == "one\ntwo\n\tthree"
    assert entry["themes"] == ["a", "b", "c"]
    assert entry["revision"] == 2**31 - 1
    assert "url" not in entry
    assert "not an http(s) address" in note(imported, "URL 'javascript:alert(1)'")


def test_mode_is_online_only_for_a_meeting_link_and_no_place() -> None:
    imported = read_with(
        "UID:zoom\nSUMMARY:x\nLOCATION:https://us02web.zoom.us/j/123\n"
        "DTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
        "UID:hall\nSUMMARY:x\nLOCATION:Town hall\nDESCRIPTION:or https://zoom.us/j/1\n"
        "DTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
    )
    assert imported.sessions[1]["mode"] == "online"
    assert "mode" not in imported.sessions[2]


def test_uids_stay_readable() -> None:
    imported = read_with(
        "UID:@only-domain\nSUMMARY:x\nDTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
        "SUMMARY:No uid\nDTSTART:20250102T100000Z\nDTEND:20250102T110000Z",
    )
    assert [s["id"] for s in imported.sessions[1:]] == ["only-domain", "No-uid"]


# ---------------------------------------------------------------------- round trip


def test_dcal_export_reads_back_the_same(tmp_path: Path) -> None:
    catalogue = load_catalogue(str(BUNDLED))
    kept, tba = exportable(catalogue.sessions)
    assert kept and tba  # TBA sessions are not exported: nothing to compare
    out = io.StringIO()
    write_ics(kept, out, IcsOptions(catalogue.name, uid_domain=uid_domain(catalogue.url)))
    imported = read_ics("export.ics", out.getvalue())
    assert imported.meta["name"] == catalogue.name
    again = validated("export.ics", imported)
    assert times(again) == times(catalogue._replace(sessions=tuple(kept)))
    assert {s.id: s.title for s in again.sessions} == {s.id: s.title for s in kept}
    assert imported.notes == []


# ---------------------------------------------------------------------- any input


MUTATIONS = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.sampled_from(["delete", "duplicate", "insert", "replace", "cut"]),
        st.text(max_size=40)
        | st.sampled_from(
            [
                "RRULE:FREQ=SECONDLY;COUNT=5000",
                "RRULE:FREQ=YEARLY",
                "DTSTART:99991231T235959Z",
                "DTSTART;VALUE=DATE:00010101",
                "DTEND;TZID=Nowhere:20250101T100000",
                "DURATION:P99999999D",
                "EXDATE:garbage",
                "RDATE;VALUE=PERIOD:20250101T100000Z/20240101T100000Z",
                "RECURRENCE-ID:20250101T100000Z",
                "SEQUENCE:-5",
                "STATUS:CANCELLED",
                "BEGIN:VEVENT",
                "END:VEVENT",
                "BEGIN:VTIMEZONE",
                "TZID:W. Europe Standard Time",
            ]
        ),
    ),
    max_size=6,
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(EXPECTED)), MUTATIONS)
def test_a_mutated_file_imports_or_is_refused(name: str, mutations: Any) -> None:
    lines = fixture(name).splitlines()
    for index, kind, text in mutations:
        at = index % (len(lines) + 1)
        if kind == "delete" and at < len(lines):
            del lines[at]
        elif kind == "duplicate" and at < len(lines):
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, text)
        elif kind == "replace" and at < len(lines):
            head = lines[at].split(":", 1)[0]
            lines[at] = f"{head}:{text}"
        elif kind == "cut" and at < len(lines):
            lines[at] = lines[at][: len(text)]
    try:
        imported = read_ics(name, "\n".join(lines))
    except CatalogueError as exc:
        assert exc.problems and all(p.startswith(f"{name}: ") for p in exc.problems)
        return
    assert all(n.startswith(f"{name}: ") for n in imported.notes)
    for entry in imported.sessions:
        assert "\x00" not in str(entry)


@settings(max_examples=100)
@given(st.text(max_size=300) | st.text(max_size=300).map(lambda t: calendar(t)))
def test_any_text_imports_or_is_refused(text: str) -> None:
    try:
        read_ics("any.ics", text)
    except CatalogueError as exc:
        assert exc.problems[0].startswith("any.ics: ")


@pytest.mark.parametrize(
    ("event", "start", "end"),
    [
        # Three hours of elapsed time across the October change: 01:30 CEST to 02:30 CET.
        ("DTSTART;TZID=Europe/Berlin:20251026T013000\nDURATION:PT3H", utc(2025, 10, 25, 23, 30),
         utc(2025, 10, 26, 2, 30)),
        # An end in UTC is that instant, whatever the start's zone.
        ("DTSTART;TZID=Europe/Berlin:20251026T013000\nDTEND:20251026T023000Z",
         utc(2025, 10, 25, 23, 30), utc(2025, 10, 26, 2, 30)),
        # Two hours across the March change: 01:30 CET to 04:30 CEST.
        ("DTSTART;TZID=Europe/Berlin:20250330T013000\nDURATION:PT2H", utc(2025, 3, 30, 0, 30),
         utc(2025, 3, 30, 2, 30)),
        # A day is a calendar day: 10:00 to 10:00 the next day, 23 elapsed hours.
        ("DTSTART;TZID=Europe/Berlin:20250329T100000\nDURATION:P1D", utc(2025, 3, 29, 9),
         utc(2025, 3, 30, 8)),
    ],
)  # fmt: skip
def test_lengths_across_dst_are_elapsed_time(event: str, start: datetime, end: datetime) -> None:
    imported = read_ics("dst.ics", calendar(f"UID:dst@x\nSUMMARY:Across\n{event}"))
    assert times(validated("dst.ics", imported))["dst"] == (start, end)


def test_value_date_wins_over_a_tzid() -> None:
    event = "UID:h@x\nSUMMARY:Holiday\nDTSTART;TZID=Europe/Berlin;VALUE=DATE:20250618\n"
    event += "DTEND;TZID=Europe/Berlin;VALUE=DATE:20250619"
    (entry,) = read_ics("h.ics", calendar(event)).sessions
    assert (entry["date"], "end_date" in entry, "start" in entry) == ("2025-06-18", False, False)


def test_a_rule_that_names_no_real_day_is_left_out_quickly() -> None:
    events = [
        f"UID:never{n}@x\nSUMMARY:Never\nDTSTART:20250618T100000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;COUNT=2;BYMONTH=2;BYMONTHDAY=30"
        for n in range(10)
    ]
    imported = read_ics("never.ics", calendar(*events))
    assert imported.sessions == []
    assert "its RRULE names no day that exists (such as 30 February)" in imported.notes[0]


def test_a_rule_that_matches_rarely_is_expanded() -> None:
    event = "UID:leap@x\nSUMMARY:Leap\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY;COUNT=3"
    imported = read_ics("leap.ics", calendar(event))
    assert [e["date"] for e in imported.sessions] == ["2024-02-29", "2028-02-29", "2032-02-29"]


def test_a_fold_inside_a_character(tmp_path: Path) -> None:
    from dcal.catalogue import load_catalogue

    raw = calendar("UID:z@x\nSUMMARY:Z\u00fcrich\nDTSTART:20250618T100000Z\nDURATION:PT1H")
    data = raw.replace("\n", "\r\n").encode("utf-8").replace(b"Z\xc3\xbc", b"Z\xc3\r\n \xbc")
    path = tmp_path / "fold.ics"
    path.write_bytes(data)
    assert [s.title for s in load_catalogue(str(path)).sessions] == ["Zürich"]


def test_library_warnings_do_not_leak() -> None:
    import warnings

    event = "UID:v@x\nSUMMARY:T\nDTSTART;TZID=/citadel.org/20190914_1/Asia/Tokyo:20250618T100000\n"
    event += "DURATION:PT1H"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_ics("v.ics", calendar(event))
    assert caught == []


def test_long_uids_become_short_stable_ids() -> None:
    assert NIGHT_SHIFT_ID == "ics-7b3c0f8738dbb727"


def test_a_bad_byte_is_named_at_its_place_in_the_file(tmp_path: Path) -> None:
    from dcal.catalogue import load_catalogue

    raw = calendar("UID:a@x\nSUMMARY:" + "x" * 70 + "\nDTSTART:20250618T100000Z")
    data = raw.replace("\n", "\r\n").encode("utf-8").replace(b"x" * 70, b"x" * 60 + b"\r\n y\xff")
    path = tmp_path / "bad.ics"
    path.write_bytes(data)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(str(path))
    offset = data.index(b"\xff")
    assert caught.value.problems == [
        f"{path}: not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8"
    ]


def test_an_offset_with_seconds_keeps_its_instant() -> None:
    """A VTIMEZONE at +00:53:28 (an old LMT): no catalogue zone has seconds, so UTC."""
    head = (
        "BEGIN:VTIMEZONE\nTZID:My Odd Zone\nBEGIN:STANDARD\nDTSTART:18000101T000000\n"
        "TZOFFSETFROM:+005328\nTZOFFSETTO:+005328\nTZNAME:LMT\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    event = (
        "UID:old\nSUMMARY:Old\nDTSTART;TZID=My Odd Zone:19000601T100000\n"
        "DTEND;TZID=My Odd Zone:19000601T110000"
    )
    catalogue = validated("in.ics", read_ics("in.ics", calendar(event, head=head)))
    exact = datetime(1900, 6, 1, 9, 6, 32, tzinfo=UTC)
    assert times(catalogue)["old"] == (exact, exact.replace(hour=10))
