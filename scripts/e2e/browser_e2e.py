#!/usr/bin/env python3
"""End-to-end browser test of the harmonic serve pages (Debian's chromium and chromium-driver,
driven by Selenium from PyPI). Run by Tests/HarmonicServerTests/BrowserEndToEndTests.swift
against a server it started on a free loopback port; prints one line per step, exits 1 on failure.

  python3 scripts/e2e/browser_e2e.py --base http://localhost:PORT --user kari --password PW \
      --site NO --other-site FR --csv extract/patients.csv --bad-value X
"""
import argparse
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base", required=True)
    a.add_argument("--user", required=True)
    a.add_argument("--password", required=True)
    a.add_argument("--site", required=True)
    a.add_argument("--other-site", required=True)
    a.add_argument("--csv", required=True)
    a.add_argument("--bad-value", required=True)
    a.add_argument("--chromium", default="/usr/bin/chromium")
    a.add_argument("--driver", default="/usr/bin/chromedriver")
    args = a.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=args.driver), options=options)
    # Generous: CI machines run the other test suites (and their builds) at the same time.
    wait = WebDriverWait(driver, 240)
    driver.set_page_load_timeout(240)
    driver.set_script_timeout(240)
    step = "start"
    try:
        step = "1 sign in"
        driver.get(args.base + "/login")
        driver.find_element(By.ID, "user").send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.ID, "signin").click()
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "nav .who"), args.user))
        print("signed in as", args.user)

        step = "2 upload a synthetic site extract and follow the job to its validation report"
        driver.get(f"{args.base}/sites/{args.site}/upload")
        driver.find_element(By.ID, "file").send_keys(args.csv)
        driver.find_element(By.ID, "send").click()
        wait.until(ec.presence_of_element_located((By.ID, "summary")))
        summary = driver.find_element(By.ID, "summary").text
        assert "quarantined" in summary and not summary.startswith("0 rows"), summary
        print("uploaded:", summary)

        step = "3 see the quarantined rows"
        driver.find_element(By.ID, "quarantine-link").click()
        table = wait.until(ec.presence_of_element_located((By.ID, "quarantine")))
        assert args.bad_value in table.text, table.text
        print("quarantine shows the rejected value", repr(args.bad_value))

        step = "4 run the calculator"
        driver.get(args.base + "/calculator")
        driver.find_element(By.ID, "age").send_keys("3")
        driver.find_element(By.ID, "kap").send_keys("4.2")
        driver.find_element(By.ID, "estimate").click()
        doses = wait.until(ec.presence_of_element_located((By.ID, "doses")))
        rows = doses.find_elements(By.TAG_NAME, "tr")
        assert len(rows) > 5, doses.text
        print("calculator:", len(rows) - 1, "quantities")

        step = "5 be refused another site's data, by page and by API"
        driver.get(f"{args.base}/sites/{args.other_site}/quarantine")
        error = wait.until(ec.presence_of_element_located((By.ID, "error"))).text
        assert "may not" in error, error
        assert not driver.find_elements(By.ID, "quarantine"), "another site's quarantine table was shown"
        status = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"fetch('/api/sites/{args.other_site}/patients').then(r => done(r.status));")
        assert status == 403, status
        print("refused site", args.other_site, "by page and API (403)")
    except Exception as e:  # noqa: BLE001 - report any failure with the page it happened on
        print("FAILED at step", step, ":", type(e).__name__, e, "at", driver.current_url, file=sys.stderr)
        print(driver.page_source[:3000], file=sys.stderr)
        sys.exit(1)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
