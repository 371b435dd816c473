"""Whatever text a rule author types, the compiler answers with a Program or a CompileError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl import CompileError, Program, Schema, compile_text

SCHEMA = Schema(scalars={"三公经费.合计": "money", "收入.占比": "percent", "日期": "date"},
                collections={"一般公共预算.项": {"决算数": "money", "类": "text"}})

# Fragments of the language, so that generated text often gets deep into the grammar.
FRAGMENTS = ["rule", "规则", "A-1", '"t"', "severity", "error", "assert", "断言", "when", "for each", "对每个",
             "项", "in", "属于", "一般公共预算.项", "项.决算数", "三公经费.合计", "收入.占比", "==", "=", "<", ">=",
             "+", "-", "×", "/", "(", ")", "[", "]", ",", ".", "100%", "0.01", "2024年1月1日", "2024年2月30日",
             "sum(", "count(", "exists(", "mentions(", "within", "and", "且", "or", "not", "非", "let", "定义",
             "import", '"x.rules"', "message", '"{left}"', "where", "`q`", "#", "\n", " ", "日期", "defined("]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join)))
def test_any_text_gives_a_program_or_a_compile_error(text):
    try:
        result = compile_text(text, "fuzz.rules", SCHEMA)
    except CompileError as err:
        assert err.diagnostics
        for diag in err.diagnostics:
            assert diag.render().startswith("fuzz.rules:")
    else:
        assert isinstance(result, Program)
