"""Filters over the bundled catalogue: what a reader of the seeds expects to find."""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import BUNDLED

from dcal.catalogue import load_catalogue
from dcal.filters import Filters, facet_counts, facet_key, filter_sessions
from dcal.model import Session


@pytest.fixture(scope="module")
def sessions() -> tuple[Session, ...]:
    return load_catalogue(str(BUNDLED)).sessions


def ids(sessions: tuple[Session, ...], **kwargs: object) -> set[str]:
    return {s.id for s in filter_sessions(sessions, Filters(**kwargs))}  # type: ignore[arg-type]


def test_no_filter_keeps_everything(sessions: tuple[Session, ...]) -> None:
    assert len(filter_sessions(sessions, Filters())) == len(sessions)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"themes": ("biodiversity",)}, {"dc2020-biodiversity-cop"}),
        ({"themes": ("decarbonization",)}, {"dc2020-pathways-to-zero"}),
        ({"themes": ("Green Recovery",)}, {"dc2020-green-recovery"}),
        (
            {"themes": ("biodiversity", "decarbonization")},
            {"dc2020-biodiversity-cop", "dc2020-pathways-to-zero"},
        ),
        ({"cities": ("Yokohama",)}, {"dc2020-green-recovery"}),
        ({"cities": ("横浜市",)}, {"dc2020-green-recovery"}),
        ({"cities": ("Kitakyushu",)}, {"dc2025-high-level-dialogue"}),
        ({"cities": ("belem",)}, {"dc2025-cop30"}),
        ({"cities": ("BELÉM",)}, {"dc2025-cop30"}),
        ({"cities": ("ｂｅｌｅｍ",)}, {"dc2025-cop30"}),
        (
            {"cities": ("Bonn",)},
            {"dc2025-series", "dc2025-bonn-dialogues", "dc2025-high-level-dialogue"},
        ),
        (
            {"cities": ("Bonn",), "themes": ("champ",), "modes": ("in-person",)},
            {"dc2025-bonn-dialogues", "dc2025-high-level-dialogue"},
        ),
        (
            {"events": ("2020",), "modes": ("online",)},
            {
                "dc2020-forum",
                "dc2020-green-recovery",
                "dc2020-pathways-to-zero",
                "dc2020-biodiversity-cop",
            },
        ),
        ({"ids": ("dc2025-cop30", "nope")}, {"dc2025-cop30"}),
        ({"search": "koizumi"}, {"dc2020-green-recovery"}),
        ({"search": "小泉"}, {"dc2020-green-recovery"}),
        ({"search": "IUCN"}, {"dc2020-biodiversity-cop"}),
        ({"search": "montreal"}, {"dc2020-biodiversity-cop"}),
        ({"search": "no such words"}, set()),
        (
            {"since": date(2025, 6, 17), "until": date(2025, 6, 17)},
            {"dc2025-series", "dc2025-bonn-dialogues"},
        ),
        (
            {"since": date(2025, 6, 18), "until": date(2025, 6, 18)},
            {"dc2025-series", "dc2025-bonn-dialogues", "dc2025-high-level-dialogue"},
        ),
        (
            {"since": date(2020, 10, 22), "until": date(2020, 10, 22)},
            {"dc2020-forum", "dc2020-pathways-to-zero", "dc2020-biodiversity-cop"},
        ),
        ({"since": date(2025, 11, 1)}, {"dc2025-cop30"}),
        ({"until": date(2020, 10, 21)}, {"dc2020-forum", "dc2020-green-recovery"}),
    ],
)
def test_filters(
    sessions: tuple[Session, ...], kwargs: dict[str, object], expected: set[str]
) -> None:
    assert ids(sessions, **kwargs) == expected


def test_date_filters_leave_out_tba(sessions: tuple[Session, ...]) -> None:
    assert not any(i.startswith("dc2025-reflect") for i in ids(sessions, since=date(2000, 1, 1)))


def test_filters_keep_time_order(sessions: tuple[Session, ...]) -> None:
    kept = filter_sessions(sessions, Filters(events=("2025",)))
    assert [s.id for s in kept][-2:] == ["dc2025-reflect-1", "dc2025-reflect-2"]


def test_facet_key() -> None:
    assert facet_key("Green Recovery") == facet_key("green_recovery") == facet_key("green-recovery")


def test_facet_counts(sessions: tuple[Session, ...]) -> None:
    counts = dict(facet_counts(sessions, "themes"))
    assert counts["biodiversity"] == 1
    assert counts["multilevel-governance"] == 5
    cities = facet_counts(sessions, "cities")
    assert cities[0] == ("Bonn", 3)
