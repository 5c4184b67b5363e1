"""The command line: parse options, call the core, pick a renderer, write.

Errors are raised as DcalError (carrying their exit code) and converted to a one-line
message in ``main``, the only place that does so.
"""

# No "from __future__ import annotations" here: typer reads these annotations at run time,
# and string annotations would make it compile each one on every start.
import contextlib
import io
import os
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from dcal import __version__
from dcal.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    DcalError,
    OutputError,
    UsageError,
    ZoneError,
)
from dcal.timeparse import MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:
    from datetime import date

    from dcal.check import Finding
    from dcal.filters import Filters
    from dcal.model import Catalogue, Session
    from dcal.views import DisplayZone, Grid
    from dcal.zones import Zone

EXIT_INTERNAL = 70
_RUNNING_AS_COMMAND = False  # set by main(): this process is the dcal command itself
_KEPT_UNTIL_EXIT: list[object] = []


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    md = "md"
    ics = "ics"


class ConvertFormat(StrEnum):
    text = "text"
    json = "json"


class Method(StrEnum):
    publish = "publish"
    request = "request"


class InputFormat(StrEnum):
    toml = "toml"
    json = "json"
    csv = "csv"
    xml = "xml"
    ics = "ics"


class CatalogueFormat(StrEnum):
    toml = "toml"
    json = "json"


class ExportFormat(StrEnum):
    ics = "ics"
    frab_json = "frab-json"


class Lang(StrEnum):
    en = "en"
    ja = "ja"


class Mode(StrEnum):
    online = "online"
    in_person = "in-person"
    hybrid = "hybrid"


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="dcal",
        help=(
            "Schedules for multi-city, multi-time-zone events, in your own time zone.\n\n"
            "Example: dcal list --tz JST --theme biodiversity"
        ),
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app()

# Shared options: one definition each, used by every command that takes them.
CatalogueOpt = Annotated[
    str | None,
    typer.Option(
        "--catalogue",
        "-c",
        metavar="PATH",
        help="Catalogue file (TOML, JSON or CSV; '-' for standard input), or another tool's "
        "schedule, imported on the fly: frab/pretalx schedule.json or .xml, an .ics calendar, "
        "a CSV sheet. "
        "Default: $DCAL_CATALOGUE, else the bundled Daring Cities catalogue.",
    ),
]
InputFormatOpt = Annotated[
    InputFormat | None,
    typer.Option("--input-format", help="Catalogue format, when neither name nor content tells."),
]
ThemeOpt = Annotated[
    list[str] | None,
    typer.Option("--theme", "-t", metavar="THEME", help="Keep this theme (repeatable)."),
]
CityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--city", metavar="CITY", help="Keep sessions naming this city, e.g. belem (repeatable)."
    ),
]
EventOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--event", metavar="TEXT", help="Keep events whose name contains TEXT (repeatable)."
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="DATE", help="Keep sessions on or after DATE (YYYY-MM-DD)."),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--to", metavar="DATE", help="Keep sessions on or before DATE (YYYY-MM-DD)."),
]
OnOpt = Annotated[str | None, typer.Option("--on", metavar="DATE", help="Keep sessions on DATE.")]
SearchOpt = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        metavar="TEXT",
        help="Keep sessions whose title, summary, speakers or hosts contain TEXT.",
    ),
]
ModeOpt = Annotated[
    list[Mode] | None,
    typer.Option(
        "--mode", metavar="MODE", help="Keep this mode: online, in-person or hybrid (repeatable)."
    ),
]
IdOpt = Annotated[
    list[str] | None, typer.Option("--id", metavar="ID", help="Keep this session id (repeatable).")
]
TzOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tz",
        "-z",
        metavar="ZONE",
        help="Show times in ZONE: JST, UTC+2, Asia/Tokyo, Bonn, local, or 'session' for each "
        "session's own zone (repeatable, or comma-separated). "
        "Default: $DCAL_TZ, else local,session.",
    ),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", help="Language of titles and texts, where the catalogue has it.")
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
# A plain string, not a Path: "out/" (a directory) must not silently become a file "out".
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="PATH", help="Write to PATH instead of standard output."
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
]
ColorOpt = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Force colour on or off (default: on a terminal only; NO_COLOR is honoured).",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dcal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for errors (also DCAL_DEBUG=1).")
    ] = False,
) -> None:
    """Schedules for multi-city, multi-time-zone events, in your own time zone."""


# --------------------------------------------------------------------------- helpers


def warn(message: str) -> None:
    from dcal.render import clean_text

    sys.stderr.write(f"dcal: warning: {clean_text(message, newlines=False)}\n")


def load(
    catalogue: str | None,
    input_format: InputFormat | None,
    *,
    quiet: bool = False,
    timezone: str | None = None,
) -> "Catalogue":
    """The catalogue the options name; its warnings on stderr unless ``quiet``.

    ``timezone`` is ``dcal import --timezone``: the zone of a schedule that names none.
    """
    from dcal.catalogue import default_source, load_catalogue

    source = catalogue if catalogue is not None else default_source(os.environ)
    fmt = input_format.value if input_format else None
    loaded = load_catalogue(source, input_format=fmt, timezone=timezone)
    if _RUNNING_AS_COMMAND:
        import gc

        # The catalogue lives until dcal exits: no collection need walk it again, and it is
        # never freed object by object (a tenth of a second per 20,000 sessions), since
        # main() ends the process at once.
        gc.freeze()
        _KEPT_UNTIL_EXIT.append(loaded)
    if not quiet:
        warn_loading(loaded)
    return loaded


