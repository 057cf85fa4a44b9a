"""The assessor's day in headless Chromium against a real `demozone serve`: log in, upload the
example, open indicator 3, follow a clause to its highlighted source passage, record a judgment
that changes the score, download the PDF report. Every page visited is kept as a screenshot and
checked not to be blank."""

from __future__ import annotations

import re
from pathlib import Path

from demozone import api

from .browser_helpers import downloaded, screenshot

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022"
PASSWORD = "correct horse"


def _in_view(driver, element_id: str) -> bool:
    return driver.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;",
        element_id,
    )


def _arrive(driver, part: str, *, leaving: str = "") -> None:
    """Wait until the browser is on a page whose URL holds `part` (and is not `leaving`): a
    form's answer comes after scoring."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 180).until(
        lambda d: (
            part in d.current_url
            and d.current_url != leaving
            and d.execute_script("return document.readyState") == "complete"
        )
    )


def _total(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "total").text


def _split_clause(driver) -> tuple[str, str]:
    """A clause the panel is split on one for one, and the evidence its 'satisfied' vote cites."""
    from selenium.webdriver.common.by import By

    for row in driver.find_elements(By.CSS_SELECTOR, "table.opinions tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if "票数相同" in cells[2].text:
            cited = re.search(r"(?<!不)满足（([^）]+)）", cells[1].text)
            if cited:
                return cells[0].text.strip(), cited.group(1).replace("、", ",")
    raise AssertionError("the example has no clause the panel is split on")


def test_an_assessor_uploads_explains_follows_the_source_judges_and_downloads(
    chrome, live_server, tmp_path, monkeypatch
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    monkeypatch.setenv("DEMOZONE_EVIDENCE", str(EXAMPLE))  # the server inherits it
    store, db = tmp_path / "store", f"sqlite:///{tmp_path / 'accounts.sqlite'}"
    api.add_user("王芳", "assessor", PASSWORD, db=db)
    base = live_server(store, db)

    chrome.get(base + "/login")
    screenshot(chrome, "assessor/01 login")
    chrome.find_element(By.NAME, "username").send_keys("王芳")
    chrome.find_element(By.NAME, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _arrive(chrome, base, leaving=base + "/login")
    chrome.get(base + "/assessor/")
    assert "评估工作室" in chrome.page_source
    screenshot(chrome, "assessor/02 my submissions")

    chrome.find_element(By.ID, "file").send_keys(str(EXAMPLE / "submission.yaml"))
    chrome.find_element(By.ID, "upload").click()
    _arrive(chrome, "/assessor/assessments/")
    assessment_page = chrome.current_url
    before = _total(chrome)
    assert "评分表" in chrome.page_source and "一级指标" in chrome.page_source
    screenshot(chrome, "assessor/03 score sheet")

    chrome.find_element(By.ID, "indicator-3").click()
    _arrive(chrome, "/indicators/3")
    screenshot(chrome, "assessor/04 indicator 3")

    chrome.find_element(By.CSS_SELECTOR, "a.source-link[id^=source-3]").click()
    _arrive(chrome, "/assessor/source/")
    WebDriverWait(chrome, 30).until(lambda d: _in_view(d, "passage"))
    mark = chrome.find_element(By.ID, "passage")
    assert mark.tag_name == "mark" and mark.text
    assert _in_view(chrome, "passage"), chrome.execute_script(
        "const r = document.getElementById('passage').getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight, window.scrollY, location.href];"
    )
    screenshot(chrome, "assessor/05 source passage")

    chrome.get(assessment_page)
    clause, evidence = _split_clause(chrome)
    chrome.find_element(By.ID, f"yes-{clause}").click()
    chrome.find_element(By.ID, f"evidence-{clause}").send_keys(evidence)
    chrome.find_element(By.ID, "judge").click()
    _arrive(chrome, "/assessor/assessments/", leaving=assessment_page)
    after = _total(chrome)
    assert after != before
    assert "王芳：满足" in chrome.page_source
    screenshot(chrome, "assessor/06 after my judgment")

    chrome.find_element(By.ID, "report-pdf").click()
    report = downloaded(chrome, "qinglan-2024-report.pdf", seconds=120)
    assert report.read_bytes().startswith(b"%PDF")
