"""Loading catalogues (TOML, JSON, CSV: one schema) and validating every entry.

Problems are collected, not raised one at a time: a user fixing a file sees every problem
at once, each naming the file, the entry (id, or entry number / CSV row) and the field.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

from dcal.errors import CatalogueError, DcalError, UsageError
from dcal.model import (
    LANGUAGES,
    MODES,
    TRANSLATABLE,
    Catalogue,
    Session,
    Translation,
    WallNote,
    in_time_order,
)
from dcal.timeparse import (
    MAX_YEAR,
    MIN_YEAR,
    check_year,
    parse_date,
    parse_datetime,
    parse_instant,
    pattern,
)
from dcal.zones import Localized, Zone, check_cities, localize, resolve_zone

if TYPE_CHECKING:
    from dcal.importing import Imported

Format = Literal["toml", "json", "csv", "xml", "ics"]
# json may also be a frab/pretalx schedule.json, xml is a frab schedule.xml: both are read
# by dcal.frab, and ics by dcal.import_ics, into the entries a catalogue would hold.
FORMATS: tuple[Format, ...] = get_args(Format)
_SUFFIXES: dict[str, Format] = {"ical": "ics", "ifb": "ics", "icalendar": "ics"}
_ICS_START = "BEGIN:VCALENDAR"  # how an iCalendar file opens, whatever its name

# data/catalogue.toml is the bundled catalogue's source; catalogue.json beside it is the same
# data generated from it (a test keeps them equal), read instead because json parses in a
# fraction of tomllib's time and dcal's start-up is budgeted.
BUNDLED = Path(__file__).parent / "data" / "catalogue.json"
# In a source checkout (editable install) the data directory sits beside src/.
_SOURCE_TREE_DATA = Path(__file__).resolve().parents[2] / "data" / "catalogue.json"

CATALOGUE_KEYS = frozenset({"name", "url", "timezone", "event", "description", "cities", "updated"})
MAX_REVISION = 2**31 - 1  # RFC 5545 SEQUENCE is an INTEGER
LIST_FIELDS = ("themes", "cities", "hosts", "speakers", "links")
TEXT_FIELDS = ("title", "event", "location", "summary", "report", "announced")
TIME_FIELDS = ("start", "end", "timezone", "date", "end_date")
SESSION_KEYS = frozenset(
    (
        "id",
        "mode",
        "url",
        "revision",
        *LIST_FIELDS,
        *TEXT_FIELDS,
        *TIME_FIELDS,
        *(f"{name}_{lang}" for name in TRANSLATABLE for lang in LANGUAGES if lang != "en"),
    )
)
MODE_ALIASES = {
    "online": "online",
    "virtual": "online",
    "in-person": "in-person",
    "in person": "in-person",
    "inperson": "in-person",
    "on-site": "in-person",
    "onsite": "in-person",
    "hybrid": "hybrid",
}
# A session id: letters, digits and . _ : @ + -, starting with a letter or digit.
ID_CHARS = "A-Za-z0-9._:@+-"
MAX_ID = 200
ID_RE = rf"[A-Za-z0-9][{ID_CHARS}]{{0,{MAX_ID - 1}}}"
URL_RE = r"(?i)^https?://[^\s\x00-\x1f\x7f]+$"
MAX_PROBLEMS_SHOWN = 50
# (language, field, key, is a list) of every translated field: "title_ja", …
TRANSLATION_KEYS = tuple(
    (lang, name, f"{name}_{lang}", name in LIST_FIELDS)
    for lang in LANGUAGES
    if lang != "en"
    for name in TRANSLATABLE
)
_NO_SLOTS: Mapping[str, tuple[datetime, Localized]] = MappingProxyType({})
# Larger catalogues are refused before they are parsed (100,000 sessions take ~70 MB).
MAX_CATALOGUE_BYTES = 256 * 1024 * 1024


def default_source(environ: Mapping[str, str]) -> str:
    """``DCAL_CATALOGUE`` if set, else the bundled catalogue."""
    chosen = environ.get("DCAL_CATALOGUE", "").strip()
    if chosen:
        return chosen
    return str(BUNDLED if BUNDLED.exists() else _SOURCE_TREE_DATA)


def read_source(source: str, stdin: Callable[[], bytes] | None = None) -> tuple[str, bytes]:
    """(label for messages, raw bytes) for a path, or ``-`` for standard input."""
    if source == "-":
        if stdin is None and sys.stdin is None:
            raise CatalogueError(["<stdin>: standard input is closed; pass --catalogue PATH"])
        reader = stdin or (lambda: sys.stdin.buffer.read(MAX_CATALOGUE_BYTES + 1))
        return "<stdin>", _limited("<stdin>", reader())
    path = Path(source)
    try:
        with path.open("rb") as handle:
            return source, _limited(source, handle.read(MAX_CATALOGUE_BYTES + 1))
    except FileNotFoundError:
        raise CatalogueError(
            [f"{source}: no such catalogue file; pass --catalogue PATH or set DCAL_CATALOGUE"]
        ) from None
    except IsADirectoryError:
        raise CatalogueError([f"{source}: is a directory, not a catalogue file"]) from None
    except OSError as exc:
        raise CatalogueError([f"{source}: cannot be read ({exc.strerror or exc})"]) from None


def _limited(label: str, raw: bytes) -> bytes:
    if len(raw) > MAX_CATALOGUE_BYTES:
        limit = MAX_CATALOGUE_BYTES // (1024 * 1024)
        raise CatalogueError([f"{label}: larger than {limit} MiB, the most dcal reads"])
    return raw


def detect_format(label: str, text: str, declared: str | None = None) -> Format:
    """The catalogue format: as declared, else by file extension, else sniffed from content."""
    if declared:
        if declared not in FORMATS:
            raise UsageError(f"unknown input format {declared!r}; use one of {', '.join(FORMATS)}")
        return declared
    suffix = Path(label).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = text.lstrip()
    if head[: len(_ICS_START)].upper() == _ICS_START:
        return "ics"
    if head.startswith("<"):
        return "xml"
    if head.startswith("{") or re.match(r"\[\s*[\{\]]", head):
        return "json"
    first_line = head.split("\n", 1)[0]
    if "," in first_line and re.search(r"(^|,)\s*\"?id\"?\s*(,|$)", first_line):
        return "csv"
    if "," in first_line and not first_line.lstrip().startswith(("#", "[")):
        import csv

        from dcal.import_sheet import looks_like_a_sheet

        if looks_like_a_sheet(next(csv.reader([first_line]))):
            return "csv"
    return "toml"


def load_catalogue(
    source: str,
    *,
    input_format: str | None = None,
    stdin: Callable[[], bytes] | None = None,
    timezone: str | None = None,
) -> Catalogue:
    """Read, parse and validate a catalogue; raises CatalogueError listing every problem.

    ``timezone`` is the zone of an imported schedule's times where the file names none
    (or the wrong one); dcal's own formats always name theirs.
    """
    # Loading makes millions of objects and frees none: the cycle collector would walk them
    # again and again for nothing (a sixth of the time of a 100,000-session catalogue).
    collecting = gc.isenabled()
    gc.disable()
    try:
        label, document = read_document(
            source, input_format=input_format, stdin=stdin, timezone=timezone
        )
        return build_catalogue(label, document)
    finally:
        if collecting:
            gc.enable()


def read_document(
    source: str,
    *,
    input_format: str | None = None,
    stdin: Callable[[], bytes] | None = None,
    timezone: str | None = None,
) -> tuple[str, Document]:
    """Read and parse a catalogue, or another tool's schedule, before validation.

    The file's bytes and text are let go on return: a third of the peak memory.
    """
    label, raw = read_source(source, stdin)
    try:
        text = _decode(raw)
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            [f"{label}: not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"]
        ) from None
    del raw
    fmt = detect_format(label, text, input_format)
    if fmt == "xml":
        from dcal.frab import read_frab_xml

        return label, imported_document(read_frab_xml(label, text, timezone))
    if fmt == "ics":
        from dcal.import_ics import read_ics

        return label, imported_document(read_ics(label, text, timezone))
    if fmt == "json":
        data = _json_data(label, text)
        del text
        if isinstance(data, dict) and "schedule" in data and "sessions" not in data:
            from dcal.frab import read_frab_json

            return label, imported_document(read_frab_json(label, data, timezone))
        if isinstance(data, list):
            data = {"sessions": data}
        document = _document_from_mapping(label, data, '"sessions"')
    elif fmt == "csv":
        document = parse_csv(label, text, timezone)
    else:
        document = parse_toml(label, text)
    if timezone is not None and not document.imported:
        raise UsageError(
            f"--timezone is for schedules that other tools wrote; {label} is a dcal catalogue, "
            "which names its own zones"
        )
    return label, document


def _decode(raw: bytes) -> str:
    """UTF-8 text. An iCalendar file may fold a line inside a character (RFC 5545 §3.1
    allows it), so it is unfolded as bytes when it does not decode as it is."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[: len(_ICS_START)].upper() != _ICS_START.encode():
            raise
        original = exc
    try:
        return re.sub(rb"\r?\n[ \t]", b"", raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise original from None  # its offset is the file's, not the unfolded copy's


def imported_document(imported: Imported) -> Document:
    places = imported.places or [f"#{index}" for index in range(1, len(imported.sessions) + 1)]
    entries = list(zip(places, imported.sessions, strict=True))
    return Document(imported.meta, entries, tuple(imported.notes), imported=True)


class Document(NamedTuple):
    """A parsed catalogue file before validation."""

    meta: dict[str, Any]
    entries: list[tuple[str, Any]]  # (where, raw entry), "where" being "#3" or "row 4"
    notes: tuple[str, ...] = ()  # warnings found while parsing
    imported: bool = False  # read from another tool's format (frab, iCalendar, a sheet)


def parse_toml(label: str, text: str) -> Document:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError([f"{label}: not valid TOML: {exc}"]) from None
    except RecursionError:
        raise CatalogueError([f"{label}: not valid TOML: nested too deeply"]) from None
    return _document_from_mapping(label, data, "[[sessions]]")


def _json_data(label: str, text: str) -> Any:
    """Parsed JSON, refusing duplicate keys and lone surrogates."""
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            from collections import Counter

            counts = Counter(key for key, _ in pairs)
            duplicate = next(key for key, count in counts.items() if count > 1)
            raise ValueError(f"duplicate key {duplicate!r}")
        return result

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            [f"{label}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"]
        ) from None
    except ValueError as exc:
        reason = str(exc)
        if "integer string conversion" in reason:
            reason = "a number has more than 4300 digits"
        raise CatalogueError([f"{label}: not valid JSON: {reason}"]) from None
    except RecursionError:
        raise CatalogueError([f"{label}: not valid JSON: nested too deeply"]) from None
    if pattern(r"\\u[dD][89a-fA-F]").search(text) and not _encodable(data):
        raise CatalogueError(
            [f"{label}: holds \\uD800-\\uDFFF escapes that are not characters (lone surrogates)"]
        )
    return data


