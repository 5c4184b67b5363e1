"""Resolving zone names, and turning wall-clock times into instants.

Every zone comes from the ``tzdata`` package, never from the machine's own database, so
that a given catalogue gives the same answer everywhere: ``iana_zone`` makes tzdata's own
folder zoneinfo's only search path (read as plain files, which is faster than zoneinfo's
fallback through importlib.resources). zoneinfo itself is imported only when an IANA zone
is needed: UTC and fixed offsets do without it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

import tzdata

from dcal.errors import ZoneError
from dcal.timeparse import pattern

if TYPE_CHECKING:
    import zoneinfo

TZDATA = Path(tzdata.__file__).parent

ZoneKind = Literal["utc", "offset", "iana", "abbreviation", "city", "local"]

# Abbreviations that name one zone. The offset is what the abbreviation means when a
# wall-clock time is written with it ("10:00 CEST" is 08:00 UTC whatever the date); the
# IANA zone is the clock shown when the abbreviation is asked for as a display zone.
ABBREVIATIONS: dict[str, tuple[str, int]] = {
    "JST": ("Asia/Tokyo", 540),
    "KST": ("Asia/Seoul", 540),
    "CET": ("Europe/Berlin", 60),
    "CEST": ("Europe/Berlin", 120),
    "EET": ("Europe/Athens", 120),
    "EEST": ("Europe/Athens", 180),
    "WET": ("Europe/Lisbon", 0),
    "WEST": ("Europe/Lisbon", 60),
    "MSK": ("Europe/Moscow", 180),
    "BRT": ("America/Sao_Paulo", -180),
    "AEST": ("Australia/Sydney", 600),
    "AEDT": ("Australia/Sydney", 660),
    "AWST": ("Australia/Perth", 480),
    "NZST": ("Pacific/Auckland", 720),
    "NZDT": ("Pacific/Auckland", 780),
    "HKT": ("Asia/Hong_Kong", 480),
    "SGT": ("Asia/Singapore", 480),
    "PHT": ("Asia/Manila", 480),
    "WIB": ("Asia/Jakarta", 420),
    "WITA": ("Asia/Makassar", 480),
    "WIT": ("Asia/Jayapura", 540),
    "ICT": ("Asia/Bangkok", 420),
    "PKT": ("Asia/Karachi", 300),
    "NPT": ("Asia/Kathmandu", 345),
    "SAST": ("Africa/Johannesburg", 120),
    "CAT": ("Africa/Maputo", 120),
    "EAT": ("Africa/Nairobi", 180),
    "WAT": ("Africa/Lagos", 60),
    "EST": ("America/New_York", -300),
    "EDT": ("America/New_York", -240),
    "PDT": ("America/Los_Angeles", -420),
    "MDT": ("America/Denver", -360),
    "HST": ("Pacific/Honolulu", -600),
}

# Abbreviations in common use for more than one zone: refused, with the candidates.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "CST": (
        "America/Chicago (Central Standard Time, UTC-06:00)",
        "Asia/Shanghai (China Standard Time, UTC+08:00)",
        "America/Havana (Cuba Standard Time, UTC-05:00)",
    ),
    "CDT": (
        "America/Chicago (Central Daylight Time, UTC-05:00)",
        "America/Havana (Cuba Daylight Time, UTC-04:00)",
    ),
    "IST": (
        "Asia/Kolkata (India Standard Time, UTC+05:30)",
        "Europe/Dublin (Irish Standard Time, UTC+01:00)",
        "Asia/Jerusalem (Israel Standard Time, UTC+02:00)",
    ),
    "BST": (
        "Europe/London (British Summer Time, UTC+01:00)",
        "Asia/Dhaka (Bangladesh Standard Time, UTC+06:00)",
    ),
    "AST": (
        "America/Halifax (Atlantic Standard Time, UTC-04:00)",
        "Asia/Riyadh (Arabia Standard Time, UTC+03:00)",
    ),
    "PST": (
        "America/Los_Angeles (Pacific Standard Time, UTC-08:00)",
        "Asia/Manila (Philippine Standard Time, UTC+08:00)",
    ),
    "MST": (
        "America/Denver (Mountain Standard Time, UTC-07:00)",
        "Asia/Kuala_Lumpur (Malaysia Standard Time, UTC+08:00)",
    ),
    "GST": (
        "Asia/Dubai (Gulf Standard Time, UTC+04:00)",
        "Atlantic/South_Georgia (South Georgia Time, UTC-02:00)",
    ),
    "SST": (
        "Pacific/Pago_Pago (Samoa Standard Time, UTC-11:00)",
        "Asia/Singapore (Singapore Standard Time, UTC+08:00)",
    ),
}

UTC_NAMES = frozenset({"utc", "z", "gmt", "ut", "uct", "zulu", "etc/utc", "etc/gmt"})

# "UTC+2", "GMT-3", "UTC+05:30", "+09:00", "UTC−3" (with a minus sign), "+0530".
_OFFSET_RE = r"(?i)^(?:(?:UTC|GMT|UT)\s*)?([+\-\u2212\u2013])\s*(\d{1,2})(?::?(\d{2}))?$"
MAX_OFFSET_MINUTES = 18 * 60

# Legacy prefixes whose keys duplicate a canonical zone; passed over when a city is guessed.
_BACKWARD_PREFIXES = ("Etc/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/", "SystemV/")


class Zone(NamedTuple):
    """A resolved zone.

    ``text`` is what the user typed, ``name`` the resolved name (an IANA key, ``UTC`` or
    ``UTC+02:00``); ``tz`` is the clock used to display instants and ``wall`` the rules
    used to read wall-clock times written with this name (they differ only for
    abbreviations, whose written meaning is a fixed offset).
    """

    text: str
    name: str
    tz: tzinfo
    wall: tzinfo
    kind: ZoneKind


def fold_text(text: str) -> str:
    """Case-, accent- and width-insensitive key: ``"Belém"``, ``"BELEM"`` and ``"belem"`` agree."""
    if text.isascii():
        return text.lower().strip()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip()


def offset_name(minutes: int) -> str:
    """``UTC+02:00`` style name of a fixed offset given in minutes."""
    return "UTC" if minutes == 0 else f"UTC{_signed(minutes)}"


def _signed(minutes: int) -> str:
    """``+09:00``, ``-03:30``."""
    hours, mins = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{mins:02d}"


@cache
def fixed_offset(minutes: int) -> tzinfo:
    """A fixed-offset tzinfo named like announcements name it (``UTC+02:00``)."""
    if minutes == 0:
        return UTC
    return timezone(timedelta(minutes=minutes), offset_name(minutes))


@cache
def _iana_keys() -> dict[str, str]:
    """Lower-cased IANA key → canonical spelling, from the tzdata package's own list."""
    listing = (TZDATA / "zones").read_text(encoding="utf-8")
    return {key.lower(): key for key in listing.split() if key}


