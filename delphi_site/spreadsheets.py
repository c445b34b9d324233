"""Cells written to and read from spreadsheets that no spreadsheet program will run as formulas."""

from typing import Any

# What makes Excel or LibreOffice read a cell as a formula (OWASP's CSV injection list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Text a spreadsheet shows as typed, never runs: formula-like cells get a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