def warn_loading(loaded: "Catalogue") -> None:
    """What loading the catalogue found odd, on stderr (at most 50 lines and a count)."""
    from dcal.catalogue import MAX_PROBLEMS_SHOWN

    for message in loaded.shown_warnings(MAX_PROBLEMS_SHOWN):
        warn(message)


def catalogue_cities(catalogue: str | None) -> dict[str, str]:
    """The catalogue's city → zone table, for commands that only read zone names.

    A broken $DCAL_CATALOGUE only loses its city names here; a broken --catalogue is an error.
    """
    try:
        return dict(load(catalogue, None, quiet=True).cities)
    except DcalError:
        if catalogue is not None:
            raise
        return {}


def make_filters(
    theme: list[str] | None = None,
    city: list[str] | None = None,
    event: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    on: str | None = None,
    search: str | None = None,
    mode: list[Mode] | None = None,
    ids: list[str] | None = None,
) -> "Filters":
    from dcal.filters import Filters

    dates = {
        name: _date_option(name, value)
        for name, value in (("--from", since), ("--to", until), ("--on", on))
    }
    if dates["--on"] and (dates["--from"] or dates["--to"]):
        raise UsageError("--on cannot be combined with --from or --to")
    if dates["--from"] and dates["--to"] and dates["--to"] < dates["--from"]:
        raise UsageError(f"--to {until} is before --from {since}")
    return Filters(
        themes=tuple(theme or ()),
        cities=tuple(city or ()),
        events=tuple(event or ()),
        modes=tuple(m.value for m in mode or ()),
        ids=tuple(ids or ()),
        search=search or None,
        since=dates["--on"] or dates["--from"],
        until=dates["--on"] or dates["--to"],
    )


def _date_option(flag: str, value: str | None) -> "date | None":
    if value is None:
        return None
    from dcal.timeparse import parse_date

    try:
        return parse_date(value)
    except DcalError as exc:
        raise UsageError(f"{flag}: {exc}") from None


class ZoneResolver:
    """Resolves user-typed zones; detects the local zone and loads city names only if needed."""

    def __init__(
        self,
        catalogue: "Catalogue | None" = None,
        catalogue_source: "Callable[[], Catalogue] | None" = None,
    ) -> None:
        self._catalogue = catalogue
        self._catalogue_source = catalogue_source
        self._local: Zone | None = None

    def local(self) -> "Zone":
        if self._local is None:
            from dcal.system import detect_local_zone

            self._local, warning = detect_local_zone(os.environ)
            if warning:
                warn(warning)
        return self._local

    def __call__(self, text: str) -> "Zone":
        from dcal.zones import resolve_zone

        local = self.local() if text.strip().lower() == "local" else None
        cities = self._catalogue.cities if self._catalogue else {}
        try:
            return resolve_zone(text, cities=cities, local=local)
        except ZoneError:
            if self._catalogue is not None or self._catalogue_source is None:
                raise
        # A city of the catalogue, perhaps: load it only now, and keep the first error.
        try:
            self._catalogue = self._catalogue_source()
        except DcalError:
            self._catalogue_source = None
        return resolve_zone(
            text, cities=self._catalogue.cities if self._catalogue else {}, local=local
        )


def requested_zones(given: list[str] | None, flag: str) -> tuple[list[str], str]:
    """Zone names from a repeatable, comma-separable flag, else from $DCAL_TZ; and their source."""
    values = given or [os.environ.get("DCAL_TZ", "")]
    names = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return names, flag if given else "DCAL_TZ"


def display_zones(tz: list[str] | None, resolver: ZoneResolver) -> "list[DisplayZone]":
    from dcal.views import SESSION_ZONE, DisplayZone

    names, source = requested_zones(tz, "--tz")
    zones = []
    for name in names or ["local", SESSION_ZONE]:
        if name.lower() == SESSION_ZONE:
            zones.append(DisplayZone(name, None))
        else:
            zones.append(DisplayZone(name, _zone_option(source, name, resolver)))
    return zones


def write_records(
    fmt: OutputFormat,
    out: TextIO,
    records: Iterable[dict[str, Any]],
    columns: Sequence[str],
    *,
    color: bool | None,
    title: str | None = None,
    grid: "Callable[[], Grid] | None" = None,
    flat: Callable[[dict[str, Any]], list[str]] | None = None,
) -> None:
    """Write records in any format; tables and Markdown use ``grid`` when given."""
    from dcal import render

    if fmt is OutputFormat.ics:
        raise UsageError("-f ics writes sessions: use it with dcal list, show or export")

    if fmt is OutputFormat.json:
        render.write_json(records, out)
    elif fmt is OutputFormat.jsonl:
        render.write_jsonl(records, out)
    elif fmt in (OutputFormat.csv, OutputFormat.tsv):
        from dcal.views import cell_text

        rows = (flat(r) if flat else [cell_text(r[c]) for c in columns] for r in records)
        render.write_delimited(columns, rows, out, tsv=fmt is OutputFormat.tsv)
    else:
        from dcal.views import grid_from_records

        table = grid() if grid else grid_from_records(columns, records)
        if fmt is OutputFormat.md:
            render.write_markdown(table, out)
        else:
            from dcal.render_table import write_table

            write_table(table, out, color=color, title=title)


