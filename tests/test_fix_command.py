"""`juesuan fix`: the changes listed, a corrected copy written with --apply (never in place unless asked),
the file's encoding, byte-order mark, line ends and digit style kept, and only single best candidates
applied."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.config import Config
from checker.run import Checker
from tests.conftest import FIXTURES, ROOT

DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
PROVINCE = FIXTURES / "styles" / "province_transport_2024.txt"


def findings(path: Path) -> list[tuple[str, int | None]]:
    return [(f.rule_id, f.location.line if f.location else None)
            for f in Checker.from_config(Config()).check_path(path).findings]


def test_without_apply_it_lists_the_changes_and_writes_nothing(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    shutil.copy(DEMO, draft)
    assert main(["fix", str(draft)]) == 0
    out = capsys.readouterr().out
    assert f"{draft}:22:39: would change 98.94% → 99.04%  收入.财政拨款收入.占比 (explains PCT-001, PCT-002)" in out
    assert "left as it is (equally likely candidates)" in out and "run with --apply" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_apply_writes_a_corrected_copy_beside_the_file(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    shutil.copy(DEMO, draft)
    assert main(["fix", str(draft), "--apply"]) == 0
    out = capsys.readouterr().out
    fixed = tmp_path / "draft.fixed.txt"
    assert draft.read_bytes() == DEMO.read_bytes(), "the original is untouched"
    before, after = DEMO.read_text(encoding="utf-8").split("\n"), fixed.read_text(encoding="utf-8").split("\n")
    changed = {i + 1: (a, b) for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert set(changed) == {22, 27, 38, 56, 64, 99, 314, 402}
    assert changed[22][1] == changed[22][0].replace("占98.94%", "占99.04%")
    assert changed[56][1] == changed[56][0].replace("支出44.87万元", "支出43.87万元")
    assert changed[314] == ("\t11", "\t10") and changed[402] == ("\t101.00", "\t100.00")
    assert f"{draft}:64:24: changed 368.44万元 → 386.44万元" in out
    assert f"wrote {fixed}: 8 figure(s) changed; findings 21 → 12" in out
    # the corrected copy has none of the explained findings, and no new one
    left = findings(fixed)
    assert set(left) < set(findings(draft))
    assert ("TOT-015", 56) not in left and ("TOT-014", 50) in left  # 3,415.17 vs 人员经费: not decided


def test_in_place_and_output(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    shutil.copy(DEMO, draft)
    assert main(["fix", str(draft), "--apply", "-o", str(tmp_path / "out.txt")]) == 0
    assert (tmp_path / "out.txt").is_file() and not (tmp_path / "draft.fixed.txt").exists()
    assert main(["fix", str(draft), "--apply", "--in-place"]) == 0
    assert draft.read_bytes() == (tmp_path / "out.txt").read_bytes()
    capsys.readouterr()
    assert main(["fix", str(draft), "--apply", "--in-place"]) == 0
    assert "nothing to change" in capsys.readouterr().out


@pytest.mark.parametrize(("encoding", "bom", "end"), [("gb18030", b"", "\r\n"), ("utf-8", codecs.BOM_UTF8, "\n"),
                                                      ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n")])
def test_the_files_encoding_mark_and_line_ends_are_kept(tmp_path, encoding, bom, end):
    text = DEMO.read_text(encoding="utf-8").replace("\n", end)
    draft = tmp_path / "draft.txt"
    draft.write_bytes(bom + text.encode(encoding))
    assert main(["fix", str(draft), "--apply"]) == 0
    data = (tmp_path / "draft.fixed.txt").read_bytes()
    assert data.startswith(bom)
    expected = text.replace("占98.94%", "占99.04%").replace("支出44.87万元", "支出43.87万元")
    fixed = data[len(bom):].decode(encoding)
    assert fixed.count(end) == text.count(end)
    assert "占99.04%" in fixed and "支出43.87万元" in fixed
    assert fixed.split(end)[21] == expected.split(end)[21]


def test_full_width_digits_and_spaced_thousands_are_written_as_printed(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    shutil.copy(PROVINCE, draft)
    assert main(["fix", str(draft), "--apply"]) == 0
    capsys.readouterr()
    lines = (tmp_path / "draft.fixed.txt").read_text(encoding="utf-8").split("\n")
    assert "“三公”经费支出５２１．７８万元" in lines[102]
    assert "交通运输支出（类）254 555.17万元" in lines[69]
    assert "财政拨款收入总计44.58亿元" in lines[63]


def test_apply_refuses_a_word_file(tmp_path, capsys):
    from tests.fixtures.styles.docx_from_text import build

    docx = tmp_path / "draft.docx"
    build(PROVINCE, docx)
    assert main(["fix", str(docx)]) == 0  # listing works for any input
    assert "would change" in capsys.readouterr().out
    assert main(["fix", str(docx), "--apply"]) == 2
    assert "--apply writes text disclosures only" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.fixed*"))


def test_an_unreadable_file_is_one_line_and_status_2(tmp_path, capsys):
    assert main(["fix", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("juesuan: error: ") and err.count("\n") == 1
