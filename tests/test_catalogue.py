"""Catalogue loading: the bundled catalogue, three formats with one schema, every error path."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.conftest import BUNDLED, BUNDLED_JSON

from dcal.catalogue import detect_format, load_catalogue
from dcal.errors import CatalogueError
from dcal.model import Session

SMALL_TOML = """\
[catalogue]
name = "Test"
timezone = "Europe/Berlin"

[catalogue.cities]
"Bonn" = "Europe/Berlin"

[[sessions]]
id = "a"
title = "Opening"
event = "Test 2025"
start = 2025-06-16T09:00:00
end = "2025-06-16 10:30"
themes = ["biodiversity", "finance"]
cities = ["Bonn"]
title_ja = "開会"

[[sessions]]
id = "b"
title = "Days"
event = "Test 2025"
date = 2025-06-16
end_date = "2025-06-18"

[[sessions]]
id = "c"
title = "Later"
event = "Test 2025"
"""

SMALL_JSON = {
    "catalogue": {"name": "Test", "timezone": "Europe/Berlin", "cities": {"Bonn": "Europe/Berlin"}},
    "sessions": [
        {
            "id": "a",
            "title": "Opening",
            "event": "Test 2025",
            "start": "2025-06-16T09:00",
            "end": "2025-06-16 10:30",
            "themes": ["biodiversity", "finance"],
            "cities": ["Bonn"],
            "title_ja": "開会",
        },
        {
            "id": "b",
            "title": "Days",
            "event": "Test 2025",
            "date": "2025-06-16",
            "end_date": "2025-06-18",
        },
        {"id": "c", "title": "Later", "event": "Test 2025"},
    ],
}

SMALL_CSV = """\
id,title,event,start,end,timezone,date,end_date,themes,cities,title_ja
a,Opening,Test 2025,2025-06-16 09:00,2025-06-16 10:30,Europe/Berlin,,,biodiversity; finance,Bonn,開会
b,Days,Test 2025,,,,2025-06-16,2025-06-18,,,
c,Later,Test 2025,,,,,,,,
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def problems(source: str, **kwargs: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(source, **kwargs)
    return caught.value.problems


# ------------------------------------------------------------------ the bundled catalogue


def test_bundled_catalogue_loads_without_warnings() -> None:
    catalogue = load_catalogue(str(BUNDLED))
    assert catalogue.warnings == ()
    assert catalogue.name == "Daring Cities"
    assert len(catalogue.sessions) == 12


def test_bundled_2020_sessions_are_the_announced_instants() -> None:
    sessions = {s.id: s for s in load_catalogue(str(BUNDLED)).sessions}
    expected = {
        "dc2020-green-recovery": ((2020, 10, 21, 8, 0), (2020, 10, 21, 9, 30)),
        "dc2020-pathways-to-zero": ((2020, 10, 22, 8, 0), (2020, 10, 22, 10, 0)),
        "dc2020-biodiversity-cop": ((2020, 10, 22, 14, 0), (2020, 10, 22, 15, 30)),
    }
    for session_id, (start, end) in expected.items():
        session = sessions[session_id]
        assert session.start is not None and session.end is not None
        assert session.start.astimezone(UTC) == datetime(*start, tzinfo=UTC)
        assert session.end.astimezone(UTC) == datetime(*end, tzinfo=UTC)
        assert session.zone is not None and session.zone.name == "UTC+02:00"


def test_bundled_announced_strings_are_verbatim() -> None:
    sessions = {s.id: s for s in load_catalogue(str(BUNDLED)).sessions}
    assert sessions["dc2020-green-recovery"].announced == (
        "21 October @ 10:00 \u2013 11:30 UTC+2/ 17:00 -18:45 JST"
    )
    assert sessions["dc2020-biodiversity-cop"].announced == (
        "22 October @ 16:00 \u2013 17:30 UTC+2/ 23:00 \u2013 24:30 JST"
    )


def test_bundled_2025_programme() -> None:
    sessions = {s.id: s for s in load_catalogue(str(BUNDLED)).sessions}
    dialogues = sessions["dc2025-bonn-dialogues"]
    assert (dialogues.date, dialogues.end_date) == (date(2025, 6, 16), date(2025, 6, 18))
    assert dialogues.cities == ("Bonn",)
    assert sessions["dc2025-high-level-dialogue"].date == date(2025, 6, 18)
    assert "Kitakyushu" in sessions["dc2025-high-level-dialogue"].cities
    cop30 = sessions["dc2025-cop30"]
    assert (cop30.date, cop30.end_date, cop30.cities) == (
        date(2025, 11, 10),
        date(2025, 11, 21),
        ("Belém",),
    )
    assert sessions["dc2025-series"].date == date(2025, 3, 3)
    assert sessions["dc2025-series"].end_date == date(2025, 10, 31)
    assert sessions["dc2025-reflect-1"].kind == sessions["dc2025-reflect-2"].kind == "tba"


def test_bundled_catalogue_is_bilingual_where_the_seeds_are() -> None:
    sessions = load_catalogue(str(BUNDLED)).sessions
    for session in sessions:
        if session.event == "Daring Cities 2025":
            assert "title" in session.translations.get("ja", {}), session.id
        if session.kind == "timed":
            assert "report" in session.translations.get("ja", {}), session.id


def bundled_as_json() -> str:
    """data/catalogue.toml rendered as JSON, dates and times as ISO strings."""
    import tomllib

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, datetime | date):
            return value.isoformat()
        return value

    data = plain(tomllib.loads(BUNDLED.read_text(encoding="utf-8")))
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def test_bundled_json_is_generated_from_the_toml(request: pytest.FixtureRequest) -> None:
    expected = bundled_as_json()
    if request.config.getoption("--update-golden"):
        BUNDLED_JSON.write_text(expected, encoding="utf-8")
    assert BUNDLED_JSON.read_text(encoding="utf-8") == expected, (
        "data/catalogue.json is out of date: run pytest --update-golden"
    )
    from_toml = load_catalogue(str(BUNDLED))
    from_json = load_catalogue(str(BUNDLED_JSON))
    assert from_toml.sessions == from_json.sessions
    assert (from_toml.name, from_toml.cities) == (from_json.name, from_json.cities)