def emit(
    output: str | None, force: bool, fmt: OutputFormat, write: Callable[[TextIO], None]
) -> None:
    from dcal.output import open_output

    # csv and icalendar write their own CRLF line ends; every other format writes "\n".
    newline = "" if fmt in (OutputFormat.csv, OutputFormat.ics) else "\n"
    with open_output(output, force=force, newline=newline) as out:
        write(out)


# --------------------------------------------------------------------------- commands


@app.command("list")
def list_sessions(
    catalogue: CatalogueOpt = None,
    input_format: InputFormatOpt = None,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    event: EventOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    on: OnOpt = None,
    search: SearchOpt = None,
    mode: ModeOpt = None,
    ids: IdOpt = None,
    tz: TzOpt = None,
    lang: LangOpt = Lang.en,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = None,
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="-f md: add 'add to calendar' links (Google, Outlook, and the session's .ics).",
        ),
    ] = False,
    ics_base: Annotated[
        str,
        typer.Option(
            "--ics-base",
            metavar="URL",
            help="Where the .ics files of 'dcal export --split DIR' are published "
            "(default: beside the page).",
        ),
    ] = "",
) -> None:
    """List sessions in time order, with one column per time zone.

    Example: dcal list --tz JST --tz Europe/Berlin --theme biodiversity
    """
    from dcal.filters import filter_sessions
    from dcal.views import flat_columns, flat_row, session_grid, session_record

    if links and fmt is not OutputFormat.md:
        raise UsageError("--links adds calendar links to Markdown: use it with -f md")
    if ics_base and not links:
        raise UsageError("--ics-base sets where the links of --links point: add --links")
    filters = make_filters(theme, city, event, since, until, on, search, mode, ids)
    loaded = load(catalogue, input_format)
    sessions = filter_sessions(loaded.sessions, filters)
    if fmt is OutputFormat.ics:  # a calendar carries its own zones: --tz does not apply
        export_calendar(loaded, sessions, output, force, lang)
        return
    zones = display_zones(tz, ZoneResolver(loaded))
    records = (session_record(s, zones, lang.value) for s in sessions)
    calendar = None
    if links:
        from dcal.links import links_for

        calendar = links_for(sessions, lang.value, ics_base)
    emit(
        output,
        force,
        fmt,
        lambda out: write_records(
            fmt,
            out,
            records,
            flat_columns(zones),
            color=color,
            title=loaded.name,
            grid=lambda: session_grid(sessions, zones, lang.value, calendar),
            flat=flat_row,
        ),
    )


@app.command()
def show(
    session_id: Annotated[
        str, typer.Argument(metavar="ID", help="The session's id (see 'dcal list').")
    ],
    catalogue: CatalogueOpt = None,
    input_format: InputFormatOpt = None,
    tz: TzOpt = None,
    lang: LangOpt = Lang.en,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = None,
) -> None:
    """Show everything about one session, in every requested zone.

    Example: dcal show dc2020-biodiversity-cop --tz JST --lang ja
    """
    from dcal import render
    from dcal.views import detail_grid, flat_columns, flat_row, session_record

    loaded = load(catalogue, input_format)
    session = find_session(loaded.sessions, session_id)
    if fmt is OutputFormat.ics:  # a calendar carries its own zones: --tz does not apply
        export_calendar(loaded, [session], output, force, lang)
        return
    zones = display_zones(tz, ZoneResolver(loaded))
    record = session_record(session, zones, lang.value)

    def write(out: TextIO) -> None:
        if fmt is OutputFormat.json:
            render.write_json_object(record, out)
        elif fmt is OutputFormat.table:
            from dcal.render_table import write_details

            write_details(detail_grid(session, zones, lang.value), out, color=color)
        else:
            write_records(
                fmt,
                out,
                [record],
                flat_columns(zones),
                color=color,
                grid=lambda: detail_grid(session, zones, lang.value),
                flat=flat_row,
            )

    emit(output, force, fmt, write)


AlarmOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alarm",
        metavar="BEFORE",
        help="Add a reminder BEFORE each session: 15m, 1h, 1d (repeatable).",
    ),
]
CalendarNameOpt = Annotated[
    str | None,
    typer.Option(
        "--calendar-name",
        metavar="NAME",
        help="The calendar's name (X-WR-CALNAME). Default: the catalogue's name.",
    ),
]
StampOpt = Annotated[
    str,
    typer.Option(
        "--stamp",
        metavar="WHEN",
        help="DTSTAMP of every event: 'catalogue' (its 'updated' time, so that the same "
        "catalogue gives the same bytes), 'now', or a date-time with offset.",
    ),
]


