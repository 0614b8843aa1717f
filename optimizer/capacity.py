"""Free beds per premises and night, by bed group, and the few sums of them that decide who fits.

A bed group is the beds of a premises with one signature (the same room characteristics). A person fits
a bed whose signature includes every essential room characteristic they have; a resident holds a bed of
the group they are in, and a bed out of service leaves its group, so each group has a number of free beds
each night (never fewer than none: an over-full group simply has no bed for anybody else).

Whether the people placed on one night fit is a matching of people to free beds. By Hall's theorem it
exists exactly when, for every set U of bed groups, the people who fit no bed outside U are no more than
U's free beds. People with the same needs fit the same groups (their eligible set), so U need only range
over unions of eligible sets; and a union whose eligible sets fall into pieces sharing no group follows
from its pieces. So the Hall sets of a premises are the connected unions of the eligible sets of the
needs among the referrals, and "people who fit only U, present that night, at most U's free beds" for
each of them is exactly "everybody has a bed". They are few (national tier: 8 a premises at the median,
92 at most; never more than the subsets of its bed groups), and each is one more capacity row of the kind
the models already had (the beds in total are the Hall set of a referral with no needs). Beds are matched night by night: who sleeps in which bed is
decided after planning, and a person could have to change room part-way through a stay (see README).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from optimizer.schema import Instance, Premises, Referral, Resident

T = TypeVar("T")
Needs = frozenset[str]  # essential room characteristics
_per_instance: dict[int, tuple[weakref.ref, dict[str, object]]] = {}


def per_instance(instance: Instance, key: str, build: Callable[[], T]) -> T:
    """Memoise ``build()`` for this very instance object (by identity: hashing a whole instance is slow).

    Many callers (candidates, greedy, explanations, the model) need the same derived tables.
    """
    entry = _per_instance.get(id(instance))
    if entry is None or entry[0]() is not instance:
        entry = (weakref.ref(instance, lambda _, k=id(instance): _per_instance.pop(k, None)), {})
        _per_instance[id(instance)] = entry
    cache = entry[1]
    if key not in cache:
        cache[key] = build()
    return cache[key]


def plan_days(instance: Instance) -> int:
    """Days 0..D-1 covering the horizon, every resident's departure and every referral's latest departure."""
    ends = [instance.horizon_days]
    ends += [r.departure for r in instance.residents]
    ends += [r.latest_arrival + r.length_of_stay for r in instance.referrals]
    return max(ends)


def full_night_prefix(free: np.ndarray) -> np.ndarray:
    """Running count of nights with no free bed, with a leading zero on the last axis.

    Nights ``a .. a+L-1`` all have a free bed exactly when ``prefix[a+L] - prefix[a] == 0``: one subtraction
    answers "a free bed every night of the stay" for any arrival and length.
    """
    full = (free < 1).astype(np.int32)
    prefix = np.zeros(free.shape[:-1] + (free.shape[-1] + 1,), dtype=np.int32)
    np.cumsum(full, axis=-1, out=prefix[..., 1:])
    return prefix


def hall_sets(eligible: Iterable[int]) -> tuple[int, ...]:
    """The connected unions of the eligible sets (bitmasks over bed groups), sorted: grown from each set by
    adding any set that shares a group with the union so far, which reaches every connected union."""
    masks = sorted({m for m in eligible if m})
    found = set(masks)
    frontier = list(masks)
    while frontier:
        union = frontier.pop()
        for mask in masks:
            grown = union | mask
            if mask & union and grown not in found:
                found.add(grown)
                frontier.append(grown)
    return tuple(sorted(found))


@dataclass(frozen=True)
class BedLayout:
    """One premises' bed groups (signatures of groups with beds) and its Hall sets, as bitmasks over them."""

    groups: tuple[frozenset[str], ...]
    sets: tuple[int, ...]
    _eligible: dict[Needs, int] = field(default_factory=dict, compare=False, repr=False)
    _sets_for: dict[Needs, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, premises: Premises, needs: Iterable[Needs]) -> BedLayout:
        beds: dict[frozenset[str], int] = defaultdict(int)
        for group in premises.bed_groups:
            beds[group.characteristics] += group.beds
        groups = tuple(sorted((s for s, n in beds.items() if n > 0), key=sorted))
        without_sets = cls(groups, ())  # enough to say which groups each need fits
        return cls(groups, hall_sets(without_sets.eligible(n) for n in needs))

    def eligible(self, needs: Needs) -> int:
        """Bitmask of the groups whose beds a person with ``needs`` fits; 0 when none does."""
        if needs not in self._eligible:
            self._eligible[needs] = sum(1 << g for g, signature in enumerate(self.groups) if needs <= signature)
        return self._eligible[needs]

    def sets_for(self, needs: Needs) -> tuple[int, ...]:
        """Indices of the Hall sets a person with ``needs`` counts in (those holding every group they fit),
        fewest groups first: those run out first, so a check that fails usually fails at once."""
        if needs not in self._sets_for:
            mask = self.eligible(needs)
            found = [i for i, s in enumerate(self.sets) if mask and s & mask == mask]
            self._sets_for[needs] = tuple(sorted(found, key=lambda i: (self.sets[i].bit_count(), i)))
        return self._sets_for[needs]


