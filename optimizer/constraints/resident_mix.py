"""Resident mix: each person above a premises' cap (very high RoSH, MAPPA level 3, high risk to staff)
costs ``mix_overflow_per_resident_day`` per day. Soft, so it adds costs rather than forbidding anything.

Fixed people alone may already be over a cap: that part is a constant. What a plan adds is
max(0, fixed + placed - cap) - max(0, fixed - cap) on each day, which is exactly "placed" when fixed people
already fill the cap and a variable bounded below by "fixed + placed - cap" otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from optimizer.constraints.timeline import check_days, running_counts
from optimizer.costs import mix_cap_values, mix_flags

if TYPE_CHECKING:
    from optimizer.model import Choice, PlacementModel


def add(pm: PlacementModel) -> None:
    weight = pm.instance.weights.mix_overflow_per_resident_day
    for premises in pm.instance.premises:
        row = pm.fixed.row[premises.id]
        for k, cap in enumerate(mix_cap_values(premises)):
            if cap is None:
                continue
            fixed = pm.fixed.mix[row, k]
            pm.offset += weight * int(np.maximum(fixed - cap, 0).sum())
            counted = [c for c in pm.vars.by_premises.get(premises.id, ()) if mix_flags(c.referral.risk)[k]]
            if counted:
                _price_overflow(pm, counted, fixed, cap, weight)


def _price_overflow(pm: PlacementModel, choices: list[Choice], fixed: np.ndarray, cap: int, weight: int) -> None:
    changes = np.flatnonzero(fixed[1:] != fixed[:-1]) + 1
    departures = [c.departure for c in choices]
    days = check_days(choices, [*changes.tolist(), *departures])
    ends = [*days[1:], max(departures)]
    for count, end in zip(running_counts(pm, choices, days), ends):
        if count.var is None:
            continue
        headroom = cap - int(fixed[count.day])
        if headroom <= 0:
            pm.add_soft(count.var, weight * (end - count.day))
        elif count.most > headroom:
            over = pm.new_int(0, count.most - headroom)
            pm.model.add(over >= count.var - headroom)
            pm.derive(over, lambda value, v=count.var, h=headroom: max(0, value(v) - h))
            pm.add_soft(over, weight * (end - count.day))

