"""Fix suggestions in every report format, and `juesuan check --fix-suggestions` on and off."""

from __future__ import annotations

from checker.cli import main
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
SHARE_HELP = ("    = help: likely wrong: 收入.财政拨款收入.占比 98.94% (line 22) — 99.04% would reconcile PCT-001, "
              "PCT-002; 2 findings explained")


def run_check(capsys, *args: str) -> str:
    assert main(["check", str(DEMO), *args]) == 1
    return capsys.readouterr().out


def test_text_report_has_a_help_line_under_the_findings_a_suggestion_explains(capsys):
    lines = run_check(capsys).splitlines()
    assert SHARE_HELP in lines
    at = lines.index(SHARE_HELP)
    # under the last of its findings (PCT-002 on line 22), before the next finding
    block_start = max(i for i in range(at) if lines[i].startswith(str(DEMO)))
    assert ": PCT-002 error:" in lines[block_start] and lines[at + 1] == ""
    helps = [line for line in lines if line.startswith("    = help: ")]
    assert any("三公经费.合计 44.87万元 (line 56) — 43.87 would reconcile TOT-015" in h for h in helps)
    assert any(h.startswith("    = help: the findings cannot tell which figure is wrong") for h in helps)


def test_no_fix_suggestions_turns_them_off(capsys):
    assert "= help:" not in run_check(capsys, "--no-fix-suggestions")
