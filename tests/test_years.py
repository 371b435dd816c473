"""Rules in force by fiscal year and region: ``applies 2021..`` / ``适用 2021年起`` and ``region`` / ``地区`` on a
rule or a whole file, the report's year read from the document (or ``--year``), and ``juesuan rules --year``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.run import Checker
from dsl import CompileError, Schema, compile_text, parse_rules

ROOT = Path(__file__).resolve().parent.parent
STYLES = ROOT / "tests" / "fixtures" / "styles"
AUDIT_2020 = STYLES / "county_audit_2020.txt"
POLICE_2021 = STYLES / "county_public_security_2021.txt"
SCHEMA = Schema(scalars={"a": "money"})


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(("written", "years"), [
    ("applies 2021..", (2021, None)),
    ("applies 2019..2020", (2019, 2020)),
    ("applies ..2020", (None, 2020)),
    ("applies 2021", (2021, 2021)),
    ("适用 2021年起", (2021, None)),
    ("适用 2021年度起", (2021, None)),
    ("适用 2019年至2020年", (2019, 2020)),
    ("适用 至2020年", (None, 2020)),
    ("适用 2022年", (2022, 2022)),
])
def test_the_years_in_force_are_written_either_way(written: str, years: tuple) -> None:
    program = compile_text(f'rule A-1 "t"\n  {written}\n  assert a == 2021\n', "t.rules", SCHEMA)
    assert program.rules[0].years == years


def test_a_files_header_holds_for_its_rules_unless_a_rule_says_otherwise() -> None:
    text = ('# a region pack from 2022\n适用 2022年起\n地区 新疆, xinjiang\n\n'
            'rule A-1 "t"\n  assert a == 1\n'
            'rule A-2 "t"\n  applies ..2021\n  region 北京\n  assert a == 1\n')
    one, two = compile_text(text, "t.rules", SCHEMA).rules
    assert (one.years, one.regions) == ((2022, None), ("新疆", "xinjiang"))
    assert (two.years, two.regions) == ((None, 2021), ("北京",))
    assert [one.in_force(2021, ("xinjiang",)), one.in_force(2022, ("XinJiang", "新疆")), one.in_force(2023)] == [
        False, True, False]
    assert one.in_force(None, ("新疆",))  # a report whose year is not known: every year's rules run
    assert parse_rules(text).header[0].value == (2022, None)


@pytest.mark.parametrize(("text", "problem"), [
    ('rule A-1 "t"\n  applies 2022..2020\n  assert a == 1\n', "2022..2020 ends before it starts"),
    ('rule A-1 "t"\n  applies 2021..\n  适用 2022年起\n  assert a == 1\n', "more than one applies clause"),
    ('applies 2021..\napplies 2022..\nrule A-1 "t"\n  assert a == 1\n', "the file has more than one applies line"),
    ('rule A-1 "t"\n  applies\n  assert a == 1\n', "expected: the years in force, such as 2021.."),
    ('rule A-1 "t"\n  applies 21..\n  assert a == 1\n', 'unexpected number "21"'),
    ('let x = a\napplies 2021..\nrule A-1 "t"\n  assert x == 1\n', "unexpected"),
])
def test_wrong_years_are_diagnosed(text: str, problem: str) -> None:
    with pytest.raises(CompileError) as error:
        compile_text(text, "t.rules", SCHEMA)
    assert problem in error.value.render()


# ---- the check ---------------------------------------------------------------------------------------------

def _check(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    main(["check", *args, "--format", "json"])
    return json.loads(capsys.readouterr().out)["documents"][0]


# No national rule is marked by year: no source at hand says what the 2020 template lacked. A pack of the
# tests' own, in force from 2021, shows what a marked rule does.
FROM_2021 = '适用 2021年起\nrule YR-001 "本年支出合计"\n  severity error\n  assert 支出.本年支出合计 < 1\n'


def _from_2021(tmp_path: Path) -> list[str]:
    (tmp_path / "from2021.rules").write_text(FROM_2021, encoding="utf-8")
    return ["--rules", str(tmp_path / "from2021.rules")]


def test_a_2020_report_is_checked_by_the_rules_in_force_for_2020(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    doc = _check(capsys, str(AUDIT_2020), *_from_2021(tmp_path))
    assert doc["not_in_force"] == {"year": 2020, "rules": ["YR-001"]}
    assert not any(f["rule"] == "YR-001" for f in doc["findings"])
    assert not any(n["rule"] == "YR-001" for n in doc["not_evaluated"])
    forced = _check(capsys, str(AUDIT_2020), *_from_2021(tmp_path), "--year", "2021")
    assert "not_in_force" not in forced
    assert [f["rule"] for f in forced["findings"] if f["rule"] == "YR-001"] == ["YR-001"]


def test_year_decides_which_findings_a_report_gets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = _check(capsys, str(POLICE_2021), *_from_2021(tmp_path))
    assert "not_in_force" not in own and any(f["rule"] == "YR-001" for f in own["findings"])
    as_2020 = _check(capsys, str(POLICE_2021), *_from_2021(tmp_path), "--year", "2020")
    assert not any(f["rule"] == "YR-001" for f in as_2020["findings"])
    rest = [f["rule"] for f in own["findings"] if f["rule"] != "YR-001"]
    assert [f["rule"] for f in as_2020["findings"]] == rest


def test_a_regions_rules_run_only_for_the_region_and_from_their_year(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "region.rules").write_text(
        '适用 2021年起\n地区 新疆\nrule RG-001 "车辆数"\n  severity warning\n  assert 支出.本年支出合计 < 1\n',
        encoding="utf-8")
    args = [str(POLICE_2021), "--no-builtin", "--rules", "region.rules"]
    assert [f["rule"] for f in _check(capsys, *args, "--region", "xinjiang")["findings"]] == ["RG-001"]
    assert _check(capsys, *args, "--region", "xinjiang", "--year", "2020")["findings"] == []
    nowhere = _check(capsys, *args)
    assert nowhere["findings"] == [] and nowhere["not_in_force"] == {"year": 2021, "rules": ["RG-001"]}


def test_a_rule_for_an_unknown_region_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.rules").write_text('地区 火星\nrule RG-001 "t"\n  assert 支出.本年支出合计 > 0\n', encoding="utf-8")
    assert main(["check", str(POLICE_2021), "--no-builtin", "--rules", "x.rules"]) == 2
    err = capsys.readouterr().err.strip()
    assert "x.rules:2: rule RG-001 is for region '火星', which no plugin provides (regions: xinjiang)" in err
    assert "\n" not in err


def test_a_report_without_a_clear_year_runs_every_rule(tmp_path: Path) -> None:
    (tmp_path / "from2021.rules").write_text(FROM_2021, encoding="utf-8")
    checker = Checker.from_config(Config(), (tmp_path / "from2021.rules",))
    text = AUDIT_2020.read_text(encoding="utf-8").replace("2020年度", "本年度")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    result = checker.check_path(tmp_path / "r.txt")
    assert result.year is None and result.not_in_force == []
    assert any(f.rule_id == "YR-001" for f in result.findings)


def test_rules_lists_what_is_in_force_for_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = _from_2021(tmp_path)
    assert main(["rules", "--year", "2020", *pack]) == 0
    out = capsys.readouterr().out
    assert "YR-001    n/a      本年支出合计  (not in force: applies 2021..)" in out
    total = out.rstrip().splitlines()[-1]
    assert total.endswith("in force for 2020")
    assert main(["rules", "--year", "2020", "--format", "json", *pack]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rules"]}
    assert rows["YR-001"]["in_force"] is False and rows["YR-001"]["applies"] == "2021.."
    assert rows["TOT-001"]["in_force"] is True and rows["TOT-001"]["applies"] is None
    n, in_force = (int(x) for x in re.findall(r"\d+", total)[:2])
    assert in_force == sum(r["in_force"] for r in rows.values()) and n == len(rows)
    assert main(["rules"]) == 0
    assert "n/a" not in capsys.readouterr().out  # no year, no region: every built-in rule is in force
