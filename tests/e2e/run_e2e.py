#!/usr/bin/env python3
"""End-to-end test of the real built app, driven through WebDriver.

tauri-driver (port 4444) starts WebKitWebDriver (port 4445), which launches the app binary with
this process's environment, so GDD_DB points the app at a fresh database. Run it through
scripts/e2e.sh, which builds the app, provides Xvfb and checks the tools.

Usage: run_e2e.py APP_BINARY ARTIFACTS_DIR
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

DRIVER_PORT = 4444
NATIVE_PORT = 4445
DEADLINE = int(os.environ.get("E2E_DEADLINE", "300"))  # whole scenario, seconds
WAIT = 30  # seconds; a debug build under Xvfb on a loaded 2-core machine can be slow
QUERY = "dang thi thuy"
DEMO_PASSWORD = "demo1234"
# store::demo::DEMO_KEY_PASSPHRASE: the demo workstation key's public passphrase.
DEMO_KEY_PASSPHRASE = "Phường Ba Đình chạy thử 2025"
EXPECTED = ["Đặng Thị Thủy", "Đặng Thị Thuỷ"]


class Failure(Exception):
    pass


class Deadline(BaseException):
    """Raised by SIGALRM. A BaseException, so no library's `except Exception` can swallow it."""


def on_alarm(_signum, _frame):
    raise Deadline(f"no progress within the deadline (E2E_DEADLINE={DEADLINE}s)")


def log(msg: str) -> None:
    print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def tid(name: str) -> tuple[str, str]:
    return (By.CSS_SELECTOR, f'[data-testid="{name}"]')


def wait_for(driver: WebDriver, name: str, what: str):
    try:
        return WebDriverWait(driver, WAIT).until(EC.visibility_of_element_located(tid(name)))
    except TimeoutException:
        raise Failure(f"timed out after {WAIT}s waiting for {what} ([data-testid={name}])") from None


def settle(driver: WebDriver) -> None:
    """Wait two animation frames: WebKit's screenshot shows the last painted frame, which can
    lag the DOM that the checks just read."""
    driver.set_script_timeout(5)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )


def shot(driver: WebDriver, artifacts: Path, name: str) -> None:
    settle(driver)
    path = artifacts / name
    if not driver.save_screenshot(str(path)):
        raise Failure(f"screenshot {path} failed")
    log(f"screenshot {path}")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def scenario(driver: WebDriver, artifacts: Path, db_path: Path) -> None:
    # 1. First run: the store was created at GDD_DB and is empty, so the demo offer shows.
    wait_for(driver, "first-run", "the first-run screen")
    if not db_path.exists():
        raise Failure(f"the app did not create its database at GDD_DB={db_path}")
    shot(driver, artifacts, "01-first-run.png")

    # 2. Create the demo ward → login screen, which lists the demo module's accounts.
    driver.find_element(*tid("create-demo")).click()
    wait_for(driver, "login", "the login screen after creating the demo ward")
    if driver.switch_to.active_element != driver.find_element(*tid("login-username")):
        raise Failure("the username field does not have the focus on the login screen")
    accounts = [
        (
            r.get_attribute("data-username"),
            r.find_elements(By.TAG_NAME, "td")[1].text.strip(),
            (r.get_attribute("data-roles") or "").split(),
        )
        for r in driver.find_elements(*tid("demo-account"))
    ]
    log(f"demo accounts: {[(a[0], a[2]) for a in accounts]}")
    # The ward official is the one who works with permits day to day.
    official = [a for a in accounts if "ward_official" in a[2]]
    if not official:
        raise Failure(f"no ward official among the demo accounts {accounts}")
    username, password, _ = official[0]

    # The language switch re-renders the screen in English and back.
    driver.find_element(*tid("lang-en")).click()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="login"] h1').text == "Sign in"
    )
    driver.find_element(*tid("lang-vi")).click()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="login"] h1').text == "Đăng nhập"
    )
    driver.find_element(*tid("login-username")).click()

    # 3. A wrong password is refused with a visible message (and the field is cleared).
    user_field = driver.find_element(*tid("login-username"))
    user_field.send_keys(username)
    driver.find_element(*tid("login-password")).send_keys("not-the-password" + Keys.ENTER)
    err = wait_for(driver, "error", "the error for a wrong password")
    log(f"wrong password refused: {err.text!r} (code {err.get_attribute('data-code')})")
    if err.get_attribute("data-code") != "auth.bad_credentials":
        raise Failure(f"wrong password gave {err.get_attribute('data-code')!r}, not auth.bad_credentials")
    if driver.find_element(*tid("login-password")).get_attribute("value"):
        raise Failure("the password field was not cleared after a refused login")
    shot(driver, artifacts, "02-login.png")

    # 4. The right password, submitted with Enter.
    driver.find_element(*tid("login-password")).send_keys(password + Keys.ENTER)
    wait_for(driver, "dashboard", "the dashboard after login")
    total_el = wait_for(driver, "dashboard-total", "the dashboard counts")
    total = int(total_el.get_attribute("data-total") or "0")
    counts = {
        el.get_attribute("data-testid").removeprefix("count-"): int(el.get_attribute("data-count") or "0")
        for el in driver.find_elements(By.CSS_SELECTOR, '[data-testid^="count-"]')
    }
    log(f"dashboard: total={total} counts={counts}")
    if total <= 0 or sum(counts.values()) <= 0:
        raise Failure(f"dashboard shows no permits: total={total} counts={counts}")
    nonzero = [s for s, n in counts.items() if n > 0]
    if len(nonzero) < 2:
        raise Failure(f"demo ward should have permits in several states, got {counts}")
    shot(driver, artifacts, "03-dashboard.png")

    # 5. "/" jumps to the search box from anywhere; the query has no diacritics.
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    box = wait_for(driver, "search-input", "the search box after pressing /")
    if driver.switch_to.active_element != box:
        raise Failure('"/" did not put the focus in the search box')
    box.send_keys(QUERY + Keys.ENTER)
    try:
        WebDriverWait(driver, WAIT).until(
            lambda d: d.find_elements(*tid("search-results")) or d.find_elements(*tid("search-empty"))
        )
    except TimeoutException:
        raise Failure(f"no search answer after {WAIT}s") from None
    names = [nfc(e.text.strip()) for e in driver.find_elements(*tid("result-name"))]
    log(f"search {QUERY!r}: {names}")
    missing = [n for n in EXPECTED if nfc(n) not in names]
    shot(driver, artifacts, "04-search.png")
    if missing:
        raise Failure(f"search {QUERY!r} did not find {missing}; found {names}")

    # 6. An ID number finds exactly its holder.
    first = driver.find_elements(*tid("result-row"))[0]
    id_number = first.find_elements(By.TAG_NAME, "td")[1].text.split()[-1]
    holder = nfc(first.find_element(*tid("result-name")).text.strip())
    org_ref = first.find_element(*tid("result-org-ref")).text.strip()
    search(driver, id_number)
    rows = [nfc(e.text.strip()) for e in driver.find_elements(*tid("result-name"))]
    kind = driver.find_element(*tid("search-answer")).get_attribute("data-kind")
    log(f"search {id_number!r} ({kind}): {rows}")
    if kind != "id_number" or rows != [holder]:
        raise Failure(f"ID lookup {id_number!r} gave {kind} {rows}, expected only {holder!r}")

    # 7. An organization's reference lists its people; the demo food company has 40, more than
    #    one page: the next page shows other people.
    search(driver, org_ref)
    kind = driver.find_element(*tid("search-answer")).get_attribute("data-kind")
    page1 = result_keys(driver)
    log(f"search {org_ref!r} ({kind}): {len(page1)} rows on page 1")
    if kind != "organization" or not driver.find_elements(*tid("page-next")):
        raise Failure(f"{org_ref!r} should be an organization search over more than one page")
    driver.find_element(*tid("page-next")).click()
    try:
        WebDriverWait(driver, WAIT).until(lambda d: answer_is(d, org_ref, 2))
    except TimeoutException:
        raise Failure(f"page 2 of {org_ref!r} did not show after {WAIT}s") from None
    page2 = result_keys(driver)
    log(f"{org_ref!r}: page 2 has {len(page2)} rows")
    if not page2 or set(page1) & set(page2):
        raise Failure("page 2 repeats page 1 or is empty")
    shot(driver, artifacts, "05-search-page2.png")

    # 8. Logging out returns to the login screen.
    logout(driver)

    token, holder, other = stamping(driver, artifacts)
    printing(driver, artifacts, db_path)
    verification(driver, artifacts, token, holder)
    revocation(driver, artifacts, db_path, token, other)
    activation(driver, artifacts)
    checkpoint(driver, artifacts, token)


