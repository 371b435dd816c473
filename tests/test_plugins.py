"""Plugins: every hook documented and tested; entry points, --plugin, local file, disabling, failures, regions."""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import pytest

from checker import hookspecs
from checker import plugins as host
from checker.cli import main
from checker.facts.model import Fact
from checker.findings import Trace
from checker.functions import FunctionSpec, Value
from checker.model import Location, Paragraph
from checker.quantity import parse_quantity
from checker.readers import ReadResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SRC = ROOT / "examples" / "plugin-csv" / "src"
SEED = ROOT.parent / "shared" / "seeds" / "000_38207ba7611ec7da.txt"
HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("juesuan_"))


@pytest.fixture(autouse=True)
def fresh_plugins():
    """Each test loads its own plugins; afterwards the defaults (built-ins only) are active again."""
    yield
    host.activate(host.load_plugins(entry_points=False))
    for name in [m for m in sys.modules if m == "juesuan_csv" or m.startswith(("juesuan_csv.", "juesuan_plugin_"))]:
        del sys.modules[name]


# ---- a plugin implementing every hook ----------------------------------------------------------

def _double(env, args, node):
    (x,) = args
    result = x.interval + x.interval
    return Value(x.kind, result, Trace(node.src, str(result), children=(x.trace,)), x.decimals)


def _demo_report(results, info) -> str:
    return "".join(f"{r.path}|{f.rule_id}|{f.message}\n" for r in results for f in r.findings)


class DemoPlugin:
    """Implements every hook of the specification; `test_every_hook_is_implemented_by_the_demo_plugin` checks."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        (folder / "demo.rules").write_text(
            'rule DEMO-001 "段落数的两倍不超过4"\n  severity warning\n  assert 加倍(演示.段落数) <= 4\n'
            '  message "段落数加倍为 {left}"\n', encoding="utf-8")
        (folder / "demo.toml").write_text('[schema.scalars]\n"演示.段落数" = "count"\n', encoding="utf-8")
        self.configured = False

    @hookspecs.hookimpl
    def juesuan_configure(self, config):
        self.configured = True
        if config.region == "demo-land":
            config.severity.setdefault("DEMO-001", "error")

    @hookspecs.hookimpl
    def juesuan_regions(self):
        return ["demo-land", "演示区"]

    @hookspecs.hookimpl
    def juesuan_rule_packs(self, config):
        return [self.folder / "demo.rules"]

    @hookspecs.hookimpl
    def juesuan_vocabulary(self, config):
        return [self.folder / "demo.toml"]

    @hookspecs.hookimpl
    def juesuan_functions(self):
        return [(FunctionSpec("加倍", ("numeric",), lambda kinds: kinds[0], _double, "x + x"), ["double"])]

    @hookspecs.hookimpl
    def juesuan_fact_extractors(self, config):
        def count_paragraphs(document, vocabulary):
            n = sum(1 for b in document.blocks if isinstance(b, Paragraph))
            return [Fact("演示.段落数", parse_quantity(f"{n}个"), Location(line=1, column=1), f"{n} paragraphs")]
        return [count_paragraphs]

    @hookspecs.hookimpl
    def juesuan_readers(self):
        def read_demo(path, data):
            lines = data.decode("utf-8").splitlines()
            return ReadResult("demo", "utf-8", [Paragraph(t, Location(line=i)) for i, t in enumerate(lines, 1)])
        return [("demo", lambda head, path: path.suffix == ".demo", read_demo)]

    @hookspecs.hookimpl
    def juesuan_report_formats(self):
        return {"demo": _demo_report}


DEMO: DemoPlugin | None = None


def test_every_hook_is_documented() -> None:
    assert HOOKS, "no hooks found in checker.hookspecs"
    for name in HOOKS:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert "Called" in doc and "firstresult" in doc, f"{name} must say when it is called and whether firstresult"


def test_every_hook_is_implemented_by_the_demo_plugin() -> None:
    implemented = {name for name in dir(DemoPlugin) if name.startswith("juesuan_")}
    assert implemented == set(HOOKS)


def test_every_hook_takes_effect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    global DEMO
    DEMO = DemoPlugin(tmp_path)
    spec = f"{__name__}:DEMO"
    document = tmp_path / "report.demo"
    document.write_text("2024年度部门决算\n一、主要职能\n二、机构设置\n", encoding="utf-8")
    # the reader reads .demo, the extractor counts 3 paragraphs, the vocabulary names the fact, the function
    # doubles it, the rule pack's DEMO-001 fails (a warning), the report format prints it
    assert main(["check", str(document), "--no-builtin", "--format", "demo", "--plugin", spec]) == 0
    assert capsys.readouterr().out == f"{document}|DEMO-001|段落数加倍为 6\n"
    assert DEMO.configured
    # under the plugin's region its configure hook makes DEMO-001 an error
    assert main(["check", str(document), "--no-builtin", "--format", "demo", "--plugin", spec,
                 "--region", "演示区"]) == 1
    listing = _plugins_json(["plugins", "--format", "json", "--plugin", spec], capsys)
    demo = listing[__name__]  # named after the module part of `--plugin module:object`
    assert demo["rules"] and demo["vocabulary"] and demo["functions"] == ["加倍 / double"]
    assert demo["extractors"] == ["count_paragraphs"] and demo["readers"] == ["demo"]
    assert demo["formats"] == ["demo"] and demo["regions"] == ["demo-land", "演示区"]


def _plugins_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(argv) == 0
    return {p["name"]: p for p in json.loads(capsys.readouterr().out)["plugins"]}


# ---- built-ins go through the same hooks --------------------------------------------------------

def test_builtins_are_a_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    listing = _plugins_json(["plugins", "--format", "json"], capsys)
    builtin = listing["builtin"]
    assert builtin["source"] == "builtin"
    assert {"text", "json", "sarif", "toml"} <= set(builtin["formats"])
    assert {"pdf", "docx"} <= set(builtin["readers"])
    assert any(p.endswith("10-totals.rules") for p in builtin["rules"])
    assert listing["xinjiang"]["rules"] == []  # a region contributes nothing until chosen


def test_disabling_the_builtin_plugin_leaves_no_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--disable-plugin", "builtin"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 rules")


# ---- the example third-party plugin through a (fake) installed distribution -------------------

def _fake_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the example plugin's entry point as an installed distribution would, without pip."""
    dist = tmp_path / "site" / "juesuan_csv-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: juesuan-csv\nVersion: 0.1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[juesuan]\ncsv = juesuan_csv\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    monkeypatch.delenv(host.AUTOLOAD_VARIABLE, raising=False)


