"""Word's automatic list numbering, rendered into paragraph text.

Many disclosures number their headings (一、 （一） 1.) with Word's list feature, so the
number is not in the paragraph's runs at all. Later stages recognise headings by their
number, so the .docx reader asks this module for the label Word would display and
prefixes it. The model follows ECMA-376 §17.9: a paragraph's ``w:numPr`` (direct or via
its style) names a ``w:num`` instance, which points at an ``w:abstractNum`` whose levels
give start value, number format (``w:numFmt``) and template (``w:lvlText``, ``%1`` …
``%9`` standing for the counters of levels 1–9). Bullets and unknown exotic formats are
rendered as nothing or as decimals rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from docx.oxml.ns import qn

_PUNCTUATION_ENDS = tuple("、．.，,：:）)」】]〉》")

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULL_STOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _chinese_below_10000(n: int, digits: str, units: tuple[str, ...], short_ten: bool) -> str:
    """一百零一, 二十, 十一 (``short_ten`` drops the 一 of 一十 at the front)."""
    zero = "零"
    places = [int(d) for d in str(n)][::-1]
    out: list[str] = []
    zero_pending = False
    for power in range(len(places) - 1, -1, -1):
        d = places[power]
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(zero)
            zero_pending = False
        if not (short_ten and d == 1 and power == 1 and not out):
            out.append(digits[d])
        out.append(units[power])
    return "".join(out)


def chinese_counting(n: int, legal: bool = False) -> str:
    """``chineseCounting`` (一 … 十一 … 一百零一) or ``chineseLegalSimplified`` (壹 … 壹拾壹)."""
    digits, units = (_CN_LEGAL_DIGITS, _CN_LEGAL_UNITS) if legal else (_CN_DIGITS, _CN_UNITS)
    if n <= 0:
        return digits[0]
    if n >= 100_000_000:
        return str(n)
    high, low = divmod(n, 10_000)
    if not high:
        return _chinese_below_10000(low, digits, units, short_ten=not legal)
    text = _chinese_below_10000(high, digits, units, short_ten=not legal) + ("萬" if legal else "万")
    if low:
        text += ("零" if low < 1000 else "") + _chinese_below_10000(low, digits, units, short_ten=False)
    return text


def _letters(n: int, upper: bool) -> str:
    """Word's letter numbering: A … Z, AA … ZZ, AAA …"""
    if n <= 0:
        return str(n)
    letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _roman(n: int, upper: bool) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, symbol in _ROMAN:
        while n >= value:
            out.append(symbol)
            n -= value
    text = "".join(out)
    return text if upper else text.lower()


def _from_table(n: int, table: str) -> str:
    return table[n - 1] if 1 <= n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """The text of counter value ``n`` in Word number format ``fmt`` (decimal when unknown)."""
    match fmt:
        case "chineseCounting" | "chineseCountingThousand" | "japaneseCounting" | "taiwaneseCounting" \
                | "taiwaneseCountingThousand" | "japaneseDigitalTenThousand":
            return chinese_counting(n)
        case "chineseLegalSimplified" | "japaneseLegal":
            return chinese_counting(n, legal=True)
        case "ideographDigital" | "taiwaneseDigital":
            return "".join(_CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)
        case "ideographTraditional":
            return _from_table(n, _HEAVENLY_STEMS)
        case "ideographZodiac":
            return _from_table(n, _EARTHLY_BRANCHES)
        case "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle":
            return _from_table(n, _CIRCLED)
        case "decimalEnclosedParen":
            return _from_table(n, _PARENTHESISED)
        case "decimalEnclosedFullstop":
            return _from_table(n, _FULL_STOP)
        case "decimalFullWidth" | "decimalFullWidth2":
            return "".join(chr(0xFF10 + int(d)) for d in str(n)) if n >= 0 else str(n)
        case "decimalZero":
            return f"{n:02d}"
        case "upperLetter" | "lowerLetter":
            return _letters(n, fmt == "upperLetter")
        case "upperRoman" | "lowerRoman":
            return _roman(n, fmt == "upperRoman")
        case "none" | "bullet":
            return ""
        case _:
            return str(n)


