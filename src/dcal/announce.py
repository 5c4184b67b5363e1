"""Reading times as organizers publish them, and checking that their parts agree.

An announcement such as ``21 October @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST`` is a date
(in the first zone named) and one *part* per zone: a published start, perhaps an end, on
that zone's clock. ``parse_announcement`` reads the text into those pieces without judging
them; ``read_parts`` places every part on the calendar and compares it with a reference
(the first part itself for ``dcal parse``, the stored session for ``dcal check``).

Placing parts: the first part is on the announced date. A later part with no date of its
own is put on the day (the date before, of, or after) that brings it nearest the reference:
``23:00 JST`` beside ``16:00 UTC+2`` on 22 October is the 22nd in Japan, ``03:00 JST``
beside ``20:00 UTC+2`` the 23rd.
"""

from __future__ import annotations

import calendar
import contextlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from dcal.errors import DcalError, TimeParseError
from dcal.render import UNSAFE
from dcal.timeparse import (
    DAY_NAMES,
    MAX_HOUR,
    MAX_YEAR,
    MIN_YEAR,
    WEEKDAYS_EN,
    WEEKDAYS_JA,
    pattern,
)
from dcal.zones import (
    AMBIGUOUS,
    Zone,
    describe_problem,
    fold_text,
    localize,
    resolve_zone,
    utc_label,
)

MAX_ANNOUNCEMENT = 500  # characters; a published time string is a line, not a page

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}

# Zone names written out in words, as pages print them; each maps to a name resolve_zone knows.
ZONE_PHRASES = {
    "japan standard time": "JST",
    "japan time": "JST",
    "korea standard time": "KST",
    "central european summer time": "CEST",
    "central european time": "CET",
    "eastern european summer time": "EEST",
    "eastern european time": "EET",
    "western european summer time": "WEST",
    "western european time": "WET",
    "brasilia time": "BRT",
    "brasília time": "BRT",
    "coordinated universal time": "UTC",
    "greenwich mean time": "GMT",
    "eastern standard time": "EST",
    "eastern daylight time": "EDT",
    "pacific standard time": "UTC-8",
    "pacific daylight time": "PDT",
    "mountain daylight time": "MDT",
    "central daylight time": "UTC-5",
    "british summer time": "UTC+1",
    "india standard time": "UTC+05:30",
    "indian standard time": "UTC+05:30",
    "eastern time": "America/New_York",
    "central time": "America/Chicago",
    "mountain time": "America/Denver",
    "pacific time": "America/Los_Angeles",
    "日本時間": "JST",
    "日本標準時": "JST",
    "協定世界時": "UTC",
    "中央ヨーロッパ夏時間": "CEST",
    "中央ヨーロッパ時間": "CET",
    "中部ヨーロッパ夏時間": "CEST",
    "中部ヨーロッパ時間": "CET",
    "ドイツ時間": "Europe/Berlin",
    "ブラジル時間": "America/Sao_Paulo",
}
# Region names that mean the region's clock, whatever its season: "9:00 ET" is EST or EDT.
REGION_WORDS = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "MEZ": "CET",  # German: Mitteleuropäische (Sommer)zeit
    "MESZ": "CEST",
}
# The first part of IANA names: "Europe/Bonn" is an unknown zone, "and/or" a word.
IANA_AREAS = frozenset(
    {"africa", "america", "antarctica", "arctic", "asia", "atlantic", "australia", "europe",
     "indian", "pacific", "etc"}
)  # fmt: skip
# The years announcements are written in; other four-digit numbers are times (0900 CEST).
YEARS_WRITTEN = (1900, 2199)
# Words that carry no meaning for the time ("at", "Uhr"); anything else unknown is reported.
NOISE = frozenset(
    {"at", "from", "on", "the", "of", "and", "hrs", "hr", "h", "uhr", "o'clock", "time", "local",
     "starts", "start", "starting", "begins", "beginning"}
)  # fmt: skip
# Words after which a bare hour is an hour: "10 Uhr", "10h", "10 o'clock".
HOUR_WORDS = frozenset({"uhr", "h", "hrs", "hr", "o'clock", "oclock"})
RANGE_WORDS = frozenset(
    {"to", "until", "till", "through", "thru", "bis", "ends", "ending", "end", "finishes"}
)
# Japanese particles and words around dates and times: から is a range ("from … to").
JA_NOISE = ("にかけて", "まで", "より", "頃", "ごろ", "開催", "予定")

_DASHES = "-‐‑‒–—―−~〜⁓⸺⁃─"
# Compiled without re.ASCII, so that words may be "Belém"; other scripts' digits are made
# ASCII by ``normalise`` first.
_TOKEN_RE = (
    r"(?P<isotime>(?P<ty>\d{4})-(?P<tmo>\d{2})-(?P<td>\d{2})T(?P<th>\d{2}):(?P<tmi>\d{2})"
    r"(?::\d{2})?(?P<tzone>Z|[+\-]\d{2}:?\d{2})?(?![\d:]))"
    r"|(?P<jptime>(?P<jpmer>午前|午後)?(?P<jph>\d{1,2})時(?:(?P<jpm>\d{1,2})分|(?P<han>半))?)"
    r"|(?P<jpnoon>正午)"
    r"|(?P<iso>(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))(?![\d:])"
    r"|(?P<slashdate>(?P<sa>\d{1,2})(?P<sep>[/-])(?P<sb>\d{1,2})(?P=sep)(?P<sy>\d{4}|\d{2}))(?!\d)"
    r"|(?P<dmy>(?P<ed>\d{1,2})\.(?P<em>\d{1,2})\.(?P<ey>\d{4}))(?!\d)"
    r"|(?P<dayshift>\(\s?[+\-]\s?\d\s?(?:days?|日)?\s?\)|\+\s?\d\s?(?:days?(?![a-z])|日)"
    r"|(?<=[A-Z])\+\d(?![\d:])|翌日?)"
    r"|(?P<offset>(?i:UTC|GMT|UT)\s?[+\-−]\d{1,2}(?::?\d{2})?(?![\d:]))"
    r"|(?P<paren_offset>(?<=\()\s*[+\-−](?:\d{2}(?::?\d{2})?|\d:\d{2})(?=\s*\)))"
    r"|(?P<plus_offset>(?<![\w:])\+(?:\d{2}(?::?\d{2})?|\d:\d{2})(?![\d:]))"
    r"|(?P<time>(?P<h>\d{1,2})\s?(?::|h(?=\d)|\.(?=\d{2}(?![\d.])))\s?(?P<m>\d{2})"
    r"(?::(?P<s>\d{2}))?(?!\d)"
    r"(?:\s?(?P<mer>(?i:[ap]\.?\s?m\.?)(?![a-z])))?)"
    r"|(?P<hour>(?P<hh>\d{1,2})\s?(?P<hmer>(?i:[ap]\.?\s?m\.?)(?![a-z])))"
    r"|(?P<jpyear>(?:(?P<jy>\d{4})|(?P<era>令和|平成)\s?(?P<ey2>\d{1,2}|元))\s?年)"
    r"|(?P<jpmonth>(?P<jmo>\d{1,2})\s?月)"
    r"|(?P<jpday>(?P<jd>\d{1,2})\s?日)"
    r"|(?P<jpweekday>\(\s?(?P<jw>[月火水木金土日])(?:曜日?)?\s?\)|(?P<jw2>[月火水木金土日])曜日?)"
    r"|(?P<digits>\d{5,})"  # postcodes, phone and meeting numbers: never a date or time
    r"|(?P<year>\d{4})(?!\d)"
    r"|(?P<num>\d{1,2})(?:st|nd|rd|th)?(?![\d])"
    r"|(?P<phrase>{phrases})"
    r"|(?P<dash>[{dashes}]|から)"
    r"|(?P<jpnoise>{ja_noise})"
    r"|(?P<word>(?:[A-Za-z\u00c0-\u024f][\w'’]*|[^\W\d_][^\W\d]*)(?:/[^\W\d_][\w+\-]*)*\.?)"
    r"|(?P<punct>[@,/|()\[\]:;*・、。&!?'\"·•]+)"
    r"|(?P<other>\S)"
)


