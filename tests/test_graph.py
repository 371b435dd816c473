"""Dependency graph: nodes, edges, evaluation order and the three renderings."""

from __future__ import annotations

import pytest

from checker.graph import build_graph, dependencies_of, dependents_of, evaluation_order, render
from dsl import Schema, compile_text

SCHEMA = Schema(scalars={"基本支出": "money", "人员经费": "money", "公用经费": "money", "支出合计": "money"},
                collections={"一般公共预算.项": {"决算数": "money", "类": "text"}})
RULES = """
let 人员公用 = 人员经费 + 公用经费
let 两倍 = 人员公用 * 2
rule JB-001 "基本支出等于人员经费加公用经费"
  assert 基本支出 == 人员公用
rule JB-002 "合计"
  assert 支出合计 >= 两倍 and sum(一般公共预算.项.决算数) > 0
"""


def program():
    return compile_text(RULES, "g.rules", SCHEMA)


def test_nodes_and_edges():
    graph = build_graph(program())
    assert graph.nodes["rule:JB-001"]["kind"] == "rule"
    assert ("fact:人员经费", "derived:人员公用") in graph.edges
    assert ("derived:人员公用", "derived:两倍") in graph.edges
    assert ("derived:两倍", "rule:JB-002") in graph.edges
    assert ("fact:一般公共预算.项.决算数", "rule:JB-002") in graph.edges


def test_evaluation_order_is_topological_and_stable():
    order = evaluation_order(program())
    assert order.index("derived:人员公用") < order.index("derived:两倍") < order.index("rule:JB-002")
    assert order == evaluation_order(program())
    assert all(not node.startswith("fact:") for node in order)


def test_dependencies_and_dependents():
    graph = build_graph(program())
    assert "fact:公用经费" in dependencies_of(graph, "rule:JB-002")
    assert dependents_of(graph, "fact:人员经费") == ["derived:两倍", "derived:人员公用", "rule:JB-001", "rule:JB-002"]


def test_text_rendering():
    text = render(build_graph(program()), "text")
    assert "rule:JB-001  基本支出等于人员经费加公用经费\n  <- derived:人员公用\n  <- fact:基本支出\n" in text


def test_dot_and_mermaid_rendering():
    graph = build_graph(program())
    dot = render(graph, "dot")
    assert dot.startswith("digraph rules {") and '"derived:人员公用" -> "derived:两倍";' in dot
    mermaid = render(graph, "mermaid")
    assert mermaid.startswith("flowchart LR") and '{{"JB-001"}}' in mermaid and " --> " in mermaid


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError):
        render(build_graph(program()), "svg")
