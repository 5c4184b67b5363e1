"""The user's machine: its local zone.

Only the CLI calls this; the core takes zones as arguments.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from pathlib import Path

from dcal.errors import ZoneError
from dcal.zones import MAX_OFFSET_MINUTES, Zone, fixed_offset, offset_name, resolve_zone


def detect_local_zone(environ: Mapping[str, str]) -> tuple[Zone, str | None]:
    """The user's zone: ``TZ`` if it names a zone, else the system's; plus a warning, if any.

    The zone's rules always come from the bundled tzdata, so the machine only tells the name.
    """
    tz = environ.get("TZ")
    if tz is not None:
        name = tz.strip().lstrip(":")
        if name.startswith("/"):  # a path, as in TZ=:/etc/localtime: the zone it links to
            name = os.path.realpath(name)
        if "/zoneinfo/" in name:
            name = name.split("/zoneinfo/", 1)[1]
        if not name:
            name = "UTC"
        try:
            zone = resolve_zone(name)
        except ZoneError:
            zone = None
        # Only IANA names are read by name: any other TZ value is a POSIX rule, where
        # "UTC+2" means two hours *behind* UTC; the C library reads those as every program does.
        if zone is not None and zone.kind in ("iana", "utc"):
            return _as_local(zone), None
        fallback, problem = _current_offset()
        return fallback, f"TZ={tz!r} is not an IANA zone name; {problem}"
    for name in _system_zone_names():
        try:
            return _as_local(resolve_zone(name)), None
        except ZoneError:
            continue
    zone, problem = _current_offset()
    return zone, f"the system's zone is unknown; {problem}"


def _system_zone_names() -> list[str]:
    names = []
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError, UnicodeDecodeError):
        names.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    return names


def _as_local(zone: Zone) -> Zone:
    return Zone("local", zone.name, zone.tz, zone.wall, "local")


def _current_offset() -> tuple[Zone, str]:
    """Last resort: the C library's current offset (without DST rules), else UTC."""
    minutes = time.localtime().tm_gmtoff // 60
    if abs(minutes) > MAX_OFFSET_MINUTES:
        return _as_local(resolve_zone("UTC")), "using UTC"
    tz = fixed_offset(minutes)
    zone = Zone("local", offset_name(minutes), tz, tz, "local")
    return zone, f"using the current offset, {zone.name}, without DST rules"
