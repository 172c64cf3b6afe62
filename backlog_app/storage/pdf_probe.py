"""Opening PDFs in a child process, so a hostile or broken file cannot hang BackLog or eat its memory.

qpdf (through pikepdf) is C++ that parses whatever bytes it is given; a crafted PDF can make it
loop for minutes or allocate gigabytes. The probe runs it in one long-lived child Python with a
memory ceiling (POSIX ``RLIMIT_AS``) and waits for each answer at most ``timeout`` seconds. A child
that overruns is killed and a fresh one starts on the next request, so a batch of 200 files pays
for one start-up, not 200.

The child is a plain ``python -c`` process talking JSON lines over its standard input and output
(not ``multiprocessing``): it never re-runs the parent's main script, and a child that qpdf's
parser might have been tricked into controlling can send back data, never code (no pickle).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from backlog_app.storage.file_inspect import (
    DocumentFileError,
    PasswordRequiredError,
    PdfFacts,
    inspect_pdf,
)

log = logging.getLogger("backlog.vault")

DEFAULT_TIMEOUT = 20.0
DEFAULT_MEMORY_LIMIT = 2 * 1024 * 1024 * 1024
# Starting Python and importing pikepdf; generous, because a busy laptop can be slow.
STARTUP_TIMEOUT = 60.0

TOO_LONG = "it took too long to open; it may be damaged. Ask the sender for a new copy."
TOO_BIG = (
    "opening it needed too much memory; it may be damaged or made to cause trouble. "
    "Ask the sender for a new copy."
)
UNREADABLE = "the PDF could not be opened; it may be damaged. Ask the sender for a new copy."

# Runs in the child: the same contract as ``file_inspect.inspect_pdf``. It must be a top-level
# function: the child imports it by module and name.
ProbeFunction = Callable[[Path, str | None], PdfFacts]

_CHILD_CODE = "from backlog_app.storage.pdf_probe import serve; serve()"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class PdfProbe:
    """Answers "how many pages, locked, repaired?" for PDFs from a child process, in bounded time.

    Args:
        timeout: seconds one PDF may take before the child is killed and the file refused.
        memory_limit: bytes of address space the child may use (POSIX only; ``None``: no limit).
        probe: the function the child runs (a top-level function; tests pass misbehaving ones).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        probe: ProbeFunction = inspect_pdf,
    ) -> None:
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.probe = probe
        self.starts = 0  # how many children were started (the tests and the log read it)
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._in_process = False  # set when no child can be started at all

    def __call__(self, path: Path, password: str | None = None) -> PdfFacts:
        """Open ``path`` in the child and return its facts.

        Raises:
            PasswordRequiredError: locked, and ``password`` is missing or wrong.
            DocumentFileError: damaged beyond repair, no pages, too slow or too big to open.
        """
        request = {"path": str(path), "password": password}
        with self._lock:
            child = self._ready_child()
            if child is not None and not child.send(request):
                # The idle child died (killed from outside?): start a new one and ask once more.
                self._stop()
                child = self._ready_child()
                if child is not None and not child.send(request):
                    self._stop()
                    raise DocumentFileError(path, UNREADABLE)
            if child is None:
                return self.probe(path, password)
            try:
                reply = child.replies.get(timeout=self.timeout)
            except queue.Empty:
                log.warning("pdf probe: no answer within %.0f s; child killed", self.timeout)
                self._stop()
                raise DocumentFileError(path, TOO_LONG) from None
            if reply is None:
                log.warning("pdf probe: child ended while opening a PDF (exit %s)", self._stop())
                raise DocumentFileError(path, TOO_LONG)
        return _facts_from(reply, path)

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._child.process.pid if self._child is not None else None

    def close(self) -> None:
        """Stop the child (it also stops by itself when BackLog exits)."""
        with self._lock:
            self._stop(gently=True)

    # -- the child's life ------------------------------------------------------------------

    def _ready_child(self) -> _Child | None:
        if self._in_process:
            return None
        if self._child is not None:
            if self._child.process.poll() is None:
                return self._child
            self._stop()
        if getattr(sys, "frozen", False):
            # A frozen app has no "python -c"; TODO(packaging): a --pdf-probe entry point.
            log.warning("pdf probe: frozen app; opening PDFs in-process")
            self._in_process = True
            return None
        try:
            child = _Child.start(self.probe, self.memory_limit)
        except OSError as exc:
            log.warning("pdf probe: cannot start a child (%s); opening PDFs in-process", exc)
            self._in_process = True
            return None
        self.starts += 1
        self._child = child
        try:
            ready = child.replies.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            ready = None
        if ready != {"ready": True}:
            log.warning("pdf probe: child did not start (%r); opening PDFs in-process", ready)
            self._stop()
            self._in_process = True
            return None
        log.debug("pdf probe started (start %d)", self.starts)
        return child

    def _stop(self, *, gently: bool = False) -> int | None:
        """End the child: when ``gently`` close its input so it leaves; kill it if it lingers."""
        child, self._child = self._child, None
        if child is None:
            return None
        process = child.process
        if gently and process.poll() is None:
            _close_quietly(process.stdin)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(2)
        if process.poll() is None:
            process.kill()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            log.warning("pdf probe: child %d did not end", process.pid)
        _close_quietly(process.stdin)
        _close_quietly(process.stdout)
        return process.returncode


