"""`backlog export`: the packet written by the real command, checked with qpdf and poppler.

The command uses the real clock, so the profile here is made with it too. It is small on purpose
(a month of check-ins, one case, four documents): the demo's packet is looked at elsewhere, and
every export here starts a Python process. Exports that share no profile run side by side, on
copies of the one profile.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from backlog_app.domain.cases import CaseData, CaseEventData, DenialReason, EventType, Procedure
from backlog_app.domain.documents import DocumentData, DocumentKind, LinkTarget
from backlog_app.domain.log_records import CheckInData
from backlog_app.domain.packet import PacketIdentity
from backlog_app.domain.records import PatientData, PlanData, PlanType
from backlog_app.domain.sizes import file_size_text
from backlog_app.services.context import open_profile
from backlog_app.settings import SETTINGS_FILE, SettingsStore
from tests.document_files import write_encrypted_pdf
from tests.e2e.test_cli import Backlog, Result

PATIENT = PatientData("Ana Reyes", dt.date(1961, 3, 2), phone="614-555-0100")
MEMBER_ID = "XJH123456"
CASE_REFERENCE = "A-2026-118"
LETTER_POINTS = (612.0, 792.0)
A4_POINTS = (595.276, 841.89)
WROTE = re.compile(r"Wrote (?P<path>.+): (?P<pages>\d+) pages?, (?P<size>[\d,.]+ (?:MB|KB))")
STAMP = re.compile(r"Page (\d+) of (\d+)")

# The attached PDFs carry these on their pages, so the packet's text shows where each one went.
DENIAL_MARKS = ("DENIALSHEET1", "DENIALSHEET2", "DENIALSHEET3")
EOB_MARKS = ("EOBSHEET1", "EOBSHEET2")


@dataclass(frozen=True)
class Sample:
    """The small profile and what a packet of it must show."""

    root: Path
    case_id: int
    locked_id: int

    @property
    def whole_identity(self) -> str:
        return PacketIdentity(PATIENT.full_name, PATIENT.date_of_birth, MEMBER_ID).header_line()

    @property
    def case_identity(self) -> str:
        return PacketIdentity(
            PATIENT.full_name, PATIENT.date_of_birth, MEMBER_ID, CASE_REFERENCE
        ).header_line()


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


def days_ago(count: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=count)


def marked_pdf(path: Path, marks: tuple[str, ...]) -> Path:
    """A Letter PDF with one page per mark, the mark printed large on it."""
    sheet = canvas.Canvas(str(path), pagesize=LETTER_POINTS, invariant=True)
    for mark in marks:
        sheet.setFont("Helvetica", 28)
        sheet.drawString(72, 600, mark)
        sheet.showPage()
    sheet.save()
    return path


def scan_jpeg(path: Path) -> Path:
    """A phone-photo-like scan: 850 × 1100 pixels of grey paper with dark lines of "text"."""
    image = Image.new("L", (850, 1100), 235)
    draw = ImageDraw.Draw(image)
    for row in range(20):
        draw.rectangle((80, 120 + row * 45, 80 + 300 + (row * 37) % 400, 140 + row * 45), 40)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, dpi=(100, 100))
    path.write_bytes(buffer.getvalue())
    return path


def make_sample(root: Path, files: Path) -> Sample:
    """A patient with one plan, one denied case and four documents: three linked to the case
    (a 3-page denial letter, a scanned MRI report, a locked PDF whose password BackLog does not
    keep) and an old 2-page EOB linked to nothing."""
    files.mkdir()
    with open_profile(root, create=True) as profile:
        profile.patient.save(PATIENT)
        plan = profile.plans.add(
            PlanData(
                "Buckeye Mutual Health",
                PlanType.EMPLOYER_PPO,
                plan_name="Choice PPO 1500",
                member_id=MEMBER_ID,
                appeals_address="PO Box 1200\nColumbus, OH 43216",
                appeals_fax="614-555-0199",
            )
        )
        case_id = profile.cases.add(
            CaseData(
                Procedure.MICRODISCECTOMY,
                procedure_detail="L4-L5 left",
                plan_id=plan,
                reference_number=CASE_REFERENCE,
            )
        )
        profile.cases.add_event(
            CaseEventData(
                case_id,
                EventType.DENIED,
                days_ago(20),
                received_date=days_ago(18),
                reason=DenialReason.NOT_MEDICALLY_NECESSARY,
            )
        )
        for day in range(40):
            pain = 4 + day % 4
            profile.log.check_ins.save(
                CheckInData(
                    days_ago(day),
                    pain_now=pain,
                    pain_average=pain,
                    pain_worst=min(10, pain + 2),
                    peg_enjoyment=pain,
                    peg_activity=pain - 1,
                    notes="walked 20 minutes" if day % 5 == 0 else None,
                )
            )
        importer = profile.importer
        denial = importer.add(
            marked_pdf(files / "denial.pdf", DENIAL_MARKS),
            DocumentData(DocumentKind.DENIAL_LETTER, "Denial of microdiscectomy", days_ago(20)),
        )
        mri = importer.add(
            scan_jpeg(files / "mri.jpg"),
            DocumentData(DocumentKind.IMAGING_REPORT, "Lumbar MRI report", days_ago(12)),
        )
        locked = importer.add(
            write_encrypted_pdf(files / "locked.pdf", password="s3cret"),
            DocumentData(DocumentKind.CORRESPONDENCE, "Letter from the plan", days_ago(5)),
            password="s3cret",  # checked at import, not kept: the packet cannot open it
        )
        importer.add(
            marked_pdf(files / "eob.pdf", EOB_MARKS),
            DocumentData(DocumentKind.EOB, "Old explanation of benefits", days_ago(200)),
        )
        for document_id in (denial, mri, locked):
            profile.documents.link(document_id, LinkTarget.CASE, case_id)
    return Sample(root, case_id, locked)


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    return make_sample(tmp_path / "sample", tmp_path / "sample-files")


def copies(sample: Sample, count: int) -> list[Path]:
    """``count`` copies of the closed profile: one command at a time may hold a profile."""
    folders = []
    for number in range(count):
        folder = sample.root.with_name(f"{sample.root.name}-{number}")
        shutil.copytree(sample.root, folder, ignore=shutil.ignore_patterns("*.lock", "logs"))
        folders.append(folder)
    return folders


# --- reading the packet -----------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    """Each page's text (pdftotext), whitespace folded to single spaces."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    pages = done.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return [" ".join(page.split()) for page in pages]


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Every page's (width, height) in points, as pdfinfo reports it."""
    done = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", done.stdout, re.MULTILINE)
    return [(float(width), float(height)) for width, height in sizes]


