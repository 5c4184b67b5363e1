"""The zone names dcal understands (``dcal zones``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dcal.errors import ZoneError
from dcal.zones import (
    ABBREVIATIONS,
    AMBIGUOUS,
    Zone,
    all_iana_keys,
    fixed_offset,
    fold_text,
    iana_zone,
    resolve_zone,
    utc_offset_text,
)


def _row(name: str, kind: str, zone_name: str, moment: datetime) -> dict[str, Any]:
    abbreviation = moment.strftime("%Z")
    return {
        "name": name,
        "kind": kind,
        "tz": zone_name,
        "utc_offset": utc_offset_text(moment),
        "abbreviation": abbreviation if abbreviation.isalpha() else "",
    }


def zone_rows(
    query: str | None, cities: Mapping[str, str], local: Zone, now: datetime
) -> list[dict[str, Any]]:
    """Rows of name, kind, tz, current UTC offset and abbreviation, filtered by ``query``.

    A query that resolves to a zone (``UTC+2``, ``belem``) lists that zone first; every
    name containing the query (case- and accent-insensitive) follows.
    """
    rows = [
        _row("local", "local", local.name, now.astimezone(local.tz)),
        _row("UTC", "utc", "UTC", now),
    ]
    for abbreviation, (key, minutes) in sorted(ABBREVIATIONS.items()):
        moment = now.astimezone(fixed_offset(minutes))
        row = _row(abbreviation, "abbreviation", key, moment)
        row["abbreviation"] = abbreviation  # the name itself, not the region's current one
        rows.append(row)
    for abbreviation, candidates in sorted(AMBIGUOUS.items()):
        rows.append(
            {
                "name": abbreviation,
                "kind": "ambiguous",
                "tz": " | ".join(c.split(" ", 1)[0] for c in candidates),
                "utc_offset": "",
                "abbreviation": abbreviation,
            }
        )
    for city, key in sorted(cities.items()):
        rows.append(_row(city, "city", key, now.astimezone(iana_zone(key))))
    for key in all_iana_keys():
        rows.append(_row(key, "iana", key, now.astimezone(iana_zone(key))))
    if not query:
        return rows
    needle = fold_text(query)
    matches = [r for r in rows if needle in fold_text(r["name"]) or needle in fold_text(r["tz"])]
    try:
        zone = resolve_zone(query, cities=cities, local=local)
    except ZoneError:
        return matches
    resolved = _row(query, zone.kind, zone.name, now.astimezone(zone.tz))
    return [resolved, *(r for r in matches if r != resolved)]
