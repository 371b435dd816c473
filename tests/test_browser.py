"""The demo's HTML report in headless Chromium (Debian's ``chromium``, driven by Playwright).

Findings are visible, the severity and rule filters hide and show them, clicking a finding
highlights its place in the document, and no request leaves the page. The test saves the
screenshot the README shows, ``docs/report-screenshot.png``.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    report = tmp_path_factory.mktemp("html") / "report.html"
    with contextlib.chdir(ROOT):  # the page shows the demo's path as a user would type it
        assert main(["check", str(DEMO.relative_to(ROOT)), "--format", "html", "-o", str(report), "--explain",
                     "--show-not-evaluated"]) == 1
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        tab = context.new_page()
        problems: list[str] = []
        requests: list[str] = []
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(report.as_uri())
        tab.wait_for_selector("li.finding")
        tab.problems = problems
        tab.requests = requests
        yield tab
        browser.close()


def visible(page, selector: str) -> int:
    return page.locator(f"{selector}:visible").count()


def test_findings_are_visible(page):
    total = page.locator("li.finding").count()
    assert total > 10
    assert visible(page, "li.finding") == total
    assert visible(page, "mark.hl") > 0
    assert page.locator(".shown").inner_text() == f"显示 {total} / {total} 条"
    assert page.problems == []  # no script error, nothing blocked by the page's policy
    assert all(url.startswith("file:") for url in page.requests)


def test_severity_filter_hides_and_shows(page):
    errors = page.locator('li.finding[data-severity="error"]').count()
    total = page.locator("li.finding").count()
    box = page.locator('input.sev-filter[value="error"]')
    box.uncheck()
    assert visible(page, 'li.finding[data-severity="error"]') == 0
    assert visible(page, "li.finding") == total - errors
    assert not page.locator('section.group[data-severity="error"]').is_visible()
    # highlights that belong only to error findings are switched off
    assert page.locator("mark.hl.sev-error.off").count() > 0
    box.check()
    assert visible(page, "li.finding") == total
    assert page.locator("mark.hl.off").count() == 0


def test_rule_filter(page):
    rule = page.locator("li.finding").first.get_attribute("data-rule")
    expected = page.locator(f'li.finding[data-rule="{rule}"]').count()
    page.select_option("select.rule-select", rule)
    assert visible(page, "li.finding") == expected
    assert all(li.get_attribute("data-rule") == rule for li in page.locator("li.finding:visible").all())
    page.select_option("select.rule-select", "")
    assert visible(page, "li.finding") == page.locator("li.finding").count()


def test_clicking_a_finding_highlights_its_place(page):
    finding = page.locator('li.finding[data-rule="PCT-001"]').first
    number = finding.get_attribute("data-f")
    finding.locator(".message").click()
    current = page.locator(f'mark.hl.current[data-f~="{number}"]')
    assert current.count() >= 1
    assert "flash" in (current.first.get_attribute("class") or "")  # until its animation ends
    assert "98.94%" in current.all_inner_texts()
    page.wait_for_timeout(600)  # the smooth scroll settles
    box = current.first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900, "the highlighted figure is scrolled into view"
    assert "active" in (finding.get_attribute("class") or "")
    # a figure's place button flashes that figure only
    button = finding.locator("button.goto").nth(1)
    key = button.get_attribute("data-e")
    button.click()
    assert page.locator(f'mark.hl.current[data-e~="{key}"]').count() >= 1


def test_a_suggestion_shows_its_figure(page):
    item = page.locator("li.suggestion").first
    assert item.is_visible()
    number = item.get_attribute("data-s")
    assert page.locator(f'ins.fix-value[data-s="{number}"]').first.is_visible()
    item.locator("button.goto-fix").first.click()
    assert page.locator(f'mark.hl.current[data-s~="{number}"]').count() >= 1


def test_trace_and_not_evaluated_are_collapsible(page):
    trace = page.locator('li.finding[data-rule="PCT-001"] details.trace').first
    assert not trace.locator("pre").is_visible()
    trace.locator("summary").click()
    assert trace.locator("pre").is_visible()
    pending = page.locator("details.not-evaluated")
    if pending.count():
        assert not pending.locator("table").is_visible()


def test_screenshot(page):
    page.reload()
    page.set_viewport_size({"width": 1400, "height": 1100})
    page.locator('li.finding[data-rule="PCT-002"]').first.locator(".message").click()
    page.wait_for_timeout(2600)  # past the flash: the figures stay outlined
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
