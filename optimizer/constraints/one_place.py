"""Each referral is placed at most once: one premises and one arrival day, or unplaced."""

from __future__ import annotations

from optimizer.variables import ModelParts


def add(pm: ModelParts) -> None:
    for choices in pm.vars.by_referral.values():
        if len(choices) > 1:
            pm.model.add_at_most_one(c.var for c in choices)