def _encodable(value: Any) -> bool:
    """True if every string in ``value`` is real Unicode text (no lone surrogates)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_encodable(v) for v in value)
    return True


def parse_csv(label: str, text: str, timezone: str | None = None) -> Document:
    """dcal's own CSV (an ``id`` column and field names), or a sheet named in other words."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise CatalogueError([f"{label}: empty CSV file; the first row must name the columns"])
        columns = [name.strip() for name in header]
        if "id" not in columns or not {"title", "start", "date"} & set(columns):
            from dcal.import_sheet import looks_like_a_sheet, read_sheet

            if looks_like_a_sheet(columns):  # someone else's sheet: Subject, Start Date …
                rows = [
                    (f"row {reader.line_num}", row) for row in reader if any(map(str.strip, row))
                ]
                return imported_document(read_sheet(label, columns, rows, timezone))
            if "id" not in columns:
                raise CatalogueError(
                    [
                        f"{label}: row 1: no 'id' column, and no title and start or date "
                        "columns; the first row names the columns (id, title, …)"
                    ]
                )
        duplicated = sorted({name for name in columns if columns.count(name) > 1})
        if duplicated:
            raise CatalogueError([f"{label}: row 1: column {duplicated[0]!r} appears twice"])
        # Unknown columns are reported once, here, and left out of every row.
        notes = [
            f"{label}: row 1: column {name!r} is not a catalogue field (ignored)"
            for name in columns
            if name not in SESSION_KEYS
        ]
        keep = [name in SESSION_KEYS for name in columns]
        entries: list[tuple[str, Any]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"row {reader.line_num}"
            if len(row) > len(columns):
                raise CatalogueError(
                    [f"{label}: {where}: {len(row)} cells but only {len(columns)} columns"]
                )
            entry = {
                name: cell
                for name, cell, known in zip(columns, row, keep, strict=False)
                if known and cell.strip()
            }
            entries.append((where, entry))
    except csv.Error as exc:
        raise CatalogueError([f"{label}: row {reader.line_num}: not valid CSV: {exc}"]) from None
    return Document({}, entries, tuple(notes))


def _document_from_mapping(label: str, data: Any, sessions_name: str) -> Document:
    if not isinstance(data, dict):
        raise CatalogueError([f"{label}: expected a table with {sessions_name}"])
    problems: list[str] = []
    meta = data.get("catalogue", {})
    if not isinstance(meta, dict):
        problems.append(f"{label}: catalogue: expected a table of settings")
        meta = {}
    for key in data:
        if key not in ("catalogue", "sessions"):
            problems.append(f"{label}: unknown top-level key {key!r}; expected catalogue, sessions")
    sessions = data.get("sessions", [])
    if not isinstance(sessions, list):
        problems.append(f"{label}: sessions: expected a list of sessions ({sessions_name})")
        sessions = []
    if problems:
        raise CatalogueError(problems)
    return Document(meta, [(f"#{index}", entry) for index, entry in enumerate(sessions, 1)])


def build_catalogue(label: str, document: Document) -> Catalogue:
    """Validate a parsed document into a Catalogue (sessions in time order)."""
    problems: list[str] = []
    warnings: list[str] = list(document.notes)
    meta = document.meta
    for key in meta:
        if key not in CATALOGUE_KEYS:
            warnings.append(f"{label}: catalogue: unknown key {key!r} (ignored)")
    name = _optional_text(meta, "name", f"{label}: catalogue", problems)
    url = _optional_text(meta, "url", f"{label}: catalogue", problems)
    if url is not None and not is_url(url):
        problems.append(f"{label}: catalogue: url: {show(url)} is not an http(s) URL")
        url = None
    default_event = _optional_text(meta, "event", f"{label}: catalogue", problems) or name
    cities = meta.get("cities", {})
    if not isinstance(cities, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in cities.items()
    ):
        problems.append(f'{label}: catalogue: cities: expected a table of city = "IANA zone"')
        cities = {}
    problems.extend(f"{label}: catalogue: cities: {p}" for p in check_cities(cities))
    default_zone = _optional_text(meta, "timezone", f"{label}: catalogue", problems)
    updated = _updated(meta.get("updated"), f"{label}: catalogue: updated", problems)
    description = _optional_text(meta, "description", f"{label}: catalogue", problems)

    validator = _SessionValidator(label, cities, default_zone, default_event, problems, warnings)
    if default_zone:
        validator.zone(default_zone, f"{label}: catalogue")
    sessions: list[Session] = []
    seen: dict[str, str] = {}
    for where, entry in document.entries:
        session = validator.session(where, entry)
        if session is None:
            continue
        if session.id in seen:
            problems.append(
                f"{label}: session {session.id!r} ({where}): id: "
                f"the same id as {seen[session.id]}; ids must be unique"
            )
            continue
        seen[session.id] = where
        sessions.append(session)
    if problems:
        if len(problems) > MAX_PROBLEMS_SHOWN:
            more = len(problems) - MAX_PROBLEMS_SHOWN
            problems = [*problems[:MAX_PROBLEMS_SHOWN], f"{label}: … and {more} more problems"]
        raise CatalogueError(problems)
    in_time_order(sessions)
    return Catalogue(
        source=label,
        sessions=tuple(sessions),
        name=name,
        url=url,
        timezone=default_zone,
        updated=updated,
        cities=dict(cities),
        warnings=tuple(warnings),
        wall_notes=tuple(validator.wall_notes),
        description=description,
    )


def _updated(value: Any, where: str, problems: list[str]) -> datetime | None:
    """``updated``: a date-time with an offset (TOML's own, or ISO 8601 text), kept in UTC."""
    if value is None:
        return None
    # TOML has its own offset date-times; JSON and CSV give text.
    text = value.isoformat() if isinstance(value, datetime) else value
    if not isinstance(text, str):
        problems.append(f"{where}: expected a date-time with an offset, got {_kind(value)}")
        return None
    try:
        return parse_instant(text)
    except DcalError as exc:
        problems.append(f"{where}: {exc}")
        return None


def is_url(value: str) -> bool:
    """An http(s) URL without spaces or controls, whose host can be read."""
    from urllib.parse import urlsplit

    if not pattern(URL_RE).match(value) or not value.isprintable():
        return False
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:  # e.g. a broken IPv6 literal
        return False


def _optional_text(
    table: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{where}: {key}: expected text, got {_kind(value)}")
        return None
    return value.strip() or None


def show(value: Any) -> str:
    """A value for a message: short quoted text, or what kind of value it is."""
    if isinstance(value, str):
        return repr(value if len(value) <= 80 else value[:77] + "...")
    return _kind(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    for cls, name in names.items():
        if isinstance(value, cls):
            return name
    if isinstance(value, datetime | date):
        return "a date"
    return type(value).__name__


class _SessionValidator:
    """Turns raw entries into Sessions, appending problems and warnings as it goes."""

    def __init__(
        self,
        label: str,
        cities: Mapping[str, str],
        default_zone: str | None,
        default_event: str | None,
        problems: list[str],
        warnings: list[str],
    ) -> None:
        self.label = label
        self.cities = cities
        self.default_zone = default_zone
        self.default_event = default_event
        self.problems = problems
        self.warnings = warnings
        self._zones: dict[str, Zone | None] = {}
        # Sessions share their clock times (slots): each text is localised once per zone,
        # kept as zone → text → (wall clock, instant).
        self._slots: dict[tzinfo, dict[str, tuple[datetime, Localized]]] = {}
        self._walls: dict[str, datetime] = {}  # and each text is read once, whatever its zone
        self.wall_notes: list[WallNote] = []
        self._id_match = pattern(ID_RE).fullmatch

    def zone(self, text: str, here: str) -> Zone | None:
        """Resolve a catalogue zone once per distinct spelling (``here`` names the entry)."""
        zone = self._zones.get(text)
        if zone is not None:
            return zone
        if text in self._zones:
            self.problems.append(f"{here}: timezone: unknown zone {text!r}")
            return None
        try:
            if text.strip().lower() == "local":
                raise DcalError("a catalogue cannot use 'local': give the zone where it happens")
            suggest = len(self.problems) < MAX_PROBLEMS_SHOWN  # a difflib pass each
            zone = resolve_zone(text, cities=self.cities, suggest=suggest)
        except DcalError as exc:
            self.problems.append(f"{here}: timezone: {exc}")
            zone = None
        self._zones[text] = zone
        return zone

    def session(self, where: str, entry: Any) -> Session | None:
        """The entry as a Session, or None with its problems recorded."""
        if type(entry) is dict:
            session = self._plain(entry)
            if session is not None:
                return session
        return self._checked(where, entry)

    def _plain(self, entry: dict[str, Any]) -> Session | None:
        """The Session of an entry that is valid in the usual way, else None.

        Nearly every entry of a catalogue is: each field of the common type, already clean,
        its zone already resolved, its times on no DST change. Such an entry is read here
        in one pass without building any message. Anything else, such as a wrong type, an
        unknown field, a zone seen for the first time, a DST note or a rare spelling, gives
        None, and ``_checked`` reads the entry again to say what is wrong or odd. Both give
        the same Session for every entry this accepts (a differential property test).
        """
        if not entry.keys() <= SESSION_KEYS:
            return None
        get = entry.get
        raw_id, title = get("id"), get("title")
        if type(raw_id) is not str or type(title) is not str or not self._id_match(raw_id):
            return None
        title = title.strip()
        texts: list[str | None] = [title]
        for name in ("event", "location", "summary", "report", "announced"):
            value = get(name)
            if value is not None:
                if type(value) is not str:
                    return None
                value = value.strip() or None
            texts.append(value)
        event = texts[1] or self.default_event
        if not title or not event:
            return None
        themes, cities = _plain_list(get("themes")), _plain_list(get("cities"))
        hosts, speakers = _plain_list(get("hosts")), _plain_list(get("speakers"))
        links = _plain_list(get("links"))
        if themes is None or cities is None or hosts is None or speakers is None or links is None:
            return None
        mode = get("mode")
        if mode is not None:
            mode = MODE_ALIASES.get(mode.strip().lower()) if type(mode) is str else None
            if mode is None:
                return None
        url = get("url")
        if url is not None:
            url = url.strip() if type(url) is str else ""
            if not is_url(url):
                return None
        if links and not all(map(is_url, links)):
            return None
        revision = get("revision", 0)
        if type(revision) is not int or not 0 <= revision <= MAX_REVISION:
            return None
        translations: dict[str, dict[str, str | tuple[str, ...]]] = {}
        for lang, name, key, is_list in TRANSLATION_KEYS:
            value = get(key)
            if value is None:
                continue
            if is_list:
                value = _plain_list(value)
                if value is None:
                    return None
            elif type(value) is str:
                value = value.strip()
            else:
                return None
            if value:
                translations.setdefault(lang, {})[name] = value
        times = self._plain_times(entry)
        if times is None:
            return None
        start, end, day, end_day, zone = times
        return Session(  # in field order: keywords cost a measurable time per session
            raw_id,
            title,
            event,
            start,
            end,
            day,
            end_day,
            zone,
            themes,
            cities,
            hosts,
            speakers,
            mode,
            texts[2],
            texts[3],
            texts[4],
            url,
            links,
            texts[5],
            dict(translations),
            revision,
        )

    def _plain_times(
        self, entry: dict[str, Any]
    ) -> tuple[datetime | None, datetime | None, date | None, date | None, Zone | None] | None:
        """``_times`` for an entry with no problem and nothing to note, else None."""
        if "start" in entry or "end" in entry:
            if "date" in entry or "end_date" in entry:
                return None
            zone_text = entry.get("timezone", self.default_zone)
            zone = self._zones.get(zone_text) if type(zone_text) is str else None
            if zone is None:
                return None
            # The zone's slots looked up here, as _slot would: most entries find both.
            slots = self._slots.get(zone.wall, _NO_SLOTS)
            start_text, end_text = entry.get("start"), entry.get("end")
            start = slots.get(start_text) if type(start_text) is str else None
            if start is None:
                start = self._slot(start_text, zone.wall)
            end = slots.get(end_text) if type(end_text) is str else None
            if end is None:
                end = self._slot(end_text, zone.wall)
            if start is None or end is None:
                return None
            first, last = start[1], end[1]
            if (
                first.problem is not None
                or last.problem is not None
                or last.instant <= first.instant
            ):
                return None
            return first.instant, last.instant, None, None, zone
        if "timezone" in entry:
            return None
        if "date" not in entry:
            return None if "end_date" in entry else (None, None, None, None, None)
        day = self._plain_date(entry.get("date"))
        end_day = self._plain_date(entry.get("end_date")) if "end_date" in entry else None
        if day is None or ("end_date" in entry and (end_day is None or end_day < day)):
            return None
        return None, None, day, end_day, None

    def _slot(self, value: Any, tz: tzinfo) -> tuple[datetime, Localized] | None:
        """(wall clock, instant) of a start or end that can be read, else None (``_wall``
        says why). Texts are read and localised once for all the sessions that share them."""
        if type(value) is str:
            slots = self._slots.get(tz)
            if slots is None:
                slots = self._slots[tz] = {}
            known = slots.get(value)
            if known is None:
                wall = self._walls.get(value)
                if wall is None:
                    try:
                        wall = self._walls[value] = parse_datetime(value)
                    except DcalError:
                        return None
                known = slots[value] = (wall, localize(wall, tz))
            return known
        if type(value) is datetime and value.tzinfo is None and MIN_YEAR <= value.year <= MAX_YEAR:
            return value, localize(value, tz)
        return None

    def _plain_date(self, value: Any) -> date | None:
        if type(value) is date:
            return value if MIN_YEAR <= value.year <= MAX_YEAR else None
        if type(value) is not str:
            return None
        try:
            return parse_date(value)
        except DcalError:
            return None

    def _checked(self, where: str, entry: Any) -> Session | None:
        """Every rule, with a message for each problem or oddity found.

        ``_plain`` applies the same rules to the usual entries: a rule added here must be
        added there, or make ``_plain`` hand such entries here.
        """
        if not isinstance(entry, dict):
            self.problems.append(f"{self.label}: session {where}: expected a table of fields")
            return None
        before = len(self.problems)
        raw_id = entry.get("id")
        valid_id = isinstance(raw_id, str) and self._id_match(raw_id) is not None
        here = (
            f"{self.label}: session {raw_id!r} ({where})"
            if valid_id
            else f"{self.label}: session {where}"
        )
        if raw_id is None:
            self.problems.append(f"{here}: id: missing; every session needs a unique id")
        elif not valid_id:
            self.problems.append(
                f"{here}: id: {show(raw_id)} is not a valid id (letters, digits and . _ : @ + -, "
                f"starting with a letter or digit, at most {MAX_ID} characters)"
            )
        if not entry.keys() <= SESSION_KEYS:
            for key in entry.keys() - SESSION_KEYS:
                self.warnings.append(f"{here}: unknown field {key!r} (ignored)")

        text, items = self._text, self._list
        title = text(entry, "title", here)
        if not title:
            self.problems.append(f"{here}: title: missing")
        event = text(entry, "event", here) or self.default_event
        if not event:
            self.problems.append(f"{here}: event: missing (or set a catalogue name)")
        themes, cities = items(entry, "themes", here), items(entry, "cities", here)
        hosts, speakers = items(entry, "hosts", here), items(entry, "speakers", here)
        links = items(entry, "links", here)
        location, summary = text(entry, "location", here), text(entry, "summary", here)
        report, announced = text(entry, "report", here), text(entry, "announced", here)
        mode = self._mode(entry, here)
        url = self._url(entry.get("url"), here, "url")
        for index, link in enumerate(links, 1):
            self._url(link, here, f"links[{index}]")
        translations = self._translations(entry, here)
        revision = entry.get("revision", 0)
        # CSV cells are text; ASCII digits only ("²" and "١٢" are digits to isdigit()).
        if isinstance(revision, str) and pattern(r"\s*\d+\s*").fullmatch(revision):
            revision = int(revision)
        if type(revision) is not int or not 0 <= revision <= MAX_REVISION:
            self.problems.append(
                f"{here}: revision: expected a whole number from 0 to {MAX_REVISION}, "
                f"got {show(revision)}"
            )
        times = self._times(entry, here, str(raw_id))
        if len(self.problems) > before or times is None:
            return None
        start, end, day, end_day, zone = times
        return Session(
            id=str(raw_id),
            title=title or "",
            event=event or "",
            start=start,
            end=end,
            date=day,
            end_date=end_day,
            zone=zone,
            themes=themes,
            cities=cities,
            hosts=hosts,
            speakers=speakers,
            mode=mode,
            location=location,
            summary=summary,
            report=report,
            url=url,
            links=links,
            announced=announced,
            translations=translations,
            revision=revision,
        )

    def _text(self, entry: Mapping[str, Any], name: str, here: str) -> str | None:
        value = entry.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problems.append(f"{here}: {name}: expected text, got {_kind(value)}")
            return None
        # Keep the catalogue's own line breaks in long texts; trim the ends only.
        return value.strip() or None

    def _list(self, entry: Mapping[str, Any], name: str, here: str) -> tuple[str, ...]:
        value = entry.get(name)
        plain = _plain_list(value)  # the common case, quickly; anything odd is told below
        if plain is not None:
            return plain
        if isinstance(value, str):
            items: Iterable[Any] = value.split(";")
        elif isinstance(value, list):
            items = value
        else:
            self.problems.append(f"{here}: {name}: expected a list of text, got {_kind(value)}")
            return ()
        result: list[str] = []
        for item in items:
            if not isinstance(item, str):
                self.problems.append(f"{here}: {name}: expected text items, got {_kind(item)}")
                return ()
            if item.strip():
                result.append(item.strip())
        return tuple(result)

    def _mode(self, entry: Mapping[str, Any], here: str) -> str | None:
        value = entry.get("mode")
        if value is None:
            return None
        mode = MODE_ALIASES.get(value.strip().lower()) if isinstance(value, str) else None
        if mode is None:
            self.problems.append(f"{here}: mode: {show(value)} is not one of {', '.join(MODES)}")
        return mode

    def _url(self, value: Any, here: str, name: str) -> str | None:
        if value is None:
            return None
        # isprintable() also refuses the non-ASCII spaces that an ASCII \s lets through.
        url = value.strip() if isinstance(value, str) else ""
        if not is_url(url):
            self.problems.append(f"{here}: {name}: {show(value)} is not an http(s) URL")
            return None
        return url

    def _translations(self, entry: Mapping[str, Any], here: str) -> dict[str, Translation]:
        result: dict[str, dict[str, str | tuple[str, ...]]] = {}
        for lang, name, key, is_list in TRANSLATION_KEYS:
            if key not in entry:
                continue
            value = self._list(entry, key, here) if is_list else self._text(entry, key, here)
            if value:
                result.setdefault(lang, {})[name] = value
        return dict(result)

    def _times(
        self, entry: Mapping[str, Any], here: str, session_id: str
    ) -> tuple[datetime | None, datetime | None, date | None, date | None, Zone | None] | None:
        has_clock = "start" in entry or "end" in entry
        has_days = "date" in entry or "end_date" in entry
        if has_clock and has_days:
            self.problems.append(
                f"{here}: a session is timed (start, end, timezone) or dated (date, end_date), "
                "not both"
            )
            return None
        if has_days:
            day = self._date(entry, "date", here)
            end_day = self._date(entry, "end_date", here) if "end_date" in entry else None
            if "date" not in entry:
                self.problems.append(f"{here}: date: missing (end_date needs a date)")
                return None
            if day and end_day and end_day < day:
                self.problems.append(f"{here}: end_date: {end_day} is before date {day}")
            if "timezone" in entry:
                self.warnings.append(
                    f"{here}: timezone: ignored for a dated session (whole days are never shifted)"
                )
            return None, None, day, end_day, None
        if not has_clock:
            if "timezone" in entry:
                self.warnings.append(f"{here}: timezone: ignored for a session with no time (TBA)")
            return None, None, None, None, None
        missing = [name for name in ("start", "end") if name not in entry]
        if missing:
            self.problems.append(
                f"{here}: {missing[0]}: missing (a timed session needs start and end)"
            )
            return None
        zone_text = entry.get("timezone", self.default_zone)
        if zone_text is None:
            self.problems.append(
                f"{here}: timezone: missing; give the session's zone or a catalogue timezone"
            )
            return None
        if not isinstance(zone_text, str):
            self.problems.append(f"{here}: timezone: expected text, got {_kind(zone_text)}")
            return None
        zone = self.zone(zone_text, here)
        start = self._instant(entry, "start", zone, here, session_id)
        end = self._instant(entry, "end", zone, here, session_id)
        if start is None or end is None:
            return None
        if end[1] <= start[1]:
            moved = start[1].replace(tzinfo=None) != start[0]  # a start in a DST gap moves on
            why = f" (the start, {start[0]:%H:%M}, is a time the clocks skip)" if moved else ""
            self.problems.append(f"{here}: end: {end[0]:%Y-%m-%d %H:%M} is not after start{why}")
            return None
        assert zone is not None  # an unknown zone gives no instants
        return start[1], end[1], None, None, zone

    def _date(self, entry: Mapping[str, Any], name: str, here: str) -> date | None:
        value = entry.get(name)
        if isinstance(value, datetime):
            self.problems.append(f"{here}: {name}: expected a date without a time, got {value}")
            return None
        if isinstance(value, date | str):
            try:
                return check_year(value, value) if isinstance(value, date) else parse_date(value)
            except DcalError as exc:
                self.problems.append(f"{here}: {name}: {exc}")
                return None
        self.problems.append(f"{here}: {name}: expected a date (YYYY-MM-DD), got {_kind(value)}")
        return None

    def _wall(self, entry: Mapping[str, Any], name: str, here: str) -> datetime | None:
        value = entry.get(name)
        if isinstance(value, datetime) and value.tzinfo is not None:
            self.problems.append(
                f"{here}: {name}: write the local wall-clock time without an offset "
                "and put the zone in timezone"
            )
            return None
        if isinstance(value, datetime | str):
            try:
                if isinstance(value, datetime):
                    return check_year(value, value)
                return parse_datetime(value)
            except DcalError as exc:
                self.problems.append(f"{here}: {name}: {exc}")
                return None
        self.problems.append(
            f"{here}: {name}: expected a date and time (YYYY-MM-DD HH:MM), got {_kind(value)}"
        )
        return None

    def _instant(
        self, entry: Mapping[str, Any], name: str, zone: Zone | None, here: str, session_id: str
    ) -> tuple[datetime, datetime] | None:
        """(wall clock, instant) of ``start`` or ``end``; DST notes are filed per session."""
        known = self._slot(entry.get(name), zone.wall) if zone is not None else None
        if known is None:
            wall = self._wall(entry, name, here)  # says what is wrong with it
            if wall is None or zone is None:
                return None
            known = (wall, localize(wall, zone.wall))
        wall, localized = known
        if localized.problem is not None:
            assert zone is not None
            note = WallNote(
                session_id, name, zone.name, wall, localized.problem, localized.instant, here
            )
            self.warnings.append(note.warning)
            self.wall_notes.append(note)
        return wall, localized.instant


def _plain_list(value: Any) -> tuple[str, ...] | None:
    """A list of texts, stripped, without empty ones; None for anything else."""
    if value is None:
        return ()
    if type(value) is not list:
        return None
    try:
        items = tuple(map(str.strip, value))
    except TypeError:  # an item that is not text
        return None
    return tuple(filter(None, items)) if "" in items else items
