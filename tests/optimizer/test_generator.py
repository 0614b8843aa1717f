import os
import subprocess
import sys
from collections import Counter

import pytest

from optimizer.candidates import build_candidates
from optimizer.checks import validate_instance
from optimizer.generator import TIERS, describe, generate, towns
from optimizer.schema import APType, Gender, SolverParams
from optimizer.solve import WHOLE_MODEL_UP_TO
from vocabulary import REGION_NAMES


def test_same_seed_same_instance_other_seed_other_instance():
    assert generate("tiny", 7) == generate("tiny", 7)
    assert generate("tiny", 7) != generate("tiny", 8)


def test_unknown_tier_is_refused():
    with pytest.raises(ValueError, match="unknown tier 'huge'"):
        generate("huge", 1)


def test_towns_are_in_england_and_wales_with_regions():
    found = towns()
    assert len(found) > 1000
    assert {t.region for t in found} == set(REGION_NAMES)  # every region, spelt as the app spells it
    assert all(t.population >= 5000 for t in found)
    assert all(-6 < t.location.lon < 2 and 49.8 < t.location.lat < 56 for t in found)


@pytest.mark.parametrize("tier", ["tiny", "region", "mid"])
def test_small_tiers_are_valid_input_of_the_promised_size(tier):
    instance = generate(tier, 1)
    validate_instance(instance, SolverParams())
    sizes = describe(instance)
    spec = TIERS[tier]
    assert sizes["premises"] == spec.premises
    assert sizes["referrals"] == spec.referrals
    assert sizes["plan_days"] >= sizes["horizon_days"] == spec.days
    assert sizes["residents"] == pytest.approx(spec.occupancy * sizes["beds"], abs=spec.premises)


def test_mid_tier_has_wide_windows_and_too_many_candidates_for_one_model():
    instance = generate("mid", 1)
    widths = [r.latest_arrival - r.earliest_arrival for r in instance.referrals]
    assert sum(w >= 14 for w in widths) >= 0.6 * len(widths)
    candidates = build_candidates(instance, SolverParams())
    assert sum(map(len, candidates.values())) > WHOLE_MODEL_UP_TO  # so the neighbourhood search runs


def test_region_tier_has_about_300_beds_in_one_region():
    instance = generate("region", 2)
    assert 250 <= describe(instance)["beds"] <= 350
    assert {p.region for p in instance.premises} == {"West Midlands"}


def test_national_tier_looks_like_the_real_estate():
    instance = generate("national", 1)
    validate_instance(instance, SolverParams())
    sizes = describe(instance)
    assert sizes["premises"] == 104 and sizes["referrals"] == 3000
    assert 2200 <= sizes["beds"] <= 2600
    assert 1900 <= sizes["residents"] <= 2300
    kinds = Counter(p.ap_type for p in instance.premises)
    assert sum(p.gender is Gender.FEMALE for p in instance.premises) == 8
    assert (kinds[APType.PIPE], kinds[APType.ESAP], kinds[APType.MENTAL_HEALTH]) == (12, 4, 2)
    assert len({p.region for p in instance.premises}) == 12
    referrals = instance.referrals
    windows = sum(r.latest_arrival > r.earliest_arrival for r in referrals) / len(referrals)
    zones = sum(bool(r.exclusion_zones) for r in referrals) / len(referrals)
    pairs = sum(bool(r.non_associates) for r in referrals) / len(referrals)
    assert 0.25 < windows < 0.35 and 0.35 < zones < 0.45 and 0.025 <= pairs <= 0.035
    window_lengths = [r.latest_arrival - r.earliest_arrival + 1 for r in referrals if r.latest_arrival > r.earliest_arrival]
    assert min(window_lengths) >= 7 and max(window_lengths) <= 14
    stays = {(r.ap_type, r.length_of_stay) for r in referrals}
    assert stays <= {(t, n) for t in (APType.STANDARD, APType.RECOVERY_FOCUSED) for n in (56, 84, 112)} | {
        (APType.PIPE, 182), (APType.ESAP, 364), (APType.MENTAL_HEALTH, 182)
    }
    assert {m.category for m in instance.providers} and len({m.location for m in instance.providers}) > 50
    assert all(r.latest_arrival < instance.horizon_days for r in referrals)


def test_beds_overlap_and_some_people_need_several_room_characteristics_in_one_bed():
    """So the benchmark meets the cases where counting each characteristic apart would be wrong."""
    instance = generate("national", 1)
    several = sum(len(r.essential_room) >= 2 for r in instance.referrals) / len(instance.referrals)
    assert 0.02 < several < 0.1

    def overlapping(premises) -> bool:
        signatures = [g.characteristics for g in premises.bed_groups]
        return any(a & b and not a <= b and not b <= a for a in signatures for b in signatures)

    assert sum(map(overlapping, instance.premises)) > 90
    residents_beds = {(p.id, g.characteristics) for p in instance.premises for g in p.bed_groups}
    assert all((s.premises_id, s.bed_characteristics) in residents_beds for s in instance.residents)


FINGERPRINT = """
import dataclasses, hashlib, json, sys
from optimizer.generator import generate
from optimizer.greedy import greedy
from optimizer.schema import SolverParams

def plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    return getattr(value, "value", value)

instance = generate("tiny", 11)
plan = greedy(instance, SolverParams()).assignments
print(hashlib.sha256(json.dumps([plain(instance), plain(plan)], sort_keys=True, default=str).encode()).hexdigest())
"""


def test_instance_and_greedy_plan_do_not_depend_on_string_hashing():
    """Sets of characteristics iterate in a different order in every process; nothing may follow it."""

    def fingerprint(hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", FINGERPRINT], env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert fingerprint("1") == fingerprint("2")
