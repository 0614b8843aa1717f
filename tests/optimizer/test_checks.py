from dataclasses import replace

import pytest

from optimizer.checks import InvalidInstance, validate_instance
from optimizer.generator import generate
from optimizer.schema import BedGroup, BedsOut, ExclusionZone, PreviousProposal, SolverParams

PARAMS = SolverParams()


@pytest.fixture
def good(build):
    return build.instance(
        premises=[build.premises("AP1"), build.premises("AP2", 5, 0)],
        referrals=[build.referral("R1"), build.referral("R2", earliest_arrival=2, latest_arrival=5)],
        residents=[build.resident("S1", "AP1")],
    )


def with_referral(instance, index, **changes):
    referrals = list(instance.referrals)
    referrals[index] = replace(referrals[index], **changes)
    return replace(instance, referrals=tuple(referrals))


def refused(instance, params=PARAMS) -> InvalidInstance:
    with pytest.raises(InvalidInstance) as caught:
        validate_instance(instance, params)
    return caught.value


def test_good_input_passes(good):
    assert validate_instance(good, PARAMS) is None


def test_generated_tiny_instance_passes():
    validate_instance(generate("tiny", 5), PARAMS)


def test_reversed_window_names_the_field_and_both_days(good):
    error = refused(with_referral(good, 1, earliest_arrival=10, latest_arrival=4))
    assert str(error) == "referrals[1].earliest_arrival: arrival window reversed (earliest 10 > latest 4)"
    assert error.field_path == "referrals[1].earliest_arrival"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("nights", [0, -3])
def test_negative_or_zero_stay_is_refused(good, nights):
    assert refused(with_referral(good, 0, length_of_stay=nights)).field_path == "referrals[0].length_of_stay"


def test_unknown_premises_id_of_a_resident(good, build):
    bad = replace(good, residents=(build.resident("S1", "AP9"),))
    error = refused(bad)
    assert error.field_path == "residents[0].premises_id"
    assert "AP9" in str(error)


def test_unknown_preferred_previous_and_rejected_premises(good):
    assert refused(with_referral(good, 0, preferred_premises=("AP1", "AP7"))).field_path == (
        "referrals[0].preferred_premises[1]"
    )
    assert refused(with_referral(good, 0, previous=PreviousProposal("AP7", 0))).field_path == (
        "referrals[0].previous.premises_id"
    )
    assert refused(with_referral(good, 0, rejected_premises=frozenset({"AP7"}))).field_path == (
        "referrals[0].rejected_premises"
    )


def test_self_intersecting_polygon(good, build):
    bowtie = ExclusionZone(polygon=(build.at(0, 0), build.at(2, 2), build.at(2, 0), build.at(0, 2)))
    error = refused(with_referral(good, 0, exclusion_zones=(build.circle(9, 9, 1), bowtie)))
    assert error.field_path == "referrals[0].exclusion_zones[1].polygon"
    assert "self-intersecting" in str(error)


@pytest.mark.parametrize(
    "zone, field",
    [
        (lambda b: ExclusionZone(polygon=(b.at(0, 0), b.at(1, 1), b.at(2, 2))), "polygon"),
        (lambda b: ExclusionZone(polygon=(b.at(0, 0), b.at(1, 1))), "polygon"),
        (lambda b: ExclusionZone(centre=b.at(0, 0), radius_km=0.0), "radius_km"),
        (lambda b: ExclusionZone(centre=b.at(0, 0), radius_km=-1.0), "radius_km"),
    ],
)
def test_zone_with_no_area(good, build, zone, field):
    error = refused(with_referral(good, 0, exclusion_zones=(zone(build),)))
    assert error.field_path == f"referrals[0].exclusion_zones[0].{field}"
    assert "no area" in str(error)


def test_zone_must_be_a_polygon_or_a_circle_not_both(good, build):
    both = ExclusionZone(polygon=build.square(0, 0, 1).polygon, centre=build.at(0, 0), radius_km=1.0)
    assert refused(with_referral(good, 0, exclusion_zones=(both,))).field_path == "referrals[0].exclusion_zones[0]"


def test_duplicate_ids(good, build):
    assert refused(replace(good, premises=(build.premises("AP1"), build.premises("AP1")))).field_path == (
        "premises[1].id"
    )
    assert refused(with_referral(good, 1, id="R1")).field_path == "referrals[1].id"
    assert refused(with_referral(good, 1, id="S1")).field_path == "referrals[1].id"


def test_unknown_characteristics_are_typos_not_silently_ignored(good, build):
    assert "is_singel" in str(refused(with_referral(good, 0, essential_room=frozenset({"is_singel"}))))
    odd = build.premises("AP1", bed_groups=(BedGroup(frozenset({"has_sauna"}), 2),))
    error = refused(replace(good, premises=(odd, good.premises[1])))
    assert error.field_path == "premises[0].bed_groups[0].characteristics"


def test_out_of_service_period_must_not_be_reversed(good, build):
    odd = build.premises("AP1", beds_out=(BedsOut(frozenset(), 5, 5),))
    assert refused(replace(good, premises=(odd, good.premises[1]))).field_path == "premises[0].beds_out[0].end"


def test_arrival_before_the_plan_and_bad_radius(good):
    assert refused(with_referral(good, 0, earliest_arrival=-1)).field_path == "referrals[0].earliest_arrival"
    assert refused(with_referral(good, 0, max_radius_km=0.0)).field_path == "referrals[0].max_radius_km"


def test_resident_departing_before_arriving(good, build):
    assert refused(replace(good, residents=(build.resident("S1", "AP1", 5, 5),))).field_path == (
        "residents[0].departure"
    )


def test_negative_buffer_is_refused(good):
    assert refused(good, SolverParams(exclusion_buffer_km=-1)).field_path == "params.exclusion_buffer_km"


def test_an_arrival_window_past_the_horizon_is_refused_not_planned(good):
    """The horizon bounds arrivals: a window running past it is refused rather than the horizon stretched."""
    error = refused(with_referral(good, 1, latest_arrival=good.horizon_days))
    assert error.field_path == "referrals[1].latest_arrival"
    assert "runs past the horizon" in error.message and "days 0 to 13" in error.message
    assert validate_instance(with_referral(good, 1, latest_arrival=good.horizon_days - 1), PARAMS) is None


def test_residents_and_beds_out_name_a_bed_group_of_their_premises(good, build):
    """Residents hold a bed of their group and out-of-service beds leave theirs, so the group must exist."""
    en_suite = frozenset({"has_en_suite"})
    error = refused(replace(good, residents=(build.resident("S1", "AP1", bed_characteristics=en_suite),)))
    assert error.field_path == "residents[0].bed_characteristics"
    assert error.message == "AP1 has no bed group with exactly these room characteristics (has_en_suite)"
    odd = build.premises("AP1", beds_out=(BedsOut(en_suite, 1, 3),))
    error = refused(replace(good, premises=(odd, good.premises[1])))
    assert error.field_path == "premises[0].beds_out[0].characteristics"
    fitted = build.premises("AP1", bed_groups=(BedGroup(frozenset(), 2), BedGroup(en_suite, 1)),
                            beds_out=(BedsOut(en_suite, 1, 3),))
    resident = build.resident("S1", "AP1", bed_characteristics=en_suite)
    assert validate_instance(replace(good, premises=(fitted, good.premises[1]), residents=(resident,)), PARAMS) is None
