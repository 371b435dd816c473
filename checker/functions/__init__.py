"""The function library the evaluator runs: every built-in function of the rule language, implemented over
documents and facts, and what a plugin needs to write its own (``from checker.functions import FunctionSpec,
Value …``, see docs/plugins.md).

The language (`dsl.signatures`) names each built-in with its parameter and result kinds; here each gets
its implementation. The built-in plugin (``plugins/builtin.py``) contributes them through the
``juesuan_functions`` hook, like any plugin's functions.
"""

from checker.functions import report  # noqa: F401  (implements the report-convention built-ins)
from checker.functions.core import (
    FUNCTIONS,
    PURE,
    CallImpl,
    Env,
    FunctionSpec,
    Missing,
    NotComparable,
    Value,
    builtin_functions,
    dims_text,
    display,
    fact_value,
    find_phrase,
    occurs,
    quantity_interval,
    ref_target,
    register_function,
)

__all__ = [
    "FUNCTIONS", "PURE", "CallImpl", "Env", "FunctionSpec", "Missing", "NotComparable", "Value", "builtin_functions",
    "dims_text", "display", "fact_value", "find_phrase", "occurs", "quantity_interval", "ref_target",
    "register_function",
]