def test_default_source_is_the_bundled_catalogue() -> None:
    from dcal.catalogue import default_source

    assert default_source({}).endswith("catalogue.json")
    assert default_source({"DCAL_CATALOGUE": "x.toml"}) == "x.toml"


def test_zone_rules_come_from_tzdata() -> None:
    import zoneinfo

    import tzdata

    from dcal.zones import resolve_zone

    resolve_zone("Asia/Tokyo")
    assert (str(Path(tzdata.__file__).parent / "zoneinfo"),) == zoneinfo.TZPATH


def test_bundled_catalogue_has_no_boilerplate() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    for boilerplate in (
        "Sed ut perspiciatis",
        "iclei(at)iclei.org",
        "Associate Partnership",
        "Rates and Dues",
    ):
        assert boilerplate not in text


# ------------------------------------------------------------------ three formats, one schema


@pytest.mark.parametrize("fmt", ["toml", "json", "csv"])
def test_formats_agree(tmp_path: Path, fmt: str) -> None:
    texts = {
        "toml": SMALL_TOML,
        "json": json.dumps(SMALL_JSON, ensure_ascii=False),
        "csv": SMALL_CSV,
    }
    catalogue = load_catalogue(write(tmp_path, f"c.{fmt}", texts[fmt]))
    assert [s.id for s in catalogue.sessions] == ["b", "a", "c"]
    opening = catalogue.sessions[1]
    assert opening.start == datetime(2025, 6, 16, 7, 0, tzinfo=UTC)
    assert opening.themes == ("biodiversity", "finance")
    assert opening.text("title", "ja") == "開会"
    assert catalogue.sessions[0].end_date == date(2025, 6, 18)
    assert catalogue.sessions[2].kind == "tba"
    assert catalogue.warnings == ()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("x.toml", "", "toml"),
        ("x.JSON", "", "json"),
        ("-", '{"sessions": []}', "json"),
        ("-", '  [ {"id": "a"} ]', "json"),
        ("-", "[catalogue]\nname='x'", "toml"),
        ("-", "[[sessions]]\nid='x'", "toml"),
        ("-", "id,title,event\n", "csv"),
        ("-", '"id","title"\n', "csv"),
        ("notes.txt", "title = 'x'", "toml"),
    ],
)
def test_detect_format(name: str, text: str, expected: str) -> None:
    assert detect_format(name, text) == expected


