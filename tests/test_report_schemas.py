"""The JSON report validates against the schema that ships in the repo; SARIF against the SARIF 2.1.0 schema.

The SARIF schema is the OASIS standard's JSON Schema. It is not copied into the project: `.ci/run`
fetches it from the npm registry (package @microsoft/jest-sarif, which ships it) and points
JUESUAN_SARIF_SCHEMA at it; the test is skipped, saying why, where the file is not available.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from tests.conftest import DOCS, ROOT

DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
REPORT_SCHEMA = ROOT / "schemas" / "juesuan.report.schema.json"


def _run(fmt: str, tmp_path: Path, *paths: Path) -> str:
    out = tmp_path / f"report.{fmt}"
    status = main(["check", *map(str, paths), "--format", fmt, "-o", str(out), "--explain"])
    assert status in (0, 1)
    return out.read_text(encoding="utf-8")


def test_json_report_validates_against_its_schema(tmp_path):
    report = json.loads(_run("json", tmp_path, DEMO, DOCS / "hospital_2024.txt"))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))).validate(report)
    assert report["schema"] == "juesuan.report/1"
    first = report["documents"][0]["findings"][0]
    assert {"rule", "severity", "message", "citation", "locations", "values", "expected"} <= set(first)
    assert first["locations"][0]["line"] >= 1


def test_json_schema_rejects_a_broken_report(tmp_path):
    report = json.loads(_run("json", tmp_path, DEMO))
    del report["documents"][0]["findings"][0]["rule"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))


def test_sarif_report_validates_against_sarif_2_1_0(tmp_path):
    schema_path = os.environ.get("JUESUAN_SARIF_SCHEMA")
    if not schema_path or not Path(schema_path).is_file():
        pytest.skip("the SARIF 2.1.0 schema is not available (set JUESUAN_SARIF_SCHEMA; .ci/run fetches it)")
    sarif = json.loads(_run("sarif", tmp_path, DEMO))
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(sarif)
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "juesuan"
    result = run["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and result["ruleId"] in {r["id"] for r in run["tool"]["driver"]["rules"]}


def test_toml_report_carries_the_json_content(tmp_path):
    data = tomllib.loads(_run("toml", tmp_path, DEMO))
    assert data["schema"] == "juesuan.report/1"
    rules = {f["rule"] for f in data["documents"][0]["findings"]}
    assert {"TOT-014", "PERF-006"} <= rules


def test_bundle_reports_validate(tmp_path):
    """A report and its workbook checked as one (--bundle): locations name files, sheets and cells."""
    bundle = ["check", str(DEMO), str(ROOT / "examples" / "demo" / "tables.xlsx"), "--bundle", "--explain"]
    assert main([*bundle, "--format", "json", "-o", str(tmp_path / "r.json")]) == 1
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))).validate(report)
    cells = [loc for f in report["documents"][0]["findings"] for loc in f["locations"] if "sheet" in loc]
    assert cells and all(loc["file"].endswith("tables.xlsx") and loc["address"] for loc in cells)
    schema_path = os.environ.get("JUESUAN_SARIF_SCHEMA")
    if schema_path and Path(schema_path).is_file():
        assert main([*bundle, "--format", "sarif", "-o", str(tmp_path / "r.sarif")]) == 1
        sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(json.loads(Path(schema_path).read_text(encoding="utf-8"))).validate(sarif)
