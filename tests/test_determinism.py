"""The same documents give a byte-identical JSON report whatever the process count, the order files were
written to disk, the names they sort by, the hash seed, and whether the rule program came from the cache.

In-process runs use `checker.cli.main`; the hash-seed and cache runs are fresh interpreters (three of them).
The shared example joins the project's documents when it is present.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"
SEED = ROOT.parent / "shared" / "seeds" / "000_38207ba7611ec7da.txt"
SOURCES = [p for p in (ROOT / "examples" / "demo" / "disclosure.txt", DOCS / "county_education_2023.txt",
                       DOCS / "hospital_2024.txt", SEED) if p.is_file()]


def report(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(["check", *args, "--format", "json"])
    assert status in (0, 1)
    return out.getvalue()


def copy_in_order(folder: Path, order: list[Path], names: list[str] | None = None) -> Path:
    """Copy the sources into ``folder`` one by one in ``order`` (creation order and inode order follow it)."""
    folder.mkdir()
    for i, source in enumerate(order):
        shutil.copyfile(source, folder / (names[i] if names else source.name))
    return folder


@pytest.fixture(scope="module")
def forward(tmp_path_factory) -> Path:
    return copy_in_order(tmp_path_factory.mktemp("det") / "docs", SOURCES)


def test_process_count_does_not_change_the_report(forward):
    one = report(str(forward), "--jobs", "1")
    assert one == report(str(forward), "--jobs", "2")
    assert len(json.loads(one)["documents"]) == len(SOURCES)


def test_creation_order_on_disk_does_not_change_the_report(forward, tmp_path):
    backward = copy_in_order(tmp_path / "docs", list(reversed(SOURCES)))
    first = report(str(forward), "--jobs", "2")
    second = report(str(backward), "--jobs", "2")
    assert first.replace(str(forward), "<folder>") == second.replace(str(backward), "<folder>")


def test_names_sorted_differently_give_the_same_per_document_reports(forward, tmp_path):
    """Renamed so that they sort in reverse: the documents come in the other order, each one's report unchanged."""
    names = [f"{chr(ord('z') - i)}_{p.name}" for i, p in enumerate(SOURCES)]
    renamed = copy_in_order(tmp_path / "renamed", SOURCES, names)

    def by_source(text: str, folder: Path, rename: dict[str, str]) -> dict[str, dict]:
        documents = json.loads(text)["documents"]
        out = {}
        for document in documents:
            name = Path(document["path"]).name
            document = json.loads(json.dumps(document).replace(str(folder / name), "<document>"))
            out[rename.get(name, name)] = document
        return out

    first = by_source(report(str(forward)), forward, {})
    second_text = report(str(renamed))
    assert [Path(d["path"]).name for d in json.loads(second_text)["documents"]] == sorted(names)
    assert by_source(second_text, renamed, dict(zip(names, (p.name for p in SOURCES), strict=True))) == first


def test_hash_seed_and_rule_cache_do_not_change_the_report(forward, tmp_path):
    """Fresh interpreters: no cache with PYTHONHASHSEED=0; then seed 12345 twice, compiling into an empty cache
    and then loading the program from it."""
    def run(seed: str, **env: str) -> bytes:
        environment = {**os.environ, "PYTHONHASHSEED": seed, **env}
        result = subprocess.run([sys.executable, "-m", "checker.cli", "check", str(forward), "--format", "json",
                                 "--jobs", "1"], cwd=ROOT, env=environment, capture_output=True, timeout=300)
        assert result.returncode in (0, 1), result.stderr.decode()
        return result.stdout

    cache = tmp_path / "cache"
    uncached = run("0", JUESUAN_NO_CACHE="1")
    compiled = run("12345", JUESUAN_CACHE_DIR=str(cache), JUESUAN_NO_CACHE="")
    assert any(cache.glob("program-*.pickle")) and any(cache.glob("toml-*.pickle"))
    from_cache = run("12345", JUESUAN_CACHE_DIR=str(cache), JUESUAN_NO_CACHE="")
    assert uncached == compiled == from_cache
    assert json.loads(uncached)["documents"]
