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
from dcal.zones import Zone, fixed_offset, offset_name, resolve_zone


def detect_local_zone(environ: Mapping[str, str]) -> tuple[Zone, str | None]:
    """The user's zone: ``TZ`` if it names a zone, else the system's; plus a warning, if any.

    The zone's rules always come from the bundled tzdata, so the machine only tells the name.
    """
    warning = None
    tz = environ.get("TZ")
    if tz is not None:
        name = tz.strip().lstrip(":")
        if "/zoneinfo/" in name:
            name = name.split("/zoneinfo/", 1)[1]
        if not name:
            name = "UTC"
        try:
            return _as_local(resolve_zone(name)), None
        except ZoneError:
            warning = f"TZ={tz!r} is not a zone name dcal knows; using the system's current offset"
            return _current_offset(), warning
    for name in _system_zone_names():
        try:
            return _as_local(resolve_zone(name)), None
        except ZoneError:
            continue
    return _current_offset(), warning


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


def _current_offset() -> Zone:
    """Last resort: the C library's current offset, without DST rules."""
    minutes = time.localtime().tm_gmtoff // 60
    tz = fixed_offset(minutes)
    return Zone("local", offset_name(minutes), tz, tz, "local")