@app.command()
def export(
    catalogue: CatalogueOpt = None,
    input_format: InputFormatOpt = None,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    event: EventOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    on: OnOpt = None,
    search: SearchOpt = None,
    mode: ModeOpt = None,
    ids: IdOpt = None,
    lang: LangOpt = Lang.en,
    output: OutputOpt = None,
    force: ForceOpt = False,
    alarm: AlarmOpt = None,
    calendar_name: CalendarNameOpt = None,
    stamp: StampOpt = "catalogue",
    split: Annotated[
        str | None,
        typer.Option(
            "--split",
            metavar="DIR",
            help="Write one .ics file per session into DIR (named from the ids).",
        ),
    ] = None,
    method: Annotated[
        Method | None,
        typer.Option(
            "--method", help="METHOD of the calendar: publish, or request for invitations."
        ),
    ] = None,
    organizer: Annotated[
        str | None,
        typer.Option(
            "--organizer",
            metavar="MAILTO",
            help="ORGANIZER of invitations: mailto:you@example.org.",
        ),
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option(
            "--attendee",
            metavar="MAILTO",
            help="Invite this address (repeatable; needs --method request).",
        ),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            metavar="FILE",
            help="Remember what was exported in FILE, and raise the SEQUENCE of every event that "
            "changed since (created if missing).",
        ),
    ] = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="ics (calendars), or frab-json: a schedule.json for Giggity, ConfClerk and "
            "EventFahrplan.",
        ),
    ] = ExportFormat.ics,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            "-z",
            metavar="ZONE",
            help="frab-json: the zone of the schedule's days (default: the catalogue's, else "
            "the commonest session zone, else UTC).",
        ),
    ] = None,
) -> None:
    """Write the sessions as an iCalendar (.ics) file for Google, Outlook and Apple calendars.

    Example: dcal export --theme biodiversity -o biodiversity.ics
    """
    from dcal.filters import filter_sessions

    filters = make_filters(theme, city, event, since, until, on, search, mode, ids)
    loaded = load(catalogue, input_format)
    sessions = filter_sessions(loaded.sessions, filters)
    if fmt is ExportFormat.frab_json:
        ics_only = {
            "--split": split,
            "--method": method,
            "--organizer": organizer,
            "--attendee": attendee,
            "--state": state,
            "--alarm": alarm,
            "--calendar-name": calendar_name,
            "--stamp": stamp != "catalogue",
        }
        given = [flag for flag, value in ics_only.items() if value]
        if given:
            raise UsageError(f"{given[0]} is for calendars (-f ics), not for -f frab-json")
        export_frab(loaded, sessions, output, force, lang, tz)
        return
    if tz is not None:
        raise UsageError("--tz sets the days of a frab-json schedule; a calendar has its own zones")
    if split is not None and output is not None:
        raise UsageError("--split writes files into a folder; it cannot be combined with -o")
    # RFC 5546: PUBLISH and REQUEST name an ORGANIZER; a REQUEST invites someone.
    if method is not None and organizer is None:
        raise UsageError(f"--method {method.value} needs --organizer mailto:you@example.org")
    if method is Method.request and not attendee:
        raise UsageError("--method request needs at least one --attendee mailto:…")
    if attendee and method is not Method.request:
        raise UsageError("--attendee needs --method request (invitations)")
    export_calendar(
        loaded,
        sessions,
        output,
        force,
        lang,
        alarms=alarm or [],
        calendar_name=calendar_name,
        stamp=stamp,
        method=method.value.upper() if method else None,
        organizer=organizer,
        attendees=attendee or [],
        split=split,
        state=state,
    )


def export_calendar(
    loaded: "Catalogue",
    sessions: "Sequence[Session]",
    output: str | None,
    force: bool,
    lang: Lang,
    *,
    alarms: Sequence[str] = (),
    calendar_name: str | None = None,
    stamp: str = "catalogue",
    method: str | None = None,
    organizer: str | None = None,
    attendees: Sequence[str] = (),
    split: str | None = None,
    state: str | None = None,
) -> None:
    """The one path to iCalendar output (export, list -f ics, show -f ics)."""
    from dcal.ics import (
        DEFAULT_STAMP,
        IcsOptions,
        mail_address,
        next_sequences,
        parse_duration,
        read_state,
        uid_domain,
        write_ics,
    )

    options = IcsOptions(
        calendar_name=calendar_name or loaded.name,
        stamp=_stamp(stamp, loaded.updated or DEFAULT_STAMP),
        alarms=tuple(parse_duration(text) for text in alarms),
        lang=lang.value,
        uid_domain=uid_domain(loaded.url),
        method=method,
        organizer=mail_address(organizer, "--organizer") if organizer else None,
        attendees=tuple(mail_address(a, "--attendee") for a in attendees),
    )
    kept = exportable_sessions(sessions)
    if method == "REQUEST" and split is None and len(kept) > 1:
        raise UsageError(
            f"an invitation (--method request) holds one event, and {len(kept)} sessions match: "
            "narrow it with --id, or write one invitation per session with --split DIR"
        )
    if not kept:
        warn("no session with a date matches: the calendar is empty")
    kept_state = None
    if state is not None:
        from dcal.output import check_target

        check_target(state, force=True)  # before anything is written: not a FIFO, a folder…
        previous = read_state(_read_text(state), state) if os.path.exists(state) else {}
        sequences, kept_state = next_sequences(kept, options, previous)
        options = options._replace(sequences=sequences)
    if split is not None:
        from dcal.ics import vtimezones

        shared = vtimezones(kept)  # computed once for all the files
        write_split(
            kept, split, force, lambda session, out: write_ics([session], out, options, shared)
        )
    else:
        emit(output, force, OutputFormat.ics, lambda out: write_ics(kept, out, options))
    if state is not None:
        # Only once the calendar is written: a failed export must not advance the numbers.
        from dcal.output import open_output
        from dcal.render import to_json

        with open_output(state, force=True) as out:
            out.write(to_json(kept_state, indent=1) + "\n")


