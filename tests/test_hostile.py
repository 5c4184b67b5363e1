"""Regression tests from a hostile-input sweep: each case once ended in a wrong exit code,
a traceback, a hang, a replaced device, a leftover file or raw control characters."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import dcal.catalogue
import dcal.cli


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def one_session(**fields: object) -> str:
    return json.dumps({"sessions": [{"id": "s1", "title": "T", "event": "E", **fields}]})


def shell(command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "UTC"}
    dcal = f"{sys.executable} -m dcal"
    return subprocess.run(
        ["bash", "-c", command.replace("dcal ", f"{dcal} ")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


# ------------------------------------------------------------------ output paths


def test_force_never_replaces_a_fifo(run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("list", "-f", "json", "-o", str(fifo), "--force")
    assert result.code == 4
    assert "not a regular file" in result.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_force_never_replaces_a_link_to_a_device(run, tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    result = run("list", "-f", "json", "-o", str(link), "--force")
    assert result.code == 4
    assert link.is_symlink()


def test_a_directory_path_is_not_a_file_name(run, tmp_path: Path) -> None:
    result = run("list", "-o", str(tmp_path / "newdir") + "/")
    assert result.code == 4
    assert "is a directory" in result.err
    assert list(tmp_path.iterdir()) == []


def test_new_files_get_the_usual_permissions(run, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        assert run("list", "-f", "json", "-o", str(tmp_path / "new.json")).code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o644
    kept = tmp_path / "kept.json"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o640)
    assert run("list", "-f", "json", "-o", str(kept), "--force").code == 0
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o640


def test_sigterm_while_writing_leaves_nothing(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def terminated(fmt: object, out: object, *args: object, **kwargs: object) -> None:
        out.write("half a file")  # type: ignore[attr-defined]
        raise dcal.cli.Terminated(15)

    monkeypatch.setattr(dcal.cli, "write_records", terminated)
    result = run("list", "-o", str(tmp_path / "out.txt"))
    assert result.code == 143
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ closed and full streams


def test_closed_stdout_is_an_output_error() -> None:
    result = shell("dcal list -f json >&-")
    assert result.returncode == 4
    assert result.stderr == "dcal: error: standard output is closed; give a file with -o PATH\n"


def test_closed_stdin_is_a_catalogue_error() -> None:
    result = shell("dcal list -c - <&-")
    assert result.returncode == 3
    assert "standard input is closed" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", ["list -f json", "list", "convert 10:00 --from UTC --to JST"])
def test_full_disk_on_stdout(args: str) -> None:
    result = shell(f"dcal {args} > /dev/full")
    assert result.returncode == 4
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["list", "show dc2020-forum", "themes"])
def test_tables_end_quietly_on_a_closed_pipe(command: str) -> None:
    script = (
        "import subprocess, sys\n"
        f"p = subprocess.Popen([sys.executable, '-m', 'dcal', *{command.split()!r}],"
        " stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "p.stdout.close()\n"
        "err = p.stderr.read(); print(p.wait(), repr(err))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "141 b''"


# ------------------------------------------------------------------ absurd values


@pytest.mark.parametrize(
    "fields",
    [
        {"start": "0001-01-01 00:00", "end": "0001-01-01 01:00", "timezone": "Asia/Tokyo"},
        {"start": "9999-12-31 22:00", "end": "9999-12-31 23:00", "timezone": "UTC"},
        {"date": "9999-12-31"},
        {"date": "0001-01-01"},
    ],
)
def test_years_at_the_ends_of_time_are_refused(run, tmp_path: Path, fields: dict[str, str]) -> None:
    result = run("list", "-c", write(tmp_path, "c.json", one_session(**fields)), "--tz", "UTC+14")
    assert result.code == 3
    assert "outside the years dcal supports (0002–9998)" in result.err
    assert result.out == ""


def test_toml_dates_at_the_ends_of_time_are_refused(run, tmp_path: Path) -> None:
    text = '[[sessions]]\nid = "a"\ntitle = "T"\nevent = "E"\ntimezone = "UTC-5"\nstart = 9999-12-31T22:00:00\nend = 9999-12-31T23:00:00\n'
    assert run("list", "-c", write(tmp_path, "c.toml", text)).code == 3


@pytest.mark.parametrize(
    "args",
    [
        ["9999-12-31 23:00", "--from", "UTC-12", "--to", "UTC"],
        ["0001-01-01 00:00", "--from", "UTC+14", "--to", "UTC"],
        ["9999-12-31 24:00", "--from", "UTC", "--to", "UTC"],
    ],
)
def test_convert_refuses_the_ends_of_time(run, args: list[str]) -> None:
    result = run("convert", *args)
    assert result.code == 2
    assert "outside the years dcal supports" in result.err


def test_convert_at_the_edge_of_the_supported_years(run) -> None:
    result = run("convert", "9998-12-31 23:59", "--from", "UTC-12", "--to", "UTC+14", "-f", "json")
    assert result.code == 0
    assert json.loads(result.out)["to"][0]["time"] == "9999-01-02T01:59:00+14:00"


def test_catalogue_too_large(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dcal.catalogue, "MAX_CATALOGUE_BYTES", 100)
    result = run("list", "-c", write(tmp_path, "c.json", one_session(summary="x" * 200)))
    assert result.code == 3
    assert "larger than" in result.err


def test_deep_toml(run, tmp_path: Path) -> None:
    result = run("list", "-c", write(tmp_path, "c.toml", "x = " + "[" * 1000 + "]" * 1000 + "\n"))
    assert result.code == 3
    assert "nested too deeply" in result.err


def test_many_unknown_zones_get_suggestions_only_while_shown(tmp_path: Path) -> None:
    from dcal.catalogue import load_catalogue
    from dcal.errors import CatalogueError

    sessions = [
        {
            "id": f"s{i}",
            "title": "T",
            "event": "E",
            "start": "2020-01-01 10:00",
            "end": "2020-01-01 11:00",
            "timezone": f"Nowhere/Z{i}",
        }
        for i in range(2000)
    ]
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write(tmp_path, "c.json", json.dumps({"sessions": sessions})))
    assert caught.value.problems[-1].endswith("and 1950 more problems")


def test_lone_surrogates_are_refused(run, tmp_path: Path) -> None:
    result = run(
        "list",
        "-c",
        write(tmp_path, "c.json", '{"sessions":[{"id":"s1","title":"a\\ud800","event":"E"}]}'),
        "-f",
        "json",
    )
    assert result.code == 3
    assert result.out == ""
    assert "lone surrogates" in result.err


def test_surrogate_pairs_are_characters(run, tmp_path: Path) -> None:
    path = write(
        tmp_path, "c.json", '{"sessions":[{"id":"s1","title":"\\ud83d\\ude00","event":"E"}]}'
    )
    assert json.loads(run("list", "-c", path, "-f", "json").out)[0]["title"] == "😀"


def test_an_id_with_a_trailing_newline_is_invalid(run, tmp_path: Path) -> None:
    result = run(
        "list",
        "-c",
        write(
            tmp_path,
            "c.json",
            json.dumps({"sessions": [{"id": "abc\n", "title": "T", "event": "E"}]}),
        ),
    )
    assert result.code == 3
    assert "'abc\\n' is not a valid id" in result.err


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        ("c.toml", '[[sessions]]\nid = 2020-01-01\ntitle = "T"\nevent = "E"\n', "a date"),
        (
            "c.json",
            '{"sessions": [{"id": "a", "title": "T", "event": "E", "themes": [null]}]}',
            "nothing (null)",
        ),
        (
            "c.json",
            '{"sessions": [{"id": "a", "title": "T", "event": "E", "mode": 1' + "0" * 5000 + "}]}",
            "not valid JSON",
        ),
    ],
    ids=["date-id", "null-mode", "huge-number"],
)
def test_messages_name_kinds_not_python_types(
    run, tmp_path: Path, name: str, text: str, shown: str
) -> None:
    result = run("list", "-c", write(tmp_path, name, text))
    assert result.code == 3
    assert shown in result.err
    assert "NoneType" not in result.err and "datetime." not in result.err
    assert "sys.set_int_max_str_digits" not in result.err


def test_csv_without_an_id_column(run) -> None:
    result = run(
        "list",
        "-c",
        "-",
        "--input-format",
        "csv",
        "-f",
        "json",
        stdin=b'{"sessions": [{"id": "s1"}]}',
    )
    assert result.code == 3
    assert "no 'id' column" in result.err


def test_warnings_are_capped(run, tmp_path: Path) -> None:
    header = "id,title,event," + ",".join(f"extra{i}" for i in range(200))
    rows = "".join(f"s{n},T,E," + ",".join("x" * 200) + "\n" for n in range(3))
    result = run("list", "-c", write(tmp_path, "c.csv", header + "\n" + rows), "-f", "json")
    assert result.code == 0
    assert len(json.loads(result.out)) == 3
    # one warning per unknown column, not per cell, and at most 50 of them
    assert len(result.err.splitlines()) == 51
    assert "column 'extra0' is not a catalogue field (ignored)" in result.err
    assert "and 150 more warnings" in result.err


# ------------------------------------------------------------------ what reaches the terminal


def test_json_escapes_what_a_terminal_would_act_on(run, tmp_path: Path) -> None:
    title = "\u202eevil \u009b31m \x7f \u2028 end"
    path = write(tmp_path, "c.json", one_session(title=title))
    for fmt in ("json", "jsonl"):
        out = run("list", "-c", path, "-f", fmt).out
        assert not any(c in out for c in "\u202e\u009b\x7f\u2028")
        first = json.loads(out.splitlines()[1] if fmt == "json" else out.splitlines()[0])
        assert first["title"] == title  # nothing lost
    shown = run("show", "s1", "-c", path, "-f", "json").out
    assert "\u202e" not in shown and json.loads(shown)["title"] == title


def test_convert_echoes_no_control_characters(run) -> None:
    result = run("convert", "2020-10-21 10:00", "--from", "UTC\r", "--to", "JST\x1c")
    assert result.code == 0
    assert "\r" not in result.out and "\x1c" not in result.out


def test_no_color_means_no_escape_sequences(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b" not in run("list", "--no-color").out


# ------------------------------------------------------------------ flags and environment


def test_debug_after_the_command_is_a_usage_error(run) -> None:
    result = run("list", "--debug")
    assert result.code == 2
    assert result.err.startswith("dcal: error: No such option: --debug")
    assert len(result.err.splitlines()) == 1


def test_an_id_spelled_like_a_flag(run) -> None:
    result = run("show", "--", "--debug")
    assert result.code == 2
    assert "Traceback" not in result.err


def test_dcal_debug_false_is_off(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_DEBUG", "false")
    result = run("list", "--tz", "Nowhere/City")
    assert (result.code, len(result.err.splitlines())) == (2, 1)


@pytest.mark.parametrize(("tz", "offset"), [("UTC+2", "-02:00"), ("JST-9", "+09:00")])
def test_tz_posix_rules_mean_what_posix_says(tz: str, offset: str) -> None:
    command = [
        sys.executable,
        "-m",
        "dcal",
        "convert",
        "2020-10-21 10:00",
        "--from",
        "local",
        "-f",
        "json",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "TZ": tz}, check=False
    )
    assert json.loads(result.stdout)["from"]["time"].endswith(offset)
    assert "not an IANA zone name" in result.stderr


@pytest.mark.parametrize("tz", ["UTC+99", "XXX-25", "XXX+24:00:01"])
def test_tz_out_of_range_falls_back_to_utc(run, monkeypatch: pytest.MonkeyPatch, tz: str) -> None:
    monkeypatch.setenv("TZ", tz)
    result = run("convert", "10:00", "--from", "local", "--to", "UTC")
    assert result.code == 0


def test_convert_reads_full_width_times(run) -> None:
    result = run("convert", "１０：００", "--from", "UTC", "--to", "JST", "-f", "json")
    assert json.loads(result.out)["to"][0]["time"][11:16] == "19:00"


def test_convert_ignores_session_in_dcal_tz(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_TZ", "JST,session")
    result = run("convert", "2020-10-21 10:00", "--from", "UTC", "-f", "json")
    assert [t["tz"] for t in json.loads(result.out)["to"]] == ["Asia/Tokyo"]


def test_convert_blames_dcal_tz_when_it_is_wrong(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCAL_TZ", "Nowhere/City")
    assert run("convert", "10:00", "--from", "UTC").err.startswith(
        "dcal: error: DCAL_TZ: unknown zone"
    )


# ------------------------------------------------------------------ edges of the process


def test_read_only_directory_even_as_root(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only directory does to a user (root writes anyway, so it is simulated)."""
    import errno
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run("list", "-f", "json", "-o", str(tmp_path / "x.json"))
    assert result.code == 4
    assert (
        result.err
        == f"dcal: error: {tmp_path / 'x.json'}: cannot write there (Permission denied)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_disk_full_while_writing_a_file_leaves_nothing(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("export", "-o", str(tmp_path / "x.ics"))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert result.code == 4
    assert "could not be written (No space left on device)" in result.err
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_ctrl_c_in_a_real_process_exits_130(tmp_path: Path) -> None:
    """SIGINT while dcal waits for a catalogue on standard input: 130, one line, no traceback."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "dcal", "list", "-c", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # let it start and block on stdin
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert out == b""
    assert err == b"dcal: interrupted\n"


def test_a_catalogue_is_read_in_one_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue rewritten while dcal reads it: dcal has one read's bytes, whole or not at
    all, so it sees the old file, the new one, or a broken one that it refuses: never a mix
    taken as valid. Here the file is replaced between the open and the read."""
    from dcal.catalogue import load_catalogue
    from dcal.errors import CatalogueError

    path = tmp_path / "c.json"
    path.write_text('{"sessions": []}', encoding="utf-8")
    real_open = Path.open

    def open_then_truncate(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        handle = real_open(self, *args, **kwargs)  # type: ignore[call-overload]
        with real_open(self, "w", encoding="utf-8") as other:  # another program rewriting it
            other.write('{"sessio')
        return handle

    monkeypatch.setattr(Path, "open", open_then_truncate)
    with pytest.raises(CatalogueError, match=r"not valid JSON"):
        load_catalogue(str(path))