def login(driver: WebDriver, username: str) -> None:
    user_field = wait_for(driver, "login-username", "the login form")
    user_field.clear()
    user_field.send_keys(username)
    driver.find_element(*tid("login-password")).send_keys(DEMO_PASSWORD + Keys.ENTER)
    wait_for(driver, "dashboard", f"the dashboard after logging in as {username}")


def logout(driver: WebDriver) -> None:
    driver.find_element(*tid("logout")).click()
    wait_for(driver, "login", "the login screen after logging out")


def type_text(el, text: str) -> None:
    """Type into a field; Vietnamese passphrases must arrive exactly (checked, in NFC)."""
    el.send_keys(text)
    if nfc(el.get_attribute("value") or "") != nfc(text):
        raise Failure(f"typing {text!r} gave {el.get_attribute('value')!r}")


def stamped_count(driver: WebDriver) -> int:
    el = wait_for(driver, "count-stamped", "the stamped count on the dashboard")
    return int(el.get_attribute("data-count") or "0")


def wait_until(driver: WebDriver, what: str, cond):
    try:
        return WebDriverWait(driver, WAIT).until(cond)
    except TimeoutException:
        raise Failure(f"timed out after {WAIT}s waiting for {what}") from None


def stamping(driver: WebDriver, artifacts: Path) -> tuple[str, str, tuple[str, str]]:
    """Ward police stamp two approved permits: a wrong passphrase first, then the right one."""
    # 9. The ward police officer sees the stamping screen; the dashboard's stamped count first.
    login(driver, "congan")
    before = stamped_count(driver)
    driver.find_element(*tid("nav-stamp")).click()
    wait_for(driver, "stamp-table", "the stamping queue")
    total = int(driver.find_element(*tid("stamp-total")).get_attribute("data-total") or "0")
    rows = driver.find_elements(*tid("stamp-row"))
    log(f"stamping queue: {total} approved, {len(rows)} on page 1; dashboard stamped={before}")
    if total < 2 or len(rows) < 2:
        raise Failure(f"the demo ward should have at least 2 approved permits, queue shows {total}")
    names = [nfc(r.find_element(*tid("stamp-name")).text.strip()) for r in rows[:2]]
    for r in rows[:2]:
        r.find_element(*tid("stamp-check")).click()
    submit = driver.find_element(*tid("stamp-submit"))
    if "2" not in submit.text:
        raise Failure(f"the stamp button does not count the selection: {submit.text!r}")
    shot(driver, artifacts, "06-stamp-queue.png")

    # 10. A wrong passphrase: a clear message, nothing stamped, the passphrase field cleared.
    field = driver.find_element(*tid("stamp-passphrase"))
    field.send_keys("sai mật khẩu" + Keys.ENTER)
    err = wait_for(driver, "error", "the error for a wrong key passphrase")
    log(f"wrong key passphrase: {err.text!r} (code {err.get_attribute('data-code')})")
    if err.get_attribute("data-code") != "key.bad_passphrase" or "Sai mật khẩu khóa ký" not in nfc(err.text):
        raise Failure(f"wrong key passphrase gave {err.get_attribute('data-code')!r}: {err.text!r}")
    if driver.find_elements(*tid("stamp-result")):
        raise Failure("a stamping result is shown after a wrong passphrase")
    after_bad = int(driver.find_element(*tid("stamp-total")).get_attribute("data-total") or "0")
    if after_bad != total or field.get_attribute("value"):
        raise Failure(f"after a wrong passphrase: queue {after_bad} (was {total}), field {field.get_attribute('value')!r}")
    shot(driver, artifacts, "07-stamp-wrong-passphrase.png")

    # 11. The demo passphrase, with Enter: two serials, and the queue is two shorter.
    type_text(field, DEMO_KEY_PASSPHRASE)
    field.send_keys(Keys.ENTER)
    result = wait_for(driver, "stamp-result", "the stamped permits")
    stamped = driver.find_elements(*tid("stamped-row"))
    serials = [r.get_attribute("data-serial") for r in stamped]
    log(f"stamped: {serials}")
    if result.get_attribute("data-count") != "2" or len(serials) != 2 or not all(serials):
        raise Failure(f"expected 2 stamped permits with serials, got {serials}")
    wait_until(
        driver,
        "the queue to shrink by 2",
        lambda d: d.find_element(*tid("stamp-total")).get_attribute("data-total") == str(total - 2),
    )
    token = stamped[0].get_attribute("data-token") or ""
    other = (stamped[1].get_attribute("data-permit-id") or "", stamped[1].get_attribute("data-token") or "")
    holder = nfc(stamped[0].find_elements(By.TAG_NAME, "td")[0].text.strip())
    if not token.startswith("GD1:") or holder not in names:
        raise Failure(f"stamped row: token {token[:12]!r}…, holder {holder!r} not in {names}")
    shot(driver, artifacts, "08-stamped.png")

    # 12. "Xem mã QR" shows the permit's QR (rendered by the core) and the same token.
    stamped[0].find_element(*tid("qr-toggle")).click()
    qr = wait_for(driver, "qr-view", "the QR view of a stamped permit")
    if qr.get_attribute("data-token") != token or not qr.find_elements(By.CSS_SELECTOR, "svg"):
        raise Failure("the QR view does not show the stamped token as an SVG")
    shot(driver, artifacts, "09-stamped-qr.png")
    # A "photo" of the QR as the screen shows it, for the verify screen's image input.
    svg = qr.find_element(By.CSS_SELECTOR, ".qr-svg")
    # WebKit paints only what is in the viewport: bring the whole QR into it first.
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
    settle(driver)
    (artifacts / "qr-photo.png").write_bytes(svg.screenshot_as_png)

    # 13. The dashboard's stamped count went up by 2.
    driver.find_element(*tid("nav-dashboard")).click()
    wait_until(driver, "the stamped count to rise by 2", lambda d: stamped_count(d) == before + 2)
    log(f"dashboard stamped: {before} → {before + 2}")
    return token, holder, other


