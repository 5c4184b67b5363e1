"""Links that add a session to a calendar: Google Calendar, Outlook on the web, an .ics file.

The links go into e-mails, web pages and Markdown tables, so every text value is cleaned of
control characters and percent-encoded whole (``quote(..., safe="")``): a link holds no
space, ``|``, bracket, quote, backtick or newline that could break a table or add markup.
Date values are built by dcal from digits, ``T``, ``Z``, ``-``, ``:`` and ``/`` only.

Nothing heavy is imported here: the .ics file names come from ``dcal.ics``, which loads
icalendar, and it is imported only when those names are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from dcal.model import Session
from dcal.render import URL_SAFE, clean_text, title_line
from dcal.zones import is_repeated

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.office.com/calendar/deeplink/compose"
# Browsers, mail clients and chat tools break long links: the description is cut here
# (in characters, before encoding), keeping the session's URL whole.
DETAILS_LIMIT = 1500
TEXT_LIMIT = 300  # a title or place longer than this is cut too (with …)
ELLIPSIS = "…"
# Parameters whose values dcal builds from digits and date punctuation; kept readable.
_DATE_PARAMETERS = frozenset({"dates", "startdt", "enddt"})


def google_link(session: Session, lang: str = "en") -> str | None:
    """A Google Calendar "create event" link, or None for a session with no date yet.

    A timed session in an IANA zone gives the wall clock in that zone plus ``ctz`` (the
    zone's key), so that Google places it right for every viewer, across DST changes. A
    session in UTC or a fixed offset (no IANA key), or at a wall time that a DST change
    repeats, gives UTC times with ``Z``. A whole-day session gives dates with the end
    exclusive (the day after dcal's inclusive ``end_date``).
    """
    times = _google_dates(session)
    if times is None:
        return None
    dates, ctz = times
    fields = [("action", "TEMPLATE"), ("text", _title(session, lang)), ("dates", dates)]
    fields += [("details", _details(session, lang)), ("location", _location(session, lang))]
    fields.append(("ctz", ctz or ""))
    return f"{GOOGLE}?{_query(fields)}"


def outlook_link(session: Session, lang: str = "en") -> str | None:
    """An Outlook on the web "new event" link, or None for a session with no date yet.

    ``outlook.office.com`` serves work or school (Microsoft 365) and personal accounts
    alike; ``outlook.live.com``, with the same path and parameters, is the consumer-only
    variant. Timed sessions give UTC times with
    ``Z`` (Outlook shows them in the reader's own zone). Whole-day sessions give
    ``allday=true`` and plain dates with the end exclusive, as for Google: 16–18 June is
    ``startdt=2025-06-16&enddt=2025-06-19``; this is what the widely used add-to-calendar
    generators send (e.g. spatie/calendar-links), there being no official documentation.
    """
    if session.start is not None:
        end = session.end or session.start
        dates = [("startdt", _outlook_utc(session.start)), ("enddt", _outlook_utc(end))]
    elif session.date is not None:
        last = session.end_date or session.date
        dates = [("startdt", session.date.isoformat()), ("enddt", _next_day(last).isoformat())]
        dates.append(("allday", "true"))
    else:
        return None
    fields = [("path", "/calendar/action/compose"), ("rru", "addevent")]
    fields += [("subject", _title(session, lang)), *dates]
    fields += [("body", _details(session, lang)), ("location", _location(session, lang))]
    return f"{OUTLOOK}?{_query(fields)}"


def ics_names(sessions: Sequence[Session]) -> list[str | None]:
    """The file name ``dcal export --split`` gives each session (None for TBA sessions).

    Names are made unique across the sessions exported together, so give the same
    sessions (the same filters) as the export. Export leaves TBA sessions out before
    naming, and so does this. Imports ``dcal.ics`` (and with it icalendar) when called.
    """
    from dcal.ics import split_names
    from dcal.model import exportable

    kept, _ = exportable(sessions)
    names = iter(split_names(kept))
    return [None if session.kind == "tba" else next(names) for session in sessions]


def ics_link(name: str, base: str) -> str:
    """``base`` (a URL or a relative path) and the file ``name``, joined by exactly one ``/``.

    The name is percent-encoded whole. The base keeps its URL punctuation (and its escapes)
    but loses control characters and surrounding spaces, and whatever else could break a
    Markdown table or add markup is percent-encoded.
    """
    base = clean_text(base, newlines=False).strip()
    folder = base.rstrip("/")
    prefix = f"{folder}/" if base else ""
    return quote(prefix, safe=URL_SAFE) + quote(name, safe="")


def calendar_links(
    session: Session, lang: str = "en", ics_url: str | None = None
) -> list[tuple[str, str]]:
    """``[("Google", url), ("Outlook", url), (".ics", ics_url)]``; ``[]`` for a TBA session.

    The .ics entry is there only when ``ics_url`` (from ``ics_link``) is given.
    """
    google, outlook = google_link(session, lang), outlook_link(session, lang)
    if google is None or outlook is None:
        return []
    links = [("Google", google), ("Outlook", outlook)]
    if ics_url is not None:
        links.append((".ics", ics_url))
    return links


def links_for(
    sessions: Sequence[Session], lang: str = "en", ics_base: str | None = None
) -> list[list[tuple[str, str]]]:
    """``calendar_links`` for each session, the .ics links under ``ics_base`` if given."""
    names = ics_names(sessions) if ics_base is not None else [None] * len(sessions)
    return [
        calendar_links(
            session, lang, ics_link(name, ics_base) if name and ics_base is not None else None
        )
        for session, name in zip(sessions, names, strict=True)
    ]


# ------------------------------------------------------------------------------ text


def _title(session: Session, lang: str) -> str:
    """One line, as the .ics export writes it, cut to fit a link."""
    return _truncate(title_line(session, lang), TEXT_LIMIT)


def _location(session: Session, lang: str) -> str:
    location = session.text("location", lang) or ", ".join(session.names("cities", lang))
    return _truncate(clean_text(location, newlines=False).strip(), TEXT_LIMIT)


def _details(session: Session, lang: str) -> str:
    """The summary, cut to fit, then the session's URL on its own line."""
    url = clean_text(session.url or "", newlines=False).strip()
    summary = clean_text(session.text("summary", lang) or "").strip()
    room = DETAILS_LIMIT - (len(url) + 1 if url else 0)
    details = "\n".join(part for part in (_truncate(summary, room), url) if part)
    return _truncate(details, DETAILS_LIMIT)


def _truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    return text[: limit - 1].rstrip() + ELLIPSIS


def _query(fields: list[tuple[str, str]]) -> str:
    """``name=value`` pairs, values percent-encoded; empty values left out."""
    return "&".join(
        f"{name}={quote(value, safe='/:' if name in _DATE_PARAMETERS else '')}"
        for name, value in fields
        if value
    )


# ----------------------------------------------------------------------------- times


def _google_dates(session: Session) -> tuple[str, str | None] | None:
    """(``start/end``, the ``ctz`` zone key or None), or None for a TBA session."""
    if session.start is not None:
        end = session.end or session.start
        key = _iana_key(session)
        if key is not None:
            assert session.zone is not None
            start, end = session.start.astimezone(session.zone.tz), end.astimezone(session.zone.tz)
            if not (is_repeated(start) or is_repeated(end)):
                return f"{_compact(start)}/{_compact(end)}", key
        return f"{_compact(_utc(session.start))}Z/{_compact(_utc(end))}Z", None
    if session.date is not None:
        last = session.end_date or session.date
        return f"{_basic_date(session.date)}/{_basic_date(_next_day(last))}", None
    return None


def _iana_key(session: Session) -> str | None:
    """The IANA key of the clock the session is shown on, if it has one."""
    key = getattr(session.zone.tz, "key", None) if session.zone is not None else None
    return key if isinstance(key, str) and key else None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _compact(moment: datetime) -> str:
    """``20201021T100000``: the wall clock, zero-padded in every year (strftime is not)."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat().replace("-", "").replace(":", "")


def _outlook_utc(moment: datetime) -> str:
    """``2020-10-21T08:00:00Z``."""
    return _utc(moment).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _next_day(day: date) -> date:
    return day + timedelta(days=1)


def _basic_date(day: date) -> str:
    return day.isoformat().replace("-", "")
