"""The dependency graph of a rule program: facts → derived values → rules.

Regulators ask "what does this rule depend on?" and "which rules read this figure?"; the
graph answers both, fixes the order in which derived values are computed (topological,
ties broken by name so runs are reproducible) and renders as text, Graphviz dot or Mermaid.
Node ids are ``fact:<name>``, ``derived:<name>`` and ``rule:<id>``.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from dsl.compiler import Program

if TYPE_CHECKING:  # networkx loads only for the graph commands: checking a document needs just the order
    import networkx as nx

FORMATS = ("text", "dot", "mermaid")


def build_graph(program: Program) -> nx.DiGraph:
    """Edges point from what is read to what reads it."""
    import networkx as nx

    graph = nx.DiGraph()
    for name, derived in program.derived.items():
        graph.add_node(f"derived:{name}", kind="derived", label=name, file=derived.file, line=derived.line)
        for fact in derived.facts:
            graph.add_node(f"fact:{fact}", kind="fact", label=fact)
            graph.add_edge(f"fact:{fact}", f"derived:{name}")
        for dep in derived.derived:
            graph.add_edge(f"derived:{dep}", f"derived:{name}")
    for rule in program.rules:
        node = f"rule:{rule.id}"
        graph.add_node(node, kind="rule", label=rule.id, title=rule.title, file=rule.file, line=rule.line)
        for fact in rule.facts:
            graph.add_node(f"fact:{fact}", kind="fact", label=fact)
            graph.add_edge(f"fact:{fact}", node)
        for dep in rule.derived:
            graph.add_edge(f"derived:{dep}", node)
    return graph


def order(graph: nx.DiGraph) -> list[str]:
    """Derived values and rules in an order where everything comes after what it reads."""
    import networkx as nx

    return [n for n in nx.lexicographical_topological_sort(graph) if graph.nodes[n].get("kind") != "fact"]


def evaluation_order(program: Program) -> list[str]:
    """`order` of the program's graph, computed without building it: the same Kahn's algorithm that
    ``networkx.lexicographical_topological_sort`` runs (the smallest ready node first), so the same list."""
    edges: dict[str, set[str]] = {}
    for name, derived in program.derived.items():
        node = f"derived:{name}"
        edges.setdefault(node, set())
        for source in (*(f"fact:{f}" for f in derived.facts), *(f"derived:{d}" for d in derived.derived)):
            edges.setdefault(source, set()).add(node)
    for rule in program.rules:
        node = f"rule:{rule.id}"
        edges.setdefault(node, set())
        for source in (*(f"fact:{f}" for f in rule.facts), *(f"derived:{d}" for d in rule.derived)):
            edges.setdefault(source, set()).add(node)
    indegree = dict.fromkeys(edges, 0)
    for targets in edges.values():
        for target in targets:
            indegree[target] += 1
    ready = [node for node, n in indegree.items() if n == 0]
    heapq.heapify(ready)
    out: list[str] = []
    while ready:
        node = heapq.heappop(ready)
        out.append(node)
        for target in edges[node]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, target)
    if len(out) < len(indegree):  # a cycle: let networkx raise its usual error
        return order(build_graph(program))
    return [n for n in out if not n.startswith("fact:")]


def dependencies_of(graph: nx.DiGraph, node: str) -> list[str]:
    """Everything ``node`` reads, directly or through derived values, sorted."""
    import networkx as nx

    return sorted(nx.ancestors(graph, node))


def dependents_of(graph: nx.DiGraph, node: str) -> list[str]:
    """Every derived value and rule that reads ``node``, directly or indirectly, sorted."""
    import networkx as nx

    return sorted(nx.descendants(graph, node))


def render(graph: nx.DiGraph, fmt: str = "text") -> str:
    if fmt == "text":
        return _text(graph)
    if fmt == "dot":
        return _dot(graph)
    if fmt == "mermaid":
        return _mermaid(graph)
    raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")


def _text(graph: nx.DiGraph) -> str:
    lines: list[str] = []
    for node in order(graph):
        data = graph.nodes[node]
        title = f"  {data['title']}" if data.get("title") else ""
        lines.append(f"{node}{title}")
        for dep in sorted(graph.predecessors(node)):
            lines.append(f"  <- {dep}")
    return "\n".join(lines) + ("\n" if lines else "")


_SHAPES = {"fact": "box", "derived": "ellipse", "rule": "hexagon"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(graph: nx.DiGraph) -> str:
    lines = ["digraph rules {", "  rankdir=LR;"]
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        label = data.get("label", node) + (f"\\n{data['title']}" if data.get("title") else "")
        lines.append(f"  {_quote(node)} [label={_quote(label)}, shape={_SHAPES.get(data.get('kind'), 'box')}];")
    for a, b in sorted(graph.edges):
        lines.append(f"  {_quote(a)} -> {_quote(b)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid(graph: nx.DiGraph) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes))}
    brackets = {"fact": ('["', '"]'), "derived": ('("', '")'), "rule": ('{{"', '"}}')}
    lines = ["flowchart LR"]
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        open_, close = brackets.get(data.get("kind"), ('["', '"]'))
        label = data.get("label", node).replace('"', "#quot;")
        lines.append(f"  {ids[node]}{open_}{label}{close}")
    for a, b in sorted(graph.edges):
        lines.append(f"  {ids[a]} --> {ids[b]}")
    return "\n".join(lines) + "\n"
