"""What a placement must offer, derived from a referral's answers: the assessor starts from these and may change them.

Each rule reads one answer and names the characteristics (codes of vocabulary.CHARACTERISTICS) it makes essential
or desirable. An offence counts whether it is current or previous: an AP that does not accept people with
sexual offences against children does not take somebody whose only such offence is an old one either. A
characteristic essential by one rule is not also desirable by another.

The AP type is the one the offender manager asked for (standard when they did not say), and the gender of AP the
person's: a woman goes to a women's AP. Both are shown to the assessor, who confirms or changes them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from app.models import Referral
from vocabulary import CHARACTERISTICS, APType, Gender, OffenceHistory

CHARACTERISTIC_CODES = frozenset(characteristic.code for characteristic in CHARACTERISTICS)


@dataclass(frozen=True)
class Requirements:
    ap_type: APType
    gender: Gender
    essential: frozenset[str]
    desirable: frozenset[str]


class Rule(NamedTuple):
    applies: Callable[[Referral], bool]
    essential: frozenset[str] = frozenset()
    desirable: frozenset[str] = frozenset()


def _offence(*columns: str) -> Callable[[Referral], bool]:
    committed = (OffenceHistory.CURRENT, OffenceHistory.PREVIOUS)
    return lambda referral: any(getattr(referral, column) in committed for column in columns)


def _need(column: str) -> Callable[[Referral], bool]:
    return lambda referral: bool(getattr(referral, column))


RULES = (
    Rule(_offence("arson_offence"), essential=frozenset({"is_arson_suitable"})),
    Rule(_offence("sexual_offence_against_adults"), essential=frozenset({"accepts_sex_offenders"}),
         desirable=frozenset({"is_suited_for_sex_offenders"})),
    Rule(_offence("contact_sexual_offence_against_children", "non_contact_sexual_offence_against_children"),
         essential=frozenset({"accepts_child_sex_offenders"}), desirable=frozenset({"is_suited_for_sex_offenders"})),
    Rule(_offence("non_sexual_offence_against_children"), essential=frozenset({"accepts_non_sexual_child_offenders"})),
    Rule(_offence("hate_crime_offence"), essential=frozenset({"accepts_hate_crime_offenders"})),
    Rule(_need("uses_wheelchair"), essential=frozenset({"is_wheelchair_designated", "has_step_free_access"}),
         desirable=frozenset({"has_wheelchair_accessible_bathrooms", "has_lift"})),
    Rule(_need("has_mobility_needs"), essential=frozenset({"is_step_free_designated", "has_step_free_access"}),
         desirable=frozenset({"has_lift", "is_ground_floor"})),
    Rule(_need("has_sight_impairment"), desirable=frozenset({"has_tactile_flooring", "has_braille_signage"})),
    Rule(_need("has_hearing_impairment"), desirable=frozenset({"has_hearing_loop"})),
    Rule(_need("needs_catering"), essential=frozenset({"is_catered"})),
    Rule(_need("needs_single_room"), essential=frozenset({"is_single"})),
    Rule(_need("is_vulnerable_to_exploitation"), essential=frozenset({"is_suitable_for_vulnerable"})),
)


def derived(referral: Referral) -> Requirements:
    applying = [rule for rule in RULES if rule.applies(referral)]
    essential = frozenset().union(*(rule.essential for rule in applying))
    desirable = frozenset().union(*(rule.desirable for rule in applying)) - essential
    return Requirements(ap_type=referral.requested_ap_type or APType.STANDARD, gender=referral.person.gender,
                        essential=essential, desirable=desirable)


def problems(requirements: Requirements) -> dict[str, str]:
    """What is wrong with requirements an assessor confirmed, by field."""
    found = {}
    if requirements.ap_type is None:
        found["ap_type"] = "Select the type of AP"
    if requirements.gender is None:
        found["gender"] = "Select whether the person needs a men's or a women's AP"
    if not requirements.essential <= CHARACTERISTIC_CODES:
        found["essential"] = "Select essential characteristics from the list"
    if not requirements.desirable <= CHARACTERISTIC_CODES:
        found["desirable"] = "Select desirable characteristics from the list"
    if both := requirements.essential & requirements.desirable:
        found["desirable"] = (f"{_labels(both)} cannot be both essential and desirable: "
                              "untick it in one of the lists")
    return found


def _labels(codes) -> str:
    return ", ".join(characteristic.label for characteristic in CHARACTERISTICS if characteristic.code in codes)
