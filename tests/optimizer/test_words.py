from datetime import date

from optimizer.schema import Instance, calendar_day
from optimizer.words import a_bed, bed_phrase, plain


def test_characteristics_read_as_plain_words():
    assert plain("has_step_free_access") == "step-free access"
    assert plain("accepts_hate_crime_offenders") == "accepts hate crime offenders"
    assert plain("is_wheelchair_designated") == "wheelchair-designated"
    assert plain("is_step_free_designated") == "step-free-designated"


def test_a_bed_is_named_by_everything_it_must_have():
    assert bed_phrase(frozenset()) == "bed"
    assert bed_phrase(frozenset({"is_arson_suitable"})) == "arson-suitable bed"
    assert bed_phrase(frozenset({"is_suited_for_sex_offenders"})) == "bed suited for sex offenders"
    assert bed_phrase(frozenset({"is_wheelchair_designated", "is_arson_suitable"})) == (
        "bed that is both arson-suitable and wheelchair-designated")
    assert bed_phrase(frozenset({"is_single", "has_en_suite", "is_ground_floor"})) == (
        "bed that is en-suite, ground floor and single")
    assert a_bed(frozenset({"has_en_suite"})) == "an en-suite bed"
    assert a_bed(frozenset({"is_single"})) == "a single bed"


def test_days_are_calendar_dates_when_the_plan_has_a_first_day():
    assert calendar_day(Instance(28, (), first_day=date(2026, 3, 2)), 12) == "14 March 2026"
    assert calendar_day(Instance(28, ()), 12) == "day 12"
