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
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from dcal.errors import DcalError, TimeParseError
from dcal.timeparse import MAX_HOUR, MAX_YEAR, MIN_YEAR, pattern
from dcal.zones import AMBIGUOUS, Zone, localize, resolve_zone

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
JA_WEEKDAYS = "月火水木金土日"
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

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
}
# The first part of IANA names: "Europe/Bonn" is an unknown zone, "and/or" a word.
IANA_AREAS = frozenset(
    {"africa", "america", "antarctica", "arctic", "asia", "atlantic", "australia", "europe",
     "indian", "pacific", "etc"}
)  # fmt: skip
# Words that carry no meaning for the time ("at", "Uhr"); anything else unknown is reported.
NOISE = frozenset(
    {"at", "from", "on", "the", "of", "and", "hrs", "hr", "h", "uhr", "time", "local"}
)
RANGE_WORDS = frozenset({"to", "until", "till", "through", "thru", "bis"})
# Japanese particles and words around dates and times: から is a range ("from … to").
JA_NOISE = ("にかけて", "まで", "より", "頃", "ごろ", "開催", "予定")

_DASHES = "-‐‑‒–—―−~〜"
_TOKEN_RE = (
    r"(?P<jptime>(?P<jpmer>午前|午後)?(?P<jph>\d{1,2})時(?:(?P<jpm>\d{1,2})分|(?P<han>半))?)"
    r"|(?P<iso>(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))(?![\d:])"
    r"|(?P<slashdate>\d{1,2}/\d{1,2}/\d{2,4})(?!\d)"
    r"|(?P<dmy>(?P<ed>\d{1,2})\.(?P<em>\d{1,2})\.(?P<ey>\d{4}))(?!\d)"
    r"|(?P<offset>(?i:UTC|GMT|UT)\s?[+\-−]\d{1,2}(?::?\d{2})?(?![\d:]))"
    r"|(?P<paren_offset>(?<=\()\s*[+\-−]\d{1,2}(?::?\d{2})?(?=\s*\)))"
    r"|(?P<plus_offset>(?<![\w:])\+\d{1,2}(?::?\d{2})?(?![\d:]))"
    r"|(?P<time>(?P<h>\d{1,2})\s?(?::|h(?=\d))\s?(?P<m>\d{2})(?!\d)"
    r"(?:\s?(?P<mer>(?i:[ap]\.?\s?m\.?)(?![a-z])))?)"
    r"|(?P<hour>(?P<hh>\d{1,2})\s?(?P<hmer>(?i:[ap]\.?\s?m\.?)(?![a-z])))"
    r"|(?P<jpyear>(?P<jy>\d{4})\s?年)"
    r"|(?P<jpmonth>(?P<jmo>\d{1,2})\s?月)"
    r"|(?P<jpday>(?P<jd>\d{1,2})\s?日)"
    r"|(?P<jpweekday>\(\s?(?P<jw>[月火水木金土日])(?:曜日?)?\s?\)|(?P<jw2>[月火水木金土日])曜日?)"
    r"|(?P<year>\d{4})(?!\d)"
    r"|(?P<num>\d{1,2})(?:st|nd|rd|th)?(?![\d])"
    r"|(?P<phrase>{phrases})"
    r"|(?P<dash>[{dashes}]|から)"
    r"|(?P<jpnoise>{ja_noise})"
    r"|(?P<word>[^\W\d_][\w]*(?:[/][\w+\-]+)*\.?)"
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


class Dates(NamedTuple):
    """The announced day or days (inclusive), as read from the text."""

    first: date
    last: date
    text: str
    year_given: bool
    weekday: int | None  # the weekday written beside the first date, if any


class Announcement(NamedTuple):
    """A parsed announcement: its dates, its parts, and the words it passed over."""

    text: str
    dates: Dates | None
    parts: tuple[Part, ...]
    ignored: tuple[str, ...]


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


def _token_pattern() -> re.Pattern[str]:
    phrases = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(ZONE_PHRASES, key=len, reverse=True)
    )
    source = (
        _TOKEN_RE.replace("{phrases}", f"(?i:{phrases})")
        .replace("{dashes}", re.escape(_DASHES))
        .replace("{ja_noise}", "|".join(JA_NOISE))
    )
    return pattern(source)


def tokenize(text: str) -> list[Token]:
    """The text's tokens (times, dates, zones, dashes, words, punctuation)."""
    regex = _token_pattern()
    tokens = []
    for match in regex.finditer(text):
        kind = match.lastgroup or "other"
        # lastgroup names the innermost group that matched last; find the outer alternative.
        for name in _KINDS:
            if match.group(name) is not None:
                kind = name
                break
        tokens.append(Token(kind, match.group(), match))
    return tokens