CUPS_QUEUE = "GDD-PDF"  # scripts/cups-test-setup.sh
CUPS_OUT = Path("/var/spool/cups-pdf-gdd")
PRINT_WAIT = 120  # seconds: render + CUPS + cups-pdf's Ghostscript on a loaded machine


def state_count(driver: WebDriver, state: str) -> int:
    el = wait_for(driver, f"count-{state}", f"the {state} count on the dashboard")
    return int(el.get_attribute("data-count") or "0")


@contextmanager
def cups_queue_lock():
    """The cross-process lock the Rust CUPS tests take (crates/printing testutil): no other test
    may disable or use GDD-PDF while this scenario disables it."""
    import fcntl
    import tempfile

    path = os.environ.get("GDD_CUPS_TEST_LOCK") or os.path.join(tempfile.gettempdir(), "gdd-cups-test.lock")
    with open(path, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def cups(*cmd: str) -> None:
    r = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise Failure(f"{' '.join(cmd)} failed: {(r.stdout + r.stderr).strip()}")


def select_rows(driver: WebDriver, n: int) -> list[str]:
    """Tick the first n rows of the print list; returns their permit ids."""
    rows = driver.find_elements(*tid("print-row"))[:n]
    for r in rows:
        box = r.find_element(*tid("print-check"))
        # The sticky print bar covers the bottom of the window: bring the row above it.
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    return [r.get_attribute("data-permit-id") or "" for r in rows]


def print_result(driver: WebDriver, what: str, old=None):
    """The success box of a print job, or the error (which fails the step)."""
    if old is not None:
        wait_until(driver, "the previous result to go", EC.staleness_of(old))
    try:
        WebDriverWait(driver, PRINT_WAIT).until(
            lambda d: d.find_elements(*tid("print-result")) or d.find_elements(*tid("print-error"))
        )
    except TimeoutException:
        raise Failure(f"no answer from {what} after {PRINT_WAIT}s") from None
    errors = driver.find_elements(*tid("print-error"))
    if errors:
        raise Failure(f"{what} failed: {errors[0].text!r}")
    return driver.find_element(*tid("print-result"))


def job_row(driver: WebDriver, job_id: str):
    rows = [r for r in driver.find_elements(*tid("print-job")) if r.get_attribute("data-job-id") == job_id]
    return rows[0] if rows else None


def cups_output(after: float, result) -> Path:
    """The cups-pdf file of our job: written after the click, named after the CUPS job id that
    the app recorded (`GDD-PDF-42` → `…-job_42.pdf`), and the newest such file."""
    system_job = result.get_attribute("data-system-job") or ""
    cups_id = system_job.rsplit("-", 1)[-1]
    if not cups_id.isdigit():
        raise Failure(f"the job did not record its CUPS job id: {system_job!r}")
    deadline = time.monotonic() + 30
    while True:
        files = sorted(
            (p for p in CUPS_OUT.glob("*.pdf") if p.stat().st_mtime >= after - 1),
            key=lambda p: p.stat().st_mtime,
        )
        if files and files[-1].name.endswith(f"-job_{cups_id}.pdf"):
            return files[-1]
        if time.monotonic() > deadline:
            raise Failure(f"no cups-pdf output for CUPS job {system_job} in {CUPS_OUT}: {[p.name for p in files]}")
        time.sleep(0.3)


def qr_tokens(pdf: Path, work: Path) -> list[str]:
    """Every QR on every page, as the checkpoint's camera would read the paper."""
    prefix = work / pdf.stem
    r = subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(prefix)], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Failure(f"pdftoppm {pdf} failed: {r.stderr.strip()}")
    tokens: list[str] = []
    for png in sorted(work.glob(f"{pdf.stem}*.png")):
        z = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, timeout=60)
        tokens += [line.strip() for line in z.stdout.splitlines() if line.strip()]
    return tokens


