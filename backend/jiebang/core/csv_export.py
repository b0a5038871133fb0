"""CSV exports that spreadsheets cannot run: one helper for every CSV the platform writes.

A cell beginning with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab, a
carriage return or line feed, ``|`` or ``%`` can be read as a formula (or a DDE command such
as ``=cmd|' /C calc'!A0`` or ``|calc``) by Excel, LibreOffice and WPS. Such text cells get a
leading apostrophe, which spreadsheets show as text and do not display (OWASP "CSV
injection"). Leading spaces do not hide a trigger: ``  =1+1`` is neutralised too. Numbers
stay numbers (a BD-rate of -3.2 is a value, not a formula), so only ``str`` cells change.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n|%＝＋－＠")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would evaluate turned into plain text."""
    if not isinstance(value, str) or not value:
        return value
    first = value.lstrip(" \u00a0\u3000")[:1]
    if first in FORMULA_TRIGGERS or value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def to_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text of the header and rows, every cell passed through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()
