"""Choosing sessions: filters and facet counts. Pure functions over Sessions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from dcal.model import Session
from dcal.timeparse import pattern
from dcal.zones import fold_text

_SEPARATORS = r"[\s_\-]+"
_FACET_CACHE_SIZE = 4096


@lru_cache(maxsize=_FACET_CACHE_SIZE)
def facet_key(text: str) -> str:
    """Matching key for themes, cities, modes and ids: ``"Green recovery"`` = ``green-recovery``."""
    return pattern(_SEPARATORS).sub("-", fold_text(text))


class Filters(NamedTuple):
    """What to keep. Repeated values of one filter are OR-ed; different filters are AND-ed.

    Dates are calendar days where each session happens (its own zone); a session is kept
    when any of its days falls in ``[since, until]``. TBA sessions have no days, so any
    date filter leaves them out.
    """

    themes: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    search: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def empty(self) -> bool:
        return self == Filters()


def filter_sessions(sessions: Iterable[Session], filters: Filters) -> list[Session]:
    """The sessions that pass every filter, in their original order."""
    if filters.empty:
        return list(sessions)
    themes = {facet_key(t) for t in filters.themes}
    cities = {facet_key(c) for c in filters.cities}
    modes = {facet_key(m) for m in filters.modes}
    ids = set(filters.ids)
    events = [fold_text(e) for e in filters.events]
    needle = fold_text(filters.search) if filters.search else None
    # Sessions share their themes: each distinct list is matched once.
    theme_lists: dict[tuple[str, ...], bool] = {}
    kept = []
    for session in sessions:
        if ids and session.id not in ids:
            continue
        if themes:
            matched = theme_lists.get(session.themes)
            if matched is None:
                matched = not themes.isdisjoint(map(facet_key, session.themes))
                theme_lists[session.themes] = matched
            if not matched:
                continue
        if cities and not cities.intersection(map(facet_key, _all_cities(session))):
            continue
        if modes and (session.mode is None or facet_key(session.mode) not in modes):
            continue
        if events and not any(e in fold_text(session.event) for e in events):
            continue
        if (filters.since or filters.until) and not _in_dates(session, filters):
            continue
        if needle is not None and needle not in fold_text(searchable_text(session)):
            continue
        kept.append(session)
    return kept


def _all_cities(session: Session) -> Iterable[str]:
    yield from session.cities
    for translation in session.translations.values():
        names = translation.get("cities", ())
        if isinstance(names, tuple):
            yield from names


def _in_dates(session: Session, filters: Filters) -> bool:
    first, last = session.first_day, session.last_day
    if first is None or last is None:
        return False
    if filters.since and last < filters.since:
        return False
    return not (filters.until and first > filters.until)


def searchable_text(session: Session) -> str:
    """Title, summary, report, speakers and hosts, in every language, as one text."""
    parts: list[str] = [session.title, session.summary or "", session.report or ""]
    parts.extend(session.speakers)
    parts.extend(session.hosts)
    for translation in session.translations.values():
        for value in translation.values():
            parts.extend(value if isinstance(value, tuple) else (value,))
    return "\n".join(parts)


def facet_counts(sessions: Sequence[Session], field: str) -> list[tuple[str, int]]:
    """(value, number of sessions) for a list field, most sessions first, then by name.

    Spellings that match the same filter key are counted together under the first seen.
    """
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for session in sessions:
        keys = set()
        for value in getattr(session, field):
            key = facet_key(value)
            shown.setdefault(key, value)
            keys.add(key)
        counts.update(keys)
    return sorted(((shown[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))