def exportable_sessions(sessions: "Sequence[Session]") -> "list[Session]":
    """The sessions a calendar or schedule can hold; the TBA ones named on stderr (20 at most)."""
    from dcal.model import exportable

    kept, skipped = exportable(sessions)
    if skipped:
        ids = ", ".join(s.id for s in skipped[:20])
        more = f" and {len(skipped) - 20} more" if len(skipped) > 20 else ""
        warn(f"left out {len(skipped)} session(s) with no date yet (TBA): {ids}{more}")
    return kept


def export_frab(
    loaded: "Catalogue",
    sessions: "Sequence[Session]",
    output: str | None,
    force: bool,
    lang: Lang,
    tz: str | None,
) -> None:
    from dcal.frab import frab_zone, schedule_zone, write_frab_json

    if tz:
        given = _zone_option("--tz", tz, ZoneResolver(loaded))
        zone = frab_zone(given)
        if zone is None:
            raise UsageError(
                f"--tz: a frab schedule's days are on a region's clock (Europe/Berlin, Bonn, "
                f"JST) or UTC, not on a fixed offset like {given.text.strip()}"
            )
    else:
        zone = schedule_zone(loaded, sessions)
    kept = exportable_sessions(sessions)
    emit(
        output,
        force,
        OutputFormat.json,
        lambda out: write_frab_json(loaded, kept, zone, lang.value, out),
    )


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(64 * 1024 * 1024)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--state {path}: cannot be read ({exc})") from None


def write_split(
    sessions: "Sequence[Session]",
    directory: str,
    force: bool,
    write: "Callable[[Session, TextIO], None]",
) -> None:
    """One file per session in ``directory``, named from ids; all refused if one would clobber."""
    from dcal.ics import split_names
    from dcal.output import open_output

    if os.path.lexists(directory) and not os.path.isdir(directory):
        raise OutputError(f"--split {directory}: exists and is not a folder")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"--split {directory}: cannot create it ({exc.strerror or exc})"
        ) from None
    from dcal.output import check_target

    targets = [os.path.join(directory, name) for name in split_names(sessions)]
    clobbered = [target for target in targets if os.path.lexists(target)]
    if clobbered and not force:
        raise OutputError(
            f"{clobbered[0]}: already exists ({len(clobbered)} of the files do); "
            "pass --force to overwrite them"
        )
    for target in clobbered:  # every file must be replaceable before the first is written
        check_target(target, force)
    for session, target in zip(sessions, targets, strict=True):
        with open_output(target, force=force, newline="") as out:
            write(session, out)


def _stamp(text: str, catalogue_stamp: datetime) -> datetime:
    value = text.strip().lower()
    if value == "catalogue":
        return catalogue_stamp
    if value == "now":
        return datetime.now(UTC).replace(microsecond=0)
    from dcal.timeparse import parse_instant

    try:
        return parse_instant(text)
    except DcalError as exc:
        raise UsageError(f"--stamp: {exc} (or 'catalogue', or 'now')") from None


def find_session(sessions: "Sequence[Session]", session_id: str) -> "Session":
    for session in sessions:
        if session.id == session_id:
            return session
    import difflib

    known = [s.id for s in sessions]
    close = [i for i in known if i.startswith(session_id)][:3]
    close = close or difflib.get_close_matches(session_id, known, n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see 'dcal list')"
    raise UsageError(f"no session with id {session_id!r}{hint}")


