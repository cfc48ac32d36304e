"""A small driver for headless Chromium, for tests that load a page in a real browser.

Standard library only (tests run under ``/usr/bin/python3 -I``): it speaks the Chrome
DevTools Protocol (CDP) over ``--remote-debugging-pipe`` instead of a WebSocket, so it
needs no websocket module, no free TCP port and no port-file handshake, and nothing else
on the machine can connect to the browser. The browser reads commands from its fd 3 and
writes replies and events to its fd 4, each one a JSON text followed by a NUL byte. When
this process dies, however it dies, the pipe closes and Chromium shuts itself down.

A reader thread splits what fd 4 carries into messages (a message may come in many
reads, and one read may hold many messages), files replies by id and events in arrival
order, and answers what must be answered at once (dialogs, paused requests), so a reply
that comes after a burst of events, or a page stuck in ``alert()``, cannot hang a test.
Nothing here sleeps for a fixed time: every wait is for an event or a condition, with a
deadline (60 s by default, for a CI that shares two cores) that raises ``CdpTimeout``
naming what was being waited for.

    with Browser() as browser:            # BrowserMissing when there is no Chromium
        page = browser.new_page(block_external=True)
        page.navigate(pathlib.Path(report).as_uri())
        page.click("#toggle")
        page.wait_for("document.querySelector('#toggle').textContent === 'on'")
        assert page.external_requests() == []

Exceptions (all subclasses of CdpError):
    BrowserMissing  no Chromium binary: tests skip, printing str(exc)
    BrowserCrashed  the browser or the page's renderer went away
    CdpTimeout      a deadline passed; str(exc) says what was awaited
    CommandError    the browser answered a command with an error
    JsError         the page's JavaScript threw (text and stack in str(exc))
    ElementError    click/type/screenshot: no such element, zero size, covered

Browser(binary=None, window_size=(1400, 900), lang="ja-JP", timeout=60,
        log_path=None, extra_args=())
    Starts Chromium (``$FISCDEX_CHROMIUM``, else ``chromium`` or ``chromium-browser``
    on PATH) with a fresh profile and $HOME in a temporary folder, in a process group
    of its own; --headless=new, or plain --headless if that build exits at once
    (``$FISCDEX_CHROMIUM_HEADLESS`` forces one). Leaving the ``with`` block (or
    close()) closes the browser, kills its process group and removes the folder, also
    when the block raised. ``version`` holds Browser.getVersion's answer and
    ``headless_flag`` the flag that worked. log_path: keep Chromium's output there.
  .new_page(block_external=False, allow=(), viewport=None, timezone=None) -> Page
    A new tab, attached with flatten: true, with the Page, Runtime, Network and Log
    domains on, focus emulated, the viewport fixed (the window size unless given),
    the locale set to ``lang`` (--lang only sets navigator.language; Intl and
    toLocaleString follow Emulation.setLocaleOverride) and the time zone if given.
    Its workers and out-of-process iframes are attached too, so their requests,
    console calls and exceptions are recorded with the page's. block_external=True
    fails every request (file:// ones too) but the URLs navigate() was given and
    those starting with a prefix in ``allow``; WebSockets are recorded, not blocked.
  .call(method, params=None, timeout=None)   any browser-level CDP command
  .log_tail(n=4000) -> str   the end of Chromium's own output, for failure messages
  .close()

Page
  .navigate(url, timeout=None)        loads url; returns after its load event
  .evaluate(expression, timeout=None, await_promise=True)
                                      the expression's value (JSON-like; undefined is
                                      None); JsError if it threw or its promise rejected
  .wait_for(expression, timeout=None) polls a JS condition in the page until truthy;
                                      returns its value
  .wait_until(predicate, timeout=None, what=...)
                                      waits for a Python condition on the records
                                      below (checked after every message received;
                                      keep it to reading records)
  .click(selector, timeout=None)      a real left click (mouse moved, pressed, released)
                                      at the centre of the element, scrolled into view
                                      first; ElementError if absent, zero-size or covered
  .type_text(selector, text, clear=False)
                                      focuses the element and inserts text as typing
                                      would (Input.insertText: beforeinput/input events)
  .press_key(key)                     Enter, Tab, Escape, Backspace, Delete, arrows
  .screenshot(path=None, full_page=False, selector=None) -> PNG bytes
                                      the viewport, the whole document, or one element's
                                      box; the scroll position is kept. For the whole
                                      document (or an element larger than the viewport)
                                      the viewport is made as large as the document for
                                      the capture, then put back: the page sees resizes
  .set_viewport(width, height)        the page's layout viewport, in CSS pixels
  .set_media(media)                   emulates "print" or "screen" ("" to reset)
  .print_to_pdf(path=None, landscape=False, **options) -> PDF bytes
                                      Page.printToPDF, with the print stylesheet
  .call(method, params=None, timeout=None)   any CDP command in the page's session
  .close()
  Records, filled as events arrive (lists of dicts, oldest first):
  .requests      every request the page tried (Network.requestWillBeSent and
                 Network.webSocketCreated), file:// ones included: url, method, type,
                 is_navigation (the main frame's document), from ("page", "worker",
                 "iframe"), failed (error text) and status once known
  .blocked       requests failed because of block_external: url, type, from
  .exceptions    uncaught exceptions (Runtime.exceptionThrown): text, description
  .console       console API calls: type ("log", "error", ...), text
  .dialogs       alert/confirm/prompt/beforeunload: type, message; each is dismissed
                 at once (beforeunload is accepted so navigation goes on)
  .log_entries   Log.entryAdded (CSP violations, failed loads, ...): source, level, text
  .external_requests()   requests other than the main frame's documents and data:,
                         blob:, about: URLs (a sibling file:// is external)
  .clear_records()
"""