_KINDS = (
    "jptime",
    "iso",
    "slashdate",
    "dmy",
    "offset",
    "paren_offset",
    "plus_offset",
    "time",
    "hour",
    "jpyear",
    "jpmonth",
    "jpday",
    "jpweekday",
    "year",
    "num",
    "phrase",
    "dash",
    "jpnoise",
    "word",
    "punct",
    "other",
)


def normalise(text: str) -> str:
    """Full-width digits, letters and brackets become ASCII; no-break and odd spaces plain."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_announcement(
    text: str,
    *,
    year_hint: date,
    year: int | None = None,
    cities: Mapping[str, str] | None = None,
) -> Announcement:
    """Read a published time string. Raises TimeParseError saying what was not understood.

    ``year`` is used when the text gives none; otherwise the year that puts the date
    nearest ``year_hint`` is chosen (a catalogue passes the stored date, ``dcal parse``
    today). ``cities`` are the catalogue's city names, readable as zones (``Bonn time``).
    """
    if len(text) > MAX_ANNOUNCEMENT:
        raise TimeParseError(f"the text is longer than {MAX_ANNOUNCEMENT} characters")
    if not text.isprintable():
        raise TimeParseError("the text holds control characters")
    return _Reader(text, year_hint, year, cities or {}).read()


class _Reader:
    def __init__(
        self, text: str, year_hint: date, year: int | None, cities: Mapping[str, str]
    ) -> None:
        self.text = text
        self.tokens = tokenize(normalise(text))
        self.year_hint = year_hint
        self.year = year
        self.cities = cities
        self.dates: Dates | None = None
        self.parts: list[Part] = []
        self.ignored: list[str] = []
        self.pending: list[TimeOfDay | str] = []  # times and "-" markers, not yet zoned
        self.prefix: list[Zone] = []  # zones written before their times
        self.part_day: date | None = None
        self._closed_at = -1  # where the zone that closed the last part ends

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
                raise TimeParseError(
                    f"{token.text!r} can be read day-first or month-first; "
                    "write 21 October 2020 or 2020-10-21"
                )
            if kind in ("time", "hour", "jptime"):
                self.pending.append(_time_of(token))
            elif kind == "num":
                self.pending.append(_bare_hour(token))
            elif kind == "dash" or (kind == "word" and token.text.lower() in RANGE_WORDS):
                if self.pending and isinstance(self.pending[-1], TimeOfDay):
                    self.pending.append("-")
                elif not self.pending and not self.prefix and self._just_closed(i):
                    # "23:00 JST – 00:30 JST": the zone was written after each end.
                    last = self.parts.pop()
                    self.pending = [last.start, "-"]
                    self.prefix = [last.zone]
            elif kind in ("offset", "paren_offset", "plus_offset", "phrase"):
                self._zone(self._resolve(token.text, i), i)
            elif kind == "word":
                i = self._word(i)
            elif kind == "other":
                i = self._other(i)
            # punctuation and Japanese particles carry nothing
            i += 1
        self._flush(final=True)
        return Announcement(self.text, self.dates, tuple(self.parts), tuple(self.ignored))

    def _word(self, i: int) -> int:
        token = self.tokens[i]
        word = token.text.rstrip(".")
        lowered = word.lower()
        following = self.tokens[i + 1].text.lower() if i + 1 < len(self.tokens) else ""
        if lowered in ("noon", "midday"):
            self.pending.append(TimeOfDay(12, 0, word))
            return i
        if lowered == "midnight":
            # As an end, midnight is the end of the day; as a start, its beginning.
            hour = 24 if self.pending and self.pending[-1] == "-" else 0
            self.pending.append(TimeOfDay(hour, 0, word))
            return i
        if lowered in NOISE or lowered in MONTHS or lowered in WEEKDAYS:
            return i
        # Times not yet zoned, or "… time", put a word where a zone is written.
        zone_place = (self.pending and not self.prefix) or following == "time"
        zone = self._zone_word(word, i, zone_place=bool(zone_place))
        if zone is None:
            self.ignored.append(token.text)
            return i
        self._zone(zone, i)
        return i + 1 if following == "time" else i

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
            return None
        try:
            zone = resolve_zone(REGION_WORDS.get(word, word), cities=self.cities, suggest=False)
        except DcalError:
            zone = None
        if zone is not None and (upper or (zone_place and zone.kind in ("city", "iana"))):
            return zone._replace(text=word)
        if upper and zone_place and len(word) <= 5 and word.isalpha():
            return self._resolve(word, i)  # raises: "10:00 XYZT"
        return None

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
        """Whether the token before ``i`` is the zone that closed a part with one time."""
        if not self.parts or self.parts[-1].end is not None or self.parts[-1].alias or i == 0:
            return False
        return self.tokens[i - 1].match.end() == self._closed_at

    def _zone(self, zone: Zone, i: int) -> None:
        """A zone closes the times before it, or waits for the times after it."""
        self._closed_at = self.tokens[i].match.end()
        if self.pending:
            if not self.prefix:
                self.prefix = [zone]
                self._flush()
            else:  # "JST 17:00 / CEST 10:00": the times were the earlier zone's
                repeated = len(self.prefix) == 1 and self.prefix[0].text == zone.text
                self._flush()
                if not repeated:  # "23:00 JST – 00:30 JST" names the zone after each end
                    self.prefix = [zone]
        elif self._between("(", ")", i) and self.parts and not self.prefix:
            last = self.parts[-1]  # "10:00 CEST (UTC+2)"
            self.parts.append(Part(zone, last.start, last.end, last.day, alias=True))
        else:
            self.prefix.append(zone)

    def _between(self, left: str, right: str, i: int) -> bool:
        before = self.tokens[i - 1].text.strip() if i > 0 else ""
        after = self.tokens[i + 1].text.strip() if i + 1 < len(self.tokens) else ""
        return before.endswith(left) and after.startswith(right)

    def _flush(self, *, final: bool = False) -> None:
        """Turn the pending times into a part for each zone written with them."""
        if not self.pending:
            if final and self.prefix and self.parts:  # "… JST, i.e. UTC+9": restates the last
                last = self.parts[-1]
                for zone in self.prefix:
                    self.parts.append(Part(zone, last.start, last.end, last.day, alias=True))
            self.prefix = []
            return
        start, end = _time_range(self.pending)
        day, self.part_day = self.part_day, None
        if not self.prefix:
            raise NoZoneError(
                f"no zone is given for {start.text}"
                + (f"–{end.text}" if end else "")
                + _ignored_hint(self.ignored)
            )
        for index, zone in enumerate(self.prefix):
            self.parts.append(Part(zone, start, end, day, alias=index > 0))
        self.pending = []
        self.prefix = []

    # ------------------------------------------------------------------ dates

    def _starts_date(self, i: int) -> bool:
        token = self.tokens[i]
        if token.kind in ("iso", "dmy", "jpyear", "jpmonth", "jpday", "jpweekday", "year"):
            return True
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
        if token.kind == "word" and word == "of":
            return "of"
        if token.kind == "word" and word in RANGE_WORDS:
            return "dash"
        return token.kind

    def _day_number(self, i: int) -> bool:
        """Whether the bare number at ``i`` is a day of a month (else perhaps an hour)."""
        after = self._next_kind(i)
        if after in ("month", "of", "jpday"):
            return True
        if self._prev_kind(i) in ("month", "jpmonth"):
            return True
        # "7 to 28 October", "16–18日"
        if after == "dash":
            j = i + 1
            while j < len(self.tokens) and self._kind_at(j) != "dash":
                j += 1
            beyond = self._next_kind(j)
            if beyond == "jpday":
                return True
            if beyond == "num" and self._next_kind(self._skip_to_kind(j, "num")) == "month":
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
        if kind in ("iso", "dmy", "jpyear", "jpmonth", "jpday", "jpweekday", "year", "month"):
            return True
        token = self.tokens[i]
        if kind == "word" and token.text.rstrip(".").lower() in WEEKDAYS:
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
            if nxt == "word":  # "Mon 3 March – Fri 31 October"
                j = i + 1
                return self.tokens[j].text.rstrip(".").lower() in WEEKDAYS
            return nxt in ("month", "jpmonth", "jpday", "iso", "dmy", "jpyear", "year")
        return False

    def _read_dates(self, i: int) -> int:
        start = i
        points = [_Point()]
        while i < len(self.tokens) and self._date_token(i, started=i > start):
            self._date_piece(self.tokens[i], points, i)
            i += 1
        while i > start and self.tokens[i - 1].kind in ("punct", "dash", "jpnoise"):
            i -= 1  # a trailing comma or dash belongs to what follows
        span = normalise(self.text)[
            self.tokens[start].match.start() : self.tokens[i - 1].match.end()
        ]
        found = [p for p in points if not p.empty()]
        weekday = points[0].weekday
        if not found and weekday is not None and len(points) == 1:
            # "2025/06/18 (Wed)": a weekday on its own belongs to the date before it
            if self.dates is not None and self.dates.weekday is None:
                self.dates = self.dates._replace(weekday=weekday)
                return i
            raise TimeParseError(f"{span!r} gives a weekday but no date")
        dates = self._make_dates(found, span, start)
        if self.dates is None:
            self.dates = dates
        else:
            self.part_day = dates.first
        return i

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
            point.weekday = JA_WEEKDAYS.index(match["jw"] or match["jw2"])
        elif kind == "word":
            point.weekday = WEEKDAYS.get(token.text.rstrip(".").lower())

    def _make_dates(self, points: list[_Point], span: str, i: int) -> Dates:
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
        year_given = first.year is not None
        weekday = first.weekday
        try:
            begin = self._date(first, year_given, day_of_month=1)
            end = self._date(last, year_given, day_of_month=None, after=begin)
        except ValueError:
            raise TimeParseError(f"{span!r} is not a real date") from None
        if end < begin:
            raise TimeParseError(f"{span!r} ends before it begins")
        if not (begin.year >= MIN_YEAR and end.year <= MAX_YEAR):
            raise TimeParseError(f"{span!r} is outside the years dcal supports")
        return Dates(begin, end, span, year_given, weekday)

    def _date(
        self,
        point: _Point,
        year_given: bool,
        *,
        day_of_month: int | None,
        after: date | None = None,
    ) -> date:
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
        if self.year is not None:
            return make(self.year)
        hint = self.year_hint
        years = [y for y in (hint.year - 1, hint.year, hint.year + 1) if MIN_YEAR <= y <= MAX_YEAR]
        candidates = []
        for y in years:
            try:
                candidates.append(make(y))
            except ValueError:  # 29 February
                continue
        if not candidates:
            raise ValueError("no such date")
        return min(candidates, key=lambda d: abs((d - hint).days))


def _ignored_hint(ignored: Sequence[str]) -> str:
    return f"; not understood: {', '.join(repr(w) for w in ignored)}" if ignored else ""


def _set(point: _Point, year: int, month: int, day: int) -> None:
    point.year, point.month, point.day = year, month, day


def _time_of(token: Token) -> TimeOfDay:
    match = token.match
    if token.kind == "jptime":
        hour = int(match["jph"])
        minute = 30 if match["han"] else int(match["jpm"] or 0)
        if match["jpmer"]:
            hour = _meridiem(hour, "pm" if match["jpmer"] == "午後" else "am", token.text)
        return _checked(hour, minute, token.text)
    if token.kind == "hour":
        return _checked(_meridiem(int(match["hh"]), match["hmer"], token.text), 0, token.text)
    hour, minute = int(match["h"]), int(match["m"])
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
    start: datetime  # the published times as aware datetimes on the part's clock
    end: datetime | None
    computed_start: datetime  # the reference's times on the same clock
    computed_end: datetime | None
    differences: tuple[Difference, ...]
    notes: tuple[str, ...]


def wall_time(day: date, clock: TimeOfDay) -> datetime:
    """``clock`` on ``day``; ``24:30`` is 00:30 the next day."""
    extra, hour = divmod(clock.hour, 24)
    return datetime.combine(day + timedelta(days=extra), time(hour, clock.minute))


def place(part: Part, day: date) -> tuple[datetime, datetime | None, list[str]]:
    """The part's published start and end as instants (end after start), and any DST notes."""
    notes = []
    start_wall = wall_time(day, part.start)
    start = localize(start_wall, part.zone.wall)
    if start.problem:
        notes.append(_dst_note(start_wall, part, start.problem))
    if part.end is None:
        return start.instant, None, notes
    end_wall = wall_time(day, part.end)
    if end_wall <= start_wall:  # "23:00 – 00:30": the end is on the next day
        end_wall += timedelta(days=1)
    end = localize(end_wall, part.zone.wall)
    if end.problem:
        notes.append(_dst_note(end_wall, part, end.problem))
    return start.instant, end.instant, notes