@pytest.mark.parametrize("fmt", ["toml", "json", "csv"])
def test_standard_input(fmt: str) -> None:
    texts = {"toml": SMALL_TOML, "json": json.dumps(SMALL_JSON), "csv": SMALL_CSV}
    catalogue = load_catalogue("-", stdin=lambda: texts[fmt].encode())
    assert catalogue.source == "<stdin>"
    assert len(catalogue.sessions) == 3


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, "c.csv", "\ufeff" + SMALL_CSV))
    assert len(catalogue.sessions) == 3


def test_bare_json_list(tmp_path: Path) -> None:
    sessions = [{"id": "a", "title": "T", "event": "E"}]
    assert len(load_catalogue(write(tmp_path, "c.json", json.dumps(sessions))).sessions) == 1


def test_unknown_keys_are_warned_about(tmp_path: Path) -> None:
    text = '[catalogue]\nname = "x"\ncolour = "red"\n\n[[sessions]]\nid = "a"\ntitle = "T"\nevent = "E"\nspeaker = "typo"\n'
    catalogue = load_catalogue(write(tmp_path, "c.toml", text))
    assert any("'colour'" in w for w in catalogue.warnings)
    assert any("session 'a' (#1): unknown field 'speaker'" in w for w in catalogue.warnings)


def test_dst_problems_are_warnings(tmp_path: Path) -> None:
    text = (
        '[[sessions]]\nid = "gap"\ntitle = "T"\nevent = "E"\ntimezone = "Europe/Berlin"\n'
        'start = "2025-03-30 02:30"\nend = "2025-03-30 04:00"\n'
    )
    catalogue = load_catalogue(write(tmp_path, "c.toml", text))
    assert catalogue.sessions[0].start == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert any("does not exist in Europe/Berlin" in w for w in catalogue.warnings)


def test_sessions_sharing_a_slot_each_get_their_dst_note(tmp_path: Path) -> None:
    # Wall times are read once per (text, zone); each session still gets its own note.
    entry = (
        '[[sessions]]\nid = "{id}"\ntitle = "T"\nevent = "E"\ntimezone = "{zone}"\n'
        'start = "2025-10-26 02:30"\nend = "2025-10-26 03:30"\n'
    )
    text = "\n".join(
        entry.format(id=i, zone=z)
        for i, z in [("a", "Europe/Berlin"), ("b", "Europe/Berlin"), ("c", "Europe/London")]
    )
    catalogue = load_catalogue(write(tmp_path, "c.toml", text))
    assert [(n.session, n.field, n.problem) for n in catalogue.wall_notes] == [
        ("a", "start", "repeat"),
        ("b", "start", "repeat"),
    ]
    # In the repeat hour an aware datetime equals no other zone's (PEP 495): compare in UTC.
    starts = {s.id: s.start and s.start.astimezone(UTC) for s in catalogue.sessions}
    assert starts["a"] == starts["b"] == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    assert starts["c"] == datetime(2025, 10, 26, 2, 30, tzinfo=UTC)  # same text, other zone


def test_sessions_are_in_time_order_then_id(tmp_path: Path) -> None:
    rows = [
        ("tba", None, None, None),
        ("z-day", None, None, "2025-10-26"),  # UTC midnight: ties with a-midnight, then id
        ("a-midnight", "2025-10-26 00:00", "UTC", None),
        # In the repeat hour the wall clock says later, the instant says earlier.
        ("second-0245", "2025-10-26 02:45", "UTC+1", None),  # 01:45 UTC
        ("first-0230", "2025-10-26 02:30", "Europe/Berlin", None),  # 00:30 UTC
        ("b-tba", None, None, None),
        ("early", "2025-10-25 23:00", "Asia/Tokyo", None),  # 14:00 UTC the day before
    ]
    text = ""
    for ident, start, zone, day in rows:
        text += f'[[sessions]]\nid = "{ident}"\ntitle = "T"\nevent = "E"\n'
        if start:
            end = start[:-5] + "23:59"
            text += f'timezone = "{zone}"\nstart = "{start}"\nend = "{end}"\n'
        if day:
            text += f'date = "{day}"\n'
    order = [s.id for s in load_catalogue(write(tmp_path, "c.toml", text)).sessions]
    assert order == ["early", "a-midnight", "z-day", "first-0230", "second-0245", "b-tba", "tba"]


