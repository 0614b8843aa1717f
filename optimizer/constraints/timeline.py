"""Which chosen stays are present on which days of one premises, shared by capacity and resident mix.

A count of people present can only rise on a day somebody may arrive, so only those days (and days where
the limit itself drops) need checking; and a day whose stays are all still there on the next checked day,
with a limit no lower, is implied by it and left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from optimizer.variables import Choice


def check_days(choices: Sequence[Choice], extra: Iterable[int] = ()) -> list[int]:
    """Every arrival day plus ``extra`` days, inside the span of the stays, sorted."""
    first = min(c.arrival for c in choices)
    last = max(c.departure for c in choices)
    return sorted({c.arrival for c in choices} | {d for d in extra if first <= d < last})


def binding_rows(choices: Sequence[Choice], days: Sequence[int], limits: Sequence[int]) -> list[tuple[list[Choice], int]]:
    """(stays present, limit) on each of the sorted ``days`` where more stays could be present than the
    limit allows, leaving out days implied by the next one."""
    arrivals = np.array([c.arrival for c in choices])
    departures = np.array([c.departure for c in choices])
    day = np.asarray(days)
    limit = np.asarray(limits)
    here = (arrivals[None, :] <= day[:, None]) & (departures[None, :] > day[:, None])  # (days, choices)
    count = here.sum(axis=1)
    # Day i is implied by day i+1 when nobody present on day i has left by day i+1 and the limit is no higher.
    stays_on = np.ones(len(days), dtype=bool)
    if len(days) > 1:
        stays_on[:-1] = ~(here[:-1] & (departures[None, :] <= day[1:, None])).any(axis=1)
        stays_on[:-1] &= limit[1:] <= limit[:-1]
        stays_on[-1] = False
    else:
        stays_on[:] = False
    rows = []
    for i in np.flatnonzero((count > limit) & ~stays_on):
        rows.append(([choices[j] for j in np.flatnonzero(here[i])], max(0, int(limit[i]))))
    return rows


def running_counts(choices: Sequence[Choice], days: Sequence[int]) -> list[tuple[list[Choice], list[Choice], int]]:
    """For each of the sorted ``days`` (which include every arrival): the stays arriving that day, those
    that left since the day before, and how many could be present."""
    steps = []
    previous = -1
    present = 0
    by_arrival: dict[int, list[Choice]] = {}
    by_departure: dict[int, list[Choice]] = {}
    for c in choices:
        by_arrival.setdefault(c.arrival, []).append(c)
        by_departure.setdefault(c.departure, []).append(c)
    departure_days = sorted(by_departure)
    j = 0
    for day in days:
        left: list[Choice] = []
        while j < len(departure_days) and departure_days[j] <= day:
            if departure_days[j] > previous:
                left += by_departure[departure_days[j]]
            j += 1
        came = by_arrival.get(day, [])
        present += len(came) - len(left)
        steps.append((came, left, present))
        previous = day
    return steps