class NoZoneError(TimeParseError):
    """Times written without the zone they are in."""


class TimeOfDay(NamedTuple):
    """A published clock time; ``hour`` may pass 23 (``24:30``)."""

    hour: int
    minute: int
    text: str

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


class Part(NamedTuple):
    """What the announcement says in one zone."""

    zone: Zone
    start: TimeOfDay
    end: TimeOfDay | None
    day: date | None  # a date written for this part alone
    alias: bool = False  # the zone restates the previous part's ("10:00 CEST (UTC+2)")
    end_day: date | None = None  # the end's own date ("18 June 10:00 – 20 June 16:00")


class Dates(NamedTuple):
    """The announced day or days (inclusive), as read from the text."""

    first: date
    last: date
    text: str
    year_given: bool  # in this date, or elsewhere in the text


class Announcement(NamedTuple):
    """A parsed announcement: its dates, its parts, and the words it passed over."""

    text: str
    dates: Dates | None
    parts: tuple[Part, ...]
    ignored: tuple[str, ...]
    weekdays: tuple[tuple[date, int], ...] = ()  # each written weekday, beside its date


class Token(NamedTuple):
    kind: str
    text: str
    match: re.Match[str]


class _Point:
    """One end of a written date range; any field may be missing (``16``–``18 June``)."""

    __slots__ = ("day", "month", "weekday", "year")

    def __init__(self) -> None:
        self.year: int | None = None
        self.month: int | None = None
        self.day: int | None = None
        self.weekday: int | None = None

    def empty(self) -> bool:
        return self.year is None and self.month is None and self.day is None


@cache
def _token_pattern() -> re.Pattern[str]:
    phrases = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(ZONE_PHRASES, key=len, reverse=True)
    )
    source = (
        _TOKEN_RE.replace("{phrases}", f"(?i:{phrases})")
        .replace("{dashes}", re.escape(_DASHES))
        .replace("{ja_noise}", "|".join(JA_NOISE))
    )
    return re.compile(source)


def tokenize(text: str) -> list[Token]:
    """The text's tokens (times, dates, zones, dashes, words, punctuation)."""
    # lastgroup is the alternative's own group: it closes after any group inside it.
    return [Token(m.lastgroup or "other", m.group(), m) for m in _token_pattern().finditer(text)]


def normalise(text: str) -> str:
    """Full-width letters and brackets, and every script's digits, become ASCII; any run of
    spaces one space; web and mail addresses (whose numbers are no dates) a space."""
    text = pattern(r"(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+").sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(
            str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
        )
    return " ".join(text.split())


def parse_announcement(
    text: str,
    *,
    year_hint: date,
    year: int | None = None,
    cities: Mapping[str, str] | None = None,
    stored_hint: bool = False,
) -> Announcement:
    """Read a published time string. Raises TimeParseError saying what was not understood.

    ``year`` is used when the text gives none; otherwise a year written elsewhere in the
    text, else the year that puts the date nearest ``year_hint`` (``dcal parse`` passes
    today, preferring years whose weekday fits a written one). A ``stored_hint`` (the
    session's stored date, for ``dcal check``) is trusted over weekdays and over numbers
    that merely look like years (``the 2030 Agenda``). ``cities`` are the catalogue's city
    names, readable as zones (``Bonn time``).
    """
    if len(text) > MAX_ANNOUNCEMENT:
        raise TimeParseError(f"the text is longer than {MAX_ANNOUNCEMENT} characters")
    if pattern(UNSAFE).search(text):
        raise TimeParseError("the text holds control characters")

    def reader(hint: date, chosen: int | None, in_text: bool = False) -> _Reader:
        return _Reader(text, hint, chosen, cities or {}, in_text, not stored_hint)

    first = reader(year_hint, year)
    announcement = first.read()
    if year is None and first.guessed_year and first.explicit is not None:
        # "Oct 21 … Oct 22, 2025": a year written anywhere is the year of the dates without one.
        announcement = reader(first.explicit, None, True).read()
    elif year is None and first.guessed_year and first.loose_year and not stored_hint:
        announcement = reader(date(first.loose_year, 7, 1), first.loose_year, True).read()
    return announcement


