"""Announcements as organizers publish them: parsing, placing parts, and comparing them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from dcal.announce import parse_announcement, read_parts, tokenize, weekday_differences
from dcal.errors import TimeParseError
from dcal.zones import localize, resolve_zone

HINT = date(2025, 6, 1)
CITIES = {"Bonn": "Europe/Berlin", "Belém": "America/Belem"}


def parts_of(text: str, **kwargs: object) -> list[tuple[str, str, str | None]]:
    announcement = parse_announcement(text, year_hint=HINT, cities=CITIES, **kwargs)  # type: ignore[arg-type]
    return [
        (p.zone.text, p.start.label, p.end.label if p.end else None) for p in announcement.parts
    ]


def utc_range(text: str) -> tuple[str, str | None]:
    """The first part's instants in UTC, as 'YYYY-MM-DD HH:MM'."""
    announcement = parse_announcement(text, year_hint=HINT, cities=CITIES)
    first = read_parts(announcement, default_day=HINT)[0]
    end = first.end.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if first.end else None
    return first.start.astimezone(UTC).strftime("%Y-%m-%d %H:%M"), end


def differences(text: str) -> list[tuple[str, str, str, str]]:
    announcement = parse_announcement(text, year_hint=HINT, cities=CITIES)
    return [
        (r.part.zone.text, d.what, d.published, d.computed)
        for r in read_parts(announcement, default_day=HINT)
        for d in r.differences
    ]