class Beds:
    """Free beds left in each Hall set of each premises night by night, as people are booked in.

    ``free[row]`` is a (Hall sets, days) array; booking a stay takes one bed from every Hall set the person
    counts in, so a stay fits exactly when each of those still has a bed every night.
    """

    def __init__(self, premises_ids: Sequence[str], layouts: Sequence[BedLayout], free: Sequence[np.ndarray]):
        self.premises_ids = tuple(premises_ids)
        self.index = {pid: i for i, pid in enumerate(self.premises_ids)}
        self.layouts = tuple(layouts)
        self.free = list(free)
        self.days = self.free[0].shape[1] if self.free else 0

    def copy(self) -> Beds:
        return Beds(self.premises_ids, self.layouts, [a.copy() for a in self.free])

    def room_for(self, needs: Needs) -> np.ndarray:
        """(premises, days) how many more people with ``needs`` fit each night: the fewest free beds among
        the Hall sets they count in, nought where no bed fits them."""
        room = np.zeros((len(self.layouts), self.days), dtype=np.int32)
        for row in range(len(self.layouts)):
            sets = self.layouts[row].sets_for(needs)
            if sets:
                room[row] = self.free[row][list(sets)].min(axis=0)
        return room

    def fits(self, referral: Referral, premises_id: str, arrival: int) -> bool:
        row = self.index[premises_id]
        sets = self.layouts[row].sets_for(referral.essential_room)
        free = self.free[row]
        end = arrival + referral.length_of_stay
        return bool(sets) and all(free[s, arrival:end].min() >= 1 for s in sets)  # slices: no fancy indexing

    def book(self, referral: Referral, premises_id: str, arrival: int) -> None:
        row = self.index[premises_id]
        end = arrival + referral.length_of_stay
        for s in self.layouts[row].sets_for(referral.essential_room):
            self.free[row][s, arrival:end] -= 1


def free_by_group(premises: Premises, residents: Iterable[Resident], layout: BedLayout, days: int) -> np.ndarray:
    """(groups, days) beds in service and not held by one of the premises' ``residents``, never below nought."""
    position = {signature: g for g, signature in enumerate(layout.groups)}
    diff = np.zeros((len(layout.groups), days + 1), dtype=np.int32)

    def book(signature: frozenset[str], start: int, end: int, amount: int) -> None:
        start, end = max(start, 0), min(end, days)
        if signature in position and start < end:
            diff[position[signature], start] += amount
            diff[position[signature], end] -= amount

    for group in premises.bed_groups:
        book(group.characteristics, 0, days, group.beds)
    for out in premises.beds_out:
        book(out.characteristics, out.start, out.end, -out.beds)
    for resident in residents:
        book(resident.bed_characteristics, resident.arrival, resident.departure, -1)
    return np.maximum(np.cumsum(diff, axis=1)[:, :days], 0)


def _compute(instance: Instance) -> Beds:
    days = plan_days(instance)
    needs = {r.essential_room for r in instance.referrals}
    residents: dict[str, list[Resident]] = defaultdict(list)
    for resident in instance.residents:
        residents[resident.premises_id].append(resident)
    layouts, free = [], []
    for premises in instance.premises:
        layout = BedLayout.of(premises, needs)
        by_group = free_by_group(premises, residents[premises.id], layout, days)
        members = np.array([[s >> g & 1 for g in range(len(layout.groups))] for s in layout.sets],
                           dtype=np.int32).reshape(len(layout.sets), len(layout.groups))
        in_sets = members @ by_group
        in_sets.flags.writeable = False
        layouts.append(layout)
        free.append(in_sets)
    return Beds([p.id for p in instance.premises], layouts, free)


def base_capacity(instance: Instance) -> Beds:
    """Free beds per Hall set and night after out-of-service beds and residents (memoised per instance;
    its arrays are read-only because they are shared: ``copy()`` it to book people in)."""
    return per_instance(instance, "base_capacity", lambda: _compute(instance))


def base_full_prefix(instance: Instance, needs: Needs) -> np.ndarray:
    """``full_night_prefix`` of ``base_capacity(instance).room_for(needs)``, worked out once per needs."""
    prefixes = per_instance(instance, "base full prefixes", dict)
    if needs not in prefixes:
        prefixes[needs] = full_night_prefix(base_capacity(instance).room_for(needs))
    return prefixes[needs]


def free_every_night(prefix: np.ndarray, referral: Referral, rows: np.ndarray, arrivals: np.ndarray) -> np.ndarray:
    """True where a stay of ``referral`` arriving on ``arrivals`` at premises ``rows`` (arrays that broadcast
    together) fits every night; ``prefix`` is the ``full_night_prefix`` of the room for its needs."""
    return prefix[rows, arrivals + referral.length_of_stay] == prefix[rows, arrivals]


def by_hall_set(
    layout: BedLayout, free: np.ndarray, items: Iterable[T], needs_of: Callable[[T], Needs]
) -> dict[int, list[T]]:
    """``items`` (stays at one premises) listed under each Hall set whose row they need, sets in order.

    A set is left out when its items fit only a smaller Hall set with no more ``free`` beds (the premises'
    (Hall sets, days) array) on any night: that one holds the same items, so its row implies this one. So
    the rows stay exact, and a model of a few needs gets only the rows of those needs. With nothing booked
    a smaller set never has more free beds; once some people are held in place (a neighbourhood of the local
    search) it can, when somebody held fits beds of the larger set only, and then both rows are needed.
    """
    found: dict[int, list[T]] = defaultdict(list)
    covered: dict[int, int] = defaultdict(int)
    for item in items:
        needs = needs_of(item)
        for s in layout.sets_for(needs):
            found[s].append(item)
            covered[s] |= layout.eligible(needs)
    position = {mask: i for i, mask in enumerate(layout.sets)}

    def implied(s: int) -> bool:
        smaller = position.get(covered[s])
        return covered[s] != layout.sets[s] and smaller is not None and bool((free[smaller] <= free[s]).all())

    return {s: found[s] for s in sorted(found) if not implied(s)}