@cache
def _iana_cities() -> dict[str, str]:
    """Folded city part of each IANA key ("sao paulo") → the key that best names it."""
    best: dict[str, str] = {}
    for key in sorted(_iana_keys().values()):
        if "/" not in key or key.startswith(_BACKWARD_PREFIXES):
            continue
        city = fold_text(key.rsplit("/", 1)[1].replace("_", " "))
        current = best.get(city)
        # America/Argentina/Buenos_Aires is the canonical key, America/Buenos_Aires a link.
        if current is None or key.count("/") > current.count("/"):
            best[city] = key
    return best


@cache
def iana_zone(key: str) -> zoneinfo.ZoneInfo:
    """The tzdata zone for an exact canonical key."""
    return _zoneinfo_class()(key)


@cache
def _zoneinfo_class() -> type[zoneinfo.ZoneInfo]:
    """ZoneInfo, reading the tzdata package only (zones loaded before from elsewhere dropped)."""
    import zoneinfo

    zoneinfo.reset_tzpath(to=(str(TZDATA / "zoneinfo"),))
    zoneinfo.ZoneInfo.clear_cache()
    return zoneinfo.ZoneInfo


def lookup_iana(text: str) -> str | None:
    """The canonical IANA key for ``text`` (any case), or None."""
    return _iana_keys().get(text.strip().lower())


def parse_offset(text: str) -> int | None:
    """Minutes east of UTC for a written offset (``UTC+2`` → 120), or None if not an offset.

    Raises ZoneError for an offset that is written as one but impossible (``UTC+25``).
    """
    match = pattern(_OFFSET_RE).match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        raise ZoneError(f"zone {text!r}: minutes must be below 60")
    total = hours * 60 + minutes
    if total > MAX_OFFSET_MINUTES:
        raise ZoneError(f"zone {text!r}: offsets go from UTC-18:00 to UTC+18:00")
    return -total if sign != "+" else total


