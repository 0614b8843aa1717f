"""Free beds per premises and day, in total and for each room characteristic a referral requires.

Counted like the national service: a stay requiring characteristic c uses one of the beds with c, and
every stay uses one bed in total. Only days where a new stay can begin, or where fewer beds are free
than the day before, can be the first day over capacity, so only those days are checked.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from optimizer.constraints.timeline import check_days, most_present, running_counts

if TYPE_CHECKING:
    from optimizer.model import Choice, PlacementModel


def add(pm: PlacementModel) -> None:
    for premises_id, choices in pm.vars.by_premises.items():
        row = pm.fixed.row[premises_id]
        for key, subset in _by_bed_kind(choices).items():
            _limit(pm, subset, pm.fixed.free[key][row])


def _by_bed_kind(choices: list[Choice]) -> dict[str | None, list[Choice]]:
    """None: all choices (beds in total); characteristic c: the choices whose referral requires c."""
    kinds: dict[str | None, list[Choice]] = defaultdict(list)
    kinds[None] = list(choices)
    for c in choices:
        for characteristic in c.referral.essential_room:
            kinds[characteristic].append(c)
    return kinds


def _limit(pm: PlacementModel, choices: list[Choice], free: np.ndarray) -> None:
    drops = np.flatnonzero(free[1:] < free[:-1]) + 1
    days = check_days(choices, drops.tolist())
    allowed = free[days]
    if all(most <= bound for most, bound in zip(most_present(choices, days), allowed)):
        return
    running_counts(pm, choices, days, allowed)