import base64
import errno
import fcntl
import json
import math
import os
import pathlib
import select
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse

DEFAULT_TIMEOUT = 60.0

# Why each flag (see also the docstring of Browser._command_line):
BASE_FLAGS = (
    "--no-sandbox",  # CI runs as root; Chromium refuses to start as root with its sandbox
    "--remote-debugging-pipe",  # CDP on fds 3 and 4 (no port, no WebSocket)
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-gpu",  # no GPU here; software rendering is deterministic
    "--disable-extensions",
    "--disable-background-networking",  # no update checks, no safe-browsing lists ...
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--metrics-recording-only",
    "--mute-audio",
    "--disable-dev-shm-usage",  # /dev/shm is 64 MB in some containers: use the temp folder
    # A page that is not the focused tab must not have its timers slowed down: a test
    # waits for conditions, and a throttled page only makes it slower.
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--force-device-scale-factor=1",  # screenshots in CSS pixels
    "--password-store=basic",  # no keyring/D-Bus lookups
    "--use-mock-keychain",
)


class CdpError(Exception):
    """Something went wrong talking to the browser."""


class BrowserMissing(CdpError):
    """No Chromium binary was found: browser tests should skip, saying why."""


class BrowserCrashed(CdpError):
    """The browser process or the page's renderer went away."""


class CdpTimeout(CdpError):
    """A deadline passed; the message says what was being waited for."""


class CommandError(CdpError):
    """The browser answered a command with an error."""


class JsError(CdpError):
    """The page's JavaScript threw (or a promise it returned was rejected)."""


class ElementError(CdpError):
    """The element to act on is absent, has no size, or is covered by another."""


def find_chromium():
    """The browser binary: $FISCDEX_CHROMIUM, else chromium or chromium-browser on PATH."""
    env = os.environ.get("FISCDEX_CHROMIUM")
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env
        found = shutil.which(env)
        if found:
            return found
        raise BrowserMissing(f"FISCDEX_CHROMIUM={env} is not an executable file")
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(
        "no Chromium: neither chromium nor chromium-browser is on PATH and "
        "FISCDEX_CHROMIUM is not set (Debian: apt-get install chromium)"
    )


_FOLDER_PREFIX = "fiscdex-chromium-"


def _chromium_processes_naming(path):
    """The ids of the Chromium processes whose command line names path."""
    needle = path.encode()
    me = os.getpid()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if needle in cmdline and b"chrom" in cmdline:
            found.append(int(entry))
    return found