def check_packet(result: Result, out: Path, identity: str) -> list[str]:
    """The command said what it wrote; the file is clean and every page carries the identity
    line and its own "Page X of Y". Returns the pages' text."""
    assert result.returncode == 0, result
    assert result.stderr == "", result
    wrote = WROTE.fullmatch(result.stdout.splitlines()[0])
    assert wrote, result.stdout
    assert Path(wrote["path"]) == out
    assert wrote["size"] == file_size_text(out.stat().st_size)

    checked = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout

    texts = page_texts(out)
    total = int(wrote["pages"])
    assert len(texts) == total == len(page_sizes(out))
    for number, text in enumerate(texts, start=1):
        assert identity in text, (number, text[:300])
        # Our stamp is the one "Page X of Y" on the page (the samples print none of their own).
        assert STAMP.findall(text) == [(str(number), str(total))], (number, text[-300:])
    return texts


def pages_with(texts: list[str], mark: str) -> list[int]:
    return [number for number, text in enumerate(texts, start=1) if mark in text]


def one_after_the_other(texts: list[str], marks: tuple[str, ...]) -> None:
    """Each mark is on exactly one page, and the pages follow each other in order."""
    found = [pages_with(texts, mark) for mark in marks]
    assert all(len(pages) == 1 for pages in found), found
    first = found[0][0]
    assert [pages[0] for pages in found] == list(range(first, first + len(marks)))


# --- the tests --------------------------------------------------------------------------------