class _Reader:
    """One left-to-right walk over the tokens: dates as they come, times gathered until a
    zone claims them (written after them, or before), each group of times a Part."""

    def __init__(
        self,
        text: str,
        year_hint: date,
        year: int | None,
        cities: Mapping[str, str],
        year_in_text: bool = False,
        weekday_years: bool = True,
    ) -> None:
        self.text = text
        self.normal = normalise(text)
        self.tokens = tokenize(self.normal)
        self.year_hint = year_hint
        self.year = year
        self.cities = cities
        self.year_in_text = year_in_text
        self.weekday_years = weekday_years
        # What the walk finds.
        self.dates: Dates | None = None
        self.parts: list[Part] = []
        self.ignored: list[str] = []
        self.weekdays: list[tuple[date, int]] = []
        self.guessed_year = False  # a date without a year was placed by the hint
        self.explicit: date | None = None  # the first date written with its year
        self.loose_year: int | None = None  # a year written away from any date
        # Where the walk is.
        self.pending: list[TimeOfDay | str] = []  # times and "-" markers, not yet zoned
        self.prefix: list[Zone] = []  # zones written before their times
        self.part_day: date | None = None  # a date for the part to come
        self.end_day: date | None = None  # a date written inside an open range
        self._reopened: Part | None = None  # a part whose zone was followed by a range
        self._closed_at = -1  # the index of the zone token that closed the last part
        self._suffixed = False  # parts are written times first, then their zone
        self._last_date: date | None = None
        self._loose_weekday: tuple[str, int] | None = None  # a weekday before any date
        self._rest: Sequence[Token] = ()  # the tokens after the date being read

    # ------------------------------------------------------------------ the walk

    def read(self) -> Announcement:
        i = 0
        tokens = self.tokens
        while i < len(tokens):
            token = tokens[i]
            if self._starts_date(i):
                i = self._read_dates(i)
                continue
            kind = token.kind
            if kind == "slashdate":
                self._use_date(_slash_date(token))
                i += 1
                continue
            if kind == "time" and "." in token.text and self._labelled(i):
                self.ignored.append(f"{tokens[i - 1].text} {token.text}")  # "Room 2.03"
            elif kind in ("time", "hour", "jptime", "jpnoon"):
                self.pending.append(_time_of(token))
            elif kind == "digits":
                self.ignored.append(token.text)
            elif kind == "isotime":
                self._iso_time(token, i)
            elif kind == "num":
                if self._labelled(i):  # "Day 2", "Session 1": a name, not a day or an hour
                    self.ignored.append(f"{tokens[i - 1].text} {token.text}")
                else:
                    self.pending.append(_bare_hour(token))
            elif kind == "year":
                self._four_digits(i)
            elif kind == "dash" or (kind == "word" and token.text.lower() in RANGE_WORDS):
                self._range_mark(i)
            elif kind in ("offset", "paren_offset", "plus_offset", "phrase"):
                self._zone(self._resolve(token.text, i), i)
            elif kind == "word":
                i = self._word(i)
            elif kind == "other":
                i = self._other(i)
            elif kind == "punct" and self.pending and self.prefix and _separates(token.text):
                self._flush()  # "JST 17:00–18:30 / 10:00–11:30 CEST": the slash ends a part
            # punctuation, Japanese particles and "(+1)" day marks carry nothing: every part
            # is placed on its nearest day anyway
            i += 1
        self._flush(final=True)
        sessions = [p for p in self.parts if not p.alias]
        for index, part in enumerate(sessions):
            for other in sessions[index + 1 :]:
                same_times = (other.start, other.end, other.day) == (part.start, part.end, part.day)
                if other.zone.text == part.zone.text and not same_times:  # two sessions
                    raise TimeParseError(
                        f"the text names {part.zone.text} twice ({part.start.text} and "
                        f"{other.start.text}): give one session's time at a time"
                    )
        if self._loose_weekday is not None:
            raise TimeParseError(f"{self._loose_weekday[0]!r} gives a weekday but no date")
        unread = [w for w in self.ignored if any(c.isdigit() for c in w)]
        if self.dates is None and unread:  # "20250618 10:00 CEST": not "no date, so today"
            raise TimeParseError("no date could be read" + ignored_hint(unread))
        return Announcement(
            self.text, self.dates, tuple(self.parts), tuple(self.ignored), tuple(self.weekdays)
        )

    def _range_mark(self, i: int) -> None:
        if self.pending and isinstance(self.pending[-1], TimeOfDay):
            self.pending.append("-")
        elif not self.pending and not self.prefix and self._just_closed(i):
            # "23:00 JST – 00:30 JST": the zone written after each end; undone in _zone if
            # another zone follows ("10:00 CEST - 17:00 JST" is two parts).
            last = self._reopened = self.parts.pop()
            self.pending = [last.start, "-"]
            self.prefix = [last.zone]

    def _iso_time(self, token: Token, i: int) -> None:
        """``2025-06-18T10:00+02:00``: a date, a time and perhaps a zone in one."""
        match = token.match
        try:
            day = date(int(match["ty"]), int(match["tmo"]), int(match["td"]))
        except ValueError:
            raise TimeParseError(f"{token.text!r} is not a real date") from None
        self._use_date(Dates(day, day, token.text, True), leads=True)
        self.pending.append(_checked(int(match["th"]), int(match["tmi"]), token.text))
        if match["tzone"]:
            zone = "UTC" if match["tzone"] == "Z" else f"UTC{match['tzone']}"
            self._zone(self._resolve(zone, i)._replace(text=match["tzone"]), i)

    def _four_digits(self, i: int) -> None:
        """A four-digit number away from any date: ``0900 CEST``, ``1400 hrs``, else ignored."""
        token = self.tokens[i]
        hours, minutes = divmod(int(token.text), 100)
        if self._labelled(i):  # "Room 2036", "Agenda 2030": a name
            self.ignored.append(f"{self.tokens[i - 1].text} {token.text}")
        elif self._clock_digits(i) and hours <= 24 and minutes <= 59:
            self.pending.append(TimeOfDay(hours, minutes, token.text))
        elif YEARS_WRITTEN[0] <= int(token.text) <= YEARS_WRITTEN[1]:  # "Daring Cities 2025"
            self.loose_year = int(token.text)
        else:
            self.ignored.append(token.text)

    def _clock_digits(self, i: int) -> bool:
        """Whether four digits are a time: before a zone or ``hrs`` (``0900 CEST``, ``2000
        CEST`` too), or in a range of them (``1400-1530``)."""
        after = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        beyond = self.tokens[i + 2] if i + 2 < len(self.tokens) else None
        if after is not None and (
            after.kind in ("offset", "phrase")
            or (
                after.kind == "word"
                and (after.text.isupper() or after.text.lower() in HOUR_WORDS)
                and after.text.lower() not in MONTHS
            )
        ):
            return True
        if (
            after is not None
            and after.kind == "dash"
            and beyond is not None
            and beyond.kind == "year"
        ):
            return True
        # The end of "1400-1530 CEST"
        return len(self.pending) > 1 and self.pending[-1] == "-" and _four(self.pending[-2])

    def _word(self, i: int) -> int:
        token = self.tokens[i]
        word = token.text.rstrip(".")
        lowered = word.lower()
        following = self.tokens[i + 1].text.lower() if i + 1 < len(self.tokens) else ""
        bare = self.pending[-1] if self.pending else None
        if lowered in HOUR_WORDS and isinstance(bare, _BareHour):  # "10 Uhr", "10–12 Uhr"
            self.pending = [
                _checked(t.hour, 0, f"{t.text} {word}") if isinstance(t, _BareHour) else t
                for t in self.pending
            ]
            return i
        if lowered in ("noon", "midday"):
            if isinstance(bare, TimeOfDay) and (bare.hour, bare.minute) == (12, 0):  # "12 noon"
                self.pending.pop()
            self.pending.append(TimeOfDay(12, 0, word))
            return i
        if lowered == "midnight":
            # As an end, midnight is the end of the day; as a start, its beginning.
            if isinstance(bare, TimeOfDay) and bare.hour in (0, 12, 24) and not bare.minute:
                self.pending.pop()  # "12 midnight", "00:00 midnight"
            hour = 24 if self.pending and self.pending[-1] == "-" else 0
            self.pending.append(TimeOfDay(hour, 0, word))
            return i
        if lowered in NOISE or lowered in MONTHS or lowered in WEEKDAYS:
            return i
        after_next = self.tokens[i + 2].text.lower() if i + 2 < len(self.tokens) else ""
        if after_next == "time" and self.tokens[i + 1].kind == "word":  # "New York time"
            pair = f"{word} {self.tokens[i + 1].text}"
            zone = self._zone_word(pair, i, zone_place=True)
            if zone is not None:
                self._zone(zone, i)
                return i + 2
        # Times not yet zoned, or "… time", put a word where a zone is written.
        zone_place = (self.pending and not self.prefix) or following == "time"
        zone = self._zone_word(word, i, zone_place=bool(zone_place))
        if zone is not None:
            self._zone(zone, i)
            return i + 1 if following == "time" else i
        pieces = (
            [self._zone_word(p, i, zone_place=True) for p in word.split("/")] if "/" in word else []
        )
        if pieces and all(pieces):  # "CEST/UTC+2": a zone, then the same clock restated
            for piece in pieces:
                assert piece is not None
                self._zone(piece, i)
            return i
        self.ignored.append(token.text)
        return i

    def _zone_word(self, word: str, i: int, *, zone_place: bool) -> Zone | None:
        """The zone a word names, if it names one here; raises for a zone dcal can't use.

        Abbreviations count only in capitals (``eat`` and ``cat`` are words, ``EAT`` and
        ``CAT`` zones); place names (``Bonn``, ``Japan``) only where a zone is written.
        Capitals that are no zone (``ICLEI``, ``COP30``) are passed over, except right
        after times, where a short one is taken for an unknown zone.
        """
        upper = word.isupper() or word.lower() in ("utc", "gmt")
        if upper and word.upper() in AMBIGUOUS:
            return self._resolve(word, i)  # raises, listing the candidates
        if "/" in word:
            area = word.split("/", 1)[0].lower()
            if area in IANA_AREAS:
                return self._resolve(word, i)
            return self._season_pair(word)
        try:
            zone = resolve_zone(REGION_WORDS.get(word, word), cities=self.cities, suggest=False)
        except DcalError:
            zone = None
        if zone is not None and (upper or (zone_place and zone.kind in ("city", "iana"))):
            if zone.kind == "city" and not self._named_city(word, i):
                return None  # "Center", "Victoria": words before they are zones
            return zone._replace(text=word)
        if upper and zone_place and len(word) <= 5 and word.isalpha():
            return self._resolve(word, i)  # raises: "10:00 XYZT"
        return None

    def _named_city(self, word: str, i: int) -> bool:
        """A place name counts as a zone when the catalogue names the city, when ``time``
        follows it (``São Paulo time``), or when it stands alone before punctuation."""
        following = " ".join(t.text.lower() for t in self.tokens[i + 1 : i + 3])
        if following.startswith("time") or following.split(" ")[-1:] == ["time"]:
            return True
        if i + 1 == len(self.tokens) or self.tokens[i + 1].kind in ("punct", "dash"):
            return True  # "3:00 p.m. London |": a place on its own, not "Center Bonn"
        folded = fold_text(word)
        return any(fold_text(city) == folded for city in self.cities)

    def _season_pair(self, word: str) -> Zone | None:
        """``CET/CEST``, ``EST/EDT``, ``MEZ/MESZ``: one region's clock, whichever the season."""
        regions: set[str] | None = None
        for name in word.split("/"):
            name = REGION_WORDS.get(name, name).upper()
            if name in AMBIGUOUS:  # PST/PDT: PST alone may be Manila's, PDT is not
                found = {candidate.split(" ", 1)[0] for candidate in AMBIGUOUS[name]}
            else:
                try:
                    zone = resolve_zone(name, suggest=False)
                except DcalError:
                    return None
                if zone.kind != "abbreviation":
                    return None
                found = {zone.name}
            regions = found if regions is None else regions & found
        if regions is None or len(regions) != 1:
            return None
        return resolve_zone(regions.pop())._replace(text=word)

    def _other(self, i: int) -> int:
        """A run of characters no rule reads (Japanese prose, symbols): kept as one ignored word."""
        start = i
        while i + 1 < len(self.tokens) and self.tokens[i + 1].kind == "other":
            if self.tokens[i + 1].match.start() != self.tokens[i].match.end():
                break
            i += 1
        self.ignored.append("".join(t.text for t in self.tokens[start : i + 1]))
        return i

    def _resolve(self, text: str, i: int) -> Zone:
        name = ZONE_PHRASES.get(" ".join(text.lower().split())) or REGION_WORDS.get(text, text)
        try:
            # Keep the zone as written ("日本時間", "Central European Time") for messages.
            return resolve_zone(name, cities=self.cities, suggest=False)._replace(
                text=" ".join(text.split())
            )
        except DcalError as exc:
            raise TimeParseError(f"{exc} (at {self._where(i)})") from None

    def _where(self, i: int) -> str:
        return f"character {self.tokens[i].match.start() + 1}"

    # ------------------------------------------------------------------ zones and parts

    def _just_closed(self, i: int) -> bool:
        """Whether only punctuation stands between ``i`` and the zone that closed a part with
        one time (``10:00 CEST – 11:30 CEST``, ``10:00 CEST, ends at 11:30 CEST``)."""
        if not self.parts or self.parts[-1].end is not None or self.parts[-1].alias:
            return False
        between = self.tokens[self._closed_at + 1 : i]
        return self._closed_at >= 0 and all(t.kind == "punct" for t in between)

    def _zone(self, zone: Zone, i: int) -> None:
        """A zone closes the times before it, or waits for the times after it."""
        self._closed_at = i
        if self.pending:
            repeated = len(self.prefix) == 1 and self.prefix[0].text == zone.text
            if not self.prefix:
                self._suffixed = True
                self.prefix = [zone]
                self._flush()
            elif repeated:  # "23:00 JST – 00:30 JST" names the zone after each end
                self._flush()
            elif self._reopened is not None:  # "10:00 CEST - 17:00 JST": two parts after all
                self.parts.append(self._reopened)
                self.pending = self.pending[2:]
                self.part_day, self.end_day = self.end_day, None
                self.prefix = [zone]
                self._flush()
            else:  # "JST 17:00 / CEST 10:00": the times were the earlier zone's
                self._flush()
                self.prefix = [zone]
        elif (
            self.parts
            and not self.prefix
            and (self._between("(", ")", i) or (self._suffixed and not self._times_follow(i)))
        ):
            # "10:00 CEST (UTC+2)", "10:00 CEST / UTC+2 / 17:00 JST": zones written after their
            # times, so a zone with no time of its own restates the one before.
            self.parts.append(self.parts[-1]._replace(zone=zone, alias=True))
        else:
            self.prefix.append(zone)

    def _times_follow(self, i: int) -> bool:
        """Whether a time comes right after token ``i`` (``ドイツ時間 10:00``): its zone."""
        j = i + 1
        while (
            j < len(self.tokens) and self.tokens[j].kind == "punct" and ":" in self.tokens[j].text
        ):
            j += 1
        return j < len(self.tokens) and self.tokens[j].kind in (
            "time",
            "hour",
            "jptime",
            "jpnoon",
            "isotime",
        )

    def _between(self, left: str, right: str, i: int) -> bool:
        before = self.tokens[i - 1].text.strip() if i > 0 else ""
        after = self.tokens[i + 1].text.strip() if i + 1 < len(self.tokens) else ""
        return before.endswith(left) and after.startswith(right)

    def _flush(self, *, final: bool = False) -> None:
        """Turn the pending times into a part for each zone written with them."""
        self._reopened = None
        if not self.pending:
            if final and self.prefix and self.parts:  # "… JST, i.e. UTC+9": restates the last
                last = self.parts[-1]
                for zone in self.prefix:
                    self.parts.append(last._replace(zone=zone, alias=True))
            elif final and self.prefix:
                raise TimeParseError(
                    f"{self.prefix[0].text} is given without a time" + ignored_hint(self.ignored)
                )
            self.prefix = []
            return
        start, end = _time_range(self.pending)
        day, self.part_day = self.part_day, None
        end_day, self.end_day = self.end_day, None
        if not self.prefix:
            raise NoZoneError(
                f"no zone is given for {start.text}"
                + (f"–{end.text}" if end else "")
                + ignored_hint(self.ignored)
            )
        for index, zone in enumerate(self.prefix):
            self.parts.append(Part(zone, start, end, day, index > 0, end_day if end else None))
        self.pending = []
        self.prefix = []

    # ------------------------------------------------------------------ dates

    def _starts_date(self, i: int) -> bool:
        token = self.tokens[i]
        if token.kind in ("iso", "dmy", "jpyear", "jpmonth", "jpday", "jpweekday"):
            return True
        if token.kind == "year":  # "June 2025", "2025 June 18"; "0900 CEST" is a time
            if self._clock_digits(i) or self._labelled(i):
                return False
            return self._next_kind(i) == "month" or self._prev_kind(i) in (
                "month",
                "num",
                "jpmonth",
                "jpday",
                "jpweekday",
            )
        if token.kind == "word":
            word = token.text.rstrip(".").lower()
            if word in WEEKDAYS:
                return True
            if word in MONTHS:
                # "May" is a month only beside a day or year number.
                return (
                    word != "may"
                    or self._next_kind(i) in ("num", "year")
                    or (self._prev_kind(i) == "num")
                )
        return token.kind == "num" and self._day_number(i)

    def _next_kind(self, i: int, skip: tuple[str, ...] = (",", ".")) -> str | None:
        j = i + 1
        while j < len(self.tokens) and self.tokens[j].text in skip:
            j += 1
        return self._kind_at(j)

    def _prev_kind(self, i: int) -> str | None:
        j = i - 1
        while j >= 0 and self.tokens[j].text in (",", "."):
            j -= 1
        return self._kind_at(j)

    def _kind_at(self, j: int) -> str | None:
        if not 0 <= j < len(self.tokens):
            return None
        token = self.tokens[j]
        word = token.text.rstrip(".").lower()
        if token.kind == "word" and word in MONTHS:
            return "month"
        if token.kind == "word" and word in ("of", "the"):  # "Wednesday the 18th of June"
            return "of"
        if token.kind == "word" and word in RANGE_WORDS:
            return "dash"
        if token.kind == "word" and word in WEEKDAYS:
            return "weekday"
        return token.kind

    def _labelled(self, i: int) -> bool:
        """Whether the number at ``i`` follows a word that it numbers (``Day 2``)."""
        if i == 0 or self.tokens[i - 1].kind != "word":
            return False
        word = self.tokens[i - 1].text.rstrip(".").lower()
        if word in NOISE or word in MONTHS or word in WEEKDAYS or word in RANGE_WORDS:
            return False
        label = self.tokens[i - 1].text
        if label.isupper():  # "CEST 10 – 11 am" names a zone; "SDG 11", "DAY 2" are labels
            try:
                resolve_zone(REGION_WORDS.get(label, label), cities=self.cities, suggest=False)
            except DcalError:
                return True
            return False
        return True

    def _day_number(self, i: int) -> bool:
        """Whether the bare number at ``i`` is a day of a month (else perhaps an hour)."""
        if self._labelled(i):
            return False
        after = self._next_kind(i)
        if after in ("month", "of", "jpday"):
            return True
        if self._prev_kind(i) in ("month", "jpmonth", "weekday"):
            return True
        # "7 to 28 October", "16–18日", "Mon 16 – Wed 18 June"
        if after == "dash":
            j = self._skip_to_kind(i, "dash") + 1
            while j < len(self.tokens) and self._kind_at(j) in ("weekday", "punct"):
                j += 1
            if self._kind_at(j) == "jpday":
                return True
            if self._kind_at(j) == "num" and self._next_kind(j) in ("month", "jpday"):
                return True
        return False

    def _skip_to_kind(self, i: int, kind: str) -> int:
        j = i + 1
        while j < len(self.tokens) and self._kind_at(j) != kind:
            j += 1
        return j

    def _date_token(self, i: int, started: bool) -> bool:
        """Whether token ``i`` continues a date run."""
        kind = self._kind_at(i)
        if kind in ("iso", "dmy", "jpyear", "jpmonth", "jpday", "jpweekday", "month"):
            return True
        if kind == "year":  # "June 16-18, 2025"; not "18 June 2025, 1400-1530 CEST"
            if self._clock_digits(i):
                return False
            return self._prev_kind(i) in ("month", "num", "jpmonth", "jpday", "weekday")
        token = self.tokens[i]
        if kind == "weekday":
            return True
        if kind == "of" or token.text in (",", ".") or kind == "jpnoise":
            return started
        if kind == "num":
            return self._day_number(i) or self._prev_kind(i) in ("month", "jpmonth", "dash")
        if kind == "dash":
            nxt = self._next_kind(i)
            if nxt == "num":
                j = self._skip_to_kind(i, "num")
                # After a dash, a number is a day unless it is an hour ("June 9 - 10am").
                return self._next_kind(j) not in ("time", "hour", "dash") or self._day_number(j)
            return nxt in ("month", "jpmonth", "jpday", "iso", "dmy", "jpyear", "year", "weekday")
        return False

    def _read_dates(self, i: int) -> int:
        start = i
        points = [_Point()]
        while i < len(self.tokens) and self._date_token(i, started=i > start):
            self._date_piece(self.tokens[i], points, i)
            i += 1
        while i > start and self.tokens[i - 1].kind in ("punct", "dash", "jpnoise"):
            i -= 1  # a trailing comma or dash belongs to what follows
        self._rest = self.tokens[i:]
        span = self.normal[self.tokens[start].match.start() : self.tokens[i - 1].match.end()]
        found = [p for p in points if not p.empty()]
        weekday = points[0].weekday
        if not found and weekday is not None and len(points) == 1:
            # "2025/06/18 (Wed)": a weekday on its own belongs to the date before it
            if self._last_date is None:  # "Wednesday, 10:00 CEST — 18 June 2025"
                self._loose_weekday = (span, weekday)
            else:
                self.weekdays.append((self._last_date, weekday))
            return i
        self._use_date(self._make_dates(found, span))
        return i

    def _use_date(self, dates: Dates, *, leads: bool = False) -> None:
        """The announcement's date, the date of the part to come, or of an open range's end;
        or, written after the last part (unless it ``leads`` a time of its own), that part's."""
        self._last_date = dates.last
        if self._loose_weekday is not None:
            self.weekdays.append((dates.first, self._loose_weekday[1]))
            self._loose_weekday = None
        if self.pending and self.pending[-1] == "-":  # "18 June 10:00 – 20 June 16:00"
            self.end_day = dates.first
            if self.dates is None:
                self.dates = dates
        elif self.dates is None:
            self.dates = dates
        elif (
            not leads
            and not self.pending
            and self.parts
            and self.parts[-1].day is None
            and not any(t.kind in ("time", "hour", "jptime", "isotime", "num") for t in self._rest)
        ):
            # "8 pm EDT Oct 21 / 2 am CEST Oct 22": a date after the last part is its own,
            # if it is the day before or after; "register by 15 June" is about something else.
            if abs((dates.first - self.dates.first).days) <= 1:
                self.parts[-1] = self.parts[-1]._replace(day=dates.first)
            else:
                self.ignored.append(dates.text)
        else:
            self.part_day = dates.first

    def _date_piece(self, token: Token, points: list[_Point], i: int) -> None:
        kind = self._kind_at(i)
        point = points[-1]
        match = token.match
        if kind == "dash":
            points.append(_Point())
        elif kind == "iso":
            _set(point, int(match["iy"]), int(match["im"]), int(match["id"]))
        elif kind == "dmy":
            _set(point, int(match["ey"]), int(match["em"]), int(match["ed"]))
        elif kind == "jpyear" and match["era"]:  # 令和7年 is 2025, 平成31年 2019
            number = 1 if match["ey2"] == "元" else int(match["ey2"])
            point.year = number + (2018 if match["era"] == "令和" else 1988)
        elif kind in ("jpyear", "year"):
            point.year = int(match["jy"] or match["year"])
        elif kind in ("jpmonth", "month"):
            month = (
                int(match["jmo"]) if kind == "jpmonth" else MONTHS[token.text.rstrip(".").lower()]
            )
            if point.month is not None and point.day is not None:
                raise TimeParseError(
                    f"two dates without a range between them (at {self._where(i)})"
                )
            point.month = month
        elif kind in ("jpday", "num"):
            if point.day is not None:
                raise TimeParseError(f"two days without a range between them (at {self._where(i)})")
            point.day = int(match["jd"] or match["num"])
        elif kind == "jpweekday":
            point.weekday = WEEKDAYS_JA.index(match["jw"] or match["jw2"])
        elif kind == "weekday":
            point.weekday = WEEKDAYS.get(token.text.rstrip(".").lower())

    def _make_dates(self, points: list[_Point], span: str) -> Dates:
        if not points or len(points) > 2:
            raise TimeParseError(f"{span!r} is not a date or a range of two dates")
        first, last = points[0], points[-1]
        for a, b in ((first, last), (last, first)):
            a.year = a.year if a.year is not None else b.year
            a.month = a.month if a.month is not None else b.month
        if first.month is None:
            raise TimeParseError(f"{span!r} gives no month")
        if (first.day is None) != (last.day is None):
            raise TimeParseError(f"{span!r} mixes a day and a whole month")
        year_given = first.year is not None or self.year_in_text
        try:
            begin = self._date(first, day_of_month=1)
            end = self._date(last, day_of_month=None, after=begin)
        except ValueError:
            raise TimeParseError(f"{span!r} is not a real date") from None
        if first.year is not None and self.explicit is None:
            self.explicit = begin
        ends = [(first, begin), (last, end)] if len(points) > 1 else [(first, begin)]
        self.weekdays += [(day, p.weekday) for p, day in ends if p.weekday is not None]
        if end < begin:
            raise TimeParseError(f"{span!r} ends before it begins")
        if not (begin.year >= MIN_YEAR and end.year <= MAX_YEAR):
            raise TimeParseError(f"{span!r} is outside the years dcal supports")
        return Dates(begin, end, span, year_given)

    def _date(self, point: _Point, *, day_of_month: int | None, after: date | None = None) -> date:
        """The point's date; without a year, the one nearest the announcement's first date,
        else ``--year``, else the hint (preferring years whose weekday matches the text)."""
        assert point.month is not None
        month = point.month

        def make(year: int) -> date:
            day = point.day
            if day is None:
                day = day_of_month or calendar.monthrange(year, month)[1]
            return date(year, month, day)

        if point.year is not None:
            return make(point.year)
        if after is not None:  # the end of a range without a year: the first one not before
            candidate = make(after.year)
            return candidate if candidate >= after else make(after.year + 1)
        if self.dates is None and self.year is not None:
            return make(self.year)
        hint = self.dates.first if self.dates is not None else self.year_hint
        if self.dates is None:
            self.guessed_year = True
        candidates = []
        for spread in (1, 4):  # 29 February may be four years away
            for year in range(hint.year - spread, hint.year + spread + 1):
                if MIN_YEAR <= year <= MAX_YEAR:
                    with contextlib.suppress(ValueError):
                        candidates.append(make(year))
            if candidates:
                break
        if not candidates:
            raise ValueError("no such date")
        matching = [d for d in candidates if self.weekday_years and d.weekday() == point.weekday]
        return min(matching or candidates, key=lambda d: abs((d - hint).days))