def test_catalogue_event_default(tmp_path: Path) -> None:
    text = '[catalogue]\nname = "Forum"\n\n[[sessions]]\nid = "a"\ntitle = "T"\n'
    assert load_catalogue(write(tmp_path, "c.toml", text)).sessions[0].event == "Forum"


# ------------------------------------------------------------------ bad catalogues

SESSION = 'id = "s1"\ntitle = "T"\nevent = "E"\n'


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.toml", "[[sessions]\n", "not valid TOML"),
        ("c.toml", "[[sessions]]\nid = 'a'\nid = 'b'\n", "not valid TOML"),
        ("c.json", '{"sessions": [}', "line 1, column 15: not valid JSON"),
        ("c.json", '{"sessions": [], "sessions": []}', "duplicate key 'sessions'"),
        ("c.json", "[" * 100_000, "nested too deeply"),
        ("c.json", '"just text"', "expected a table"),
        ("c.json", '{"sessions": {}}', "sessions: expected a list"),
        ("c.json", '{"sessions": [], "extra": 1}', "unknown top-level key 'extra'"),
        ("c.json", '{"sessions": [42]}', "session #1: expected a table of fields"),
        ("c.csv", "", "empty CSV file"),
        ("c.csv", "id,id\n", "column 'id' appears twice"),
        ("c.csv", "id,title\na,b,c\n", "row 2: 3 cells but only 2 columns"),
        ("c.csv", 'id,title\n"a,b\n', "not valid CSV"),
        ("c.toml", "[[sessions]]\ntitle = 'T'\nevent = 'E'\n", "session #1: id: missing"),
        ("c.toml", "[[sessions]]\nid = 'a b'\ntitle = 'T'\nevent = 'E'\n", "is not a valid id"),
        (
            "c.toml",
            "[[sessions]]\nid = 'a\\r\\nX-EVIL: 1'\ntitle = 'T'\nevent = 'E'\n",
            "is not a valid id",
        ),
        ("c.toml", "[[sessions]]\nid = 'a'\nevent = 'E'\n", "session 'a' (#1): title: missing"),
        ("c.toml", "[[sessions]]\nid = 'a'\ntitle = 'T'\n", "event: missing"),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}title_ja = 3\n",
            "title_ja: expected text, got a number",
        ),
        ("c.toml", f"[[sessions]]\n{SESSION}\n[[sessions]]\n{SESSION}", "the same id as #1"),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}mode = 'telepathy'\n",
            "mode: 'telepathy' is not one of",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}url = 'javascript:alert(1)'\n",
            "is not an http(s) URL",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}url = 'https://a.example/x\u00a0y'\n",
            "not an http(s) URL",
        ),
        ("c.json", '{"sessions": [{"id": "a", "id": "b"}]}', "duplicate key 'id'"),
        ("c.toml", f"[[sessions]]\n{SESSION}themes = 3\n", "themes: expected a list of text"),
        ("c.toml", f"[[sessions]]\n{SESSION}themes = [1]\n", "themes: expected text items"),
        ("c.toml", f"[[sessions]]\n{SESSION}start = '2025-01-01 10:00'\n", "end: missing"),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}start = '2025-01-01 10:00'\nend = '2025-01-01 11:00'\n",
            "timezone: missing",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'Mars/Base'\nstart = '2025-01-01 10:00'\nend = '2025-01-01 11:00'\n",
            "timezone: unknown zone 'Mars/Base'",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'CST'\nstart = '2025-01-01 10:00'\nend = '2025-01-01 11:00'\n",
            "ambiguous",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'local'\nstart = '2025-01-01 10:00'\nend = '2025-01-01 11:00'\n",
            "cannot use 'local'",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'UTC'\nstart = '2025-01-01 10:00'\nend = '2025-01-01 09:00'\n",
            "end: 2025-01-01 09:00 is not after start",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'UTC'\nstart = '2025-01-01 10:00'\nend = '2025-01-01 25:61'\n",
            "not a real time of day",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'UTC'\nstart = 2025-01-01T10:00:00+02:00\nend = '2025-01-01 11:00'\n",
            "without an offset",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}timezone = 'UTC'\nstart = 10\nend = '2025-01-01 11:00'\n",
            "start: expected a date and time",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}date = 2025-01-01\nstart = '2025-01-01 10:00'\nend = '2025-01-01 11:00'\n",
            "not both",
        ),
        (
            "c.toml",
            f"[[sessions]]\n{SESSION}date = 2025-01-02\nend_date = 2025-01-01\n",
            "end_date: 2025-01-01 is before date 2025-01-02",
        ),
        ("c.toml", f"[[sessions]]\n{SESSION}end_date = 2025-01-01\n", "date: missing"),
        ("c.toml", f"[[sessions]]\n{SESSION}date = '0000-01-01'\n", "not a real date"),
        ("c.toml", f"[[sessions]]\n{SESSION}date = 2025-01-01T10:00:00\n", "date without a time"),
        (
            "c.toml",
            "[catalogue]\ncities = {Bonn = 'Europe/Bonn'}\n",
            "unknown IANA zone 'Europe/Bonn'",
        ),
        ("c.toml", "[catalogue]\nname = 3\n", "catalogue: name: expected text"),
        (
            "c.toml",
            "[catalogue]\nupdated = 2026-11-22T00:00:00\n",
            "catalogue: updated: '2026-11-22T00:00:00' is not a date-time with an offset",
        ),
        (
            "c.json",
            '{"catalogue": {"updated": 5}, "sessions": []}',
            "catalogue: updated: expected a date-time with an offset, got a number",
        ),
        ("c.toml", "catalogue = 3\n", "catalogue: expected a table"),
    ],
)
def test_bad_catalogues_name_file_entry_and_field(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    source = write(tmp_path, name, text)
    found = problems(source)
    assert all(p.startswith(source) for p in found), found
    assert any(message in p for p in found), found


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = "[[sessions]]\nid = 'a'\n\n[[sessions]]\nid = 'b'\ntitle = 'T'\n\n[[sessions]]\ntitle = 'x'\n"
    found = problems(write(tmp_path, "c.toml", text))
    assert len(found) == 5  # a: title, event; b: event; #3: id, event


def test_problem_count_is_capped(tmp_path: Path) -> None:
    text = "".join("[[sessions]]\nid = 'a'\n" for _ in range(200))
    found = problems(write(tmp_path, "c.toml", text))
    assert len(found) == 51
    assert "more problems" in found[-1]


def test_not_utf8(tmp_path: Path) -> None:
    (problem,) = problems(write(tmp_path, "c.toml", b"title = '\xff'"))
    assert "not UTF-8 text (invalid byte at offset 9)" in problem


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    (problem,) = problems(str(tmp_path / "nope.toml"))
    assert "no such catalogue file; pass --catalogue PATH or set DCAL_CATALOGUE" in problem


def test_directory(tmp_path: Path) -> None:
    (problem,) = problems(str(tmp_path))
    assert "is a directory" in problem


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_loader(tmp_path: Path, data: bytes) -> None:
    for name in ("c.toml", "c.json", "c.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        try:
            load_catalogue(str(path))
        except CatalogueError as exc:
            assert exc.problems


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    entries=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "event",
                    "start",
                    "end",
                    "timezone",
                    "date",
                    "end_date",
                    "themes",
                    "mode",
                    "url",
                    "cities_ja",
                ]
            ),
            _VALUES,
        ),
        max_size=4,
    )
)
def test_arbitrary_json_entries_load_or_explain(
    tmp_path: Path, entries: list[dict[str, object]]
) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"sessions": entries}), encoding="utf-8")
    try:
        catalogue = load_catalogue(str(path))
    except CatalogueError as exc:
        assert all(p.startswith(str(path)) for p in exc.problems)
    else:
        for session in catalogue.sessions:
            assert session.start is None or session.start.tzinfo is not None