REPORT = """\
五、一般公共预算财政拨款支出决算情况说明
2024年度一般公共预算财政拨款支出1,000.00万元，占本年支出合计的100.00%。
九、财政拨款“三公”经费支出决算情况说明
2024年度“三公”经费财政拨款支出60.00万元。
"""


def test_entry_point_plugin_rule_function_and_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _fake_distribution(tmp_path, monkeypatch)
    document = tmp_path / "report.txt"
    document.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "findings.csv"
    assert main(["check", str(document), "--select", "EXCSV", "--format", "csv", "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "path,line,rule,severity,message,expected,difference"
    assert len(rows) == 2 and ",4,EXCSV-001,info," in rows[1]
    assert "6.00%" in rows[1] and rows[1].endswith(",5.00%,1.00%")  # 比例(60, 1000) computed by the plugin
    listing = _plugins_json(["plugins", "--format", "json"], capsys)
    assert listing["csv"]["source"] == "entry point" and listing["csv"]["version"] == "0.1.0"
    assert listing["csv"]["functions"] == ["比例 / ratio"] and listing["csv"]["formats"] == ["csv"]
    # disabled by name: its format and rules are gone
    capsys.readouterr()
    assert main(["rules", "--disable-plugin", "csv"]) == 0
    assert "EXCSV-001" not in capsys.readouterr().out


def test_plugin_option_takes_a_module_or_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    assert main(["rules", "--plugin", "juesuan_csv"]) == 0
    assert "EXCSV-001" in capsys.readouterr().out
    plugin_file = tmp_path / "only_format.py"
    plugin_file.write_text("from checker.hookspecs import hookimpl\n\n\n@hookimpl\ndef juesuan_report_formats():\n"
                           "    return {'count': lambda results, info: f'{len(results)} document(s)\\n'}\n",
                           encoding="utf-8")
    document = tmp_path / "report.txt"
    document.write_text(REPORT, encoding="utf-8")
    main(["check", str(document), "--plugin", str(plugin_file), "--format", "count"])
    assert capsys.readouterr().out == "1 document(s)\n"


def test_local_plugin_file_and_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "juesuan.toml").write_text('disable-plugins = ["xinjiang"]\n', encoding="utf-8")
    (tmp_path / "local.rules").write_text('rule LOC-001 "本地规则"\n  assert exists(收入.收入总计)\n'
                                          '  message "未列示收入总计"\n', encoding="utf-8")
    (tmp_path / "juesuan_plugin.py").write_text(
        "from pathlib import Path\n\nfrom checker import hookimpl\n\n\n@hookimpl\ndef juesuan_rule_packs(config):\n"
        "    return [Path(__file__).parent / 'local.rules']\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    listing = _plugins_json(["plugins", "--format", "json"], capsys)
    assert listing["juesuan_plugin"]["source"] == "local file"
    assert listing["xinjiang"]["status"] == "disabled"
    assert main(["rules"]) == 0
    assert "LOC-001" in capsys.readouterr().out


# ---- failures: one warning line, the run goes on ------------------------------------------------

def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("juesuan: warning: plugin")]


def test_a_plugin_that_fails_to_import_is_named_and_skipped(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken_plugin.py"
    broken.write_text("import no_such_module_for_juesuan\n", encoding="utf-8")
    assert main(["rules", "--plugin", str(broken)]) == 0
    captured = capsys.readouterr()
    (warning,) = _warnings(captured.err)
    assert "'broken_plugin'" in warning and "ModuleNotFoundError" in warning and "continuing without it" in warning
    assert "Traceback" not in captured.err
    assert "TOT-001" in captured.out
    assert main(["rules", "--plugin", "no.such.module", "--strict-plugins"]) == 2
    assert "juesuan: error: plugin 'no.such.module'" in capsys.readouterr().err


def test_a_hook_that_raises_drops_its_plugin(tmp_path: Path, seed_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    plugin_file = tmp_path / "raising.py"
    plugin_file.write_text(
        "from checker.hookspecs import hookimpl\n\n\n@hookimpl\ndef juesuan_report_formats():\n"
        "    return {'never': lambda results, info: ''}\n\n\n@hookimpl\ndef juesuan_rule_packs(config):\n"
        "    raise RuntimeError('rule store offline')\n", encoding="utf-8")
    expected = main(["check", str(seed_path), "--format", "json"])
    baseline = capsys.readouterr().out
    assert main(["check", str(seed_path), "--format", "json", "--plugin", str(plugin_file)]) == expected
    captured = capsys.readouterr()
    (warning,) = _warnings(captured.err)
    assert "'raising'" in warning and "juesuan_rule_packs" in warning and "rule store offline" in warning
    assert captured.out == baseline
    assert "never" not in host.active().formats()  # what it contributed through other hooks is withdrawn


# ---- the Xinjiang region -------------------------------------------------------------------------

def _rule_counts(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    capsys.readouterr()
    main(argv)
    counts: dict[str, int] = {}
    for document in json.loads(capsys.readouterr().out)["documents"]:
        for finding in document["findings"]:
            counts[finding["rule"]] = counts.get(finding["rule"], 0) + 1
    return counts


def test_region_xinjiang_changes_the_example_findings(seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    national = _rule_counts(["check", str(seed_path), "--format", "json"], capsys)
    region = _rule_counts(["check", str(seed_path), "--format", "json", "--region", "xinjiang"], capsys)
    assert not any(rule.startswith("XJ-") for rule in national)
    assert national.get("PERF-014") == 3 and "PERF-014" not in region
    added = {rule: n for rule, n in region.items() if rule.startswith("XJ-")}
    assert added == {"XJ-003": 1, "XJ-004": 2, "XJ-005": 1, "XJ-007": 1}
    assert {r: n for r, n in region.items() if not r.startswith("XJ-")} == \
        {r: n for r, n in national.items() if r != "PERF-014"}
    assert _rule_counts(["check", str(seed_path), "--format", "json", "--region", "昌吉"], capsys) == region


def test_region_from_configuration_and_unknown_regions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "juesuan.toml").write_text('region = "changji"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "XJ-003" in out and "PERF-014  off" in out
    assert main(["rules", "--region", "atlantis"]) == 2
    assert "unknown region 'atlantis'; available: xinjiang (新疆, changji, 昌吉, 昌吉州)" in capsys.readouterr().err


def test_region_rule_tests_pass_strictly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--strict", "--region", "xinjiang", str(ROOT / "rules" / "regions" / "xinjiang")]) == 0
    assert "0 failed" in capsys.readouterr().out
