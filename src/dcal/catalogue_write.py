"""Writing a catalogue (TOML or JSON) from loaded, validated sessions.

What is written is what dcal understood, not what the source said: wall clocks are
the instants dcal will read back (a time in a DST gap is written as the time it became),
and everything is in dcal's own field names and order, so the file loads to the same
sessions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TextIO

from dcal.catalogue import LIST_FIELDS
from dcal.importing import wall_text
from dcal.model import Catalogue, Session

# Bare TOML keys need no quotes; anything else (a city with an accent) is quoted.
_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def session_entry(session: Session) -> dict[str, Any]:
    """A session as a catalogue entry: its fields in the catalogue's order, empty ones left out."""
    entry: dict[str, Any] = {"id": session.id, "title": session.title, "event": session.event}
    if session.start is not None and session.end is not None and session.zone is not None:
        entry["timezone"] = session.zone.text
        entry["start"] = session.start.astimezone(session.zone.wall).replace(tzinfo=None)
        entry["end"] = session.end.astimezone(session.zone.wall).replace(tzinfo=None)
    elif session.date is not None:
        entry["date"] = session.date
        if session.end_date is not None and session.end_date != session.date:
            entry["end_date"] = session.end_date
    for name in ("announced", "mode", "location", "url"):
        entry[name] = getattr(session, name)
    for name in LIST_FIELDS:
        entry[name] = list(getattr(session, name))
    for name in ("summary", "report"):
        entry[name] = getattr(session, name)
    for lang, fields in sorted(session.translations.items()):
        for name, value in fields.items():
            entry[f"{name}_{lang}"] = list(value) if isinstance(value, tuple) else value
    entry["revision"] = session.revision
    return {key: value for key, value in entry.items() if value not in (None, [], 0)}


def catalogue_mapping(catalogue: Catalogue) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": catalogue.name,
        "url": catalogue.url,
        "timezone": catalogue.timezone,
        "updated": catalogue.updated,
        "description": catalogue.description,
    }
    meta = {key: value for key, value in meta.items() if value is not None}
    if catalogue.cities:
        meta["cities"] = dict(catalogue.cities)
    return {"catalogue": meta, "sessions": [session_entry(s) for s in catalogue.sessions]}


def write_json(mapping: Mapping[str, Any], out: TextIO) -> None:
    from dcal.render import to_json

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, datetime):
            # A wall clock is written as the catalogue's own "YYYY-MM-DD HH:MM" text.
            return wall_text(value) if value.tzinfo is None else value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return value

    out.write(to_json(plain(mapping), indent=1) + "\n")


def write_toml(mapping: Mapping[str, Any], out: TextIO) -> None:
    meta = mapping.get("catalogue") or {}
    plain = {key: value for key, value in meta.items() if not isinstance(value, dict)}
    if plain:
        out.write("[catalogue]\n")
        _write_pairs(plain, out)
    for key, value in meta.items():
        if isinstance(value, dict):
            out.write(f"\n[catalogue.{_key(key)}]\n")
            _write_pairs(value, out)
    for entry in mapping.get("sessions", []):
        out.write("\n[[sessions]]\n")
        _write_pairs(entry, out)


def _write_pairs(table: Mapping[str, Any], out: TextIO) -> None:
    for key, value in table.items():
        out.write(f"{_key(key)} = {toml_value(value)}\n")


def _key(key: str) -> str:
    return key if key and set(key) <= _BARE_KEY else toml_string(key)


def toml_value(value: Any) -> str:
    """A TOML value: text, whole numbers, dates, date-times and lists of these."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        text = value.isoformat()
        return text.replace("+00:00", "Z") if value.tzinfo is not None else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def toml_string(text: str) -> str:
    """A TOML basic string. JSON's escapes are TOML's, except that TOML also escapes DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
