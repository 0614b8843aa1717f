"""Steps of the offender manager's referral that several journeys take: filling dates and radios, adding a person,
drawing a zone on the map and completing every section."""

from datetime import date, timedelta

from playwright.sync_api import Page, expect


def fill_date(page: Page, field: str, day: date) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#{field}-{part}").fill(str(value))


def choose(page: Page, **answers: str) -> None:
    """Tick each named radio (or checkbox) with the given value."""
    for name, value in answers.items():
        page.locator(f"input[name={name}][value='{value}']").check()


def save(journey) -> Page:
    return journey.click("button", "Save and continue")


def next_section(journey, title: str) -> Page:
    """From a section's answers back to the task list, and into the next section."""
    journey.click("link", "Back to the referral")
    return journey.click("link", title, exact=True)


def add_person(journey, page: Page, crn: str, name: str = "Sam Fictional") -> None:
    journey.navigate_to("Find a person")
    page.get_by_label("CRN or name").fill(crn)
    journey.click("button", "Search")
    journey.click("link", "add them")
    page.get_by_label("CRN (case reference number)").fill(crn)
    page.get_by_label("Full name").fill(name)
    fill_date(page, "date_of_birth", date(1985, 2, 3))
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").fill("British")
    journey.click("button", "Add person")


def draw_on_map(page: Page) -> None:
    """Click the polygon tool, then four corners in the middle of the map and the first corner again to finish."""
    page.get_by_title("Draw a zone").click()
    box = page.locator(".app-zone-map--drawing").bounding_box()
    middle_x, middle_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in [(-40, -40), (40, -40), (40, 40), (-40, 40), (-40, -40)]:
        page.mouse.click(middle_x + dx, middle_y + dy)


def complete_every_section(journey, page: Page, today: date) -> None:
    """Answer every section from the task list, with a zone drawn on the map and a non-associate, and come back."""
    journey.click("link", "Sentence and release")
    choose(page, sentence_type="standard_determinate")
    save(journey)
    choose(page, release_type="licence")
    save(journey)
    fill_date(page, "arrival_date", today + timedelta(days=60))
    save(journey)
    fill_date(page, "licence_expiry_date", today + timedelta(days=700))
    save(journey)
    choose(page, mappa_category="2", mappa_level="2")
    save(journey)
    choose(page, placement_purpose="public_protection")
    save(journey)
    choose(page, requested_ap_type="standard")
    save(journey)

    next_section(journey, "Risk of serious harm")
    choose(page, rosh_overall="high", rosh_children="low", rosh_public="high", rosh_known_adult="very_high",
           rosh_staff="medium")
    fill_date(page, "rosh_assessed_on", today - timedelta(days=7))
    save(journey)
    fill_date(page, "rosh_review_due_on", today + timedelta(weeks=12))
    save(journey)
    choose(page, risk_flags="weapons")
    save(journey)

    next_section(journey, "Likelihood of reoffending")
    page.get_by_label("OGRS score (optional)").fill("42")
    save(journey)

    next_section(journey, "Offences")
    choose(page, arson_offence="previous", sexual_offence_against_adults="none",
           contact_sexual_offence_against_children="none", non_contact_sexual_offence_against_children="none",
           non_sexual_offence_against_children="none", hate_crime_offence="none")
    save(journey)

    next_section(journey, "Needs")
    choose(page, needs="none")
    save(journey)

    next_section(journey, "Location")
    page.get_by_label("Home area").fill("Preston")
    page.get_by_label("What ties the person to this area?").fill("Family nearby")
    save(journey)
    page.get_by_label("Furthest distance, in miles").fill("50")
    save(journey)
    page.get_by_label("No", exact=True).check()
    save(journey)

    next_section(journey, "Victims and exclusion zones")
    page.get_by_label("Yes, a victim has opted in to the victim contact scheme").check()
    save(journey)
    page.get_by_label("Yes", exact=True).check()
    save(journey)
    journey.click("button", "Add an exclusion zone")
    page.get_by_label("Label").fill("Around the victim's workplace")
    page.get_by_label("Drawn on a map").check()
    expect(page.locator(".app-zone-map__town").first).to_be_visible()  # the offline base layer has loaded
    draw_on_map(page)
    journey.click("button", "Add zone")
    journey.click("button", "Continue")
    page.get_by_label("Yes", exact=True).check()
    save(journey)
    journey.click("button", "Add a non-associate")
    page.get_by_label("CRN (case reference number)").fill("A111111")
    page.get_by_label("Full name").fill("Kit Fictional")
    page.get_by_label("Co-defendant").check()
    journey.click("button", "Add non-associate")
    journey.click("button", "Continue")

    next_section(journey, "Licence conditions")
    choose(page, has_standard_licence_conditions="yes", has_electronic_monitoring="no")
    save(journey)
    choose(page, has_curfew="no")
    save(journey)

    next_section(journey, "Move-on")
    choose(page, move_on_category="supported_housing")
    save(journey)
    choose(page, has_move_on_plans="yes", has_immigration_issues="no")
    save(journey)

    next_section(journey, "Contingency plan and arrival information")
    page.get_by_label("What is the contingency plan?").fill("Call the duty officer and return to the office.")
    save(journey)
    journey.click("link", "Back to the referral")
