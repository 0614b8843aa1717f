"""The default length of stay an assessor authorises, from a policy table that administrators change.

The most specific rule that matches wins: the one naming the most of AP type, sentence type, tier and gender.
Between rules naming as many, the one whose first named criterion comes earliest in that order wins (AP type
before sentence type before tier before gender), so that a PIPE is 26 weeks whatever the sentence. The rule for
everyone (naming none) always exists and cannot be removed, so every referral has a default.

`flask reference sync` adds DEFAULT_POLICY while the table is empty; after that the table is the administrators'.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import LengthOfStayRule, Referral, User
from app.models.length_of_stay import CRITERIA
from app.permissions import Permission
from app.services import audit
from app.services.validation import Refused, refuse_if_any
from vocabulary import APType, Gender, ReoffendingTier, SentenceType

MIN_WEEKS, MAX_WEEKS = 1, 104  # no AP stay is authorised for more than two years


@dataclass(frozen=True)
class RuleDetails:
    ap_type: APType | None
    sentence_type: SentenceType | None
    reoffending_tier: ReoffendingTier | None
    gender: Gender | None
    weeks: int | None


DEFAULT_POLICY = (
    RuleDetails(None, None, None, None, 12),
    RuleDetails(None, SentenceType.COMMUNITY_ORDER, None, None, 8),
    RuleDetails(None, SentenceType.BAIL_PLACEMENT, None, None, 8),
    RuleDetails(None, SentenceType.LIFE, None, None, 16),
    RuleDetails(None, SentenceType.IPP, None, None, 16),
    RuleDetails(APType.PIPE, None, None, None, 26),
    RuleDetails(APType.ESAP, None, None, None, 52),
    RuleDetails(APType.MENTAL_HEALTH, None, None, None, 26),
)


def _specificity(rule) -> tuple:
    named = [getattr(rule, criterion) is not None for criterion in CRITERIA]
    return sum(named), named


def matches(rule, ap_type: APType, referral: Referral) -> bool:
    wanted = {"ap_type": ap_type, "sentence_type": referral.sentence_type,
              "reoffending_tier": referral.reoffending_tier, "gender": referral.person.gender}
    return all(getattr(rule, criterion) in (None, wanted[criterion]) for criterion in CRITERIA)


def most_specific(rules, ap_type: APType, referral: Referral):
    """The rule that sets the length of a placement of this AP type for this referral; None when none matches."""
    matching = [rule for rule in rules if matches(rule, ap_type, referral)]
    return max(matching, key=_specificity) if matching else None


def default_weeks(ap_type: APType, referral: Referral) -> int | None:
    rule = most_specific(policy(), ap_type, referral)
    return rule.weeks if rule else None


def policy() -> list[LengthOfStayRule]:
    """The rules, the one for everyone first and the most specific last."""
    return sorted(db.session.scalars(sa.select(LengthOfStayRule)), key=lambda rule: (_specificity(rule), rule.id))


def weeks_problem(weeks: int | None) -> str | None:
    if weeks is None:
        return "Enter the length of stay in weeks"
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        return f"The length of stay must be from {MIN_WEEKS} to {MAX_WEEKS} weeks"
    return None


def rule_problems(details: RuleDetails, rule: LengthOfStayRule | None = None) -> dict[str, str]:
    problems = {"weeks": weeks_problem(details.weeks)}
    same = sa.select(LengthOfStayRule.id).where(
        *(getattr(LengthOfStayRule, criterion) == value if (value := getattr(details, criterion)) is not None
          else getattr(LengthOfStayRule, criterion).is_(None) for criterion in CRITERIA))
    if rule is not None:
        same = same.where(LengthOfStayRule.id != rule.id)
        if _is_for_everyone(rule) and not _is_for_everyone(details):
            problems["ap_type"] = "The rule for everyone keeps applying to everyone: change only its weeks"
    if db.session.scalar(same) is not None:
        problems["ap_type"] = "There is already a rule for these: change that rule instead"
    return {field: problem for field, problem in problems.items() if problem}


def add_rule(user: User, details: RuleDetails) -> LengthOfStayRule:
    _require_policy_manager(user)
    refuse_if_any(rule_problems(details))
    rule = LengthOfStayRule(**vars(details))
    db.session.add(rule)
    db.session.flush()
    audit.record("length_of_stay_rule_added", rule, user=user, **_codes(details))
    db.session.commit()
    return rule


def change_rule(user: User, rule: LengthOfStayRule, details: RuleDetails) -> None:
    _require_policy_manager(user)
    refuse_if_any(rule_problems(details, rule))
    before = _codes(rule)
    for name, value in vars(details).items():
        setattr(rule, name, value)
    audit.record_changes("length_of_stay_rule_changed", rule, before, _codes(rule), user=user)
    db.session.commit()


def remove_rule(user: User, rule: LengthOfStayRule) -> None:
    _require_policy_manager(user)
    if _is_for_everyone(rule):
        raise Refused("The rule for everyone cannot be removed: every referral needs a default length of stay")
    audit.record("length_of_stay_rule_removed", rule, user=user, **_codes(rule))
    db.session.delete(rule)
    db.session.commit()


def add_default_policy() -> list[str]:
    """DEFAULT_POLICY, when there is no policy yet; never over what administrators have set."""
    if db.session.scalar(sa.select(sa.exists().where(LengthOfStayRule.id.is_not(None)))):
        return []
    db.session.add_all(LengthOfStayRule(**vars(details)) for details in DEFAULT_POLICY)
    return [f"Added the default length-of-stay policy ({len(DEFAULT_POLICY)} rules)"]


def _is_for_everyone(rule) -> bool:
    return all(getattr(rule, criterion) is None for criterion in CRITERIA)


def _require_policy_manager(user: User) -> None:
    if not user.can(Permission.MANAGE_POLICIES):
        raise Refused("Only an administrator can change the length-of-stay policy")


def _codes(rule) -> dict:
    return {name: getattr(getattr(rule, name), "value", getattr(rule, name)) for name in (*CRITERIA, "weeks")}