# Styles seen on conference, webinar and city pages: (text, first part in UTC, differences).
STYLES = [
    # the seeds
    (
        "21 October 2020 @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST",
        ("2020-10-21 08:00", "2020-10-21 09:30"),
        [("JST", "end", "18:45", "18:30")],
    ),
    (
        "22 October 2020 @ 16:00 – 17:30 UTC+2/ 23:00 – 24:30 JST",
        ("2020-10-22 14:00", "2020-10-22 15:30"),
        [],
    ),
    (
        "22 October 2020 @ 10:00 – 12:00 UTC+2/ 17:00 -19:00 JST",
        ("2020-10-22 08:00", "2020-10-22 10:00"),
        [],
    ),
    # English, US order, shared am/pm
    (
        "October 21, 2025, 9:00-10:00 am EDT / 15:00-16:00 CEST",
        ("2025-10-21 13:00", "2025-10-21 14:00"),
        [],
    ),
    ("June 18, 2025 9-10am EDT", ("2025-06-18 13:00", "2025-06-18 14:00"), []),
    ("18 June 2025, 11-1pm EDT", ("2025-06-18 15:00", "2025-06-18 17:00"), []),
    ("18 June 2025, 11am – 1pm EDT / 5pm – 7pm CEST", ("2025-06-18 15:00", "2025-06-18 17:00"), []),
    ("9:30–11:00 a.m. ET, March 12, 2025", ("2025-03-12 13:30", "2025-03-12 15:00"), []),
    ("noon–1:30 pm EST, 5 Dec 2025", ("2025-12-05 17:00", "2025-12-05 18:30"), []),
    ("from 9am to 5pm PT on Jan 5, 2026", ("2026-01-05 17:00", "2026-01-06 01:00"), []),
    # weekdays, pipes, parentheses, dots, long zone names, em dashes
    (
        "Wednesday, 18 June 2025 | 10:00–11:30 CEST (17:00–18:30 JST)",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("Tuesday, 21 October 2025 · 17:00–18:30 CEST", ("2025-10-21 15:00", "2025-10-21 16:30"), []),
    (
        "18 June 2025 — 10:00—11:30 Central European Summer Time",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("Thu, 1 May 2025, 14:00 – 15:30 GMT+1", ("2025-05-01 13:00", "2025-05-01 14:30"), []),
    ("18.06.2025, 10:00 Uhr (Bonn time)", ("2025-06-18 08:00", None), []),
    ("2025-06-18 10:00 Europe/Berlin", ("2025-06-18 08:00", None), []),
    ("2025/06/18 (Wed) 17:00-18:30 JST", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    # zones before the times, the date last, a zone restated in parentheses
    (
        "JST 17:00-18:00 / CEST 10:00-11:00, 18 June 2025",
        ("2025-06-18 08:00", "2025-06-18 09:00"),
        [],
    ),
    ("10:00 CEST (UTC+2) / 17:00 JST on 18 June 2025", ("2025-06-18 08:00", None), []),
    ("17:00-18:45 JST, 21 Oct 2020", ("2020-10-21 08:00", "2020-10-21 09:45"), []),
    ("22 Oct 2020, 23:00 JST – 00:30 JST", ("2020-10-22 14:00", "2020-10-22 15:30"), []),
    ("10:00 to 11:30 CET on 3 Dec 2025", ("2025-12-03 09:00", "2025-12-03 10:30"), []),
    # a date per part, and a part on the next day
    ("Oct 21, 2025, 8 pm EDT / Oct 22, 2 am CEST", ("2025-10-22 00:00", None), []),
    (
        "21 October 2020 20:00 – 21:00 UTC+2 / 03:00 – 04:00 JST",
        ("2020-10-21 18:00", "2020-10-21 19:00"),
        [],
    ),
    (
        "21 October 2020 10:00 – 11:30 UTC+2 / 17:00 – 18:30 JST / 05:00 – 06:30 (UTC-3)",
        ("2020-10-21 08:00", "2020-10-21 09:30"),
        [],
    ),
    # Japanese
    ("2025年6月18日(水) 17:00~18:30 (日本時間)", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    (
        "6月18日(水) 10:00-11:30 CEST / 17:00-18:30 JST",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "６月１８日（水）１７時～１８時３０分（日本時間）",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("2025年6月18日 午後5時～午後6時半 日本時間", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    (
        "2025年6月18日(水)10:00〜11:30(ドイツ時間)/17:00〜18:30(日本時間)",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "2025年6月18日 17時～18時45分 日本時間 / 10:00～11:30 中央ヨーロッパ夏時間",
        ("2025-06-18 08:00", "2025-06-18 09:45"),
        [("中央ヨーロッパ夏時間", "end", "11:30", "11:45")],
    ),
    # fixed offsets in every spelling
    ("21 October 2025 10:00 UTC−3", ("2025-10-21 13:00", None), []),
    ("21 October 2025 10:00 (+05:30)", ("2025-10-21 04:30", None), []),
    (
        "21 October 2025 10:00 GMT -3 / 15:00 CET",
        ("2025-10-21 13:00", None),
        [("CET", "start", "15:00", "14:00")],
    ),
    ("21 October 2025 10:00 UTC+09:00", ("2025-10-21 01:00", None), []),
    ("2025-06-18T10:00+02:00", ("2025-06-18 08:00", None), []),
    ("2025-06-18T10:00Z / 19:00 JST", ("2025-06-18 10:00", None), []),
    # zones glued to the next time, four-digit times, dots, Uhr, seconds, other scripts' digits
    ("18 June 2025, 10am ET/7am PT", ("2025-06-18 14:00", None), []),
    ("18 June 2025, 10:00 CEST/17:00 JST", ("2025-06-18 08:00", None), []),
    ("18 June 2025, 0900 CEST", ("2025-06-18 07:00", None), []),
    ("18 June 2025, 1400-1530 CEST", ("2025-06-18 12:00", "2025-06-18 13:30"), []),
    ("18 June 2025, 0800Z", ("2025-06-18 08:00", None), []),
    ("18 June 2025, 10.00–11.30 CEST", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    ("Wed 18 June 2025, 7.30pm–9pm EDT", ("2025-06-18 23:30", "2025-06-19 01:00"), []),
    ("18 June 2025, 10–12 Uhr MESZ", ("2025-06-18 08:00", "2025-06-18 10:00"), []),
    ("18 June 2025, 10h – 11h30 CEST", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    ("18 June 2025, 10:00:00 CEST", ("2025-06-18 08:00", None), []),
    ("18 June 2025 ١٠:٠٠ CEST", ("2025-06-18 08:00", None), []),
    ("12 noon – 1:30 pm EDT, 18 June 2025", ("2025-06-18 16:00", "2025-06-18 17:30"), []),
    ("18 June 2025, 10:00 – 11:30 Uhr (MEZ/MESZ)", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    ("18-06-2025 10:00 CEST", ("2025-06-18 08:00", None), []),
    # place names in any script, and several words
    ("18 June 2025, 10:00 Belém time / 15:00 CEST", ("2025-06-18 13:00", None), []),
    ("18 June 2025, 07:00 São Paulo time / 12:00 CEST", ("2025-06-18 10:00", None), []),
    (
        "UN: 18 June 2025, 10:00 a.m. – 1:00 p.m. (New York time)",
        ("2025-06-18 14:00", "2025-06-18 17:00"),
        [],
    ),
    # ranges over days, and dates, years and day marks written after the times
    (
        "From 18 June 2025, 10:00 CEST to 20 June 2025, 16:00 CEST",
        ("2025-06-18 08:00", "2025-06-20 14:00"),
        [],
    ),
    (
        "Sat 1 Nov 2025, 11pm ET – Sun 2 Nov 2025, 1am ET",
        ("2025-11-02 03:00", "2025-11-02 05:00"),
        [],
    ),  # 1 am: the first of two
    ("18 June 2025, 23:00 – 19 June 01:00 CEST", ("2025-06-18 21:00", "2025-06-18 23:00"), []),
    ("18 June 10:00 – 19 June 12:00 CEST 2025", ("2025-06-18 08:00", "2025-06-19 10:00"), []),
    ("23 October 2025 at 9:00 pm EDT / October 24 at 3:00 am CEST", ("2025-10-24 01:00", None), []),
    ("8 pm EDT Oct 21 / 2 am CEST Oct 22, 2025", ("2025-10-22 00:00", None), []),
    ("18 June 2025, 23:00 CEST / 06:00 JST (+1)", ("2025-06-18 21:00", None), []),
    ("18 June 2025, 23:00 CEST / 06:00 JST (+1 day)", ("2025-06-18 21:00", None), []),
    ("18 June 2025, 23:00 CEST / 06:00 JST+1", ("2025-06-18 21:00", None), []),
    ("2025年6月18日(水)23:00～翌1:00(日本時間)", ("2025-06-18 14:00", "2025-06-18 16:00"), []),
    ("2025年6月18日(水)午前10時～正午(日本時間)", ("2025-06-18 01:00", "2025-06-18 03:00"), []),
    (
        "2025年6月18日 午前0時30分～午前1時30分（日本時間）",
        ("2025-06-17 15:30", "2025-06-17 16:30"),
        [],
    ),
    ("18 June 2025, 47:59 - 00:00 JST", ("2025-06-19 14:59", "2025-06-19 15:00"), []),
    # separators that are not ranges, and an end written as a sentence
    ("18 June 2025 - 10:00 CEST - 17:00 JST", ("2025-06-18 08:00", None), []),
    (
        "Starts 18 June 2025 at 10:00 CEST, ends at 11:30 CEST",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("ICLEI webinar at COP30, 21 October 2025, 10:00 CET", ("2025-10-21 09:00", None), []),
    # a second sweep: each date-time its own date, four digits after a year-less date,
    # am/pm on the start only, numbered names, a zone restated between slashes, a year in a name
    ("2025-06-18T23:00+02:00 / 2025-06-19T06:00+09:00", ("2025-06-18 21:00", None), []),
    ("Tuesday, 21 October 2025 1000-1130 UTC+2", ("2025-10-21 08:00", "2025-10-21 09:30"), []),
    ("June 18, 2025 1400-1530 CEST / 2100-2230 JST", ("2025-06-18 12:00", "2025-06-18 13:30"), []),
    ("18 June 2025 0900 CEST / 1600 JST", ("2025-06-18 07:00", None), []),
    (
        "June 18, 2025, 7pm-8:30 EDT / 01:00-02:30 CEST",
        ("2025-06-18 23:00", "2025-06-19 00:30"),
        [],
    ),
    ("18 June 2025, 11am-1:30 EDT", ("2025-06-18 15:00", "2025-06-18 17:30"), []),
    ("12 noon – 1:30 EDT, 18 June 2025", ("2025-06-18 16:00", "2025-06-18 17:30"), []),
    (
        "Day 2 – 17 June 2025, 10:00–11:30 CEST / 17:00–18:30 JST",
        ("2025-06-17 08:00", "2025-06-17 09:30"),
        [],
    ),
    ("Webinar 3 - 21 October 2025, 10:00 CEST", ("2025-10-21 08:00", None), []),
    ("18 June 2025, 10:00 CEST / UTC+2 / 17:00 JST", ("2025-06-18 08:00", None), []),
    (
        "Daring Cities 2025 at Bonn: 18 June, 10:00–11:30 CEST / 17:00–18:30 JST",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("18 June 2025, 12:00 noon ET / 18:00 CEST", ("2025-06-18 16:00", None), []),
    ("18 June 2025, 9:00 am PST/PDT / 18:00 CEST", ("2025-06-18 16:00", None), []),
    ("18 June 2025, 10:00 CEST/UTC+2, 17:00 JST", ("2025-06-18 08:00", None), []),
    (
        "18 June 2025, 10:00 CEST/UTC+1, 17:00 JST",
        ("2025-06-18 08:00", None),
        [("UTC+1", "start", "10:00", "09:00")],
    ),
    ("Wednesday, 10:00 CEST / 17:00 JST — 18 June 2025", ("2025-06-18 08:00", None), []),
    (
        "日本時間 17:00～18:30 / 10:00-11:30 CEST（2025年6月18日）",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    # a third sweep: text around the time (addresses, notes, names, rooms), 午後 for both ends
    (
        "Wednesday 18 June 2025, 10:00–11:30 CEST. Details: https://iclei.org/news/2025/05/20/webinar",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "Wednesday 18 June 2025, 10:00–11:30 CEST (updated 2025-06-01)",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "Wednesday 18 June 2025, 10:00–11:30 CEST / 17:00–18:30 JST, register by June 15",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "令和7年6月18日（水曜日）午後2時～4時（日本時間）",
        ("2025-06-18 05:00", "2025-06-18 07:00"),
        [],
    ),
    ("2025年6月18日 午後6時半～8時（日本時間）", ("2025-06-18 09:30", "2025-06-18 11:00"), []),
    ("SDG 11 – 18 June 2025, 10:00–11:30 CEST", ("2025-06-18 08:00", "2025-06-18 09:30"), []),
    ("DAY 2 – 17 June 2025, 10:00 CEST", ("2025-06-17 08:00", None), []),
    (
        "October 23, 2025, 4:00–5:30 p.m. ET, Room 2036, Sever Hall, Cambridge, MA 02138",
        ("2025-10-23 20:00", "2025-10-23 21:30"),
        [],
    ),
    (
        "Join us on Wednesday 18 June 2025 from 10:00 to 11:30 CEST (17:00–18:30 JST) in Room 2.03 of the World Conference Center Bonn",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    ("18\u00a0June 2025, 10:00\u202fAM EDT", ("2025-06-18 14:00", None), []),
    (
        "2025年6月18日（水）17:00～18:30（日本時間） ※ドイツ時間 10:00～11:30",
        ("2025-06-18 08:00", "2025-06-18 09:30"),
        [],
    ),
    (
        "18 June 2025 10:00 a.m. ET | 3:00 p.m. London | 4:00 p.m. Bonn",
        ("2025-06-18 14:00", None),
        [],
    ),
]


@pytest.mark.parametrize(("text", "instants", "found"), STYLES, ids=[s[0] for s in STYLES])
def test_published_styles(
    text: str, instants: tuple[str, str | None], found: list[tuple[str, ...]]
) -> None:
    assert utc_range(text) == instants
    assert differences(text) == found


# Dates only: (text, first, last).
DATE_STYLES = [
    ("Running from 7 to 28 October 2020", "2020-10-07", "2020-10-28"),
    ("03 March - 31 October 2025", "2025-03-03", "2025-10-31"),
    ("Mon 3 March – Fri 31 October 2025", "2025-03-03", "2025-10-31"),
    ("16–18 June 2025", "2025-06-16", "2025-06-18"),
    ("June 16-18, 2025", "2025-06-16", "2025-06-18"),
    ("2025年6月16~18日", "2025-06-16", "2025-06-18"),
    ("6月18日", "2025-06-18", "2025-06-18"),
    ("7月から10月にかけて", "2025-07-01", "2025-10-31"),
    ("2025年10月-11月", "2025-10-01", "2025-11-30"),
    ("11月10日~21日", "2025-11-10", "2025-11-21"),
    ("October–November 2025", "2025-10-01", "2025-11-30"),
    ("28 December – 3 January", "2024-12-28", "2025-01-03"),  # the year nearest the hint
    ("2025-06-16 – 2025-06-18", "2025-06-16", "2025-06-18"),
    ("Mon 16 – Wed 18 June 2025", "2025-06-16", "2025-06-18"),
    ("Wednesday the 18th of June 2025", "2025-06-18", "2025-06-18"),
]


@pytest.mark.parametrize(("text", "first", "last"), DATE_STYLES, ids=[s[0] for s in DATE_STYLES])
def test_date_styles(text: str, first: str, last: str) -> None:
    dates = parse_announcement(text, year_hint=HINT).dates
    assert dates is not None
    assert (dates.first.isoformat(), dates.last.isoformat()) == (first, last)


def test_japanese_era_years() -> None:
    assert parse_announcement("令和7年10月1日", year_hint=HINT).dates.first == date(2025, 10, 1)  # type: ignore[union-attr]
    assert parse_announcement("令和元年5月1日", year_hint=HINT).dates.first == date(2019, 5, 1)  # type: ignore[union-attr]
    assert parse_announcement("平成31年4月30日", year_hint=HINT).dates.first == date(2019, 4, 30)  # type: ignore[union-attr]


def test_a_stored_date_is_trusted_over_numbers_that_look_like_years() -> None:
    text = "Localizing the 2030 Agenda: 18 June, 10:00–11:30 CEST"
    assert parse_announcement(text, year_hint=HINT).dates.first.year == 2030  # type: ignore[union-attr]
    stored = parse_announcement(text, year_hint=date(2025, 6, 18), stored_hint=True)
    assert stored.dates is not None
    assert stored.dates.first == date(2025, 6, 18)


def test_year_written_elsewhere_in_the_text() -> None:
    announcement = parse_announcement(
        "Dec 31, 11:30 pm EST / Jan 1, 5:30 am CET", year_hint=HINT, year=2025
    )
    readings = read_parts(announcement)
    assert readings[1].start.date() == date(2026, 1, 1)
    assert [r.differences for r in readings] == [(), ()]


def test_year_nearest_the_hint_or_given() -> None:
    assert parse_announcement("21 October", year_hint=date(2020, 10, 1)).dates.first == date(
        2020, 10, 21
    )  # type: ignore[union-attr]
    assert parse_announcement("2 January", year_hint=date(2020, 12, 20)).dates.first == date(
        2021, 1, 2
    )  # type: ignore[union-attr]
    assert parse_announcement("2 January", year_hint=HINT, year=2019).dates.first == date(
        2019, 1, 2
    )  # type: ignore[union-attr]
    assert parse_announcement("2 January 2030", year_hint=HINT, year=2019).dates.first == date(
        2030, 1, 2
    )  # type: ignore[union-attr]


def test_weekday_that_the_date_does_not_fall_on() -> None:
    announcement = parse_announcement("6月18日(火) 17:00 JST", year_hint=HINT, year=2025)
    (difference,) = weekday_differences(announcement)
    assert (difference.published, difference.computed) == ("Tue", "Wed")
    assert weekday_differences(parse_announcement("Wed 18 June 2025", year_hint=HINT)) == []
    # every weekday written is checked, not only the first
    later = parse_announcement("Mon 16 June – Thu 18 June 2025", year_hint=HINT)
    assert [(d.published, d.computed) for d in weekday_differences(later)] == [("Thu", "Wed")]
    parts = parse_announcement(
        "Tue 21 Oct 2025 20:00 EDT / Tue 22 Oct 2025 02:00 CEST", year_hint=HINT
    )
    assert [(d.published, d.computed) for d in weekday_differences(parts)] == [("Tue", "Wed")]


def test_without_a_year_the_weekday_chooses() -> None:
    # 18 June fell on a Tuesday in 2024: nearer years where it does not are passed over.
    dates = parse_announcement("6月18日(火)", year_hint=HINT).dates
    assert dates is not None
    assert dates.first == date(2024, 6, 18)
    leap = parse_announcement("29 February, 10:00 CET", year_hint=HINT).dates
    assert leap is not None
    assert leap.first == date(2024, 2, 29)


def test_abbreviation_out_of_season_is_explained() -> None:
    announcement = parse_announcement("10 December 2025, 10:00 CEST", year_hint=HINT)
    berlin = resolve_zone("Europe/Berlin")
    stored = localize(datetime(2025, 12, 10, 10, 0), berlin.wall).instant
    (reading,) = read_parts(announcement, (stored, None))
    (difference,) = reading.differences
    assert (difference.published, difference.computed) == ("10:00", "11:00")
    assert difference.note == (
        "CEST is UTC+02:00, but Europe/Berlin is on CET (UTC+01:00) on 2025-12-10"
    )


# ------------------------------------------------------------------ DST edges


def test_time_in_a_dst_gap_is_noted() -> None:
    announcement = parse_announcement("30 March 2025, 02:30 Europe/Berlin", year_hint=HINT)
    (reading,) = read_parts(announcement)
    assert reading.notes == (
        "2025-03-30 02:30 does not exist in Europe/Berlin (the clocks skip it); "
        "read as 03:30 CEST, as RFC 5545 does",
    )
    assert reading.start.astimezone(UTC).strftime("%H:%M") == "01:30"


def test_range_starting_in_a_dst_gap() -> None:
    # Read as RFC 5545 does, 02:30 is 03:30 CEST: after 03:10, so the range cannot be read.
    with pytest.raises(TimeParseError, match="ends before it begins"):
        read_parts(parse_announcement("30 March 2025, 02:30 – 03:10 Europe/Berlin", year_hint=HINT))
    # A published time the clocks skip is reported as written, beside what the reference gives.
    assert differences("30 March 2025, 01:30 – 02:00 UTC / 02:30 – 04:00 Europe/Berlin") == [
        ("Europe/Berlin", "start", "02:30", "03:30")
    ]


def test_time_in_a_dst_repeat_is_noted_and_read_as_the_first() -> None:
    announcement = parse_announcement("26 October 2025 02:30 – 03:30 Europe/Berlin", year_hint=HINT)
    (reading,) = read_parts(announcement)
    assert reading.notes == (
        "2025-10-26 02:30 occurs twice in Europe/Berlin (the clocks go back); "
        "read as the first occurrence (UTC+02:00)",
    )
    assert reading.end is not None
    assert reading.end.astimezone(UTC) - reading.start.astimezone(UTC) == timedelta(hours=2)


def test_part_across_a_dst_change_agrees() -> None:
    # 00:30–02:00 UTC is 00:30 GMT to 03:00 BST on the night London springs forward.
    assert differences("30 March 2025, 00:30 – 02:00 UTC / 00:30 – 03:00 Europe/London") == []
    # …and Berlin, the same night, reads 01:30 CET to 04:00 CEST.
    assert differences("30 March 2025, 00:30 – 02:00 UTC / 01:30 – 04:00 Europe/Berlin") == []
    assert differences("30 March 2025, 00:30 – 02:00 UTC / 01:30 – 03:00 Europe/Berlin") == [
        ("Europe/Berlin", "end", "03:00", "04:00")
    ]


def test_region_clock_follows_the_season() -> None:
    assert utc_range("9:00 ET, 15 January 2026") == ("2026-01-15 14:00", None)
    assert utc_range("9:00 ET, 15 July 2026") == ("2026-07-15 13:00", None)


# ------------------------------------------------------------------ what cannot be read


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("21 October 10:00 XYZT", "unknown zone 'XYZT'"),
        (
            "21 October 10:00 Mars/Olympus",
            "no zone is given for 10:00; not understood: 'Mars/Olympus'",
        ),
        ("21 October 10:00 Europe/Bonn", "unknown zone 'Europe/Bonn'"),
        ("21 October 10:00 CST", "zone 'CST' is ambiguous"),
        ("21 October 10:00 – 11:30", "no zone is given for 10:00–11:30"),
        ("21 October 10:00 Pacific", "no zone is given for 10:00; not understood: 'Pacific'"),
        ("06/07/2025 10:00 CET", "can be read day-first or month-first"),
        ("31/06/2025 10:00 CET", "is not a real date"),
        ("31 June 2025 10:00 CET", "'31 June 2025' is not a real date"),
        ("21 October 2025, 9 CET", "'9' is not a time"),
        ("21 October 9 CET", "two days without a range between them"),
        ("21 October 13pm CET", "am/pm hours go from 1 to 12"),
        ("21 October 10:00, 12:00 and 14:00 CET", "is not one time or a range of two"),
        ("21 October 48:00 CET", "is not a time of day"),
        ("31 October – 3 October 2025", "ends before it begins"),
        ("21 October 2025\x1b[31m 10:00 CET", "control characters"),
        ("x" * 600, "longer than 500 characters"),
        ("Wed 10:00 CET", "gives a weekday but no date"),
        ("18 June 2025 - - - CEST", "CEST is given without a time"),
        ("18 June 2025 ten o'clock CEST", "CEST is given without a time"),
        ("20250618 10:00 CEST", "no date could be read; not understood: '20250618'"),
        ("18 June 2025, 1400 hrs", "no zone is given for 1400"),
        ("18 June 2025, 10:00:30 CEST", "dcal reads times to the minute"),
        ("Sessions: 10:00–11:00 CEST and 15:00–16:00 CEST on 18 June 2025", "names CEST twice"),
        (
            "Day 1 (16 June 2025): 09:00–17:00 CEST; Day 2 (17 June 2025): 09:00–17:00 CEST",
            "names CEST twice",
        ),
        ("From 20 June 2025, 10:00 CEST to 18 June 2025, 16:00 CEST", "ends before it begins"),
    ],
)
def test_unreadable(text: str, message: str) -> None:
    with pytest.raises(TimeParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_parts(parse_announcement(text, year_hint=HINT), default_day=HINT)


def test_capitals_and_place_names_that_are_not_zones() -> None:
    assert parts_of("ICLEI webinar at COP30, 21 October 2025, 10:00 CET") == [
        ("CET", "10:00", None)
    ]
    assert parts_of("UNFCCC side event 21 October 2025 10:00 – 11:00 CEST, Bonn") == [
        ("CEST", "10:00", "11:00")
    ]
    # Abbreviations count in capitals only: "eat" is a word, EAT a zone.
    assert parts_of("Eat and meet, 21 October 2025, 12:00 EAT") == [("EAT", "12:00", None)]
    assert parts_of("21 October 2025 10:00 Japan") == [("Japan", "10:00", None)]


def test_words_it_does_not_know_are_kept() -> None:
    announcement = parse_announcement("Running from 7 to 28 October 2020", year_hint=HINT)
    assert announcement.ignored == ("Running",)


def test_tokens_cover_the_text() -> None:
    text = "21 October @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST"
    kinds = [t.kind for t in tokenize(text)]
    assert kinds == [
        "num",
        "word",
        "punct",
        "time",
        "dash",
        "time",
        "offset",
        "punct",
        "time",
        "dash",
        "time",
        "word",
    ]


# ------------------------------------------------------------------ round trips

ZONES = [
    "UTC",
    "UTC+2",
    "UTC-3",
    "UTC+05:30",
    "JST",
    "CEST",
    "CET",
    "EDT",
    "BRT",
    "Europe/Berlin",
    "Asia/Tokyo",
    "America/Sao_Paulo",
    "Bonn",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
JA_WEEKDAYS = "月火水木金土日"


def write_date(day: date, style: int) -> str:
    if style == 0:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year} @"
    if style == 1:
        return f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month - 1][:3]} {day.day}, {day.year},"
    if style == 2:
        return f"{day.year}年{day.month}月{day.day}日({JA_WEEKDAYS[day.weekday()]})"
    return day.isoformat()


def write_clock(moment: datetime, base: date, style: int) -> str:
    hour = moment.hour + 24 * (moment.date() - base).days if style == 3 else moment.hour
    if style == 1:
        meridiem = "am" if moment.hour < 12 else "pm"
        return f"{(moment.hour - 1) % 12 + 1}:{moment.minute:02d} {meridiem}"
    if style == 2:
        return f"{moment.hour}時{moment.minute}分" if moment.minute else f"{moment.hour}時"
    return f"{hour:02d}:{moment.minute:02d}"


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    minute=st.integers(0, 24 * 60 - 1),
    length=st.integers(15, 6 * 60),
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True),
    date_style=st.integers(0, 3),
    clock_style=st.integers(0, 3),
    dash=st.sampled_from(["-", " - ", "–", " – ", "—", "~", "〜", " to "]),
    separator=st.sampled_from([" / ", "/ ", " | ", ", ", " ("]),
    mistake=st.integers(-90, 90),
)
@example(
    day=date(2020, 10, 21),
    minute=600,
    length=90,
    zones=["UTC+2", "JST"],
    date_style=0,
    clock_style=0,
    dash=" – ",
    separator="/ ",
    mistake=15,
)
def test_round_trip(
    day: date,
    minute: int,
    length: int,
    zones: list[str],
    date_style: int,
    clock_style: int,
    dash: str,
    separator: str,
    mistake: int,
) -> None:
    """Write a range in a random style and zones, read it back: same instant, parts agree;
    move one published end by ``mistake`` minutes and exactly that end is reported."""
    resolved = [resolve_zone(z, cities=CITIES) for z in zones]
    wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    start = localize(wall, resolved[0].wall)
    assume(start.problem is None)
    end = start.instant + timedelta(minutes=length)
    written = []
    for index, zone in enumerate(resolved):
        s, e = start.instant.astimezone(zone.wall), end.astimezone(zone.wall)
        if index == len(resolved) - 1 and index > 0 and mistake:
            e += timedelta(minutes=mistake)
            assume(e > s)
        base = s.date()
        written.append(
            f"{write_clock(s, base, clock_style)}{dash}{write_clock(e, base, clock_style)} {zones[index]}"
        )
    text = f"{write_date(day, date_style)} {separator.join(written)}"
    announcement = parse_announcement(text, year_hint=date(2000, 1, 1), cities=CITIES)
    readings = read_parts(announcement)
    assert len(readings) == len(zones)
    assert readings[0].start.astimezone(UTC) == start.instant.astimezone(UTC)
    assert readings[0].end is not None
    assert readings[0].end.astimezone(UTC) == end.astimezone(UTC)
    found = [(i, d.what) for i, r in enumerate(readings) for d in r.differences]
    if mistake and len(zones) > 1:
        assert found == [(len(zones) - 1, "end")]
    else:
        assert found == []
    assert weekday_differences(announcement) == []


@given(st.text(max_size=80))
def test_any_text_reads_or_fails_cleanly(text: str) -> None:
    try:
        announcement = parse_announcement(text, year_hint=HINT, cities=CITIES)
        read_parts(announcement, default_day=HINT)
    except TimeParseError:
        pass


@given(
    st.lists(
        st.sampled_from(
            [
                "21",
                "October",
                "2025",
                "@",
                "10:00",
                "–",
                "11:30",
                "UTC+2",
                "/",
                "JST",
                "(",
                ")",
                "水",
                "6月",
                "18日",
                "am",
                "pm",
                "9",
                "to",
                "CEST",
                "年",
                "時",
                "~",
                "Wed",
                ",",
                "24:30",
            ]
        ),
        max_size=14,
    )
)
def test_announcement_shaped_noise_reads_or_fails_cleanly(words: list[str]) -> None:
    try:
        announcement = parse_announcement(" ".join(words), year_hint=HINT, cities=CITIES)
        read_parts(announcement, default_day=HINT)
    except TimeParseError:
        pass
