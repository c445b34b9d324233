"""Numbers as every page and report prints them: two decimals, halves upwards.

One rule for the whole site (the `number` template filter and the messages that quote a
figure use it): 4.125 -> "4.13", 2.5 -> "2.50", None -> a dash. The value is read as the decimal
it is written as (a float as it prints, a Decimal or Fraction exactly), the same reading as
``analysis.stats.round_half_up``, which the frozen results were rounded with.
"""

import math
from decimal import Decimal
from fractions import Fraction

MISSING = "\N{EN DASH}"


def _exact(value) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("expected a number, got a bool")
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, Fraction | int | Decimal):
        return Fraction(value)
    if hasattr(value, "__float__"):  # numpy scalars
        return Fraction(repr(float(value)))
    return Fraction(Decimal(str(value).strip()))


def half_up(value, places: int = 2) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals, exactly."""
    scale = 10**places
    return Decimal(math.floor(_exact(value) * scale + Fraction(1, 2))).scaleb(-places)


def format_number(value, places: int = 2, *, signed: bool = False) -> str:
    """``value`` with ``places`` decimals, halves upwards; a dash when there is no value.
    ``signed`` puts "+" before a positive value (a change since the previous round)."""
    if value is None or value == "":
        return MISSING
    rounded = half_up(value, places)
    text = f"{rounded:.{places}f}"
    if text.startswith("-") and not rounded:
        text = text[1:]  # -0.00 reads as 0.00
    return f"+{text}" if signed and rounded > 0 else text


def format_p_value(value) -> str:
    """A p-value with two decimals; below 0.005, where two decimals would read 0.00, "< 0.01"."""
    if value is None or value == "":
        return MISSING
    if _exact(value) < Fraction(5, 1000):
        return "< 0.01"
    return format_number(value)
