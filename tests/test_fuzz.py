"""Round trips over generated catalogues: the same sessions written as JSON, TOML and CSV load
the same, their instants are what the tz database says, and an .ics export read back by a real
parser holds the same events at the same instants. No input may give a silent wrong answer."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import tzdata
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dcal.catalogue import load_catalogue
from dcal.catalogue_write import toml_value
from dcal.ics import IcsOptions, write_ics
from dcal.model import Catalogue, exportable
from dcal.render import write_jsonl
from dcal.views import DisplayZone, session_record
from dcal.zones import resolve_zone

TZDATA = Path(tzdata.__file__).parent / "zoneinfo"

# The zone as written, and its meaning worked out here without dcal: a fixed offset (hours)
# or an IANA key (DST rules).
ZONES: dict[str, float | str] = {
    "UTC": 0,
    "UTC+2": 2,
    "UTC-03:30": -3.5,
    "GMT+5:45": 5.75,
    "JST": 9,
    "CEST": 2,
    "EDT": -4,
    "Europe/Berlin": "Europe/Berlin",
    "America/Sao_Paulo": "America/Sao_Paulo",
    "Asia/Kathmandu": "Asia/Kathmandu",
    "Australia/Lord_Howe": "Australia/Lord_Howe",
    "America/St_Johns": "America/St_Johns",
    "Pacific/Chatham": "Pacific/Chatham",
    "Africa/Casablanca": "Africa/Casablanca",
}
LIST_FIELDS = ("themes", "cities", "hosts", "speakers")

# Any text a person or a partner's tool may write: other scripts, combining and right-to-left
# characters, emoji, quotes, backslashes, control characters and line breaks (not NUL, which
# no CSV reader accepts, nor lone surrogates, which UTF-8 cannot hold).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip() != "")
ITEM = TEXT.filter(lambda t: ";" not in t)  # CSV lists are split on ";"


def expected_instant(wall: datetime, zone: str) -> datetime:
    meaning = ZONES[zone]
    if isinstance(meaning, str):
        with (TZDATA / meaning).open("rb") as rules:
            tz = ZoneInfo.from_file(rules, key=meaning)
        first, second = wall.replace(tzinfo=tz), wall.replace(tzinfo=tz, fold=1)
        assume(first.utcoffset() == second.utcoffset())  # DST gaps and repeats: tested elsewhere
        return first.astimezone(UTC)
    return wall.replace(tzinfo=timezone(timedelta(hours=meaning))).astimezone(UTC)


@st.composite
def sessions(draw: st.DrawFn) -> list[dict[str, object]]:
    count = draw(st.integers(1, 6))
    result = []
    for index in range(count):
        entry: dict[str, object] = {
            "id": f"s{index}-{draw(st.from_regex(r'[A-Za-z0-9._:@+-]{0,12}', fullmatch=True))}",
            "title": draw(TEXT),
            "event": draw(TEXT),
        }
        for name in LIST_FIELDS:
            if draw(st.booleans()):
                entry[name] = draw(st.lists(ITEM, min_size=1, max_size=3))
        if draw(st.booleans()):
            entry["summary"] = draw(TEXT)
        if draw(st.booleans()):
            entry["title_ja"] = draw(TEXT)
        kind = draw(st.sampled_from(["timed", "dated", "tba"]))
        if kind == "timed":
            wall = draw(
                st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31))
            ).replace(second=0, microsecond=0)
            entry["start"] = wall
            entry["end"] = wall + timedelta(minutes=draw(st.integers(1, 600)))
            entry["timezone"] = draw(st.sampled_from(sorted(ZONES)))
        elif kind == "dated":
            day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
            entry["date"] = day
            if draw(st.booleans()):
                entry["end_date"] = day + timedelta(days=draw(st.integers(0, 30)))
        result.append(entry)
    return result


def write_all(folder: Path, entries: list[dict[str, object]]) -> dict[str, Path]:
    plain = [
        {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in e.items()}
        for e in entries
    ]
    paths = {"json": folder / "c.json", "toml": folder / "c.toml", "csv": folder / "c.csv"}
    paths["json"].write_text(json.dumps({"sessions": plain}, ensure_ascii=False), encoding="utf-8")
    paths["toml"].write_text(
        "".join(
            "[[sessions]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in e.items())
            for e in entries
        ),
        encoding="utf-8",
    )
    columns = sorted({key for e in plain for key in e})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for e in plain:
        writer.writerow(
            ["; ".join(v) if isinstance(v := e.get(c, ""), list) else v for c in columns]
        )
    paths["csv"].write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return paths


def records(catalogue: Catalogue) -> list[dict[str, object]]:
    zones = [DisplayZone("UTC", resolve_zone("UTC")), DisplayZone("session", None)]
    return [session_record(s, zones, lang) for s in catalogue.sessions for lang in ("en", "ja")]


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=sessions())
def test_three_formats_one_catalogue(tmp_path: Path, entries: list[dict[str, object]]) -> None:
    paths = write_all(tmp_path, entries)
    loaded = {fmt: load_catalogue(str(path)) for fmt, path in paths.items()}
    assert records(loaded["json"]) == records(loaded["toml"]) == records(loaded["csv"])
    catalogue = loaded["json"]
    assert len(catalogue.sessions) == len(entries)
    by_id = {e["id"]: e for e in entries}
    for session in catalogue.sessions:
        entry = by_id[session.id]
        assert session.title == str(entry["title"]).strip()
        if session.start is not None:
            zone = str(entry["timezone"])
            start, end = entry["start"], entry["end"]
            assert isinstance(start, datetime) and isinstance(end, datetime)
            assert session.start.astimezone(UTC) == expected_instant(start, zone)
            assert session.end is not None
            assert session.end.astimezone(UTC) == expected_instant(end, zone)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=sessions())
def test_exports_read_back(tmp_path: Path, entries: list[dict[str, object]]) -> None:
    """jsonl read back gives the records; .ics read back by icalendar gives the instants."""
    catalogue = load_catalogue(str(write_all(tmp_path, entries)["json"]))
    zones = [DisplayZone("UTC", resolve_zone("UTC"))]
    lines = io.StringIO()
    write_jsonl((session_record(s, zones, "en") for s in catalogue.sessions), lines)
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == [
        session_record(s, zones, "en") for s in catalogue.sessions
    ]

    kept, _ = exportable(catalogue.sessions)
    out = io.StringIO(newline="")
    write_ics(kept, out, IcsOptions())
    text = out.getvalue()
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = {
        str(event["UID"]).rsplit("@", 1)[0]: event
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT")
    }
    assert sorted(events) == sorted(s.id for s in kept)
    for session in kept:
        event = events[session.id]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        if session.start is not None and session.end is not None:
            assert start.astimezone(UTC) == session.start.astimezone(UTC)
            assert end.astimezone(UTC) == session.end.astimezone(UTC)
        else:
            assert session.date is not None
            assert start == session.date
            assert end == (session.end_date or session.date) + timedelta(days=1)
