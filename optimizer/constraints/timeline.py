"""Running counts of chosen stays over the days of one premises, shared by capacity and resident mix.

Summing every stay that covers every day would put each choice in ~80 day constraints. Instead the
count on each check day is a variable defined from the one before: plus the stays arriving that day,
minus those that left since. Each choice then appears twice, and the LP relaxation is the same as the
per-day sums because the chain telescopes back to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from optimizer.model import Choice, PlacementModel


@dataclass(frozen=True)
class Count:
    """How many chosen stays are present on ``day`` (``var`` None when nobody can be there)."""

    day: int
    var: cp_model.IntVar | None
    most: int  # how many choices could be present: the count never exceeds this


def check_days(choices: Sequence[Choice], extra: Iterable[int] = ()) -> list[int]:
    """Every arrival day (where counts grow) plus ``extra`` days, inside the span of the stays."""
    first = min(c.arrival for c in choices)
    last = max(c.departure for c in choices)
    return sorted({c.arrival for c in choices} | {d for d in extra if first <= d < last})


def most_present(choices: Sequence[Choice], days: Sequence[int]) -> list[int]:
    """For each of the sorted ``days``, how many choices cover it (a sweep over arrivals and departures)."""
    changes: dict[int, int] = defaultdict(int)
    for c in choices:
        changes[c.arrival] += 1
        changes[c.departure] -= 1
    steps = sorted(changes.items())
    counts, present, i = [], 0, 0
    for day in days:
        while i < len(steps) and steps[i][0] <= day:
            present += steps[i][1]
            i += 1
        counts.append(present)
    return counts


def running_counts(
    pm: PlacementModel, choices: Sequence[Choice], days: Sequence[int], upper: Sequence[int] | None = None
) -> list[Count]:
    """Chained count variables on the sorted ``days`` (which must include every arrival day).

    ``upper[i]``, when given, caps the count on ``days[i]``: that is how capacity is imposed.
    """
    arriving: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    leaving: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for c in choices:
        arriving[c.arrival].append(c.var)
        leaving[c.departure].append(c.var)
    departure_days = sorted(leaving)
    counts: list[Count] = []
    previous: cp_model.IntVar | None = None
    previous_day, j = -1, 0
    for i, (day, most) in enumerate(zip(days, most_present(choices, days))):
        left: list[cp_model.IntVar] = []
        while j < len(departure_days) and departure_days[j] <= day:
            if departure_days[j] > previous_day:
                left += leaving[departure_days[j]]
            j += 1
        came = arriving.get(day, [])
        if most == 0:
            previous = None
        else:
            high = most if upper is None else max(0, min(most, int(upper[i])))
            var = pm.new_int(0, high)
            terms = [var, *came, *left] + ([previous] if previous is not None else [])
            signs = [1] + [-1] * len(came) + [1] * len(left) + ([-1] if previous is not None else [])
            pm.model.add(cp_model.LinearExpr.weighted_sum(terms, signs) == 0)
            pm.derive(var, lambda value, p=previous, a=came, l=left: (
                (value(p) if p is not None else 0) + sum(value(v) for v in a) - sum(value(v) for v in l)))
            previous = var
        counts.append(Count(day, previous, most))
        previous_day = day
    return counts