def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path: Path) -> None:
    import gc

    assert gc.isenabled()
    load_catalogue(str(BUNDLED))
    assert gc.isenabled()
    with pytest.raises(CatalogueError):
        load_catalogue(str(write(tmp_path, "c.json", b"{")))
    assert gc.isenabled()


def test_an_end_that_a_dst_gap_overtakes_says_why(tmp_path: Path) -> None:
    text = (
        '[[sessions]]\nid = "a"\ntitle = "T"\nevent = "E"\ntimezone = "Europe/Berlin"\n'
        'start = "2025-03-30 02:30"\nend = "2025-03-30 03:30"\n'
    )
    assert problems(write(tmp_path, "c.toml", text))[0].endswith(
        "end: 2025-03-30 03:30 is not after start (the start, 02:30, is a time the clocks skip)"
    )


# --------------------------------------------------------------- the usual entry, read quickly

# Each field's values: valid ones in several spellings, and wrong ones of every kind, so that
# entries are sometimes plain, sometimes odd and sometimes broken.
_TEXTISH = st.one_of(
    st.none(),
    st.sampled_from(["Title", "  padded  ", "", " ", "a;b", "line\nbreak"]),
    st.text(max_size=4),
    st.integers(-1, 1),
    st.lists(st.text(max_size=2), max_size=2),
)
_LISTISH = st.one_of(
    st.none(),
    st.lists(st.one_of(st.sampled_from(["x", " y ", "", " "]), st.text(max_size=3)), max_size=3),
    st.lists(st.one_of(st.text(max_size=2), st.integers(), st.none()), max_size=2),
    st.sampled_from(["a; b", "", ";"]),
    st.integers(0, 1),
    st.just({"a": "b"}),
)
_URLISH = st.sampled_from(
    ["https://example.org/a", " http://example.org ", "ftp://example.org", "https://", "x", 3]
)
_WALLS = st.sampled_from(
    [
        "2025-06-01T10:00",
        "2025-06-01 11:30",
        "2025-06-01T09:00:00",
        "2025-06-01T24:30",
        "2025-6-1 12:00",
        "2025-03-30T02:30",  # a gap in Berlin
        "2025-10-26T02:30",  # a repeat in Berlin
        "2025-06-01T10:00+02:00",
        "0001-01-01T00:00",
        "noon",
        "",
        datetime(2025, 6, 1, 12),
        datetime(2025, 6, 1, 12, tzinfo=UTC),
        datetime(1, 1, 1),
        date(2025, 6, 1),
        5,
    ]
)
_DAYS = st.sampled_from(
    ["2025-06-01", "2025-06-03", "2025-6-2", "2025-02-30", "soon", date(2025, 6, 2),
     datetime(2025, 6, 1, 9), date(1, 1, 1), 7]
)  # fmt: skip
_ZONE_TEXTS = ["Europe/Berlin", "JST", "UTC+2", "America/Sao_Paulo", "Nowhere/Zone", "local"]
_ENTRIES = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["s1", "a.b:c@d+e-f", " s1", "", "bad id", "x" * 201, 5]),
        "title": _TEXTISH,
        "event": _TEXTISH,
        "location": _TEXTISH,
        "summary": _TEXTISH,
        "report": _TEXTISH,
        "announced": _TEXTISH,
        "themes": _LISTISH,
        "cities": _LISTISH,
        "hosts": _LISTISH,
        "speakers": _LISTISH,
        "links": st.one_of(st.lists(_URLISH, max_size=2), _LISTISH),
        "mode": st.one_of(
            st.sampled_from(["online", " Hybrid ", "virtual", "in person", "x", ""]), _TEXTISH
        ),
        "url": st.one_of(_URLISH, st.none()),
        "revision": st.one_of(st.integers(-1, 2**31), st.sampled_from(["3", True, 1.5, None])),
        "start": _WALLS,
        "end": _WALLS,
        "timezone": st.one_of(st.sampled_from(_ZONE_TEXTS), st.none(), st.just(3)),
        "date": _DAYS,
        "end_date": _DAYS,
        "title_ja": _TEXTISH,
        "summary_ja": _TEXTISH,
        "hosts_ja": _LISTISH,
        "colour": st.just("red"),
    },
)