def resolve_zone(
    text: str,
    *,
    cities: Mapping[str, str] | None = None,
    local: Zone | None = None,
    suggest: bool = True,
) -> Zone:
    """Resolve a zone as users write it.

    Accepts ``local``, ``UTC``/``Z``/``GMT``, fixed offsets (``UTC+2`` is two hours *ahead*
    of UTC), abbreviations that name one zone (``JST``), IANA names in any case, the
    catalogue's city names (``cities`` maps a city to its IANA key) and the city part of
    IANA names (``tokyo``). Raises ZoneError with candidates or suggestions otherwise.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > 100 or not stripped.isprintable():
        raise ZoneError(f"zone {text!r} is not a zone name")
    lowered = stripped.lower()
    if lowered == "local":
        if local is None:
            raise ZoneError("zone 'local' is not available here")
        return Zone(stripped, local.name, local.tz, local.wall, "local")
    if lowered in UTC_NAMES:
        return Zone(stripped, "UTC", UTC, UTC, "utc")
    minutes = parse_offset(stripped)
    if minutes is not None:
        tz = fixed_offset(minutes)
        return Zone(stripped, offset_name(minutes), tz, tz, "offset")
    upper = stripped.upper()
    if upper in AMBIGUOUS:
        raise ZoneError(
            f"zone {stripped!r} is ambiguous: it may mean {'; '.join(AMBIGUOUS[upper])}. "
            "Give the IANA name or an offset instead"
        )
    if upper in ABBREVIATIONS:
        region, minutes = ABBREVIATIONS[upper]
        return Zone(stripped, region, iana_zone(region), fixed_offset(minutes), "abbreviation")
    key = lookup_iana(stripped)
    if key is not None:
        tz = iana_zone(key)
        return Zone(stripped, key, tz, tz, "iana")
    folded = fold_text(stripped.replace("_", " "))
    catalogue_city = next((k for c, k in (cities or {}).items() if fold_text(c) == folded), None)
    city_key = catalogue_city or _iana_cities().get(folded)
    if city_key is not None:
        tz = iana_zone(city_key)
        return Zone(stripped, city_key, tz, tz, "city")
    if not suggest:
        raise ZoneError(f"unknown zone {stripped!r}")
    raise ZoneError(unknown_zone_message(stripped, cities or {}))


def unknown_zone_message(text: str, cities: Iterable[str]) -> str:
    """The message for a zone name nothing matches, with close suggestions."""
    import difflib

    candidates = {name.lower(): name for name in _iana_keys().values()}
    for name in (*ABBREVIATIONS, *cities, "UTC", "local"):
        candidates[name.lower()] = name
    for city, key in _iana_cities().items():
        candidates.setdefault(city, key)
    close = difflib.get_close_matches(text.lower(), list(candidates), n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(candidates[c] for c in close)}?" if close else ""
    return f"unknown zone {text!r}{hint} (see 'dcal zones')"


def all_iana_keys() -> list[str]:
    """Every IANA key the bundled tzdata knows, sorted."""
    return sorted(_iana_keys().values())


def check_cities(cities: Mapping[str, str]) -> list[str]:
    """Problems with a catalogue's city → zone table (unknown IANA names)."""
    return [
        f"city {city!r}: unknown IANA zone {key!r}"
        for city, key in cities.items()
        if lookup_iana(key) != key
    ]


WallProblem = Literal["gap", "repeat"]


class Localized(NamedTuple):
    """A wall-clock time made into an instant, and what was odd about it."""

    instant: datetime
    problem: WallProblem | None


def localize(wall: datetime, tz: tzinfo) -> Localized:
    """Attach ``tz`` to a naive wall-clock time, as RFC 5545 §3.3.5 reads it.

    A time that occurs twice (a DST repeat) means its first occurrence; a time that does
    not exist (a DST gap) is read with the offset in force before the gap and so moves
    forward by the gap's length. Either case is returned as a problem for the caller
    to report: dcal never guesses silently.
    """
    if isinstance(tz, timezone):  # a fixed offset has no gaps or repeats
        return Localized(wall.replace(tzinfo=tz, fold=0), None)
    # The constructor, not replace(): half the time, and catalogues localise every session.
    fields = (
        wall.year,
        wall.month,
        wall.day,
        wall.hour,
        wall.minute,
        wall.second,
        wall.microsecond,
    )
    first = datetime(*fields, tz)
    second = datetime(*fields, tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return Localized(first, None)
    normalised = first.astimezone(UTC).astimezone(tz)
    if normalised.replace(tzinfo=None) != wall:
        return Localized(normalised, "gap")
    return Localized(first, "repeat")


def is_repeated(moment: datetime) -> bool:
    """Whether a DST change makes this wall time occur twice (a wall clock cannot say which)."""
    return moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset()


def describe_problem(wall: datetime, zone_name: str, localized: Localized) -> str:
    """A sentence describing a DST gap or repeat for a wall-clock time."""
    shown = wall.strftime("%Y-%m-%d %H:%M")
    if localized.problem == "gap":
        moved = localized.instant.strftime("%H:%M %Z")
        return (
            f"{shown} does not exist in {zone_name} (the clocks skip it); "
            f"read as {moved}, as RFC 5545 does"
        )
    return (
        f"{shown} occurs twice in {zone_name} (the clocks go back); "
        f"read as the first occurrence ({utc_label(localized.instant)})"
    )


def utc_offset_text(dt: datetime) -> str:
    """``+09:00`` for an aware datetime."""
    offset = dt.utcoffset() or timedelta(0)
    return _signed(int(offset.total_seconds()) // 60)


def utc_label(dt: datetime) -> str:
    """``UTC+09:00`` for an aware datetime (``UTC+00:00`` at UTC: an offset, shown as one)."""
    return f"UTC{utc_offset_text(dt)}"
