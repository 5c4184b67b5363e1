"""Add-to-calendar links: Google, Outlook and .ics, safe to put in a Markdown table."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import BUNDLED

from dcal.catalogue import load_catalogue
from dcal.ics import split_names
from dcal.links import (
    DETAILS_LIMIT,
    TEXT_LIMIT,
    calendar_links,
    google_link,
    ics_link,
    ics_names,
    links_for,
    outlook_link,
)
from dcal.model import Session
from dcal.render import clean_text
from dcal.zones import resolve_zone

SAFE_URL = re.compile(r"[A-Za-z0-9%._~:/?&=+-]*")


def timed(zone: str, start: datetime, end: datetime, **fields: Any) -> Session:
    """A timed session at wall-clock ``start``–``end`` in ``zone``."""
    resolved = resolve_zone(zone)
    fields = {"id": "s1", "title": "Climate talk", "event": "E", **fields}
    start, end = start.replace(tzinfo=resolved.tz), end.replace(tzinfo=resolved.tz)
    return Session(start=start, end=end, zone=resolved, **fields)


def query(url: str | None) -> dict[str, str]:
    """The link's parameters, each given once."""
    assert url is not None
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in parsed.values()), parsed
    return {name: values[0] for name, values in parsed.items()}


def base(url: str | None) -> str:
    assert url is not None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# ------------------------------------------------------------------------------ times


def test_berlin_summer_exact_urls() -> None:
    session = timed(
        "Europe/Berlin",
        datetime(2025, 6, 16, 10, 0),
        datetime(2025, 6, 16, 11, 30),
        location="Bonn",
        summary="Talks.",
        url="https://example.org/s1",
    )
    assert google_link(session) == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Climate%20talk"
        "&dates=20250616T100000/20250616T113000&details=Talks.%0Ahttps%3A%2F%2Fexample.org%2Fs1"
        "&location=Bonn&ctz=Europe%2FBerlin"
    )
    assert outlook_link(session) == (
        "https://outlook.office.com/calendar/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose"
        "&rru=addevent&subject=Climate%20talk&startdt=2025-06-16T08:00:00Z&enddt=2025-06-16T09:30:00Z"
        "&body=Talks.%0Ahttps%3A%2F%2Fexample.org%2Fs1&location=Bonn"
    )


@pytest.mark.parametrize(
    ("start", "end", "google_dates", "utc_start", "utc_end"),
    [
        # CET in winter: one hour ahead of UTC.
        (
            datetime(2025, 1, 15, 10, 0),
            datetime(2025, 1, 15, 11, 0),
            "20250115T100000/20250115T110000",
            "2025-01-15T09:00:00Z",
            "2025-01-15T10:00:00Z",
        ),
        # Across the spring change (02:00 CET → 03:00 CEST on 30 March).
        (
            datetime(2025, 3, 30, 1, 0),
            datetime(2025, 3, 30, 4, 0),
            "20250330T010000/20250330T040000",
            "2025-03-30T00:00:00Z",
            "2025-03-30T02:00:00Z",
        ),
        # Across the autumn change (03:00 CEST → 02:00 CET on 26 October): five hours.
        (
            datetime(2025, 10, 26, 0, 0),
            datetime(2025, 10, 26, 4, 0),
            "20251026T000000/20251026T040000",
            "2025-10-25T22:00:00Z",
            "2025-10-26T03:00:00Z",
        ),
    ],
)
def test_berlin_wall_clock_for_google_utc_for_outlook(
    start: datetime, end: datetime, google_dates: str, utc_start: str, utc_end: str
) -> None:
    session = timed("Europe/Berlin", start, end)
    google = query(google_link(session))
    assert google["dates"] == google_dates
    assert google["ctz"] == "Europe/Berlin"
    outlook = query(outlook_link(session))
    assert (outlook["startdt"], outlook["enddt"]) == (utc_start, utc_end)
    assert "allday" not in outlook


