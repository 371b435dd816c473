"""Fix suggestions: the figure that is probably mistyped behind a group of findings, and its value.

When one figure is mistyped several identities fail at once (a wrong 类 total breaks Σ项 = 类,
Σ类 = 一般公共预算 and its 占比). After evaluation the failing findings that fail on numbers are grouped
by the figures they share; for each group the search (`checker.suggest.search`) looks for the fewest
figures whose change makes every finding of the group pass while every rule case that passed still
passes, and the value each should have at its displayed precision (`checker.suggest.solve`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from checker.findings import Finding
from checker.suggest.model import Candidate, Change, Suggestion

if TYPE_CHECKING:
    from checker.evaluate import Context, Result, RuleRunner
from dsl.compiler import Program

__all__ = ["Candidate", "Change", "LookupRecorder", "Suggestion", "group_findings", "suggest"]


def suggest(program: Program, context: Context, result: Result,
            selected: Callable[[str], bool] = lambda _: True, recorder: RuleRunner | None = None
            ) -> list[Suggestion]:
    """The suggestions for one document's evaluation ``result`` (the rules ``selected`` only); ``recorder``:
    the runner that evaluated it — a `LookupRecorder` knows what each case looked up."""
    # The search is loaded when suggestions are asked for: the reports only need the model.
    from checker.suggest.figures import FigureIndex
    from checker.suggest.search import GroupSearch
    from checker.suggest.solve import is_numeric
    from checker.suggest.trial import LookupRecorder, Trials, key_of

    recorded = recorder if isinstance(recorder, LookupRecorder) else None
    trials = Trials(program, context, result, selected, recorded and recorded.lookups, recorded and recorded.failing)
    findings = [f for f in result.findings if selected(f.rule_id) and is_numeric(trials, key_of(f))]
    figures = FigureIndex(context.facts, context.document)
    out: list[Suggestion] = []
    for group in group_findings(findings):
        out.extend(GroupSearch(trials, group, figures).run())
    return out


def group_findings(findings: Sequence[Finding]) -> list[list[Finding]]:
    """The findings in groups that share a figure (a place read by both), directly or through others;
    each group in the findings' order, the groups in the order of their first finding."""
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[object, int] = {}
    for i, finding in enumerate(findings):
        for evidence in finding.locations:
            j = first_at.setdefault(evidence.location, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Finding]] = {}
    for i, finding in enumerate(findings):
        groups.setdefault(root(i), []).append(finding)
    return sorted(groups.values(), key=lambda g: findings.index(g[0]))


def __getattr__(name: str) -> Any:
    """``LookupRecorder`` on first use (see `suggest`)."""
    if name == "LookupRecorder":
        from checker.suggest.trial import LookupRecorder

        return LookupRecorder
    raise AttributeError(name)
