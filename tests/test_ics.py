"""iCalendar export: valid RFC 5545, the catalogue's instants, reproducible bytes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.conftest import BUNDLED

from dcal.catalogue import load_catalogue
from dcal.ics import IcsOptions, parse_duration, write_ics
from dcal.model import Session
from dcal.render import clean_text
from dcal.zones import resolve_zone

ZONES = ["Asia/Tokyo", "Europe/Berlin", "America/Belem", "Pacific/Kiritimati", "UTC"]


def events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def export(run, *args: str) -> str:
    result = run("export", *args)
    assert result.code == 0, result.err
    return result.out


# ------------------------------------------------------------------ the bundled catalogue


def test_every_dated_or_timed_session_exports_at_its_instants(run) -> None:
    result = run("export")
    assert result.err == (
        "dcal: warning: left out 2 session(s) with no date yet (TBA): dc2025-reflect-1, dc2025-reflect-2\n"
    )
    found = events(result.out)
    catalogue = load_catalogue(str(BUNDLED))
    for session in catalogue.sessions:
        if session.kind == "tba":
            assert session.id not in found
            continue
        event = found[session.id]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if session.kind == "timed":
            assert session.start is not None and session.end is not None
            for name in ZONES:
                tz = resolve_zone(name).tz
                assert start.astimezone(tz) == session.start.astimezone(tz)
                assert end.astimezone(tz) == session.end.astimezone(tz)
        else:
            assert (start, end) == (
                session.date,
                (session.end_date or session.date) + timedelta(days=1),
            )


def test_bonn_dialogues_are_three_days(run) -> None:
    text = export(run, "--id", "dc2025-bonn-dialogues")
    assert "DTSTART;VALUE=DATE:20250616\r\n" in text
    assert "DTEND;VALUE=DATE:20250619\r\n" in text


def test_the_2020_sessions_in_utc(run) -> None:
    found = events(export(run, "--event", "2020"))
    assert found["dc2020-biodiversity-cop"].decoded("DTSTART") == datetime(
        2020, 10, 22, 14, 0, tzinfo=UTC
    )
    assert found["dc2020-green-recovery"].decoded("DTEND") == datetime(
        2020, 10, 21, 9, 30, tzinfo=UTC
    )


def test_golden(run, golden) -> None:
    golden("export.ics", export(run, "--alarm", "15m"))


def test_same_catalogue_same_bytes(run) -> None:
    assert export(run) == export(run)


# ------------------------------------------------------------------ RFC 5545 form


def test_rfc5545_form(run) -> None:
    raw = export(run).encode("utf-8")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dcal//dcal ")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line)
    for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert name in event
    assert b"X-WR-CALNAME:Daring Cities\r\n" in raw
    assert b"DTSTAMP:20261122T000000Z\r\n" in raw


def test_iana_zones_carry_a_limited_vtimezone(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[[sessions]]\nid = "b"\ntitle = "Bonn"\nevent = "E"\ntimezone = "Europe/Berlin"\n'
        'start = "2025-06-17 10:00"\nend = "2025-06-17 11:00"\n',
        encoding="utf-8",
    )
    text = _write(load_catalogue(str(path)).sessions)
    assert "DTSTART;TZID=Europe/Berlin:20250617T100000\r\n" in text
    calendar = icalendar.Calendar.from_ical(text)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Berlin"
    starts = [c.decoded("DTSTART") for c in timezone.subcomponents]
    assert all(datetime(2025, 1, 1) < s < datetime(2026, 1, 1) for s in starts)
    assert calendar.walk("VEVENT")[0].decoded("DTSTART") == datetime(2025, 6, 17, 8, 0, tzinfo=UTC)


def test_a_time_in_a_dst_repeat_is_written_in_utc(tmp_path: Path) -> None:
    """02:30 on 26 Oct 2025 in Berlin, second occurrence: TZID would mean the first."""
    berlin = resolve_zone("Europe/Berlin")
    start = datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=berlin.tz)
    session = Session("r", "Repeat", "E", start=start, end=start + timedelta(hours=1), zone=berlin)
    text = _write([session])
    assert "DTSTART:20251026T013000Z\r\n" in text
    assert "VTIMEZONE" not in text
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == start.astimezone(UTC)


def _write(sessions: list[Session] | tuple[Session, ...], **options: object) -> str:
    import io

    out = io.StringIO(newline="")
    write_ics(list(sessions), out, IcsOptions(**options))  # type: ignore[arg-type]
    return out.getvalue()


# ------------------------------------------------------------------ updates, alarms, options


def test_a_revised_session_has_a_higher_sequence(run, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    base = '[[sessions]]\nid = "a"\ntitle = "T"\nevent = "E"\ndate = 2025-06-16\n'
    path.write_text(base, encoding="utf-8")
    first = events(export(run, "-c", str(path)))["a"]
    path.write_text(base.replace('"T"', '"T (moved)"') + "revision = 1\n", encoding="utf-8")
    second = events(export(run, "-c", str(path)))["a"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second["UID"] == first["UID"]


@pytest.mark.parametrize(
    ("text", "minutes"), [("15m", 15), ("1h", 60), ("1d", 1440), ("1h30m", 90), ("90s", 1.5)]
)
def test_parse_duration(text: str, minutes: float) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "15", "m", "-15m", "1w", "15 minutes"])
def test_bad_alarm(run, text: str) -> None:
    result = run("export", "--alarm", text)
    assert (result.code, result.out) == (2, "")
    assert "--alarm" in result.err


def test_alarms(run) -> None:
    event = events(export(run, "--id", "dc2025-cop30", "--alarm", "1d", "--alarm", "15m"))[
        "dc2025-cop30"
    ]
    triggers = sorted(a.decoded("TRIGGER") for a in event.walk("VALARM"))
    assert triggers == [timedelta(days=-1), timedelta(minutes=-15)]


def test_stamp_and_calendar_name(run) -> None:
    text = export(
        run,
        "--id",
        "dc2025-cop30",
        "--stamp",
        "2025-01-02T03:04:05+01:00",
        "--calendar-name",
        "Mine",
    )
    assert "DTSTAMP:20250102T020405Z\r\n" in text
    assert "X-WR-CALNAME:Mine\r\n" in text
    assert run("export", "--stamp", "yesterday").code == 2
    now = events(export(run, "--id", "dc2025-cop30", "--stamp", "now"))["dc2025-cop30"].decoded(
        "DTSTAMP"
    )
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=5)


def test_list_and_show_write_the_same_events(run) -> None:
    assert run("list", "-f", "ics").out == export(run)
    assert events(run("show", "dc2025-cop30", "-f", "ics").out).keys() == {"dc2025-cop30"}
    assert run("themes", "-f", "ics").code == 2


def test_output_file_is_not_overwritten(run, tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    assert run("export", "-o", str(target)).code == 0
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 10
    assert run("export", "-o", str(target)).code == 4
    assert run("export", "-o", str(target), "--force", "--event", "2020").code == 0
    assert target.read_bytes().count(b"BEGIN:VEVENT") == 4


def test_icalendar_is_imported_only_to_export() -> None:
    heavy = ["icalendar", "dateutil", "defusedxml", "dcal.frab", "dcal.import_ics",
             "dcal.import_sheet", "dcal.importing", "dcal.links", "dcal.catalogue_write"]  # fmt: skip
    script = (
        "import sys\nfrom dcal.cli import main\nmain(['list', '-f', 'json'])\n"
        f"print(sorted(set({heavy!r}) & set(sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"


# ------------------------------------------------------------------ arbitrary text survives


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)),  # lone surrogates are refused at load
    min_size=1,
    max_size=300,
).filter(lambda t: clean_text(t, newlines=False).strip())


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, summary=st.text(max_size=200), theme=st.text(min_size=1, max_size=20))
@example(
    title="生物多様性COPにおける地方政府の決議", summary="日本語の説明\n二行目", theme="生物多様性"
)
@example(title="🌍🏙️ Daring Cities 👩🏽‍💼", summary="🎉", theme="😀")
@example(title="a,b;c\\d:e", summary="x;y,z\\", theme="a,b;c")
@example(
    title="line one\nline two\r\nEND:VEVENT\nBEGIN:VEVENT", summary="END:VCALENDAR", theme="\n"
)
@example(title="長" * 5000 + "x" * 5000, summary="y" * 10000, theme="z" * 20)
def test_text_round_trips(title: str, summary: str, theme: str) -> None:
    session = Session(
        "x", title, "E", date=date(2025, 6, 16), summary=summary or None, themes=(theme,)
    )
    text = _write([session])
    raw = text.encode("utf-8")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == clean_text(title, newlines=False).strip()
    assert event.decoded("DTSTART") == date(2025, 6, 16)
    assert len(event.walk("VEVENT")) == 1  # no property or component smuggled in
    assert set(event) <= {
        "UID",
        "DTSTAMP",
        "SEQUENCE",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "CATEGORIES",
    }


def test_json_record_and_ics_agree_for_every_session(run) -> None:
    records = {r["id"]: r for r in json.loads(run("list", "-f", "json", "--tz", "UTC").out)}
    for uid, event in events(export(run)).items():
        record = records[uid]
        if record["kind"] == "timed":
            assert event.decoded("DTSTART") == datetime.fromisoformat(record["start_utc"])


# ------------------------------------------------------------------ --split and invitations


def test_split_writes_one_file_per_session_and_never_clobbers(run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    result = run("export", "--split", str(folder), "--event", "2020")
    assert result.code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "dc2020-biodiversity-cop.ics",
        "dc2020-forum.ics",
        "dc2020-green-recovery.ics",
        "dc2020-pathways-to-zero.ics",
    ]
    for path in folder.iterdir():
        (uid,) = events(path.read_text(encoding="utf-8"))
        assert f"{uid}.ics" == path.name
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = run("export", "--split", str(folder), "--event", "2020")
    assert again.code == 4
    assert "pass --force" in again.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert run("export", "--split", str(folder), "--event", "2020", "--force").code == 0


def test_split_names_stay_inside_and_apart() -> None:
    from dcal.ics import split_names

    sessions = [
        Session(i, "T", "E", date=date(2025, 1, 1)) for i in ("a:b", "a_b", "A_B", "x@y.z", "..a")
    ]
    names = split_names(sessions)
    assert len({n.lower() for n in names}) == len(names)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    assert names[0] == "a_b.ics" and names[1].startswith("a_b-")


def test_split_refuses_a_file_as_folder(run, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert run("export", "--split", str(target)).code == 4
    assert run("export", "--split", str(tmp_path / "d"), "-o", str(tmp_path / "x.ics")).code == 2


def test_invitations(run) -> None:
    text = export(
        run,
        "--id",
        "dc2025-cop30",
        "--method",
        "request",
        "--organizer",
        "mailto:office@bonn.example",
        "--attendee",
        "mayor@yokohama.example",
    )
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["METHOD"] == "REQUEST"
    assert text.index("METHOD:REQUEST") < text.index("BEGIN:VEVENT")
    (event,) = calendar.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:office@bonn.example"
    assert str(event["ATTENDEE"]) == "mailto:mayor@yokohama.example"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"


@pytest.mark.parametrize(
    "args",
    [
        ["--method", "request"],
        ["--attendee", "a@b.example"],
        ["--method", "request", "--organizer", "not an address"],
        ["--method", "request", "--organizer", "a@b.example\r\nATTENDEE:evil@x.example"],
        [
            "--method",
            "request",
            "--organizer",
            "a@b.example",
            "--attendee",
            "x@y.example;ROLE=CHAIR",
        ],
        ["--method", "cancel"],
    ],
)
def test_bad_invitations(run, args: list[str]) -> None:
    result = run("export", *args)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1


# ------------------------------------------------------------------ --state: SEQUENCE rises by itself


def _two_sessions(path: Path, first_title: str, revision: int = 0) -> None:
    path.write_text(
        f'[[sessions]]\nid = "a"\ntitle = "{first_title}"\nevent = "E"\ndate = 2025-06-16\nrevision = {revision}\n'
        '[[sessions]]\nid = "b"\ntitle = "Same"\nevent = "E"\ndate = 2025-06-17\n',
        encoding="utf-8",
    )


def test_state_raises_the_sequence_of_changed_events_only(run, tmp_path: Path) -> None:
    catalogue, state = tmp_path / "c.toml", tmp_path / "state.json"
    _two_sessions(catalogue, "Opening")
    first = export(run, "-c", str(catalogue), "--state", str(state))
    assert (
        export(run, "-c", str(catalogue), "--state", str(state)) == first
    )  # unchanged: same bytes
    _two_sessions(catalogue, "Opening (moved to Bonn)")
    second = events(export(run, "-c", str(catalogue), "--state", str(state)))
    assert (second["a"]["SEQUENCE"], second["b"]["SEQUENCE"]) == (1, 0)
    _two_sessions(catalogue, "Opening, again")
    third = events(export(run, "-c", str(catalogue), "--state", str(state)))
    assert third["a"]["SEQUENCE"] == 2
    _two_sessions(catalogue, "Opening, again", revision=7)  # a revision is never undercut
    assert events(export(run, "-c", str(catalogue), "--state", str(state)))["a"]["SEQUENCE"] == 7


def test_a_failed_export_keeps_the_state(run, tmp_path: Path) -> None:
    catalogue, state, target = tmp_path / "c.toml", tmp_path / "state.json", tmp_path / "out.ics"
    _two_sessions(catalogue, "Opening")
    assert run("export", "-c", str(catalogue), "--state", str(state), "-o", str(target)).code == 0
    kept = state.read_bytes()
    _two_sessions(catalogue, "Changed")
    assert run("export", "-c", str(catalogue), "--state", str(state), "-o", str(target)).code == 4
    assert state.read_bytes() == kept


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"version": 1}',
        '{"version": 2, "events": {}}',
        '{"version": 1, "events": {"x": {"hash": 1, "sequence": -1}}}',
    ],
)
def test_a_broken_state_file(run, tmp_path: Path, text: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(text, encoding="utf-8")
    result = run("export", "--state", str(state))
    assert (result.code, result.out) == (2, "")
    assert "not a dcal state file" in result.err


# ------------------------------------------------------------------ from a review against vobject, ics-py and libical


@pytest.mark.parametrize(
    "url",
    ["https://[oops", "https://a\u0001b.example/", "https://a\u202eb.example/", "ftp://x.example"],
)
def test_a_bad_catalogue_url_is_a_catalogue_error(run, tmp_path: Path, url: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"catalogue": {"url": url}, "sessions": []}), encoding="utf-8")
    result = run("export", "-c", str(path))
    assert (result.code, result.out) == (3, "")
    assert "catalogue: url" in result.err


def test_uid_hosts_are_plain_host_names() -> None:
    from dcal.ics import uid_domain

    assert uid_domain("https://daringcities.org/x") == "daringcities.org"
    assert uid_domain("https://[oops") == "dcal"
    assert uid_domain(None) == "dcal"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--id", "dc2025-cop30", "--method", "request", "--organizer", "o@x.example"],
            "at least one --attendee",
        ),
        (["--method", "publish"], "needs --organizer"),
        (
            ["--method", "request", "--organizer", "o@x.example", "--attendee", "a@x.example"],
            "holds one event",
        ),
    ],
)
def test_invitations_follow_rfc5546(run, args: list[str], message: str) -> None:
    result = run("export", *args)
    assert (result.code, result.out) == (2, "")
    assert message in result.err


def test_invitations_can_be_split(run, tmp_path: Path) -> None:
    args = [
        "--event",
        "2020",
        "--method",
        "request",
        "--organizer",
        "o@x.example",
        "--attendee",
        "a@x.example",
    ]
    assert run("export", *args, "--split", str(tmp_path / "inv")).code == 0
    assert len(list((tmp_path / "inv").iterdir())) == 4


def test_calendar_name_is_escaped(run) -> None:
    text = export(run, "--id", "dc2025-cop30", "--calendar-name", "C:\\new, a;b")
    assert "X-WR-CALNAME:C:\\\\new\\, a\\;b\r\n" in text


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_stamp_years(run, stamp: str) -> None:
    result = run("export", "--stamp", stamp)
    assert (result.code, result.out) == (2, "")
    assert "outside the years" in result.err


def test_sequence_stays_an_integer(run, tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    state.write_text(
        json.dumps(
            {
                "version": 1,
                "events": {"dc2025-cop30@daringcities.org": {"hash": "zz", "sequence": 2**31 - 1}},
            }
        ),
        encoding="utf-8",
    )
    result = run("export", "--id", "dc2025-cop30", "--state", str(state))
    assert (result.code, result.out) == (2, "")
    assert "SEQUENCE would pass" in result.err


def test_split_names_never_collide_with_hashed_names() -> None:
    from dcal.ics import split_names

    first = split_names([Session("x:y", "T", "E", date=date(2025, 1, 1))])
    assert first == ["x_y.ics"]
    hashed = split_names([Session(i, "T", "E", date=date(2025, 1, 1)) for i in ("x_y", "x:y")])[1]
    ids = (hashed.removesuffix(".ics"), "x:y", "x_y")
    names = split_names([Session(i, "T", "E", date=date(2025, 1, 1)) for i in ids])
    assert len({n.lower() for n in names}) == 3


def test_split_checks_every_target_before_writing(run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert run("export", "--split", str(folder), "--event", "2020").code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    (folder / "dc2020-pathways-to-zero.ics").unlink()
    (folder / "dc2020-pathways-to-zero.ics").mkdir()
    result = run("export", "--split", str(folder), "--event", "2020", "--force")
    assert result.code == 4
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == {
        k: v for k, v in before.items() if k != "dc2020-pathways-to-zero.ics"
    }


def test_state_must_be_a_writable_regular_file(run, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    target = tmp_path / "x.ics"
    assert run("export", "--state", str(fifo), "-o", str(target)).code == 4
    assert run("export", "--state", str(tmp_path / "no" / "s.json"), "-o", str(target)).code == 4
    assert not target.exists()


def test_vtimezone_has_no_top_level_comment(tmp_path: Path) -> None:
    from dcal.ics import vtimezones

    berlin = resolve_zone("Europe/Berlin")
    start = datetime(2025, 6, 17, 10, tzinfo=berlin.tz)
    zones = vtimezones(
        [Session("b", "T", "E", start=start, end=start + timedelta(hours=1), zone=berlin)]
    )
    assert "COMMENT" not in zones["Europe/Berlin"]


def test_a_title_of_control_characters_falls_back_to_the_id() -> None:
    text = _write([Session("only-controls", "\x01\x02", "E", date=date(2025, 1, 1))])
    assert "SUMMARY:only-controls\r\n" in text


def test_list_ics_ignores_display_zones(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_TZ", "Nowhere/City")
    assert run("list", "-f", "ics").code == 0
    assert run("show", "dc2025-cop30", "-f", "ics").code == 0


# A content line never holds a line break: text values have them escaped as \n.
LINE_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")


@given(st.text(st.sampled_from("ab\\^,;:é日本語🌍 \t") | LINE_CHARACTERS, max_size=400))
def test_fold_is_icalendars_fold(line: str) -> None:
    from icalendar.parser.string import _foldline

    from dcal.ics import fold

    assert fold(line) == _foldline(line)