def _slash_date(token: Token) -> Dates:
    """``18/06/2025`` or ``6/18/25``: read only when one of the numbers cannot be a month."""
    match = token.match
    a, b, year = int(match["sa"]), int(match["sb"]), int(match["sy"])
    if len(match["sy"]) == 2:
        year += 2000
    if a != b and a <= 12 and b <= 12:
        raise TimeParseError(
            f"{token.text!r} can be read day-first or month-first; "
            "write 21 October 2020 or 2020-10-21"
        )
    day, month = (a, b) if a > 12 else (b, a)
    try:
        value = date(year, month, day)
    except ValueError:
        raise TimeParseError(f"{token.text!r} is not a real date") from None
    return Dates(value, value, token.text, True)


def _separates(punctuation: str) -> bool:
    return "/" in punctuation or "|" in punctuation


def _four(item: TimeOfDay | str) -> bool:
    return isinstance(item, TimeOfDay) and len(item.text) == 4 and item.text.isdigit()


def ignored_hint(ignored: Sequence[str]) -> str:
    """``; not understood: 'x', 'y'``, for a message; empty when nothing was passed over."""
    return f"; not understood: {', '.join(repr(w) for w in ignored)}" if ignored else ""


def _set(point: _Point, year: int, month: int, day: int) -> None:
    point.year, point.month, point.day = year, month, day


