"""frab/pretalx schedules in (schedule.json, schedule.xml) and out (export -f frab-json)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import BUNDLED, FIXTURES, SHARED

from dcal.catalogue import load_catalogue
from dcal.catalogue_write import toml_string, toml_value
from dcal.errors import CatalogueError
from dcal.model import Catalogue, Session

FRAB = FIXTURES / "frab"
REAL = SHARED / "frab"
needs_shared = pytest.mark.skipif(
    not (REAL / "schedule.schema.json").exists(),
    reason="../shared/frab (the published schema and real exports) is not beside this checkout",
)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def spans(catalogue: Catalogue) -> dict[str, tuple[datetime, datetime]]:
    return {
        s.id: (s.start.astimezone(UTC), s.end.astimezone(UTC))
        for s in catalogue.sessions
        if s.start is not None and s.end is not None
    }


def same_sessions(session: Session) -> tuple[object, ...]:
    """What must survive a round trip through another format."""
    start = session.start.astimezone(UTC) if session.start else None
    end = session.end.astimezone(UTC) if session.end else None
    days = (session.date, session.end_date or session.date)
    return (session.id, session.title, start, end, days, session.speakers, session.summary)


# ------------------------------------------------------------------ reading: own fixtures


def test_after_midnight_events_are_on_the_next_day() -> None:
    catalogue = load_catalogue(str(FRAB / "night.json"))
    got = spans(catalogue)
    # Filed under 21 August with a correct date: taken as written.
    assert got["nightcamp-1-late-talk"] == (utc(2019, 8, 21, 21), utc(2019, 8, 21, 22, 30))
    assert got["nightcamp-2-after-midnight"][0] == utc(2019, 8, 21, 23)
    # Dated 21 August 02:00, before that day's day_start (10:00): it is the 22nd's night.
    assert got["nightcamp-3-dated-a-day-early"] == (utc(2019, 8, 22, 0), utc(2019, 8, 22, 1))
    # No date at all, only start 03:30 under the 21st: the 22nd, 03:30 CEST.
    assert got["nightcamp-4-no-date"] == (utc(2019, 8, 22, 1, 30), utc(2019, 8, 22, 2))
    moved = [w for w in catalogue.warnings if "after midnight" in w]
    assert moved == [
        f"{FRAB / 'night.json'}: 2 events after midnight filed under the previous day's date "
        "(before its day_start): moved to the next day, e.g. nightcamp-3-dated-a-day-early, "
        "nightcamp-4-no-date"
    ]


def test_missing_duration_and_title_are_assumed_and_said() -> None:
    catalogue = load_catalogue(str(FRAB / "night.json"))
    start, end = spans(catalogue)["nightcamp-5-no-duration"]
    assert end - start == timedelta(minutes=15)  # the schedule's timeslot_duration
    assert any("1 event with no duration: assumed 00:15" in w for w in catalogue.warnings)
    assert any("no title: called '(untitled)'" in w for w in catalogue.warnings)


def test_fields_are_mapped() -> None:
    catalogue = load_catalogue(str(FRAB / "night.json"))
    talk = next(s for s in catalogue.sessions if s.id == "nightcamp-1-late-talk")
    assert talk.zone is not None and talk.zone.name == "Europe/Berlin"
    assert (talk.title, talk.event, talk.location) == ("Late talk", "Night Camp", "Curie")
    assert (talk.themes, talk.speakers) == (("Security",), ("jinxx",))
    assert talk.links == ("https://example.org/slides.pdf",)
    assert talk.url == "https://example.org/nightcamp/1"
    assert talk.summary == "Runs past midnight."
    assert catalogue.name == "Night Camp" and catalogue.url == "https://example.org/nightcamp/"


def test_declared_zone_contradicted_by_the_offsets() -> None:
    catalogue = load_catalogue(str(FRAB / "declared-utc.json"))
    assert spans(catalogue) == {
        "winterconf-25-opening": (utc(2020, 12, 14, 8), utc(2020, 12, 14, 8, 30)),
        "winterconf-25-opening-2": (utc(2020, 12, 14, 14), utc(2020, 12, 14, 14, 30)),
    }
    opening = catalogue.sessions[0]
    assert opening.zone is not None and opening.zone.name == "UTC+01:00"  # as published
    assert any(
        "2 events with a UTC offset that the declared zone UTC does not have then" in w
        for w in catalogue.warnings
    )
    # The text given twice (abstract and description) is kept once.
    assert opening.summary == "Welcome."


def test_naming_the_zone_stores_the_events_there(run, tmp_path: Path) -> None:
    out = tmp_path / "winter.toml"
    result = run("import", str(FRAB / "declared-utc.json"), "--timezone", "Europe/Berlin",
                 "-o", str(out))  # fmt: skip
    assert result.code == 0, result.err
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["catalogue"]["timezone"] == "Europe/Berlin"
    first = data["sessions"][0]
    assert (first["timezone"], first["start"]) == ("Europe/Berlin", datetime(2020, 12, 14, 9))
    assert "contradict" not in result.err and "declared zone" not in result.err


def test_schedule_with_no_zone() -> None:
    catalogue = load_catalogue(str(FRAB / "no-zone.json"))
    (session,) = catalogue.sessions
    assert session.id == "MJA8QY"
    assert session.zone is not None and session.zone.name == "UTC+01:00"
    assert session.start is not None and session.start.astimezone(UTC) == utc(2020, 12, 27, 10, 30)
    assert session.summary == "Gluon testen.\nAuf echter Hardware."  # CR LF made LF
    assert catalogue.warnings == (
        f"{FRAB / 'no-zone.json'}: the schedule names no time zone: each event is kept at its "
        "own UTC offset (dcal import --timezone ZONE stores them on that zone's clock)",
    )


def test_schedule_xml() -> None:
    catalogue = load_catalogue(str(FRAB / "schedule.xml"))
    sessions = {s.id: s for s in catalogue.sessions}
    panel = sessions["bonnclimate-101-financing"]
    assert panel.title == "Financing local adaptation & resilience"
    assert panel.speakers == ("Katja Dörner", "市長 山田")
    assert panel.links == ("https://example.org/stream",)  # javascript: is not a link
    assert panel.summary == "Panel\n\nMayors on money.\n\nLong text."
    assert spans(catalogue)["bonnclimate-101-financing"][0] == utc(2025, 6, 16, 8)
    night = sessions["2b3c4d5e-1111-4222-8333-444455556667"]
    assert night.start is not None and night.start.astimezone(UTC) == utc(2025, 6, 16, 22, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><schedule><conference/>&b;</schedule>',
            "the XML declares a DTD or entities, which dcal does not read",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<schedule><conference><title>&x;</title></conference></schedule>",
            "the XML declares a DTD or entities, which dcal does not read",
        ),
        ("<schedule><conference>", "not valid XML: no element found: line 1, column 22"),
        ("<calendar/>", "not a frab schedule.xml (<schedule><conference>)"),
    ],
)
def test_unsafe_or_broken_xml_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(str(path))
    assert caught.value.problems == [f"{path}: {message}"]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({"schedule": {}}, "schedule.conference: missing; not a frab schedule"),
        ({"schedule": {"conference": {"title": "X"}}}, "conference.days: missing or not a list"),
        (
            {"schedule": {"conference": {"days": [{"date": "2020-01-01", "rooms": {"A": [
                {"date": "yesterday", "title": "T"}]}}]}}},
            "day 2020-01-01, room 'A', event 1: date: 'yesterday' is not a date-time",
        ),
        (
            {"schedule": {"conference": {"days": [{"date": "2020-01-01", "rooms": {"A": [
                {"date": "2020-01-01T10:00", "slug": "t"}]}}]}}},
            "day 2020-01-01, room 'A', event 1 (t): date: '2020-01-01T10:00' has no UTC offset "
            "and the schedule names no zone; import it with dcal import --timezone ZONE",
        ),
    ],
)  # fmt: skip
def test_broken_schedules_exit_3(run, tmp_path: Path, schedule: object, message: str) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(schedule), encoding="utf-8")
    out = tmp_path / "out.toml"
    result = run("import", str(path), "-o", str(out))
    assert result.code == 3
    assert result.err == f"dcal: error: {path}: {message}\n"
    assert not out.exists()


def test_timezone_option_is_for_imports_only(run, tmp_path: Path) -> None:
    result = run("import", str(BUNDLED), "--timezone", "UTC")
    assert result.code == 2
    assert "is a dcal catalogue, which names its own zones" in result.err


def test_unknown_timezone_option(run) -> None:
    result = run("import", str(FRAB / "no-zone.json"), "--timezone", "Mars/Olympus")
    assert result.code == 2
    assert result.err == "dcal: error: --timezone: unknown zone 'Mars/Olympus' (see 'dcal zones')\n"


# ------------------------------------------------------------------ the real exports


@needs_shared
@pytest.mark.parametrize(
    ("name", "count", "first", "warning"),
    [
        (
            "frab-camp2019.json",
            79,
            ("Camp2019-10386-opening_ceremony", utc(2019, 8, 21, 9)),
            # a link written "nymtech.net", with no scheme
            "1 event with a url or link that is not an http(s) URL: left out, e.g. "
            "Camp2019-10317-fighting_back_against_libra_-_decentralizing_facebook_connect",
        ),
        (
            "pretalx-democon.json",
            36,
            ("democon-25-focused-5thgeneration-hardware", utc(2020, 12, 14, 8)),
            "36 events with a UTC offset that the declared zone UTC does not have then",
        ),
        (
            "pretalx-rc3.json",
            48,
            ("MJA8QY", utc(2020, 12, 27, 10, 30)),
            "the schedule names no time zone",
        ),
    ],
)
def test_real_exports(
    name: str, count: int, first: tuple[str, datetime], warning: str | None
) -> None:
    catalogue = load_catalogue(str(REAL / name))
    assert len(catalogue.sessions) == count
    ident, start = first
    assert spans(catalogue)[ident][0] == start
    if warning is None:
        assert catalogue.warnings == ()
    else:
        assert len(catalogue.warnings) == 1 and warning in catalogue.warnings[0]


@needs_shared
def test_real_export_event_fields() -> None:
    data = json.loads((REAL / "frab-camp2019.json").read_text(encoding="utf-8"))
    events = [
        event
        for day in data["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    catalogue = load_catalogue(str(REAL / "frab-camp2019.json"))
    got = spans(catalogue)
    for event in events:
        start = datetime.fromisoformat(event["date"])
        hours, minutes = map(int, event["duration"].split(":"))
        assert got[event["slug"]] == (start, start + timedelta(hours=hours, minutes=minutes))


# ------------------------------------------------------------------ writing frab-json


def export(run, tmp_path: Path, *args: str) -> dict[str, object]:
    path = tmp_path / "schedule.json"
    result = run("export", "-f", "frab-json", "-o", str(path), "--force", *args)
    assert result.code == 0, result.err
    return json.loads(path.read_text(encoding="utf-8"))


@needs_shared
@pytest.mark.parametrize("zone", [None, "Europe/Berlin", "Asia/Tokyo", "America/Belem"])
def test_export_validates_against_the_published_schema(
    run, tmp_path: Path, zone: str | None
) -> None:
    import jsonschema

    schema = json.loads((REAL / "schedule.schema.json").read_text(encoding="utf-8"))
    document = export(run, tmp_path, *(["--tz", zone] if zone else []))
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [error.message for error in validator.iter_errors(document)] == []


@pytest.mark.parametrize("zone", [None, "Europe/Berlin", "Asia/Tokyo", "America/Belem"])
def test_export_then_import_gives_back_every_session(run, tmp_path: Path, zone: str | None) -> None:
    export(run, tmp_path, *(["--tz", zone] if zone else []))
    back = load_catalogue(str(tmp_path / "schedule.json"))
    bundled = load_catalogue(str(BUNDLED))
    dated_or_timed = [s for s in bundled.sessions if s.kind != "tba"]
    assert len(dated_or_timed) == 10
    assert sorted(map(same_sessions, back.sessions)) == sorted(map(same_sessions, dated_or_timed))
    assert back.warnings == ()


def test_export_shape(run, tmp_path: Path) -> None:
    document = export(run, tmp_path, "--tz", "Europe/Berlin")
    conference = document["schedule"]["conference"]  # type: ignore[index]
    assert conference["time_zone_name"] == "Europe/Berlin"
    assert conference["acronym"] == "daring_cities"
    days = {day["date"]: day for day in conference["days"]}
    (event,) = [e for room in days["2020-10-21"]["rooms"].values() for e in room]
    assert event["slug"] == "dc2020-green-recovery"
    assert (event["date"], event["start"], event["duration"]) == (
        "2020-10-21T10:00:00+02:00",
        "10:00",
        "01:30",
    )
    assert event["persons"][0] == {"id": 1, "public_name": "Kazuhiko Takeuchi, President of IGES"}
    # A whole-day session runs from midnight to midnight, across the October DST change.
    (forum,) = [e for room in days["2020-10-07"]["rooms"].values() for e in room]
    assert (forum["date"], forum["end"], forum["type"]) == (
        "2020-10-07T00:00:00+02:00",
        "2020-10-29T00:00:00+01:00",
        "all-day",
    )
    assert forum["duration"] == "529:00"


def test_export_leaves_out_tba_and_says_so(run, tmp_path: Path) -> None:
    result = run("export", "-f", "frab-json", "-o", str(tmp_path / "s.json"))
    assert result.err == (
        "dcal: warning: left out 2 session(s) with no date yet (TBA): "
        "dc2025-reflect-1, dc2025-reflect-2\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--split", "x"], "--split is for calendars (-f ics), not for -f frab-json"),
        (["--tz", "UTC+2"], "not on a fixed offset like UTC+2"),
        (["--tz", "Etc/GMT-9"], "not on a fixed offset like Etc/GMT-9"),
        (["--stamp", "now"], "--stamp is for calendars (-f ics), not for -f frab-json"),
        (["--tz", "Nowhere/Zone"], "--tz: unknown zone 'Nowhere/Zone'"),
    ],
)
def test_export_usage_errors(run, args: list[str], message: str) -> None:
    result = run("export", "-f", "frab-json", *args)
    assert result.code == 2
    assert message in result.err


def test_tz_is_for_frab_json_only(run) -> None:
    result = run("export", "--tz", "JST")
    assert result.code == 2
    assert "--tz sets the days of a frab-json schedule" in result.err


# ------------------------------------------------------------------ dcal import


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_import_writes_a_catalogue_that_loads_the_same(run, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"night{suffix}"
    result = run("import", str(FRAB / "night.json"), "-o", str(out))
    assert result.code == 0
    assert result.err.endswith(f"dcal: wrote 5 sessions to {out}\n")
    direct = load_catalogue(str(FRAB / "night.json"))
    written = load_catalogue(str(out))
    assert written.sessions == direct.sessions
    assert written.warnings == ()  # what was assumed is said once, at import


def test_import_of_the_bundled_catalogue_is_the_same_catalogue(run, tmp_path: Path) -> None:
    out = tmp_path / "copy.toml"
    assert run("import", str(BUNDLED), "-o", str(out)).code == 0
    original, copy = load_catalogue(str(BUNDLED)), load_catalogue(str(out))
    assert copy.sessions == original.sessions
    assert (copy.name, copy.url, copy.cities, copy.updated) == (
        original.name,
        original.url,
        original.cities,
        original.updated,
    )


def test_import_to_standard_output(run) -> None:
    result = run("import", str(FRAB / "no-zone.json"))
    assert result.code == 0
    data = tomllib.loads(result.out)
    assert data["sessions"][0]["start"] == datetime(2020, 12, 27, 11, 30)
    assert data["sessions"][0]["timezone"] == "UTC+01:00"


def test_import_refuses_to_overwrite(run, tmp_path: Path) -> None:
    out = tmp_path / "x.toml"
    out.write_text("keep", encoding="utf-8")
    result = run("import", str(FRAB / "no-zone.json"), "-o", str(out))
    assert result.code != 0 and out.read_text(encoding="utf-8") == "keep"


@given(st.text())
def test_toml_strings_round_trip(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # catalogues hold real text only (lone surrogates are refused on load)
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


@given(
    st.lists(st.text(min_size=1).filter(lambda t: t.isprintable())),
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31)),
    st.dates(min_value=date(2, 1, 1)),
)
def test_toml_values_round_trip(items: list[str], moment: datetime, day: date) -> None:
    moment = moment.replace(microsecond=0)
    text = f"a = {toml_value(items)}\nb = {toml_value(moment)}\nc = {toml_value(day)}\n"
    assert tomllib.loads(text) == {"a": items, "b": moment, "c": day}


# ------------------------------------------------------------------ what a review found


def schedule(tmp_path: Path, days: list[dict[str, object]], **conference: object) -> Path:
    path = tmp_path / "schedule.json"
    document = {
        "schedule": {"version": "1", "conference": {"title": "T", **conference, "days": days}}
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def day(on: str, start: str, end: str, *events: dict[str, object]) -> dict[str, object]:
    return {"date": on, "day_start": start, "day_end": end, "rooms": {"A": list(events)}}


@pytest.mark.parametrize(
    ("duration", "minutes"), [("01:30", 90), ("1:30:00", 90), ("00:45:30", 45.5), ("100:00", 6000)]
)
def test_durations_are_hours_minutes_and_seconds(
    tmp_path: Path, duration: str, minutes: float
) -> None:
    event = {"slug": "e", "title": "E", "date": "2025-06-18T10:00:00+02:00", "duration": duration}
    path = schedule(tmp_path, [day("2025-06-18", "2025-06-18T08:00:00+02:00",
                                   "2025-06-19T04:00:00+02:00", event)],
                    time_zone_name="Europe/Berlin")  # fmt: skip
    start, end = spans(load_catalogue(str(path)))["e"]
    assert end - start == timedelta(minutes=minutes)


def test_an_event_dated_within_another_day_is_taken_as_written(tmp_path: Path) -> None:
    # Filed under the 22nd, dated 02:00 on the 22nd: inside the 21st's day (10:00–04:00).
    late = {"slug": "late", "title": "L", "date": "2019-08-22T02:00:00+02:00", "duration": "01:00"}
    path = schedule(tmp_path, [
        day("2019-08-21", "2019-08-21T10:00:00+02:00", "2019-08-22T04:00:00+02:00"),
        day("2019-08-22", "2019-08-22T10:00:00+02:00", "2019-08-23T04:00:00+02:00", late),
    ], time_zone_name="Europe/Berlin")  # fmt: skip
    catalogue = load_catalogue(str(path))
    assert spans(catalogue)["late"][0] == utc(2019, 8, 22, 0)
    assert catalogue.warnings == ()


def test_a_start_in_a_dst_gap_is_said(tmp_path: Path) -> None:
    event = {"slug": "gap", "title": "G", "start": "02:15", "duration": "00:30"}
    path = schedule(tmp_path, [day("2025-03-30", "2025-03-30T01:00:00+01:00",
                                   "2025-03-31T00:00:00+02:00", event)],
                    time_zone_name="Europe/Berlin")  # fmt: skip
    catalogue = load_catalogue(str(path))
    assert spans(catalogue)["gap"][0] == utc(2025, 3, 30, 1, 15)  # 03:15 CEST, as RFC 5545 reads
    assert any("1 event at a wall time the clocks skip" in w for w in catalogue.warnings)


def test_a_start_time_only_follows_the_days_own_offset(tmp_path: Path) -> None:
    # Declared UTC, but the day is written at +01:00: 15:00 is 14:00 UTC.
    event = {"slug": "s", "title": "S", "start": "15:00", "duration": "00:30"}
    path = schedule(tmp_path, [day("2020-12-14", "2020-12-14T04:00:00+01:00",
                                   "2020-12-15T03:59:00+01:00", event)],
                    time_zone_name="UTC")  # fmt: skip
    catalogue = load_catalogue(str(path))
    assert spans(catalogue)["s"][0] == utc(2020, 12, 14, 14)
    assert any("declared zone UTC does not have then" in w for w in catalogue.warnings)


def test_text_is_cleaned_and_repeated_ids_are_said(tmp_path: Path) -> None:
    events = [
        {"slug": "x", "title": "Red \u001b[31mtitle\u0007", "date": "2025-06-18T10:00:00Z"},
        {"slug": "x", "title": "Twin", "date": "2025-06-18T11:00:00Z", "url": "ftp://x"},
    ]
    path = schedule(tmp_path, [day("2025-06-18", "2025-06-18T00:00:00Z",
                                   "2025-06-19T00:00:00Z", *events)],
                    time_zone_name="UTC")  # fmt: skip
    catalogue = load_catalogue(str(path))
    assert [s.title for s in catalogue.sessions] == ["Red [31mtitle", "Twin"]
    assert any("1 id given to more than one event: the later ones renamed, e.g. x → x-2" in w
               for w in catalogue.warnings)  # fmt: skip
    assert any("not an http(s) URL: left out, e.g. x-2" in w for w in catalogue.warnings)


def test_midnight_to_midnight_sessions_stay_timed_unless_all_day(run, tmp_path: Path) -> None:
    catalogue = tmp_path / "c.toml"
    catalogue.write_text(
        '[catalogue]\nname = "T"\n\n[[sessions]]\nid = "hack"\ntitle = "Hackathon"\n'
        'timezone = "Europe/Berlin"\nstart = "2025-06-16 00:00"\nend = "2025-06-17 00:00"\n\n'
        '[[sessions]]\nid = "days"\ntitle = "Days"\ndate = 2025-06-16\nend_date = 2025-06-17\n',
        encoding="utf-8",
    )
    out = tmp_path / "s.json"
    assert run("export", "-c", str(catalogue), "-f", "frab-json", "--tz", "berlin", "-o",
               str(out)).code == 0  # fmt: skip
    back = {s.id: s for s in load_catalogue(str(out)).sessions}
    assert back["hack"].kind == "timed" and back["days"].kind == "dated"
    assert back["days"].end_date == date(2025, 6, 17)
    document = json.loads(out.read_text(encoding="utf-8"))
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Berlin"  # a city names its region's zone
    assert (conference["daysCount"], conference["end"]) == (1, "2025-06-17")
    events = [e for d in conference["days"] for room in d["rooms"].values() for e in room]
    assert {e["url"] for e in events} == {f"urn:uuid:{e['guid']}" for e in events}


@needs_shared
def test_the_schema_check_checks_uris_and_date_times() -> None:
    import jsonschema

    checkers = jsonschema.FormatChecker().checkers
    assert {"uri", "date-time", "uuid", "date"} <= set(checkers)


def test_import_output_must_be_a_catalogue_name(run, tmp_path: Path) -> None:
    result = run("import", str(FRAB / "no-zone.json"), "-o", str(tmp_path / "x.ics"))
    assert result.code == 2
    assert "a catalogue is written as .toml or .json; name it so, or give -f" in result.err
    assert not (tmp_path / "x.ics").exists()
    assert run("import", str(FRAB / "no-zone.json"), "-f", "json", "-o",
               str(tmp_path / "x.txt")).code == 0  # fmt: skip


def test_the_catalogue_description_is_kept(run, tmp_path: Path) -> None:
    source = tmp_path / "c.toml"
    source.write_text('[catalogue]\nname = "N"\ndescription = "What it is."\n', encoding="utf-8")
    out = tmp_path / "copy.json"
    assert run("import", str(source), "-o", str(out)).code == 0
    assert load_catalogue(str(out)).description == "What it is."


# ------------------------------------------------------------------ what a hostile sweep found


def one_event(tmp_path: Path, **fields: object) -> Path:
    event = {"slug": "s", "title": "T", "date": "2025-06-18T10:00:00+00:00", "duration": "01:00"}
    event.update(fields)
    return schedule(tmp_path, [day("2025-06-18", "2025-06-18T00:00:00Z",
                                   "2025-06-19T00:00:00Z", event)],
                    time_zone_name="UTC")  # fmt: skip


@pytest.mark.parametrize("field", ["persons", "links"])
@pytest.mark.parametrize("value", [1, True, "Ada, Bob", {"name": "Ada"}])
def test_fields_of_the_wrong_shape_are_said_not_fatal(
    tmp_path: Path, field: str, value: object
) -> None:
    catalogue = load_catalogue(str(one_event(tmp_path, **{field: value})))
    assert len(catalogue.sessions) == 1
    assert any(f"not in the schedule format's shape: left out, e.g. s ({field})" in w
               for w in catalogue.warnings)  # fmt: skip


def test_days_of_the_wrong_shape(run, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"schedule": {"conference": {"title": "C", "days": true}}}', encoding="utf-8")
    result = run("import", str(path))
    assert (result.code, result.err) == (
        3,
        f"dcal: error: {path}: conference.days: missing or not a list\n",
    )


@pytest.mark.parametrize("written", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:30:00+02:00"])
def test_events_beyond_the_years_are_left_out_and_said(tmp_path: Path, written: str) -> None:
    catalogue = load_catalogue(str(one_event(tmp_path, date=written)))
    assert catalogue.sessions == ()
    assert any("1 event outside the years dcal supports (0002–9998): left out, e.g. s" in w
               for w in catalogue.warnings)  # fmt: skip


def test_the_years_are_those_of_the_clock_written(tmp_path: Path) -> None:
    """Ending at 23:30 UTC on 31 December 9998 is 00:30 in 9999 in Berlin: left out, said."""
    event = {"slug": "late", "title": "T", "date": "9998-12-31T23:30:00+01:00", "duration": "01:00"}
    path = schedule(tmp_path, [day("9998-12-31", "9998-12-31T00:00:00+01:00",
                                   "9999-01-01T00:00:00+01:00", event)],
                    time_zone_name="Europe/Berlin")  # fmt: skip
    catalogue = load_catalogue(str(path))
    assert catalogue.sessions == ()
    assert any("1 event outside the years dcal supports" in w for w in catalogue.warnings)


def test_a_date_without_a_time_takes_the_start(tmp_path: Path) -> None:
    catalogue = load_catalogue(str(one_event(tmp_path, date="2025-06-18", start="10:00")))
    assert spans(catalogue)["s"][0] == utc(2025, 6, 18, 10)


def test_an_offset_with_seconds_keeps_its_instant(tmp_path: Path) -> None:
    catalogue = load_catalogue(str(one_event(tmp_path, date="1890-06-18T10:00:00+00:53:28")))
    assert spans(catalogue)["s"][0] == datetime(1890, 6, 18, 9, 6, 32, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        '<room name="R"><event><slug>s</slug><date>2025-06-18T10:00:00Z</date>'
        "<duration>01:00</duration><title>Cities <em>and</em> climate</title></event></room>",
        '<rooms><room name="R"><event><slug>s</slug><date>2025-06-18T10:00:00Z</date>'
        "<duration>01:00</duration><title>Cities and climate</title></event></room></rooms>",
    ],
)
@pytest.mark.parametrize("namespace", ["", ' xmlns="https://example.org/schedule"'])
def test_xml_shapes(tmp_path: Path, body: str, namespace: str) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(
        f"<schedule{namespace}><conference><title>C</title><time_zone_name>UTC</time_zone_name>"
        f'</conference><day date="2025-06-18">{body}</day></schedule>',
        encoding="utf-8",
    )
    (session,) = load_catalogue(str(path)).sessions
    assert (session.id, session.title) == ("s", "Cities and climate")


def test_ids_survive_the_round_trip_whatever_their_case(run, tmp_path: Path) -> None:
    source = tmp_path / "ids.toml"
    source.write_text(
        "".join(
            f'[[sessions]]\nid = "{ident}"\ntitle = "{ident}"\nevent = "E"\n'
            f'timezone = "UTC"\nstart = "2025-06-18 1{n}:00"\nend = "2025-06-18 1{n}:30"\n\n'
            for n, ident in enumerate(["UPPER", "upper", "talk.2025@bonn", "a"])
        ),
        encoding="utf-8",
    )
    out = tmp_path / "s.json"
    assert run("export", "-c", str(source), "-f", "frab-json", "-o", str(out)).code == 0
    back = load_catalogue(str(out))
    assert [(s.id, s.title) for s in back.sessions] == [
        ("UPPER", "UPPER"), ("upper", "upper"), ("talk.2025@bonn", "talk.2025@bonn"), ("a", "a")
    ]  # fmt: skip
    assert back.warnings == ()  # no note about dcal's own urn: stand-in URLs
