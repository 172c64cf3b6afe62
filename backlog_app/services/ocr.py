"""Text recognition (OCR) of page images with the Tesseract program, when it is installed.

Tesseract is a separate program, optional at run time. It is run directly (as pytesseract does)
so that it can be given one thread: with OpenMP's default of one thread per core it was 2.5 times
slower per page on a two-core machine, and a background job should leave the other cores alone.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger("backlog.documents.text")

OCR_INSTALL_HINT = (
    "Scanned pages and photos are read with Tesseract, a free text-recognition program that is "
    "not installed on this computer. Until it is, BackLog keeps your scans but cannot search "
    "their words.\n"
    "To install it:\n"
    "• Debian or Ubuntu: open a terminal and type  sudo apt-get install tesseract-ocr\n"
    "• macOS: install Homebrew (brew.sh), then type  brew install tesseract\n"
    "• Windows: download the Tesseract installer from the University of Mannheim "
    "(github.com/UB-Mannheim/tesseract/wiki) and run it.\n"
    "Then restart BackLog: it reads the waiting scans in the background."
)

# Where installers put the program when it is not on PATH (apps started from the macOS Finder
# or the Windows Start menu often do not see Homebrew's or the installer's folder).
KNOWN_LOCATIONS = (
    Path("/opt/homebrew/bin/tesseract"),
    Path("/usr/local/bin/tesseract"),
    Path(r"C:\Program Files\Tesseract-OCR\tesseract.exe"),
    Path(r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe"),
)
PREFERRED_LANGUAGE = "eng"
LIST_TIMEOUT_SECONDS = 15
# Far longer than a page takes (1-4 s); only a stuck program reaches it.
PAGE_TIMEOUT_SECONDS = 300


class OcrError(Exception):
    """Tesseract failed on a page (its message is logged, never shown)."""


@dataclass(frozen=True, slots=True)
class OcrEngine:
    """An installed Tesseract and the language it reads in."""

    command: str
    language: str

    def read(self, image: Image.Image) -> str:
        """The text Tesseract finds in ``image`` (empty when none).

        Raises:
            OcrError: Tesseract reported an error.
            subprocess.TimeoutExpired: it ran longer than PAGE_TIMEOUT_SECONDS (it is stopped).
        """
        with tempfile.TemporaryDirectory(prefix="backlog-ocr-") as folder:
            source = Path(folder) / ("page.pgm" if image.mode == "L" else "page.ppm")
            # Uncompressed PNM: written and read faster than PNG; Leptonica reads it.
            (image if image.mode in ("L", "RGB") else image.convert("RGB")).save(source, "PPM")
            completed = subprocess.run(
                [self.command, str(source), "stdout", "-l", self.language],
                capture_output=True,
                timeout=PAGE_TIMEOUT_SECONDS,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                check=False,
                **_quiet(),
            )
        output: bytes = completed.stdout
        if completed.returncode != 0:
            raise OcrError(_last_line(completed.stderr) or f"exit status {completed.returncode}")
        return output.decode("utf-8", errors="replace")


def tesseract_command() -> str | None:
    """Where the tesseract program is, or None when it is not installed."""
    found = shutil.which("tesseract")
    if found:
        return found
    for location in KNOWN_LOCATIONS:
        if location.is_file():
            return str(location)
    return None


def find_ocr() -> OcrEngine | None:
    """The installed Tesseract, ready to use, or None (not installed, broken, or no language)."""
    command = tesseract_command()
    if command is None:
        return None
    try:
        completed = subprocess.run(
            [command, "--list-langs"],
            capture_output=True,
            timeout=LIST_TIMEOUT_SECONDS,
            check=False,
            **_quiet(),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("tesseract does not run: %s", exc.__class__.__name__)
        return None
    # Tesseract 5 lists on stdout, older versions on stderr; the first line is a heading.
    output = (completed.stdout + completed.stderr).decode("utf-8", errors="replace")
    languages = [
        line.strip()
        for line in output.splitlines()[1:]
        if line.strip() and " " not in line.strip() and line.strip() != "osd"
    ]
    if not languages:
        log.info("tesseract has no language data")
        return None
    language = PREFERRED_LANGUAGE if PREFERRED_LANGUAGE in languages else languages[0]
    return OcrEngine(command, language)


def ocr_available() -> bool:
    """True when Tesseract is installed with a language to read (checked afresh each time)."""
    return find_ocr() is not None


def _quiet() -> dict[str, Any]:
    """On Windows, start the program without flashing a console window."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NO_WINDOW}
    return {}


def _last_line(output: bytes) -> str:
    lines = output.decode("utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else ""
