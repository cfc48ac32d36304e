#!/usr/bin/env python3
"""Checks tests/browser/cdp.py against a real headless Chromium.

    cdp_selftest.py [--artifacts DIR]

Writes a small HTML page into a temporary folder (with a space and Japanese characters
in its path, as a clone of fiscdex may have) and checks every feature of the driver on
it: navigation, evaluate, wait_for, real clicks and typing, the records of requests,
console calls, exceptions and dialogs (a hostile alert() is dismissed), blocking every
request but the page's own, screenshots (viewport, full page, one element, checked
pixel by pixel), the print stylesheet and PDF output, and that the browser's processes
and folder are gone afterwards, also when a test raised.

Screenshots, the PDF and Chromium's log go to DIR (default: a temporary folder, removed
when every check passed). Exit status: 0 all checks passed, 1 a check failed, 77 no
Chromium (the reason is printed), as ctest's SKIP_RETURN_CODE expects.
"""

import argparse
import os
import pathlib
import re
import shutil
import struct
import sys
import tempfile
import time
import traceback
import zlib

# python3 -I does not put the script's folder on sys.path. No __pycache__ in the
# source tree (it may be read-only, and is not to be committed).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

FIXTURE = """<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>cdp selftest 試験</title>
<style>
  body { margin: 0; font-family: sans-serif; }
  #box { width: 120px; height: 80px; background: rgb(255, 0, 0); margin: 10px; }
  #far { margin-top: 2400px; width: 50px; height: 30px; background: rgb(0, 0, 255); }
  #hidden { display: none; }
  #cover-wrap { position: relative; width: 200px; }
  #overlay { position: absolute; left: 0; top: 0; right: 0; bottom: 0; }
  li.gone { display: none; }
  @media print { #screen-only { display: none; } }
</style>
</head>
<body>
<button id="toggle">off</button>
<input id="filter" placeholder="絞り込み">
<ul id="list"><li>りんご</li><li>みかん</li><li>apple</li><li>banana</li></ul>
<div id="box"></div>
<p id="screen-only">画面だけ</p>
<img id="ext" src="http://127.0.0.1:9/x.png" alt="">
<iframe id="frame" src="frame.html" width="200" height="40"></iframe>
<button id="hidden">hidden</button>
<div id="cover-wrap"><button id="covered">under</button><div id="overlay"></div></div>
<div id="far"></div>
<script>
  window.clicks = 0;
  window.inputs = 0;
  document.getElementById('toggle').addEventListener('click', (e) => {
    e.target.textContent = e.target.textContent === 'off' ? 'on' : 'off';
    window.clicks += 1;
    window.trusted = e.isTrusted;
  });
  document.getElementById('far').addEventListener('click', () => { window.farClicked = true; });
  const filter = document.getElementById('filter');
  filter.addEventListener('input', () => {
    window.inputs += 1;
    for (const li of document.querySelectorAll('#list li'))
      li.classList.toggle('gone', !li.textContent.includes(filter.value));
  });
  document.addEventListener('keydown', (e) => { window.lastKey = e.key; });
  // On demand: a worker's request and a WebSocket (neither seen by the page's own
  // Network domain, nor blocked by Fetch, in the case of the WebSocket).
  window.startWorker = () => {
    const code = "fetch('http://127.0.0.1:9/from-worker').catch(() => 0); postMessage(1);";
    const w = new Worker(URL.createObjectURL(new Blob([code])));
    w.onmessage = () => { window.workerRan = true; };
    return 0;
  };
  window.openSocket = () => { new WebSocket('ws://127.0.0.1:9/socket'); return 0; };
  console.log('selftest console', 42);
  alert('hostile alert');
  window.afterAlert = true;
</script>
<script>throw new Error('selftest boom');</script>
</body>
</html>
"""


class Image:
    """A decoded PNG: width, height, bytes per pixel, and its rows of raw pixels."""

    def __init__(self, width, height, bpp, rows):
        self.width, self.height, self.bpp, self.rows = width, height, bpp, rows

    def pixel(self, x, y):
        """(r, g, b) at x, y."""
        return tuple(self.rows[y][x * self.bpp:x * self.bpp + 3])

    def colours(self):
        """Every (r, g, b) in the image (slow for large images)."""
        return {self.pixel(x, y) for y in range(self.height) for x in range(self.width)}


