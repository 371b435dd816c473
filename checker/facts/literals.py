"""What every match of a regular expression must contain or start with, to search less.

A vocabulary's record patterns (``…（类）…（款）…（项）``, ``…用车``) are searched in most regions of every
sentence, and most regions hold none of the characters such a pattern spells out: testing those few characters
with ``in`` is far cheaper than running the pattern (lazy repeats try every start). And a pattern that starts
with a lookbehind (``(?<!的)的的``) or an alternation of groups is tried by the engine at every character;
led by a lookahead for the characters a match can start with, it is tried only where one stands.
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


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


@lru_cache(maxsize=256)
def skipping(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` led by a lookahead for the characters a match can start with, when they can be told: the same
    matches, but the engine skips to where one may start instead of trying the pattern at every character (it
    does so by itself only for patterns starting with a plain character or class, not after a lookbehind, an
    alternation of groups…). The pattern itself when they cannot be told."""
    if _sre_parse is None or pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return pattern
    try:
        starts, empty = _starts(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
        if not starts or empty:  # a pattern that can match nothing matches anywhere
            return pattern
        return re.compile(f"(?=[{''.join(starts)}])(?:{pattern.pattern})", pattern.flags)
    except Exception:  # a construct or an internal format this reading does not know: the pattern as it is
        return pattern


def _starts(items) -> tuple[list[str] | None, bool]:
    """The class items (as pattern text) a match of the parsed sequence can start with, None when they cannot
    be told; and whether the sequence can match the empty string."""
    found: list[str] = []
    for op, arg in items:
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # zero-width: the match starts with what follows
        first, empty = _item_starts(op, arg)
        if first is None:
            return None, False
        found += first
        if not empty:
            return found, False
    return (found or None), True


def _item_starts(op, arg) -> tuple[list[str] | None, bool]:
    if op is _c.LITERAL:
        return [re.escape(chr(arg))], False
    if op is _c.IN:
        return _class_items(arg), False
    if op is _c.SUBPATTERN and not arg[1] & re.IGNORECASE:
        return _starts(arg[-1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        first, empty = _starts(arg[2])
        return first, empty or arg[0] == 0
    if op is _c.BRANCH:
        found: list[str] = []
        any_empty = False
        for branch in arg[1]:
            first, empty = _starts(branch)
            if first is None and not empty:
                return None, False
            found += first or []
            any_empty = any_empty or empty
        return found, any_empty
    return None, False  # any character, a back-reference, a negated literal…


def _class_items(items) -> list[str] | None:
    """A parsed character class's items as class text; None for a negated class (it may start anywhere)."""
    out: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(arg)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}")
        elif op is _c.CATEGORY and str(arg) in _CATEGORIES:
            out.append(_CATEGORIES[str(arg)])
        else:
            return None
    return out