def verify_cli(token: str) -> str:
    cli = os.environ["GDD_CLI"]
    r = subprocess.run([cli, "verify", "--json", token], capture_output=True, text=True, timeout=60)
    out = r.stdout.strip()
    m = re.search(r'"verdict"\s*:\s*"([a-z_]+)"', out)
    if not m:
        raise Failure(f"gdd verify gave no verdict: exit {r.returncode}: {(out + r.stderr).strip()[:300]}")
    return m.group(1)


def pdf_pages(pdf: Path) -> int:
    r = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30)
    m = re.search(r"^Pages:\s+(\d+)", r.stdout, re.M)
    if r.returncode != 0 or not m:
        raise Failure(f"pdfinfo {pdf}: {(r.stdout + r.stderr).strip()}")
    return int(m.group(1))


def printing(driver: WebDriver, artifacts: Path, db_path: Path) -> None:
    """Ward police print 4 stamped permits on the real CUPS queue GDD-PDF (cups-pdf), A4 4-up:
    the paper's QRs verify as DEMO; a job on a disabled queue fails naming the job and prints
    after a retry; a saved PDF has the expected pages. Nothing is printed twice."""
    # 13b. The counts before, then the print screen with its originals.
    stamped_before, printed_before = state_count(driver, "stamped"), state_count(driver, "printed")
    driver.find_element(*tid("nav-print")).click()
    wait_for(driver, "print-table", "the print list")
    total = int(driver.find_element(*tid("print-total")).get_attribute("data-total") or "0")
    if total < 6 or total != stamped_before:
        raise Failure(f"the print list shows {total} originals, the dashboard {stamped_before} stamped (need ≥ 6)")
    printer = Select(driver.find_element(*tid("print-printer")))
    names = [o.get_attribute("value") for o in printer.options]
    if CUPS_QUEUE not in names:
        raise Failure(f"{CUPS_QUEUE} is not among the printers {names}: run scripts/cups-test-setup.sh")
    printer.select_by_value(CUPS_QUEUE)
    label = printer.first_selected_option.text
    Select(driver.find_element(*tid("print-layout"))).select_by_value("a4-4")
    ids = select_rows(driver, 4)
    submit = driver.find_element(*tid("print-submit"))
    log(f"print: {total} originals; printer option {label!r}; selected {ids}; button {submit.text!r}")
    if "sẵn sàng" not in label or "4" not in submit.text:
        raise Failure(f"printer option {label!r} / button {submit.text!r}")
    shot(driver, artifacts, "08a-print-screen.png")

    # 13c. "In": the job prints on CUPS; the message names the job; the list loses 4.
    clicked = time.time()
    submit.click()
    result = print_result(driver, "the print job")
    job_id = result.get_attribute("data-job-id") or ""
    text = nfc(result.text)
    log(f"printed: {text!r}")
    if result.get_attribute("data-count") != "4" or f"Đã in 4 giấy (lệnh in #{job_id})" not in text:
        raise Failure(f"print result {text!r} (count {result.get_attribute('data-count')})")
    wait_until(driver, "the list to lose 4", lambda d: d.find_element(*tid("print-total")).get_attribute("data-total") == str(total - 4))
    wait_until(driver, f"job #{job_id} done in the jobs panel", lambda d: (job_row(d, job_id) or result).get_attribute("data-state") == "done")
    shot(driver, artifacts, "08b-printed.png")

    # 13d. The paper: cups-pdf's output for this job, every QR verifies as DEMO.
    out = cups_output(clicked, result)
    work = artifacts / "print-qr"
    work.mkdir(exist_ok=True)
    tokens = qr_tokens(out, work)
    verdicts = [verify_cli(tok) for tok in tokens] if os.environ.get("GDD_CLI") else ["(no GDD_CLI)"]
    log(f"CUPS output {out.name}: {pdf_pages(out)} page(s), {len(tokens)} QR(s): {verdicts}")
    if len(tokens) != 4 or any(not t.startswith("GD1:") for t in tokens):
        raise Failure(f"expected 4 permit QRs in {out}, read {tokens}")
    if os.environ.get("GDD_CLI") and verdicts != ["demo"] * 4:
        raise Failure(f"the printed QRs verify as {verdicts}, not DEMO")

    # 13e. A disabled queue: the job fails naming its number; after cupsenable, "In lại lệnh #N".
    left = total - 4
    with cups_queue_lock():
        try:
            cups("cupsdisable", CUPS_QUEUE)
            select_rows(driver, 1)
            old = driver.find_element(*tid("print-result"))
            driver.find_element(*tid("print-submit")).click()
            wait_until(driver, "the previous result to go", EC.staleness_of(old))
            box = wait_until(driver, "the print error", lambda d: d.find_elements(*tid("print-error")))[0]
            failed = box.get_attribute("data-job-id") or ""
            err = box.find_element(*tid("error"))
            log(f"disabled queue: {err.get_attribute('data-code')}: {nfc(err.text)!r}")
            if not failed or f"#{failed}" not in err.text or err.get_attribute("data-code") != "print.job_stopped":
                raise Failure(f"the error does not name the job: {err.get_attribute('data-code')}: {err.text!r}")
            wait_until(driver, f"job #{failed} failed in the panel", lambda d: (job_row(d, failed) or box).get_attribute("data-state") == "failed")
            if driver.find_element(*tid("print-total")).get_attribute("data-total") != str(left):
                raise Failure("a failed job changed the list of originals")
            retry = driver.find_element(*tid("print-retry-last"))
            if f"#{failed}" not in retry.text:
                raise Failure(f"retry button {retry.text!r}")
            shot(driver, artifacts, "08c-print-error.png")
        finally:
            cups("cupsenable", CUPS_QUEUE)
        clicked = time.time()
        retry.click()
        result = print_result(driver, f"the retry of job #{failed}", old=box)
    if result.get_attribute("data-job-id") != failed:
        raise Failure(f"the retry printed job #{result.get_attribute('data-job-id')}, not #{failed}")
    wait_until(driver, f"job #{failed} done after the retry", lambda d: (job_row(d, failed) or result).get_attribute("data-state") == "done")
    row = job_row(driver, failed)
    attempts = row.find_elements(By.TAG_NAME, "td")[6].text.strip() if row else "?"
    log(f"retried job #{failed}: {nfc(result.text)!r}, attempts {attempts}; output {cups_output(clicked, result).name}")
    if attempts != "2":
        raise Failure(f"job #{failed} should show 2 attempts, shows {attempts}")
    left -= 1
    wait_until(driver, "the list to lose 1 more", lambda d: d.find_element(*tid("print-total")).get_attribute("data-total") == str(left))
    driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", driver.find_element(*tid("print-jobs")))
    shot(driver, artifacts, "08d-print-retried.png")

    # 13f. "Lưu PDF…": up to 5 permits, A4 4-up → 2 pages, in print/ next to the database;
    #      nothing is marked printed.
    ids = select_rows(driver, 5)
    expected = (len(ids) + 3) // 4
    driver.find_element(*tid("print-save-pdf")).click()
    saved = wait_for(driver, "pdf-result", "the saved PDF")
    path = Path(saved.get_attribute("data-path") or "")
    pages = pdf_pages(path) if path.is_file() else -1
    log(f"saved PDF {path}: {pages} pages for {len(ids)} permits")
    if pages != expected or saved.get_attribute("data-pages") != str(expected) or path.parent != db_path.parent / "print":
        raise Failure(f"saved PDF {path}: {pages} pages (expected {expected}, in {db_path.parent / 'print'})")
    if driver.find_element(*tid("print-total")).get_attribute("data-total") != str(left):
        raise Failure("saving a PDF changed the list of originals")
    shot(driver, artifacts, "08e-print-pdf.png")

    # 13g. The dashboard: 5 more printed, 5 fewer stamped.
    driver.find_element(*tid("nav-dashboard")).click()
    wait_until(driver, "the printed count to rise by 5", lambda d: state_count(d, "printed") == printed_before + 5)
    if state_count(driver, "stamped") != stamped_before - 5:
        raise Failure(f"stamped {state_count(driver, 'stamped')}, expected {stamped_before - 5}")
    log(f"dashboard: stamped {stamped_before} → {stamped_before - 5}, printed {printed_before} → {printed_before + 5}")


