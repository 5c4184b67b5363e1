"""Times per zone, day-shift markers, and records."""

from __future__ import annotations

from datetime import datetime

import pytest
from tests.conftest import BUNDLED

from dcal.catalogue import load_catalogue
from dcal.model import Session
from dcal.views import DisplayZone, session_record, shift_text, time_cell, zone_time
from dcal.zones import resolve_zone


@pytest.fixture(scope="module")
def by_id() -> dict[str, Session]:
    return {s.id: s for s in load_catalogue(str(BUNDLED)).sessions}


def cell(session: Session, zone: str) -> str:
    display = DisplayZone(zone, resolve_zone(zone))
    return "".join(text for text, _ in time_cell(zone_time(session, display), "en"))


@pytest.mark.parametrize(
    ("session_id", "zone", "expected"),
    [
        ("dc2020-green-recovery", "UTC", "08:00–09:30 UTC"),
        ("dc2020-pathways-to-zero", "UTC", "08:00–10:00 UTC"),
        ("dc2020-biodiversity-cop", "UTC", "14:00–15:30 UTC"),
        ("dc2020-green-recovery", "JST", "17:00–18:30 JST"),
        ("dc2020-pathways-to-zero", "JST", "17:00–19:00 JST"),
        ("dc2020-biodiversity-cop", "JST", "23:00–00:30 JST (+1 day)"),
        ("dc2020-biodiversity-cop", "Pacific/Kiritimati", "04:00–05:30 (+1 day)"),
        ("dc2020-green-recovery", "America/Belem", "05:00–06:30"),
        ("dc2020-green-recovery", "Pacific/Pago_Pago", "21:00–22:30 SST (−1 day)"),
        ("dc2020-green-recovery", "Europe/Berlin", "10:00–11:30 CEST"),
        ("dc2025-bonn-dialogues", "JST", "all day"),
        ("dc2025-reflect-1", "JST", "TBA"),
    ],
)
def test_time_cells(by_id: dict[str, Session], session_id: str, zone: str, expected: str) -> None:
    assert cell(by_id[session_id], zone) == expected


def test_start_shift_differs_from_end_shift(by_id: dict[str, Session]) -> None:
    # 14:00–15:30 UTC in UTC-10:30 would be 03:30–05:00; use a zone where only the start moves back.
    session = by_id["dc2020-green-recovery"]  # 08:00–09:30 UTC
    text = cell(session, "UTC-08:30")
    assert text == "23:30 (−1 day)–01:00"


def test_shift_text() -> None:
    assert shift_text(1) == "+1 day"
    assert shift_text(-2) == "\u22122 days"
    assert shift_text(0) == ""


def test_record_fields(by_id: dict[str, Session]) -> None:
    zones = [DisplayZone("JST", resolve_zone("JST")), DisplayZone("session", None)]
    record = session_record(by_id["dc2020-biodiversity-cop"], zones, "en")
    assert record["start"] == "2020-10-22T16:00:00+02:00"
    assert record["start_utc"] == "2020-10-22T14:00:00+00:00"
    assert record["times"][0] == {
        "zone": "JST",
        "tz": "Asia/Tokyo",
        "start": "2020-10-22T23:00:00+09:00",
        "end": "2020-10-23T00:30:00+09:00",
        "day_shift": 0,
        "end_day_shift": 1,
    }
    assert record["times"][1]["tz"] == "UTC+02:00"


def test_dated_record_never_shifts(by_id: dict[str, Session]) -> None:
    zones = [DisplayZone("Pacific/Kiritimati", resolve_zone("Pacific/Kiritimati"))]
    record = session_record(by_id["dc2025-bonn-dialogues"], zones, "ja")
    assert (record["start"], record["end"], record["all_day"]) == ("2025-06-16", "2025-06-18", True)
    assert record["start_utc"] is None
    assert record["times"][0]["start"] == "2025-06-16"
    assert record["times"][0]["day_shift"] == 0
    assert record["title"] == "ボン・ダイアログ"


def test_session_zone_of_an_iana_session() -> None:
    session = Session(
        "x",
        "T",
        "E",
        start=datetime(2025, 3, 30, 3, 30, tzinfo=resolve_zone("Europe/Berlin").tz),
        end=datetime(2025, 3, 30, 4, 30, tzinfo=resolve_zone("Europe/Berlin").tz),
        zone=resolve_zone("Europe/Berlin"),
    )
    assert cell(session, "UTC") == "01:30–02:30 UTC"
    seen = zone_time(session, DisplayZone("session", None))
    assert seen.tz_name == "Europe/Berlin"
