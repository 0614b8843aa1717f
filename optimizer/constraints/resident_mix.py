"""Resident mix: each person above a premises' cap (very high RoSH, MAPPA level 3, high risk to staff)
costs ``mix_overflow_per_resident_day`` per day. Soft: it prices plans rather than forbidding them.

Fixed people alone may already be over a cap: that part is a constant. On such days everybody placed
is over too, so it is a plain cost per chosen stay. On days with room under the cap, the overflow is a
variable bounded below by "placed - room", one per stretch of days where both are constant, with "placed"
kept as a running count.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from optimizer.constraints.timeline import check_days, running_counts
from optimizer.costs import mix_cap_values, mix_flags
from optimizer.variables import Choice, ModelParts


def add(pm: ModelParts) -> None:
    weight = pm.instance.weights.mix_overflow_per_resident_day
    for premises in pm.instance.premises:
        row = pm.fixed.row[premises.id]
        for k, cap in enumerate(mix_cap_values(premises)):
            if cap is None:
                continue
            room = cap - pm.fixed.mix[row, k].astype(np.int64)
            pm.offset += weight * int(np.maximum(-room, 0).sum())
            counted = [c for c in pm.vars.by_premises.get(premises.id, ()) if mix_flags(c.referral.risk)[k]]
            if counted:
                _price_full_days(pm, counted, room, weight)
                _price_days_with_room(pm, counted, room, weight)


def _price_full_days(pm: ModelParts, choices: list[Choice], room: np.ndarray, weight: int) -> None:
    """On days the cap is already reached, each chosen stay adds one person over it."""
    full_before = np.concatenate(([0], np.cumsum(room <= 0)))
    for c in choices:
        days = int(full_before[c.departure] - full_before[c.arrival])
        if days:
            pm.add_soft(c.var, weight * days)


def _price_days_with_room(pm: ModelParts, choices: list[Choice], room: np.ndarray, weight: int) -> None:
    """Where there is room under the cap, the overflow is max(0, placed - room) on each stretch of days
    with nobody arriving or leaving and the room unchanged. "Placed" is a running count (plus arrivals,
    minus departures), so each stay appears in two rows however long it is."""
    changes = np.flatnonzero(room[1:] != room[:-1]) + 1
    days = check_days(choices, [*changes.tolist(), *(c.departure for c in choices)])
    ends = [*days[1:], max(c.departure for c in choices)]
    count = None
    for day, end, (came, left, most) in zip(days, ends, running_counts(choices, days)):
        terms = [c.var for c in came] + [c.var for c in left] + ([count] if count is not None else [])
        signs = [1] * len(came) + [-1] * len(left) + ([1] if count is not None else [])
        count = pm.new_int(0, most)
        pm.model.add(count == cp_model.LinearExpr.weighted_sum(terms, signs))
        pm.derive(count, lambda value, t=terms, s=signs: sum(k * value(v) for v, k in zip(t, s)))
        space = int(room[day])
        if space <= 0 or most <= space:
            continue
        over = pm.new_int(0, most - space)
        pm.model.add(over >= count - space)
        pm.derive(over, lambda value, n=count, s=space: max(0, value(n) - s))
        pm.add_soft(over, weight * (end - day))