def test_wall_time_repeated_by_dst_falls_back_to_utc() -> None:
    # 02:30 occurs twice on 26 October 2025 in Berlin; this is the second one (CET).
    zone = resolve_zone("Europe/Berlin")
    start = datetime(2025, 10, 26, 2, 30, tzinfo=zone.tz, fold=1)
    session = Session(
        "r", "Repeat", "E", start=start, end=datetime(2025, 10, 26, 4, 0, tzinfo=zone.tz), zone=zone
    )
    google = query(google_link(session))
    assert google["dates"] == "20251026T013000Z/20251026T030000Z"
    assert "ctz" not in google


@pytest.mark.parametrize(
    ("zone", "dates"),
    [
        ("UTC+2", "20250616T080000Z/20250616T093000Z"),
        ("UTC-03:30", "20250616T133000Z/20250616T150000Z"),
        ("UTC", "20250616T100000Z/20250616T113000Z"),
    ],
)
def test_fixed_offset_or_utc_gives_utc_without_ctz(zone: str, dates: str) -> None:
    session = timed(zone, datetime(2025, 6, 16, 10, 0), datetime(2025, 6, 16, 11, 30))
    google = query(google_link(session))
    assert google["dates"] == dates
    assert "ctz" not in google
    start, end = dates.split("/")
    outlook = query(outlook_link(session))
    assert (
        outlook["startdt"]
        == f"{start[:4]}-{start[4:6]}-{start[6:8]}T{start[9:11]}:{start[11:13]}:00Z"
    )
    assert outlook["enddt"] == f"{end[:4]}-{end[4:6]}-{end[6:8]}T{end[9:11]}:{end[11:13]}:00Z"


def test_abbreviation_zone_shows_its_region_clock() -> None:
    # "CEST" reads wall times as UTC+02:00 and shows them on the Europe/Berlin clock.
    zone = resolve_zone("CEST")
    start = datetime(2025, 1, 15, 10, 0, tzinfo=zone.wall)  # 08:00 UTC, 09:00 in Berlin (CET)
    session = Session(
        "a", "T", "E", start=start, end=datetime(2025, 1, 15, 11, 0, tzinfo=zone.wall), zone=zone
    )
    google = query(google_link(session))
    assert (google["dates"], google["ctz"]) == ("20250115T090000/20250115T100000", "Europe/Berlin")


def test_session_crossing_midnight_in_its_zone() -> None:
    session = timed("Asia/Tokyo", datetime(2025, 6, 16, 23, 0), datetime(2025, 6, 17, 1, 0))
    google = query(google_link(session))
    assert (google["dates"], google["ctz"]) == ("20250616T230000/20250617T010000", "Asia/Tokyo")
    outlook = query(outlook_link(session))
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2025-06-16T14:00:00Z",
        "2025-06-16T16:00:00Z",
    )


def test_three_day_session_has_exclusive_ends() -> None:
    session = Session(
        "d", "Bonn Dialogues", "E", date=date(2025, 6, 16), end_date=date(2025, 6, 18)
    )
    assert google_link(session) == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Bonn%20Dialogues&dates=20250616/20250619"
    )
    assert outlook_link(session) == (
        "https://outlook.office.com/calendar/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose"
        "&rru=addevent&subject=Bonn%20Dialogues&startdt=2025-06-16&enddt=2025-06-19&allday=true"
    )


def test_one_day_session_and_year_end() -> None:
    session = Session("d", "T", "E", date=date(2025, 12, 31))
    assert query(google_link(session))["dates"] == "20251231/20260101"
    outlook = query(outlook_link(session))
    assert (outlook["startdt"], outlook["enddt"], outlook["allday"]) == (
        "2025-12-31",
        "2026-01-01",
        "true",
    )


def test_early_years_are_zero_padded() -> None:
    session = timed("UTC", datetime(99, 1, 1, 10, 0), datetime(99, 1, 1, 11, 0))
    assert query(google_link(session))["dates"] == "00990101T100000Z/00990101T110000Z"
    assert query(outlook_link(session))["startdt"] == "0099-01-01T10:00:00Z"


def test_tba_has_no_links() -> None:
    session = Session("t", "Later", "E")
    assert google_link(session) is None
    assert outlook_link(session) is None
    assert calendar_links(session, "en", "https://example.org/cal/t.ics") == []


# ------------------------------------------------------------------------------- text


