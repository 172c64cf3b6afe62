"""The PDF probe: one reusable child process, killed and replaced when a file hangs or crashes it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backlog_app.storage.file_inspect import (
    DocumentFileError,
    PasswordRequiredError,
    PdfFacts,
    inspect_pdf,
)
from backlog_app.storage.pdf_probe import PdfProbe, default_probe, probe_pdf
from tests.document_files import write_broken_xref_pdf, write_encrypted_pdf, write_pdf

HOG_LIMIT = 1024 * 1024 * 1024


def misbehave(path: Path, password: str | None) -> PdfFacts:
    """Runs in the child: acts out what a hostile PDF can do to qpdf, chosen by the file's name."""
    if path.stem == "hang":
        time.sleep(600)
    elif path.stem == "crash":
        os._exit(3)
    elif path.stem == "hog":
        import resource

        if resource.getrlimit(resource.RLIMIT_AS)[0] > HOG_LIMIT:
            raise RuntimeError("no memory limit in the child")  # never really allocate 4 GB
        bytearray(4 * HOG_LIMIT)
    return inspect_pdf(path, password)


@pytest.fixture(scope="module")
def probe() -> Iterator[PdfProbe]:
    """A probe with a short timeout; only the files named "hang" are meant to reach it."""
    probe = PdfProbe(timeout=2.0, memory_limit=HOG_LIMIT, probe=misbehave)
    yield probe
    probe.close()


def test_the_shared_probe_answers_like_qpdf_in_process(tmp_path: Path) -> None:
    plain = write_pdf(tmp_path / "plain.pdf", pages=3)
    repaired = write_broken_xref_pdf(tmp_path / "repaired.pdf", repairable=True)
    assert probe_pdf(plain) == inspect_pdf(plain) == PdfFacts(3, False, False)
    assert probe_pdf(repaired) == PdfFacts(2, False, True)

    broken = write_broken_xref_pdf(tmp_path / "broken.pdf", repairable=False)
    with pytest.raises(DocumentFileError) as caught:
        probe_pdf(broken)
    assert "damaged and could not be repaired" in caught.value.message
    assert caught.value.path == broken


def test_passwords_through_the_probe(tmp_path: Path) -> None:
    locked = write_encrypted_pdf(tmp_path / "eob.pdf", password="secret")
    with pytest.raises(PasswordRequiredError) as caught:
        probe_pdf(locked)
    assert not caught.value.wrong_password
    with pytest.raises(PasswordRequiredError) as caught:
        probe_pdf(locked, "wrong")
    assert caught.value.wrong_password
    assert probe_pdf(locked, "secret") == PdfFacts(2, True, False)


def test_one_child_serves_a_whole_batch(tmp_path: Path) -> None:
    probe_pdf(write_pdf(tmp_path / "first.pdf"))
    shared = default_probe()
    starts, pid = shared.starts, shared.pid
    for index in range(20):
        assert probe_pdf(write_pdf(tmp_path / f"{index}.pdf", pages=index + 1)).page_count == (
            index + 1
        )
    assert shared.starts == starts
    assert shared.pid == pid and shared.running


def test_a_pdf_that_hangs_is_refused_and_the_next_one_still_opens(
    probe: PdfProbe, tmp_path: Path
) -> None:
    hang = write_pdf(tmp_path / "hang.pdf")
    with pytest.raises(DocumentFileError) as caught:
        probe(hang)
    assert caught.value.message == (
        "“hang.pdf” was not added: it took too long to open; it may be damaged. "
        "Ask the sender for a new copy."
    )
    assert not probe.running  # killed, not left behind
    starts = probe.starts
    assert probe(write_pdf(tmp_path / "after.pdf", pages=2)).page_count == 2
    assert probe.starts == starts + 1


def test_a_pdf_that_crashes_the_child_is_refused(probe: PdfProbe, tmp_path: Path) -> None:
    with pytest.raises(DocumentFileError) as caught:
        probe(write_pdf(tmp_path / "crash.pdf"))
    assert "took too long to open; it may be damaged" in caught.value.message
    assert probe(write_pdf(tmp_path / "after.pdf")).page_count == 1


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_a_pdf_that_wants_too_much_memory_is_refused(probe: PdfProbe, tmp_path: Path) -> None:
    with pytest.raises(DocumentFileError) as caught:
        probe(write_pdf(tmp_path / "hog.pdf"))
    assert "needed too much memory" in caught.value.message
    # The child survived its MemoryError and keeps serving.
    starts = probe.starts
    assert probe(write_pdf(tmp_path / "after.pdf")).page_count == 1
    assert probe.starts == starts


def test_a_child_killed_while_idle_is_replaced(probe: PdfProbe, tmp_path: Path) -> None:
    probe(write_pdf(tmp_path / "warm.pdf"))
    assert probe._child is not None
    probe._child.process.kill()
    probe._child.process.wait()
    starts = probe.starts
    assert probe(write_pdf(tmp_path / "after.pdf", pages=4)).page_count == 4
    assert probe.starts == starts + 1


def test_close_stops_the_child_and_a_later_call_starts_one(tmp_path: Path) -> None:
    probe = PdfProbe(timeout=30)
    try:
        assert probe(write_pdf(tmp_path / "a.pdf")).page_count == 1
        assert probe.running
        probe.close()
        assert not probe.running
        assert probe(write_pdf(tmp_path / "b.pdf")).page_count == 1
        assert probe.starts == 2
    finally:
        probe.close()


def test_a_script_without_a_main_guard_can_use_the_probe(tmp_path: Path) -> None:
    """The child never re-runs the parent's main script (as multiprocessing's spawn would)."""
    pdf = write_pdf(tmp_path / "a.pdf", pages=2)
    script = (
        "from pathlib import Path\n"
        "from backlog_app.storage.pdf_probe import default_probe, probe_pdf\n"
        "print('top level ran')\n"
        f"print(probe_pdf(Path({str(pdf)!r})).page_count, default_probe().starts)\n"
    )
    result = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "top level ran\n2 1\n"