def _time_of(token: Token) -> TimeOfDay:
    match = token.match
    if token.kind == "jpnoon":
        return TimeOfDay(12, 0, token.text)
    if token.kind == "jptime":
        hour = int(match["jph"])
        minute = 30 if match["han"] else int(match["jpm"] or 0)
        if match["jpmer"]:  # 午前0時 is midnight and 午後0時 noon, as Japanese writes them
            pm = match["jpmer"] == "午後"
            hour = (
                hour + 12
                if pm and hour == 0
                else _meridiem(hour or 12, "pm" if pm else "am", token.text)
            )
        return _checked(hour, minute, token.text)
    if token.kind == "hour":
        return _checked(_meridiem(int(match["hh"]), match["hmer"], token.text), 0, token.text)
    hour, minute = int(match["h"]), int(match["m"])
    if match["s"] and int(match["s"]):
        raise TimeParseError(f"{token.text!r}: dcal reads times to the minute")
    if match["mer"]:
        hour = _meridiem(hour, match["mer"], token.text)
    return _checked(hour, minute, token.text)


class _BareHour(TimeOfDay):
    """A number that can be an hour only with the am/pm of the range's other end (``9-10am``)."""


def _bare_hour(token: Token) -> TimeOfDay:
    return _BareHour(int(token.match["num"]), 0, token.text)


