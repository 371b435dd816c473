"""A target value's figure is read once and kept: what it keeps is what `quantity_interval` reads, and the
value otherwise is as it was made (equal, same hash, same repr)."""

from __future__ import annotations

from decimal import Decimal

from checker.findings import Trace
from checker.functions import Value, quantity_interval
from checker.functions.core import stated_figure
from checker.quantity import Quantity, Target


def target(text: str, value: str, decimals: int, unit: str) -> Value:
    return Value("target", Target(">=", Quantity(Decimal(value), decimals, unit, text), f">={text}"),
                 Trace("指标值", text))


def test_the_kept_figure_is_the_quantity_s_interval() -> None:
    for text, value, decimals, unit in [("95%", "95", 0, "%"), ("12.5万元", "12.5", 1, "万元"), ("3辆", "3", 0, "辆"),
                                        ("10000公里", "10000", 0, "公里"), ("0.00元", "0.00", 2, "元")]:
        made = target(text, value, decimals, unit)
        fresh = target(text, value, decimals, unit)
        first = stated_figure(made)
        assert first == quantity_interval(made.data.value)
        assert stated_figure(made) is first
        assert made == fresh and hash(made) == hash(fresh) and repr(made) == repr(fresh)
