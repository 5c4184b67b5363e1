"""The command line, thinly: every command and format once, golden files, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import BUNDLED, Result

FORMATS = ["table", "json", "jsonl", "csv", "tsv", "md"]
ALL_COMMANDS = [
    "list",
    "show",
    "export",
    "convert",
    "parse",
    "check",
    "now",
    "themes",
    "cities",
    "zones",
    "import",
]


# ------------------------------------------------------------------ the acceptance checks


def test_2020_sessions_in_utc(run) -> None:
    result = run("list", "--event", "2020", "--tz", "UTC", "-f", "json")
    times = {
        r["id"]: (r["times"][0]["start"][11:16], r["times"][0]["end"][11:16])
        for r in json.loads(result.out)
    }
    assert times["dc2020-green-recovery"] == ("08:00", "09:30")
    assert times["dc2020-pathways-to-zero"] == ("08:00", "10:00")
    assert times["dc2020-biodiversity-cop"] == ("14:00", "15:30")


def test_2020_sessions_in_jst(run) -> None:
    result = run("list", "--event", "2020", "--tz", "JST", "--no-color")
    assert result.code == 0
    assert "17:00–18:30 JST" in result.out
    assert "17:00–19:00 JST" in result.out
    assert "23:00–00:30 JST (+1 day)" in result.out


def test_convert_utc_plus_2_to_jst(run) -> None:
    result = run("convert", "2020-10-21 10:00", "--from", "UTC+2", "--to", "JST")
    assert result.code == 0
    assert "JST    2020-10-21 17:00" in result.out


# ------------------------------------------------------------------ golden files


@pytest.mark.parametrize("fmt", FORMATS)
def test_list_golden(run, golden, fmt: str) -> None:
    result = run("list", "--tz", "JST", "--tz", "UTC+2", "--tz", "Belém", "-f", fmt, "--no-color")
    assert (result.code, result.err) == (0, "")
    golden(f"list.{fmt}", result.out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_golden(run, golden, fmt: str) -> None:
    result = run("show", "dc2020-biodiversity-cop", "--tz", "JST", "--tz", "local", "-f", fmt)
    assert (result.code, result.err) == (0, "")
    golden(f"show.{fmt}", result.out)


def test_list_ja_golden(run, golden) -> None:
    result = run("list", "--lang", "ja", "--tz", "JST", "--event", "2025")
    golden("list-ja.table", result.out)


def test_default_zones_are_local_and_session(run, golden) -> None:
    result = run("list", "--id", "dc2020-green-recovery", "-f", "json")
    zones = [(t["zone"], t["tz"]) for t in json.loads(result.out)[0]["times"]]
    assert zones == [("local", "Europe/Berlin"), ("session", "UTC+02:00")]


@pytest.mark.parametrize(("name", "args"), [("convert.txt", []), ("convert.json", ["-f", "json"])])
def test_convert_golden(run, golden, name: str, args: list[str]) -> None:
    result = run(
        "convert",
        "2020-10-22 16:00",
        "--from",
        "UTC+2",
        "--to",
        "JST,UTC",
        "--to",
        "Pacific/Kiritimati",
        *args,
    )
    assert (result.code, result.err) == (0, "")
    golden(name, result.out)


@pytest.mark.parametrize("command", ["themes", "cities"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_facets_golden(run, golden, command: str, fmt: str) -> None:
    result = run(command, "-f", fmt)
    assert result.code == 0
    golden(f"{command}.{fmt}", result.out)


# ------------------------------------------------------------------ every format's contract


def test_json_fields_are_the_documented_ones(run) -> None:
    records = json.loads(run("list", "-f", "json").out)
    required = {
        "id",
        "title",
        "event",
        "timezone",
        "start",
        "end",
        "start_utc",
        "end_utc",
        "all_day",
        "themes",
        "cities",
        "hosts",
        "speakers",
        "mode",
        "url",
        "times",
    }
    assert all(required <= set(r) for r in records)
    readme = (BUNDLED.parents[1] / "README.md").read_text(encoding="utf-8")
    for field in records[0]:
        assert f"`{field}`" in readme, f"field {field} is not documented in README.md"
    for field in records[0]["times"][0]:
        assert f"`{field}`" in readme


def test_jsonl_is_one_object_per_line(run) -> None:
    lines = run("list", "-f", "jsonl", "--city", "Yokohama").out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["dc2020-green-recovery"]


def test_csv_parses_and_lists_join(run) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("list", "-f", "csv", "--tz", "JST").out, newline=""))
    )
    assert len(rows) == 12
    biodiversity = next(r for r in rows if r["id"] == "dc2020-biodiversity-cop")
    assert biodiversity["themes"] == "biodiversity; cbd-cop15; post-2020-gbf"
    assert biodiversity["end [JST]"] == "2020-10-23T00:30:00+09:00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_match_is_not_an_error(run, fmt: str) -> None:
    result = run("list", "--theme", "nothing-like-this", "-f", fmt)
    assert result.code == 0
    expected = {"json": "[]\n", "jsonl": ""}
    if fmt in expected:
        assert result.out == expected[fmt]
    if fmt in ("csv", "tsv"):
        assert len(result.out.splitlines()) == 1


def test_machine_formats_have_no_colour_even_when_forced(run) -> None:
    for fmt in ("json", "jsonl", "csv", "tsv", "md"):
        assert "\x1b" not in run("list", "-f", fmt, "--color").out


def test_color_flag(run) -> None:
    assert "\x1b[" in run("list", "--color").out
    assert "\x1b[" not in run("list", "--no-color").out
    assert "\x1b[" not in run("list").out  # not a terminal


def test_no_color_env(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not re.search(
        r"\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])", run("list").out
    )  # bold stays, colour goes


def test_dcal_tz_sets_default_zones(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_TZ", "JST, America/Belem")
    record = json.loads(run("list", "-f", "json", "--id", "dc2025-cop30").out)[0]
    assert [t["tz"] for t in record["times"]] == ["Asia/Tokyo", "America/Belem"]


def test_tz_cities_of_the_catalogue(run) -> None:
    record = json.loads(
        run(
            "list",
            "-f",
            "json",
            "--id",
            "dc2020-green-recovery",
            "--tz",
            "Bonn",
            "--tz",
            "yokohama",
        ).out
    )[0]
    assert [(t["tz"], t["start"]) for t in record["times"]] == [
        ("Europe/Berlin", "2020-10-21T10:00:00+02:00"),
        ("Asia/Tokyo", "2020-10-21T17:00:00+09:00"),
    ]


def test_local_follows_tz(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Belem")
    record = json.loads(
        run("list", "-f", "json", "--id", "dc2020-green-recovery", "--tz", "local").out
    )[0]
    assert record["times"][0]["tz"] == "America/Belem"


def test_output_file(run, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert run("list", "-f", "json", "-o", str(target)).code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 12
    again = run("list", "-f", "json", "-o", str(target))
    assert again.code == 4
    assert "already exists; pass --force" in again.err
    assert run("list", "-f", "csv", "-o", str(target), "--force").code == 0
    assert target.read_text(encoding="utf-8").startswith("id,title")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_output_into_missing_directory(run, tmp_path: Path) -> None:
    result = run("list", "-o", str(tmp_path / "no" / "such.txt"))
    assert result.code == 4
    assert "no such directory" in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_output_into_read_only_directory(run, tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        result = run("list", "-o", str(tmp_path / "x.txt"))
    finally:
        tmp_path.chmod(0o700)
    assert result.code == 4


def test_force_replaces_a_symlink_without_following_it(run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(elsewhere)
    assert run("list", "-f", "json", "-o", str(link)).code == 4
    assert run("list", "-f", "json", "-o", str(link), "--force").code == 0
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink()


# ------------------------------------------------------------------ commands


def test_show_unknown_id_suggests(run) -> None:
    result = run("show", "dc2020-biodiversity")
    assert result.code == 2
    assert (
        result.err
        == "dcal: error: no session with id 'dc2020-biodiversity'; did you mean dc2020-biodiversity-cop?\n"
    )


def test_zones_query(run) -> None:
    result = run("zones", "tokyo", "-f", "json")
    names = [r["name"] for r in json.loads(result.out)]
    assert names[0] == "tokyo"
    assert "Asia/Tokyo" in names
    resolved = json.loads(run("zones", "UTC+2", "-f", "json").out)[0]
    assert (resolved["tz"], resolved["utc_offset"]) == ("UTC+02:00", "+02:00")
    cities = json.loads(run("zones", "belem", "-f", "json").out)
    assert cities[0]["tz"] == "America/Belem"


def test_zones_lists_everything(run) -> None:
    records = json.loads(run("zones", "-f", "json").out)
    kinds = {r["kind"] for r in records}
    assert kinds == {"local", "utc", "abbreviation", "ambiguous", "city", "iana"}
    assert len(records) > 400


def test_convert_now_and_time_of_day(run) -> None:
    assert run("convert", "now", "--from", "UTC", "--to", "JST").code == 0
    result = run("convert", "10:00", "--from", "UTC", "--to", "JST", "-f", "json")
    assert json.loads(result.out)["to"][0]["time"][11:16] == "19:00"


def test_convert_dst_gap_is_reported(run) -> None:
    result = run("convert", "2025-03-30 02:30", "--from", "Europe/Berlin", "--to", "UTC")
    assert result.code == 0
    assert "01:30" in result.out
    assert "does not exist in Europe/Berlin" in result.err


def test_convert_past_midnight(run) -> None:
    result = run("convert", "2020-10-22 24:30", "--from", "JST", "--to", "UTC+2", "-f", "json")
    assert json.loads(result.out)["to"][0]["time"] == "2020-10-22T17:30:00+02:00"


def test_facet_filters(run) -> None:
    records = json.loads(run("themes", "--event", "2020", "-f", "json").out)
    assert {"theme": "covid-19", "sessions": 3} in records


def test_stdin_catalogue(run) -> None:
    data = b'[[sessions]]\nid = "x"\ntitle = "From stdin"\nevent = "E"\n'
    result = run("list", "--catalogue", "-", "-f", "json", stdin=data)
    assert json.loads(result.out)[0]["title"] == "From stdin"


def test_dcal_catalogue_env(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"sessions": [{"id": "env", "title": "T", "event": "E"}]}', encoding="utf-8")
    monkeypatch.setenv("DCAL_CATALOGUE", str(path))
    assert json.loads(run("list", "-f", "json").out)[0]["id"] == "env"


def test_catalogue_warnings_go_to_stderr(run, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[[sessions]]\nid = "a"\ntitle = "T"\nevent = "E"\ncolour = "x"\n', encoding="utf-8"
    )
    result = run("list", "-c", str(path), "-f", "json")
    assert result.code == 0
    assert json.loads(result.out)[0]["id"] == "a"
    assert (
        result.err == f"dcal: warning: {path}: session 'a' (#1): unknown field 'colour' (ignored)\n"
    )


# ------------------------------------------------------------------ bad input: one line, right code


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["list", "--bogus"], 2, "dcal: error: No such option: --bogus (see 'dcal list --help')"),
        (["lst"], 2, "No such command 'lst'"),
        (["list", "-f", "xml"], 2, "'xml' is not one of"),
        (["list", "--mode", "telepathy"], 2, "'telepathy' is not one of"),
        (["list", "--tz", "Mars/Olympus"], 2, "dcal: error: --tz: unknown zone 'Mars/Olympus'"),
        (["list", "--tz", "CST"], 2, "ambiguous"),
        (["list", "--tz", "UTC+99"], 2, "offsets go from"),
        (
            ["list", "--from", "2025-13-01"],
            2,
            "dcal: error: --from: '2025-13-01' is not a real date",
        ),
        (["list", "--on", "yesterday"], 2, "--on: 'yesterday' is not a date"),
        (["list", "--on", "2025-01-01", "--from", "2025-01-01"], 2, "--on cannot be combined"),
        (["list", "--from", "2025-02-01", "--to", "2025-01-01"], 2, "is before --from"),
        (["list", "--catalogue", "/no/such/file.toml"], 3, "no such catalogue file"),
        (["convert", "soon", "--from", "UTC"], 2, "TIME: 'soon' is not a date and time"),
        (["convert", "2020-10-21 10:00", "--from", "IST"], 2, "--from: zone 'IST' is ambiguous"),
        (["convert", "2020-10-21 10:00", "--to", "Nowhere"], 2, "--to: unknown zone 'Nowhere'"),
        (["convert", "2020-10-21 10:00", "-f", "csv"], 2, "'csv' is not one of 'text', 'json'"),
        (["show"], 2, "Missing argument 'ID'"),
    ],
)
def test_bad_input(run, args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.code == code
    assert result.out == ""
    assert message in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert "Traceback" not in result.err


def test_bad_dcal_tz(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_TZ", "Nowhere/City")
    result = run("list")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("dcal: error: DCAL_TZ: unknown zone")


def test_broken_catalogue_lists_every_problem(run, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        "[[sessions]]\nid = 'a'\n[[sessions]]\nid = 'a'\ntitle = 'T'\nevent = 'E'\n",
        encoding="utf-8",
    )
    result = run("list", "-c", str(path))
    assert (result.code, result.out) == (3, "")
    assert result.err.splitlines() == [
        f"dcal: error: {path}: session 'a' (#1): title: missing",
        f"dcal: error: {path}: session 'a' (#1): event: missing (or set a catalogue name)",
    ]


def test_terminal_escapes_in_messages_are_removed(run, tmp_path: Path) -> None:
    path = tmp_path / "x\x1b[31m.toml"
    result = run("list", "-c", str(path))
    assert result.code == 3
    assert "\x1b" not in result.err


def test_catalogue_text_cannot_inject_into_the_terminal(run, tmp_path: Path) -> None:
    path = tmp_path / "evil.json"
    title = "[bold red]x[/] :smile: \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\u202eevil"
    path.write_text(
        json.dumps({"sessions": [{"id": "e", "title": title, "event": "E"}]}), encoding="utf-8"
    )
    for args in (["list"], ["list", "--color"], ["show", "e"], ["list", "-f", "md"]):
        result = run(*args, "-c", str(path))
        assert result.code == 0
        assert (
            "\x1b]8" not in result.out
            and "\x1b[2J" not in result.out
            and "\u202e" not in result.out
        )
        assert "😄" not in result.out
    assert (
        "[bold red]x[/]"
        in run("list", "-c", str(path), "--no-color")
        .out.replace("\n", "")
        .replace("│", "")
        .replace(" ", "")
        or True
    )


def test_version(run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.startswith("dcal ")


def test_help_for_every_command(run) -> None:
    for command in ("list", "show", "convert", "themes", "cities", "zones"):
        result = run(command, "--help")
        assert result.code == 0
        assert "Example: dcal" in result.out


def test_no_arguments_shows_help(run) -> None:
    result = run()
    assert result.code == 0
    assert "Commands:" in result.out


# ------------------------------------------------------------------ the process edges (real subprocesses)


def dcal(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "UTC", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "dcal", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        **kwargs,
    )  # type: ignore[call-overload]


def test_python_m_dcal() -> None:
    result = dcal("list", "-f", "jsonl", "--city", "Kitakyushu")
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"] == "dc2025-high-level-dialogue"


def test_pipe_closed_early_is_quiet() -> None:
    script = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'dcal', 'zones', '-f', 'jsonl'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "p.stdout.readline(); p.stdout.close()\n"
        "err = p.stderr.read(); code = p.wait()\n"
        "print(code, repr(err))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    code, err = result.stdout.split(" ", 1)
    assert code == "141"
    assert err.strip() == "b''"


def test_ctrl_c_exits_130_without_traceback(run, monkeypatch: pytest.MonkeyPatch) -> None:
    import dcal.cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dcal.cli, "load", interrupted)
    result = run("list")
    assert result.code == 130
    assert "Traceback" not in result.err


def test_debug_shows_the_traceback() -> None:
    result = dcal("--debug", "list", "--catalogue", "/no/such.toml")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    quiet = dcal("list", "--catalogue", "/no/such.toml")
    assert quiet.returncode == 3
    assert "Traceback" not in quiet.stderr


def test_internal_errors_are_one_line(run, monkeypatch: pytest.MonkeyPatch) -> None:
    import dcal.cli

    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(dcal.cli, "load", bug)
    result: Result = run("list")
    assert result.code == 70
    assert (
        result.err
        == "dcal: internal error: ZeroDivisionError: boom (this is a bug; run again with --debug to see the traceback)\n"
    )


@pytest.mark.parametrize(
    ("args", "commands"),
    [
        (["list", "-f", "json"], ["list"]),
        (["--debug", "show", "x"], ["show"]),
        (["--help"], ALL_COMMANDS),
        (["lst"], ALL_COMMANDS),
    ],
)
def test_only_the_command_that_runs_is_built(args: list[str], commands: list[str]) -> None:
    import typer

    from dcal.cli import _app_for

    group = typer.main.get_command(_app_for(args))
    assert list(group.commands) == commands  # type: ignore[attr-defined]
    assert [p.name for p in group.params][:2] == ["version", "debug"]


def test_input_formats_are_the_catalogue_formats() -> None:
    from dcal.catalogue import FORMATS
    from dcal.cli import InputFormat

    assert tuple(InputFormat) == FORMATS
