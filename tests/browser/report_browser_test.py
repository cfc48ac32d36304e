#!/usr/bin/env python3
"""The HTML report in a real browser (headless Chromium, tests/browser/cdp.py).

    report_browser_test.py --fiscdex BUILD/tools/fiscdex --source REPO --artifacts DIR

Indexes corpus/ and tests/data/report/ (two versions of a whitepaper whose every field
is hostile: <script>, event handlers, javascript: links, {{...}}, </textarea>, a line
separator) with the real fiscdex, writes `fiscdex report`, loads it and checks:

- nothing runs and nothing is asked for: no exception, no dialog, no console error (a
  Content-Security-Policy violation would be one), no request but the page itself,
  window.__pwned never set, no element with an on* attribute or a javascript: link,
  and the hostile text shown as characters;
- the heatmap has one cell per criterion and document, as `fiscdex coverage --json`
  counts them, and a click on a cell shows the answer `fiscdex show --json` gives;
- the filter hides exactly the criteria whose ID, title and answers lack the word
  (worked out here from `fiscdex export --format json`);
- the criterion view lists every document; the vendor view shows what changed since
  the previous version, marked as deletions and insertions;
- printing gives A4 pages, the heatmap's landscape.

Screenshots of each view and the printed PDF are left in --artifacts to look at.
Exit status: 0 passed, 1 failed, 77 skipped (no Chromium).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import unicodedata

# The source tree may be read-only, and is no place for compiled files.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

FAILURES = []


def check(condition, what):
    if condition:
        print(f"ok: {what}")
    else:
        print(f"FAIL: {what}")
        FAILURES.append(what)


def run(fiscdex, db, *args, env=None):
    result = subprocess.run([fiscdex, "--db", db, *args], capture_output=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"fiscdex {' '.join(args)}: exit {result.returncode}: "
                           f"{result.stderr.decode(errors='replace')}")
    return result.stdout.decode()


def fold(text):
    return unicodedata.normalize("NFKC", text).lower()


def pdf_page_sizes(data):
    return [(float(w), float(h)) for w, h in
            re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fiscdex", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    try:
        binary = cdp.find_chromium()
    except cdp.BrowserMissing as missing:
        print(f"skip: no Chromium: {missing}")
        return 77
    del binary

    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fiscdex-report-")
    try:
        docs = os.path.join(work, "docs")
        shutil.copytree(os.path.join(args.source, "corpus"), docs)
        shutil.copytree(os.path.join(args.source, "tests", "data", "report"), os.path.join(docs, "report"))
        db = os.path.join(work, "index.db")
        run(args.fiscdex, db, "ingest", "-q", docs)
        coverage = json.loads(run(args.fiscdex, db, "coverage", "--json"))
        records = json.loads(run(args.fiscdex, db, "export", "--format", "json"))
        report = os.path.join(work, "report.html")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1764979200")
        run(args.fiscdex, db, "report", "--out", report, env=env)
        shutil.copy(report, os.path.join(args.artifacts, "report.html"))
        page_bytes = open(report, "rb").read()
        check(b"__pwned" not in page_bytes, "no hostile text in the page's bytes (it is encoded data)")
        check(len(page_bytes) < 5 * 1024 * 1024, f"report is {len(page_bytes)} bytes")
        check_in_browser(args, report, coverage, records)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


def check_in_browser(args, report, coverage, records):
    url = "file://" + report
    shots = args.artifacts
    with cdp.Browser(log_path=os.path.join(shots, "chromium.log")) as browser:
        page = browser.new_page(block_external=True)
        page.navigate(url)
        page.wait_for("document.body.getAttribute('data-ready') === '1'")
        page.screenshot(os.path.join(shots, "1-overview.png"))

        # Nothing from a document ran or asked for anything.
        check(page.evaluate("typeof window.__pwned") == "undefined", "window.__pwned was never set")
        check(not page.exceptions, f"no exception: {page.exceptions}")
        check(not page.dialogs, f"no dialog: {page.dialogs}")
        errors = [c for c in page.console if c.get("type") in ("error", "assert")]
        errors += [e for e in page.log_entries if e.get("level") == "error"]
        check(not errors, f"no console error (a CSP violation is one): {errors}")
        check(not page.external_requests(), f"no request but the page: {page.external_requests()}")
        check(not page.blocked, f"nothing blocked: {page.blocked}")
        check(page.evaluate("document.scripts.length") == 2, "two script elements: the data and the page's")
        check(page.evaluate(
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            ".some(a => a.name.startsWith('on'))).length") == 0, "no element has an on* attribute")
        check(page.evaluate(
            "document.querySelectorAll('a[href^=\"javascript\" i], iframe, img, svg, link, object, embed').length") == 0,
            "no link, frame, image, svg or object anywhere")

        # The heatmap: one cell per criterion and document, as coverage counts them.
        documents = len(coverage["documents"])
        criteria = len(coverage["criteria"])
        cells = page.evaluate("document.querySelectorAll('#heat td').length")
        check(cells == criteria * documents,
              f"heatmap cells {cells} = {criteria} criteria x {documents} documents")
        check(page.evaluate("document.querySelectorAll('#heat tr[data-r]').length") == criteria,
              "one heatmap row per criterion")

        # A click on a cell shows the document's answer, as `show` gives it.
        hostile_column = page.evaluate(
            "[...document.querySelector('#heat table').querySelectorAll('th.vendor')]"
            ".findIndex(th => th.title.includes('hostile_sakuhin_v2.csv'))")
        check(hostile_column >= 0, "the hostile whitepaper's latest version is a column")
        for criterion, file_name in (("統3", "hostile_sakuhin_v2.csv"), ("統1", "01_rowtable_sakuragi.txt")):
            column = page.evaluate(
                "[...document.querySelector('#heat table').querySelectorAll('th.vendor')]"
                f".findIndex(th => th.title.includes({json.dumps(file_name)}))")
            row = page.evaluate(
                "[...document.querySelectorAll('#heat tr[data-r]')].find(tr => "
                f"tr.querySelector('th b').textContent === {json.dumps(criterion)}).getAttribute('data-r')")
            page.evaluate("document.getElementById('heatmap').scrollIntoView()")
            page.click(f"#heat tr[data-r=\"{row}\"] td:nth-of-type({column + 1})")
            page.wait_for("!document.getElementById('detail').hidden")
            detail = page.evaluate("document.getElementById('detail-body').textContent")
            expected = [r for r in records if r["criterion_id"] == criterion and r["document"].endswith(file_name)]
            check(len(expected) == 1, f"export has {file_name}'s answer to {criterion}")
            if expected:
                check(expected[0]["answer"] in detail,
                      f"a click on {criterion} x {file_name} shows its answer: {detail[:160]!r}")
            page.screenshot(os.path.join(shots, f"2-heatmap-click-{criterion}.png"))
            if file_name.startswith("hostile"):
                check("</script><script>window.__pwned='break'</script>" in detail,
                      "the hostile answer is shown as characters in the cell's detail")

        # The keyboard: the first cell takes focus, an arrow moves it, Enter shows the answer.
        page.evaluate("document.getElementById('detail').hidden = true")
        page.evaluate("document.querySelector('#heat td').focus()")
        page.press_key("ArrowRight")
        page.press_key("ArrowDown")
        page.press_key("Enter")
        page.wait_for("!document.getElementById('detail').hidden")
        expected_id = page.evaluate("document.querySelectorAll('#heat tr[data-r]')[1].querySelector('th b').textContent")
        check(page.evaluate("document.activeElement.cellIndex") == 2 and
              page.evaluate("document.getElementById('detail-body').querySelector('h3').textContent")
              .startswith(expected_id + " "),
              f"arrows move across vendors and criteria, Enter shows that cell's answer ({expected_id})")

        # The filter hides exactly the criteria without the word anywhere in their row.
        word = "暗号"
        expected_rows = set()
        for item in coverage["criteria"]:
            if word in fold(item["id"] + (item.get("title") or "")):
                expected_rows.add(item["id"])
        for r in records:
            if word in fold(r["answer"] or ""):
                expected_rows.add(r["criterion_id"])
        page.type_text("#filter", word, clear=True)
        page.wait_for("document.getElementById('filter-count').textContent !== ''")
        visible = set(page.evaluate(
            "[...document.querySelectorAll('#heat tr[data-r]')].filter(tr => !tr.hidden)"
            ".map(tr => tr.querySelector('th b').textContent)"))
        check(visible == expected_rows,
              f"filter '{word}' shows {len(visible)} criteria, expected {len(expected_rows)}: "
              f"extra {sorted(visible - expected_rows)[:5]}, missing {sorted(expected_rows - visible)[:5]}")
        check(0 < len(visible) < criteria, "the filter hides some criteria and keeps some")
        page.evaluate("document.getElementById('heatmap').scrollIntoView()")
        page.screenshot(os.path.join(shots, "3-heatmap-filtered.png"))
        page.type_text("#filter", "", clear=True)
        page.wait_for("document.getElementById('filter-count').textContent === ''")
        check(page.evaluate("[...document.querySelectorAll('#heat tr[data-r]')].filter(tr => tr.hidden).length") == 0,
              "clearing the filter shows every criterion again")

        # The criterion view: every document's answer to one criterion.
        page.evaluate("document.getElementById('heatmap').scrollIntoView()")
        row = page.evaluate(
            "[...document.querySelectorAll('#heat tr[data-r]')].find(tr => "
            "tr.querySelector('th b').textContent === '統1').getAttribute('data-r')")
        page.click(f"#heat tr[data-r=\"{row}\"] th.row")
        page.wait_for("document.querySelector('#criterion-body h3') && "
                      "document.querySelector('#criterion-body h3').textContent.startsWith('統1')")
        check(page.evaluate("document.querySelectorAll('#criterion-body tbody tr').length") == documents,
              "the criterion view has a row per document")
        criterion_text = page.evaluate("document.getElementById('criterion-body').textContent")
        answers_to_1 = [r["answer"] for r in records if r["criterion_id"] == "統1" and r["answer"]]
        check(all(a in criterion_text for a in answers_to_1),
              f"the criterion view shows all {len(answers_to_1)} answers to 統1")
        check("<script>window.__pwned='answer2'</script>" in criterion_text,
              "hostile answer shown as characters in the criterion view")
        page.screenshot(os.path.join(shots, "4-criterion.png"))

        # The vendor view: the hostile whitepaper's second version against its first.
        page.evaluate(
            "(() => { const s = document.getElementById('vendor-select');"
            f" s.value = String({hostile_column}); s.dispatchEvent(new Event('change')); }})()")
        page.evaluate("document.getElementById('vendor').scrollIntoView()")
        page.wait_for("document.querySelector('#vendor-body .changes h3') !== null")
        vendor_text = page.evaluate("document.getElementById('vendor-body').textContent")
        check("統6" in vendor_text and "統5" in vendor_text, "added 統6 and removed 統5 are listed")
        deleted = page.evaluate("[...document.querySelectorAll('#vendor-body del')].map(e => e.textContent)")
        inserted = page.evaluate("[...document.querySelectorAll('#vendor-body ins')].map(e => e.textContent)")
        check(any("ただし" in d for d in deleted), f"the deleted words of 統3 are marked: {deleted}")
        check(any("<b onmouseover=" in i for i in inserted), f"inserted hostile markup is text: {inserted}")
        check(page.evaluate("document.querySelectorAll('#vendor-body tr.attention').length") > 0,
              "answers needing attention are highlighted")
        check("サクヒン<img src=x onerror=\"window.__pwned='vendor'\">" in vendor_text,
              "the hostile vendor's name is shown as characters")
        check("<a href=\"javascript:window.__pwned='added'\">追加</a>" in vendor_text,
              "a hostile criterion title (統6's, which only this whitepaper has) is shown as characters")
        check("</script><script>window.__pwned='break'</script>" in vendor_text,
              "an answer that closes the script element is shown as characters")
        page.screenshot(os.path.join(shots, "5-vendor.png"))

        # Still nothing ran, after every click.
        check(page.evaluate("typeof window.__pwned") == "undefined", "window.__pwned still never set")
        check(not page.external_requests() and not page.dialogs and not page.exceptions,
              "still no request, dialog or exception")

        pdf = page.print_to_pdf(os.path.join(shots, "6-print.pdf"), preferCSSPageSize=True, timeout=240)
        sizes = pdf_page_sizes(pdf)
        portrait = [s for s in sizes if abs(s[0] - 595.92) < 2 and abs(s[1] - 842.88) < 2]
        landscape = [s for s in sizes if abs(s[0] - 842.88) < 2 and abs(s[1] - 595.92) < 2]
        check(portrait and landscape, f"A4 pages, portrait and landscape (the heatmap): {sorted(set(sizes))}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except cdp.BrowserMissing as missing:
        print(f"skip: no Chromium: {missing}")
        sys.exit(77)
    except Exception:  # a failure to run is a failure, with its stack
        traceback.print_exc()
        sys.exit(1)