def verify_token(driver: WebDriver, token: str):
    box = wait_for(driver, "verify-token", "the permit code field")
    box.clear()
    box.send_keys(token)
    old = driver.find_elements(*tid("verdict"))
    driver.find_element(*tid("verify-submit")).click()
    if old:  # the previous answer goes first: never read it as this one's
        wait_until(driver, "the previous verdict to go", EC.staleness_of(old[0]))
    return wait_for(driver, "verdict", "a verdict")


def tampered(token: str) -> str:
    """One character of the signed data changed (inside the Base45 alphabet)."""
    i = len(token) // 2
    return token[:i] + ("B" if token[i] != "B" else "C") + token[i + 1 :]


def verification(driver: WebDriver, artifacts: Path, token: str, holder: str) -> None:
    # 14. The verify screen: the stamped token is DEMO (demo root) with the holder's full name.
    driver.find_element(*tid("nav-verify")).click()
    verdict = verify_token(driver, token)
    name = nfc(driver.find_element(*tid("holder-name")).text.strip())
    log(f"verify: {verdict.get_attribute('data-verdict')} — {name!r}")
    if verdict.get_attribute("data-verdict") != "demo" or name != holder:
        raise Failure(f"verdict {verdict.get_attribute('data-verdict')!r} for {name!r}, expected demo for {holder!r}")
    if not any(ord(c) > 127 for c in name):
        raise Failure(f"the holder name {name!r} lost its diacritics")
    shot(driver, artifacts, "10-verify-demo.png")

    # 14b. The same permit from a picture of its QR (PNG chosen in the file input).
    old = driver.find_element(*tid("verdict"))
    # The driver runs on this machine: send the path itself, not selenium's upload (which
    # WebKitWebDriver does not implement).
    driver.file_detector = UselessFileDetector()
    driver.find_element(*tid("verify-image")).send_keys(str(artifacts / "qr-photo.png"))
    wait_until(driver, "the previous verdict to go", EC.staleness_of(old))
    wait_until(driver, "a verdict or an error", lambda d: d.find_elements(*tid("verdict")) or d.find_elements(*tid("error")))
    errors = driver.find_elements(*tid("error"))
    if errors:
        raise Failure(f"the QR picture was not read: {errors[0].get_attribute('data-code')}: {errors[0].text!r}")
    verdict = driver.find_element(*tid("verdict"))
    name = nfc(driver.find_element(*tid("holder-name")).text.strip())
    log(f"verify from a QR picture: {verdict.get_attribute('data-verdict')} — {name!r}")
    if verdict.get_attribute("data-verdict") != "demo" or name != holder:
        raise Failure(f"QR picture gave {verdict.get_attribute('data-verdict')!r} for {name!r}")
    logout(driver)