def test_export_writes_the_packet(backlog: Backlog, sample: Sample, tmp_path: Path) -> None:
    whole_profile, case_profile, bare_profile, since_profile, a4_profile = copies(sample, 5)
    out = tmp_path / "out"
    out.mkdir()
    case = str(sample.case_id)
    whole, by_case, bare, since, a4 = backlog.run_all(
        [
            ["--profile", whole_profile, "export", "--out", out / "whole.pdf"],
            ["export", "--profile", case_profile, "--case", case, "--out", out / "case.pdf"],
            ["--profile", bare_profile, "export", "--no-documents", "--out", out / "bare.pdf"],
            [
                "--profile", since_profile, "export", "--out", out / "since.pdf",
                "--since", days_ago(30).isoformat(), "--until", dt.date.today().isoformat(),
            ],
            [
                "--profile", a4_profile, "export", "--case", case, "--page-size", "A4",
                "--out", out / "a4.pdf",
            ],
        ]
    )  # fmt: skip

    whole_texts = check_packet(whole, out / "whole.pdf", sample.whole_identity)
    case_texts = check_packet(by_case, out / "case.pdf", sample.case_identity)
    bare_texts = check_packet(bare, out / "bare.pdf", sample.whole_identity)
    since_texts = check_packet(since, out / "since.pdf", sample.whole_identity)
    a4_texts = check_packet(a4, out / "a4.pdf", sample.case_identity)

    # The whole record attaches every document; the locked one is replaced by a page saying
    # so, and the command names it on a line of its own.
    one_after_the_other(whole_texts, DENIAL_MARKS)
    one_after_the_other(whole_texts, EOB_MARKS)
    for result in (whole, by_case, since, a4):
        lines = result.stdout.splitlines()
        assert len(lines) == 2, result
        assert "“Letter from the plan”" in lines[1], result
        assert f"(document {sample.locked_id})" in lines[1], result
    assert any("Letter from the plan" in text for text in whole_texts)

    # The case's packet: only the documents linked to it (the old EOB is not).
    one_after_the_other(case_texts, DENIAL_MARKS)
    assert not any(pages_with(case_texts, mark) for mark in EOB_MARKS)
    # The date range leaves out the EOB dated before it; the denial letter is inside it.
    one_after_the_other(since_texts, DENIAL_MARKS)
    assert not any(pages_with(since_texts, mark) for mark in EOB_MARKS)
    assert len(since_texts) < len(whole_texts)

    # Without documents: BackLog's own pages only, several pages fewer.
    assert bare.stdout.count("\n") == 1, bare
    assert not any(pages_with(bare_texts, mark) for mark in (*DENIAL_MARKS, *EOB_MARKS))
    attached_pdf_pages = len(DENIAL_MARKS) + len(EOB_MARKS) + 1  # and the scan
    assert len(bare_texts) <= len(whole_texts) - attached_pdf_pages

    # Letter by default, A4 when asked; the same case packet on either paper.
    assert {size for size in page_sizes(out / "whole.pdf")} == {LETTER_POINTS}
    assert {size for size in page_sizes(out / "case.pdf")} == {LETTER_POINTS}
    assert {size for size in page_sizes(out / "a4.pdf")} == {A4_POINTS}
    one_after_the_other(a4_texts, DENIAL_MARKS)
    assert sorted(path.name for path in out.iterdir()) == [
        "a4.pdf",
        "bare.pdf",
        "case.pdf",
        "since.pdf",
        "whole.pdf",
    ]


def test_the_paper_saved_in_the_settings_is_the_default(
    backlog: Backlog, sample: Sample, tmp_path: Path
) -> None:
    config = tmp_path / "config-a4"
    SettingsStore(config / SETTINGS_FILE).update(packet_page_size="a4")
    with_a4 = Backlog({**backlog.env, "BACKLOG_CONFIG_DIR": str(config)}, backlog.cwd)
    first, second = copies(sample, 2)
    saved, overridden = with_a4.run_all(
        [
            ["--profile", first, "export", "--no-documents", "--out", tmp_path / "a4.pdf"],
            [
                "--profile", second, "export", "--no-documents", "--page-size", "letter",
                "--out", tmp_path / "letter.pdf",
            ],
        ]
    )  # fmt: skip
    check_packet(saved, tmp_path / "a4.pdf", sample.whole_identity)
    check_packet(overridden, tmp_path / "letter.pdf", sample.whole_identity)
    assert set(page_sizes(tmp_path / "a4.pdf")) == {A4_POINTS}
    assert set(page_sizes(tmp_path / "letter.pdf")) == {LETTER_POINTS}


