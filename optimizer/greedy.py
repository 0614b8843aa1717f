"""The baseline that behaves like today's practice, one referral at a time.

In urgency order (emergency, short notice, standard), then by earliest arrival, each referral takes the
nearest premises that passes the hard rules and still has a free bed every night of the stay, arriving as
early as its window allows; then the nearest move-on provider with a place in the week of departure.
Nothing is ever revisited. Fully deterministic: ties go by id or by input order. It also gives CP-SAT its
complete starting hint.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator

import numpy as np

from optimizer.candidates import arrival_days, move_on_options, open_premises, premises_table
from optimizer.capacity import base_capacity
from optimizer.checks import validate_instance
from optimizer.costs import mix_overflow, referral_terms
from optimizer.geometry import distances_km
from optimizer.schema import (
    Assignment,
    Instance,
    MoveOnProvider,
    Notice,
    Premises,
    Referral,
    Result,
    SolverParams,
    departure_week,
    non_associate_pairs,
    stays_overlap,
)

URGENCY_ORDER = {Notice.EMERGENCY: 0, Notice.SHORT_NOTICE: 1, Notice.STANDARD: 2}


def queue_order(referral: Referral) -> tuple:
    """Most urgent first, then earliest arrival, then longest waiting; the id settles ties."""
    return (URGENCY_ORDER[referral.notice], referral.earliest_arrival, -referral.days_waiting, referral.id)


def nearest_first(instance: Instance, params: SolverParams, referral: Referral) -> Iterator[tuple[str, int]]:
    """(premises id, arrival day) that pass the static rules with a bed for the referral alone: the nearest premises
    first (ties by premises order), each with its arrival days in order."""
    table = premises_table(instance)
    rows, ok = open_premises(instance, params, referral)
    distance = distances_km(table.lons[rows], table.lats[rows], referral.home)
    which, day = np.nonzero(ok)
    order = np.lexsort((day, rows[which], distance[which]))  # the last key sorts first
    arrivals = arrival_days(referral)[day[order]].tolist()
    for row, arrival in zip(rows[which[order]].tolist(), arrivals):
        yield table.premises[row].id, arrival


def non_associate_map(instance: Instance) -> dict[str, set[str]]:
    """Referral id -> referral ids it must never meet, whichever side named the other (residents are
    already kept apart by the candidate filter)."""
    mates: dict[str, set[str]] = defaultdict(set)
    for first, second in non_associate_pairs(instance.referrals):
        mates[first].add(second)
        mates[second].add(first)
    return mates


Stays = dict[str, tuple[str, int, int]]  # referral id -> (premises id, arrival, departure)


def non_associate_met(
    mates: dict[str, set[str]], stays: Stays, referral: Referral, premises_id: str, arrival: int
) -> str | None:
    """The first non-associate (by id) staying at ``premises_id`` during the referral's stay, if any."""
    end = arrival + referral.length_of_stay
    for mate in sorted(mates.get(referral.id, ())):
        stay = stays.get(mate)
        if stay is not None and stay[0] == premises_id and stays_overlap(arrival, end, stay[1], stay[2]):
            return mate
    return None


class Booking:
    """Referrals booked one at a time into the free beds, non-associates kept apart."""

    def __init__(self, instance: Instance):
        self.beds = base_capacity(instance).copy()
        self.mates = non_associate_map(instance)
        self.stays: Stays = {}

    def fits(self, referral: Referral, premises_id: str, arrival: int) -> bool:
        """A bed for everybody booked every night of the stay and no non-associate booked there at the
        same time."""
        return (self.beds.fits(referral, premises_id, arrival)
                and non_associate_met(self.mates, self.stays, referral, premises_id, arrival) is None)

    def book(self, referral: Referral, premises_id: str, arrival: int) -> None:
        self.beds.book(referral, premises_id, arrival)
        self.stays[referral.id] = (premises_id, arrival, arrival + referral.length_of_stay)


def greedy(instance: Instance, params: SolverParams) -> Result:
    started = time.perf_counter()
    validate_instance(instance, params)
    booking = Booking(instance)
    premises = {p.id: p for p in instance.premises}
    places_taken: dict[tuple[str, int], int] = defaultdict(int)
    assignments = {}

    for referral in sorted(instance.referrals, key=queue_order):
        choice = next(
            (
                (premises_id, arrival)
                for premises_id, arrival in nearest_first(instance, params, referral)
                if booking.fits(referral, premises_id, arrival)
            ),
            None,
        )
        if choice is None:
            assignments[referral.id] = Assignment(referral.id, None, None, None,
                                                  referral_terms(instance, referral, None, None, None))
            continue
        premises_id, arrival = choice
        booking.book(referral, premises_id, arrival)
        place = premises[premises_id]
        provider = nearest_move_on_place(instance, referral, place, arrival, places_taken)
        if provider is not None:
            places_taken[provider.id, departure_week(arrival + referral.length_of_stay)] += 1
        terms = referral_terms(instance, referral, place, arrival, provider)
        assignments[referral.id] = Assignment(referral.id, premises_id, arrival, provider and provider.id, terms)

    assignments = {r.id: assignments[r.id] for r in instance.referrals}
    total = sum(sum(a.terms.values()) for a in assignments.values()) + mix_overflow(instance, assignments)
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


def nearest_move_on_place(
    instance: Instance, referral: Referral, premises: Premises, arrival: int, places_taken: dict[tuple[str, int], int]
) -> MoveOnProvider | None:
    """The nearest provider of the referral's category with a place left in the week of departure."""
    week = departure_week(arrival + referral.length_of_stay)
    return next(
        (m for m, _ in move_on_options(instance, referral, premises)
         if m is not None and places_taken[m.id, week] < m.places_per_week),
        None,
    )
