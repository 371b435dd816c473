"""`juesuan serve` in headless Chromium: the demo's narrative and its tables uploaded, the report in the page.

A real server (werkzeug, on a free port of 127.0.0.1) runs in a thread; Playwright drives Debian's
``chromium`` as tests/test_browser.py does. The test saves the screenshots the README shows,
``docs/serve-upload.png`` and ``docs/serve-report.png``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from checker.config import Config
from checker.reports.model import RunInfo
from checker.run import Checker
from checker.web import create_app
from tests.test_browser import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo" / "disclosure.txt"
TABLES = ROOT / "examples" / "demo" / "tables.xlsx"
SHOTS = ROOT / "docs"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def server():
    from werkzeug.serving import make_server

    checker = Checker.from_config(Config())
    app = create_app(checker, RunInfo(rules=checker.rule_infos, explain=True, show_not_evaluated=True))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    thread.join(timeout=10)


def test_upload_the_demo_and_see_the_findings(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1).new_page()
        problems: list[str] = []
        requests: list[str] = []
        tab.on("pageerror", lambda error: problems.append(str(error)))
        tab.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(server)
        assert tab.locator("h1").inner_text() == "决算公开检查"
        tab.set_input_files("input[type=file]", [str(DEMO), str(TABLES)])
        assert tab.locator('input[name="bundle"]').is_checked()
        tab.screenshot(path=str(SHOTS / "serve-upload.png"))

        tab.locator("button[type=submit]").click()
        tab.wait_for_selector("li.finding")
        assert tab.locator(".doc-head h1").inner_text() == "disclosure.txt"
        assert tab.locator(".file-break").all_inner_texts() == ["disclosure.txt", "tables.xlsx"]
        total = tab.locator("li.finding").count()
        assert total > 20 and tab.locator("li.finding:visible").count() == total
        # the narrative's 基本支出 against the attached table: the table's cell lights up when clicked
        finding = tab.locator('li.finding[data-rule="TAB-112"]')
        assert "3,415.17" in finding.locator(".message").inner_text()
        assert "tables.xlsx 工作表 公开06表 单元格 C21" in finding.inner_text()
        finding.locator("button.goto", has_text="tables.xlsx 工作表 公开06表 单元格 C21").click()
        lit = tab.locator("table.doc-table mark.hl.current")
        assert lit.count() >= 1 and "3,018.73" in lit.all_inner_texts()
        planted = tab.locator('li.finding[data-rule="TAB-052"]')
        assert "tables.xlsx 工作表 公开06表 单元格 F5" in planted.inner_text()
        tab.wait_for_timeout(2600)  # past the flash: the table's figures stay outlined
        tab.screenshot(path=str(SHOTS / "serve-report.png"))
        assert problems == []
        assert all(url.startswith(server) for url in requests)  # nothing leaves this machine

        tab.locator("nav.back a").click()
        tab.wait_for_selector("input[type=file]")
        browser.close()
    assert (SHOTS / "serve-upload.png").stat().st_size > 10_000