def test_location_falls_back_to_cities_and_translations_are_used() -> None:
    session = timed(
        "Asia/Tokyo",
        datetime(2025, 6, 16, 10, 0),
        datetime(2025, 6, 16, 11, 0),
        cities=("Yokohama", "Bonn"),
        translations={"ja": {"title": "気候の話", "cities": ("横浜市", "ボン")}},
    )
    assert query(google_link(session))["location"] == "Yokohama, Bonn"
    japanese = query(outlook_link(session, "ja"))
    assert (japanese["subject"], japanese["location"]) == ("気候の話", "横浜市, ボン")


def test_empty_title_falls_back_to_the_id_like_the_export() -> None:
    session = timed(
        "UTC", datetime(2025, 6, 16, 10, 0), datetime(2025, 6, 16, 11, 0), id="s-9", title=" \x1b "
    )
    assert query(google_link(session))["text"] == "s-9"


HOSTILE = "a | b) [x](javascript:alert(1)) `code` <b>\"q\" 'q'\n\x1b[31mred\u202eevil\r\n\ttab"


def test_hostile_text_is_encoded_and_decodes_to_the_cleaned_text() -> None:
    long_title, long_summary = HOSTILE + "x" * 10_000, HOSTILE + "y" * 10_000
    session = timed(
        "Europe/Berlin",
        datetime(2025, 6, 16, 10, 0),
        datetime(2025, 6, 16, 11, 0),
        title=long_title,
        summary=long_summary,
        location=HOSTILE,
        url="https://example.org/a?b=1&c=(2)",
    )
    for link in (google_link(session), outlook_link(session)):
        assert link is not None
        assert SAFE_URL.fullmatch(link), link
        params = query(link)
        title = params.get("text", params.get("subject"))
        assert title is not None and len(title) == TEXT_LIMIT and title.endswith("…")
        assert clean_text(long_title, newlines=False).strip().startswith(title[:-1])
        assert params["location"] == clean_text(HOSTILE, newlines=False).strip()
        details = params.get("details", params.get("body"))
        assert details is not None
        assert len(details) == DETAILS_LIMIT
        summary, url = details.rsplit("\n", 1)
        assert url == "https://example.org/a?b=1&c=(2)"  # the URL survives the cut
        assert summary.endswith("…")
        assert clean_text(long_summary).startswith(summary[:-1])
        assert "\x1b" not in details and "\u202e" not in details


@given(title=st.text(max_size=200), summary=st.text(max_size=200) | st.none())
def test_any_text_gives_url_safe_links_that_parse_back(title: str, summary: str | None) -> None:
    session = timed(
        "Europe/Berlin",
        datetime(2025, 6, 16, 10, 0),
        datetime(2025, 6, 16, 11, 0),
        title=title,
        summary=summary,
    )
    expected = clean_text(title, newlines=False).strip() or "s1"
    for link, field in ((google_link(session), "text"), (outlook_link(session), "subject")):
        assert link is not None
        assert SAFE_URL.fullmatch(link), link
        assert query(link)[field] == expected
    details = clean_text(summary or "").strip()
    assert query(google_link(session)).get("details", "") == details


# ------------------------------------------------------------------------------- .ics


@pytest.mark.parametrize(
    ("name", "base", "expected"),
    [
        ("s1.ics", "https://example.org/cal/", "https://example.org/cal/s1.ics"),
        ("s1.ics", "https://example.org/cal", "https://example.org/cal/s1.ics"),
        ("s1.ics", "https://example.org/cal//", "https://example.org/cal/s1.ics"),
        ("s1.ics", "cal", "cal/s1.ics"),
        ("s1.ics", "cal/", "cal/s1.ics"),
        ("s1.ics", "/", "/s1.ics"),
        ("s1.ics", "", "s1.ics"),
        (
            "a b#c.ics",
            "https://example.org/my cal|x/",
            "https://example.org/my%20cal%7Cx/a%20b%23c.ics",
        ),
        ("x.ics", "https://example.org/%7Euser/\n", "https://example.org/%7Euser/x.ics"),
    ],
)
def test_ics_link(name: str, base: str, expected: str) -> None:
    assert ics_link(name, base) == expected


