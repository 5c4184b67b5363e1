"""The catalogue's data: sessions and the catalogue that holds them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from operator import attrgetter
from types import MappingProxyType
from typing import Literal, NamedTuple

from dcal.zones import Localized, Zone, describe_problem

Kind = Literal["timed", "dated", "tba"]
MODES = ("online", "in-person", "hybrid")
LANGUAGES = ("en", "ja")
# Fields that may carry a translation, written ``<field>_<lang>`` in a catalogue.
TRANSLATABLE = ("title", "summary", "report", "location", "hosts", "speakers", "cities")

Translation = Mapping[str, str | tuple[str, ...]]
NO_TRANSLATIONS: Mapping[str, Translation] = MappingProxyType({})
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class Session(NamedTuple):
    """One programme entry.

    A session is *timed* (``start``/``end``, aware, on the clock of ``zone``), *dated*
    (``date`` to the inclusive ``end_date``, whole days, never shifted across zones), or
    *to be announced* (neither).
    """

    id: str
    title: str
    event: str
    start: datetime | None = None
    end: datetime | None = None
    date: dt.date | None = None
    end_date: dt.date | None = None
    zone: Zone | None = None
    themes: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    mode: str | None = None
    location: str | None = None
    summary: str | None = None
    report: str | None = None
    url: str | None = None
    links: tuple[str, ...] = ()
    announced: str | None = None
    translations: Mapping[str, Translation] = NO_TRANSLATIONS
    # Raised by the catalogue's editor when the session changes: the calendar SEQUENCE.
    revision: int = 0

    @property
    def kind(self) -> Kind:
        if self.start is not None:
            return "timed"
        if self.date is not None:
            return "dated"
        return "tba"

    @property
    def first_day(self) -> dt.date | None:
        """The session's first calendar day where it happens."""
        if self.start is not None:
            return self.start.date()
        return self.date

    @property
    def last_day(self) -> dt.date | None:
        """The session's last calendar day where it happens (inclusive)."""
        if self.end is not None:
            # A session ending at midnight does not occupy the next day.
            last = self.end.date()
            if self.end.time() == datetime.min.time() and self.start and last > self.start.date():
                return dt.date.fromordinal(last.toordinal() - 1)
            return last
        return self.end_date or self.date

    def start_value(self) -> float:
        """The start as POSIX seconds (exact to the second in years 2–9998), TBA as infinity."""
        if self.start is not None:
            return self.start.timestamp()  # the instant, also in a DST repeat
        if self.date is not None:
            return (self.date.toordinal() - _EPOCH_ORDINAL) * 86400.0
        return math.inf

    def text(self, name: str, lang: str = "en") -> str | None:
        """A text field in ``lang``, falling back to English."""
        value = self.translations.get(lang, {}).get(name) if lang != "en" else None
        if isinstance(value, str):
            return value
        english = getattr(self, name)
        return english if isinstance(english, str) else None

    def names(self, name: str, lang: str = "en") -> tuple[str, ...]:
        """A list field (hosts, speakers, cities) in ``lang``, falling back to English."""
        value = self.translations.get(lang, {}).get(name) if lang != "en" else None
        if isinstance(value, tuple):
            return value
        english = getattr(self, name)
        return english if isinstance(english, tuple) else ()


def exportable(sessions: Iterable[Session]) -> tuple[list[Session], list[Session]]:
    """(sessions with a date or time, TBA sessions that no calendar or schedule can hold)."""
    kept: list[Session] = []
    skipped: list[Session] = []
    for session in sessions:
        (skipped if session.kind == "tba" else kept).append(session)
    return kept, skipped


class WallNote(NamedTuple):
    """A stored wall-clock time in a DST gap (it does not exist) or repeat (it occurs twice)."""

    session: str
    field: str  # "start" or "end"
    zone: str
    wall: datetime
    problem: Literal["gap", "repeat"]
    instant: datetime  # how dcal reads it (RFC 5545 §3.3.5)
    where: str  # the file and entry, as messages name them

    @property
    def description(self) -> str:
        return describe_problem(self.wall, self.zone, Localized(self.instant, self.problem))

    @property
    def warning(self) -> str:
        """The loading warning that reports it."""
        return f"{self.where}: {self.field}: {self.description}"


class Catalogue(NamedTuple):
    """A loaded catalogue: its metadata, its city → zone table and its sessions in time order."""

    source: str
    sessions: tuple[Session, ...]
    name: str | None = None
    url: str | None = None
    timezone: str | None = None
    cities: Mapping[str, str] = MappingProxyType({})
    warnings: tuple[str, ...] = ()
    # When the catalogue was last revised (aware, UTC): the calendar DTSTAMP by default.
    updated: datetime | None = None
    # The DST problems among ``warnings``, structured for ``dcal check``.
    wall_notes: tuple[WallNote, ...] = ()
    description: str | None = None

    def shown_warnings(self, most: int) -> list[str]:
        """The warnings for a person to read: the first ``most``, then how many more.

        The catalogue keeps them all, so that ``dcal check`` reports every one."""
        if len(self.warnings) <= most:
            return list(self.warnings)
        more = len(self.warnings) - most
        return [*self.warnings[:most], f"{self.source}: … and {more} more warnings"]


def in_time_order(sessions: list[Session]) -> None:
    """Sort ``sessions`` in place: by start instant (a day from its UTC midnight), TBA last,
    then by id.

    Two stable sorts on plain keys (ids, then floats) cost half of one on tuples, which
    counts when a catalogue has 100,000 sessions.
    """
    sessions.sort(key=attrgetter("id"))
    sessions.sort(key=Session.start_value)
