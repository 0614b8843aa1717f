"""Reference data every deployment needs: the probation regions, their areas and the characteristics.

The vocabulary package defines them; `sync_reference_data` makes the database's tables equal to it, so a
term is changed in the vocabulary and the next deployment's `flask reference sync` carries it over. It also adds
the default length-of-stay policy to a database that has none (app/services/length_of_stay.py), and leaves a
policy administrators have changed as it is.
"""

import sqlalchemy as sa

import vocabulary
from app.extensions import db
from app.models import Area, Characteristic, Premises, Region, User
from app.models.premises import premises_characteristics, room_characteristics
from app.services import length_of_stay


class ReferenceDataConflict(Exception):
    """The database holds something the vocabulary has dropped, and removing it would lose other records."""


def sync_reference_data() -> list[str]:
    """Create what is missing, correct what differs and remove what the vocabulary no longer has.

    Returns the changes made, in words, so that a second run reporting none proves the tables equal."""
    areas, changes = _sync_areas()
    changes += _sync_regions(areas)
    changes += _remove_areas_not_in_vocabulary()
    changes += _sync_characteristics()
    changes += length_of_stay.add_default_policy()
    db.session.commit()
    return changes


def _sync_areas() -> tuple[dict[str, Area], list[str]]:
    wanted = {name: False for name in vocabulary.AREAS} | {vocabulary.WOMENS_ESTATE: True}
    areas = {area.name: area for area in db.session.scalars(sa.select(Area))}
    changes = []
    for name, is_womens_estate in wanted.items():
        if name not in areas:
            areas[name] = Area(name=name, is_womens_estate=is_womens_estate)
            db.session.add(areas[name])
            changes.append(f"Added area {name}")
        elif areas[name].is_womens_estate != is_womens_estate:
            areas[name].is_womens_estate = is_womens_estate
            changes.append(f"Corrected whether area {name} is the women's estate")
    return areas, changes


def _sync_regions(areas: dict[str, Area]) -> list[str]:
    regions = {region.name: region for region in db.session.scalars(sa.select(Region))}
    changes = []
    for name in vocabulary.REGION_NAMES:
        area = areas[vocabulary.AREA_OF_REGION[name]]
        if name not in regions:
            db.session.add(Region(name=name, area=area))
            changes.append(f"Added region {name}")
        elif regions[name].area is not area:
            regions[name].area = area
            changes.append(f"Moved region {name} to area {area.name}")
    for name in regions.keys() - set(vocabulary.REGION_NAMES):
        _refuse_if_in_use(regions[name])
        db.session.delete(regions[name])
        changes.append(f"Removed region {name}")
    db.session.flush()
    return changes


def _refuse_if_in_use(region: Region) -> None:
    for model in (Premises, User):
        if db.session.scalar(sa.select(sa.exists().where(model.region_id == region.id))):
            raise ReferenceDataConflict(
                f"Region {region.name} is not in the vocabulary but premises or users still belong to it: "
                "move them to another region, then sync again"
            )


def _remove_areas_not_in_vocabulary() -> list[str]:
    wanted = {*vocabulary.AREAS, vocabulary.WOMENS_ESTATE}
    extra = db.session.scalars(sa.select(Area).where(Area.name.not_in(wanted))).all()
    for area in extra:
        db.session.delete(area)
    return [f"Removed area {area.name}" for area in extra]


def _sync_characteristics() -> list[str]:
    stored = {row.code: row for row in db.session.scalars(sa.select(Characteristic))}
    changes = []
    for term in vocabulary.CHARACTERISTICS:
        row = stored.pop(term.code, None)
        if row is None:
            db.session.add(Characteristic(code=term.code, label=term.label, scope=term.scope))
            changes.append(f"Added characteristic {term.code}")
        elif (row.label, row.scope) != (term.label, term.scope):
            row.label, row.scope = term.label, term.scope
            changes.append(f"Corrected the label or scope of characteristic {term.code}")
    for row in stored.values():
        _remove_characteristic(row)
        changes.append(f"Removed characteristic {row.code} from every premises and room")
    return changes


def _remove_characteristic(row: Characteristic) -> None:
    for links in (premises_characteristics, room_characteristics):
        db.session.execute(links.delete().where(links.c.characteristic_id == row.id))
    db.session.delete(row)