def _meridiem(hour: int, marker: str, text: str) -> int:
    if not 1 <= hour <= 12:
        raise TimeParseError(f"{text!r} is not a time: am/pm hours go from 1 to 12")
    pm = marker.lower().startswith("p")
    return (hour % 12) + (12 if pm else 0)


def _checked(hour: int, minute: int, text: str) -> TimeOfDay:
    if hour > MAX_HOUR or minute > 59:
        raise TimeParseError(f"{text!r} is not a time of day")
    return TimeOfDay(hour, minute, text)


def _marker_of(clock: TimeOfDay) -> str | None:
    if clock.text.lower() in ("noon", "midday", "正午"):  # "noon – 1:30" is 12:00 to 13:30
        return "pm"
    if clock.text.startswith(("午前", "午後")):  # "午後2時～4時" is 14:00 to 16:00
        return "pm" if clock.text.startswith("午後") else "am"
    found = pattern(r"(?i)([ap])\.?\s?m\.?$").search(clock.text)
    return found.group(1).lower() + "m" if found else None


def _time_range(pending: list[TimeOfDay | str]) -> tuple[TimeOfDay, TimeOfDay | None]:
    """One time, or two with a dash between; a bare hour takes its partner's am/pm."""
    while pending and pending[-1] == "-":
        pending.pop()
    times = [t for t in pending if isinstance(t, TimeOfDay)]
    shown = " ".join(t if isinstance(t, str) else t.text for t in pending)
    if len(times) > 2 or (len(times) == 2 and pending[1] != "-"):
        raise TimeParseError(f"{shown!r} is not one time or a range of two")
    start = times[0]
    end = times[1] if len(times) == 2 else None
    if isinstance(end, _BareHour):
        raise TimeParseError(f"{end.text!r} is not a time; write it as {end.text}:00")
    if isinstance(start, _BareHour):
        marker = _marker_of(end) if end is not None else None
        if marker is None:
            raise TimeParseError(f"{start.text!r} is not a time; write it as {start.text}:00")
        assert end is not None
        hour = _meridiem(start.hour, marker, start.text)
        if hour * 60 > end.hour * 60 + end.minute:  # "11-1pm" is 11 am to 1 pm
            hour = _meridiem(start.hour, "am" if marker == "pm" else "pm", start.text)
        start = TimeOfDay(hour, 0, start.text)
    elif end is not None and _marker_of(end) and not _marker_of(start) and start.hour <= 12:
        # "9:00-10:00 am": the end's am/pm is the start's too, unless that puts it after the end.
        marker = _marker_of(end)
        assert marker is not None
        if start.hour >= 1:
            hour = _meridiem(start.hour, marker, start.text)
            if hour * 60 + start.minute > end.hour * 60 + end.minute:
                hour = _meridiem(start.hour, "am" if marker == "pm" else "pm", start.text)
            start = TimeOfDay(hour, start.minute, start.text)
    elif end is not None and _marker_of(start) and not _marker_of(end) and 1 <= end.hour <= 12:
        # "7pm-8:30": the start's am/pm is the end's too, unless that puts it before the start.
        marker = _marker_of(start)
        assert marker is not None
        hour = _meridiem(end.hour, marker, end.text)
        if hour * 60 + end.minute <= start.hour * 60 + start.minute:
            hour = _meridiem(end.hour, "am" if marker == "pm" else "pm", end.text)
        end = TimeOfDay(hour, end.minute, end.text)
    return start, end


