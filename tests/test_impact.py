"""`juesuan impact`: a new rule set against an old one over a corpus — per report, per rule, a summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from checker.findings import Evidence, Finding, NotEvaluated
from checker.impact import compare, fingerprint, rule_statuses
from checker.model import Location
from checker.reports.model import DocumentResult
from dsl import Schema, compile_text

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "rules" / "national"
SCHEMA = json.loads((ROOT / "schemas" / "juesuan.impact.schema.json").read_text(encoding="utf-8"))
CORPUS = [ROOT / "examples" / "demo" / "disclosure.txt", ROOT / "tests" / "fixtures" / "docs" / "hospital_2024.txt",
          ROOT / "tests" / "fixtures" / "styles" / "county_water_2021.txt",
          ROOT / "tests" / "fixtures" / "styles" / "street_office_2025.txt"]
NEW_RULE = '''
rule NEW-001 "“三公”经费不超过20万元"
  severity warning
  assert 三公经费.合计 <= 20
  message "“三公”经费 {left} 万元，超过 20 万元"
'''


def finding(rule: str, message: str, line: int, severity: str = "error", record=()) -> Finding:
    where = Evidence("x", "1.00", Location(line=line, column=3))
    return Finding(rule, severity, "t", message, locations=(where,), record=record)


def test_findings_are_matched_by_rule_place_and_record():
    old = DocumentResult("a.txt", [finding("A-1", "m", 3), finding("A-2", "gone", 5), finding("A-3", "old", 7),
                                   finding("L-1", "x", 9, record=(("项", "甲"),))],
                         [NotEvaluated("B-1", "missing")])
    new = DocumentResult("a.txt", [finding("A-1", "m", 3), finding("A-3", "new words", 7),
                                   finding("A-3", "second", 7, "warning"), finding("A-4", "fresh", 8),
                                   finding("L-1", "x", 9, record=(("项", "乙"),))])
    impact = compare(old, new)
    assert [(s.rule_id, s.message) for s in impact.added] == [("A-3", "second"), ("A-4", "fresh"), ("L-1", "x")]
    assert [(s.rule_id, s.record) for s in impact.removed] == [("A-2", ""), ("L-1", "甲")]
    ((before, after),) = impact.changed
    assert (before.message, after.message, after.where) == ("old", "new words", "7:3")
    assert impact.not_evaluated_old == {"B-1"} and impact.not_evaluated_new == frozenset()
    assert dict(impact.findings_new)["A-3"] == 2
    assert not compare(old, old).changes


def test_rule_status_follows_its_text_and_the_derived_values_it_reads():
    schema = Schema(scalars={"a": "money", "b": "money"})
    base = 'let s = a + b\nrule R-1 "t"\n  assert s > 0\nrule R-2 "t"\n  assert a > 0\nrule R-3 "t"\n  assert b > 0\n'
    old = compile_text(base, "old.rules", schema)
    new = compile_text(base.replace("let s = a + b", "let s = a - b").replace('rule R-3 "t"\n  assert b > 0\n', "")
                       + 'rule R-4 "t"\n  assert b >= 0\n', "new.rules", schema)
    assert rule_statuses(old, new) == {"R-1": "changed", "R-2": "unchanged", "R-3": "removed", "R-4": "new"}
    spaced = compile_text(base.replace("assert a > 0", "assert   a  >  0"), "x.rules", schema)
    assert fingerprint(spaced.rule("R-2"), spaced) == fingerprint(old.rule("R-2"), old)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("impact")
    old, new, corpus = root / "old", root / "new", root / "corpus"
    shutil.copytree(NATIONAL, old)
    shutil.copytree(NATIONAL, new)
    corpus.mkdir()
    for path in CORPUS:
        shutil.copy(path, corpus / path.name)
    totals = new / "10-totals.rules"
    text = totals.read_text(encoding="utf-8")
    text = text.replace("人员经费与公用经费之和 {right} 万元，相差 {difference}",
                        "人员与公用经费合计 {right} 万元（差 {difference}）")
    start = text.index("#: “三公”经费 = 因公出国（境）费")
    end = text.index("\n#:", start + 1)
    text = text[:start] + text[end + 1:] + NEW_RULE  # TOT-015 removed, NEW-001 added
    totals.write_text(text, encoding="utf-8")
    return new, old, corpus


def run_impact(packs, capsys, *extra: str) -> tuple[int, str]:
    new, old, corpus = packs
    status = main(["impact", "--rules", str(new), "--against", str(old), str(corpus), *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out


#: How many rules the national packs hold (the impact packs remove one and add one).
RULES = sum(1 for f in NATIONAL.glob("*.rules") for line in f.read_text(encoding="utf-8").splitlines()
            if line.startswith("rule "))


def test_text_report_per_report_per_rule_and_summary(packs, capsys):
    status, out = run_impact(packs, capsys, "-j", "1")
    assert status == 0
    assert (f"on 4 reports\nrules: {RULES} in the new set, {RULES} in the old "
            f"(1 new, 1 removed, 1 changed, {RULES - 2} unchanged)") in out
    assert "\n  + NEW-001 warning 56:19: “三公”经费 44.87 万元，超过 20 万元\n" in out  # the demo
    assert "  ~ TOT-014 error 50:21: 基本支出 3,415.17 万元，人员经费与公用经费之和 3,405.17 万元，相差 10.00\n" \
           "      → error: 基本支出 3,415.17 万元，人员与公用经费合计 3,405.17 万元（差 10.00）\n" in out
    rules = out.split("per rule:\n")[1].split("\nsummary:")[0]
    assert "  NEW-001 (new rule) would raise 2 new findings in 2 of 4 reports" in rules
    assert "  TOT-014 (changed) would change the message or severity of 1 finding in 1 of 4 reports" in rules
    assert "  TOT-015 (removed rule) would no longer raise 1 finding in 1 of 4 reports\n" in rules
    summary = out.split("summary:\n")[1]
    assert summary.splitlines()[0].split() == ["rule", "status", "findings", "old→new", "added", "removed", "changed",
                                               "reports", "affected", "not", "evaluated", "old→new"]
    assert any(line.split()[:6] == ["NEW-001", "new", "0→2", "2", "0", "0"] for line in summary.splitlines())
    assert status == 0
    assert run_impact(packs, capsys, "--fail-on-change")[0] == 1


def test_json_report_validates_and_agrees_with_the_text(packs, capsys):
    status, out = run_impact(packs, capsys, "--format", "json", "-j", "2")
    assert status == 0
    data = json.loads(out)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["reports"] == 4 and data["summary"]["rules"] == {"new": 1, "removed": 1, "changed": 1,
                                                                  "unchanged": RULES - 2}
    by_rule = {r["rule"]: r for r in data["rules"]}
    assert by_rule["NEW-001"]["added"] == 2 and by_rule["NEW-001"]["reports"]["added"] == 2
    assert by_rule["NEW-001"]["sentence"] == "NEW-001 (new rule) would raise 2 new findings in 2 of 4 reports"
    assert by_rule["TOT-015"]["status"] == "removed"
    assert data["summary"]["findings_added"] == sum(len(d["added"]) for d in data["documents"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "reports": -1}, SCHEMA)


def test_the_same_packs_change_nothing(packs, capsys):
    _, old, corpus = packs
    status = main(["impact", "--rules", str(old), "--against", str(old), str(corpus), "--fail-on-change"])
    out = capsys.readouterr().out
    assert status == 0
    assert "(4 of 4 reports unchanged)" in out and "no rule changes any finding" in out


def test_a_pack_extending_the_builtin_ones(tmp_path, capsys):
    """A regional pack that reads the built-in packs' derived values compiles with --with-builtin only."""
    old, new = tmp_path / "old.rules", tmp_path / "new.rules"
    old.write_text('rule REG-001 "三公表"\n  when 有三公表 > 0\n  assert 三公经费.合计 >= 0\n', encoding="utf-8")
    new.write_text('rule REG-001 "三公表"\n  when 有三公表 > 0\n  assert 三公经费.合计 >= 100\n', encoding="utf-8")
    assert main(["impact", "--rules", str(new), "--against", str(old), str(CORPUS[0])]) == 2
    assert "unknown name 有三公表" in capsys.readouterr().err
    assert main(["impact", "--with-builtin", "--rules", str(new), "--against", str(old), str(CORPUS[0])]) == 0
    out = capsys.readouterr().out
    assert (f"rules: {RULES + 1} in the new set, {RULES + 1} in the old "
            f"(0 new, 0 removed, 1 changed, {RULES} unchanged)") in out


def test_bad_input_is_one_line_and_status_2(packs, tmp_path, capsys):
    new, old, _ = packs
    assert main(["impact", "--rules", str(new), "--against", str(old), str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip().endswith(f"no reports found in {tmp_path}")
    (tmp_path / "broken.txt").write_bytes(b"")
    shutil.copy(CORPUS[0], tmp_path / "demo.txt")
    assert main(["impact", "--rules", str(new), "--against", str(old), str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert f"{tmp_path / 'broken.txt'}: unreadable:" in captured.out
    assert [line for line in captured.err.splitlines() if line] == [
        line for line in captured.err.splitlines() if line.startswith("juesuan: error: ") and "broken.txt" in line]
    assert main(["impact", "--rules", str(tmp_path / "missing.rules"), "--against", str(old), str(CORPUS[0])]) == 2
    assert "missing.rules: no such rule file or folder" in capsys.readouterr().err
