"""The baseline that behaves like today's practice, one referral at a time.

In urgency order (emergency, short notice, standard), then by earliest arrival, each referral takes the
nearest premises that passes the hard rules and still has a free bed every night of the stay, arriving as
early as its window allows; then the nearest move-on provider with a place in the week of departure.
Nothing is ever revisited. Fully deterministic: every tie is broken by ids. It also gives CP-SAT its
complete starting hint.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from optimizer.candidates import Candidate, build_candidates, move_on_options
from optimizer.capacity import Capacity, base_capacity
from optimizer.checks import validate_instance
from optimizer.costs import move_on_terms, objective, unplaced_cost, UNPLACED_TERM
from optimizer.schema import Assignment, Instance, Notice, Referral, Result, SolverParams

URGENCY_ORDER = {Notice.EMERGENCY: 0, Notice.SHORT_NOTICE: 1, Notice.STANDARD: 2}


def queue_order(referral: Referral) -> tuple:
    """Most urgent first, then earliest arrival, then longest waiting; the id settles ties."""
    return (URGENCY_ORDER[referral.notice], referral.earliest_arrival, -referral.days_waiting, referral.id)


def nearest_first(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (c.terms["distance_home"], c.premises_id, c.arrival))


class Beds:
    """Free beds left as people are booked in, in total and per room characteristic."""

    def __init__(self, capacity: Capacity):
        self.index = capacity.index
        self.free = {None: capacity.total.copy()}
        self.free.update({c: a.copy() for c, a in capacity.by_characteristic.items()})

    def fits(self, referral: Referral, premises_id: str, arrival: int) -> bool:
        nights = slice(arrival, arrival + referral.length_of_stay)
        row = self.index[premises_id]
        return all(self.free[key][row, nights].min() >= 1 for key in (None, *referral.essential_room))

    def book(self, referral: Referral, premises_id: str, arrival: int) -> None:
        nights = slice(arrival, arrival + referral.length_of_stay)
        for key in (None, *referral.essential_room):
            self.free[key][self.index[premises_id], nights] -= 1


def non_associate_map(instance: Instance) -> dict[str, set[str]]:
    """Referral id -> referral ids it must never meet, whichever side named the other (residents are
    already kept apart by the candidate filter)."""
    referral_ids = {r.id for r in instance.referrals}
    mates: dict[str, set[str]] = defaultdict(set)
    for r in instance.referrals:
        for other in r.non_associates & referral_ids:
            mates[r.id].add(other)
            mates[other].add(r.id)
    return mates


def greedy(instance: Instance, params: SolverParams) -> Result:
    started = time.perf_counter()
    validate_instance(instance, params)
    candidates = build_candidates(instance, params)
    beds = Beds(base_capacity(instance))
    mates = non_associate_map(instance)
    premises = {p.id: p for p in instance.premises}
    stays: dict[str, tuple[str, int, int]] = {}
    places_taken: dict[tuple[str, int], int] = defaultdict(int)
    assignments = {}

    def meets_non_associate(referral: Referral, candidate: Candidate) -> bool:
        end = candidate.arrival + referral.length_of_stay
        for other in mates.get(referral.id, ()):
            if other in stays:
                where, start, finish = stays[other]
                if where == candidate.premises_id and start < end and candidate.arrival < finish:
                    return True
        return False

    for referral in sorted(instance.referrals, key=queue_order):
        choice = next(
            (
                c
                for c in nearest_first(candidates[referral.id])
                if beds.fits(referral, c.premises_id, c.arrival) and not meets_non_associate(referral, c)
            ),
            None,
        )
        if choice is None:
            terms = {UNPLACED_TERM: unplaced_cost(referral, instance.weights)}
            assignments[referral.id] = Assignment(referral.id, None, None, None, terms)
            continue
        beds.book(referral, choice.premises_id, choice.arrival)
        stays[referral.id] = (choice.premises_id, choice.arrival, choice.arrival + referral.length_of_stay)
        week = (choice.arrival + referral.length_of_stay) // 7
        place = premises[choice.premises_id]
        provider = next(
            (m for m, _ in move_on_options(instance, referral, place)
             if m is not None and places_taken[m.id, week] < m.places_per_week),
            None,
        )
        if provider is not None:
            places_taken[provider.id, week] += 1
        terms = {**choice.terms, **move_on_terms(referral, place, provider, instance.weights)}
        assignments[referral.id] = Assignment(
            referral.id, choice.premises_id, choice.arrival, provider.id if provider else None, terms
        )

    assignments = {r.id: assignments[r.id] for r in instance.referrals}
    total = objective(instance, assignments)
    elapsed = time.perf_counter() - started
    return Result(
        method="greedy",
        status="feasible",
        assignments=assignments,
        objective=total,
        best_bound=None,
        timings={"total_s": elapsed},
        progress=[(elapsed, float(total), None)],
    )
