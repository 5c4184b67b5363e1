"""Zone resolution and wall-clock → instant conversion, over odd offsets and DST edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dcal.errors import ZoneError
from dcal.zones import (
    ABBREVIATIONS,
    AMBIGUOUS,
    all_iana_keys,
    fixed_offset,
    fold_text,
    localize,
    offset_name,
    parse_offset,
    resolve_zone,
)

CITIES = {"Bonn": "Europe/Berlin", "Belém": "America/Belem", "Yokohama": "Asia/Tokyo"}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("UTC+2", 120),
        ("utc+2", 120),
        ("UTC+02", 120),
        ("UTC+05:30", 330),
        ("UTC+0530", 330),
        ("GMT-3", -180),
        ("+09:00", 540),
        ("-03:30", -210),
        ("UTC−3", -180),  # a real minus sign, as word processors write it
        ("UTC + 2", 120),
        ("UTC+12:45", 765),
        ("UTC-0", 0),
        ("+14:00", 840),
    ],
)
def test_offsets_mean_ahead_of_utc(text: str, minutes: int) -> None:
    assert parse_offset(text) == minutes
    zone = resolve_zone(text)
    assert zone.kind == "offset"
    assert zone.name == offset_name(minutes)
    noon = datetime(2020, 10, 21, 12, 0, tzinfo=UTC)
    assert noon.astimezone(zone.tz).utcoffset() == timedelta(minutes=minutes)


def test_utc_plus_two_is_two_hours_ahead_not_posix() -> None:
    zone = resolve_zone("UTC+2")
    wall = datetime(2020, 10, 21, 10, 0)
    assert localize(wall, zone.wall).instant.astimezone(UTC).hour == 8


@pytest.mark.parametrize("text", ["UTC+25", "UTC+5:75", "+19:00"])
def test_impossible_offsets_are_refused(text: str) -> None:
    with pytest.raises(ZoneError):
        resolve_zone(text)


@pytest.mark.parametrize("text", ["Asia/Tokyo", "asia/tokyo", "ASIA/TOKYO", " Asia/Tokyo "])
def test_iana_names_any_case(text: str) -> None:
    zone = resolve_zone(text)
    assert (zone.name, zone.kind) == ("Asia/Tokyo", "iana")


@pytest.mark.parametrize("text", ["UTC", "utc", "Z", "GMT", "Etc/UTC", "Zulu"])
def test_utc_spellings(text: str) -> None:
    assert resolve_zone(text).name == "UTC"


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_every_abbreviation_resolves_to_its_region(abbreviation: str) -> None:
    key, minutes = ABBREVIATIONS[abbreviation]
    zone = resolve_zone(abbreviation.lower())
    assert zone.kind == "abbreviation"
    assert zone.name == key
    # Written with a wall-clock time, the abbreviation means its own fixed offset.
    assert datetime(2025, 1, 15, 12, tzinfo=zone.wall).utcoffset() == timedelta(minutes=minutes)
    # The region really uses that abbreviation at some point of the year.
    offsets = {
        datetime(2025, month, 15, 12, tzinfo=UTC).astimezone(zone.tz).utcoffset()
        for month in (1, 7)
    }
    assert timedelta(minutes=minutes) in offsets


def test_abbreviation_as_display_zone_follows_dst() -> None:
    zone = resolve_zone("CET")
    summer = datetime(2025, 7, 1, 12, tzinfo=UTC).astimezone(zone.tz)
    assert summer.strftime("%Z") == "CEST"


def test_jst_is_asia_tokyo() -> None:
    zone = resolve_zone("JST")
    assert zone.name == "Asia/Tokyo"


@pytest.mark.parametrize("abbreviation", sorted(AMBIGUOUS))
def test_ambiguous_abbreviations_are_refused_with_candidates(abbreviation: str) -> None:
    with pytest.raises(ZoneError, match="ambiguous") as caught:
        resolve_zone(abbreviation)
    for candidate in AMBIGUOUS[abbreviation]:
        assert candidate.split(" ")[0] in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Bonn", "Europe/Berlin"),
        ("bonn", "Europe/Berlin"),
        ("Belém", "America/Belem"),
        ("belem", "America/Belem"),
        ("ＢＥＬＥＭ", "America/Belem"),  # full-width letters
        ("Yokohama", "Asia/Tokyo"),
        ("tokyo", "Asia/Tokyo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("new_york", "America/New_York"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_city_names(text: str, key: str) -> None:
    assert resolve_zone(text, cities=CITIES).name == key


def test_catalogue_cities_need_the_catalogue() -> None:
    with pytest.raises(ZoneError):
        resolve_zone("Yokohama")


def test_unknown_zone_suggests() -> None:
    with pytest.raises(ZoneError, match=r"did you mean .*Asia/Tokyo"):
        resolve_zone("Asia/Tokio")


@pytest.mark.parametrize(
    "text", ["", "   ", "Mars/Olympus", "../../etc/passwd", "a\x00b", "Asia", "x" * 500]
)
def test_non_zones_are_refused(text: str) -> None:
    with pytest.raises(ZoneError):
        resolve_zone(text)


def test_local_needs_a_local_zone() -> None:
    local = resolve_zone("Asia/Tokyo")
    assert resolve_zone("LOCAL", local=local).name == "Asia/Tokyo"
    with pytest.raises(ZoneError):
        resolve_zone("local")


@given(st.text(max_size=40))
def test_resolve_zone_never_fails_otherwise(text: str) -> None:
    try:
        zone = resolve_zone(text, cities=CITIES)
    except ZoneError as exc:
        assert str(exc)
    else:
        assert zone.name


@given(st.integers(-18 * 60, 18 * 60), st.sampled_from(["UTC{}", "GMT{}", "{}", "UTC {}"]))
def test_offset_round_trip(minutes: int, template: str) -> None:
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    assert parse_offset(template.format(f"{sign}{hours:02d}:{mins:02d}")) == minutes


def test_all_iana_keys_come_from_tzdata() -> None:
    keys = all_iana_keys()
    assert "Asia/Tokyo" in keys
    assert "America/Belem" in keys
    assert len(keys) > 400


# ------------------------------------------------------------------ DST edges


@pytest.mark.parametrize(
    ("zone", "wall", "expected_utc", "problem"),
    [
        # Europe: spring forward 02:00 → 03:00, fall back 03:00 → 02:00.
        ("Europe/Berlin", datetime(2025, 3, 30, 2, 30), datetime(2025, 3, 30, 1, 30), "gap"),
        ("Europe/Berlin", datetime(2025, 10, 26, 2, 30), datetime(2025, 10, 26, 0, 30), "repeat"),
        ("Europe/Berlin", datetime(2025, 3, 30, 1, 59), datetime(2025, 3, 30, 0, 59), None),
        ("Europe/Berlin", datetime(2025, 3, 30, 3, 0), datetime(2025, 3, 30, 1, 0), None),
        ("Europe/Berlin", datetime(2025, 10, 26, 3, 0), datetime(2025, 10, 26, 2, 0), None),
        # USA: 02:00 → 03:00 in March, 02:00 → 01:00 in November.
        ("America/New_York", datetime(2025, 3, 9, 2, 15), datetime(2025, 3, 9, 7, 15), "gap"),
        ("America/New_York", datetime(2025, 11, 2, 1, 30), datetime(2025, 11, 2, 5, 30), "repeat"),
        # Lord Howe moves by 30 minutes.
        ("Australia/Lord_Howe", datetime(2025, 10, 5, 2, 15), datetime(2025, 10, 4, 15, 45), "gap"),
        (
            "Australia/Lord_Howe",
            datetime(2025, 4, 6, 1, 45),
            datetime(2025, 4, 5, 14, 45),
            "repeat",
        ),
        # Chatham: +12:45 / +13:45.
        ("Pacific/Chatham", datetime(2025, 9, 28, 3, 0), datetime(2025, 9, 27, 14, 15), "gap"),
        # Southern hemisphere: Sydney springs forward in October.
        ("Australia/Sydney", datetime(2025, 10, 5, 2, 30), datetime(2025, 10, 4, 16, 30), "gap"),
        # Odd fixed offsets.
        ("Asia/Kathmandu", datetime(2025, 1, 1, 0, 0), datetime(2024, 12, 31, 18, 15), None),
        ("America/St_Johns", datetime(2025, 1, 1, 12, 0), datetime(2025, 1, 1, 15, 30), None),
        ("Pacific/Kiritimati", datetime(2025, 1, 1, 0, 0), datetime(2024, 12, 31, 10, 0), None),
        # Samoa skipped 30 December 2011 entirely.
        ("Pacific/Apia", datetime(2011, 12, 30, 12, 0), datetime(2011, 12, 30, 22, 0), "gap"),
        # Belém has had no DST since 1988; Japan had none since 1951.
        ("America/Belem", datetime(2025, 11, 10, 9, 0), datetime(2025, 11, 10, 12, 0), None),
        ("Asia/Tokyo", datetime(2020, 10, 22, 23, 0), datetime(2020, 10, 22, 14, 0), None),
    ],
)
def test_localize_over_dst_edges(
    zone: str, wall: datetime, expected_utc: datetime, problem: str | None
) -> None:
    result = localize(wall, resolve_zone(zone).tz)
    assert result.problem == problem
    assert result.instant.astimezone(UTC).replace(tzinfo=None) == expected_utc


def test_gap_time_moves_forward_by_the_gap() -> None:
    result = localize(datetime(2025, 3, 30, 2, 30), resolve_zone("Europe/Berlin").tz)
    assert result.instant.strftime("%H:%M %Z") == "03:30 CEST"


def test_conversion_uses_the_rules_of_each_instant() -> None:
    berlin = resolve_zone("Europe/Berlin").tz
    winter = localize(datetime(2025, 1, 15, 10), berlin).instant
    summer = localize(datetime(2025, 7, 15, 10), berlin).instant
    tokyo = resolve_zone("Asia/Tokyo").tz
    assert winter.astimezone(tokyo).hour == 18
    assert summer.astimezone(tokyo).hour == 17


@given(
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2037, 12, 31)),
    st.sampled_from(
        [
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Tokyo",
            "America/Sao_Paulo",
        ]
    ),
)
def test_localize_round_trips_every_existing_time(wall: datetime, name: str) -> None:
    tz = resolve_zone(name).tz
    result = localize(wall, tz)
    back = result.instant.astimezone(UTC).astimezone(tz)
    if result.problem == "gap":
        assert back.replace(tzinfo=None) > wall
    else:
        assert back.replace(tzinfo=None) == wall.replace(microsecond=wall.microsecond)


def test_fold_text() -> None:
    assert fold_text("Belém") == fold_text("BELEM") == fold_text("ｂｅｌｅｍ") == "belem"


def test_fixed_offset_is_cached_and_named() -> None:
    assert fixed_offset(120) is fixed_offset(120)
    assert datetime(2020, 1, 1, tzinfo=fixed_offset(-210)).tzname() == "UTC-03:30"
