"""Free beds per premises and night for the people who fit only the beds of each Hall set.

Every placement needs one bed whose characteristics include all its essential room characteristics, and
on each night everybody present must have one: by Hall's theorem (see ``optimizer.capacity``) that is one
row per Hall set, "people present who fit only its beds <= its free beds", the beds in total among them.
One row per premises, Hall set and checked day lists the stays present that day (see ``timeline``); with
rows only where beds could run out, CP-SAT's cuts on these rows bound the problem far better than
running totals do.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from optimizer.capacity import by_hall_set
from optimizer.constraints.timeline import binding_rows, check_days
from optimizer.variables import ModelParts


def add(pm: ModelParts) -> None:
    beds = pm.fixed.beds
    for premises_id, choices in pm.vars.by_premises.items():
        row = beds.index[premises_id]
        for s, subset in by_hall_set(beds.layouts[row], beds.free[row], choices,
                                     lambda c: c.referral.essential_room).items():
            free = beds.free[row][s]
            drops = np.flatnonzero(free[1:] < free[:-1]) + 1
            days = check_days(subset, drops.tolist())
            for here, limit in binding_rows(subset, days, free[days]):
                pm.model.add(cp_model.LinearExpr.sum([c.var for c in here]) <= limit)
