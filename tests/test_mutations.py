"""Seeded errors: change one figure, flip one direction word, drop one explanation or glossary term, break
one table row — in copies of the shared example and of the project's other-style documents — and
check that each change is reported by the rule family it breaks, at the changed place.

Each mutation is (document, line, old text, new text, rule id, line the finding must point at). The
replacement happens on that line only and must match exactly once, so the mutation cannot drift.
A mutation counts as caught when a finding of that rule names a figure on the expected line and
the unmutated document has no such finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import Config
from checker.run import Checker
from tests.conftest import DOCS, SEED

COUNTY = DOCS / "county_education_2023.txt"
HOSPITAL = DOCS / "hospital_2024.txt"
ENCODINGS = {COUNTY: "gb18030", HOSPITAL: "utf-8-sig", SEED: "utf-8"}

MUTATIONS: list[tuple[Path, int, str, str, str, int]] = [
    # ---- the shared example (a prefecture commerce bureau)
    (SEED, 17, "在职人员27人", "在职人员28人", "TOT-019", 17),
    (SEED, 23, "本年收入合计17,091.19万元", "本年收入合计17,091.29万元", "TOT-001", 23),
    (SEED, 24, "支出总计17,091.19万元", "支出总计17,191.19万元", "TOT-003", 24),
    (SEED, 27, "其他收入353.43万元", "其他收入363.43万元", "TOT-004", 27),
    (SEED, 27, "占97.93%", "占97.83%", "PCT-002", 27),
    (SEED, 29, "项目支出16,537.71万元", "项目支出16,537.11万元", "TOT-005", 29),
    (SEED, 29, "占96.76%", "占96.66%", "PCT-001", 29),
    (SEED, 31, "本年财政拨款收入16,737.76万元", "本年财政拨款收入16,737.06万元", "TOT-006", 31),
    (SEED, 32, "增长377.05%", "增长377.95%", "RATE-001", 32),
    (SEED, 32, "预决算差异率2951.33%", "预决算差异率2951.93%", "RATE-003", 32),
    (SEED, 35, "增加3,856.59万元", "减少3,856.59万元", "RATE-002", 35),
    (SEED, 37, "占70.15%", "占70.25%", "PCT-005", 37),
    (SEED, 37, "5,166.70万元", "5,176.70万元", "TOT-010", 37),
    (SEED, 45, "下降5.60%", "下降6.60%", "RATE-001", 45),
    (SEED, 46, "增长100.00%", "增长10.00%", "RATE-001", 46),
    (SEED, 62, "人员经费516.40万元", "人员经费526.40万元", "TOT-014", 62),
    (SEED, 72, "因公出国（境）费支出23.68万元", "因公出国（境）费支出23.78万元", "TOT-015", 72),
    (SEED, 72, "占36.64%", "占36.67%", "PCT-001", 72),
    (SEED, 72, "增长179.91%", "增长189.91%", "RATE-001", 72),
    (SEED, 74, "因公出国（境）费支出23.68万元", "因公出国（境）费支出23.58万元", "SAME-001", 74),
    (SEED, 75, "公务用车运行维护费14.49万元。", "公务用车运行维护费14.59万元。", "TOT-016", 75),
    (SEED, 75, "公务用车购置数0辆", "公务用车购置数1辆", "EXP-003", 75),
    (SEED, 75, "与公务用车保有量差异原因是：差异车辆为援疆工作人员公务用车，车辆使用费用由本单位支付。", "",
     "EXP-001", 75),
    (SEED, 77, "预决算差异率0.00%，主要原因是：严格按照预算执行，预决算无差异。其中", "预决算差异率0.10%，"
     "主要原因是：严格按照预算执行，预决算无差异。其中", "RATE-003", 77),
    (SEED, 82, "政府采购服务支出72.77万元", "政府采购服务支出72.87万元", "TOT-017", 82),
    (SEED, 83, "占政府采购支出总额的100.00%，其中", "占政府采购支出总额的99.00%，其中", "PCT-001", 83),
    (SEED, 85, "其他用车1辆", "其他用车2辆", "TOT-018", 85),
    (SEED, 87, "预算绩效评价项目12个", "预算绩效评价项目13个", "PERF-019", 87),
    (SEED, 87, "全年预算数6,556.94万元", "全年预算数6,566.94万元", "PERF-020", 87),
    (SEED, 3, "主要职责是", "主要职责职责是", "TXT-001", 3),
    (SEED, 78, "十、其他重要事项的情况说明", "十一、其他重要事项的情况说明", "DOC-002", 78),
    (SEED, 2982, "十四、机关运行经费：", "十四、机关运行费用：", "GLO-001", 2968),
    # self-assessment tables (one cell per line)
    (SEED, 139, "100%", "90%", "PERF-001", 139),
    (SEED, 265, "15", "16", "PERF-006", 265),
    (SEED, 284, "5", "6", "PERF-009", 284),
    (SEED, 283, "100%", "90%", "PERF-011", 283),
    (SEED, 282, "=10000公里", "=10000次", "PERF-013", 282),
    (SEED, 563, "=18.79万元", "=19.79万元", "PERF-011", 563),
    (SEED, 450, "组织参加培训69人", "组织参加培训60人", "PERF-017", 450),
    # ---- a county education bureau (GB18030, CRLF)
    (COUNTY, 21, "退休人员1,248人", "退休人员1,258人", "TOT-019", 21),
    (COUNTY, 29, "占95.66%", "占95.76%", "PCT-001", 29),
    (COUNTY, 70, "本年支出1,985.00万元", "本年支出1,995.00万元", "TOT-013", 70),
    (COUNTY, 78, "增长74.81%", "增长84.81%", "RATE-001", 78),
    (COUNTY, 81, "公务用车购置费25.80万元", "公务用车购置费0.00万元", "TOT-016", 81),
    (COUNTY, 84, "预算数53.50万元", "预算数63.50万元", "RATE-003", 84),
    # ---- a county hospital (UTF-8 with BOM, other numbering and wording)
    (HOSPITAL, 15, "使用非财政拨款结余850.00万元", "使用非财政拨款结余860.00万元", "TOT-001", 15),
    (HOSPITAL, 19, "占本年收入的8.53%", "占本年收入的8.63%", "PCT-001", 19),
    (HOSPITAL, 39, "增长22.58%", "增长25.58%", "RATE-001", 39),
    (HOSPITAL, 55, "公务接待费1.86万元", "公务接待费费1.86万元", "TXT-001", 55),
    (HOSPITAL, 51, "的81.28%", "的85.28%", "RATE-004", 51),
    (HOSPITAL, 57, "预决算差异率-6.79%", "预决算差异率-7.79%", "RATE-003", 57),
    (HOSPITAL, 68, "政府采购服务支出912.67万元", "政府采购服务支出902.67万元", "TOT-017", 68),
    (HOSPITAL, 220, "93.75%", "95.75%", "PERF-011", 220),
    (HOSPITAL, 221, "9.38", "9.88", "PERF-014", 221),
]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.from_config(Config())


def _findings(checker: Checker, path: Path) -> set[tuple[str, int]]:
    result = checker.check_path(path)
    assert result.error is None, result.error
    return {(f.rule_id, e.location.line) for f in result.findings for e in f.locations}


def _mutate(path: Path, line: int, old: str, new: str, target: Path) -> None:
    encoding = ENCODINGS[path]
    raw = path.read_bytes().decode(encoding)
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.split(newline)
    assert lines[line - 1].count(old) == 1, f"{old!r} must occur once on line {line}: {lines[line - 1][:80]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new)
    target.write_bytes(newline.join(lines).encode(encoding))


def test_enough_variants_across_families():
    families = {rule.split("-")[0] for *_, rule, _ in MUTATIONS}
    assert len(MUTATIONS) >= 40
    assert {"TOT", "PCT", "RATE", "EXP", "GLO", "PERF", "SAME", "DOC", "TXT"} <= families


@pytest.mark.parametrize(("path", "line", "old", "new", "rule", "at"), MUTATIONS,
                         ids=[f"{p.stem[:8]}:{ln}:{r}" for p, ln, _, _, r, _ in MUTATIONS])
def test_seeded_error_is_caught_at_its_place(checker, tmp_path, path, line, old, new, rule, at):
    if not path.exists():
        pytest.skip(f"{path} is not present")
    baseline = _findings(checker, path)
    assert (rule, at) not in baseline, "the unmutated document must not already have this finding"
    mutated = tmp_path / path.name
    _mutate(path, line, old, new, mutated)
    assert (rule, at) in _findings(checker, mutated)
