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


def report(tmp_path, fmt: str, *args: str) -> str:
    out = tmp_path / f"report.{fmt}"
    assert main(["check", str(DEMO), "--format", fmt, "-o", str(out), *args]) == 1
    return out.read_text(encoding="utf-8")


def test_json_report_lists_suggestions_linked_to_findings_and_validates(tmp_path):
    import json

    import jsonschema

    data = json.loads(report(tmp_path, "json", "--fix-suggestions"))
    schema = json.loads((ROOT / "schemas" / "juesuan.report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    document = data["documents"][0]
    share = next(s for s in document["suggestions"] if s["value"] == "99.04%")
    assert share["figure"] == "收入.财政拨款收入.占比" and share["location"]["line"] == 22
    assert share["location"]["text"] == "98.94%" and not share["ambiguous"]
    assert share["changes"][0]["replacement"] == "99.04%" and share["changes"][0]["settled"] is True
    assert [e["rule"] for e in share["explains"]] == ["PCT-001", "PCT-002"]
    index = document["suggestions"].index(share)
    for explained in share["explains"]:
        finding = document["findings"][explained["finding"]]
        assert finding["rule"] == explained["rule"] and finding["suggestion"] == index
    ambiguous = [s for s in document["suggestions"] if s["ambiguous"]]
    assert ambiguous and all(s["alternatives"] for s in ambiguous)


def test_machine_formats_leave_suggestions_out_unless_asked(tmp_path):
    import json

    document = json.loads(report(tmp_path, "json"))["documents"][0]
    assert "suggestions" not in document and all("suggestion" not in f for f in document["findings"])


def test_toml_report_carries_the_suggestions(tmp_path):
    import tomllib

    document = tomllib.loads(report(tmp_path, "toml", "--fix-suggestions"))["documents"][0]
    values = {s["value"] for s in document["suggestions"]}
    assert {"99.04%", "43.87", "386.44"} <= values


def test_sarif_fixes_replace_the_figure_at_its_region(tmp_path):
    import json
    import os
    from pathlib import Path

    sarif = json.loads(report(tmp_path, "sarif", "--fix-suggestions"))
    run = sarif["runs"][0]
    assert "SUGGEST" in {r["id"] for r in run["tool"]["driver"]["rules"]}
    suggestions = [r for r in run["results"] if r["ruleId"] == "SUGGEST"]
    share = next(r for r in suggestions if "99.04%" in r["message"]["text"])
    (fix,) = share["fixes"]
    (replacement,) = fix["artifactChanges"][0]["replacements"]
    assert replacement["deletedRegion"] == {"startLine": 22, "startColumn": 39, "endLine": 22, "endColumn": 45}
    assert replacement["insertedContent"]["text"] == "99.04%"
    assert {loc["message"]["text"].split(":")[0] for loc in share["relatedLocations"]} >= {"PCT-001", "PCT-002"}
    explained = [r for r in run["results"] if r["ruleId"] in ("PCT-001", "PCT-002") and "fixes" in r]
    assert len(explained) == 2
    # several equally likely figures: one alternative fix each, nothing chosen
    ambiguous = next(r for r in suggestions if r["properties"]["ambiguous"])
    assert len(ambiguous["fixes"]) >= 2 and ambiguous["properties"]["applicable"] is False
    # a value that is not singled out (any number of vehicles from 1 fits) offers no fix
    vehicles = next(r for r in suggestions if "公务用车购置数" in r["message"]["text"])
    assert "fixes" not in vehicles
    schema_path = os.environ.get("JUESUAN_SARIF_SCHEMA")
    if schema_path and Path(schema_path).is_file():
        import jsonschema

        jsonschema.Draft7Validator(json.loads(Path(schema_path).read_text(encoding="utf-8"))).validate(sarif)


def test_html_strikes_the_figure_through_and_prints_the_value_beside_it(tmp_path):
    import re
    from html import unescape

    page = report(tmp_path, "html")
    # the share on line 22: its mark carries the suggestion, the value follows it
    target = re.search(r'<mark class="hl [^"]*fix-target[^"]*"[^>]*data-s="(\d+)"[^>]*>98\.94%</mark>'
                       r'<ins class="fix-value" data-s="\1">→\u2009([^<]*)</ins>', page)
    assert target is not None and unescape(target.group(2)) == "99.04%"
    number = target.group(1)
    item = re.search(rf'<li class="suggestion" id="r0-s{number}".*?</li>', page, flags=re.S)
    assert item is not None
    assert "<del>98.94%</del>" in item.group(0) and "<ins>99.04%</ins>" in item.group(0)
    assert f'button type="button" class="goto goto-fix" data-s="{number}"' in item.group(0)
    links = re.findall(r'<a href="#r0-f(\d+)">(PCT-00\d)', item.group(0))
    assert [rule for _, rule in links] == ["PCT-001", "PCT-002"]
    for finding, _ in links:  # each explained finding says what the suggestion is, and links to it
        card = re.search(rf'<li class="finding[^"]*" id="r0-f{finding}".*?</li>', page, flags=re.S)
        assert card is not None and f'<a href="#r0-s{number}">' in card.group(0)
    assert page.count('<li class="suggestion ambiguous"') >= 1


def test_html_without_suggestions(tmp_path):
    page = report(tmp_path, "html", "--no-fix-suggestions")
    assert "fix-value" not in page.split("</style>")[1] and 'class="suggestion' not in page
