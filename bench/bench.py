"""Benchmarks: the speed ratios of the specification, each measured beside its reference.

    python bench/bench.py                 # everything
    python bench/bench.py --quick         # fewer runs, 20,000 sessions instead of 100,000
    python bench/bench.py --only scale    # one measure (start-up, scale or export; repeatable)

Each ratio is dcal's median wall time over its reference's, measured in alternation in one run
so that the machine's load affects both alike. Budgets:

- start-up: ``dcal list -f json`` ≤ 1.3 × ``python -c "import typer"``;
  ``dcal list`` (table) ≤ 1.3 × ``python -c "import typer, rich.console, rich.table"``;
- scale: a 100,000-session JSON catalogue loaded, filtered and written as jsonl ≤ 2 × a
  plain-Python floor doing the same with json and zoneinfo; peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEASURES = ("start-up", "scale", "export")
ZONES = [
    "Europe/Berlin", "Asia/Tokyo", "America/Belem", "America/New_York", "Asia/Kolkata",
    "Australia/Sydney", "Africa/Nairobi", "America/Sao_Paulo", "Asia/Kathmandu", "Pacific/Auckland",
    "UTC+2", "UTC-03:00", "JST", "CET", "Europe/London", "Asia/Jakarta",
]  # fmt: skip
THEMES = ["biodiversity", "decarbonization", "adaptation", "finance", "mobility", "energy", "food"]
CITIES = ["Bonn", "Yokohama", "Kitakyushu", "Belém", "Montréal", "Kyoto", "Nairobi", "Quito"]
WORDS_EN = ["city", "climate", "action", "local", "resilient", "urban", "finance", "plan", "nature"]
WORDS_JA = [
    "都市",
    "気候",
    "行動",
    "地域",
    "自治体",
    "脱炭素",
    "生物多様性",
    "適応",
    "資金",
    "計画",
]

FLOOR = r"""
import json, sys
from datetime import datetime, UTC
from zoneinfo import ZoneInfo
zones = {}
def zone(name):
    if name not in zones:
        zones[name] = ZoneInfo(name)
    return zones[name]
with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
out = sys.stdout
for s in data["sessions"]:
    if "biodiversity" not in s.get("themes", ()) or "start" not in s:
        continue
    tz = zone(s["timezone"])
    start = datetime.fromisoformat(s["start"]).replace(tzinfo=tz)
    end = datetime.fromisoformat(s["end"]).replace(tzinfo=tz)
    s["start_utc"] = start.astimezone(UTC).isoformat()
    s["end_utc"] = end.astimezone(UTC).isoformat()
    s["times"] = [{"zone": "JST", "start": start.astimezone(zone("Asia/Tokyo")).isoformat()}]
    out.write(json.dumps(s, ensure_ascii=False) + "\n")
"""


# The reference for export: icalendar itself building and serialising the same events.
ICALENDAR_FLOOR = r"""
import json, sys
from datetime import date, datetime, timedelta, UTC
from zoneinfo import ZoneInfo
import icalendar
with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
calendar = icalendar.Calendar()
calendar.add("prodid", "-//bench//EN"); calendar.add("version", "2.0")
for s in data["sessions"]:
    event = icalendar.Event()
    event.add("uid", s["id"] + "@bench"); event.add("dtstamp", datetime(1970, 1, 1, tzinfo=UTC))
    if "start" in s:
        tz = ZoneInfo(s["timezone"])
        event.add("dtstart", datetime.fromisoformat(s["start"]).replace(tzinfo=tz))
        event.add("dtend", datetime.fromisoformat(s["end"]).replace(tzinfo=tz))
    elif "date" in s:
        day = date.fromisoformat(s["date"])
        event.add("dtstart", day); event.add("dtend", day + timedelta(days=1))
    else:
        continue
    event.add("summary", s["title"]); event.add("description", s["summary"])
    event.add("categories", s["themes"])
    calendar.add_component(event)
sys.stdout.buffer.write(calendar.to_ical())
"""


def generate(count: int, seed: int = 2025) -> dict[str, object]:
    """A deterministic synthetic catalogue: realistic sessions, some dated, a few TBA."""
    rng = random.Random(seed)
    sessions = []
    for index in range(count):
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        hour = rng.randrange(7, 21)
        words = rng.choices(WORDS_EN, k=rng.randint(5, 14))
        session: dict[str, object] = {
            "id": f"s{index:06d}",
            "title": " ".join(words).capitalize(),
            "title_ja": "".join(rng.choices(WORDS_JA, k=rng.randint(4, 10))),
            "event": f"Forum {2020 + index % 6}",
            "themes": rng.sample(THEMES, k=rng.randint(1, 3)),
            "cities": rng.sample(CITIES, k=rng.randint(0, 2)),
            "speakers": [f"Speaker {rng.randrange(5000)}" for _ in range(rng.randint(0, 4))],
            "hosts": ["ICLEI"],
            "mode": rng.choice(["online", "in-person", "hybrid"]),
            "summary": " ".join(rng.choices(WORDS_EN, k=rng.randint(20, 60))),
        }
        kind = index % 50
        if kind == 0:
            pass  # TBA
        elif kind % 10 == 0:
            session["date"] = f"2025-{month:02d}-{day:02d}"
        else:
            session["timezone"] = rng.choice([z for z in ZONES if "/" in z])
            session["start"] = f"2025-{month:02d}-{day:02d}T{hour:02d}:00"
            session["end"] = f"2025-{month:02d}-{day:02d}T{hour + 1:02d}:30"
        sessions.append(session)
    return {"catalogue": {"name": "Synthetic"}, "sessions": sessions}


def dcal_command() -> list[str]:
    script = shutil.which("dcal")
    return [script] if script else [sys.executable, "-m", "dcal"]


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run, output discarded."""
    start = time.perf_counter()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode(errors='replace')}")
    return elapsed


