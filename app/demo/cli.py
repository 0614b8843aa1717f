"""`flask demo load`: fill an empty database with the demo estate, residents and accounts."""

import click
from flask.cli import AppGroup

from app.demo.history import HISTORY_YEARS
from app.demo.loader import DemoRefused, load_demo_data

demo_cli = AppGroup("demo", help="Demo data for trying the service (never in production).")


@demo_cli.command("load")
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same demo on the same day.")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when the estate already has premises.")
@click.option("--history-years", default=HISTORY_YEARS, show_default=True, type=click.IntRange(0, 10),
              help="Years of past placements before today.")
def load(seed: int, if_empty: bool, history_years: int) -> None:
    """Build a national estate of 104 fictional APs with residents, and one demo account per role."""
    try:
        summary = load_demo_data(seed, if_empty=if_empty, history_years=history_years)
    except DemoRefused as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(summary or "The estate already has premises: demo data not loaded")
