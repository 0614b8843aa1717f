"""The referral's task list and the Sentence and release section, page by page."""

from datetime import date

from app.extensions import db
from app.models import Region
from app.permissions import Role
from tests.app.pages import error_messages
from tests.app.queries import counting_queries
from vocabulary import ReleaseType, SentenceType


def _page(referral, slug: str) -> str:
    return f"/referrals/{referral.id}/sentence-and-release/{slug}"


def _statuses(page) -> dict[str, str]:
    return {item.select_one(".govuk-task-list__name-and-hint").text.strip(): item.select_one(".govuk-task-list__status").text.strip()
            for item in page.select(".govuk-task-list__item")}


def test_the_task_list_shows_every_section_and_only_the_built_ones_link(client_request, referral):
    page = client_request.get(f"/referrals/{referral.id}")
    assert _statuses(page) == {
        "Sentence and release": "Not started",
        "Risk of serious harm": "Not started",
        "Likelihood of reoffending": "Not started",
        "Offences": "Not started",
        "Needs": "Not started",
        "Location": "Not started",
        "Victims and exclusion zones": "Not started",
        "Licence conditions": "Not started",
        "Move-on": "Not started",
        "Contingency plan and arrival information": "Not started",
    }
    assert [link["href"] for link in page.select(".govuk-task-list__link")] == [
        _page(referral, "sentence-type"), f"/referrals/{referral.id}/risk/rosh",
        f"/referrals/{referral.id}/reoffending/likelihood", f"/referrals/{referral.id}/offences/offences",
        f"/referrals/{referral.id}/needs/needs", f"/referrals/{referral.id}/location/home-area",
        f"/referrals/{referral.id}/victims/victim-contact", f"/referrals/{referral.id}/licence-conditions/conditions",
        f"/referrals/{referral.id}/move-on/move-on", f"/referrals/{referral.id}/arrival/arrival"]


def test_the_whole_section_page_by_page_to_completed(client_request, referral):
    steps = [
        ("sentence-type", {"sentence_type": "standard_determinate"}, "release-type"),
        ("release-type", {"release_type": "licence"}, "arrival-date"),
        ("arrival-date", {"arrival_date": ["1", "7", "2030"]}, "notice"),  # 16 days away: short notice
        ("notice", {"is_emergency": "no", "lateness_reason": "Parole decision came late"}, "licence-expiry"),
        ("licence-expiry", {"licence_expiry_date": ["1", "7", "2031"]}, "mappa"),
        ("mappa", {"mappa_category": "2", "mappa_level": "1"}, "purpose"),
        ("purpose", {"placement_purpose": "public_protection"}, "ap-type"),
        ("ap-type", {"requested_ap_type": "pipe"}, "check-answers"),
    ]
    for slug, data, following in steps:
        assert client_request.post(_page(referral, slug), data) == _page(referral, following)
    page = client_request.get(_page(referral, "check-answers"))
    rows = {row.dt.text.strip(): row.dd.text.strip() for row in page.select(".govuk-summary-list__row")}
    assert rows["Notice"] == "Short notice"
    assert rows["MAPPA"] == "Category 2: violent offender"
    assert rows["Type of AP"] == "Psychologically informed planned environment (PIPE)"
    changeable = [row.dt.text.strip() for row in page.select(".govuk-summary-list__row") if row.select_one("a")]
    assert "Notice" not in changeable and "MAPPA level" in changeable
    assert not page.select(".govuk-warning-text")
    assert _statuses(client_request.get(f"/referrals/{referral.id}"))["Sentence and release"] == "Completed"
    my_referrals = client_request.get("/referrals")
    assert "1 of 10 sections completed" in my_referrals.select_one("tbody").text


