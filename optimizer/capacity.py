"""Free beds per premises and day before any referral is placed.

Counted the way the national service counts them: for a room characteristic c, the beds with c, minus the
out-of-service beds with c, minus the stays that require c; in total, all beds minus out-of-service beds
minus all stays. Beds inside a premises are interchangeable, so rooms are assigned after planning.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import numpy as np

from optimizer.schema import ROOM_CHARACTERISTICS, Instance, Referral

T = TypeVar("T")
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


def bed_kinds(referral: Referral) -> tuple[str | None, ...]:
    """The counts a stay uses a bed of, every night: beds in total (None) and beds with each essential room
    characteristic of the referral (each counted on its own, like the national service counts them)."""
    return (None, *sorted(referral.essential_room))


def full_night_prefix(free: np.ndarray) -> np.ndarray:
    """Running count of nights with no free bed, with a leading zero on the last axis.

    Nights ``a .. a+L-1`` all have a free bed exactly when ``prefix[a+L] - prefix[a] == 0``: one subtraction
    answers "a free bed every night of the stay" for any arrival and length.
    """
    full = (free < 1).astype(np.int32)
    prefix = np.zeros(free.shape[:-1] + (free.shape[-1] + 1,), dtype=np.int32)
    np.cumsum(full, axis=-1, out=prefix[..., 1:])
    return prefix


@dataclass
class Capacity:
    """Free beds on each day, per premises (rows in ``premises_ids`` order) in total and per characteristic.

    The arrays are read-only because they are shared; copy them to book people in.
    """

    days: int
    premises_ids: tuple[str, ...]
    total: np.ndarray  # (premises, days)
    by_characteristic: dict[str, np.ndarray]  # room characteristic -> (premises, days)
    index: dict[str, int] = field(init=False)
    _prefixes: dict[str | None, np.ndarray] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.index = {pid: i for i, pid in enumerate(self.premises_ids)}

    def free(self, characteristic: str | None = None) -> np.ndarray:
        """(premises, days) free beds in total (None) or with the room characteristic."""
        return self.total if characteristic is None else self.by_characteristic[characteristic]

    def full_prefix(self, characteristic: str | None = None) -> np.ndarray:
        """``full_night_prefix`` of ``free(characteristic)``, computed once."""
        if characteristic not in self._prefixes:
            self._prefixes[characteristic] = full_night_prefix(self.free(characteristic))
        return self._prefixes[characteristic]


def _book(diff: np.ndarray, row: int, start: int, end: int, amount: int, days: int) -> None:
    start, end = max(start, 0), min(end, days)
    if start < end:
        diff[row, start] += amount
        diff[row, end] -= amount


def _compute(instance: Instance) -> Capacity:
    days = plan_days(instance)
    ids = tuple(p.id for p in instance.premises)
    row = {pid: i for i, pid in enumerate(ids)}
    keys = [None, *sorted(ROOM_CHARACTERISTICS)]
    diffs = {key: np.zeros((len(ids), days + 1), dtype=np.int32) for key in keys}

    def applies(key: str | None, characteristics: frozenset[str]) -> bool:
        return key is None or key in characteristics

    for premises in instance.premises:
        i = row[premises.id]
        for key in keys:
            beds = sum(g.beds for g in premises.bed_groups if applies(key, g.characteristics))
            _book(diffs[key], i, 0, days, beds, days)
            for out in premises.beds_out:
                if applies(key, out.characteristics):
                    _book(diffs[key], i, out.start, out.end, -out.beds, days)
    for resident in instance.residents:
        for key in keys:
            if applies(key, resident.room_characteristics):
                _book(diffs[key], row[resident.premises_id], resident.arrival, resident.departure, -1, days)

    free = {key: np.cumsum(diff, axis=1)[:, :days] for key, diff in diffs.items()}
    for array in free.values():
        array.flags.writeable = False
    total = free.pop(None)
    return Capacity(days, ids, total, free)


def base_capacity(instance: Instance) -> Capacity:
    """Free beds per premises and day after out-of-service beds and fixed residents (memoised per instance)."""
    return per_instance(instance, "base_capacity", lambda: _compute(instance))


def free_every_night(
    full_prefix: Callable[[str | None], np.ndarray], referral: Referral, rows: np.ndarray, arrivals: np.ndarray
) -> np.ndarray:
    """True where a stay of ``referral`` arriving on ``arrivals`` at premises ``rows`` (arrays that broadcast
    together) has a free bed of every kind it needs each night; ``full_prefix(kind)`` is the
    ``full_night_prefix`` of the free beds of that kind."""
    ends = arrivals + referral.length_of_stay
    ok = np.ones(np.broadcast_shapes(np.shape(rows), np.shape(arrivals)), dtype=bool)
    for kind in bed_kinds(referral):
        prefix = full_prefix(kind)
        ok &= prefix[rows, ends] == prefix[rows, arrivals]
    return ok


class Beds:
    """Free beds left as people are booked in, in total and per room characteristic."""

    def __init__(self, capacity: Capacity):
        self.index = capacity.index
        self.free = {None: capacity.total.copy()}
        self.free.update({c: a.copy() for c, a in capacity.by_characteristic.items()})

    def fits(self, referral: Referral, premises_id: str, arrival: int) -> bool:
        nights = slice(arrival, arrival + referral.length_of_stay)
        row = self.index[premises_id]
        return all(self.free[key][row, nights].min() >= 1 for key in bed_kinds(referral))

    def book(self, referral: Referral, premises_id: str, arrival: int) -> None:
        nights = slice(arrival, arrival + referral.length_of_stay)
        for key in bed_kinds(referral):
            self.free[key][self.index[premises_id], nights] -= 1