@dataclass(frozen=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    legal: bool = False
    restart: int | None = None
    suffix: str = "tab"
    style: str | None = None


def _val(element, name: str) -> str | None:
    """The ``w:val`` of child ``w:name`` of ``element``, or None."""
    if element is None:
        return None
    child = element.find(qn(f"w:{name}"))
    return None if child is None else child.get(qn("w:val"))


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse_level(lvl, base: Level | None = None) -> Level:
    base = base or Level()
    is_lgl = lvl.find(qn("w:isLgl"))
    legal = is_lgl is not None and is_lgl.get(qn("w:val"), "true") not in ("0", "false", "off")
    return Level(
        start=_int(_val(lvl, "start"), base.start) or 0,
        fmt=_val(lvl, "numFmt") or base.fmt,
        text=_val(lvl, "lvlText") if lvl.find(qn("w:lvlText")) is not None else base.text,
        legal=legal,
        restart=_int(_val(lvl, "lvlRestart"), base.restart),
        suffix=_val(lvl, "suff") or base.suffix,
        style=_val(lvl, "pStyle") or base.style,
    )


class Numbering:
    """Tracks list counters through a document and renders each numbered paragraph's label.

    Call :meth:`label` for every paragraph in document order (including paragraphs in
    table cells and empty ones, which Word counts too).
    """

    def __init__(self, numbering_element=None, styles_element=None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._abstract_style_link: dict[str, str] = {}
        self._nums: dict[str, tuple[str, dict[int, Level], set[int]]] = {}
        self._style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self._style_based_on: dict[str, str] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._seen_nums: set[str] = set()
        if styles_element is not None:
            self._read_styles(styles_element)
        if numbering_element is not None:
            self._read_numbering(numbering_element)

    def _read_styles(self, styles) -> None:
        for style in styles.iterfind(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            based_on = _val(style, "basedOn")
            if based_on:
                self._style_based_on[style_id] = based_on
            ppr = style.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None:
                self._style_numpr[style_id] = (_val(numpr, "numId"), _int(_val(numpr, "ilvl"), None))

    def _read_numbering(self, numbering) -> None:
        for abstract in numbering.iterfind(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            levels: dict[int, Level] = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                ilvl = _int(lvl.get(qn("w:ilvl")), None)
                if ilvl is not None:
                    levels[ilvl] = _parse_level(lvl)
            self._abstract[abstract_id] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                self._abstract_style_link[abstract_id] = link
        for num in numbering.iterfind(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            abstract_id = _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            overrides: dict[int, Level] = {}
            restarted: set[int] = set()
            for override in num.iterfind(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), None)
                if ilvl is None:
                    continue
                lvl = override.find(qn("w:lvl"))
                base = self._levels(abstract_id).get(ilvl)
                level = _parse_level(lvl, base) if lvl is not None else base or Level()
                start = _int(_val(override, "startOverride"), None)
                if start is not None:
                    level = replace(level, start=start)
                    restarted.add(ilvl)
                overrides[ilvl] = level
            self._nums[num_id] = (abstract_id, overrides, restarted)

    def _levels(self, abstract_id: str, depth: int = 0) -> dict[int, Level]:
        """The levels of an abstract definition, following ``w:numStyleLink`` to the real one."""
        link = self._abstract_style_link.get(abstract_id)
        if link and depth < 5:
            num_id, _ = self._style_chain_numpr(link)
            target = self._nums.get(num_id or "")
            if target and target[0] != abstract_id:
                return self._levels(target[0], depth + 1)
        return self._abstract.get(abstract_id, {})

    def _style_chain_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """``(numId, ilvl)`` a paragraph style gives, inherited through ``w:basedOn``."""
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style_num, style_lvl = self._style_numpr.get(style_id, (None, None))
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_lvl
            style_id = self._style_based_on.get(style_id)
        return num_id, ilvl

    def label(self, paragraph) -> str:
        """The number Word shows before ``paragraph`` (a ``w:p`` element), with its separator; "" if none."""
        ppr = paragraph.find(qn("w:pPr"))
        style_id = _val(ppr, "pStyle")
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(numpr, "numId")
        ilvl = _int(_val(numpr, "ilvl"), None)
        if num_id is None or ilvl is None:
            style_num, style_lvl = self._style_chain_numpr(style_id)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_lvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, overrides, restarted = self._nums[num_id]
        levels = {**self._levels(abstract_id), **overrides}
        if ilvl is None:
            ilvl = next((i for i, lv in sorted(levels.items()) if style_id and lv.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._seen_nums:
            self._seen_nums.add(num_id)
            for restarted_level in restarted:
                counters.pop(restarted_level, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                del counters[deeper]
        if level.fmt == "bullet" or level.fmt == "none" or not level.text:
            return ""
        return self._render(level, ilvl, levels, counters)

    @staticmethod
    def _render(level: Level, ilvl: int, levels: dict[int, Level], counters: dict[int, int]) -> str:
        text = level.text or ""
        out: list[str] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit() and text[i + 1] != "0":
                ref = int(text[i + 1]) - 1
                ref_level = levels.get(ref, Level())
                value = counters.get(ref, ref_level.start)
                fmt = "decimal" if level.legal and ref_level.fmt not in ("none", "bullet") else ref_level.fmt
                out.append(format_number(value, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        label = "".join(out).strip()
        if not label:
            return ""
        if level.suffix == "nothing" or label.endswith(_PUNCTUATION_ENDS):
            return label
        return label + " "
