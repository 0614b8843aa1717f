"""The length-of-stay policy: the most specific matching rule sets the default, and administrators change the rules."""

import random

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from app.models import AuditEvent, LengthOfStayRule, Person, Referral
from app.permissions import Role
from app.services import length_of_stay
from app.services.length_of_stay import RuleDetails
from app.services.validation import InvalidInput, Refused
from vocabulary import APType, Gender, ReoffendingTier, SentenceType


@pytest.fixture
def policy():
    length_of_stay.add_default_policy()
    db.session.commit()


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def _referral(sentence=SentenceType.STANDARD_DETERMINATE, tier=ReoffendingTier.C, gender=Gender.MALE) -> Referral:
    return Referral(sentence_type=sentence, reoffending_tier=tier, person=Person(gender=gender))


@pytest.mark.parametrize(("ap_type", "referral", "weeks"), [
    (APType.STANDARD, _referral(), 12),
    (APType.RECOVERY_FOCUSED, _referral(), 12),
    (APType.STANDARD, _referral(SentenceType.COMMUNITY_ORDER), 8),
    (APType.STANDARD, _referral(SentenceType.BAIL_PLACEMENT), 8),
    (APType.STANDARD, _referral(SentenceType.LIFE), 16),
    (APType.PIPE, _referral(), 26),
    (APType.PIPE, _referral(SentenceType.LIFE), 26),  # as specific as "life", and the AP type comes first
    (APType.ESAP, _referral(SentenceType.IPP), 52),
    (APType.MENTAL_HEALTH, _referral(gender=Gender.FEMALE), 26),
])
def test_the_default_policy(policy, ap_type, referral, weeks):
    assert length_of_stay.default_weeks(ap_type, referral) == weeks


def test_the_rule_naming_more_wins_and_between_equals_the_earlier_criterion(policy, admin):
    length_of_stay.add_rule(admin, RuleDetails(APType.STANDARD, SentenceType.LIFE, None, None, 20))
    length_of_stay.add_rule(admin, RuleDetails(None, None, ReoffendingTier.A, None, 10))
    length_of_stay.add_rule(admin, RuleDetails(None, None, None, Gender.FEMALE, 14))
    assert length_of_stay.default_weeks(APType.STANDARD, _referral(SentenceType.LIFE)) == 20
    assert length_of_stay.default_weeks(APType.RECOVERY_FOCUSED, _referral(SentenceType.LIFE)) == 16
    woman_tier_a = _referral(tier=ReoffendingTier.A, gender=Gender.FEMALE)
    assert length_of_stay.default_weeks(APType.STANDARD, woman_tier_a) == 10
    assert length_of_stay.default_weeks(APType.STANDARD, _referral(gender=Gender.FEMALE)) == 14


def test_no_policy_no_default():
    assert length_of_stay.default_weeks(APType.STANDARD, _referral()) is None


def _optional(values):
    return st.sampled_from([None, *values])


RULES = st.lists(st.builds(RuleDetails, _optional(APType), _optional(SentenceType), _optional(ReoffendingTier),
                           _optional(Gender), st.integers(1, 104)),
                 unique_by=lambda rule: (rule.ap_type, rule.sentence_type, rule.reoffending_tier, rule.gender))


@given(rules=RULES, ap_type=st.sampled_from(APType), sentence=st.sampled_from(SentenceType),
       tier=st.sampled_from(ReoffendingTier), gender=st.sampled_from(Gender), seed=st.integers())
def test_the_chosen_rule_matches_names_the_most_and_does_not_depend_on_order(rules, ap_type, sentence, tier, gender,
                                                                             seed):
    referral = _referral(sentence, tier, gender)
    chosen = length_of_stay.most_specific(rules, ap_type, referral)
    matching = [rule for rule in rules if length_of_stay.matches(rule, ap_type, referral)]
    assert (chosen is None) == (not matching)
    if chosen is not None:
        assert chosen in matching

        def named(rule):
            return sum(getattr(rule, criterion) is not None for criterion in length_of_stay.CRITERIA)

        assert all(named(rule) <= named(chosen) for rule in matching)
        random.Random(seed).shuffle(rules)
        assert length_of_stay.most_specific(rules, ap_type, referral) == chosen


# --- administrators change the policy -----------------------------------------------------------------------------


def _refused(action) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refusal:
        action()
    db.session.rollback()
    return refusal.value.problems


@pytest.mark.parametrize(("weeks", "problem"), [
    (None, "Enter the length of stay in weeks"),
    (0, "The length of stay must be from 1 to 104 weeks"),
    (-4, "The length of stay must be from 1 to 104 weeks"),
    (105, "The length of stay must be from 1 to 104 weeks"),
])
def test_a_rule_needs_a_sensible_number_of_weeks(admin, weeks, problem):
    assert _refused(lambda: length_of_stay.add_rule(admin, RuleDetails(APType.PIPE, None, None, None, weeks))) == {
        "weeks": problem}


def test_two_rules_for_the_same_people_are_refused(policy, admin):
    assert _refused(lambda: length_of_stay.add_rule(admin, RuleDetails(APType.PIPE, None, None, None, 30))) == {
        "ap_type": "There is already a rule for these: change that rule instead"}
    life = db.session.scalar(sa.select(LengthOfStayRule).filter_by(sentence_type=SentenceType.LIFE))
    assert _refused(lambda: length_of_stay.change_rule(admin, life, RuleDetails(None, SentenceType.IPP, None, None,
                                                                                   16))) == {
        "ap_type": "There is already a rule for these: change that rule instead"}


def test_the_rule_for_everyone_keeps_applying_to_everyone(policy, admin):
    everyone = length_of_stay.policy()[0]
    assert everyone.criteria == "Everyone"
    assert _refused(lambda: length_of_stay.change_rule(admin, everyone, RuleDetails(None, None, None, Gender.MALE,
                                                                                       12))) == {
        "ap_type": "The rule for everyone keeps applying to everyone: change only its weeks"}
    with pytest.raises(Refused):
        length_of_stay.remove_rule(admin, everyone)
    length_of_stay.change_rule(admin, everyone, RuleDetails(None, None, None, None, 10))
    assert length_of_stay.default_weeks(APType.STANDARD, _referral()) == 10


def test_changes_are_audited_and_only_administrators_make_them(policy, admin, make_user):
    rule = length_of_stay.add_rule(admin, RuleDetails(APType.PIPE, SentenceType.LIFE, None, Gender.FEMALE, 30))
    assert rule.criteria == "Psychologically informed planned environment (PIPE), Life sentence, Women"
    length_of_stay.change_rule(admin, rule, RuleDetails(APType.PIPE, SentenceType.LIFE, None, Gender.FEMALE, 32))
    length_of_stay.remove_rule(admin, rule)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(event.action, event.user_id) for event in events] == [
        ("length_of_stay_rule_added", admin.id), ("length_of_stay_rule_changed", admin.id),
        ("length_of_stay_rule_removed", admin.id)]
    assert events[1].details == {"changes": {"weeks": [30, 32]}}
    with pytest.raises(Refused):
        length_of_stay.add_rule(make_user(Role.ASSESSOR), RuleDetails(APType.ESAP, SentenceType.LIFE, None, None, 40))
