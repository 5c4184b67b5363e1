"""``dcal check``, ``dcal parse`` and ``dcal now``: findings, exit codes and outputs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import BUNDLED, FIXTURES

from dcal.catalogue import load_catalogue
from dcal.check import KINDS, check_catalogue

FINDINGS = FIXTURES / "check-findings.toml"
SEED_TEXT = "21 October @ 10:00 – 11:30 UTC+2/ 17:00 -18:45 JST"


def catalogue_file(path: Path, text: str) -> Path:
    """A catalogue file written from ``text`` (TOML)."""
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the acceptance check


def test_bundled_catalogue_names_the_green_recovery_end(run) -> None:
    result = run("check")
    assert result.code == 1
    assert result.out == (
        "dc2020-green-recovery: announced: JST end: published 18:45, computed 18:30\n"
    )
    assert "dc2020-biodiversity-cop" not in result.out  # 23:00 – 24:30 JST agrees
    assert result.err.startswith("dcal: 1 finding in 12 sessions (")


def test_bundled_catalogue_as_json(run, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED.parent)  # the report names the catalogue as it was given
    result = run("check", "-c", BUNDLED.name, "-f", "json")
    assert result.code == 1
    document = json.loads(result.out)
    assert document["ok"] is False
    (finding,) = document["findings"]
    assert finding == {
        "session": "dc2020-green-recovery",
        "field": "announced",
        "kind": "mismatch",
        "message": "JST end: published 18:45, computed 18:30",
        "zone": "JST",
        "published": "18:45",
        "computed": "18:30",
    }
    golden("check.json", result.out)


# ------------------------------------------------------------------ every kind of finding


def findings_by_session() -> dict[str | None, list[tuple[str, str]]]:
    found: dict[str | None, list[tuple[str, str]]] = {}
    for finding in check_catalogue(load_catalogue(str(FINDINGS)), date(2025, 1, 1)):
        found.setdefault(finding.session, []).append((finding.kind, finding.message))
    return found


def test_every_kind_of_finding() -> None:
    found = findings_by_session()
    assert found == {
        None: [("warning", f"{FINDINGS}: catalogue: unknown key 'colour' (ignored)")],
        "gap": [
            (
                "dst-gap",
                "2025-03-30 02:30 does not exist in Europe/Berlin (the clocks skip it); "
                "read as 03:30 CEST, as RFC 5545 does",
            )
        ],
        "repeat": [
            (
                "dst-repeat",
                "2025-10-26 02:30 occurs twice in Europe/Berlin (the clocks go back); "
                "read as the first occurrence (UTC+02:00)",
            )
        ],
        "offset-winter": [
            (
                "offset-city",
                "UTC+2 is UTC+02:00, but on 2025-12-10 Bonn is on UTC+01:00 (Europe/Berlin, CET)",
            )
        ],
        "cest-winter": [
            (
                "offset-city",
                "CEST is UTC+02:00, but on 2025-12-11 Bonn is on UTC+01:00 (Europe/Berlin, CET)",
            )
        ],
        "bonn-winter": [
            (
                "mismatch",
                "CEST start: published 10:00, computed 11:00 "
                "(CEST is UTC+02:00, but Europe/Berlin is on CET (UTC+01:00) on 2025-12-12)",
            ),
            (
                "mismatch",
                "CEST end: published 11:00, computed 12:00 "
                "(CEST is UTC+02:00, but Europe/Berlin is on CET (UTC+01:00) on 2025-12-12)",
            ),
        ],
        "wrong-day": [
            ("weekday", "weekday: published Tue, but 2025-06-19 is a Thursday"),
            ("mismatch", "CEST date: published 2025-06-19, computed 2025-06-18"),
        ],
        "no-zone": [
            ("no-zone", "'18 June 2025, 10:00 – 11:00': no zone is given for 10:00–11:00"),
        ],
        "unreadable": [
            (
                "unreadable",
                "'06/07/2025 10:00 CEST' cannot be read: '06/07/2025' can be read day-first "
                "or month-first; write 21 October 2020 or 2020-10-21",
            )
        ],
        "days": [
            ("mismatch", "dates: published 2025-06-16 – 2025-06-19, stored 2025-06-16 – 2025-06-18")
        ],
        "tba": [("mismatch", "'3 July 2025' gives a date, but the session has none (TBA)")],
    }
    # "consistent", "online-offset" and "days-ok" are not reported
    kinds = {kind for items in found.values() for kind, _ in items}
    assert kinds == set(KINDS) - {"invalid"}  # the one kind of an unreadable catalogue


def test_findings_text_and_json(run, golden, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = run("check", "-c", FINDINGS.name)
    assert result.code == 1
    golden("check-findings.txt", result.out)
    as_json = run("check", "-c", FINDINGS.name, "-f", "jsonl")
    assert as_json.code == 1
    lines = [json.loads(line) for line in as_json.out.splitlines()]
    assert [
        f"{f['session']}: {f['field']}: {f['message']}"
        if f["session"]
        else f"{f['field']}: {f['message']}"
        for f in lines
    ] == result.out.splitlines()


def test_clean_catalogue_exits_0(run, tmp_path: Path) -> None:
    path = catalogue_file(
        tmp_path / "clean.toml",
        '[[sessions]]\nid = "a"\ntitle = "A"\nevent = "E"\nstart = 2020-10-22T16:00:00\n'
        'end = 2020-10-22T17:30:00\ntimezone = "UTC+2"\n'
        'announced = "22 October @ 16:00 – 17:30 UTC+2/ 23:00 – 24:30 JST"\n',
    )
    result = run("check", "-c", str(path))
    assert (result.code, result.out) == (0, "")
    assert result.err == f"dcal: no findings in 1 session ({path})\n"
    as_json = run("check", "-c", str(path), "-f", "json")
    assert json.loads(as_json.out)["ok"] is True


def test_invalid_catalogue_exits_3(run, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[sessions]]\nid = "a"\ntitle = "A"\nevent = "E"\nstart = 2020-10-22T16:00:00\n'
    )
    result = run("check", "-c", str(path))
    assert result.code == 3
    assert result.out == ""
    assert "end: missing" in result.err
    as_json = run("check", "-c", str(path), "-f", "json")
    assert as_json.code == 3
    document = json.loads(as_json.out)
    assert document["ok"] is False
    assert document["findings"][0]["kind"] == "invalid"
    assert "Traceback" not in as_json.err


def test_check_output_file(run, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert run("check", "-f", "json", "-o", str(target)).code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]
    assert run("check", "-f", "json", "-o", str(target)).code == 4  # no overwrite without --force


def test_hostile_announcement_cannot_reach_the_terminal(run, tmp_path: Path) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(
        json.dumps(
            {
                "sessions": [
                    {
                        "id": "h",
                        "title": "H",
                        "event": "E",
                        "date": "2025-06-18",
                        "announced": "18 June \u001b]8;;http://evil\u0007click\u001b[31m\u202e",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = run("check", "-c", str(path))
    assert result.code == 1
    for stream in (result.out, result.err):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream


# ------------------------------------------------------------------ dcal parse


def test_parse_the_seed_mistake(run, golden) -> None:
    result = run("parse", SEED_TEXT, "--year", "2020")
    assert result.code == 1
    golden("parse.txt", result.out)
    assert result.err == ""
    as_json = run("parse", SEED_TEXT, "--year", "2020", "-f", "json")
    assert as_json.code == 1
    golden("parse.json", as_json.out)
    document = json.loads(as_json.out)
    assert (document["start_utc"], document["end_utc"]) == (
        "2020-10-21T08:00+00:00",
        "2020-10-21T09:30+00:00",
    )
    assert document["parts"][1]["differences"] == [
        {"what": "end", "published": "18:45", "computed": "18:30", "note": None}
    ]


def test_parse_agreeing_parts_exits_0(run) -> None:
    result = run("parse", "22 October 2020 @ 16:00 – 17:30 UTC+2/ 23:00 – 24:30 JST")
    assert result.code == 0
    assert "23:00–24:30" in result.out
    assert "23:00–00:30 (+1 day)  agrees" in result.out


def test_parse_without_a_year_says_what_it_assumed(run) -> None:
    result = run("parse", "6月18日(水) 10:00-11:30 CEST / 17:00-18:30 JST")
    assert "the text gives no year: read as" in result.err
    assert result.code == 0  # a year in which 18 June is a Wednesday is chosen


def test_explain_without_a_year() -> None:
    from dcal.explain import explain

    result = explain("6月18日(水) 10:00-11:30 CEST / 17:00-18:30 JST", today=date(2026, 11, 23))
    assert result.announcement.dates is not None
    assert result.announcement.dates.first == date(2025, 6, 18)  # 2026's is a Thursday
    assert result.agrees
    assert result.notes == (
        "the text gives no year: read as 2025, the nearest to today (pass --year to choose)",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "nothing in the text reads as a date or a time; not understood: 'hello'"),
        ("21 October 10:00 CST", "zone 'CST' is ambiguous"),
        ("21 October 10:00", "no zone is given for 10:00"),
        ("21 October 10:00 CET\x1b[2J", "control characters"),
    ],
)
def test_parse_unreadable_exits_2(run, text: str, message: str) -> None:
    result = run("parse", text)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("dcal: error: TEXT: ")
    assert message in result.err
    assert "\x1b" not in result.err


def test_parse_dates_only(run) -> None:
    result = run("parse", "Running from 7 to 28 October 2020", "-f", "json")
    assert result.code == 0
    document = json.loads(result.out)
    assert document["dates"]["first"] == "2020-10-07"
    assert document["dates"]["last"] == "2020-10-28"
    assert document["ignored"] == ["Running"]


def test_parse_weekday_mismatch_exits_1(run) -> None:
    result = run("parse", "Tuesday 18 June 2025, 10:00 CEST")
    assert result.code == 1
    assert "weekday  published Tue, but 2025-06-18 is a Wednesday" in result.out


# ------------------------------------------------------------------ dcal now


def now_records(run, *args: str) -> list[tuple[str, str, int | None]]:
    result = run("now", "-f", "json", *args)
    assert result.code == 0, result.err
    return [(r["id"], r["status"], r["minutes"]) for r in json.loads(result.out)]


def test_now_during_a_session(run) -> None:
    assert now_records(run, "--at", "2020-10-22 17:30", "--tz", "JST") == [
        ("dc2020-forum", "now", None),
        ("dc2020-pathways-to-zero", "now", 90),
        ("dc2020-biodiversity-cop", "next", 330),
        ("dc2025-series", "next", None),
        ("dc2025-bonn-dialogues", "next", None),
    ]


def test_now_with_an_offset_and_filters(run) -> None:
    assert now_records(run, "--at", "2020-10-22T08:30:00Z", "--event", "2020", "--next", "1") == [
        ("dc2020-forum", "now", None),
        ("dc2020-pathways-to-zero", "now", 90),
        ("dc2020-biodiversity-cop", "next", 330),
    ]


def test_now_whole_days_follow_the_users_day(run) -> None:
    # 18 June in Tokyo is still 17 June in Belém: the day is the user's own.
    tokyo = now_records(run, "--at", "2025-06-18T01:00:00+09:00", "--tz", "JST", "--next", "0")
    belem = now_records(run, "--at", "2025-06-18T01:00:00+09:00", "--tz", "Belém", "--next", "0")
    assert ("dc2025-high-level-dialogue", "now", None) in tokyo
    assert ("dc2025-high-level-dialogue", "now", None) not in belem


def test_now_after_everything(run) -> None:
    result = run("now", "--at", "2030-01-01 00:00", "--tz", "UTC", "-f", "json")
    assert (result.code, result.out) == (0, "[]\n")
    assert "nothing is on at 2030-01-01 00:00 UTC, and nothing later matches" in result.err


def test_now_table(run, golden) -> None:
    result = run("now", "--at", "2020-10-22 17:30", "--tz", "JST", "--no-color")
    assert result.code == 0
    golden("now.table", result.out)


def test_now_bad_time(run) -> None:
    result = run("now", "--at", "tomorrowish")
    assert result.code == 2
    assert result.err.startswith("dcal: error: --at: ")
    assert "TIME:" not in result.err  # convert's argument name has no place here


def test_now_at_a_time_the_clocks_skip(run) -> None:
    result = run("now", "--at", "2025-03-30 02:30", "--tz", "Europe/Berlin", "-f", "json")
    assert result.code == 0
    assert "--at: 2025-03-30 02:30 does not exist in Europe/Berlin" in result.err


def test_now_counts_minutes_across_a_dst_change(run, tmp_path: Path) -> None:
    path = catalogue_file(
        tmp_path / "night.toml",
        '[[sessions]]\nid = "autumn"\ntitle = "A"\nevent = "E"\nstart = 2025-10-26T01:30:00\n'
        'end = 2025-10-26T03:30:00\ntimezone = "Europe/Berlin"\n',
    )
    # 02:45 (the first, CEST) is 00:45 UTC; the session ends at 03:30 CET, 02:30 UTC.
    args = ("-c", str(path), "--tz", "Europe/Berlin", "--at", "2025-10-26 02:45")
    assert now_records(run, *args) == [("autumn", "now", 105)]


def test_now_reads_at_on_the_display_clock(run) -> None:
    result = run("now", "--tz", "CET", "--at", "2025-06-18 10:00", "--no-color")
    assert result.code == 0
    assert "2025-06-18 10:00 CEST" in result.out  # CET as a display zone is Berlin's clock


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01T00:00Z", "outside the years dcal supports"),
        ("0002-01-01T00:00+23:59", "outside the years dcal supports"),
        ("2025-06-18T10:00+25:00", "is not a date-time with an offset"),
    ],
)
def test_now_bad_instant(run, value: str, message: str) -> None:
    result = run("now", "--at", value)
    assert result.code == 2
    assert result.err.startswith("dcal: error: --at: ")
    assert message in result.err


def test_invalid_catalogue_as_jsonl(run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    result = run("check", "-c", str(path), "-f", "jsonl")
    assert result.code == 3
    (line,) = result.out.splitlines()
    finding = json.loads(line)
    assert (finding["session"], finding["field"], finding["kind"]) == (None, "catalogue", "invalid")
    document = json.loads(run("check", "-c", str(path), "-f", "json").out)
    assert document["sessions"] is None


def test_check_reports_a_wrong_date_without_times(run, tmp_path: Path) -> None:
    path = catalogue_file(
        tmp_path / "date.toml",
        '[[sessions]]\nid = "a"\ntitle = "A"\nevent = "E"\nstart = 2025-06-18T10:00:00\n'
        'end = 2025-06-18T11:00:00\ntimezone = "Europe/Berlin"\nannounced = "Thursday 19 June 2025"\n',
    )
    result = run("check", "-c", str(path))
    assert result.code == 1
    assert "a: announced: date: published 2025-06-19, stored 2025-06-18" in result.out
    assert "names no time and zone" in result.out


def test_offset_city_checks_the_end_too(run, tmp_path: Path) -> None:
    path = catalogue_file(
        tmp_path / "night.toml",
        '[catalogue.cities]\nBonn = "Europe/Berlin"\n[[sessions]]\nid = "a"\ntitle = "A"\n'
        'event = "E"\nstart = 2025-10-26T01:00:00\nend = 2025-10-26T05:00:00\n'
        'timezone = "UTC+2"\nmode = "in-person"\ncities = ["Bonn"]\n',
    )
    result = run("check", "-c", str(path))
    assert result.code == 1
    assert "UTC+2 is UTC+02:00, but on 2025-10-26 Bonn is on UTC+01:00" in result.out


def test_parse_a_time_the_clocks_skip_exits_1(run) -> None:
    result = run("parse", "9 March 2025, 2:30 am ET / 07:30 UTC")
    assert result.code == 1
    assert "no such time: the clocks skip it" in result.out
    assert "2025-03-09 02:30 does not exist in America/New_York" in result.err


def test_check_keeps_the_stored_year_when_the_weekday_is_wrong(run, tmp_path: Path) -> None:
    path = catalogue_file(
        tmp_path / "weekday.toml",
        '[[sessions]]\nid = "a"\ntitle = "A"\nevent = "E"\nstart = 2025-06-18T10:00:00\n'
        'end = 2025-06-18T11:00:00\ntimezone = "Europe/Berlin"\n'
        'announced = "Thursday, 18 June, 10:00–11:00 CEST / 17:00–18:00 JST"\n',
    )
    result = run("check", "-c", str(path))
    assert result.code == 1
    assert result.out == "a: announced: weekday: published Thu, but 2025-06-18 is a Wednesday\n"


def test_every_dst_note_is_a_finding_and_nothing_else(tmp_path: Path) -> None:
    # More DST notes than stderr shows: check reports each once, and no "… and N more".
    entry = (
        '[[sessions]]\nid = "s{n}"\ntitle = "T"\nevent = "E"\ntimezone = "Europe/Berlin"\n'
        'start = "2025-03-30 02:{n:02d}"\nend = "2025-03-30 04:00"\n'
    )
    path = tmp_path / "gaps.toml"
    path.write_text("\n".join(entry.format(n=n) for n in range(60)), encoding="utf-8")
    catalogue = load_catalogue(str(path))
    findings = check_catalogue(catalogue, date(2025, 1, 1))
    assert [f.kind for f in findings] == ["dst-gap"] * 60
    shown = catalogue.shown_warnings(50)
    assert len(shown) == 51 and shown[-1] == f"{path}: … and 10 more warnings"
