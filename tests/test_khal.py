"""A real client: khal imports dcal's .ics into a fresh calendar and lists it in two zones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KHAL = Path(sys.executable).parent / "khal"
FORMAT = "{start} {end} {title}"

# One session in an IANA zone on the day Berlin leaves summer time, so that the VTIMEZONE
# dcal writes is what khal must read: 10:00 CET is 18:00 in Tokyo (17:00 the day before).
CATALOGUE = """\
[catalogue]
name = "Test"
url = "https://daringcities.org"

[[sessions]]
id = "berlin-after-dst"
title = "After the clocks go back"
event = "E"
timezone = "Europe/Berlin"
start = "2025-10-26 10:00"
end = "2025-10-26 11:00"

[[sessions]]
id = "berlin-before-dst"
title = "Before the clocks go back"
event = "E"
timezone = "Europe/Berlin"
start = "2025-10-25 10:00"
end = "2025-10-25 11:00"
"""


def khal(tmp_path: Path, zone: str, *args: str) -> str:
    config = tmp_path / f"khal-{zone.replace('/', '-')}.conf"
    config.write_text(
        f"""[calendars]
[[dcal]]
path = {tmp_path / "calendar"}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}
[sqlite]
path = {tmp_path / f"khal-{zone.replace('/', '-')}.db"}
""",
        encoding="utf-8",
    )
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(KHAL), "-c", str(config), *args], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def listed(tmp_path: Path, zone: str, first: str, days: str) -> set[str]:
    out = khal(tmp_path, zone, "list", "--format", FORMAT, "--day-format", "", first, days)
    return {line for line in out.splitlines() if line.strip()}


@pytest.fixture
def calendar(run, tmp_path: Path) -> Path:
    assert KHAL.exists(), "khal is a test dependency: pip install -e '.[test]'"
    (tmp_path / "calendar").mkdir()
    (tmp_path / "bundled.ics").write_text(run("export").out, encoding="utf-8", newline="")
    catalogue = tmp_path / "c.toml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "berlin.ics").write_text(
        run("export", "-c", str(catalogue)).out, encoding="utf-8", newline=""
    )
    for name in ("bundled.ics", "berlin.ics"):
        khal(tmp_path, "UTC", "import", "--batch", "-a", "dcal", str(tmp_path / name))
    return tmp_path


def test_khal_in_tokyo(calendar: Path) -> None:
    lines = listed(calendar, "Asia/Tokyo", "2020-10-20", "5d")
    assert (
        "2020-10-21 17:00 2020-10-21 18:30 Driving the Green Recovery and Redesign: Embedding Local Climate Action at the Heart of Economic Stimulus Packages – Session 1"
        in lines
    )
    assert any(
        line.startswith("2020-10-22 17:00 2020-10-22 19:00 Pathways to Zero") for line in lines
    )
    assert any(
        line.startswith("2020-10-22 23:00 2020-10-23 00:30 Towards Adopting") for line in lines
    )
    assert (
        "2020-10-07 2020-10-28 Daring Cities 2020: the global virtual forum for urban leaders"
        in lines
    )
    dst = listed(calendar, "Asia/Tokyo", "2025-10-25", "2d")
    assert "2025-10-25 17:00 2025-10-25 18:00 Before the clocks go back" in dst
    assert "2025-10-26 18:00 2025-10-26 19:00 After the clocks go back" in dst


def test_khal_in_berlin(calendar: Path) -> None:
    lines = listed(calendar, "Europe/Berlin", "2020-10-20", "5d")
    assert any(
        line.startswith("2020-10-21 10:00 2020-10-21 11:30 Driving the Green Recovery")
        for line in lines
    )
    assert any(
        line.startswith("2020-10-22 16:00 2020-10-22 17:30 Towards Adopting") for line in lines
    )
    dialogues = listed(calendar, "Europe/Berlin", "2025-06-15", "5d")
    assert "2025-06-16 2025-06-18 Bonn Dialogues" in dialogues  # three days, not four
    assert not any("Bonn Dialogues" in line and "06-19" in line for line in dialogues)
    dst = listed(calendar, "Europe/Berlin", "2025-10-25", "2d")
    assert {
        "2025-10-25 10:00 2025-10-25 11:00 Before the clocks go back",
        "2025-10-26 10:00 2025-10-26 11:00 After the clocks go back",
    } <= dst


def test_khal_imports_each_event_once(calendar: Path) -> None:
    stored = sorted(p.name for p in (calendar / "calendar").iterdir())
    assert len(stored) == 12  # 10 bundled sessions with a date, 2 Berlin ones
    assert len(set(stored)) == len(stored)