def revocation(driver: WebDriver, artifacts: Path, db_path: Path, token: str, other: tuple[str, str]) -> None:
    """The ward revokes the second stamped permit and exports its signed list (`gdd`, on the same
    database the app has open); the checkpoint screen with that list says REVOKED for it, and
    still DEMO for the first, both with the list's age."""
    cli = os.environ.get("GDD_CLI")
    if not cli:
        log("GDD_CLI not set: the revocation-list step is skipped")
        return
    permit_id, revoked_token = other
    lst = db_path.with_name("ward-revocations.txt")
    env = dict(os.environ, GDD_DB=str(db_path), GDD_USER="congan", GDD_PASSWORD=DEMO_PASSWORD,
               GDD_KEY_PASSPHRASE=DEMO_KEY_PASSPHRASE)
    for cmd in (
        [cli, "revoke", permit_id, "--reason", "Mất giấy", "--code", "lost"],
        [cli, "revocations", "export", "-o", str(lst)],
    ):
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failure(f"gdd {' '.join(cmd[1:3])} failed: {(r.stdout + r.stderr).strip()}")
    log(f"permit #{permit_id} revoked, ward list exported to {lst}")

    # 16b. The checkpoint screen (no login) with the list chosen in its file input.
    driver.find_element(*tid("open-verify")).click()
    wait_for(driver, "verify-token", "the checkpoint screen")
    driver.file_detector = UselessFileDetector()
    driver.find_element(*tid("verify-revocations")).send_keys(str(lst))
    wait_for(driver, "verify-revocation-file", "the chosen revocation list")
    verdict = verify_token(driver, revoked_token)
    age = wait_for(driver, "verify-revocation-age", "the revocation list's age")
    log(f"revoked permit with the list: {verdict.get_attribute('data-verdict')} — {age.text!r}")
    if verdict.get_attribute("data-verdict") != "revoked" or "verdict-bad" not in (verdict.get_attribute("class") or ""):
        raise Failure(f"a revoked permit gave {verdict.get_attribute('data-verdict')!r} with the ward's list")
    shot(driver, artifacts, "12a-verify-revoked.png")
    verdict = verify_token(driver, token)
    if verdict.get_attribute("data-verdict") != "demo" or not driver.find_elements(*tid("verify-revocation-age")):
        raise Failure("the permit not on the list should stay DEMO, with the list's age shown")
    driver.find_element(*tid("verify-back")).click()
    wait_for(driver, "login", "the login screen after the checkpoint screen")