class _Child:
    """One running child: its process, and a thread turning its output lines into replies."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        # One queue per child: a late line from a killed child can never answer a new request.
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=self._read, name="pdf-probe-reader", daemon=True).start()

    @classmethod
    def start(cls, probe: ProbeFunction, memory_limit: int | None) -> _Child:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([_PACKAGE_ROOT, *filter(None, [env.get("PYTHONPATH")])])
        env["BACKLOG_PDF_PROBE"] = json.dumps(
            {
                "module": probe.__module__,
                "name": probe.__qualname__,
                "memory_limit": memory_limit,
            }
        )
        extra: dict[str, Any] = {}
        if sys.platform == "win32":
            extra["creationflags"] = subprocess.CREATE_NO_WINDOW  # no console window flashes
        else:
            extra["start_new_session"] = True  # Ctrl+C in a terminal is for the parent
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
            **extra,
        )
        return cls(process)

    def send(self, request: dict[str, Any]) -> bool:
        """Write one request; False when the child is gone."""
        stdin = self.process.stdin
        if stdin is None or self.process.poll() is not None:
            return False
        try:
            stdin.write(json.dumps(request).encode("ascii") + b"\n")
            stdin.flush()
        except (OSError, ValueError):
            return False
        return True

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            for line in stdout:
                try:
                    reply = json.loads(line)
                except ValueError:
                    reply = {"error": "unreadable reply"}
                self.replies.put(reply if isinstance(reply, dict) else {"error": "bad reply"})
        except (OSError, ValueError):
            pass
        self.replies.put(None)  # end of output: the child has gone


def serve() -> None:
    """The child's main loop: answer one JSON request per input line until the input ends."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Our replies use the real standard output; anything else printing goes to standard error.
    replies = os.fdopen(os.dup(1), "w", encoding="ascii", newline="\n")
    os.dup2(2, 1)
    config = json.loads(os.environ["BACKLOG_PDF_PROBE"])
    limit_memory(config["memory_limit"])
    probe: ProbeFunction = getattr(importlib.import_module(config["module"]), config["name"])
    import pikepdf  # noqa: F401 - imported before "ready", so the first file's clock is fair

    def send(reply: dict[str, Any]) -> None:
        replies.write(json.dumps(reply) + "\n")
        replies.flush()

    send({"ready": True})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        send(answer(probe, Path(request["path"]), request["password"]))


def answer(probe: ProbeFunction, path: Path, password: str | None) -> dict[str, Any]:
    """Run ``probe`` and turn its outcome into plain data."""
    try:
        facts = probe(path, password)
    except PasswordRequiredError as exc:
        return {"password": True, "wrong": exc.wrong_password}
    except DocumentFileError as exc:
        return {"refused": exc.reason}
    except MemoryError:
        return {"memory": True}
    except Exception as exc:  # a bug in qpdf's bindings must still not reach the user raw
        return {"error": exc.__class__.__name__}
    return {"pages": facts.page_count, "locked": facts.needs_password, "repaired": facts.repaired}


def limit_memory(limit: int | None) -> None:
    """Cap this process's address space where the OS allows it (Linux, BSD; not Windows)."""
    if limit is None:
        return
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # macOS refuses some values; the time limit still holds
        pass


def _facts_from(reply: dict[str, Any], path: Path) -> PdfFacts:
    match reply:
        case {"pages": int(pages), "locked": bool(locked), "repaired": bool(repaired)}:
            return PdfFacts(page_count=pages, needs_password=locked, repaired=repaired)
        case {"password": True, "wrong": bool(wrong)}:
            raise PasswordRequiredError(path, wrong_password=wrong)
        case {"refused": str(reason)}:
            raise DocumentFileError(path, reason)
        case {"memory": True}:
            log.warning("pdf probe: out of memory in the child")
            raise DocumentFileError(path, TOO_BIG)
        case _:
            log.warning("pdf probe: unexpected answer %r", reply)
            raise DocumentFileError(path, UNREADABLE)


def _close_quietly(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()


_default: PdfProbe | None = None
_default_lock = threading.Lock()


def default_probe() -> PdfProbe:
    """The probe the whole process shares (started on first use, stopped at exit)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = PdfProbe()
            atexit.register(_default.close)
        return _default


def probe_pdf(path: Path, password: str | None = None) -> PdfFacts:
    """``inspect_pdf`` in the shared child process: bounded time and memory."""
    return default_probe()(path, password)