def png_decode(data):
    """An Image of an 8-bit, non-interlaced RGB or RGBA PNG; checks every chunk's CRC."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG (bad signature)")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in the {kind!r} chunk")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color, _, _, interlace = ihdr
    if depth != 8 or interlace or color not in (2, 6):
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {color}, interlace {interlace}")
    bpp = 4 if color == 6 else 3
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    if len(raw) != height * (1 + stride):
        raise ValueError(f"{len(raw)} bytes of pixel data for {width}x{height}")
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if ftype > 4:
            raise ValueError(f"bad filter type {ftype}")
        for i in range(stride if ftype else 0):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return Image(width, height, bpp, rows)


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


class Checks:
    def __init__(self):
        self.failed = []
        self.count = 0

    def __call__(self, name, ok, detail=""):
        self.count += 1
        if ok:
            print(f"ok   {name}")
        else:
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
            self.failed.append(name)
        return ok

    def raises(self, name, exc_type, fn, contains=""):
        try:
            fn()
        except exc_type as e:
            return self(name, contains in str(e), f"message {str(e)!r} lacks {contains!r}")
        except Exception as e:  # noqa: BLE001 - reported as a failure
            return self(name, False, f"raised {type(e).__name__}: {e}")
        return self(name, False, f"did not raise {exc_type.__name__}")


def processes_naming(text):
    needle = text.encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if needle in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def check_driver(check, art, fixture_url):
    log = art / "chromium-1.log"
    started = time.monotonic()
    with cdp.Browser(log_path=str(log)) as browser:
        print(f"info {browser.version['product']} started with {browser.headless_flag} "
              f"in {time.monotonic() - started:.2f} s")
        tmp = browser._tmp
        pid = browser.pid
        check("browser: a temporary profile folder exists", os.path.isdir(tmp))

        page = browser.new_page()
        t = time.monotonic()
        page.navigate(fixture_url)
        print(f"info navigate took {time.monotonic() - t:.2f} s")
        check("navigate: the title is the fixture's",
              page.evaluate("document.title") == "cdp selftest 試験")
        check("navigate: the script ran past the alert", page.evaluate("window.afterAlert") is True)
        check("viewport: 1400x900 CSS pixels",
              page.evaluate("[innerWidth, innerHeight, devicePixelRatio]") == [1400, 900, 1],
              page.evaluate("[innerWidth, innerHeight, devicePixelRatio]"))
        langs = page.evaluate("[navigator.language, Intl.DateTimeFormat().resolvedOptions().locale,"
                              " (1234.5).toLocaleString()]")
        print(f"info locale: navigator.language, Intl locale, 1234.5 = {langs}")
        check("locale: ja-JP", langs[:2] == ["ja-JP", "ja-JP"], langs)

        # Records. Events arrive asynchronously: wait for them, never sleep.
        page.wait_until(lambda: page.dialogs, 30, "the alert to be recorded")
        check("dialog: the alert was recorded and dismissed",
              page.dialogs == [{"type": "alert", "message": "hostile alert", "url": fixture_url}],
              page.dialogs)
        page.wait_until(lambda: page.console, 30, "the console.log to be recorded")
        check("console: console.log recorded",
              page.console[0] == {"type": "log", "text": "selftest console 42"}, page.console)
        page.wait_until(lambda: page.exceptions, 30, "the thrown error to be recorded")
        check("exceptions: the uncaught error recorded",
              "selftest boom" in page.exceptions[0]["description"], page.exceptions)
        ext = "http://127.0.0.1:9/x.png"
        frame_url = fixture_url.rsplit("/", 1)[0] + "/frame.html"
        page.wait_until(lambda: [r for r in page.requests if r["url"] == ext and r["failed"]],
                        30, "the image request to fail")
        page.wait_until(lambda: [r for r in page.requests if r["url"] == frame_url and r["status"]],
                        30, "the iframe's document to load")
        navs = [r for r in page.requests if r["is_navigation"]]
        print(f"info requests seen: {[(r['url'], r['type'], r['status'], r['failed']) for r in page.requests]}")
        check("requests: the file:// navigation itself is recorded as one",
              [r["url"] for r in navs] == [fixture_url], navs)
        check("requests: the image to 127.0.0.1:9 and the sibling file:// iframe are external",
              sorted(r["url"] for r in page.external_requests()) == sorted([ext, frame_url]),
              page.external_requests())
        check("blocked: nothing is blocked when blocking is off", page.blocked == [])
        page.evaluate("startWorker()")
        worker_url = "http://127.0.0.1:9/from-worker"
        got = page.wait_until(lambda: [r for r in page.requests if r["url"] == worker_url],
                              30, "the worker's request to be recorded")
        check("requests: a worker's request is recorded, as from the worker",
              got[0]["from"] == "worker", got)
        page.evaluate("openSocket()")
        got = page.wait_until(lambda: [r for r in page.requests
                                       if r["type"] == "WebSocket" and r["failed"]],
                              30, "the WebSocket to be recorded, failed")
        check("requests: a WebSocket is recorded, and its failure",
              got[0]["url"] == "ws://127.0.0.1:9/socket", got)

        # evaluate
        check("evaluate: JSON values", page.evaluate("({a: [1, 'x', null, true], b: 2.5})")
              == {"a": [1, "x", None, True], "b": 2.5})
        check("evaluate: undefined is None", page.evaluate("undefined") is None)
        check("evaluate: NaN and BigInt",
              page.evaluate("NaN") != page.evaluate("NaN") and page.evaluate("2n ** 70n") == 2 ** 70)
        check("evaluate: awaits a promise",
              page.evaluate("new Promise(r => setTimeout(() => r('later'), 50))") == "later")
        check.raises("evaluate: a throw is a JsError with its text", cdp.JsError,
                     lambda: page.evaluate("(() => { throw new TypeError('nope 42'); })()"),
                     "TypeError: nope 42")
        check.raises("evaluate: a rejected promise is a JsError", cdp.JsError,
                     lambda: page.evaluate("Promise.reject(new Error('rejected 7'))"), "rejected 7")

        # wait_for
        page.evaluate("setTimeout(() => { window.later = 'yes'; }, 300); 0")
        check("wait_for: returns the value once the condition holds",
              page.wait_for("window.later") == "yes")
        t = time.monotonic()
        check.raises("wait_for: a condition never true raises CdpTimeout naming it", cdp.CdpTimeout,
                     lambda: page.wait_for("window.never === 1", timeout=1.5), "window.never === 1")
        check("wait_for: the timeout is kept (1.5 s, under 10 s)", time.monotonic() - t < 10)
        check.raises("wait_until: CdpTimeout names what was awaited", cdp.CdpTimeout,
                     lambda: page.wait_until(lambda: False, 0.5, "Godot"), "Godot")

        # click
        page.click("#toggle")
        check("click: the button's handler ran, as a trusted event",
              page.wait_for("document.querySelector('#toggle').textContent === 'on'") is True
              and page.evaluate("[window.clicks, window.trusted]") == [1, True])
        page.click("#toggle")
        check("click: a second click toggles back",
              page.wait_for("document.querySelector('#toggle').textContent === 'off'") is True)
        page.click("#far")
        check("click: an element below the fold is scrolled to and clicked",
              page.wait_for("window.farClicked") is True and page.evaluate("scrollY") > 0)
        check.raises("click: an absent element is an ElementError", cdp.ElementError,
                     lambda: page.click("#no-such"), "no element matches #no-such")
        check.raises("click: a zero-size element is an ElementError", cdp.ElementError,
                     lambda: page.click("#hidden"), "has no size")
        check.raises("click: a covered element is an ElementError naming the cover",
                     cdp.ElementError, lambda: page.click("#covered"), "div#overlay")

        # typing
        visible = ("[...document.querySelectorAll('#list li')]"
                   ".filter(li => li.offsetParent !== null).map(li => li.textContent)")
        page.type_text("#filter", "りん")
        check("type_text: inserts text and fires input",
              page.wait_for(f"{visible}.length === 1") is True
              and page.evaluate(visible) == ["りんご"]
              and page.evaluate("document.querySelector('#filter').value") == "りん",
              page.evaluate(visible))
        page.type_text("#filter", "an", clear=True)
        check("type_text(clear=True): replaces the text",
              page.wait_for(f"{visible}.join() === 'banana'") is True
              and page.evaluate("document.querySelector('#filter').value") == "an")
        page.press_key("Enter")
        check("press_key: Enter reaches the page", page.wait_for("window.lastKey") == "Enter")
        check.raises("type_text: an absent element is an ElementError", cdp.ElementError,
                     lambda: page.type_text("#no-such", "x"), "no element matches")

        # screenshots
        shot = page.screenshot(art / "viewport.png")
        check("screenshot: the viewport is a valid 1400x900 PNG",
              png_size(shot) == (1400, 900) and (art / "viewport.png").read_bytes() == shot,
              png_size(shot))
        img = png_decode(shot)
        check("screenshot: it decodes, every chunk's CRC right",
              (img.width, img.height) == (1400, 900))
        page.set_viewport(800, 600)
        check("set_viewport: innerWidth follows", page.evaluate("innerWidth") == 800)
        shot = page.screenshot(art / "viewport-800.png")
        check("screenshot: after set_viewport, 800x600", png_size(shot) == (800, 600), png_size(shot))
        page.evaluate("scrollTo(0, 300)")
        layout = ("[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                  " document.documentElement.clientWidth, scrollY]")
        before = page.evaluate(layout)
        full = page.screenshot(art / "full.png", full_page=True)
        # The whole document, laid out in a viewport as tall as it is: 800 wide (no
        # vertical scrollbar then), as high as the document.
        check("screenshot(full_page): the whole document",
              png_size(full)[0] == 800 and abs(png_size(full)[1] - before[1]) <= 40
              and before[1] > 2400, (png_size(full), before))
        img = png_decode(full)
        check("screenshot(full_page): the blue box at the end is in it",
              img.pixel(25, img.height - 15) == (0, 0, 255), img.pixel(25, img.height - 15))
        for sel, size, colour in (("#box", (120, 80), (255, 0, 0)), ("#far", (50, 30), (0, 0, 255))):
            data = page.screenshot(art / f"element-{sel[1:]}.png", selector=sel)
            img = png_decode(data)
            colours = img.colours()
            check(f"screenshot(selector={sel}): its box exactly, every pixel its colour",
                  (img.width, img.height) == size and colours == {colour},
                  ((img.width, img.height), sorted(colours)[:5]))
        check.raises("screenshot(selector=absent): ElementError", cdp.ElementError,
                     lambda: page.screenshot(selector="#no-such"))
        check("screenshot: leaves the layout (scrollbar, scroll position) as it was",
              page.evaluate(layout) == before, (page.evaluate(layout), before))

        # print
        page.set_media("print")
        check("set_media(print): the print stylesheet applies",
              page.evaluate("getComputedStyle(document.querySelector('#screen-only')).display")
              == "none")
        page.set_media("")
        check("set_media(''): back to screen",
              page.evaluate("getComputedStyle(document.querySelector('#screen-only')).display")
              == "block")
        for landscape in (False, True):
            name = "landscape" if landscape else "portrait"
            pdf = page.print_to_pdf(art / f"{name}.pdf", landscape=landscape)
            boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
            ok = pdf.startswith(b"%PDF-") and boxes and all(
                (float(bw) > float(bh)) == landscape for bw, bh in boxes)
            check(f"print_to_pdf(landscape={landscape}): a PDF of {name} pages", ok,
                  f"{pdf[:8]!r}, media boxes {boxes[:3]}")
        page.close()

        # Blocking: only the page's own file:// URL may load.
        page = browser.new_page(block_external=True)
        page.navigate(fixture_url)
        check("block_external: the page itself loads",
              page.evaluate("document.title") == "cdp selftest 試験")
        page.wait_until(lambda: [r for r in page.requests if r["url"] == ext and r["failed"]],
                        30, "the image request to fail")
        page.wait_until(lambda: len(page.blocked) == 2, 30, "two requests to be blocked")
        check("block_external: the image and the sibling file:// iframe are blocked",
              sorted(b["url"] for b in page.blocked) == sorted([ext, frame_url]), page.blocked)
        failed = [r["failed"] for r in page.requests if r["url"] == ext]
        check("block_external: the page saw it fail as blocked",
              failed and "ERR_BLOCKED_BY_CLIENT" in failed[0], failed)
        page.evaluate("fetch('https://example.invalid/beacon').catch(() => 0); 0")
        page.wait_until(lambda: len(page.blocked) == 3, 30, "the fetch() to be blocked")
        check("block_external: a fetch() from script is blocked too",
              page.blocked[2]["url"] == "https://example.invalid/beacon", page.blocked)
        page.evaluate("startWorker()")
        page.wait_until(lambda: len(page.blocked) == 4, 30, "the worker's fetch() to be blocked")
        check("block_external: a worker's request is blocked too",
              page.blocked[3]["url"] == "http://127.0.0.1:9/from-worker", page.blocked)
        page.clear_records()
        check("clear_records: empties the records", page.requests == [] and page.blocked == [])
        page.close()
    check("close: the browser's process group is gone",
          not processes_naming(tmp) and not os.path.exists(f"/proc/{pid}"),
          processes_naming(tmp))
    check("close: the temporary profile is removed", not os.path.exists(tmp))

    # An exception inside the with block still ends the browser.
    class Boom(Exception):
        pass
    try:
        with cdp.Browser(log_path=str(art / "chromium-2.log")) as browser:
            tmp, pid = browser._tmp, browser.pid
            browser.new_page().navigate(fixture_url)
            raise Boom()
    except Boom:
        pass
    check("close on exception: processes and profile gone",
          not processes_naming(tmp) and not os.path.exists(tmp) and not os.path.exists(f"/proc/{pid}"))

    saved = os.environ.get("FISCDEX_CHROMIUM")
    os.environ["FISCDEX_CHROMIUM"] = "/nonexistent/chromium"
    try:
        check.raises("FISCDEX_CHROMIUM naming no file: BrowserMissing", cdp.BrowserMissing,
                     lambda: cdp.Browser().start(), "/nonexistent/chromium")
    finally:
        if saved is None:
            del os.environ["FISCDEX_CHROMIUM"]
        else:
            os.environ["FISCDEX_CHROMIUM"] = saved


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--artifacts", help="folder for screenshots, PDFs and Chromium's log")
    args = ap.parse_args()
    try:
        binary = cdp.find_chromium()
    except cdp.BrowserMissing as e:
        print(f"skip: {e}")
        return 77
    print(f"info chromium: {binary}")

    own_art = args.artifacts is None
    art = pathlib.Path(args.artifacts or tempfile.mkdtemp(prefix="cdp-selftest-art-"))
    art.mkdir(parents=True, exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="cdp-selftest-"))
    status = 1
    started = time.monotonic()
    try:
        folder = work / "fixture 試験"
        folder.mkdir()
        fixture = folder / "page #1.html"
        fixture.write_text(FIXTURE, encoding="utf-8")
        (folder / "frame.html").write_text("<body>frame</body>", encoding="utf-8")
        check = Checks()
        try:
            check_driver(check, art, fixture.as_uri())
        except Exception:  # noqa: BLE001 - any error fails the run, with its story
            traceback.print_exc()
            check.failed.append("(exception)")
            log = art / "chromium-1.log"
            if log.exists():
                print(f"--- end of {log} ---")
                print(log.read_text(errors="replace")[-3000:])
        print(f"info {check.count} checks in {time.monotonic() - started:.1f} s; "
              f"artifacts in {art}")
        if check.failed:
            print(f"FAILED: {', '.join(check.failed)}")
        else:
            status = 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if own_art and status == 0:
            shutil.rmtree(art, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