def test_ics_names_match_the_split_export_and_skip_tba() -> None:
    sessions = [
        Session("a:b", "T", "E", date=date(2025, 1, 1)),
        Session("tba", "T", "E"),
        Session("a_b", "T", "E", date=date(2025, 1, 2)),
    ]
    exported = split_names([sessions[0], sessions[2]])  # export --split leaves TBA out
    assert ics_names(sessions) == [exported[0], None, exported[1]]
    assert exported[0] == "a_b.ics" and exported[1].startswith("a_b-")


def test_calendar_links_and_links_for() -> None:
    dated = Session("d 1", "T", "E", date=date(2025, 6, 16))
    tba = Session("t", "T", "E")
    assert [label for label, _ in calendar_links(dated, "en", None)] == ["Google", "Outlook"]
    result = links_for([dated, tba], "en", "https://example.org/cal")
    assert [[label for label, _ in links] for links in result] == [
        ["Google", "Outlook", ".ics"],
        [],
    ]
    assert result[0][2] == (".ics", "https://example.org/cal/d_1.ics")
    assert result[0][:2] == calendar_links(dated)
    assert links_for([dated]) == [calendar_links(dated)]


def test_bundled_session() -> None:
    sessions = {s.id: s for s in load_catalogue(str(BUNDLED)).sessions}
    session = sessions["dc2020-green-recovery"]  # 10:00–11:30 UTC+2 on 21 October 2020
    google = query(google_link(session))
    assert (google["dates"], "ctz" in google) == ("20201021T080000Z/20201021T093000Z", False)
    assert google["location"] == "Online (Daring Cities 2020)"
    outlook = query(outlook_link(session, "ja"))
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2020-10-21T08:00:00Z",
        "2020-10-21T09:30:00Z",
    )
    assert outlook["location"] == "オンライン(Daring Cities 2020)"


def test_module_imports_nothing_heavy() -> None:
    code = (
        "import sys, dcal.links; print(sorted({'icalendar', 'rich', 'typer'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ------------------------------------------------------------------ dcal list -f md --links


def test_markdown_links_column(run, golden) -> None:
    result = run("list", "-f", "md", "--links", "--tz", "JST", "--ics-base", "https://x.org/cal/")
    assert result.code == 0, result.err
    golden("list-links.md", result.out)
    lines = result.out.splitlines()
    assert lines[0].endswith("| Add to calendar |")
    green = next(line for line in lines if "dc2020-green-recovery" in line)
    cell = green.rsplit(" | ", 1)[1].removesuffix(" |")
    labels = re.findall(r"\[([^\]]+)\]\(([^)\s]+)\)", cell)
    assert [label for label, _ in labels] == ["Google", "Outlook", ".ics"]
    assert labels[2][1] == "https://x.org/cal/dc2020-green-recovery.ics"
    tba = next(line for line in lines if "dc2025-reflect-1" in line)
    assert tba.endswith("|   |")  # no calendar can hold a session with no date


def test_markdown_links_cannot_be_broken_by_catalogue_text(run, tmp_path) -> None:
    catalogue = tmp_path / "c.json"
    catalogue.write_text(
        '{"sessions": [{"id": "x", "title": "a|b](javascript:alert(1)) [c]", "event": "E",'
        ' "timezone": "Europe/Berlin", "start": "2025-06-18 10:00", "end": "2025-06-18 11:00",'
        ' "summary": "line\\n| --- |\\n<script>"}]}',
        encoding="utf-8",
    )
    result = run("list", "-c", str(catalogue), "-f", "md", "--links", "--tz", "UTC")
    row = result.out.splitlines()[2]
    assert row.count(" | ") == 3  # four cells, as the heading says
    assert "\\](javascript" in row  # the title's bracket is escaped: text, not a link
    for url in re.findall(r"(?<!\\)\]\(([^)]*)\)", row):
        assert re.fullmatch(r"[A-Za-z0-9%._~:/?&=+-]+", url)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--links"], "--links adds calendar links to Markdown: use it with -f md"),
        (["-f", "md", "--ics-base", "x"], "--ics-base sets where the links of --links point"),
    ],
)
def test_links_usage_errors(run, args: list[str], message: str) -> None:
    result = run("list", *args)
    assert result.code == 2
    assert message in result.err
