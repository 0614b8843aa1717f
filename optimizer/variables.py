"""What the constraint modules and the objective see of a placement model, apart from the model builder.

The variable container (``Choice``, ``MoveOn``, ``Variables``), what is held ``Fixed`` around the decisions,
and ``ModelParts``: the CP-SAT model under construction with the helpers a constraint module calls. The
builder (``optimizer.model``) imports the constraint modules and they import only this, so neither
depends on the other's code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from optimizer.candidates import Candidate
from optimizer.capacity import Beds, base_capacity, plan_days
from optimizer.costs import mix_counts
from optimizer.schema import (
    Assignment,
    Instance,
    MoveOnProvider,
    Premises,
    Referral,
    SolverParams,
    departure_week,
)

Value = Callable[[cp_model.IntVar], int]


@dataclass
class Fixed:
    """What the model cannot change: free beds, mix counts and move-on places left by fixed people.

    Built from the instance (beds out of service and residents) and, in the local search, from the
    placements of every referral outside the neighbourhood.
    """

    row: dict[str, int]  # premises id -> row of the arrays
    beds: Beds  # free beds left in each Hall set of each premises, night by night
    mix: np.ndarray  # (premises, cap, days) fixed people counting towards each cap in MIX_CAPS order
    used: dict[tuple[str, int], int]  # (provider id, week) -> move-on places taken by held placements
    places_per_week: dict[str, int]

    def places(self, provider_id: str, week: int) -> int:
        """Move-on places still open at a provider in a week of departure."""
        return self.places_per_week[provider_id] - self.used.get((provider_id, week), 0)

    @classmethod
    def around(cls, instance: Instance, held: Sequence[Assignment] = ()) -> Fixed:
        beds = base_capacity(instance).copy()
        referrals = {r.id: r for r in instance.referrals}
        used: dict[tuple[str, int], int] = defaultdict(int)
        for a in held:
            if a.premises_id is None:
                continue
            referral = referrals[a.referral_id]
            beds.book(referral, a.premises_id, a.arrival)
            if a.provider_id is not None:
                used[(a.provider_id, departure_week(a.arrival + referral.length_of_stay))] += 1
        return cls(dict(beds.index), beds, mix_counts(instance, held, plan_days(instance)), dict(used),
                   {p.id: p.places_per_week for p in instance.providers})


@dataclass(frozen=True)
class Choice:
    """One candidate as the model sees it."""

    referral: Referral
    premises: Premises
    arrival: int
    cost: int  # placement terms, plus move-on unsecured when a move-on place is sought
    var: cp_model.IntVar

    @property
    def departure(self) -> int:
        return self.arrival + self.referral.length_of_stay


@dataclass(frozen=True)
class MoveOn:
    """Securing ``provider`` for a referral placed at ``premises`` and leaving in ``week``."""

    referral: Referral
    premises: Premises
    week: int
    provider: MoveOnProvider
    saving: int  # negative: the provider's distance cost minus the unsecured penalty it avoids
    var: cp_model.IntVar


@dataclass
class Variables:
    """The variable container: decisions, and auxiliaries defined from them (hinted alongside)."""

    choices: list[Choice] = field(default_factory=list)
    by_referral: dict[str, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    by_premises: dict[str, list[Choice]] = field(default_factory=lambda: defaultdict(list))
    move_ons: list[MoveOn] = field(default_factory=list)
    derived: list[tuple[cp_model.IntVar, Callable[[Value], int]]] = field(default_factory=list)


class ModelParts:
    """The CP-SAT model of placing ``candidates`` around ``fixed`` as it is being built: one boolean per
    candidate in the variable container ``vars``, soft costs beyond the choices and a constant ``offset``.
    Constraint modules add to it through ``model``, ``new_int``, ``derive`` and ``add_soft``.
    """

    def __init__(
        self,
        instance: Instance,
        params: SolverParams,
        candidates: Mapping[str, Sequence[Candidate]],
        fixed: Fixed | None = None,
        keep: Mapping[str, Assignment] | None = None,
        every_provider: bool = False,
    ):
        self.instance = instance
        self.every_provider = every_provider  # offer every move-on provider, not only the nearest few
        self.params = params
        self.fixed = fixed if fixed is not None else Fixed.around(instance)
        self.keep = keep or {}  # a plan the model must be able to express (the hint)
        self.premises = {p.id: p for p in instance.premises}
        referrals = {r.id: r for r in instance.referrals}
        self.referrals = [referrals[rid] for rid in candidates]
        self.model = cp_model.CpModel()
        self.vars = Variables()
        self.soft: list[tuple[cp_model.IntVar, int]] = []  # (variable, cost per unit) beyond the choices
        self.offset = 0
        self._add_choices(candidates)

    def _add_choices(self, candidates: Mapping[str, Sequence[Candidate]]) -> None:
        unsecured = self.instance.weights.move_on_unsecured
        for referral in self.referrals:
            extra = unsecured if referral.move_on_category is not None else 0
            for c in candidates[referral.id]:
                choice = Choice(referral, self.premises[c.premises_id], c.arrival, c.cost + extra,
                                self.model.new_bool_var(""))
                self.vars.choices.append(choice)
                self.vars.by_referral[referral.id].append(choice)
                self.vars.by_premises[c.premises_id].append(choice)

    def new_int(self, low: int, high: int) -> cp_model.IntVar:
        return self.model.new_int_var(low, high, "")

    def derive(self, var: cp_model.IntVar, value: Callable[[Value], int]) -> None:
        """Record how ``var`` follows from earlier variables, so that a hint can be completed."""
        self.vars.derived.append((var, value))

    def add_soft(self, var: cp_model.IntVar, cost: int) -> None:
        self.soft.append((var, cost))
