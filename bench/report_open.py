#!/usr/bin/env python3
"""How long a fiscdex report takes to open in a real browser.

    /usr/bin/python3 bench/report_open.py REPORT.html [--runs N]

Loads the page N times (default 5) in headless Chromium (tests/browser/cdp.py,
the driver the browser tests use; every request but the page itself is
blocked and counted) and prints, per run, two figures the page itself
reports with performance.now(), milliseconds since navigation started:

  ready    the script has drawn every view (body[data-ready]);
  painted  the first frame with it is on screen (body[data-painted-ms]).

The first run pays for starting the renderer and loading fonts; the median
of the others is what a reader who has a browser open waits for. Exit 1 when
the page threw, asked for anything, or never became ready.
"""
import argparse
import json
import os
import statistics
import sys

# The source tree may be read-only, and is no place for compiled files.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "browser"))
import cdp  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = os.path.abspath(args.report)
    url = "file://" + path
    runs = []
    with cdp.Browser() as browser:
        page = browser.new_page(block_external=True)
        for _ in range(args.runs):
            page.navigate(url)
            page.wait_for("document.body.hasAttribute('data-painted-ms')")
            painted = int(page.evaluate("document.body.getAttribute('data-painted-ms')"))
            nav = json.loads(page.evaluate(
                "JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())"))
            runs.append({"painted_ms": painted, "dom_content_loaded_ms": round(nav["domContentLoadedEventEnd"])})
        problems = len(page.exceptions) + len(page.external_requests())
    later = [r["painted_ms"] for r in runs[1:]] or [runs[0]["painted_ms"]]
    result = {"report": path, "bytes": os.path.getsize(path), "runs": runs,
              "first_painted_ms": runs[0]["painted_ms"],
              "median_painted_ms": statistics.median(later), "problems": problems}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"report {path}: {result['bytes'] / 1048576:.1f} MB")
        print("  painted ms per run: " + ", ".join(str(r["painted_ms"]) for r in runs))
        print(f"  first {result['first_painted_ms']} ms, median of the rest {result['median_painted_ms']} ms"
              f", exceptions + requests: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
