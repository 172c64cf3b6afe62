"""`backlog doc add`, `backlog doc list` and `backlog check`, run as a user runs them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backlog_app.domain.documents import DocumentKind
from backlog_app.services.context import open_profile
from tests.document_files import (
    image_bytes,
    png_header_only,
    write_broken_xref_pdf,
    write_docx,
    write_encrypted_pdf,
    write_image,
    write_pdf,
    write_tiff,
    write_truncated_pdf,
)
from tests.e2e.test_cli import Backlog, Result


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


@pytest.fixture
def profile_root(tmp_path: Path) -> Path:
    """An empty, closed profile the commands can open."""
    root = tmp_path / "profile"
    open_profile(root, create=True).close()
    return root


def run_with_input(backlog: Backlog, stdin: str, *args: str | Path) -> Result:
    process = subprocess.run(
        [sys.executable, "-m", "backlog_app", *map(str, args)],
        env=backlog.env,
        cwd=backlog.cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Result(tuple(map(str, args)), process.returncode, process.stdout, process.stderr)


def test_help_and_usage_errors(backlog: Backlog, tmp_path: Path) -> None:
    helps: list[list[str | Path]] = [["doc", "add", "--help"], ["doc", "list", "--help"]]
    helps.append(["check", "--help"])
    usage_errors: list[list[str | Path]] = [
        ["doc"],
        ["doc", "add", "--kind", "receipt", tmp_path / "x.pdf"],
        ["check", "--fix"],
    ]
    results = backlog.run_all([*helps, *usage_errors])
    for result in results[: len(helps)]:
        assert (result.returncode, result.stderr) == (0, ""), result
        assert result.stdout.startswith("usage: backlog"), result
    add_help, list_help, check_help = (" ".join(r.stdout.split()) for r in results[:3])
    assert "usage: backlog doc add [-h] [--profile DIR]" in add_help
    for phrase in (
        "--kind KIND",
        "--date DATE",
        "--title TITLE",
        "--tag TAG",
        "--password-prompt",
        "Kinds: referral, prior_auth_request,",
        "nothing of it is stored",
    ):
        assert phrase in add_help, phrase
    assert "--search TEXT" in list_help and "--trash" in list_help
    assert "--repair" in check_help and "originals are never deleted" in check_help

    for result in results[len(helps) :]:
        assert result.returncode == 2, result
        assert "usage: backlog" in result.stderr and "Traceback" not in result.stderr, result
    kind_error = results[len(helps) + 1].error_lines[-1]
    assert kind_error.startswith(
        "backlog doc add: error: argument --kind: unknown kind “receipt”; choose one of: "
        "referral, prior_auth_request, approval, denial_letter, eob,"
    )
    assert kind_error.endswith("insurance_card, other")


def test_add_every_bad_input_refused_with_one_line_each(
    backlog: Backlog, profile_root: Path, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    good = [write_pdf(files / "referral.pdf", pages=2), write_tiff(files / "fax.tif", pages=3)]
    write_image(files / "IMG_0042.HEIC", "HEIF")
    write_broken_xref_pdf(files / "damaged fax.pdf", repairable=True)
    (files / "empty.pdf").write_bytes(b"")
    write_truncated_pdf(files / "half.pdf")
    write_broken_xref_pdf(files / "dead.pdf", repairable=False)
    write_encrypted_pdf(files / "locked.pdf")
    (files / "huge.png").write_bytes(png_header_only(20_000, 20_000))
    (files / "photo.pdf").write_bytes(image_bytes("JPEG"))
    write_docx(files / "letter.docx")
    (files / "link.pdf").symlink_to(good[0])
    (files / "folder").mkdir()
    bad_names = [
        "empty.pdf", "half.pdf", "dead.pdf", "locked.pdf", "huge.png", "photo.pdf",
        "letter.docx", "link.pdf", "folder", "missing.pdf",
    ]  # fmt: skip
    good_names = ["fax.tif", "IMG_0042.HEIC", "damaged fax.pdf"]
    args = [files / name for name in ["referral.pdf", *bad_names, *good_names]]

    result = backlog("--profile", profile_root, "doc", "add", *args)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "Added “referral.pdf” as document 1, 2 pages.",
        "Added “fax.tif” as document 2, 3 pages.",
        "Added “IMG_0042.HEIC” as document 3, 1 page.",
        "Added “damaged fax.pdf” as document 4, 2 pages.",
        "  It was damaged. It was added exactly as it is; BackLog repairs it on the fly to show "
        "and print it.",
        "Added 4 of 14 files.",
    ]
    assert len(result.error_lines) == len(bad_names), result.stderr
    for line, name in zip(result.error_lines, bad_names, strict=True):
        assert line.startswith(f"backlog: “{name}” was not added: "), line
    assert "--password-prompt" in result.error_lines[3]
    assert "does not exist" in result.error_lines[-1]
    with open_profile(profile_root, create=False) as profile:
        assert profile.documents.count() == 4
        assert len([p for p in profile.paths.vault.rglob("*") if p.is_file()]) == 4


def test_add_with_metadata_then_list_and_search(
    backlog: Backlog, profile_root: Path, tmp_path: Path
) -> None:
    added = backlog(
        "--profile", profile_root, "doc", "add", write_pdf(tmp_path / "letter.pdf"),
        "--kind", "denial-letter", "--date", "2026-03-04", "--title", "Denial of MRI",
        "--tag", "appeal", "--tag", "MRI",
    )  # fmt: skip
    assert (added.returncode, added.stderr) == (0, ""), added
    assert added.stdout == "Added “letter.pdf” as document 1, 1 page.\n"
    with open_profile(profile_root, create=False) as profile:
        info = profile.documents.get(1)
        assert (info.data.kind, info.data.title, info.data.tags) == (
            DocumentKind.DENIAL_LETTER,
            "Denial of MRI",
            ("appeal", "MRI"),
        )
        assert info.data.document_date == dt.date(2026, 3, 4)
        profile.importer.add(write_image(tmp_path / "IMG_0042.jpg", "JPEG"))
        profile.importer.add(write_pdf(tmp_path / "fax 2026.pdf", pages=2))
        profile.documents.trash(2)

    listing = backlog("--profile", profile_root, "doc", "list")
    search = backlog("--profile", profile_root, "doc", "list", "--search", "mri")
    trash = backlog("--profile", profile_root, "doc", "list", "--trash", "--kind", "other")
    for result in (listing, search, trash):
        assert (result.returncode, result.stderr) == (0, ""), result
    assert listing.stdout.splitlines() == [
        "ID  Date        Kind           Pages  Title",
        "1   2026-03-04  Denial letter  1      Denial of MRI",
        "3   -           Other          2      fax 2026",
    ]
    assert search.stdout.splitlines() == [
        "ID  Date        Kind           Pages  Title",
        "1   2026-03-04  Denial letter  1      Denial of MRI",
        "                                      Denial of [MRI]",
    ]
    assert trash.stdout.splitlines() == [
        "ID  Date  Kind   Pages  Title",
        "2   -     Other  1      IMG 0042",
    ]


def test_bad_dates_are_refused_before_anything_is_added(
    backlog: Backlog, profile_root: Path, tmp_path: Path
) -> None:
    pdf = write_pdf(tmp_path / "a.pdf")
    typo = backlog("--profile", profile_root, "doc", "add", pdf, "--date", "03/04/2026")
    future = backlog("--profile", profile_root, "doc", "add", pdf, "--date", "2999-01-01")
    for result in (typo, future):
        assert result.returncode == 1, result
        assert result.stdout == "" and len(result.error_lines) == 1, result
    assert typo.error_lines == [
        "backlog: “03/04/2026” is not a date written as YYYY-MM-DD (e.g. 2026-03-14)."
    ]
    assert "in the future" in future.stderr
    with open_profile(profile_root, create=False) as profile:
        assert profile.documents.count() == 0


def test_password_prompt_reads_standard_input_in_a_script(
    backlog: Backlog, profile_root: Path, tmp_path: Path
) -> None:
    locked = write_encrypted_pdf(tmp_path / "eob.pdf", password="s3cret")
    wrong = run_with_input(
        backlog, "a\nb\nc\n", "--profile", profile_root, "doc", "add", "--password-prompt", locked
    )
    assert wrong.returncode == 1, wrong
    assert wrong.error_lines == [
        "backlog: “eob.pdf” was not added: the password did not open it (3 tries). "
        "Check the letter or e-mail the PDF came with."
    ]
    right = run_with_input(
        backlog,
        "guess\ns3cret\n",
        "--profile", profile_root, "doc", "add", locked, "--password-prompt", "--remember-password",
    )  # fmt: skip
    assert (right.returncode, right.stderr) == (0, ""), right
    assert right.stdout == "Added “eob.pdf” as document 1, 2 pages.\n"
    with open_profile(profile_root, create=False) as profile:
        assert profile.documents.saved_password(1) == "s3cret"


def test_check_and_repair(backlog: Backlog, profile_root: Path, tmp_path: Path) -> None:
    with open_profile(profile_root, create=False) as profile:
        profile.importer.add(write_pdf(tmp_path / "a.pdf"))
        profile.importer.add(write_image(tmp_path / "b.jpg", "JPEG"))
        stored, title = profile.documents.file_path(1), profile.documents.get(1).data.title
    check = backlog("--profile", profile_root, "check")
    assert check.returncode == 1, check
    assert check.stdout.splitlines() == [
        "The database is in order.",
        "Checked 2 documents.",
        "2 thumbnails missing. `backlog check --repair` draws them again.",
    ]
    repair = backlog("--profile", profile_root, "check", "--repair")
    assert repair.returncode == 0, repair
    assert repair.stdout.splitlines() == [
        "The database is in order.",
        "Checked 2 documents.",
        "Rebuilt the search index.",
        "Drew 2 missing thumbnails.",
        "Everything is in order.",
    ]
    stored.chmod(0o644)
    stored.unlink()
    missing = backlog("check", "--repair", "--profile", profile_root)
    assert missing.returncode == 1, missing
    assert (
        f"Missing: the file of “{title}” (document 1) is not in the vault. Restore the profile "
        "folder from a backup, or add the original again."
    ) in missing.stdout.splitlines()


def test_commands_on_a_missing_or_empty_profile(
    backlog: Backlog, profile_root: Path, tmp_path: Path
) -> None:
    nowhere = tmp_path / "nowhere"
    missing_list, missing_add, empty = backlog.run_all(
        [
            ["--profile", nowhere, "doc", "list"],
            ["--profile", nowhere, "doc", "add", write_pdf(tmp_path / "a.pdf")],
            ["--profile", profile_root, "doc", "list", "--trash"],
        ]
    )
    for result in (missing_list, missing_add):
        assert result.returncode == 1, result
        assert result.error_lines == [
            f"backlog: There is no BackLog profile in {nowhere}. "
            "Create one with `backlog demo` or by starting the app."
        ], result
    assert not nowhere.exists()
    assert (empty.returncode, empty.stdout) == (0, "No documents in the trash.\n")
