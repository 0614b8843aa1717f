"""Non-associates never share a premises on the same day, whichever of the two named the other.

Against fixed people (residents, and placements held fixed by the local search) this is a domain filter
on candidates; between two referrals being decided it is a clique per shared premises and arrival day:
two stays overlap exactly when one of them covers the day the other arrives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from optimizer.candidates import Candidate
from optimizer.schema import Assignment, Referral, non_associate_pairs, stays_overlap
from optimizer.variables import ModelParts

T = TypeVar("T")
Stay = tuple[int, int, T]  # arrival, departure, and what the model chooses the stay by


def clashes(first: Sequence[Stay], second: Sequence[Stay]) -> list[list[T]]:
    """Stays of two non-associates at one premises: for each arrival day that stays of both cover, the
    stays covering it, of which at most one may be chosen (the CP-SAT model and the MIP peer both ask)."""
    stays = [(*stay, 0) for stay in first] + [(*stay, 1) for stay in second]
    groups = []
    for day in sorted({arrival for arrival, _, _, _ in stays}):
        here = [(chosen_by, side) for arrival, departure, chosen_by, side in stays if arrival <= day < departure]
        if len({side for _, side in here}) == 2:
            groups.append([chosen_by for chosen_by, _ in here])
    return groups


def add(pm: ModelParts) -> None:
    for first, second in sorted(non_associate_pairs(tuple(pm.referrals))):
        at: dict[str, tuple[list[Stay], list[Stay]]] = defaultdict(lambda: ([], []))
        for side, referral_id in enumerate((first, second)):
            for c in pm.vars.by_referral.get(referral_id, ()):
                at[c.premises.id][side].append((c.arrival, c.departure, c.var))
        for one, other in at.values():
            for group in clashes(one, other):
                pm.model.add_at_most_one(group)


def without_clashes(
    referrals: Mapping[str, Referral],
    candidates: Mapping[str, Sequence[Candidate]],
    held: Iterable[Assignment],
) -> dict[str, list[Candidate]]:
    """Drop candidates that would meet a non-associate whose placement is held fixed."""
    stays = {a.referral_id: a for a in held if a.premises_id is not None}
    rivals: dict[str, list[Assignment]] = defaultdict(list)
    for first, second in non_associate_pairs(tuple(referrals.values())):
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
    return c.premises_id == other.premises_id and stays_overlap(
        c.arrival, c.arrival + referral.length_of_stay, other.arrival, other.arrival + other_referral.length_of_stay
    )