# Valid entries in every spelling the quick reading must get exactly right, ...
_PLAIN = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["s1", "a.b:c@d+e-f"]),
        "title": st.sampled_from(["Title", "  padded  "]),
        "event": st.sampled_from(["Forum", " Forum 2 "]),
    },
    optional={
        "summary": st.sampled_from(["A summary\nin two lines", "  ", None]),
        "location": st.sampled_from(["Bonn", " Hall A ", None]),
        "report": st.sampled_from(["https://example.org/report", " Notes ", None]),
        "announced": st.sampled_from(["10:00 CEST", " 17:00 JST ", None]),
        "themes": st.lists(st.sampled_from(["x", " y ", "", "x"]), max_size=3),
        "cities": st.sampled_from([[], ["Bonn"], None]),
        "hosts": st.sampled_from([["ICLEI"], [" City ", "ICLEI"], None]),
        "speakers": st.sampled_from([["A. Mayor"], ["B", " C "], []]),
        "links": st.lists(
            st.sampled_from(["https://example.org/a", " http://b.example "]), max_size=2
        ),
        "mode": st.sampled_from(["online", " Hybrid ", "virtual", "IN PERSON", "onsite", None]),
        "url": st.sampled_from(["https://example.org/a", " http://example.org ", None]),
        "revision": st.sampled_from([0, 3, 2**31 - 1]),
        "title_ja": st.sampled_from(["題", " 題 ", "", None]),
        "hosts_ja": st.sampled_from([["市"], [" 市 ", ""], []]),
        "summary_ja": st.sampled_from(["概要", None]),
        "speakers_ja": st.sampled_from([["市長"], []]),
        "cities_ja": st.sampled_from([["ボン"], None]),
        "location_ja": st.just("会場"),
        "report_ja": st.just("報告"),
    },
)
_TIMES = st.one_of(
    st.fixed_dictionaries(
        {
            "start": st.sampled_from(
                ["2025-06-01T10:00", "2025-06-01 09:30", datetime(2025, 6, 1, 8)]
            ),
            "end": st.sampled_from(
                ["2025-06-01T11:00:00", "2025-06-01 24:30", datetime(2025, 6, 1, 13)]
            ),
        },
        optional={"timezone": st.sampled_from(["Europe/Berlin", "JST", "UTC+2"])},
    ),
    st.fixed_dictionaries(
        {"date": st.sampled_from(["2025-06-02", date(2025, 6, 2)])},
        optional={"end_date": st.sampled_from(["2025-06-03", date(2025, 6, 2)])},
    ),
    st.just({}),
)
# ... and one thing wrong or odd in them at a time.
FIELD_TRAPS: list[dict[str, object]] = (
    [
        {"title": " "}, {"title": None}, {"event": ""}, {"event": None}, {"id": "bad id"},
        {"summary": 3}, {"themes": "a; b"}, {"themes": ["a", 1]}, {"cities": "Bonn"},
        {"links": ["ftp://c.example"]}, {"links": ["x"]}, {"mode": "x"}, {"mode": 1},
        {"url": "ftp://a.b"}, {"url": " "}, {"revision": -1}, {"revision": 2**31},
        {"revision": "4"}, {"revision": "²"}, {"revision": "١٢"}, {"revision": True}, {"title_ja": 5}, {"hosts_ja": "市; 町"},
        {"hosts_ja": [1]}, {"colour": "red"},
    ]
)  # fmt: skip
TIME_TRAPS: list[dict[str, object]] = (
    [
        {"start": "2025-06-01T10:00", "end": "2025-06-01T11:00", "timezone": "Nowhere/Zone"},
        {"start": "2025-06-01T10:00", "end": "2025-06-01T11:00", "timezone": None},
        {"start": "2025-06-01T10:00", "end": "2025-06-01T11:00", "timezone": "local"},
        {"start": "2025-03-30T02:30", "end": "2025-03-30T04:00", "timezone": "Europe/Berlin"},
        {"start": "2025-10-26T01:30", "end": "2025-10-26T02:45", "timezone": "Europe/Berlin"},
        {"start": "2025-06-01T10:00", "end": "2025-06-01T08:00", "timezone": "JST"},
        {"start": "2025-06-01T10:00", "end": "2025-06-01T10:00", "timezone": "JST"},
        {"start": "2025-06-01T10:00+02:00", "end": "2025-06-01T11:00", "timezone": "JST"},
        {"start": datetime(2025, 6, 1, 8, tzinfo=UTC), "end": "2025-06-01T11:00", "timezone": "JST"},
        {"start": datetime(1, 1, 1), "end": "2025-06-01T11:00", "timezone": "JST"},
        {"start": "2025-06-01T10:00", "end": None, "timezone": "JST"},
        {"start": "2025-06-01T10:00", "timezone": "JST"},
        {"start": "2025-06-01T10:00", "end": "2025-06-01T11:00", "date": "2025-06-01"},
        {"date": "2025-06-05", "end_date": "2025-06-01"}, {"date": "2025-02-30"},
        {"date": datetime(2025, 6, 1, 9)}, {"date": date(1, 1, 1)}, {"date": None},
        {"date": "2025-06-05", "end_date": "soon"}, {"end_date": "2025-06-01"},
        {"date": "2025-06-05", "timezone": "JST"}, {"timezone": "JST"},
    ]
)  # fmt: skip
_NEARLY = st.builds(
    lambda *parts: {k: v for part in parts for k, v in part.items()},
    _PLAIN,
    st.one_of(_TIMES, st.sampled_from(TIME_TRAPS)),
    st.one_of(st.just({}), st.sampled_from(FIELD_TRAPS)),
)


