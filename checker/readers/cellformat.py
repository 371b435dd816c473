"""A spreadsheet cell's value as the sheet shows it, so a figure keeps the decimals it is printed with.

Excel stores numbers as binary floating point and prints them through the cell's number format
(``#,##0.00`` shows 3415.1 as ``3,415.10``). The checker reads figures *as printed* (a figure with
d decimals stands for an interval, BRIEF §3), so a number cell becomes the text its format gives:
the float's shortest decimal form (``repr``, exactly what was typed or exported), rounded half away
from zero to the format's decimals, with thousands separators and ``%`` when the format has them.
No arithmetic is done in floating point. Dates become 2024年12月31日. Quoted literals, colours and
padding in a format are not figures and are left out.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: Excel keeps 15 significant digits; a General cell never shows more.
GENERAL_DIGITS = 15

_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_DATE_CODES = re.compile(r"[yYmMdDhHsS]|上午|下午|AM/PM|A/P")


def number_text(value: int | float | Decimal, number_format: str | None) -> str:
    """``value`` as a cell with ``number_format`` displays it (General when the format is empty or unknown)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) \
            else Decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    section = _first_section(number_format or "")
    if not section or section.lower() in ("general", "@") or not re.search(r"[0#?]", section):
        return _general(number)
    if "%" in section:
        number *= 100
    decimals = _decimals(section)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # Excel prints -0.001 at two decimals as 0.00
    text = f"{rounded:,.{decimals}f}" if _grouped(section) else f"{rounded:.{decimals}f}"
    return text + ("%" if "%" in section else "")


def date_text(value: datetime | date | time) -> str:
    """A date cell as Chinese reports write dates (2024年12月31日); a time of day as 13:05."""
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value:%H:%M}"


def is_date_format(number_format: str | None) -> bool:
    """Whether the format prints a date or time (codes y/m/d/h/s outside quoted literals)."""
    section = _first_section(number_format or "")
    return bool(section) and section.lower() != "general" and bool(_DATE_CODES.search(section))


def _first_section(number_format: str) -> str:
    """The positive-number section of a format, literals, colours, padding and fills removed."""
    parts = _split_sections(number_format)
    return _LITERAL.sub("", parts[0]).strip() if parts else ""


def _split_sections(number_format: str) -> list[str]:
    sections, current, quoted = [], [], False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
    sections.append("".join(current))
    return sections


def _decimals(section: str) -> int:
    m = re.search(r"\.([0#?]+)", section)
    return len(m.group(1)) if m else 0


def _grouped(section: str) -> bool:
    """A comma between digit placeholders groups thousands (a trailing comma scales; not used here)."""
    return bool(re.search(r"[0#?],[0#?]", section))


def _general(number: Decimal) -> str:
    digits = len(number.as_tuple().digits)
    if digits > GENERAL_DIGITS:
        exponent = number.adjusted() - GENERAL_DIGITS + 1
        number = number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}"
    return f"{number.normalize():f}"
