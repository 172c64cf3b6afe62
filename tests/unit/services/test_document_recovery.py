"""Putting back a lost vault copy by adding the file again, and batches that survive one bad row."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from backlog_app.services import document_import
from backlog_app.services.context import ProfileSession
from backlog_app.services.document_import import DuplicateDocumentError
from backlog_app.storage.vault import sha256_of
from tests.document_files import write_image, write_pdf


def stored_path(profile: ProfileSession, document_id: int) -> Path:
    info = profile.documents.get(document_id)
    return profile.documents.vault.path_for(info.file.sha256, info.file.file_type)


def test_adding_a_file_again_puts_back_its_missing_copy(
    profile: ProfileSession, tmp_path: Path
) -> None:
    original = write_pdf(tmp_path / "mri.pdf", pages=2)
    document_id = profile.importer.add(original)
    stored = stored_path(profile, document_id)
    stored.chmod(0o644)
    stored.unlink()

    with pytest.raises(DuplicateDocumentError) as caught:
        profile.importer.add(original)

    assert caught.value.restored
    assert "put back" in caught.value.message
    assert sha256_of(stored) == sha256_of(original)
    assert profile.documents.file_path(document_id) == stored


def test_adding_a_file_again_replaces_a_damaged_copy(
    profile: ProfileSession, tmp_path: Path
) -> None:
    original = write_image(tmp_path / "card.png", "PNG")
    document_id = profile.importer.add(original)
    stored = stored_path(profile, document_id)
    stored.chmod(0o644)
    stored.write_bytes(b"not the picture any more")

    with pytest.raises(DuplicateDocumentError) as caught:
        profile.importer.add(original)

    assert caught.value.restored
    assert sha256_of(stored) == sha256_of(original)
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # read-only again (root ignores)


def test_adding_an_intact_file_again_only_names_the_existing_document(
    profile: ProfileSession, tmp_path: Path
) -> None:
    original = write_pdf(tmp_path / "eob.pdf")
    profile.importer.add(original)
    with pytest.raises(DuplicateDocumentError) as caught:
        profile.importer.add(original)
    assert not caught.value.restored
    assert "put back" not in caught.value.message


def test_a_row_that_cannot_be_written_costs_only_its_own_file(
    profile: ProfileSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [write_pdf(tmp_path / f"letter-{n}.pdf", marker=f"letter {n}") for n in range(4)]
    real_insert = document_import._insert
    bad_sha = sha256_of(paths[2])

    def insert(session: Any, inspection: Any, data: Any, password: Any) -> int:
        if inspection.sha256 == bad_sha:
            raise ValueError("a bug while writing this row")
        return real_insert(session, inspection, data, password)

    monkeypatch.setattr(document_import, "_insert", insert)

    report = profile.importer.add_files(paths)

    assert sorted(path.name for path in report.added_files) == [
        "letter-0.pdf",
        "letter-1.pdf",
        "letter-3.pdf",
    ]
    assert [error.path.name for error in report.refused] == ["letter-2.pdf"]
    assert "could not record it" in report.refused[0].message
    # Its copy is not left behind without a record.
    assert not profile.documents.vault.has(
        bad_sha, profile.documents.get(report.added[0]).file.file_type
    )