def _validator(default_zone: str | None, default_event: str | None, resolved: bool):  # type: ignore[no-untyped-def]
    from dcal.catalogue import _SessionValidator

    validator = _SessionValidator("t.json", {}, default_zone, default_event, [], [])
    if resolved:  # as after the first sessions that name these zones
        if not _RESOLVED:
            for text in _ZONE_TEXTS:
                _RESOLVED[text] = validator.zone(text, "setup")
            validator.problems.clear()
        validator._zones.update(_RESOLVED)
    return validator


_RESOLVED: dict[str, object] = {}


@settings(max_examples=500, deadline=None)
@given(
    entry=_NEARLY,
    default_zone=st.sampled_from([None, "Europe/Berlin", "JST"]),
    default_event=st.sampled_from([None, "Forum"]),
)
def test_the_quick_reading_agrees_with_the_checked_one(
    entry: dict[str, object], default_zone: str | None, default_event: str | None
) -> None:
    event("quick" if _agree(entry, default_zone, default_event) else "checked")


@settings(max_examples=300, deadline=None)
@given(entry=_ENTRIES, default_zone=st.sampled_from([None, "Europe/Berlin"]))
def test_the_quick_reading_takes_nothing_odd(
    entry: dict[str, object], default_zone: str | None
) -> None:
    event("quick" if _agree(entry, default_zone, None) else "checked")


