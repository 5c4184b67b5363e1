"""Sheets written for people, not for dcal: CSV with their own column names."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcal.catalogue import load_catalogue
from dcal.errors import CatalogueError, DcalError

# Google Calendar's CSV import format, as an organizer fills it in.
GOOGLE = """\
Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location,Private
Bonn Dialogues opening,06/16/2025,10:00 AM,06/16/2025,11:30 AM,False,"Opening, with mayors",WCCB,False
Bonn Dialogues,06/16/2025,,06/18/2025,,True,Three days,Bonn,False
Late reception,06/16/2025,11:00 PM,06/17/2025,1:00 AM,False,,,False
"""
# Outlook's export: all-day events end at 0:00 on the day after.
OUTLOOK = """\
"Subject","Start Date","Start Time","End Date","End Time","All day event","Categories"
"High-level dialogue","18.6.2025","0:00:00","19.6.2025","0:00:00","True","Finance"
"Webinar","18.6.2025","17:00:00","18.6.2025","18:30:00","False","Finance;Adaptation"
"""
# A programme sheet with a zone column.
PROGRAMME = """\
Title,Date,Start,End,Time zone,Speakers,Track,Room
Opening,2025-11-10,09:00,10:30,America/Belem,"Ana; Bruno",COP30,Plenary
Tokyo side event,2025-11-11,23:00,00:30,JST,,COP30,
"""


def load(tmp_path: Path, text: str, name: str = "sheet.csv", **kwargs: str) -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_catalogue(str(path), **kwargs)


def utc_spans(catalogue) -> dict[str, tuple[datetime, datetime]]:
    return {
        s.id: (s.start.astimezone(UTC), s.end.astimezone(UTC))
        for s in catalogue.sessions
        if s.start is not None
    }


def test_google_calendar_sheet(tmp_path: Path) -> None:
    catalogue = load(tmp_path, GOOGLE, timezone="Europe/Berlin")
    spans = utc_spans(catalogue)
    assert spans["bonn-dialogues-opening"] == (
        datetime(2025, 6, 16, 8, tzinfo=UTC),
        datetime(2025, 6, 16, 9, 30, tzinfo=UTC),
    )
    # 23:00 to 01:00 the next day
    assert spans["late-reception"][1] - spans["late-reception"][0] == (
        datetime(2025, 6, 17, 1) - datetime(2025, 6, 16, 23)
    )
    days = {s.id: (s.date, s.end_date) for s in catalogue.sessions if s.date}
    assert days == {"bonn-dialogues": (datetime(2025, 6, 16).date(), datetime(2025, 6, 18).date())}
    opening = next(s for s in catalogue.sessions if s.id == "bonn-dialogues-opening")
    assert (opening.summary, opening.location, opening.event) == (
        "Opening, with mayors",
        "WCCB",
        "sheet",
    )
    assert any("read month first" in w for w in catalogue.warnings)
    assert any("columns not read: 'Private'" in w for w in catalogue.warnings)


def test_times_with_no_zone_are_utc_and_said(tmp_path: Path) -> None:
    catalogue = load(tmp_path, GOOGLE)
    assert utc_spans(catalogue)["bonn-dialogues-opening"][0] == datetime(
        2025, 6, 16, 10, tzinfo=UTC
    )
    assert any(
        "2 rows with times but no zone: read as UTC (name the zone with --timezone)" in w
        for w in catalogue.warnings
    )


def test_outlook_export(tmp_path: Path) -> None:
    catalogue = load(tmp_path, OUTLOOK, timezone="Asia/Tokyo")
    dialogue = next(s for s in catalogue.sessions if s.id == "high-level-dialogue")
    # all day on 18 June: Outlook's end (0:00 on the 19th) is exclusive
    assert (dialogue.date, dialogue.end_date) == (datetime(2025, 6, 18).date(), None)
    webinar = next(s for s in catalogue.sessions if s.id == "webinar")
    assert webinar.start is not None and webinar.start.astimezone(UTC) == datetime(
        2025, 6, 18, 8, tzinfo=UTC
    )
    assert webinar.themes == ("Finance", "Adaptation")


def test_programme_sheet_with_zones(tmp_path: Path) -> None:
    catalogue = load(tmp_path, PROGRAMME)
    spans = utc_spans(catalogue)
    assert spans["opening"][0] == datetime(2025, 11, 10, 12, tzinfo=UTC)
    assert spans["tokyo-side-event"] == (
        datetime(2025, 11, 11, 14, tzinfo=UTC),
        datetime(2025, 11, 11, 15, 30, tzinfo=UTC),
    )
    opening = next(s for s in catalogue.sessions if s.id == "opening")
    assert (opening.speakers, opening.themes, opening.location) == (
        ("Ana", "Bruno"),
        ("COP30",),
        "Plenary",
    )
    assert [w.split(": ", 1)[1] for w in catalogue.warnings] == [
        "1 row ending at a clock time before the start: read as ending the next day, e.g. row 3"
    ]


def test_day_first_when_a_date_says_so(tmp_path: Path) -> None:
    text = "Title,Date,Start,End\nA,18/06/2025,10:00,11:00\nB,06/07/2025,10:00,11:00\n"
    catalogue = load(tmp_path, text, timezone="UTC")
    starts = {s.id: s.start.date() for s in catalogue.sessions if s.start}
    assert starts == {"a": datetime(2025, 6, 18).date(), "b": datetime(2025, 7, 6).date()}
    assert any("read day first" in w for w in catalogue.warnings)


def test_sheet_is_recognised_without_the_csv_name(tmp_path: Path) -> None:
    catalogue = load(tmp_path, PROGRAMME, name="programme.txt")
    assert len(catalogue.sessions) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title,Date,Start\n,2025-06-18,10:00\n", "row 2: title: missing"),
        ("Title,Date,Start\nA,2025-13-01,10:00\n", "row 2: date: '2025-13-01' is not a date"),
        ("Title,Date,Start\nA,2025-06-18,25:99\n", "row 2: start: '25:99' is not a time"),
        ("Title,Start,End\nA,10:00,11:00\n", "row 2: no date: give a date (YYYY-MM-DD)"),
        ("Title,Date,End\nA,2025-06-18,11:00\n", "row 2: start: a time is missing"),
        ("Colour,Size\nred,3\n", "no 'id' column, and no title and start or date columns"),
    ],
)
def test_bad_sheets(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, text)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), max_size=5))
def test_any_sheet_loads_or_explains(tmp_path_factory, rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Subject", "Start Date", "Start Time", "End Time", "Time zone", "Notes"])
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("sheet") / "s.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="replace")
    with contextlib.suppress(DcalError):  # loads, or says why: never anything else
        load_catalogue(str(path))


def test_hours_past_midnight_as_dcal_reads_them(tmp_path: Path) -> None:
    text = "Title,Date,Start,End\nLate,2025-06-18,24:00,24:30\nLater,2025-06-18,23:30,24:30\n"
    spans = utc_spans(load(tmp_path, text, timezone="UTC"))
    assert spans["late"] == (
        datetime(2025, 6, 19, 0, tzinfo=UTC),
        datetime(2025, 6, 19, 0, 30, tzinfo=UTC),
    )
    assert spans["later"][1] == datetime(2025, 6, 19, 0, 30, tzinfo=UTC)


def test_hours_past_25_as_japanese_listings_write_them(tmp_path: Path) -> None:
    text = "Title,Date,Start,End\nNight,2025-06-18,23:30,25:00\n"
    spans = utc_spans(load(tmp_path, text, timezone="UTC"))
    assert spans["night"][1] == datetime(2025, 6, 19, 1, 0, tzinfo=UTC)


def test_lists_urls_and_repeated_titles(tmp_path: Path) -> None:
    text = (
        "Title,Date,Speakers,Tags,URL\n"
        'Panel,2025-06-18,"Smith, John; Doe, Jane","a, b",www.example.org\n'
        "Panel,2025-06-19,,,https://example.org/p\n"
    )
    catalogue = load(tmp_path, text)
    first, second = catalogue.sessions
    assert (first.id, second.id) == ("panel", "panel-2")
    assert first.speakers == ("Smith, John", "Doe, Jane")
    assert first.themes == ("a", "b")
    assert (first.url, second.url) == (None, "https://example.org/p")
    notes = [w.split(": ", 1)[1] for w in catalogue.warnings]
    assert "1 row with a url that is not an http(s) URL: left out, e.g. row 2" in notes
    assert (
        "1 id given to more than one event: the later ones renamed, e.g. panel → panel-2" in notes
    )


def test_problems_name_the_row(tmp_path: Path) -> None:
    text = "Title,Date,Start,End,Time zone\nA,2025-06-18,10:00,11:00,UTC\nB,2025-06-18,10:00,11:00,Mars\n"
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, text)
    assert caught.value.problems[0].startswith(f"{tmp_path / 'sheet.csv'}: session 'b' (row 3): ")


def test_an_abbreviation_given_keeps_its_offset(tmp_path: Path) -> None:
    # "CET" is +01:00 for times written with it, even in June (as everywhere in dcal).
    text = "Title,Date,Start,End\nA,2025-06-18,10:00,11:00\n"
    spans = utc_spans(load(tmp_path, text, timezone="CET"))
    assert spans["a"][0] == datetime(2025, 6, 18, 9, tzinfo=UTC)


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    text = "Title,Name,Date\nClimate finance,Ada Lovelace,2025-06-18\n"
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, text)
    assert caught.value.problems == [
        f"{tmp_path / 'sheet.csv'}: row 1: columns 'Title' and 'Name' both give the title; "
        "keep one, or rename the other"
    ]


def test_an_end_equal_to_the_start_is_an_hour(tmp_path: Path) -> None:
    catalogue = load(tmp_path, "Title,Date,Start,End\nA,2025-06-18,10:00,10:00\n", timezone="UTC")
    start, end = utc_spans(catalogue)["a"]
    assert end - start == timedelta(hours=1)
    assert any("an end equal to it): assumed an hour, e.g. row 2" in w for w in catalogue.warnings)


def test_beyond_the_years(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load(tmp_path, "Title,Date,Start,End\nA,9999-12-31,23:00,01:00\n")
    assert caught.value.problems[0].endswith("row 2: outside the years dcal supports (0002–9998)")


def test_an_id_column_beside_calendar_columns_is_a_sheet(tmp_path: Path) -> None:
    text = "id,Subject,Start Date,Start Time,End Time\nt1,Opening,2025-06-18,10:00,11:00\n"
    (session,) = load(tmp_path, text, timezone="UTC").sessions
    assert (session.id, session.title) == ("t1", "Opening")


def test_many_repeated_titles(tmp_path: Path) -> None:
    rows = "".join(f"Break,2025-06-18,{h % 24:02d}:00\n" for h in range(3000))
    catalogue = load(tmp_path, "Title,Date,Start\n" + rows, timezone="UTC")
    ids = [s.id for s in catalogue.sessions]
    assert len(set(ids)) == 3000 and "break-3000" in ids