def compare(name: str, ours: list[str], reference: list[str], runs: int, budget: float) -> bool:
    # Bytecode is written as an installed package has it (pip compiles at install time).
    env = {**os.environ, "TZ": "UTC", "COLUMNS": "120"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timed(ours, env), timed(reference, env)  # warm the file and bytecode caches
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(timed(ours, env))
        theirs.append(timed(reference, env))
    ratio = statistics.median(mine) / statistics.median(theirs)
    ours_ms, theirs_ms = statistics.median(mine) * 1000, statistics.median(theirs) * 1000
    measured = f"{ours_ms:8.1f} ms vs {theirs_ms:8.1f} ms  ratio {ratio:5.2f}"
    return report(name, measured, f"budget {budget}", ratio <= budget)


def report(name: str, measured: str, budget: str, ok: bool) -> bool:
    print(f"{name:<40} {measured}  ({budget})  {'ok' if ok else 'OVER BUDGET'}")
    return ok


def peak_memory_mib(command: list[str]) -> float:
    """Peak resident memory of one run, in MiB (measured in a fresh child so others don't count)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(out.stdout) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller catalogue")
    parser.add_argument(
        "--only",
        choices=MEASURES,
        action="append",
        help="measure only these (repeatable); all by default",
    )
    args = parser.parse_args()
    chosen = set(args.only or MEASURES)
    runs = 10 if args.quick else 21
    # The large runs take seconds each, and this machine's speed drifts by 10–30 % over a
    # minute: seven alternated pairs give a median that one slow moment does not move.
    large_runs = 3 if args.quick else 7
    count = 20_000 if args.quick else 100_000
    dcal = dcal_command()
    python = [sys.executable]
    ok = True
    if "start-up" in chosen:
        ok &= compare(
            "start-up: dcal list -f json",
            [*dcal, "list", "-f", "json"],
            [*python, "-c", "import typer"],
            runs,
            1.3,
        )
        ok &= compare(
            "start-up: dcal list (table)",
            [*dcal, "list"],
            [*python, "-c", "import typer, rich.console, rich.table"],
            runs,
            1.3,
        )
    if "scale" in chosen:
        ok &= scale(dcal, python, count, large_runs)
    if "export" in chosen:
        ok &= export(dcal, python, large_runs)
    return 0 if ok else 1


def scale(dcal: list[str], python: list[str], count: int, runs: int) -> bool:
    """A large JSON catalogue loaded, filtered and written as jsonl, beside the plain floor."""
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "big.json"
        catalogue.write_text(json.dumps(generate(count), ensure_ascii=False), encoding="utf-8")
        floor = Path(folder) / "floor.py"
        floor.write_text(FLOOR, encoding="utf-8")
        ours = [
            *dcal,
            "list",
            "-c",
            str(catalogue),
            "--theme",
            "biodiversity",
            "--tz",
            "JST",
            "-f",
            "jsonl",
        ]
        ok = compare(
            f"scale: {count:,} sessions → jsonl",
            ours,
            [*python, str(floor), str(catalogue)],
            runs,
            2.0,
        )
        memory = peak_memory_mib(ours)
        fits = memory < 1024
        return report("scale: peak memory", f"{memory:8.0f} MiB", "budget 1024 MiB", fits) and ok


def export(dcal: list[str], python: list[str], runs: int) -> bool:
    """``dcal export`` of 10,000 sessions, beside icalendar building the same events."""
    with tempfile.TemporaryDirectory() as folder:
        catalogue = Path(folder) / "export.json"
        catalogue.write_text(json.dumps(generate(10_000), ensure_ascii=False), encoding="utf-8")
        floor = Path(folder) / "floor.py"
        floor.write_text(ICALENDAR_FLOOR, encoding="utf-8")
        ours = [*dcal, "export", "-c", str(catalogue)]
        reference = [*python, str(floor), str(catalogue)]
        ok = compare("export: 10,000 sessions → .ics", ours, reference, runs, 1.25)
        memory = peak_memory_mib(ours)
        report("export: peak memory", f"{memory:8.0f} MiB", "grows with sessions only", True)
        return ok


if __name__ == "__main__":
    raise SystemExit(main())
