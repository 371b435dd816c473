"""The example plugin as an installed package: found through its entry point, its rule, function and format work."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from checker import plugins as host
from checker.cli import main
from checker.ruletest import check_rule_tests

RULES = Path(__file__).resolve().parent.parent / "src" / "juesuan_csv" / "rules"
REPORT = """\
五、一般公共预算财政拨款支出决算情况说明
2024年度一般公共预算财政拨款支出1,000.00万元，占本年支出合计的100.00%。
九、财政拨款“三公”经费支出决算情况说明
2024年度“三公”经费财政拨款支出60.00万元。
"""


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch):
    if not any(e.name == "csv" for e in importlib.metadata.entry_points(group="juesuan")):
        pytest.skip("juesuan-csv is not installed (pip install ./examples/plugin-csv)")
    monkeypatch.delenv(host.AUTOLOAD_VARIABLE, raising=False)  # the host's test suite turns autoload off
    yield
    host.activate(host.load_plugins(entry_points=False))


def test_entry_point_loads_the_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "csv 0.1.0  (entry point: juesuan_csv)" in out
    assert "functions:  比例 / ratio" in out and "formats:    csv" in out


def test_csv_report_of_the_rule_using_the_function(tmp_path: Path) -> None:
    document = tmp_path / "report.txt"
    document.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "findings.csv"
    assert main(["check", str(document), "--format", "csv", "-o", str(out), "--select", "EXCSV"]) == 0
    header, row = out.read_text(encoding="utf-8-sig").splitlines()
    assert header == "path,line,rule,severity,message,expected,difference"
    assert row.startswith(f"{document},4,EXCSV-001,info,") and row.endswith(",5.00%,1.00%")
    assert "6.00%" in row


def test_rule_pack_tests_pass_strictly() -> None:
    host.activate(host.load_plugins())  # the entry point's function 比例 must be in the table
    report = check_rule_tests([RULES])
    assert not report.failed and not report.gaps, report.summary()
