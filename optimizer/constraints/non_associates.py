"""Non-associates never share a premises on the same day, whichever of the two named the other.

Against fixed people (residents, and placements held fixed by the local search) this is a domain filter
on candidates; between two referrals being decided it is a clique per shared premises and arrival day:
two stays overlap exactly when one of them covers the day the other arrives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from optimizer.candidates import Candidate
from optimizer.schema import Assignment, Referral

if TYPE_CHECKING:
    from optimizer.model import PlacementModel


def pairs(referrals: Iterable[Referral]) -> set[frozenset[str]]:
    """Unordered pairs of referral ids that must not meet (named by either side)."""
    referrals = list(referrals)
    ids = {r.id for r in referrals}
    return {frozenset((r.id, other)) for r in referrals for other in r.non_associates if other in ids and other != r.id}


def add(pm: PlacementModel) -> None:
    by_referral = pm.vars.by_referral
    for pair in pairs(pm.referrals):
        first, second = sorted(pair)
        at: dict[str, list] = defaultdict(list)
        for choice in (*by_referral.get(first, ()), *by_referral.get(second, ())):
            at[choice.premises.id].append(choice)
        for choices in at.values():
            if len({c.referral.id for c in choices}) < 2:
                continue
            for day in sorted({c.arrival for c in choices}):
                present = [c.var for c in choices if c.arrival <= day < c.departure]
                if len({c.referral.id for c in choices if c.arrival <= day < c.departure}) == 2:
                    pm.model.add_at_most_one(present)


def without_clashes(
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    held: Iterable[Assignment],
) -> dict[str, list[Candidate]]:
    """Drop candidates that would meet a non-associate whose placement is held fixed."""
    stays = {a.referral_id: a for a in held if a.premises_id is not None}
    rivals: dict[str, list[Assignment]] = defaultdict(list)
    for pair in pairs(referrals.values()):
        first, second = sorted(pair)
        if first in candidates and second in stays:
            rivals[first].append(stays[second])
        if second in candidates and first in stays:
            rivals[second].append(stays[first])
    return {
        rid: [c for c in options
              if not any(_meet(c, referrals[rid], a, referrals[a.referral_id]) for a in rivals.get(rid, ()))]
        for rid, options in candidates.items()
    }


def _meet(c: Candidate, referral: Referral, other: Assignment, other_referral: Referral) -> bool:
    return (c.premises_id == other.premises_id
            and c.arrival < other.arrival + other_referral.length_of_stay
            and other.arrival < c.arrival + referral.length_of_stay)