# ---------------------------------------------------------------------- placing and comparing


class Difference(NamedTuple):
    """One published value that disagrees with the value computed from the reference."""

    what: str  # "start", "end", "date", "weekday"
    published: str
    computed: str
    note: str | None = None


class PartReading(NamedTuple):
    """A part placed on the calendar, beside the reference seen on its clock."""

    part: Part
    placed: Placed
    computed_start: datetime  # the reference's times on the part's clock
    computed_end: datetime | None
    differences: tuple[Difference, ...]

    @property
    def start(self) -> datetime:
        return self.placed.start

    @property
    def end(self) -> datetime | None:
        return self.placed.end

    @property
    def notes(self) -> tuple[str, ...]:
        return self.placed.notes


def wall_time(day: date, clock: TimeOfDay) -> datetime:
    """``clock`` on ``day``; ``24:30`` is 00:30 the next day."""
    extra, hour = divmod(clock.hour, 24)
    return datetime.combine(day + timedelta(days=extra), time(hour, clock.minute))


class Placed(NamedTuple):
    """A part on the calendar: its instants, and its wall-clock times as written."""

    start: datetime
    end: datetime | None
    start_wall: datetime  # naive; 02:30 even where the clocks skip 02:30
    end_wall: datetime | None
    notes: tuple[str, ...]  # DST gaps and repeats
    skipped: bool = False  # a written time the clocks skip: no such time exists


