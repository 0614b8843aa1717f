"""Where a referred person would live: their home area, how far from it they would go, and the APs they prefer.

The rules of the referral's Location section (app/services/referrals.py), and the place-name check that every
answer naming a town or a postcode district shares.
"""

import sqlalchemy as sa

from app.extensions import db
from app.geo.postcodes import district_of, locate
from app.models import Person, Premises, Referral
from app.models.referral_location import MAX_PREFERRED_PREMISES
from vocabulary import Point

# Any two places in England and Wales are well within 500 miles of each other, so a larger figure is a typing slip.
MAX_DISTANCE_MILES = 500
UNKNOWN_PLACE = "Enter a town in England or Wales, or a postcode district, like Leeds or LS1"


def place_problem(text: str | None, *, missing: str | None = None) -> str | None:
    """What is wrong with a town or postcode district typed by a user: None when the service can locate it, or when
    it is blank and `missing` is None (an optional answer)."""
    text = (text or "").strip()
    if not text:
        return missing
    if locate(text) is not None:
        return None
    if any(character.isdigit() for character in text) and district_of(text) is None:
        return "Enter a postcode district in the correct format, like LS1 or SE5"
    return UNKNOWN_PLACE


def home_point(referral: Referral) -> Point | None:
    """Where the person's home area is, if it is known: where a map of their zones starts."""
    place = locate(referral.home_area) if referral.home_area else None
    return place.point if place else None


def distance_problem(miles: int | None) -> str | None:
    if miles is None:
        return "Enter the furthest distance the person would accept, in miles"
    if miles <= 0:
        return "The distance must be more than 0 miles"
    if miles > MAX_DISTANCE_MILES:
        return f"The distance must be {MAX_DISTANCE_MILES} miles or less"
    return None


def preferred_premises_problems(person: Person, has_preferred: bool | None,
                                premises_ids: list[int] | None) -> dict[str, str | None]:
    """Up to five APs, each once and each one offered to the person, in order of preference; none when the answer
    is no."""
    premises_ids = premises_ids or []
    if has_preferred is None:
        return {"has_preferred_premises": "Select whether the person has preferred APs"}
    if not has_preferred:
        return {"preferred_premises_ids": "Remove the preferred APs, or select yes" if premises_ids else None}
    if not premises_ids:
        return {"preferred_premises_ids": "Select the person's first preferred AP"}
    if len(premises_ids) > MAX_PREFERRED_PREMISES:
        return {"preferred_premises_ids": f"Select up to {MAX_PREFERRED_PREMISES} preferred APs"}
    offered = {premises.id: premises for premises in premises_to_prefer(person)}
    if any(premises_id not in offered for premises_id in premises_ids):
        return {"preferred_premises_ids": "Select preferred APs from the list"}
    twice = next((premises_id for premises_id in premises_ids if premises_ids.count(premises_id) > 1), None)
    if twice is not None:
        return {"preferred_premises_ids": f"You have chosen {offered[twice].name} twice: choose each AP once"}
    return {}


def premises_to_prefer(person: Person) -> list[Premises]:
    """The open APs that take people of the person's gender, by name."""
    query = sa.select(Premises).where(Premises.is_active, Premises.gender == person.gender).order_by(Premises.name)
    return list(db.session.scalars(query))