def test_problems_are_one_plain_line_and_write_nothing(
    backlog: Backlog, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a-folder.pdf").mkdir()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    profile: list[str | Path] = ["--profile", sample.root, "export"]
    # Only the unknown case opens the profile; every other problem is found before that.
    results = backlog.run_all(
        [
            [*profile, "--case", "99", "--out", out / "p.pdf"],
            [*profile, "--since", tomorrow, "--out", out / "p.pdf"],
            [*profile, "--since", "2025-06-01", "--until", "2025-01-01", "--out", out / "p.pdf"],
            [*profile, "--out", out / "no-such-folder" / "p.pdf"],
            [*profile, "--out", out / "a-folder.pdf"],
            [*profile, "--out", out],
            [*profile, "--out", out / "packet.docx"],
            ["--profile", tmp_path / "nowhere", "export", "--out", out / "p.pdf"],
        ]
    )
    for result in results:
        assert result.returncode == 1, result
        assert result.stdout == "", result
        assert len(result.error_lines) == 1, result
        assert result.stderr.startswith("backlog: "), result
        assert "Traceback" not in result.stderr
    messages = [result.stderr.strip() for result in results]
    unknown, future, swapped, no_folder, folder, bare_folder, not_pdf, no_profile = messages
    assert unknown == (
        "backlog: There is no case 99; `backlog cases` lists the cases with their IDs."
    )
    assert "is in the future" in future
    assert "The start date is after the end date; please swap them." in swapped
    assert no_folder == (
        f"backlog: The folder {out / 'no-such-folder'} does not exist; create it first or "
        "choose another place."
    )
    assert folder.startswith(f"backlog: {out / 'a-folder.pdf'} is a folder; give a file name")
    assert bare_folder.startswith(f"backlog: {out} is a folder; give a file name")
    assert not_pdf == "backlog: Give the packet a file name ending in .pdf, not “packet.docx”."
    assert (
        no_profile
        == f"backlog: There is no BackLog profile in {tmp_path / 'nowhere'}. Create one with `backlog demo` or by starting the app."
    )
    assert sorted(path.name for path in out.iterdir()) == [
        "a-folder.pdf"
    ]  # nothing written, no partial file


def test_help_and_usage_errors(backlog: Backlog, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    usage_errors: list[list[str | Path]] = [
        ["export"],  # --out is required
        ["export", "--out", out, "--case", "first"],
        ["export", "--out", out, "--case", "0"],
        ["export", "--out", out, "--since", "2026-13-01"],
        ["export", "--out", out, "--until", "yesterday"],
        ["export", "--out", out, "--page-size", "legal"],
        ["export", "--out", out, "--no-documents=yes"],
        ["export", "--out", out, "extra"],
    ]
    helped, *errors = backlog.run_all([["export", "--help"], *usage_errors])
    assert (helped.returncode, helped.stderr) == (0, ""), helped
    assert helped.stdout.startswith(
        "usage: backlog export [-h] [--profile DIR] [-v] --out FILE.pdf [--case ID]"
    )
    words = " ".join(helped.stdout.split())
    assert "--page-size {letter,a4}" in words and "docs/packet.md" in words
    for result in errors:
        assert result.returncode == 2, result
        assert result.stdout == "", result
        assert result.stderr.startswith("usage: backlog"), result
        assert "Traceback" not in result.stderr
    assert "“2026-13-01” is not a date written as YYYY-MM-DD" in errors[3].stderr
    assert "“first” is not a case ID" in errors[1].stderr
    assert not out.exists()