@app.command()
def convert(
    time_text: Annotated[
        str,
        typer.Argument(
            metavar="TIME",
            help="'YYYY-MM-DD HH:MM', 'HH:MM' (today) or 'now'; 24:30 is 00:30 the next day.",
        ),
    ],
    from_zone: Annotated[
        str, typer.Option("--from", metavar="ZONE", help="The zone TIME is written in.")
    ] = "local",
    to_zones: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            metavar="ZONE",
            help="Zone to convert to (repeatable). Default: $DCAL_TZ, else local.",
        ),
    ] = None,
    fmt: Annotated[
        ConvertFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ConvertFormat.text,
    catalogue: CatalogueOpt = None,
) -> None:
    """Convert one wall-clock time between zones.

    Example: dcal convert "2020-10-21 10:00" --from UTC+2 --to JST
    """
    from dcal.convert import convert_time, parse_convert_time

    resolver = ZoneResolver(catalogue_source=lambda: load(catalogue, None))
    source = _zone_option("--from", from_zone, resolver)
    names, flag = requested_zones(to_zones, "--to")
    # "session" (each session's own zone) has no meaning for a single time.
    names = [name for name in names if name.lower() != "session"] or ["local"]
    targets = [_zone_option(flag, name, resolver) for name in names]
    try:
        wall = parse_convert_time(time_text, source, datetime.now(UTC))
    except DcalError as exc:
        raise UsageError(f"TIME: {exc}") from None
    result = convert_time(time_text, wall, source, targets)
    if result.note:
        warn(result.note)
    if fmt is ConvertFormat.json:
        from dcal.render import write_json_object

        write_json_object(result.as_dict(), sys.stdout)
    else:
        sys.stdout.write(result.as_text())


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.command("parse")
def parse_text(
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT",
            help="The time as published, e.g. "
            "'21 October @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST'.",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option("--year", min=MIN_YEAR, max=MAX_YEAR, help="The year, when TEXT gives none."),
    ] = None,
    fmt: Annotated[
        ConvertFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ConvertFormat.text,
    catalogue: CatalogueOpt = None,
) -> None:
    """Show what a published time string means, in every zone it names.

    Each part is compared with the first: exit 0 when all agree, 1 when they disagree,
    2 when the text cannot be read.

    Example: dcal parse "21 October @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST" --year 2020
    """
    from dcal.explain import explain

    cities = catalogue_cities(catalogue)  # "Bonn time"
    today = datetime.now(ZoneResolver().local().tz).date()  # the user's today, not UTC's
    try:
        result = explain(text, today=today, year=year, cities=cities)
    except DcalError as exc:
        raise UsageError(f"TEXT: {exc}") from None
    for note in result.notes:
        warn(note)
    if fmt is ConvertFormat.json:
        from dcal.render import write_json_object

        write_json_object(result.as_dict(), sys.stdout)
    else:
        from dcal.render import clean_text

        sys.stdout.write(clean_text(result.as_text()))
    if not result.agrees:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def check(
    catalogue: CatalogueOpt = None,
    input_format: InputFormatOpt = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CheckFormat.text,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Validate a catalogue, and cross-check every announced time with the stored one.

    Reports, one line each: announced times, dates and weekdays that disagree with the
    stored times in any zone they name; stored times in a DST gap or repeat; fixed
    offsets that none of the session's cities uses on that day; unreadable announcements;
    and everything loading warns about. Exit 0 clean, 1 findings, 3 unreadable catalogue.

    Example: dcal check --catalogue programme.toml -f json
    """
    from dcal.catalogue import default_source
    from dcal.check import check_catalogue
    from dcal.errors import CatalogueError

    source = catalogue if catalogue is not None else default_source(os.environ)
    try:
        loaded = load(source, input_format, quiet=True)  # warnings become findings
    except CatalogueError as exc:
        if fmt is not CheckFormat.text:  # scripts get the problems as data too
            from dcal.check import Finding

            problems = [Finding(None, "catalogue", "invalid", p) for p in exc.problems]
            write_findings(fmt, source, None, problems, output, force)
        raise
    findings = check_catalogue(loaded, datetime.now(UTC).date())
    write_findings(fmt, loaded.source, len(loaded.sessions), findings, output, force)
    from dcal.views import plural

    count = plural(len(findings), "finding") if findings else "no findings"
    sessions = plural(len(loaded.sessions), "session")
    sys.stderr.write(f"dcal: {count} in {sessions} ({loaded.source})\n")
    if findings:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def now(
    catalogue: CatalogueOpt = None,
    input_format: InputFormatOpt = None,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    event: EventOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    on: OnOpt = None,
    search: SearchOpt = None,
    mode: ModeOpt = None,
    ids: IdOpt = None,
    tz: TzOpt = None,
    lang: LangOpt = Lang.en,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = None,
    at: Annotated[
        str,
        typer.Option(
            "--at",
            metavar="TIME",
            help="Ask about another moment: 'YYYY-MM-DD HH:MM' or 'HH:MM' in the first --tz "
            "zone (default: local), or with an offset (2025-06-18T10:00+02:00).",
        ),
    ] = "now",
    upcoming: Annotated[
        int, typer.Option("--next", min=0, metavar="N", help="How many coming sessions to show.")
    ] = 3,
) -> None:
    """What is on now, and what is next, in your zones.

    Example: dcal now --tz JST --at "2020-10-22 17:30"
    """
    from dcal.filters import filter_sessions
    from dcal.now import happening, moment_at, status_text
    from dcal.views import cell_text, flat_columns, flat_row, session_grid, session_record

    filters = make_filters(theme, city, event, since, until, on, search, mode, ids)
    loaded = load(catalogue, input_format)
    if fmt is OutputFormat.ics:
        raise UsageError("-f ics writes calendars: use dcal export for them")
    resolver = ZoneResolver(loaded)
    zones = display_zones(tz, resolver)
    reading_zone = next((z.zone for z in zones if z.zone is not None), None) or resolver.local()
    try:
        moment, note = moment_at(at, reading_zone, datetime.now(UTC))
    except DcalError as exc:
        raise UsageError(f"--at: {exc}") from None
    if note:
        warn(f"--at: {note}")
    today = moment.astimezone(reading_zone.tz).date()
    items = happening(filter_sessions(loaded.sessions, filters), moment, today, upcoming)
    if not items:
        warn(
            f"nothing is on at {moment.astimezone(reading_zone.tz):%Y-%m-%d %H:%M %Z}, "
            "and nothing later matches"
        )
    sessions = [item.session for item in items]
    records = []
    for item in items:
        record = session_record(item.session, zones, lang.value)
        record["status"] = item.status
        record["minutes"] = item.minutes
        records.append(record)

    def grid() -> "Grid":
        # The status leads the "when" cell: a column of its own would squeeze the titles.
        table = session_grid(sessions, zones, lang.value)
        rows = tuple(
            (
                (
                    (status_text(item, today), "shift" if item.status == "now" else "dim"),
                    ("\n", ""),
                    *row[0],
                ),
                *row[1:],
            )
            for item, row in zip(items, table.rows, strict=True)
        )
        return table._replace(rows=rows)

    emit(
        output,
        force,
        fmt,
        lambda out: write_records(
            fmt,
            out,
            records,
            ["status", "minutes", *flat_columns(zones)],
            color=color,
            title=f"{moment.astimezone(reading_zone.tz):%Y-%m-%d %H:%M %Z}",
            grid=grid,
            flat=lambda r: [r["status"], cell_text(r["minutes"]), *flat_row(r)],
        ),
    )


def write_findings(
    fmt: CheckFormat,
    source: str,
    sessions: int | None,
    findings: "Sequence[Finding]",
    output: str | None,
    force: bool,
) -> None:
    from dcal import render
    from dcal.check import report

    def write(out: TextIO) -> None:
        if fmt is CheckFormat.json:
            render.write_json_object(report(source, sessions, findings), out)
        elif fmt is CheckFormat.jsonl:
            render.write_jsonl((finding.as_dict() for finding in findings), out)
        else:
            out.writelines(render.clean_text(f.as_text(), newlines=False) + "\n" for f in findings)

    emit(output, force, OutputFormat.json, write)


def _zone_option(flag: str, text: str, resolver: ZoneResolver) -> "Zone":
    try:
        return resolver(text)
    except ZoneError as exc:
        raise ZoneError(f"{flag}: {exc}") from None


def _facet_command(field: str, key: str) -> Callable[..., None]:
    def command(
        catalogue: CatalogueOpt = None,
        input_format: InputFormatOpt = None,
        theme: ThemeOpt = None,
        city: CityOpt = None,
        event: EventOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        on: OnOpt = None,
        search: SearchOpt = None,
        mode: ModeOpt = None,
        ids: IdOpt = None,
        fmt: FormatOpt = OutputFormat.table,
        output: OutputOpt = None,
        force: ForceOpt = False,
        color: ColorOpt = None,
    ) -> None:
        from dcal.filters import facet_counts, filter_sessions

        filters = make_filters(theme, city, event, since, until, on, search, mode, ids)
        loaded = load(catalogue, input_format)
        sessions = filter_sessions(loaded.sessions, filters)
        records: list[dict[str, Any]] = []
        for value, count in facet_counts(sessions, field):
            record: dict[str, Any] = {key: value, "sessions": count}
            if field == "cities":
                record["tz"] = _city_zone(loaded, value)
            records.append(record)
        columns = [key, "sessions"] + (["tz"] if field == "cities" else [])
        emit(output, force, fmt, lambda out: write_records(fmt, out, records, columns, color=color))

    return command


def _city_zone(catalogue: "Catalogue", city: str) -> str | None:
    from dcal.zones import resolve_zone

    try:
        return resolve_zone(city, cities=catalogue.cities).name
    except ZoneError:
        return None


THEMES_HELP = """Themes of the (filtered) sessions, with session counts.

Example: dcal themes --event 2025
"""
CITIES_HELP = """Cities of the (filtered) sessions, with session counts and zones.

Example: dcal cities -f json
"""
app.command("themes", help=THEMES_HELP)(_facet_command("themes", "theme"))
app.command("cities", help=CITIES_HELP)(_facet_command("cities", "city"))


@app.command()
def zones(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="[QUERY]",
            help="Show only zones whose name contains QUERY, or the zone QUERY resolves to.",
        ),
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    color: ColorOpt = None,
) -> None:
    """List the zone names dcal understands, with their current offsets and abbreviations.

    Example: dcal zones tokyo
    """
    from dcal.zone_list import zone_rows

    records = zone_rows(
        query, catalogue_cities(catalogue), ZoneResolver().local(), datetime.now(UTC)
    )
    columns = ["name", "kind", "tz", "utc_offset", "abbreviation"]
    emit(output, force, fmt, lambda out: write_records(fmt, out, records, columns, color=color))


@app.command("import")
def import_schedule(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A frab/pretalx schedule.json or schedule.xml, an .ics calendar, a CSV sheet, "
            "or a dcal catalogue (TOML, JSON, CSV); '-' for standard input.",
        ),
    ],
    output: OutputOpt = None,
    fmt: Annotated[
        CatalogueFormat | None,
        typer.Option(
            "--format", "-f", help="toml or json (default: from the --output name, else toml)."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            metavar="ZONE",
            help="The zone the schedule's events happen in, where the file names none or the "
            "wrong one (floating .ics times, a frab schedule with no time_zone_name).",
        ),
    ] = None,
    input_format: InputFormatOpt = None,
    force: ForceOpt = False,
) -> None:
    """Read another tool's schedule and write it as a dcal catalogue.

    What had to be assumed or repaired is reported on stderr, one line each.

    Example: dcal import schedule.json -o programme.toml
    """
    from dcal.catalogue_write import catalogue_mapping, write_json, write_toml

    if fmt is None and output is not None:
        suffix = os.path.splitext(output)[1].lower().lstrip(".")
        if suffix not in tuple(CatalogueFormat):
            raise UsageError(
                f"-o {output}: a catalogue is written as .toml or .json; name it so, or give -f"
            )
        fmt = CatalogueFormat(suffix)
    loaded = load(file, input_format, timezone=timezone)
    if not loaded.sessions:
        warn(f"{file}: no sessions found: the catalogue written is empty")
    mapping = catalogue_mapping(loaded)
    writer = write_json if fmt is CatalogueFormat.json else write_toml  # TOML by default
    emit(output, force, OutputFormat.json, lambda out: writer(mapping, out))
    if output is not None:
        from dcal.views import plural

        count = plural(len(loaded.sessions), "session")
        sys.stderr.write(f"dcal: wrote {count} to {output}\n")


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run dcal; returns the exit code (called with ``argv``), or exits (as the command)."""
    global _RUNNING_AS_COMMAND
    _RUNNING_AS_COMMAND = argv is None  # not when called in-process (tests, embedding)
    code = run(sys.argv[1:] if argv is None else argv)
    if argv is None:
        # Everything is written and closed by now. A large catalogue is millions of objects:
        # the system takes their memory back at once, where freeing them one by one at exit
        # would cost a tenth of the run.
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    return code


def run(argv: Sequence[str]) -> int:
    """The one place where errors become messages and exit codes."""
    args = list(argv)
    _guard_streams()
    debug = os.environ.get("DCAL_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    command = typer.main.get_command(_app_for(args))
    ctx = None
    handlers = _terminate_on_signals()
    try:
        ctx = command.make_context("dcal", args)
        with ctx:
            command.invoke(ctx)
        sys.stdout.flush()  # a full disk or closed pipe is reported here, not at exit
        return 0
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # click's usage errors
        return _usage_error(exc)
    except (DcalError, OSError, UnicodeEncodeError) as exc:
        if debug or (ctx is not None and ctx.params.get("debug")):
            raise
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        return _report(exc)
    except KeyboardInterrupt:
        sys.stderr.write("dcal: interrupted\n")
        return EXIT_INTERRUPTED
    except Terminated as exc:
        return 128 + exc.signum
    except typer.Abort:
        return EXIT_INTERRUPTED
    except Exception as exc:
        if debug or (ctx is not None and ctx.params.get("debug")):
            raise
        sys.stderr.write(
            f"dcal: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; run again with --debug to see the traceback)\n"
        )
        return EXIT_INTERNAL
    finally:
        for signum, previous in handlers.items():
            signal.signal(signum, previous)


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``args`` run, when that is clear.

    Typer builds a command from its function's signature on every start; building one
    instead of all of them is a measurable part of the start-up budget. dcal's global
    options are all flags, so the first argument that is not one names the command.
    """
    name = next((arg for arg in args if not arg.startswith("-")), None)
    chosen = [
        info
        for info in app.registered_commands
        if name is not None and (info.name or _command_name(info.callback)) == name
    ]
    if not chosen:
        return app  # help, --version, or an unknown command: the full app explains
    slim = _new_app()
    slim.registered_callback = app.registered_callback
    slim.registered_commands = chosen
    return slim


def _command_name(callback: Callable[..., Any] | None) -> str:
    return callback.__name__.replace("_", "-") if callback else ""


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwind (removing temporary files) and exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate_on_signals() -> dict[int, Any]:
    def terminate(signum: int, frame: object) -> None:
        raise Terminated(signum)

    handlers: dict[int, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            handlers[signum] = signal.signal(signum, terminate)
        except ValueError:  # not the main thread: leave the handlers alone
            break
    return handlers


class _ClosedOutput(io.TextIOBase):
    """Stands in for a closed standard output: writing to it is an output error."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OutputError("standard output is closed; give a file with -o PATH")


def _guard_streams() -> None:
    """A closed stdout or stderr (``>&-``) is None in Python; make it fail cleanly."""
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _usage_error(exc: typer.TyperException) -> int:
    from dcal.render import clean_text

    ctx = getattr(exc, "ctx", None)
    message = clean_text(exc.format_message(), newlines=False)
    if ctx is not None and type(exc).__name__ == "NoArgsIsHelpError":
        sys.stdout.write(ctx.get_help() + "\n")
        return 0
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    sys.stderr.write(f"dcal: error: {message}{hint}\n")
    return int(getattr(exc, "exit_code", EXIT_USAGE))


def _report(exc: DcalError | OSError | UnicodeEncodeError) -> int:
    from dcal.errors import CatalogueError
    from dcal.render import clean_text

    if isinstance(exc, UnicodeEncodeError):
        encoding = getattr(sys.stdout, "encoding", None) or exc.encoding
        error: DcalError = OutputError(
            f"the output encoding {encoding} cannot write {exc.object[exc.start : exc.end]!r}; "
            "set PYTHONIOENCODING=utf-8 or write to a file with -o"
        )
    elif isinstance(exc, OSError):
        error = OutputError(f"could not write the output ({exc.strerror or exc})")
    else:
        error = exc
    messages = error.problems if isinstance(error, CatalogueError) else [str(error)]
    for message in messages:
        sys.stderr.write(f"dcal: error: {clean_text(message, newlines=False)}\n")
    return error.exit_code


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, keep Python's exit-time flush from complaining."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
