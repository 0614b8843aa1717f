"""Requirements derived from a referral's answers, and the checks on the requirements an assessor confirms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models import Person, Referral
from app.services import requirements
from app.services.requirements import Requirements
from vocabulary import CHARACTERISTICS, APType, Gender, Need, OffenceHistory

OFFENCE_COLUMNS = ("arson_offence", "sexual_offence_against_adults", "contact_sexual_offence_against_children",
                   "non_contact_sexual_offence_against_children", "non_sexual_offence_against_children",
                   "hate_crime_offence")


def _referral(gender=Gender.MALE, **answers) -> Referral:
    """A referral that is never saved: the rules read answers only."""
    return Referral(person=Person(gender=gender), **answers)


@pytest.mark.parametrize(("answers", "essential", "desirable"), [
    ({}, set(), set()),
    ({"arson_offence": OffenceHistory.CURRENT}, {"is_arson_suitable"}, set()),
    ({"arson_offence": OffenceHistory.PREVIOUS}, {"is_arson_suitable"}, set()),
    ({"arson_offence": OffenceHistory.NONE}, set(), set()),
    ({"sexual_offence_against_adults": OffenceHistory.CURRENT}, {"accepts_sex_offenders"},
     {"is_suited_for_sex_offenders"}),
    ({"contact_sexual_offence_against_children": OffenceHistory.PREVIOUS}, {"accepts_child_sex_offenders"},
     {"is_suited_for_sex_offenders"}),
    ({"non_contact_sexual_offence_against_children": OffenceHistory.CURRENT}, {"accepts_child_sex_offenders"},
     {"is_suited_for_sex_offenders"}),
    ({"non_sexual_offence_against_children": OffenceHistory.CURRENT}, {"accepts_non_sexual_child_offenders"}, set()),
    ({"hate_crime_offence": OffenceHistory.PREVIOUS}, {"accepts_hate_crime_offenders"}, set()),
    ({"uses_wheelchair": True}, {"is_wheelchair_designated", "has_step_free_access"},
     {"has_wheelchair_accessible_bathrooms", "has_lift"}),
    ({"has_mobility_needs": True}, {"is_step_free_designated", "has_step_free_access"}, {"has_lift", "is_ground_floor"}),
    ({"has_sight_impairment": True}, set(), {"has_tactile_flooring", "has_braille_signage"}),
    ({"has_hearing_impairment": True}, set(), {"has_hearing_loop"}),
    ({"needs_catering": True}, {"is_catered"}, set()),
    ({"needs_single_room": True}, {"is_single"}, set()),
    ({"is_vulnerable_to_exploitation": True}, {"is_suitable_for_vulnerable"}, set()),
    ({"uses_wheelchair": False, "needs_catering": False}, set(), set()),
])
def test_each_answer_makes_its_characteristics_essential_or_desirable(answers, essential, desirable):
    derived = requirements.derived(_referral(**answers))
    assert (derived.essential, derived.desirable) == (essential, desirable)


def test_what_one_rule_makes_essential_another_does_not_make_desirable():
    derived = requirements.derived(_referral(uses_wheelchair=True, has_mobility_needs=True))
    assert "has_lift" in derived.desirable
    assert {"has_step_free_access", "is_step_free_designated", "is_wheelchair_designated"} <= derived.essential


def test_the_ap_type_is_the_one_asked_for_or_standard_and_the_gender_the_persons():
    assert requirements.derived(_referral(requested_ap_type=APType.ESAP)).ap_type is APType.ESAP
    assert requirements.derived(_referral()).ap_type is APType.STANDARD
    assert requirements.derived(_referral(gender=Gender.FEMALE)).gender is Gender.FEMALE


def test_every_rule_names_characteristics_of_the_vocabulary():
    named = {code for rule in requirements.RULES for code in rule.essential | rule.desirable}
    assert named <= {characteristic.code for characteristic in CHARACTERISTICS}


ANSWERS = st.fixed_dictionaries({
    **{column: st.sampled_from([None, *OffenceHistory]) for column in OFFENCE_COLUMNS},
    **{need.value: st.sampled_from([None, True, False]) for need in Need},
})


@given(answers=ANSWERS, more=ANSWERS)
def test_derived_requirements_never_conflict_and_more_answers_never_need_less(answers, more):
    derived = requirements.derived(_referral(**answers))
    assert not derived.essential & derived.desirable
    assert requirements.problems(derived) == {}
    for column in OFFENCE_COLUMNS:
        if answers[column] in (OffenceHistory.CURRENT, OffenceHistory.PREVIOUS):
            assert derived.essential, f"{column} makes something essential"
    # answering yes to more (an offence as well, a need as well) keeps everything that was essential
    yes = (True, OffenceHistory.CURRENT, OffenceHistory.PREVIOUS)
    combined = {name: answers[name] if answers[name] in yes else more[name] for name in answers}
    assert derived.essential <= requirements.derived(_referral(**combined)).essential


def _confirmed(**changes) -> Requirements:
    return Requirements(**({"ap_type": APType.STANDARD, "gender": Gender.MALE, "essential": frozenset({"is_single"}),
                            "desirable": frozenset({"has_lift"})} | changes))


@pytest.mark.parametrize(("changes", "problems"), [
    ({}, {}),
    ({"ap_type": None}, {"ap_type": "Select the type of AP"}),
    ({"gender": None}, {"gender": "Select whether the person needs a men's or a women's AP"}),
    ({"essential": frozenset({"is_pipe"})}, {"essential": "Select essential characteristics from the list"}),
    ({"desirable": frozenset({"has_moat"})}, {"desirable": "Select desirable characteristics from the list"}),
    ({"desirable": frozenset({"is_single", "has_lift"})},
     {"desirable": "Single room cannot be both essential and desirable: untick it in one of the lists"}),
])
def test_confirmed_requirements_are_checked(changes, problems):
    assert requirements.problems(_confirmed(**changes)) == problems
