"""Figures as printed: numbers with their displayed decimals and units, targets, dates, directions.

Everything is `Decimal`; a figure keeps the number of decimals it was printed with, because
that is what the rounding semantics (BRIEF §3) need. Offsets returned here index the
original text, so callers can point at the exact characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

# Full-width ASCII (！ to ～) maps one-to-one onto ASCII, so offsets survive the translation.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x2212: 0x2D})
# The characters `_FULLWIDTH` changes. Most texts hold a few distinct ones (，：（）): replacing each of those
# throughout is several times cheaper than translating the text (which looks every character up) or than
# translating each run of them (a Python call per run, and Chinese prose has a comma every few words).
_FULLWIDTH_CHAR = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULLWIDTH)) + "]")
_HALFWIDTH_OF = {chr(cp): chr(half) for cp, half in _FULLWIDTH.items()}


def cjk_parens(text: str) -> str:
    """Names of budget subjects written with Chinese brackets, whichever the source used:
    政府办公厅(室)及相关机构事务 and 政府办公厅（室）及相关机构事务 are one subject."""
    return text.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=8192)
def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII, keeping every offset unchanged. Remembered per text:
    the same texts (headings, sentences, cells) are converted by extraction and again by rule functions."""
    for char in set(_FULLWIDTH_CHAR.findall(text)):
        text = text.replace(char, _HALFWIDTH_OF[char])
    return text


# Longest first so that 万元 wins over 元 and 人次 over 人.
UNITS: tuple[str, ...] = (
    "万元", "亿元", "千元", "元", "%", "‰",
    "平方米", "立方米", "公里", "千米", "米", "公顷", "亩", "吨",
    "人次", "人天", "批次", "台（套）", "台(套)", "台套", "户次", "场次", "架次", "车次",
    "人", "辆", "个", "套", "台", "家", "次", "场", "批", "项", "件", "份", "所", "名", "户", "处", "期", "篇",
    "条", "本", "册", "部", "间", "座", "张", "株", "棵", "头", "只", "种", "栋", "门",
    "元/年", "分钟", "天", "日", "月", "年", "小时", "分",
)

UNIT_ALIASES = {"台(套)": "台（套）", "台套": "台（套）", "千米": "公里"}

# Money units in 万元: the report's default money unit.
MONEY_SCALE = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}

# Thousands groups as Word and PDF conversions leave them: 3,415.17, 3, 415.17 (a stray space at the comma)
# and 1 234.56 (a space as the separator, taken only before a decimal part: 6 123 is two figures).
_NUMBER = r"(?<![\d.])-?(?:\d{1,3}(?: ?, ?\d{3})+|\d{1,3}(?: \d{3})+(?=\.\d)|\d+)(?:\.\d+)?"
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# The lookahead changes no match: it lets the engine skip to a digit or minus sign instead of trying the
# lookbehind at every character (figures are found about 2.5 times as fast).
_QUANTITY_RE = re.compile(rf"(?=[-\d])(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT_ALT})?")
# 日 may be missing at the end of a cell (2024年12月10), never before a unit (12月10万元 is no date).
_DATE_RE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})"
                      r"(?:\s*[日号]|(?![\d.]|\s*[万亿千元%个人次件份项家辆台套场批]))")
_DIGIT = re.compile(r"\d")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:年|年度)")
#: A digit of a figure rather than of a year (2024年决算数 holds no figure).
FIGURE_NOT_YEAR = re.compile(r"\d(?![\d,.]*\s*年)")


@dataclass(slots=True, unsafe_hash=True)
class Quantity:
    """A number as displayed. ``value`` is the printed number (a share of 97.93% has value 97.93). Never
    changed once made; not frozen only to be cheap to build (one per figure read)."""

    value: Decimal
    decimals: int
    unit: str
    text: str
    start: int = 0
    end: int = 0

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_SCALE

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def in_wanyuan(self) -> Decimal:
        """The amount in 万元 (the template's money unit); only for money."""
        return self.value * MONEY_SCALE[self.unit]

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"


@dataclass(slots=True, unsafe_hash=True)
class DateValue:
    """A calendar date as printed; ``year`` may be missing (``12月10日``). Never changed once made; not
    frozen only to be cheap to build, like `Quantity`."""

    year: int | None
    month: int
    day: int
    text: str
    start: int = 0
    end: int = 0

    def as_date(self, default_year: int | None = None) -> date | None:
        year = self.year or default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


COMPARATORS = {
    ">=": ">=", "≥": ">=", "≧": ">=", "=>": ">=",
    "<=": "<=", "≤": "<=", "≦": "<=", "=<": "<=",
    ">": ">", "<": "<", "=": "=", "==": "=",
}
WORD_COMPARATORS_BEFORE = {"不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=", "至少": ">=",
                           "不高于": "<=", "不超过": "<=", "不多于": "<=", "小于等于": "<=", "控制在": "<=",
                           "大于": ">", "高于": ">", "超过": ">", "小于": "<", "低于": "<", "达到": ">=",
                           "等于": "="}
