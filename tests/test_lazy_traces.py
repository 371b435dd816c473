"""Traces that work out their label (a fact's) or display (a built-in's value) when first read are, read,
the plain traces they stand for: equal, hashed alike, pickled as plain traces, rendered and serialised alike."""

from __future__ import annotations

import pickle
from decimal import Decimal

from checker.facts.model import Fact
from checker.findings import Finding, Trace
from checker.functions import display, fact_value
from checker.functions.core import _Computed
from checker.interval import Interval
from checker.model import Location
from checker.quantity import Quantity

PLACE = Location(line=3, column=5, end_column=11)


def fact() -> Fact:
    return Fact("支出.项.决算数", Quantity(Decimal("123.45"), 2, "万元", "123.45万元"), PLACE, "支出123.45万元",
                (("类", "教育"), ("项", "小学")))


def test_a_fact_s_trace_is_named_as_the_fact() -> None:
    trace = fact_value(fact(), "money").trace
    plain = Trace("支出.项.决算数[教育/小学]", "123.45万元", PLACE, "支出123.45万元")
    assert trace == plain and plain == trace and hash(trace) == hash(plain)
    assert trace.label == plain.label and trace.render() == plain.render() and trace.as_dict() == plain.as_dict()
    assert trace.leaves() == [plain]


def test_a_computed_trace_shows_the_value_as_display_prints_it() -> None:
    rate = Interval.rounded(Decimal("97.935"), 3, Decimal("0.01"))
    child = Trace("a", "1")
    trace = _Computed("完成度(a, b)", "percent", rate, 2, (child,))
    plain = Trace("完成度(a, b)", display("percent", rate, 2), None, "", (child,))
    assert trace.display == "97.94%"
    assert trace == plain and hash(trace) == hash(plain) and trace.render() == plain.render()


def test_lazy_traces_pickle_as_plain_traces() -> None:
    rate = Interval.exact(1)
    read = fact_value(fact(), "money").trace
    finding = Finding("R1", "error", "t", "m", trace=(_Computed("x", "percent", rate, 2, (read,)),))
    again = pickle.loads(pickle.dumps(finding))
    assert again == finding and type(again.trace[0]) is Trace and type(again.trace[0].children[0]) is Trace
    assert again.as_dict() == finding.as_dict()