def _sweep_stale_folders():
    """Removes the folders of browsers whose owner died without closing them.

    A test killed by a signal cannot run close(); its Chromium quits by itself when
    the pipe closes, but the folder stays. One is stale when the process named in
    its "owner" file is gone and no process names the folder.
    """
    base = tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(base) if n.startswith(_FOLDER_PREFIX)]
    except OSError:
        return
    for name in names:
        folder = os.path.join(base, name)
        try:
            with open(os.path.join(folder, "owner")) as f:
                owner = int(f.read().strip())
        except (OSError, ValueError):
            continue  # being set up right now, or not ours
        try:
            os.kill(owner, 0)
            continue  # its owner lives
        except ProcessLookupError:
            pass
        except OSError:
            continue
        if not _chromium_processes_naming(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _describe_exception(details):
    """A readable text for a CDP ExceptionDetails object."""
    exc = details.get("exception") or {}
    text = exc.get("description") or ""
    if not text and "value" in exc:
        text = repr(exc["value"])
    head = details.get("text") or "exception"
    if text:
        # description already starts with "Error: ..." and has the stack
        return text if head in ("Uncaught", "exception") else f"{head} {text}"
    return head


def _remote_value(obj):
    """The Python value of a CDP RemoteObject evaluated with returnByValue."""
    if "unserializableValue" in obj:
        u = obj["unserializableValue"]
        if u.endswith("n"):  # BigInt
            return int(u[:-1])
        return {"NaN": float("nan"), "Infinity": float("inf"),
                "-Infinity": float("-inf"), "-0": -0.0}.get(u, u)
    if obj.get("type") == "undefined":
        return None
    return obj.get("value")


def _console_text(args):
    parts = []
    for a in args:
        if "value" in a:
            v = a["value"]
            parts.append(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
        elif "unserializableValue" in a:
            parts.append(a["unserializableValue"])
        elif "description" in a:
            parts.append(a["description"])
        else:
            parts.append(a.get("type", "?"))
    return " ".join(parts)


def _strip_fragment(url):
    return url.split("#", 1)[0]


class _Connection:
    """The pipe to the browser: writes commands, a thread reads and files messages."""

    def __init__(self, read_fd, write_fd, on_event, on_eof):
        self._read_fd = read_fd
        self._write_fd = write_fd
        os.set_blocking(write_fd, False)
        self._on_event = on_event
        self._on_eof = on_eof
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        self._next_id = 1
        self._responses = {}
        self._discard = set()  # ids of commands nobody waits for
        self.async_errors = []  # errors answered to those commands
        self.handler_errors = []  # exceptions raised by event handlers
        self.events = []  # every event, in arrival order
        self.closed = False  # the browser's end of the pipe is gone
        self._thread = threading.Thread(target=self._read_loop, name="cdp-reader", daemon=True)
        self._thread.start()

    # -- reading ---------------------------------------------------------------
    def _read_loop(self):
        pending = []
        try:
            while True:
                try:
                    data = os.read(self._read_fd, 1 << 20)
                except InterruptedError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                start = 0
                while True:
                    end = data.find(b"\0", start)
                    if end < 0:
                        if start < len(data):
                            pending.append(data[start:])
                        break
                    pending.append(data[start:end])
                    raw = b"".join(pending)
                    pending = []
                    start = end + 1
                    self._dispatch(raw)
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()
            try:
                self._on_eof()
            except Exception as e:  # pragma: no cover - defensive
                self.handler_errors.append(repr(e))

    def _dispatch(self, raw):
        try:
            msg = json.loads(raw.decode("utf-8", errors="replace"))
        except ValueError:
            self.handler_errors.append("unparsable message: %r" % raw[:200])
            return
        if "id" in msg:
            with self._cond:
                mid = msg["id"]
                if mid in self._discard:
                    self._discard.discard(mid)
                    if "error" in msg:
                        self.async_errors.append(msg["error"])
                else:
                    self._responses[mid] = msg
                self._cond.notify_all()
            return
        try:
            self._on_event(msg)
        except Exception as e:  # a bug in a handler must not kill the reader
            self.handler_errors.append(f"{msg.get('method')}: {e!r}")
        with self._cond:
            self.events.append(msg)
            self._cond.notify_all()

    # -- writing ---------------------------------------------------------------
    def send(self, method, params=None, session_id=None, discard=False, timeout=DEFAULT_TIMEOUT):
        """Sends a command; returns its id. discard: nobody will wait for the reply."""
        with self._cond:
            if self.closed:
                raise BrowserCrashed(f"cannot send {method}: the browser has gone")
            mid = self._next_id
            self._next_id += 1
            if discard:
                self._discard.add(mid)
        msg = {"id": mid, "method": method, "params": params or {}}
        if session_id:
            msg["sessionId"] = session_id
        data = json.dumps(msg).encode("utf-8") + b"\0"
        deadline = time.monotonic() + timeout
        with self._write_lock:
            view = memoryview(data)
            while view:
                try:
                    n = os.write(self._write_fd, view)
                    view = view[n:]
                    continue
                except BlockingIOError:
                    pass
                except InterruptedError:
                    continue
                except OSError as e:
                    if e.errno in (errno.EPIPE, errno.EBADF):
                        raise BrowserCrashed(f"cannot send {method}: the pipe is closed") from e
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpTimeout(f"writing {method} to the browser (it reads nothing)")
                select.select([], [self._write_fd], [], left)
        return mid

    def wait(self, check, timeout, what):
        """Waits until check() returns something other than None; returns it.

        check runs with the lock held, after every message; it may raise.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = check()
                if result is not None:
                    return result
                if self.closed:
                    raise BrowserCrashed(f"the browser went away while waiting for {what}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpTimeout(f"timed out after {timeout:g} s waiting for {what}")
                self._cond.wait(left)

    def call(self, method, params=None, session_id=None, timeout=DEFAULT_TIMEOUT):
        """Sends a command and returns its result; CommandError if it failed."""
        mid = self.send(method, params, session_id, timeout=timeout)
        msg = self.wait(lambda: self._responses.pop(mid, None), timeout,
                        f"the reply to {method}")
        if "error" in msg:
            err = msg["error"]
            raise CommandError(f"{method}: {err.get('message')} ({err.get('code')})"
                               + (f": {err['data']}" if err.get("data") else ""))
        return msg.get("result", {})

    def event_count(self):
        with self._cond:
            return len(self.events)

    def notify(self):
        with self._cond:
            self._cond.notify_all()

    def close_write(self):
        try:
            os.close(self._write_fd)
        except OSError:
            pass

    def join(self, timeout):
        self._thread.join(timeout)


class Browser:
    """Headless Chromium over a pipe; a context manager (see the module docstring)."""

    def __init__(self, binary=None, window_size=(1400, 900), lang="ja-JP",
                 timeout=DEFAULT_TIMEOUT, log_path=None, extra_args=()):
        self.binary = binary
        self.window_size = tuple(window_size)
        self.lang = lang
        self.timeout = timeout
        self.log_path = log_path
        self.extra_args = tuple(extra_args)
        self.version = None
        self.headless_flag = None
        self.pid = None
        self._tmp = None
        self._conn = None
        self._pages = {}
        self._reaped = False
        self._launch_errors = []

    # -- lifetime ----------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _command_line(self, headless_flag, profile):
        """The flags, each for a reason.

        --headless=new: the real browser without a window (Chromium 112+); plain
        --headless is the fallback for a build that refuses it. The window size and a
        device scale factor of 1 make layout and screenshots the same on every machine;
        --lang fixes the UI and Accept-Language locale, whatever $LANG is. The rest keep
        the browser from doing anything on its own (updates, sync, first-run pages,
        extensions, metrics uploads), from throttling a page it thinks is hidden, and
        from needing a sandbox (root), a GPU, D-Bus or a keyring.
        """
        w, h = self.window_size
        return [self.binary, headless_flag, *BASE_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={w},{h}",
                f"--lang={self.lang}",
                f"--accept-lang={self.lang}",
                *self.extra_args,
                "about:blank"]

    def start(self):
        if self.binary is None:
            self.binary = find_chromium()
        elif not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
            raise BrowserMissing(f"{self.binary} is not an executable file")
        _sweep_stale_folders()
        self._tmp = tempfile.mkdtemp(prefix=_FOLDER_PREFIX)
        with open(os.path.join(self._tmp, "owner"), "w") as f:
            f.write(str(os.getpid()))
        self._log_file = self.log_path or os.path.join(self._tmp, "chromium.log")
        try:
            with open(self._log_file, "wb"):  # this browser's output only
                pass
            forced = os.environ.get("FISCDEX_CHROMIUM_HEADLESS")
            flags = [forced] if forced else ["--headless=new", "--headless"]
            for flag in flags:
                if self._launch(flag):
                    self.headless_flag = flag
                    return
            raise BrowserCrashed(
                f"{self.binary} did not start: " + "; ".join(self._launch_errors)
                + "\n--- its output ---\n" + self.log_tail())
        except BaseException:
            self.close()
            raise

    def _launch(self, headless_flag):
        """Starts the browser with one headless flag; False if it exited at once."""
        profile = os.path.join(self._tmp, f"profile{len(self._launch_errors)}")
        home = os.path.join(self._tmp, "home")
        os.makedirs(profile)
        os.makedirs(home, exist_ok=True)
        env = dict(os.environ)
        # A home of its own: a read-only or absent $HOME cannot matter, and nothing
        # of the user's (~/.pki, ~/.config/chromium) is read or written.
        env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
                   XDG_CACHE_HOME=os.path.join(home, ".cache"))
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        cmd_r, cmd_w = os.pipe()  # browser reads commands on its fd 3
        msg_r, msg_w = os.pipe()  # browser writes messages on its fd 4
        # Copies numbered 10 and up, so that dup2 onto 3 and 4 cannot clobber them.
        hi_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_w = fcntl.fcntl(msg_w, fcntl.F_DUPFD_CLOEXEC, 10)
        log_fd = os.open(self._log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        null_fd = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
        try:
            actions = [
                (os.POSIX_SPAWN_DUP2, null_fd, 0),
                (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2),
                (os.POSIX_SPAWN_DUP2, hi_r, 3),
                (os.POSIX_SPAWN_DUP2, hi_w, 4),
            ]
            argv = self._command_line(headless_flag, profile)
            # setsid: a process group of its own, killed as a whole on close.
            try:
                self.pid = os.posix_spawn(self.binary, argv, env, file_actions=actions,
                                          setsid=True)
            except OSError as e:
                os.close(cmd_w)
                os.close(msg_r)
                raise BrowserCrashed(f"cannot run {self.binary}: {e}") from e
            self._reaped = False
        finally:
            for fd in (cmd_r, msg_w, hi_r, hi_w, log_fd, null_fd):
                os.close(fd)
        self._conn = _Connection(msg_r, cmd_w, self._on_event, self._on_eof)
        try:
            self.version = self._conn.call("Browser.getVersion", timeout=self.timeout)
            return True
        except BrowserCrashed:
            self._launch_errors.append(f"{headless_flag}: exited before answering")
            self._stop_process()
            return False

    def _on_eof(self):
        for page in list(self._pages.values()):
            page._gone = page._gone or "the browser went away"

    def _stop_process(self):
        """Closes the pipe, waits a little for a clean exit, then kills the group."""
        conn, self._conn = self._conn, None
        if conn is not None:
            if not conn.closed:
                try:
                    conn.send("Browser.close", discard=True, timeout=5)
                except CdpError:
                    pass
            conn.close_write()  # EOF on fd 3 makes Chromium quit too
            try:
                conn.wait(lambda: True if conn.closed else None, 10, "the browser to exit")
            except CdpError:
                pass
        if self.pid is None or self._reaped:
            return
        # The leader stays a zombie (WNOWAIT) until the group is killed: its pid, the
        # group's id, cannot be reused by another process meanwhile.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                info = True
            if info is not None:
                break
            time.sleep(0.05)  # only when shutting down; no test waits on this
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._reaped = True
        if conn is not None:
            conn.join(5)
            try:
                os.close(conn._read_fd)
            except OSError:
                pass

    def _kill_stragglers(self):
        """Kills any Chromium process left that names this browser's folder.

        (A helper such as chrome_crashpad_handler may have left the process group.)
        """
        if not self._tmp:
            return
        for pid in _chromium_processes_naming(self._tmp):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self):
        """Closes the browser (killing its process group) and removes its folder."""
        try:
            self._stop_process()
        finally:
            self._pages.clear()
            self._kill_stragglers()
            if self._tmp:
                if self.log_path is None:
                    self._last_log = self.log_tail()
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None

    def log_tail(self, n=4000):
        """The end of Chromium's stdout and stderr."""
        path = getattr(self, "_log_file", None)
        if path and os.path.exists(path):
            with open(path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - n))
                return f.read().decode("utf-8", errors="replace")
        return getattr(self, "_last_log", "")

    # -- events ------------------------------------------------------------------
    def _on_event(self, msg):
        sid = msg.get("sessionId")
        method = msg.get("method")
        if sid is not None:
            page = self._pages.get(sid)
            if page is not None:
                page._on_event(method, msg.get("params", {}), sid)
            return
        params = msg.get("params", {})
        if method == "Target.detachedFromTarget":
            page = self._pages.get(params.get("sessionId"))
            if page is not None:
                page._gone = page._gone or "the page was closed (detached from its target)"
        elif method == "Target.targetCrashed":
            for page in self._pages.values():
                if page.target_id == params.get("targetId"):
                    page._gone = f"the page's renderer crashed ({params.get('status')})"

    # -- pages -------------------------------------------------------------------
    def call(self, method, params=None, timeout=None):
        """A browser-level CDP command; returns its result."""
        if self._conn is None:
            raise BrowserCrashed("the browser is not running")
        return self._conn.call(method, params, timeout=timeout or self.timeout)

    def new_page(self, block_external=False, allow=(), viewport=None, timezone=None):
        """A new tab (see the module docstring)."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session, block_external, allow)
        self._pages[session] = page
        page._setup(viewport or self.window_size, timezone)
        return page


_FETCH_ALL = {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}
_AUTO_ATTACH = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}

_KEYS = {
    "Enter": (13, "\r"), "Tab": (9, ""), "Escape": (27, ""), "Backspace": (8, ""),
    "Delete": (46, ""), "ArrowLeft": (37, ""), "ArrowUp": (38, ""),
    "ArrowRight": (39, ""), "ArrowDown": (40, ""), "Home": (36, ""), "End": (35, ""),
}

# In-page poll for wait_for: returns within `slice` ms either way, so that a
# navigation that destroys the page cannot leave the driver waiting on a lost promise.
_POLL_JS = """(async () => {
  const until = performance.now() + %(slice)d;
  let error = null;
  for (;;) {
    try {
      const value = await (async () => (
%(expr)s
))();
      if (value) return {ok: true, value: value};
      error = null;
    } catch (e) {
      error = String(e && e.stack || e);
    }
    if (performance.now() >= until) return {ok: false, error: error};
    await new Promise(r => setTimeout(r, 20));
  }
})()"""

# Where to act on an element: scrolled into view, its box, and whether a click at
# its centre would reach it.
_LOCATE_JS = """(() => {
  const sel = %(sel)s;
  const el = document.querySelector(sel);
  if (!el) return {error: 'no element matches ' + sel};
  if (%(scroll)s) el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0))
    return {error: 'the element matching ' + sel + ' has no size (' + r.width + 'x' + r.height + ')'};
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  let covered = null;
  if (%(hit)s) {
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === el || el.contains(hit))) {
      covered = hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') +
          (hit.className && typeof hit.className === 'string' ? '.' + hit.className.trim().split(/\\s+/).join('.') : '')
        : '(nothing: outside the viewport)';
    }
  }
  const root = document.documentElement;
  const fits = r.left >= 0 && r.top >= 0 && r.right <= root.clientWidth &&
      r.bottom <= root.clientHeight;
  return {x: x, y: y, left: r.left + window.scrollX, top: r.top + window.scrollY,
          width: r.width, height: r.height, covered: covered, fits: fits};
})()"""


class Page:
    """One tab, attached with its own session (see the module docstring)."""

    def __init__(self, browser, target_id, session_id, block_external, allow):
        self.browser = browser
        self.target_id = target_id
        self.session_id = session_id
        self.timeout = browser.timeout
        self.block_external = block_external
        self.allow = tuple(allow)
        self._allowed_urls = set()
        self._lock = threading.Lock()
        self._gone = None
        self._children = {}  # session id -> type ("worker", "iframe", ...)
        self.navigations = []
        self.requests = []
        self._by_request_id = {}
        self.blocked = []
        self.exceptions = []
        self.console = []
        self.dialogs = []
        self.log_entries = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def _conn(self):
        conn = self.browser._conn
        if conn is None:
            raise BrowserCrashed("the browser is not running")
        return conn

    def call(self, method, params=None, timeout=None):
        """A CDP command in this page's session; returns its result."""
        if self._gone:
            raise BrowserCrashed(f"{method}: {self._gone}")
        return self._conn.call(method, params, self.session_id, timeout or self.timeout)

    def _send_async(self, method, params, session_id=None):
        """A command sent from the reader thread: never waits for its reply."""
        try:
            self._conn.send(method, params, session_id or self.session_id, discard=True,
                            timeout=10)
        except CdpError as e:
            conn = self.browser._conn
            if conn is not None:
                conn.handler_errors.append(f"{method}: {e}")

    def _setup(self, viewport, timezone):
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setFocusEmulationEnabled", {"enabled": True})
        self.set_viewport(*viewport)
        if self.browser.lang:
            self.call("Emulation.setLocaleOverride", {"locale": self.browser.lang})
        if timezone:
            self.call("Emulation.setTimezoneOverride", {"timezoneId": timezone})
        if self.block_external:
            # Not WebSockets: Fetch does not see them, and in Chromium 156
            # Network.setBlockedURLs does not stop them either. They are recorded.
            self.call("Fetch.enable", _FETCH_ALL)
        # Workers and out-of-process iframes have sessions of their own: attach to
        # each as it starts (paused until set up) to record its requests, console and
        # exceptions, and to block its requests too.
        self.call("Target.setAutoAttach", _AUTO_ATTACH)

    def _setup_child(self, sid, info):
        """Runs on the reader thread when a worker or iframe target attaches."""
        self._children[sid] = info.get("type")
        self.browser._pages[sid] = self
        for domain in ("Network", "Runtime", "Log"):
            self._send_async(f"{domain}.enable", {}, sid)
        if self.block_external:
            self._send_async("Fetch.enable", _FETCH_ALL, sid)
        self._send_async("Target.setAutoAttach", _AUTO_ATTACH, sid)
        self._send_async("Runtime.runIfWaitingForDebugger", {}, sid)

    def close(self):
        """Closes the tab."""
        if self._gone or self.browser._conn is None:
            return
        try:
            self.browser.call("Target.closeTarget", {"targetId": self.target_id})
        finally:
            self._gone = "the page was closed"
            for sid in [self.session_id, *self._children]:
                self.browser._pages.pop(sid, None)

    # -- records -----------------------------------------------------------------
    def _on_event(self, method, p, sid):
        """Runs on the reader thread, before waiters are woken.

        sid is the page's session or one of its workers' or iframes'.
        """
        if method == "Target.attachedToTarget":
            self._setup_child(p["sessionId"], p.get("targetInfo", {}))
        elif method == "Target.detachedFromTarget":
            self._children.pop(p.get("sessionId"), None)
            self.browser._pages.pop(p.get("sessionId"), None)
        elif method == "Network.requestWillBeSent":
            req = p.get("request", {})
            rec = {"url": req.get("url"), "method": req.get("method"),
                   "type": p.get("type"), "request_id": p.get("requestId"),
                   # The main frame's own document (its frame id is the target's id);
                   # an iframe's document is a request like any other.
                   "is_navigation": p.get("type") == "Document"
                   and p.get("requestId") == p.get("loaderId")
                   and p.get("frameId") == self.target_id,
                   "failed": None, "status": None,
                   "from": self._children.get(sid, "page")}
            with self._lock:
                self.requests.append(rec)
                self._by_request_id[p.get("requestId")] = rec
        elif method == "Network.webSocketCreated":
            rec = {"url": p.get("url"), "method": "GET", "type": "WebSocket",
                   "request_id": p.get("requestId"), "is_navigation": False,
                   "failed": None, "status": None, "from": self._children.get(sid, "page")}
            with self._lock:
                self.requests.append(rec)
                self._by_request_id[p.get("requestId")] = rec
        elif method in ("Network.responseReceived", "Network.webSocketHandshakeResponseReceived"):
            rec = self._by_request_id.get(p.get("requestId"))
            if rec is not None:
                rec["status"] = p.get("response", {}).get("status")
        elif method in ("Network.loadingFailed", "Network.webSocketFrameError"):
            rec = self._by_request_id.get(p.get("requestId"))
            if rec is not None and not rec["failed"]:
                rec["failed"] = p.get("errorText") or p.get("errorMessage") or "failed"
                if p.get("blockedReason"):
                    rec["failed"] += f" ({p['blockedReason']})"
        elif method == "Fetch.requestPaused":
            url = p.get("request", {}).get("url", "")
            if self._is_allowed(url):
                self._send_async("Fetch.continueRequest", {"requestId": p["requestId"]}, sid)
            else:
                with self._lock:
                    self.blocked.append({"url": url, "type": p.get("resourceType"),
                                         "from": self._children.get(sid, "page")})
                self._send_async("Fetch.failRequest", {"requestId": p["requestId"],
                                                       "errorReason": "BlockedByClient"}, sid)
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            with self._lock:
                self.exceptions.append({"text": d.get("text"),
                                        "description": _describe_exception(d),
                                        "url": d.get("url"), "line": d.get("lineNumber"),
                                        "column": d.get("columnNumber")})
        elif method == "Runtime.consoleAPICalled":
            with self._lock:
                self.console.append({"type": p.get("type"),
                                     "text": _console_text(p.get("args", []))})
        elif method == "Page.javascriptDialogOpening":
            kind = p.get("type")
            with self._lock:
                self.dialogs.append({"type": kind, "message": p.get("message"),
                                     "url": p.get("url")})
            # Dismissed at once: a hostile alert() must not block the page (and with
            # it every command) until the test times out.
            self._send_async("Page.handleJavaScriptDialog",
                             {"accept": kind == "beforeunload"}, sid)
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            with self._lock:
                self.log_entries.append({"source": e.get("source"), "level": e.get("level"),
                                         "text": e.get("text"), "url": e.get("url")})
        elif method == "Inspector.targetCrashed" and sid == self.session_id:
            self._gone = "the page's renderer crashed"
        elif method == "Inspector.detached" and sid == self.session_id:
            self._gone = f"the page was detached ({p.get('reason')})"

    def _is_allowed(self, url):
        with self._lock:
            if _strip_fragment(url) in self._allowed_urls:
                return True
        return any(url.startswith(prefix) for prefix in self.allow)

    def external_requests(self):
        """Requests other than the navigations themselves and data:, blob:, about: URLs."""
        with self._lock:
            return [r for r in self.requests
                    if not r["is_navigation"]
                    and urllib.parse.urlsplit(r["url"] or "").scheme not in ("data", "blob", "about")]

    def clear_records(self):
        with self._lock:
            for records in (self.requests, self.blocked, self.exceptions, self.console,
                            self.dialogs, self.log_entries):
                records.clear()
            self._by_request_id.clear()

    def wait_until(self, predicate, timeout=None, what="a condition"):
        """Waits until predicate() (a Python check, e.g. on the records) is truthy."""
        def check():
            if self._gone:
                raise BrowserCrashed(f"{self._gone} while waiting for {what}")
            value = predicate()
            return value if value else None
        return self._conn.wait(check, timeout or self.timeout, what)

    # -- navigation and script ---------------------------------------------------
    def navigate(self, url, timeout=None):
        """Loads url and waits for its load event (Page.loadEventFired)."""
        timeout = timeout or self.timeout
        conn = self._conn
        if self.block_external:
            with self._lock:
                self._allowed_urls.add(_strip_fragment(url))
        start = conn.event_count()
        res = self.call("Page.navigate", {"url": url}, timeout)
        if res.get("errorText"):
            raise CdpError(f"navigating to {url} failed: {res['errorText']}")
        self.navigations.append(url)
        loader = res.get("loaderId")
        if not loader:  # same-document navigation (a #fragment): no load event
            return
        state = {"committed": None}
        sid = self.session_id

        def check():
            if self._gone:
                raise BrowserCrashed(f"{self._gone} while loading {url}")
            events = conn.events
            i = state.get("next", start)
            while i < len(events):
                ev = events[i]
                i += 1
                if ev.get("sessionId") != sid:
                    continue
                m = ev.get("method")
                if m == "Page.frameNavigated":
                    frame = ev["params"]["frame"]
                    if not frame.get("parentId") and frame.get("loaderId") == loader:
                        state["committed"] = i
                elif m == "Page.loadEventFired" and state["committed"] is not None:
                    state["next"] = i
                    return True
            state["next"] = i
            return None

        conn.wait(check, timeout, f"the load event of {url}")

    def evaluate(self, expression, timeout=None, await_promise=True):
        """The value of a JS expression (JSON-like); JsError if it threw."""
        res = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True,
            "awaitPromise": await_promise}, timeout)
        if "exceptionDetails" in res:
            raise JsError(f"{_describe_exception(res['exceptionDetails'])}\n"
                          f"  in: {expression[:300]}")
        return _remote_value(res.get("result", {}))

    def wait_for(self, expression, timeout=None):
        """Polls a JS condition in the page until it is truthy; returns its value."""
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        last = None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpTimeout(f"timed out after {timeout:g} s waiting for {expression!r}"
                                 + (f" (last error: {last})" if last else ""))
            slice_ms = int(min(left, 1.0) * 1000)
            js = _POLL_JS % {"slice": slice_ms, "expr": expression.strip().rstrip(";")}
            try:
                res = self.evaluate(js, timeout=left + 30)
            except JsError as e:
                if "SyntaxError" in str(e):
                    raise
                last = str(e)  # e.g. the page navigated while the poll ran
                continue
            except CommandError as e:  # the execution context went away
                last = str(e)
                continue
            if res and res.get("ok"):
                return res.get("value")
            if res:
                last = res.get("error")

    # -- input -------------------------------------------------------------------
    def _locate(self, selector, scroll=True, hit=True):
        box = self.evaluate(_LOCATE_JS % {"sel": json.dumps(selector),
                                          "scroll": "true" if scroll else "false",
                                          "hit": "true" if hit else "false"})
        if box.get("error"):
            raise ElementError(box["error"])
        return box

    def click(self, selector, timeout=None):
        """A real left click at the centre of the element (scrolled into view)."""
        box = self._locate(selector)
        if box["covered"]:
            raise ElementError(f"the element matching {selector} is covered at its centre "
                               f"by {box['covered']}")
        x, y = box["x"], box["y"]
        mouse = {"x": x, "y": y, "button": "left", "clickCount": 1}
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, timeout)
        self.call("Input.dispatchMouseEvent", dict(mouse, type="mousePressed", buttons=1), timeout)
        self.call("Input.dispatchMouseEvent", dict(mouse, type="mouseReleased", buttons=0), timeout)

    def type_text(self, selector, text, clear=False):
        """Focuses the element and inserts text as typing would."""
        focused = self.evaluate("""(() => {
          const el = document.querySelector(%s);
          if (!el) return 'absent';
          el.scrollIntoView({block: 'center', behavior: 'instant'});
          el.focus();
          if (%s) {
            if (typeof el.select === 'function') el.select();
            else { const r = document.createRange(); r.selectNodeContents(el);
                   const s = getSelection(); s.removeAllRanges(); s.addRange(r); }
          }
          return document.activeElement === el ? 'ok' : 'unfocusable';
        })()""" % (json.dumps(selector), "true" if clear else "false"))
        if focused == "absent":
            raise ElementError(f"no element matches {selector}")
        if focused != "ok":
            raise ElementError(f"the element matching {selector} cannot take focus")
        if clear:
            self.press_key("Backspace")
        if text:
            self.call("Input.insertText", {"text": text})

    def press_key(self, key):
        """Presses and releases one key (names as in KeyboardEvent.key)."""
        if key not in _KEYS:
            raise ValueError(f"unknown key {key!r}; known: {', '.join(_KEYS)}")
        code, text = _KEYS[key]
        down = {"type": "keyDown" if text else "rawKeyDown", "key": key, "code": key,
                "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        if text:
            down.update(text=text, unmodifiedText=text)
        self.call("Input.dispatchKeyEvent", down)
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": key,
                                             "windowsVirtualKeyCode": code,
                                             "nativeVirtualKeyCode": code})

    # -- output ------------------------------------------------------------------
    def set_viewport(self, width, height):
        """The layout viewport, in CSS pixels (device scale factor 1)."""
        self.viewport = (int(width), int(height))
        self._set_metrics(*self.viewport)

    def _set_metrics(self, width, height):
        vw, vh = self.viewport
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": int(width), "height": int(height), "deviceScaleFactor": 1,
            "mobile": False, "screenWidth": vw, "screenHeight": vh})

    def set_media(self, media):
        """Emulates a CSS media type: "print", "screen", or "" for none."""
        self.call("Emulation.setEmulatedMedia", {"media": media})

    def _content_size(self):
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        return math.ceil(size["width"]), math.ceil(size["height"])

    def screenshot(self, path=None, full_page=False, selector=None, timeout=None):
        """A PNG of the viewport, the whole page or one element; written to path if given.

        Not with captureBeyondViewport: in Chromium 156 that sometimes leaves the page
        laid out without its scrollbar afterwards (clientWidth 800, not 785, in an
        800-wide viewport), and nothing undoes it. A page or an element larger than the
        viewport is taken by making the viewport as large as the document for the
        capture (the page sees resize events and lays out at that size), then putting
        the viewport back. The scroll position is restored either way.
        """
        timeout = timeout or max(self.timeout, 120)
        params = {"format": "png", "captureBeyondViewport": False}

        def capture(clip=None):
            p = dict(params)
            if clip is not None:
                p["clip"] = dict(clip, scale=1)
            return base64.b64decode(self.call("Page.captureScreenshot", p, timeout)["data"])

        if selector is None and not full_page:
            data = capture()
        else:
            scroll = self.evaluate("[scrollX, scrollY]")
            try:
                box = None
                if selector is not None:
                    box = self._locate(selector, scroll=True, hit=False)
                    if not box["fits"]:
                        box = None
                if box is not None:
                    data = capture({"x": box["left"], "y": box["top"],
                                    "width": box["width"], "height": box["height"]})
                else:
                    data = self._capture_tall(selector, capture)
            finally:
                self.evaluate("scrollTo(%r, %r)" % tuple(scroll))
        if path is not None:
            pathlib.Path(path).write_bytes(data)
        return data

    def _capture_tall(self, selector, capture):
        """Captures with the viewport as large as the document (then put back)."""
        vw, vh = self.viewport
        try:
            w, h = vw, vh
            for _ in range(4):  # the layout at the new size may be larger again
                cw, ch = self._content_size()
                if cw <= w and ch <= h:
                    break
                w, h = max(w, cw), max(h, ch)
                self._set_metrics(w, h)
            if selector is None:
                cw, ch = self._content_size()
                return capture({"x": 0, "y": 0, "width": cw, "height": ch})
            box = self._locate(selector, scroll=False, hit=False)
            return capture({"x": box["left"], "y": box["top"],
                            "width": box["width"], "height": box["height"]})
        finally:
            self._set_metrics(vw, vh)

    def print_to_pdf(self, path=None, landscape=False, timeout=None, **options):
        """Page.printToPDF (print stylesheet, backgrounds printed); written to path if given.

        options go to Page.printToPDF as they are (paperWidth, pageRanges, ...).
        """
        params = {"landscape": bool(landscape), "printBackground": True,
                  "preferCSSPageSize": True}
        params.update(options)
        data = base64.b64decode(self.call("Page.printToPDF", params,
                                          timeout or max(self.timeout, 120))["data"])
        if path is not None:
            pathlib.Path(path).write_bytes(data)
        return data