def _dst_note(wall: datetime, part: Part, problem: str) -> str:
    what = "does not exist" if problem == "gap" else "occurs twice"
    return f"{wall:%Y-%m-%d %H:%M} {what} in {part.zone.name} (a DST change)"


def nearest_day(part: Part, base: date, reference: datetime) -> date:
    """The day (``base`` ± 2) that puts the part's start nearest the reference instant."""
    days = [base + timedelta(days=n) for n in (0, -1, 1, -2, 2)]
    # In UTC: aware datetimes sharing a tzinfo subtract as wall clocks, wrong across DST.
    target = reference.astimezone(UTC)
    return min(days, key=lambda day: abs(place(part, day)[0].astimezone(UTC) - target))


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
    first_day = parts[0].day or base
    first_start, first_end, _ = place(parts[0], first_day)
    if reference is None:
        reference = (first_start, first_end or _first_end(announcement, first_start))
    ref_start, ref_end = reference
    readings = []
    for index, part in enumerate(parts):
        explicit = part.day or (base if index == 0 and announcement.dates else None)
        day = explicit or nearest_day(part, base, ref_start)
        start, end, notes = place(part, day)
        tz = part.zone.wall
        computed_start = ref_start.astimezone(tz)
        computed_end = ref_end.astimezone(tz) if ref_end is not None else None
        differences = _differences(part, (start, end), (computed_start, computed_end))
        readings.append(
            PartReading(
                part, start, end, computed_start, computed_end, tuple(differences), tuple(notes)
            )
        )
    return readings