_TIMED = {"start": "2025-06-01T10:00", "end": "2025-06-01T11:00"}


@pytest.mark.parametrize(
    "odd",
    [{**times, **trap} for trap in FIELD_TRAPS for times in ({}, _TIMED)] + TIME_TRAPS,
    ids=repr,
)
def test_each_odd_thing_is_left_to_the_checked_reading(odd: dict[str, object]) -> None:
    entry = {"id": "s1", "title": "Title", "event": "Forum", **odd}
    assert _agree(entry, "UTC+2", None) is None


def _agree(
    entry: dict[str, object], default_zone: str | None, default_event: str | None
) -> Session | None:
    """The quick reading of ``entry``, checked against the full one."""
    quick = _validator(default_zone, default_event, resolved=True)._plain(entry)
    checking = _validator(default_zone, default_event, resolved=False)
    checked = checking._checked("#1", entry)
    if quick is not None:
        # The same session, to the zone and fold of every datetime, and nothing to report.
        assert repr(quick) == repr(checked)
        assert checking.problems == checking.warnings == checking.wall_notes == []
    elif checked is not None and not checking.warnings:
        # Only a spelling the quick reading leaves alone: a list or revision written as text.
        lists = ("themes", "cities", "hosts", "speakers", "links", "hosts_ja")
        texts = [entry.get(name) for name in lists] + [entry.get("revision")]
        assert any(isinstance(value, str) for value in texts)
    return quick


def test_the_bundled_catalogue_is_read_quickly() -> None:
    """Every bundled session with nothing to report takes the quick reading."""
    from dcal.catalogue import _SessionValidator, read_document

    label, document = read_document(str(BUNDLED_JSON))
    validator = _SessionValidator(label, {}, None, None, [], [])
    for where, entry in document.entries:
        validator.session(where, entry)
    assert validator.problems == []
    noted = {note.session for note in validator.wall_notes}
    for _, entry in document.entries:
        if entry["id"] not in noted:
            assert validator._plain(entry) is not None, entry["id"]


@pytest.mark.parametrize("cell", ["²", "١٢", "3.0", "-1"])
def test_a_revision_cell_needs_ascii_digits(run, tmp_path: Path, cell: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(f"id,title,event,revision\ns1,T,E,{cell}\n", encoding="utf-8")
    result = run("list", "-c", str(path))
    assert result.code == 3
    assert f"revision: expected a whole number from 0 to {2**31 - 1}, got {cell!r}" in result.err
