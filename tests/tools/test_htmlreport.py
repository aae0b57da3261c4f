"""The HTML report, as a QA engineer meets it: opened in a real browser (headless Chromium, the
Debian package), its scripts run, then read from the DOM.

``SYNCSIM_SCREENSHOT=docs/report.png pytest tests/tools/test_htmlreport.py`` remakes the README's picture.
CI installs Chromium (``.ci/run``) and sets SYNCSIM_REQUIRE_BROWSER=1, so there the browser test
cannot quietly skip; elsewhere it is skipped when Chromium or its driver is missing.
"""

import os
import re
import shutil

import pytest
from paths import FEATURES

from syncsim.harness.rules import RULES
from syncsim.harness.tools.cli import main

BROKEN = "TASK-RECURRING"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def command(page):
    return ["run", str(FEATURES / "tasks.feature"), str(FEATURES / "timing.feature"), "--report", str(page)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of tasks.feature and timing.feature with one rule switched off in the engine."""
    page = tmp_path_factory.mktemp("report") / "report.html"
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        args = [
            "run",
            str(FEATURES / "tasks.feature"),
            str(FEATURES / "timing.feature"),
            "--report",
            str(page),
        ]
        assert main([*args, "--", "-p", "no:xdist", "--disable-rule", BROKEN]) == 1
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return page


def test_the_page_is_self_contained_and_names_the_run(report):
    text = report.read_text()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text), "nothing is fetched"
    assert "2026-01-01 00:00 UTC" in text and "reference" in text and "--disable-rule" in text
    assert text.count('class="rule"') == len({r for r in RULES if r.startswith(("TASK-", "TIMING-", "SSS-"))})


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and DRIVER):
        if os.environ.get("SYNCSIM_REQUIRE_BROWSER"):
            pytest.fail("SYNCSIM_REQUIRE_BROWSER is set but chromium or chromedriver is missing")
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def visible_rules(browser):
    return [
        a.get_attribute("id")
        for a in browser.find_elements("css selector", "article.rule")
        if a.is_displayed()
    ]


def test_in_chromium_the_failed_rule_shows_what_failed_and_the_filters_work(report, browser):
    from selenium.webdriver.support.ui import Select

    browser.get(report.as_uri())
    every = visible_rules(browser)
    assert (
        f"rule-{BROKEN}" in every
        and browser.find_element("id", "shown").text == f"showing {len(every)} of {len(every)}"
    )
    broken = browser.find_element("id", f"rule-{BROKEN}")
    assert broken.get_attribute("data-status") == "failed"
    failure = broken.find_element("css selector", "details.failure pre").text
    assert (
        re.search(r"tasks\.feature:\d+: Scenario:", failure)
        and "expected:" in failure
        and "found:" in failure
    )
    assert every[0] == f"rule-{BROKEN}", "a failure opens the page"
    failing = broken.find_elements("css selector", "ol.steps li.failing")
    assert len(failing) == 1 and failing[0].text.startswith("Then"), "the step that failed is marked"
    assert "#status=failed" in browser.find_element("id", "link-help").text
    passed = browser.find_element("id", "rule-TASK-ASSIGNED-ON")
    assert passed.get_attribute("data-status") == "passed"
    assert not passed.find_elements("css selector", "details.failure")

    Select(browser.find_element("id", "f-status")).select_by_value("failed")
    assert visible_rules(browser) == [f"rule-{BROKEN}"]
    assert browser.find_element("id", "shown").text == f"showing 1 of {len(every)}"
    if os.environ.get("SYNCSIM_SCREENSHOT"):  # docs/report.png is made this way
        browser.save_screenshot(os.environ["SYNCSIM_SCREENSHOT"])
    Select(browser.find_element("id", "f-status")).select_by_value("")
    Select(browser.find_element("id", "f-channel")).select_by_value("server-side")
    server_side = visible_rules(browser)
    assert "rule-TIMING-SERVER-SIDE" in server_side and "rule-TIMING-OUTLOOK-INTERVAL" not in server_side


def test_in_chromium_a_filter_in_the_address_applies_on_load_and_when_it_changes(report, browser):
    browser.get("about:blank")
    browser.get(report.as_uri() + "#area=timing")
    shown = visible_rules(browser)
    assert shown and all(RULES[i.removeprefix("rule-")].area == "timing" for i in shown)
    assert browser.find_element("id", "f-area").get_attribute("value") == "timing"
    browser.get(report.as_uri() + "#status=failed")  # the same page: only the address changes
    assert visible_rules(browser) == [f"rule-{BROKEN}"]
    assert browser.find_element("id", "f-area").get_attribute("value") == ""


def test_an_outline_run_is_titled_with_its_examples_values(report):
    text = report.read_text()
    assert "(option true)" in text and "(option false)" in text  # TASK-OUTLOOK-ONLY's Outline
    assert "· For a server-side user the option changes nothing (option &lt;option&gt;)" not in text


def test_the_same_run_gives_the_same_bytes_also_under_xdist(report, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = report.read_bytes()
    again = tmp_path / "report.html"
    assert main([*command(again), "--", "-n", "2", "--disable-rule", BROKEN]) == 1
    assert again.read_bytes().replace(bytes(again), bytes(report)).replace(b"-n 2", b"-p no:xdist") == first
