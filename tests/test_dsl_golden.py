"""Golden files pin the exact text of each kind of diagnostic a rule author can see.

Regenerate after an intended wording change with ``JUESUAN_UPDATE_GOLDEN=1 pytest tests/test_dsl_golden.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dsl import CompileError, Schema, compile_files

GOLDEN = Path(__file__).parent / "golden" / "diagnostics"
SCHEMA = Schema(
    scalars={"三公经费.合计": "money", "三公经费.因公出国费": "money", "三公经费.公务接待费": "money",
             "三公经费.公务用车购置及运行维护费": "money", "收入.财政拨款收入.占比": "percent"},
    collections={"一般公共预算.项": {"决算数": "money", "类": "text"}})

CASES: dict[str, dict[str, str]] = {
    "syntax_error": {"main.rules": 'rule SG-001 "“三公”经费合计"\n  severity error\n  assert 三公经费.合计 ==\n'},
    "syntax_keyword_typo": {"main.rules": 'rule SG-001 "合计"\n  asert 三公经费.合计 == 0\n'},
    "unknown_name": {"main.rules": 'rule SG-001 "合计"\n'
                                   "  assert 三公经费.合记 == 三公经费.因公出国费 + 三公经费.公务接待费\n"},
    "unknown_function": {"main.rules": 'rule SG-001 "合计"\n  assert 求合(一般公共预算.项.决算数) > 0\n'},
    "unit_mismatch": {"main.rules": 'rule SR-001 "占比"\n  assert 三公经费.合计 == 收入.财政拨款收入.占比\n'},
    "duplicate_id": {
        "main.rules": 'import "common.rules"\nrule SG-001 "合计"\n  assert 三公经费.合计 > 0\n',
        "common.rules": 'rule SG-001 "合计"\n  assert 三公经费.合计 >= 0\n'},
    "cycle": {"main.rules": "let 甲 = 乙 + 三公经费.合计\nlet 乙 = 甲 - 三公经费.合计\n"
                            'rule SG-001 "t"\n  assert 甲 == 0\n'},
    "bad_import": {"main.rules": 'import "comon.rules"\nrule SG-001 "t"\n  assert 三公经费.合计 > 0\n',
                   "common.rules": ""},
    "wrong_argument_count": {"main.rules": 'rule SG-001 "t"\n  assert growth_rate(三公经费.合计) > 0\n'},
}


def render_case(tmp_path: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CompileError) as err:
        compile_files(["main.rules"], SCHEMA)
    return err.value.render() + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_diagnostic_golden(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = render_case(tmp_path, CASES[name])
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("JUESUAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
