"""`flask reference sync` makes the reference tables equal to the vocabulary, whatever they held before."""

import pytest
import sqlalchemy as sa

import vocabulary
from app.extensions import db
from app.models import Area, Characteristic, LengthOfStayRule, Region
from app.services.reference import sync_reference_data

UP_TO_DATE = "Reference data is up to date\n"


def stored_reference_data() -> tuple[set, set, set]:
    db.session.expire_all()  # the command ran in its own session
    return (
        {(c.code, c.label, c.scope) for c in db.session.scalars(sa.select(Characteristic))},
        {(r.name, r.area.name if r.area else None) for r in db.session.scalars(sa.select(Region))},
        {(a.name, a.is_womens_estate) for a in db.session.scalars(sa.select(Area))},
    )


def vocabulary_reference_data() -> tuple[set, set, set]:
    return (
        {(c.code, c.label, c.scope) for c in vocabulary.CHARACTERISTICS},
        {(name, vocabulary.AREA_OF_REGION[name]) for name in vocabulary.REGION_NAMES},
        {(name, False) for name in vocabulary.AREAS} | {(vocabulary.WOMENS_ESTATE, True)},
    )


@pytest.fixture
def sync(app):
    """Runs the command; afterwards puts the reference data back for the other tests, even if this one fails."""
    yield lambda: app.test_cli_runner().invoke(args=["reference", "sync"])
    db.session.rollback()
    sync_reference_data()


def _one(model, **where):
    return db.session.scalar(sa.select(model).filter_by(**where))


def test_the_test_database_starts_equal_to_the_vocabulary():
    assert stored_reference_data() == vocabulary_reference_data()


def test_sync_repairs_every_kind_of_difference(sync, make_premises):
    _one(Characteristic, code="is_catered").label = "Has a canteen"
    _one(Characteristic, code="is_single").scope = vocabulary.CharacteristicScope.PREMISES
    db.session.delete(_one(Characteristic, code="has_lift"))
    pipe = Characteristic(code="is_pipe", label="Is a PIPE", scope=vocabulary.CharacteristicScope.PREMISES)
    db.session.add(pipe)
    db.session.delete(_one(Region, name="Wales"))
    _one(Region, name="London").area = _one(Area, name="North")
    _one(Area, name="North").is_womens_estate = True
    db.session.add(Area(name="Atlantis"))
    db.session.add(Region(name="Kent Surrey Sussex", area=_one(Area, name="South and East")))
    db.session.commit()
    premises = make_premises(characteristics=("is_catered",))
    premises.characteristics.append(pipe)
    db.session.commit()
    assert stored_reference_data() != vocabulary_reference_data()

    result = sync()

    assert result.exit_code == 0, result.output
    assert stored_reference_data() == vocabulary_reference_data()
    assert [c.code for c in db.session.get(type(premises), premises.id).characteristics] == ["is_catered"]
    assert result.output.endswith(UP_TO_DATE)
    assert {
        "Added region Wales", "Removed region Kent Surrey Sussex", "Removed area Atlantis", "Added characteristic has_lift",
        "Removed characteristic is_pipe from every premises and room", "Moved region London to area South and East",
    } <= set(result.output.splitlines())


def test_a_second_sync_changes_nothing(sync):
    sync()
    before = stored_reference_data()
    assert sync().output == UP_TO_DATE
    assert stored_reference_data() == before == vocabulary_reference_data()


def test_refuses_to_remove_a_region_that_premises_still_belong_to(sync, make_premises):
    lyonesse = Region(name="Lyonesse", area=_one(Area, name="South and East"))
    db.session.add(lyonesse)
    premises = make_premises("Drowned House", target_region=lyonesse)

    result = sync()

    assert result.exit_code == 1
    assert "Region Lyonesse is not in the vocabulary but premises or users still belong to it" in result.output
    db.session.expire_all()
    assert _one(Region, name="Lyonesse") is not None
    db.session.delete(premises)  # so that the clean-up sync may remove the region
    db.session.commit()


def test_sync_adds_the_default_length_of_stay_policy_once_and_keeps_changes_to_it(sync):
    db.session.execute(sa.delete(LengthOfStayRule))
    db.session.commit()
    assert "Added the default length-of-stay policy (8 rules)" in sync().output
    pipe = _one(LengthOfStayRule, ap_type=vocabulary.APType.PIPE)
    pipe.weeks = 30
    db.session.commit()
    assert sync().output == UP_TO_DATE
    assert _one(LengthOfStayRule, ap_type=vocabulary.APType.PIPE).weeks == 30
