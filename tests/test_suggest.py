"""Fix suggestions: the figures a suggestion may change, how far a value is from the printed one, the
search on small disclosures, and trials that agree with checking the changed document whole."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checker.config import Config
from checker.evaluate import Context, evaluate
from checker.pipeline import extract_facts, load, read_document
from checker.run import Checker
from checker.suggest import group_findings, suggest
from checker.suggest.figures import figure_name, index_figures, render_like
from checker.suggest.solve import candidates, gap, involves, is_numeric, slope
from checker.suggest.trial import LookupRecorder, Trials, key_of
from checker.suggest.typo import distance, nearest, slips
from tests.conftest import ROOT

DEMO = ROOT / "examples" / "demo" / "disclosure.txt"

SANGONG = "九、财政拨款“三公”经费支出决算情况说明\n2024年度财政拨款“三公”经费支出44.87万元。其中：{parts}\n"
SHARES = "因公出国（境）费0.00万元，占0.00%；公务用车购置及运行维护费42.87万元，占97.72%；公务接待费1.00万元，占2.28%。"
PLAIN = "因公出国（境）费0.00万元；公务用车购置及运行维护费42.87万元；公务接待费1.00万元。"
WORD = ("五、一般公共预算财政拨款支出决算情况说明\n"
        "一般公共服务支出(类)市场监督管理事务(款)市场监管执法(项)：支出决算数为456.78万元，"
        "上年决算数为420.10万元，比上年决算减少36.68万元，下降8.73%，主要原因是：开展执法行动。\n")


@pytest.fixture(scope="module")
def checker() -> Checker:
    found = Checker.from_config(Config())
    found.suggestions = True
    return found


def check_text(checker: Checker, tmp_path: Path, text: str):
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return checker.check_path(path)


# ---- figures and their printed form

@pytest.mark.parametrize(("text", "value", "decimals", "expected"), [
    ("3,415.17万元", "3405.17", 2, "3,405.17万元"),
    ("3, 415.17万元", "13405.17", 2, "13, 405.17万元"),
    ("245 555.17万元", "254555.17", 2, "254 555.17万元"),
    ("５１２．７８万元", "521.78", 2, "５２１．７８万元"),
    ("98.94%", "99.04", 2, "99.04%"),
    ("-13.05%", "-13.01", 2, "-13.01%"),
    ("36.68万元", "-43.69", 2, "43.69万元"),  # the sign of 减少36.68万元 is the word's
    ("0辆", "1", 0, "1辆"),
    ("44.85亿元", "44.58", 2, "44.58亿元"),
])
def test_a_value_is_printed_in_the_figures_own_style(text, value, decimals, expected):
    assert render_like(text, Decimal(value), decimals) == expected


def test_a_count_the_checker_made_is_no_figure(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("九、“三公”经费\n严格落实落实公务用车管理规定，公务接待费1.00万元。\n", encoding="utf-8")
    document = read_document(path)
    facts = extract_facts(document)
    counted = [f for f in facts if f.name == "文字.重复词.次数"]
    assert counted, "the repeated word is counted"
    figures = index_figures(facts, document)
    assert all(f.location != counted[0].location for found in figures.values() for f in found)
    assert any(f.quantity.text == "1.00万元" for found in figures.values() for f in found)


def test_figures_are_named_for_people():
    _, facts = load(DEMO)
    document = read_document(DEMO)
    names = {f.label: figure_name(f) for found in index_figures(facts, document).values() for f in found}
    assert names["一般公共预算.类.决算数[社会保障和就业支出]"] == "社会保障和就业支出（类）"
    assert names["一般公共预算.类.占比[社会保障和就业支出]"] == "社会保障和就业支出（类）占比"
    assert names["绩效.指标.完成率[2024年食品安全抽检监测项目/抽检结果公布时间]"] == "抽检结果公布时间·完成率"
    assert names["三公经费.合计"] == "三公经费.合计"


# ---- keystrokes

def test_slips_count_substitutions_swaps_insertions_and_deletions():
    assert slips("36844", "38644") == 1  # neighbours swapped
    assert slips("4487", "4387") == 1
    assert slips("100", "1000") == 1
    assert slips("10000", "9000") == 2
    assert distance(Decimal("98.94"), Decimal("99.04"), 2) == 2
    assert distance(Decimal("-5.59"), Decimal("5.59"), 2) == 1  # a sign change counts one


def test_nearest_picks_the_smallest_slip_within_the_values_that_fit():
    assert nearest(Decimal("-15.05"), 2, Decimal("-13.05"), Decimal("-13.01")) == [Decimal("-13.05")]
    assert nearest(Decimal("6.85"), 2, Decimal("6.57"), Decimal("6.60")) == [Decimal("6.58")]
    # two single slips fit as well as each other: nothing is singled out
    assert nearest(Decimal("3680.00"), 2, Decimal("3850.00"), Decimal("3950.00")) == [Decimal("3860.00"),
                                                                                      Decimal("3880.00")]
    assert nearest(Decimal("1.00"), 2, Decimal("350.00"), Decimal("350.99")) == []  # three slips at least


# ---- the search on small disclosures

def test_shares_point_at_the_total(checker, tmp_path):
    result = check_text(checker, tmp_path, SANGONG.format(parts=SHARES))
    (suggestion,) = [s for s in result.suggestions if "TOT-015" in s.rules]
    assert not suggestion.ambiguous and suggestion.applicable
    (change,) = suggestion.candidates[0].changes
    assert (change.figure, change.display, change.value, change.replacement) == ("三公经费.合计", "44.87万元", "43.87",
                                                                                 "43.87万元")
    assert sorted(suggestion.rules) == ["PCT-001", "TOT-015"] and len(suggestion.explains) == 3
    assert [result.findings[i].rule_id for i in suggestion.findings] == [r for r, _ in suggestion.explains]
    assert "likely wrong: 三公经费.合计 44.87万元 (line 2) — 43.87 would reconcile" in suggestion.message()


def test_a_sum_alone_cannot_tell_which_figure_and_says_so(checker, tmp_path):
    result = check_text(checker, tmp_path, SANGONG.format(parts=PLAIN))
    (suggestion,) = [s for s in result.suggestions if "TOT-015" in s.rules]
    assert suggestion.ambiguous and not suggestion.applicable
    named = {c.changes[0].figure: c.changes[0].value for c in suggestion.candidates}
    assert named == {"三公经费.合计": "43.87", "三公经费.因公出国费": "1.00",
                     "三公经费.公务用车购置及运行维护费": "43.87", "三公经费.公务接待费": "2.00"}
    assert suggestion.message().startswith("the findings cannot tell which figure is wrong, 4 candidates")


def test_a_wrong_direction_word_gets_no_suggestion(checker, tmp_path):
    # 本年 456.78 > 上年 420.10 but written 减少/下降: only a figure four keystrokes off (383.42) reconciles it
    result = check_text(checker, tmp_path, WORD)
    assert {"RATE-005", "RATE-006"} <= {f.rule_id for f in result.findings}
    assert not [s for s in result.suggestions if {"RATE-005", "RATE-006", "RATE-001"} & set(s.rules)]


def test_suggestions_are_off_unless_asked_for(tmp_path):
    result = check_text(Checker.from_config(Config()), tmp_path, SANGONG.format(parts=SHARES))
    assert result.findings and result.suggestions == []


def test_groups_share_figures_directly_or_through_others():
    _, facts = load(DEMO)
    document = read_document(DEMO)
    checker = Checker.from_config(Config())
    result = evaluate(checker.program, Context(facts, document))
    trials = Trials(checker.program, Context(facts, document), result)
    numeric = [f for f in result.findings if is_numeric(trials, key_of(f))]
    groups = group_findings(numeric)
    assert sum(len(g) for g in groups) == len(numeric)
    by_rule = {f.rule_id: i for i, g in enumerate(groups) for f in g}
    assert by_rule["TOT-014"] == by_rule["EXP-008"]  # both read 公用经费 386.44
    assert by_rule["PCT-001"] == by_rule["PCT-002"]
    assert by_rule["TOT-015"] != by_rule["TOT-014"]
    # a missing reason or a missing glossary entry is no figure's to fix
    assert {"GLO-001", "EXP-001", "PERF-016"}.isdisjoint(f.rule_id for f in numeric)


@pytest.mark.parametrize("recorded", [False, True], ids=["lookups found by the trials", "lookups recorded"])
def test_a_trial_agrees_with_checking_the_changed_document_whole(recorded):
    """Re-evaluating only the cases that looked a changed figure up gives what evaluating every rule on the
    changed facts gives — whether the trials find what each case looks up or the check recorded it."""
    _, facts = load(DEMO)
    document = read_document(DEMO)
    checker = Checker.from_config(Config())
    context = Context(facts, document)
    recorder = LookupRecorder(checker.program, context) if recorded else None
    # as a check without last year's report runs them: the cross-year rules left out
    runs = {r.id for r in checker.program.rules if not checker.program.cross_year(r)}
    result = evaluate(checker.program, context, recorder, only=lambda r: r.id in runs)
    trials = Trials(checker.program, context, result, runs.__contains__,
                    lookups=recorder.lookups if recorder else None)
    figures = [f for found in index_figures(facts, document).values() for f in found]
    tried = 0
    for finding in result.findings:
        for evidence in finding.locations:
            figure = next((f for f in figures if f.location == evidence.location), None)
            if figure is None or tried >= 25:
                continue
            tried += 1
            value = figure.quantity.value + figure.ulp * 7
            trial = trials.run({figure: value})
            whole = evaluate(checker.program, Context(trials.runner({figure: value}).interp.facts, document),
                             only=lambda r: r.id in runs)
            expected = {key_of(f) for f in whole.findings} | {(n.rule_id, n.record) for n in whole.not_evaluated}
            assert {k for k in expected if k[0] in trial.checked} == set(trial.failing), figure.label
    assert tried >= 10


def _demo_trials() -> tuple[Trials, Trials, LookupRecorder, list, list]:
    """The demo evaluated as a check without last year's report: trials from what the recorder kept (its
    failing cases too), trials starting from nothing but the lookups, the recorder, the figures and the
    findings that fail on numbers."""
    _, facts = load(DEMO)
    document = read_document(DEMO)
    checker = Checker.from_config(Config())
    context = Context(facts, document)
    recorder = LookupRecorder(checker.program, context)
    runs = {r.id for r in checker.program.rules if not checker.program.cross_year(r)}
    result = evaluate(checker.program, context, recorder, only=lambda r: r.id in runs)
    trials = Trials(checker.program, context, result, runs.__contains__, recorder.lookups, recorder.failing)
    plain = Trials(checker.program, context, result, runs.__contains__, recorder.lookups)
    figures = [f for found in index_figures(facts, document).values() for f in found]
    numeric = [f for f in result.findings if is_numeric(plain, key_of(f))]
    return trials, plain, recorder, figures, numeric


def test_the_recorded_failing_cases_are_what_probing_them_finds():
    """The comparisons a finding was made from, kept by the recorder, are those a probe of the case finds."""
    trials, _, recorder, _, _ = _demo_trials()
    assert len(recorder.failing) >= 10
    for key, kept in recorder.failing.items():
        probed = trials.runner({}).probe(trials.rules[key[0]], key[1])
        assert (kept.applies, kept.holds) == (probed.applies, probed.holds)
        assert [(c.node, c.holds, c.left.data, c.right.data) for c in kept.comparisons] == \
            [(c.node, c.holds, c.left.data, c.right.data) for c in probed.comparisons]


def test_the_lookups_gathered_for_a_rule_are_every_case_that_made_them():
    _, _, recorder, _, _ = _demo_trials()
    assert recorder.lookups.logs
    for rule_id, logs in recorder.lookups.logs.items():
        gathered = recorder.lookups[rule_id]
        assert {record for cases in gathered.values() for record in cases} <= {record for record, _ in logs}
        for record, log in logs:
            assert all(record in gathered[item] for item in log)


@pytest.mark.parametrize("steps", [None, 1, 7, -3], ids=["solved", "+1", "+7", "-3"])
def test_settling_a_change_agrees_with_its_trial(steps):
    """`Trials.settles` (the group's cases probed first, the other rules one by one, stopping at the first
    case broken) says what the change's whole trial says, for every group of the demo and each figure at the
    values solved for its findings (most of which settle them) or a few steps off."""
    trials, plain, _, figures, numeric = _demo_trials()
    answers = []
    for group in group_findings(numeric):
        keys = frozenset(key_of(f) for f in group)
        for place in sorted({e.location for f in group for e in f.locations}, key=repr):
            figure = next((f for f in figures if f.location == place), None)
            if figure is None:
                continue
            values = ([v for k in sorted(keys) for v in candidates(plain, figure, k, {})] if steps is None
                      else [figure.quantity.value + figure.ulp * steps])
            for value in values:
                trial = plain.run({figure: value})
                for part in (keys, frozenset(sorted(keys)[:1])):
                    answers.append(trials.settles({figure: value}, part, keys))
                    assert answers[-1] == (not trial.broken and part <= trial.explained(keys)), figure.label
                assert trials.run({figure: value}) == trial  # and the trial made after settling is the same
    assert len(answers) >= 20
    assert steps is not None or sum(answers) >= 10


def _demo_cases(trials: Trials, figures: list, numeric: list):
    """Each failing case of the demo on numbers with each figure of its group."""
    for group in group_findings(numeric):
        places = {e.location for f in group for e in f.locations}
        for finding in group:
            for figure in (f for f in figures if f.location in places):
                yield key_of(finding), figure


def test_the_slope_the_rule_text_gives_is_what_evaluating_the_case_finds():
    """Where `slope` reads a comparison's gap as a line of a figure's value, the case evaluated with the
    figure moved (as the solver's first step would) has the gap that line predicts."""
    trials, _, _, figures, numeric = _demo_trials()
    known = 0
    for key, figure in _demo_cases(trials, figures, numeric):
        probe = trials.probe(key, {})
        reading = [c for c in probe.comparisons if involves(c, figure)]
        for comparison in reading if len(reading) == 1 else ():
            found = slope(trials, key, comparison, figure)
            if found is None or gap(comparison) is None:
                continue
            known += 1
            for step in (figure.ulp, figure.quantity.value / 100 + figure.ulp, -7 * figure.ulp):
                moved = trials.runner({figure: figure.quantity.value + step}).probe(trials.rules[key[0]], key[1])
                same = [c for c in moved.comparisons if c.node is comparison.node]
                assert gap(same[0]) == gap(comparison) + found * step, (key, figure.label)
    assert known >= 20


def test_a_change_a_case_cannot_read_is_left_out_of_its_probe():
    """A probe with changes none of whose facts the case looked up is the case's probe as printed; with a
    change of a figure its rule never names besides, the probe of the other changes; either is what
    evaluating the case with every change finds."""
    trials, _, _, figures, numeric = _demo_trials()
    spared = unnamed = 0
    for key, figure in _demo_cases(trials, figures, numeric):
        for other in figures[::7]:
            if trials.reads(key, other):
                continue
            moved = {figure: figure.quantity.value + figure.ulp}
            for changes, fewer in (({other: other.quantity.value + other.ulp}, {}),
                                   ({**moved, other: other.quantity.value - other.ulp}, moved)):
                if fewer and trials.rules[key[0]] in trials.readers([other]):
                    continue
                spared += not fewer
                unnamed += bool(fewer)
                probe = trials.probe(key, changes)
                assert probe is trials.probe(key, fewer)
                evaluated = trials.runner(changes).probe(trials.rules[key[0]], key[1])
                assert [(c.node, c.holds, c.left.data, c.right.data) for c in probe.comparisons] == \
                    [(c.node, c.holds, c.left.data, c.right.data) for c in evaluated.comparisons]
    assert spared >= 20 and unnamed >= 20


def test_suggest_on_an_evaluated_document():
    _, facts = load(DEMO)
    document = read_document(DEMO)
    checker = Checker.from_config(Config())
    context = Context(facts, document)
    found = suggest(checker.program, context, evaluate(checker.program, context))
    values = {(c.display, c.value) for s in found if not s.ambiguous for c in s.candidates[0].changes}
    assert {("98.94%", "99.04%"), ("8.93%", "9.93%"), ("44.87万元", "43.87"), ("368.44万元", "386.44")} <= values


def test_a_cell_that_prints_the_number_without_its_unit_is_a_figure():
    """A structure table's 317.58 is 317.58万元 by its column heading: the figure is the cell's characters,
    and what would replace them is a number alone."""
    path = ROOT / "tests" / "fixtures" / "styles" / "county_agriculture_2024.txt"
    document = read_document(path)
    facts = extract_facts(document)
    (figure,) = [f for found in index_figures(facts, document).values() for f in found if f.location.line == 120]
    assert (figure.quantity.text, figure.text) == ("317.58万元", "317.58")
    assert figure.printed(Decimal("317.85")) == "317.85"


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("3845.25", "3845.24", "3845.24"), ("3,415.17万元", "3405.17", "3,405.17"),
    ("245 555.17万元", "254555.17", "254,555.17"), ("５１２．７８万元", "521.78", "521.78"),
    ("98.94%", "99.04", "99.04%"), ("36.68万元", "-43.69", "43.69"),
])
def test_a_suggested_value_is_named_as_the_figure_prints_numbers(text, value, expected):
    from checker.model import Location
    from checker.quantity import Quantity
    from checker.suggest.figures import Figure

    decimals = 2
    unit = "%" if text.endswith("%") else "万元"
    figure = Figure(Location(line=1, column=1), Quantity(Decimal(value), decimals, unit, text), (), text)
    assert figure.value_text(Decimal(value)) == expected