def test_release_types_offered_fit_the_sentence(client_request, manager, make_referral):
    referral = make_referral(manager, sentence_type=SentenceType.BAIL_PLACEMENT)
    page = client_request.get(_page(referral, "release-type"))
    assert [radio["value"] for radio in page.select("input[name=release_type]")] == ["in_community", "not_applicable"]
    page = client_request.post(_page(referral, "release-type"), {"release_type": "hdc"}, expected_status=200)
    assert error_messages(page) == {"release_type": "Select a release type that fits the sentence type"}


def test_a_past_date_is_refused_and_the_saved_date_kept(client_request, manager, make_referral):
    referral = make_referral(manager, arrival_date=date(2030, 9, 1))
    page = client_request.post(_page(referral, "arrival-date"), {"arrival_date": ["14", "6", "2030"]}, expected_status=200)
    assert error_messages(page) == {"arrival_date-day": "The date of release or arrival must be today or in the future"}
    assert page.select_one(".govuk-error-summary a")["href"] == "#arrival_date-day"
    db.session.refresh(referral)
    assert referral.arrival_date == date(2030, 9, 1)


def test_a_mappa_level_without_a_category_is_refused(client_request, referral):
    page = client_request.post(_page(referral, "mappa"), {"mappa_category": "none", "mappa_level": "2"}, expected_status=200)
    assert error_messages(page) == {"mappa_level": "Select a MAPPA category to give a level, or select no level"}


def test_a_page_that_does_not_apply_leads_back_into_the_section(client_request, manager, make_referral):
    referral = make_referral(manager, sentence_type=SentenceType.COMMUNITY_ORDER, release_type=ReleaseType.IN_COMMUNITY)
    assert client_request.get(_page(referral, "licence-expiry"), expected_status=302)


def test_another_regions_offender_manager_gets_404(client_request, make_user, referral):
    wales = db.session.scalar(db.select(Region).where(Region.name == "Wales"))
    client_request.sign_in(make_user(Role.OFFENDER_MANAGER, region=wales, email="wales@example.test"))
    for url in (f"/referrals/{referral.id}", _page(referral, "sentence-type"), _page(referral, "check-answers")):
        client_request.get(url, expected_status=404)
    client_request.post(_page(referral, "sentence-type"), {"sentence_type": "life"}, expected_status=404)
    db.session.refresh(referral)
    assert referral.sentence_type is None


def test_an_unknown_section_or_page_is_not_found(client_request, referral):
    client_request.get(f"/referrals/{referral.id}/risk/overall", expected_status=404)
    client_request.get(_page(referral, "nonsense"), expected_status=404)


def test_check_answers_marks_what_is_missing_or_no_longer_valid(client_request, manager, make_referral):
    referral = make_referral(manager, sentence_type=SentenceType.COMMUNITY_ORDER, release_type=ReleaseType.LICENCE)
    page = client_request.get(_page(referral, "check-answers"))
    rows = {row.dt.text.strip(): row.dd.text.strip() for row in page.select(".govuk-summary-list__row")}
    assert rows["Release type"] == "Check this answer Licence"
    assert rows["Date of release or arrival"] == "Not answered"
    assert page.select_one(".govuk-warning-text")


def test_my_referrals_costs_the_same_queries_with_more_referrals(client_request, manager, make_referral, make_person):
    make_referral(manager)

    def queries() -> int:
        db.session.expunge_all()  # requests share the test's session: start each from nothing loaded
        with counting_queries() as statements:
            client_request.get("/referrals")
        return len(statements)

    few = queries()
    for number in range(3):
        make_referral(db.session.merge(manager), make_person(crn=f"X00000{number}", name=f"Person {number}"))
    assert queries() == few


def test_not_a_mappa_case_shows_no_mappa_level(client_request, manager, make_referral):
    referral = make_referral(manager, is_mappa_case=False)
    rows = _rows_of(client_request.get(_page(referral, "check-answers")))
    assert rows["MAPPA"] == "Not a MAPPA case"
    assert "MAPPA level" not in rows


def _rows_of(page) -> dict[str, str]:
    return {row.dt.text.strip(): row.dd.text.strip() for row in page.select(".govuk-summary-list__row")}