def _differences(
    part: Part,
    published: tuple[datetime, datetime | None],
    computed: tuple[datetime, datetime | None],
) -> list[Difference]:
    """Published against computed, as the wall clocks people read; a range moved by whole
    days is one ``date`` difference, not two."""
    pairs = [
        (what, shown, reference)
        for what, shown, reference in zip(("start", "end"), published, computed, strict=True)
        if shown is not None and reference is not None and _wall(shown) != _wall(reference)
    ]
    shifts = {_wall(shown) - _wall(reference) for _, shown, reference in pairs}
    if pairs and pairs[0][0] == "start" and len(shifts) == 1:
        shift = shifts.pop()
        if shift % timedelta(days=1) == timedelta(0):
            start, reference = published[0], computed[0]
            return [
                Difference(
                    "date",
                    start.date().isoformat(),
                    reference.date().isoformat(),
                    abbreviation_note(part.zone, reference),
                )
            ]
    return [_difference(what, shown, reference, part) for what, shown, reference in pairs]


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _first_end(announcement: Announcement, start: datetime) -> datetime | None:
    """Where the first part gives no end, the first end another part gives, as an instant."""
    base = announcement.dates.first if announcement.dates else start.date()
    for part in announcement.parts[1:]:
        if part.end is not None:
            day = part.day or nearest_day(part, base, start)
            return place(part, day)[1]
    return None