WORD_COMPARATORS_AFTER = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<=",
                          "之内": "<=", "前": "<=", "之前": "<=", "以前": "<=", "内": "<="}
# A comparison word a text starts with: longest first (不低于 before 低于, 及以上 before 以上), so that the
# alternative matched is the longest word there — one match rather than a startswith for every word.
_WORD_BEFORE = re.compile("|".join(map(re.escape, sorted(WORD_COMPARATORS_BEFORE, key=len, reverse=True))))
_WORD_AFTER = re.compile("|".join(map(re.escape, sorted(WORD_COMPARATORS_AFTER, key=len, reverse=True))))


@dataclass(slots=True, unsafe_hash=True)
class Target:
    """A performance target or actual as written in a self-assessment table cell.

    ``comparator`` is one of ``>= <= > < =`` or None; ``value`` a Quantity, a DateValue,
    or None when the cell is qualitative (``text`` then holds the words). Never changed once made; not
    frozen only to be cheap to build (one per target and actual cell).
    """

    comparator: str | None
    value: Quantity | DateValue | None
    text: str

    @property
    def is_qualitative(self) -> bool:
        return self.value is None


def _decimals(number_text: str) -> int:
    return len(number_text.split(".", 1)[1]) if "." in number_text else 0


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def parse_number(text: str) -> Decimal | None:
    """``'17,091.19'`` → Decimal('17091.19'); None when the text is not one number."""
    t = to_halfwidth(text).strip().replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(t):
        return None
    return Decimal(t)


_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")
_LIST_MARK = re.compile(r"[.、](?!\d)")


def _is_list_marker(normal: str, start: int, end: int) -> bool:
    """``1.`` / ``2、`` / ``（3）`` numbering and bare years (2024港澳…) are not figures (asked of figures
    without a unit only)."""
    number = normal[start:end]
    if _BARE_YEAR.fullmatch(number):
        return True
    after = normal[end:end + 2]
    if _LIST_MARK.match(after) and "." not in number:
        return True
    return start > 0 and normal[start - 1] == "(" and after.startswith(")")


def _plain(number_text: str) -> str:
    """The number without its thousands separators (and the spaces a conversion left among them)."""
    return number_text.replace(",", "").replace(" ", "")


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text`` with its unit (``''`` when none), skipping dates and years.

    Offsets refer to ``text`` itself (full-width forms are handled without shifting them).
    """
    return [Quantity(*figure) for figure in _figures_in(text)]


#: A figure's fields as `Quantity` takes them: value, decimals, unit, text, start, end.
_Fields = tuple[Decimal, int, str, str, int, int]


@lru_cache(maxsize=4096)
def _figures_in(text: str) -> tuple[_Fields, ...]:
    """`find_quantities`' figures as their fields, remembered per text (sentences, cells and phrases recur from
    check to check and report to report); each caller gets Quantity objects of its own."""
    normal = to_halfwidth(text)
    if not _DIGIT.search(normal):
        return ()  # every figure has a digit: a text without one is not searched for figures
    date_spans = [m.span() for m in _dates_in(normal)]
    return tuple([fields for m in _QUANTITY_RE.finditer(normal)
                  if (fields := _figure_fields(m, text, normal, date_spans)) is not None])


def _dates_in(normal: str) -> Iterator[re.Match[str]]:
    """`_DATE_RE`'s matches in a half-width text. Every date has its 月: most texts, lacking one, are not
    searched."""
    return _DATE_RE.finditer(normal) if "月" in normal else iter(())


def _figure_fields(m: re.Match[str], text: str, normal: str, date_spans: list[tuple[int, int]],
                   offset: int = 0) -> _Fields | None:
    """The figure a `_QUANTITY_RE` match in ``normal`` is, as its fields (no Quantity made for the memory of
    `_figures_in` to be copied from), or None for part of a date, a year or a list number. ``normal`` is
    ``text[offset:]`` half-width: the figure's text and offsets are ``text``'s."""
    start, end = m.span("num")
    if date_spans and any(a <= start < b for a, b in date_spans):
        return None
    unit = m.group("unit")
    if end - start == 4 and _YEAR_RE.match(normal, start):
        return None  # a four-digit 19xx/20xx followed by 年 is a year, not a figure
    if not unit and _is_list_marker(normal, start, m.end()):
        return None
    num = _plain(m.group("num"))
    start, stop = offset + start, offset + m.end()
    return (Decimal(num), _decimals(num), UNIT_ALIASES.get(unit, unit) if unit else "", text[start:stop], start,
            stop)


def find_dates(text: str) -> list[DateValue]:
    """Every ``YYYY年M月D日`` or ``M月D日`` in ``text``."""
    return [_date(m, text) for m in _dates_in(to_halfwidth(text))]


def _date(m: re.Match[str], text: str, offset: int = 0) -> DateValue:
    """The date a `_DATE_RE` match is; the match is in ``text[offset:]`` (half-width), the text and offsets
    given are ``text``'s."""
    start, end = offset + m.start(), offset + m.end()
    return DateValue(int(m.group("y")) if m.group("y") else None, int(m.group("m")), int(m.group("d")),
                     text[start:end], start, end)


