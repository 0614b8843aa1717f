"""Responses that download a table (app/services/exports.py) as CSV or XLSX."""

from datetime import date

from flask import Response, stream_with_context

from app.services import exports

FILE_FORMATS = "any(csv, xlsx)"  # the URL converter of a download route's format


def download(table: exports.Table, file_format: str, day: date) -> Response:
    """CSV streams as it is written; a workbook is built whole, as XLSX (a zip file) must be."""
    body = stream_with_context(exports.csv_lines(table)) if file_format == "csv" else exports.xlsx_bytes(table)
    disposition = f'attachment; filename="{exports.filename(table, file_format, day)}"'
    return Response(body, mimetype=exports.FORMATS[file_format], headers={"Content-Disposition": disposition})
