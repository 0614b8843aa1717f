"""Command-line tools: `flask reference sync`, `flask outbox send` and `flask worker`, plus the geo and demo groups."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import jobs
from app.demo.cli import demo_cli
from app.geo.cli import geo_cli
from app.services import notifications
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


outbox_cli = AppGroup("outbox", help="Emails the service owes people.")


@outbox_cli.command("send")
def send_outbox() -> None:
    """Send the emails whose time has come: new ones a send missed and failed ones due another attempt."""
    if not notifications.mail_configured():
        raise click.ClickException("MAIL_SERVER is not set: emails stay in the outbox for administrators to read")
    click.echo(f"Sent {notifications.send_due()} emails")


@click.command("worker")
@with_appcontext
def worker() -> None:
    """Run background jobs (optimiser runs) from REDIS_URL's queue until stopped."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException("REDIS_URL is not set: jobs run inside the web application's process")
    jobs.work(current_app._get_current_object())


def register(app: Flask) -> None:
    app.cli.add_command(reference_cli)
    app.cli.add_command(geo_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(worker)