def parse_quantity(text: str, default_unit: str = "") -> Quantity | None:
    """A cell holding exactly one figure (``'1,426.34亿元'``, ``'100%'``, ``'0.00'``); else None."""
    normal = to_halfwidth(text).strip()
    m = _QUANTITY_RE.fullmatch(normal)
    if not m:
        return None
    num = _plain(m.group("num"))
    unit = UNIT_ALIASES.get(m.group("unit") or "", m.group("unit") or "") or default_unit
    return Quantity(Decimal(num), _decimals(num), unit, text.strip())


_LEADING_OP = re.compile(r"^\s*(>=|=>|<=|=<|==|≥|≧|≤|≦|>|<|=)\s*")


def parse_target(text: str) -> Target:
    """Parse a target/actual cell: ``>=30家``, ``≤1辆``, ``=100%``, ``2024年12月20日前``, ``显著``."""
    raw = text.strip()
    normal = to_halfwidth(raw)
    comparator: str | None = None
    body = normal
    m = _LEADING_OP.match(body)
    if m:
        comparator = COMPARATORS[m.group(1)]
        body = body[m.end():]
    elif word := _WORD_BEFORE.match(body):
        comparator = WORD_COMPARATORS_BEFORE[word.group()]
        body = body[word.end():]
    offset = len(normal) - len(body)
    # body is half-width already: its dates are searched for directly
    dates = list(_dates_in(body))
    if dates and dates[0].start() == 0:
        after = _WORD_AFTER.match(body, dates[0].end())
        if after:
            comparator = WORD_COMPARATORS_AFTER[after.group()] if comparator in (None, "=") else comparator
        return Target(comparator, _date(dates[0], raw, offset), raw)
    # Only a figure at the very start counts: the first match, when it starts there and is a figure.
    first = _QUANTITY_RE.match(body)
    fields = _figure_fields(first, raw, body, [d.span() for d in dates], offset) if first else None
    if fields is not None:
        q = Quantity(*fields)
        after = _WORD_AFTER.match(body[first.end():].strip())  # type: ignore[union-attr]
        if after:
            comparator = comparator or WORD_COMPARATORS_AFTER[after.group()]
        return Target(comparator, q, raw)
    return Target(comparator, None, raw)


_STRAY = re.compile(r"[0-9A-Za-z]")
_UNIT_AT_START = re.compile(rf"\s*(?:{_UNIT_ALT})")


def target_problem(target: Target) -> str | None:
    """Why a target or actual cannot be read as its kind, or None: a comparison sign with no figure
    (``>=``, ``≥家``), two units one of which is money or % (``100万元%``), stray characters after a date
    (``2024年12月20日前a``).
    A qualitative cell (显著, 达到预期) is no problem: it simply states no figure."""
    normal = to_halfwidth(target.text).strip()
    if target.value is None:
        body = _LEADING_OP.sub("", normal, count=1) if target.comparator else normal
        if target.comparator and not _UNIT_AT_START.sub("", body, count=1).strip():
            return "比较符号后没有数字"
        return None
    rest = normal[target.value.end:]
    if isinstance(target.value, Quantity):
        second = _UNIT_AT_START.match(rest)
        measured = ("%", *MONEY_SCALE)
        if target.value.unit and second and (target.value.unit in measured or second.group().strip() in measured):
            return "数字后有两个单位"  # 100万元%, 30家%; not 800台次 (one unit the table of units splits)
        return None
    after = _WORD_AFTER.match(rest)
    if after:
        rest = rest[after.end():]
    return "日期后有多余字符" if _STRAY.search(rest) else None


DIRECTION_WORDS = {
    "增加": 1, "增长": 1, "上升": 1, "提高": 1, "增多": 1, "上涨": 1, "多": 1,
    "减少": -1, "下降": -1, "降低": -1, "减少了": -1, "下降了": -1, "回落": -1, "少": -1,
    "持平": 0, "无变化": 0, "没有变化": 0,
    "增幅": 1, "涨幅": 1, "降幅": -1, "减幅": -1,
}
_DIRECTION_RE = re.compile("|".join(sorted((w for w in DIRECTION_WORDS if len(w) > 1), key=len, reverse=True)))


def find_directions(text: str) -> list[tuple[int, int, int, str]]:
    """Direction words as ``(start, end, sign, word)``: 增加/增长/上升 = +1, 减少/下降/降低 = −1, 持平 = 0."""
    return [(m.start(), m.end(), DIRECTION_WORDS[m.group()], m.group()) for m in _DIRECTION_RE.finditer(text)]


@dataclass(frozen=True)
class Direction:
    """A direction word as printed: ``sign`` is +1 (增加/增长), −1 (减少/下降) or 0 (持平)."""

    sign: int
    word: str