def activation(driver: WebDriver, artifacts: Path) -> None:
    # 15. The ward administrator: activated under the DEMO root, with the key's fingerprint.
    login(driver, "quantri")
    if driver.find_elements(*tid("nav-stamp")):
        raise Failure("the ward administrator is offered the stamping screen")
    driver.find_element(*tid("nav-activation")).click()
    state = wait_for(driver, "activation-state", "the activation state")
    fingerprint = wait_for(driver, "key-fingerprint", "the key fingerprint").text.strip()
    demo_root = driver.find_elements(*tid("install-demo-root"))
    log(f"activation: activated={state.get_attribute('data-activated')} fingerprint={fingerprint} demo_root={bool(demo_root)}")
    if state.get_attribute("data-activated") != "true" or not demo_root:
        raise Failure(f"the demo ward should be activated under the demo root: {state.text!r}")
    if not re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){5}", fingerprint):
        raise Failure(f"fingerprint {fingerprint!r} is not XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
    shot(driver, artifacts, "11-activation.png")
    logout(driver)


def checkpoint(driver: WebDriver, artifacts: Path, token: str) -> None:
    # 16. A checkpoint officer, without logging in: a changed token is refused in red.
    driver.find_element(*tid("open-verify")).click()
    verdict = verify_token(driver, tampered(token))
    v = verdict.get_attribute("data-verdict")
    log(f"tampered token: {v} — {verdict.text!r}")
    if v not in ("bad_signature", "malformed") or driver.find_elements(*tid("holder-name")):
        raise Failure(f"a tampered token gave {v!r} (or showed holder details)")
    if "verdict-bad" not in (verdict.get_attribute("class") or ""):
        raise Failure("the tampered verdict is not shown in red")
    shot(driver, artifacts, "12-verify-tampered.png")
    driver.find_element(*tid("verify-back")).click()
    wait_for(driver, "login", "the login screen after the checkpoint screen")


def search(driver: WebDriver, query: str) -> None:
    """Type a query in the search box (already shown) and wait for its answer."""
    box = driver.find_element(*tid("search-input"))
    box.clear()
    box.send_keys(query + Keys.ENTER)
    try:
        WebDriverWait(driver, WAIT).until(lambda d: answer_is(d, query, 1))
    except TimeoutException:
        raise Failure(f"no answer for {query!r} after {WAIT}s") from None


def answer_is(driver: WebDriver, query: str, page: int) -> bool:
    """The answer shown is for this query and page (the section is reused between searches)."""
    answers = driver.find_elements(*tid("search-answer"))
    return bool(answers) and answers[0].get_attribute("data-query") == query and answers[
        0
    ].get_attribute("data-page") == str(page)


def result_keys(driver: WebDriver) -> list[str]:
    """Rows as (name, ID) strings: a person may hold several permits, the pair tells rows apart."""
    return [
        " | ".join(td.text.strip() for td in r.find_elements(By.TAG_NAME, "td")[:2])
        for r in driver.find_elements(*tid("result-row"))
    ]


REAL_ADMIN = "quantri.hk"
REAL_ADMIN_PASSWORD = "Hoàn Kiếm quản trị 2025"
REAL_KEY_PASSPHRASE = "Cây đa đầu làng năm 1975"


def init_real_ward(cli: Path, db: Path) -> None:
    """A real (non-demo) ward made the way an installer does it: `gdd init`."""
    env = dict(os.environ, GDD_DB=str(db), GDD_NEW_PASSWORD=REAL_ADMIN_PASSWORD)
    cmd = [str(cli), "init", "--ward-code", "00070", "--ward-name", "Phường Hoàn Kiếm",
           "--workstation", "2", "--admin", REAL_ADMIN, "--admin-name", "Lê Thị Quản Trị"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    log(f"gdd init: exit {r.returncode}: {(r.stdout + r.stderr).strip()}")
    if r.returncode != 0:
        raise Failure(f"gdd init failed: {r.stderr.strip()}")


def real_ward(driver: WebDriver, artifacts: Path, db_path: Path) -> None:
    """First start of a real ward: the administrator creates the workstation key in the app,
    makes the activation request, and a garbage install key is refused with the reason."""
    # 17. No demo accounts on a real ward; the administrator logs in.
    wait_for(driver, "login", "the login screen of the real ward")
    if driver.find_elements(*tid("demo-accounts")):
        raise Failure("a real ward lists demo accounts")
    driver.find_element(*tid("login-username")).send_keys(REAL_ADMIN)
    type_text(driver.find_element(*tid("login-password")), REAL_ADMIN_PASSWORD)
    driver.find_element(*tid("login-password")).send_keys(Keys.ENTER)
    wait_for(driver, "dashboard", "the dashboard of the real ward")
    driver.find_element(*tid("nav-activation")).click()
    state = wait_for(driver, "activation-state", "the activation state")
    if state.get_attribute("data-activated") != "false" or state.get_attribute("data-reason") != "no_key":
        raise Failure(f"a new ward should be 'not activated: no key', shows {state.text!r}")

    # 18. A weak passphrase gets the core's reason as a hint and cannot be used.
    p1 = wait_for(driver, "key-pass1", "the new key passphrase field")
    if driver.switch_to.active_element != p1:
        raise Failure("the passphrase field does not have the focus on a ward without a key")
    p1.send_keys("ngắn quá")
    wait_until(
        driver,
        "the weak-passphrase hint",
        lambda d: d.find_element(*tid("key-pass-hint")).get_attribute("data-ok") == "false"
        and "12" in d.find_element(*tid("key-pass-hint")).text,
    )
    log(f"weak passphrase hint: {driver.find_element(*tid('key-pass-hint')).text!r}")
    if driver.find_element(*tid("key-create")).is_enabled():
        raise Failure("a weak passphrase can be submitted")
    shot(driver, artifacts, "13-real-ward-no-key.png")

    # 19. A good one, twice → the key is created on this PC; its fingerprint shows.
    p1.clear()
    type_text(p1, REAL_KEY_PASSPHRASE)
    type_text(driver.find_element(*tid("key-pass2")), REAL_KEY_PASSPHRASE)
    wait_until(driver, "the create button", lambda d: d.find_element(*tid("key-create")).is_enabled())
    driver.find_element(*tid("key-create")).click()
    fingerprint = wait_for(driver, "key-fingerprint", "the new key's fingerprint").text.strip()
    state = driver.find_element(*tid("activation-state"))
    log(f"key created: {fingerprint}; state {state.get_attribute('data-reason')}")
    if state.get_attribute("data-reason") != "no_install_key":
        raise Failure(f"after creating the key the state should be no_install_key: {state.text!r}")

    # 20. The activation request: text with the signed block, also written next to the database.
    driver.find_element(*tid("request-emails")).send_keys("ubnd.hoankiem@gmail.com")
    type_text(driver.find_element(*tid("request-pass")), REAL_KEY_PASSPHRASE)
    driver.find_element(*tid("request-pass")).send_keys(Keys.ENTER)
    result = wait_for(driver, "request-result", "the activation request")
    text = driver.find_element(*tid("request-text")).get_attribute("value") or ""
    if "-----BEGIN GDD ACTIVATION REQUEST-----" not in text or fingerprint not in text:
        raise Failure("the activation request text lacks its block or the key's fingerprint")
    if result.get_attribute("data-fingerprint") != fingerprint:
        raise Failure("the request was signed by another key than the one shown")
    saved = driver.find_element(*tid("request-file")).find_element(By.CSS_SELECTOR, ".mono").text.strip()
    if Path(saved).read_text(encoding="utf-8") != text:
        raise Failure(f"the request file {saved} does not hold the text shown")
    driver.find_element(*tid("request-copy")).click()
    log(f"activation request written to {saved}; copy confirmed: {bool(driver.find_elements(*tid('request-copied')))}")
    shot(driver, artifacts, "14-real-ward-request.png")

    # 21. A garbage install key is refused with the store's reason; still not activated.
    err = install(driver, "GDD-INSTALL-KEY-V1\nkhông phải khóa\nGDD-INSTALL-KEY-V1-END")
    log(f"garbage install key: {err.get_attribute('data-code')}: {err.text!r}")
    shot(driver, artifacts, "15-real-ward-install-refused.png")

    # 22. A well-formed install key for this very request, but from a root this build does not
    #     trust (a city root made on the spot with `gdd city`): refused as another root.
    other = other_root_install_key(Path(saved))
    err = install(driver, other)
    log(f"install key from another root: {err.get_attribute('data-code')}: {err.text!r}")
    if err.get_attribute("data-code") != "signature.wrong_issuer":
        raise Failure(f"an install key from an untrusted root gave {err.get_attribute('data-code')!r}")
    shot(driver, artifacts, "16-real-ward-other-root.png")
    logout(driver)


def install(driver: WebDriver, text: str):
    """Paste an install key and submit it; return the refusal (which must come)."""
    box = driver.find_element(*tid("install-text"))
    box.clear()
    box.send_keys(text)
    before = {e.id for e in driver.find_elements(*tid("error"))}
    driver.find_element(*tid("install-submit")).click()
    err = wait_until(
        driver,
        "the install key refusal",
        lambda d: [
            e
            for e in d.find_elements(*tid("error"))
            if e.id not in before and "Khóa cài đặt bị từ chối" in nfc(e.text)
        ],
    )[0]
    if driver.find_element(*tid("activation-state")).get_attribute("data-activated") != "false":
        raise Failure("a refused install key activated the workstation")
    return err


def other_root_install_key(request: Path) -> str:
    cli = os.environ["GDD_CLI"]
    key = request.with_name("other-city-root.key")
    out = request.with_name("other-install-key.txt")
    env = dict(os.environ, GDD_CITY_PASSPHRASE="Khóa gốc thành phố thử nghiệm 2025")
    for cmd in (
        [cli, "city", "init", "--key", str(key), "--insecure-fast-kdf"],
        [cli, "city", "issue-install-key", str(request), "--key", str(key), "-o", str(out)],
    ):
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failure(f"{' '.join(cmd[1:3])} failed: {r.stderr.strip()}")
    return out.read_text(encoding="utf-8")


def start_driver(tauri_driver: str, db_path: Path) -> subprocess.Popen:
    """tauri-driver in its own process group (WebKitWebDriver and the app go down with it);
    the app inherits GDD_DB from it."""
    env = dict(os.environ, GDD_DB=str(db_path))
    drv = subprocess.Popen(
        [tauri_driver, "--port", str(DRIVER_PORT), "--native-port", str(NATIVE_PORT)],
        start_new_session=True,
        env=env,
    )
    pgid_file = os.environ.get("E2E_PGID_FILE")
    if pgid_file:
        Path(pgid_file).write_text(str(drv.pid))
    deadline = time.monotonic() + 15
    while not port_open(DRIVER_PORT):
        if drv.poll() is not None:
            raise Failure(f"tauri-driver exited with {drv.returncode}")
        if time.monotonic() > deadline:
            raise Failure("tauri-driver did not listen within 15 s")
        time.sleep(0.1)
    return drv


def stop_driver(drv: subprocess.Popen) -> None:
    try:
        os.killpg(drv.pid, signal.SIGTERM)
        drv.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(drv.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    # The next session needs both ports again.
    for _ in range(50):
        if not port_open(DRIVER_PORT) and not port_open(NATIVE_PORT):
            break
        time.sleep(0.1)


def run_app(app: Path, artifacts: Path, db_path: Path, tauri_driver: str, scenario_fn, name: str) -> None:
    """Start the app on `db_path`, run one scenario, and always stop everything."""
    started = time.monotonic()
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": str(app)})
    drv = start_driver(tauri_driver, db_path)
    driver: WebDriver | None = None
    try:
        try:
            driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{DRIVER_PORT}", options=opts)
        except Exception as e:
            # Seen once on a loaded machine: tauri-driver accepted the session before
            # WebKitWebDriver listened. One fresh start, then a real failure.
            log(f"[{name}] no session ({type(e).__name__}); restarting the driver once")
            stop_driver(drv)
            drv = start_driver(tauri_driver, db_path)
            driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{DRIVER_PORT}", options=opts)
        log(f"[{name}] app started in {time.monotonic() - started:.1f}s (GDD_DB={db_path})")
        try:
            scenario_fn(driver, artifacts, db_path)
        except BaseException:
            signal.alarm(20)  # capturing the failure state gets a short deadline of its own
            try:
                shot(driver, artifacts, f"failure-{name}.png")
                (artifacts / f"failure-{name}.html").write_text(driver.page_source, encoding="utf-8")
            except BaseException as e:  # the app may be gone; the original error matters more
                log(f"could not capture the failure state: {e!r}")
            raise
        log(f"[{name}] passed in {time.monotonic() - started:.1f}s")
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        stop_driver(drv)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    app = Path(sys.argv[1]).resolve()
    artifacts = Path(sys.argv[2]).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    db_path = Path(os.environ["GDD_DB"])
    tauri_driver = os.environ.get("TAURI_DRIVER", "tauri-driver")
    if not app.is_file():
        print(f"app binary not found: {app}", file=sys.stderr)
        return 2
    for port in (DRIVER_PORT, NATIVE_PORT):
        if port_open(port):
            print(f"port {port} is already in use: stop the other WebDriver first", file=sys.stderr)
            return 2

    # A SIGTERM (CI timeout) must still run the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # A WebDriver call that never returns must fail the run, not hang it.
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(DEADLINE)
    started = time.monotonic()
    try:
        run_app(app, artifacts, db_path, tauri_driver, scenario, "demo")
        cli = os.environ.get("GDD_CLI")
        if cli:
            real_db = db_path.with_name("real-ward.db")
            init_real_ward(Path(cli), real_db)
            run_app(app, artifacts, real_db, tauri_driver, real_ward, "real-ward")
        else:
            log("GDD_CLI not set: the real-ward activation scenario is skipped")
        log(f"PASS in {time.monotonic() - started:.1f}s (driver start to last check)")
        return 0
    except (Failure, Deadline) as e:
        log(f"FAIL: {e}")
        return 1
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    sys.exit(main())