def place(part: Part, day: date) -> Placed:
    """The part on ``day``: an end at or before the start is on the next day (``23:00 –
    00:30``) unless the text gives its date; DST gaps and repeats are read as RFC 5545 does."""
    start_wall = wall_time(day, part.start)
    start = localize(start_wall, part.zone.wall)
    notes = [describe_problem(start_wall, part.zone.name, start)] if start.problem else []
    if part.end is None:
        return Placed(start.instant, None, start_wall, None, tuple(notes), start.problem == "gap")
    end_wall = wall_time(part.end_day or day, part.end)
    if part.end_day is None:
        while end_wall <= start_wall:
            end_wall += timedelta(days=1)
    end = localize(end_wall, part.zone.wall)
    if end.problem:
        notes.append(describe_problem(end_wall, part.zone.name, end))
    if end.instant.astimezone(UTC) <= start.instant.astimezone(UTC):
        raise TimeParseError(
            f"{part.start.text}–{part.end.text} {part.zone.text} ends before it begins"
            + (f" ({notes[0]})" if notes else "")
        )
    skipped = "gap" in (start.problem, end.problem)
    return Placed(start.instant, end.instant, start_wall, end_wall, tuple(notes), skipped)


def nearest_day(part: Part, base: date, reference: datetime) -> date:
    """The day (``base`` ± 2) that puts the part's start nearest the reference instant."""
    days = [base + timedelta(days=n) for n in (0, -1, 1, -2, 2)]
    # In UTC: aware datetimes sharing a tzinfo subtract as wall clocks, wrong across DST.
    target = reference.astimezone(UTC)
    return min(days, key=lambda day: abs(_start_instant(part, day) - target))


def _start_instant(part: Part, day: date) -> datetime:
    return localize(wall_time(day, part.start), part.zone.wall).instant.astimezone(UTC)


def read_parts(
    announcement: Announcement,
    reference: tuple[datetime, datetime | None] | None = None,
    default_day: date | None = None,
) -> list[PartReading]:
    """Place every part and compare it with ``reference`` (start, end).

    Without a reference the first part is the reference (``dcal parse``). The first part
    is on the announced date (else ``default_day``); see the module's docstring for the rest.
    """
    parts = announcement.parts
    if not parts:
        return []
    base = announcement.dates.first if announcement.dates else default_day
    if base is None:
        raise TimeParseError("the text gives no date")
    own = reference is None
    if reference is None:
        first = place(parts[0], parts[0].day or base)
        reference = (first.start, first.end or _first_end(announcement, first.start, base))
    ref_start, ref_end = reference
    readings = []
    for index, part in enumerate(parts):
        if part.day is not None:
            day = part.day
        elif index == 0 and (own or announcement.dates):
            day = base
        else:
            day = nearest_day(part, base, ref_start)
        placed = place(part, day)
        tz = part.zone.wall
        computed = (ref_start.astimezone(tz), ref_end.astimezone(tz) if ref_end else None)
        # The first part is its own reference in ``dcal parse``: only its notes count.
        differences = [] if own and index == 0 else _differences(part, placed, computed)
        readings.append(PartReading(part, placed, *computed, tuple(differences)))
    return readings


def _differences(
    part: Part, placed: Placed, computed: tuple[datetime, datetime | None]
) -> list[Difference]:
    """Published against computed, as the wall clocks people read; a range moved by whole
    days is one ``date`` difference, not two."""
    pairs = [
        (what, shown, reference)
        for what, shown, reference in zip(
            ("start", "end"), (placed.start_wall, placed.end_wall), computed, strict=True
        )
        if shown is not None and reference is not None and shown != _wall(reference)
    ]
    shifts = {shown - _wall(reference) for _, shown, reference in pairs}
    note = abbreviation_note(part.zone, computed[0])
    if pairs and pairs[0][0] == "start" and len(shifts) == 1:
        shift = shifts.pop()
        if shift % timedelta(days=1) == timedelta(0):
            published, reference = placed.start_wall.date(), computed[0].date()
            return [Difference("date", published.isoformat(), reference.isoformat(), note)]
    differences = []
    for what, shown, reference in pairs:
        fmt = "%H:%M" if shown.date() == reference.date() else "%Y-%m-%d %H:%M"
        differences.append(Difference(what, shown.strftime(fmt), reference.strftime(fmt), note))
    return differences


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _first_end(announcement: Announcement, start: datetime, base: date) -> datetime | None:
    """Where the first part gives no end, the first end another part gives, as an instant."""
    for part in announcement.parts[1:]:
        if part.end is not None:
            return place(part, part.day or nearest_day(part, base, start)).end
    return None


def abbreviation_note(zone: Zone, moment: datetime) -> str | None:
    """Why an abbreviation may be the mistake: ``CEST`` written for a winter date in Berlin."""
    if zone.kind != "abbreviation":
        return None
    written = moment.astimezone(zone.wall)
    actual = moment.astimezone(zone.tz)
    if written.utcoffset() == actual.utcoffset():
        return None
    return (
        f"{zone.text} is {utc_label(written)}, but {zone.name} is on "
        f"{actual.strftime('%Z')} ({utc_label(actual)}) on {actual:%Y-%m-%d}"
    )


def weekday_differences(announcement: Announcement) -> list[Difference]:
    """Each weekday written beside a date that the date does not fall on."""
    return [
        Difference(
            "weekday",
            WEEKDAYS_EN[weekday],
            WEEKDAYS_EN[day.weekday()],
            f"{day.isoformat()} is a {DAY_NAMES[day.weekday()]}",
        )
        for day, weekday in announcement.weekdays
        if weekday != day.weekday()
    ]
