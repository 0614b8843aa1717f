"""Free beds per premises and day, in total and for each room characteristic a referral requires.

Counted like the national service: a stay requiring characteristic c uses one of the beds with c, and
every stay uses one bed in total. One row per premises and checked day lists the stays present that day
(see ``timeline``); with rows only where beds could run out, CP-SAT's cuts on these rows bound the
problem far better than running totals do.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from optimizer.constraints.timeline import binding_rows, check_days
from optimizer.variables import Choice, ModelParts


def add(pm: ModelParts) -> None:
    for premises_id, choices in pm.vars.by_premises.items():
        row = pm.fixed.row[premises_id]
        for key, subset in _by_bed_kind(choices).items():
            free = pm.fixed.free[key][row]
            drops = np.flatnonzero(free[1:] < free[:-1]) + 1
            days = check_days(subset, drops.tolist())
            for here, limit in binding_rows(subset, days, free[days]):
                pm.model.add(cp_model.LinearExpr.sum([c.var for c in here]) <= limit)


def _by_bed_kind(choices: list[Choice]) -> dict[str | None, list[Choice]]:
    """None: all choices (beds in total); characteristic c: the choices whose referral requires c."""
    kinds: dict[str | None, list[Choice]] = defaultdict(list)
    kinds[None] = list(choices)
    for c in choices:
        for characteristic in c.referral.essential_room:
            kinds[characteristic].append(c)
    return kinds
