"""Command-line tools: `flask reference sync`, plus the geo and demo groups."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.demo.cli import demo_cli
from app.geo.cli import geo_cli
from app.services.reference import ReferenceDataConflict, sync_reference_data

reference_cli = AppGroup("reference", help="Reference data every deployment needs.")


@reference_cli.command("sync")
def sync() -> None:
    """Make regions, areas and characteristics equal to the vocabulary package."""
    try:
        changes = sync_reference_data()
    except ReferenceDataConflict as conflict:
        raise click.ClickException(str(conflict)) from conflict
    for change in changes:
        click.echo(change)
    click.echo("Reference data is up to date")


def register(app: Flask) -> None:
    app.cli.add_command(reference_cli)
    app.cli.add_command(geo_cli)
    app.cli.add_command(demo_cli)