def _difference(what: str, published: datetime, computed: datetime, part: Part) -> Difference:
    same_day = published.date() == computed.date()
    fmt = "%H:%M" if same_day else "%Y-%m-%d %H:%M"
    note = abbreviation_note(part.zone, computed)
    return Difference(what, published.strftime(fmt), computed.strftime(fmt), note)


def abbreviation_note(zone: Zone, moment: datetime) -> str | None:
    """Why an abbreviation may be the mistake: ``CEST`` written for a winter date in Berlin."""
    if zone.kind != "abbreviation":
        return None
    written = moment.astimezone(zone.wall).utcoffset()
    actual = moment.astimezone(zone.tz)
    if written == actual.utcoffset():
        return None
    return (
        f"{zone.text} is UTC{_offset(written)}, but {zone.name} is on "
        f"{actual.strftime('%Z')} (UTC{_offset(actual.utcoffset())}) on {actual:%Y-%m-%d}"
    )


def _offset(delta: timedelta | None) -> str:
    minutes = int(delta.total_seconds()) // 60 if delta else 0
    hours, mins = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{mins:02d}"


def weekday_difference(dates: Dates | None) -> Difference | None:
    """A weekday written beside the date that the date does not fall on."""
    if dates is None or dates.weekday is None or dates.weekday == dates.first.weekday():
        return None
    return Difference(
        "weekday",
        WEEKDAY_NAMES[dates.weekday],
        WEEKDAY_NAMES[dates.first.weekday()],
        f"{dates.first.isoformat()} is a {calendar.day_name[dates.first.weekday()]}",
    )


def clock_text(moment: datetime, clock: TimeOfDay | None = None) -> str:
    """``17:00``; a published ``24:30`` is shown as written."""
    if clock is not None and clock.hour >= 24:
        return clock.label
    return moment.strftime("%H:%M")


def reading_record(reading: PartReading) -> dict[str, Any]:
    """A part as JSON: published and computed times with offsets, and any differences."""
    part = reading.part

    def iso(value: datetime | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    return {
        "zone": part.zone.text,
        "tz": part.zone.name,
        "published": {
            "start": iso(reading.start),
            "end": iso(reading.end),
            "text": part.start.text + (f"–{part.end.text}" if part.end else ""),
        },
        "computed": {"start": iso(reading.computed_start), "end": iso(reading.computed_end)},
        "agrees": not reading.differences,
        "differences": [d._asdict() for d in reading.differences],
        "notes": list(reading.notes),
    }
