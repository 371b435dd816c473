"""The characters every match of a regular expression must contain, to skip searching texts that lack one.

A vocabulary's record patterns (``…（类）…（款）…（项）``, ``…用车``) are searched in most regions of every
sentence, and most regions hold none of the characters such a pattern spells out. Testing those few characters
with ``in`` is far cheaper than running the pattern (lazy repeats try every start).
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # the parser behind `re` (CPython ≥ 3.11); without it nothing is required and every text is searched
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - other Python implementations
    _sre_parse = None  # type: ignore[assignment]


@lru_cache(maxsize=256)
def required_chars(pattern: re.Pattern[str]) -> frozenset[str]:
    """Characters that occur in every text the pattern can match anywhere in. Empty when unknown (a
    case-insensitive pattern, a construct not understood): a text is then always searched."""
    if _sre_parse is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return frozenset()
    try:
        return frozenset(_required(_sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an internal format this reading does not know: require nothing
        return frozenset()


def _required(items) -> set[str]:
    """The literals of a parsed sequence outside optional parts: in a repeat of at least one, a group, and
    common to every branch of an alternation. Lookarounds and everything else require nothing."""
    found: set[str] = set()
    for op, arg in items:
        if op is _c.LITERAL:
            found.add(chr(arg))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            found |= _required(arg[2])
        elif op is _c.SUBPATTERN and not arg[1] & re.IGNORECASE:  # (?i:…) adds the flag for its group
            found |= _required(arg[-1])
        elif op is _c.ATOMIC_GROUP:
            found |= _required(arg)
        elif op is _c.BRANCH:
            branches = [_required(b) for b in arg[1]]
            found |= set.intersection(*branches) if branches else set()
    return found
