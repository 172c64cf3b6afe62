"""Data files with documents: the files travel beside the JSON (NAME.files/) or inside a zip."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backlog_app.errors import Cancelled, DataFileError, UserError, ValidationError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.documents import DocumentFilter
from backlog_app.services.interchange import (
    codec,
    data_files_for,
    export_data,
    export_to_file,
    import_data,
    read_data_file,
    write_data_file,
)
from backlog_app.services.interchange.codec import check_document
from backlog_app.services.interchange.files import FolderFiles, VaultFiles, ZipFiles
from backlog_app.services.progress import Progress

Document = dict[str, Any]


@pytest.fixture(autouse=True)
def private_temp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of this test's own, to see what an import leaves in it."""
    folder = tmp_path_factory.mktemp("system-temp")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def target(tmp_path: Path, today: Any) -> Iterator[ProfileSession]:
    """A second, empty profile to import into."""
    session = open_profile(tmp_path / "target", create=True, clock=lambda: today)
    yield session
    session.close()


def folder_listing(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def import_from(target: ProfileSession, path: Path, progress: Progress | None = None) -> Any:
    return import_data(target, read_data_file(path), progress, files=data_files_for(path))


def assert_untouched(target: ProfileSession) -> None:
    assert target.is_empty()
    assert not list(target.documents.vault.entries())
    assert not list(target.paths.root.glob(".import-*"))
    assert not list(Path(tempfile.gettempdir()).glob("backlog-import-*"))  # scratch removed


def test_export_writes_the_files_beside_the_json(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "backlog-data.json"
    out.parent.mkdir()
    result = export_to_file(demo_profile, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    folder = out.parent / "backlog-data.files"
    assert result.files_folder == folder and result.file_count == 10
    expected = {
        f"{d['sha256']}{'.jpg' if d['file_type'] == 'jpeg' else '.' + d['file_type']}"
        for d in document["documents"]
    }
    assert set(folder_listing(folder)) == expected
    for row in demo_profile.documents.list():
        stored = demo_profile.documents.file_path(row.info.id)
        assert (folder / stored.name).read_bytes() == stored.read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "backlog-data.files",
        "backlog-data.json",
    ]
    assert "10 document files" in result.describe()


def test_round_trip_through_a_folder_gives_the_same_file_and_files(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    # A document in the trash travels too, with its trash date.
    trashed = demo_profile.documents.list()[0].info.id
    demo_profile.documents.trash(trashed)
    first = tmp_path / "one" / "data.json"
    first.parent.mkdir()
    export_to_file(demo_profile, first)

    counts = import_from(target, first)
    assert counts["documents"] == 10 and counts["document_texts"] == 8

    second = tmp_path / "two" / "data.json"
    second.parent.mkdir()
    export_to_file(target, second)
    assert second.read_bytes() == first.read_bytes()
    assert folder_listing(tmp_path / "two" / "data.files") == folder_listing(
        tmp_path / "one" / "data.files"
    )
    assert target.documents.get(trashed).in_trash


def test_imported_documents_can_be_searched(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    out = tmp_path / "data.json"
    export_to_file(demo_profile, out)
    import_from(target, out)
    hits = target.documents.list(DocumentFilter(text="paracentral extrusion"))
    assert [hit.info.data.title for hit in hits] == ["MRI lumbar spine report"]
    assert target.documents.list(DocumentFilter(text="lumbar spine", tag="MRI"))
    # and the files open from the new profile's own vault
    for row in target.documents.list():
        assert target.documents.file_path(row.info.id).is_relative_to(target.paths.vault)


def test_round_trip_through_a_zip_gives_the_same_zip(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    first = tmp_path / "backlog.zip"
    result = export_to_file(demo_profile, first)
    assert result.files_folder is None and result.file_count == 10
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
    assert names[0] == "data.json"
    assert sorted(names[1:]) == sorted(f"files/{name}" for name in _names(data))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backlog.zip", "demo-profile", "target"]

    import_from(target, first)
    second = tmp_path / "again.zip"
    export_to_file(target, second)
    assert second.read_bytes() == first.read_bytes()


def test_a_zip_is_recognised_by_its_content(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    made = tmp_path / "backlog.zip"
    export_to_file(demo_profile, made)
    renamed = made.rename(tmp_path / "backlog-data")
    assert isinstance(data_files_for(renamed), ZipFiles)
    assert import_from(target, renamed)["documents"] == 10


def _names(document: Document) -> list[str]:
    extension = {"pdf": ".pdf", "jpeg": ".jpg", "heic": ".heic"}
    return [d["sha256"] + extension[d["file_type"]] for d in document["documents"]]


# -- bad input: nothing is written --------------------------------------------------------------


@pytest.fixture
def exported(demo_profile: ProfileSession, tmp_path: Path) -> Path:
    """The demo exported with its files, its diary cut to a week (the schema check is faster)."""
    out = tmp_path / "export" / "data.json"
    out.parent.mkdir()
    export_to_file(demo_profile, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    document["check_ins"] = document["check_ins"][:7]
    kept = {check_in["id"] for check_in in document["check_ins"]}
    document["check_in_doses"] = [d for d in document["check_in_doses"] if d["check_in_id"] in kept]
    write_data_file(out, document)
    return out


def first_file(exported: Path) -> tuple[Document, Path]:
    document = json.loads(exported.read_text(encoding="utf-8"))
    return document["documents"][0], exported.with_suffix(".files") / _names(document)[0]


def test_a_missing_file_is_named_and_nothing_is_written(
    exported: Path, target: ProfileSession
) -> None:
    record, path = first_file(exported)
    path.unlink()
    with pytest.raises(
        DataFileError, match=f"“{re.escape(record['title'])}”.*{path.name}.*is missing"
    ):
        import_from(target, exported)
    assert_untouched(target)


def test_a_file_whose_hash_differs_is_refused(exported: Path, target: ProfileSession) -> None:
    record, path = first_file(exported)
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF  # same size, one byte changed
    path.write_bytes(bytes(content))
    with pytest.raises(DataFileError, match=f"“{re.escape(record['title'])}”.*is damaged"):
        import_from(target, exported)
    assert_untouched(target)


def test_a_file_of_another_size_is_refused(exported: Path, target: ProfileSession) -> None:
    _record, path = first_file(exported)
    path.write_bytes(path.read_bytes() + b"more")
    with pytest.raises(DataFileError, match="is damaged"):
        import_from(target, exported)
    assert_untouched(target)


def test_a_file_of_another_type_is_refused(exported: Path, target: ProfileSession) -> None:
    document = json.loads(exported.read_text(encoding="utf-8"))
    pdf = next(d for d in document["documents"] if d["file_type"] == "pdf")
    folder = exported.with_suffix(".files")
    (folder / f"{pdf['sha256']}.pdf").rename(folder / f"{pdf['sha256']}.png")
    pdf["file_type"] = "png"  # an edited file: the hash matches, the type does not
    write_data_file(exported, document)
    with pytest.raises(DataFileError, match="is not the PNG image the data file says"):
        import_from(target, exported)
    assert_untouched(target)


@pytest.mark.parametrize(
    "sha256",
    ["../../../../etc/passwd", "/etc/passwd", "..", "A" * 64, "0" * 63, "0" * 64 + "/x"],
)
def test_a_path_in_place_of_a_hash_is_refused_by_the_schema(
    exported: Path, target: ProfileSession, sha256: str
) -> None:
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["documents"][0]["sha256"] = sha256
    with pytest.raises(DataFileError, match="documents/0/sha256"):
        check_document(document)
    exported.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataFileError, match="documents/0/sha256"):
        read_data_file(exported)
    assert_untouched(target)


def test_a_data_file_without_its_files_is_refused(
    demo_profile: ProfileSession, target: ProfileSession
) -> None:
    with pytest.raises(DataFileError, match="lists 10 documents, but not where their files are"):
        import_data(target, export_data(demo_profile))
    assert_untouched(target)


def test_a_zip_missing_a_file_is_refused(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    full = tmp_path / "full.zip"
    export_to_file(demo_profile, full)
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(cut, "w") as archive:
        for name in source.namelist()[:-1]:
            archive.writestr(name, source.read(name))
    with pytest.raises(DataFileError, match=r"is missing from the zip file “cut\.zip”"):
        import_from(target, cut)
    assert_untouched(target)


def test_a_damaged_zip_is_refused(
    demo_profile: ProfileSession, target: ProfileSession, tmp_path: Path
) -> None:
    made = tmp_path / "backlog.zip"
    export_to_file(demo_profile, made)
    content = bytearray(made.read_bytes())
    content[len(content) // 2] ^= 0xFF  # inside a stored document file: its CRC fails
    made.write_bytes(bytes(content))
    with pytest.raises(DataFileError, match="is damaged"):
        import_from(target, made)
    assert_untouched(target)


def test_old_data_files_without_documents_still_import(
    demo_profile: ProfileSession, target: ProfileSession
) -> None:
    document = export_data(demo_profile)
    for key in ("documents", "document_tags", "document_links", "document_texts"):
        del document[key]
    check_document(document)
    counts = import_data(target, document)
    assert counts["documents"] == 0 and counts["treatments"] > 0
    assert target.documents.count() == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["document_links"][0].update(treatment_id=9999), "points at a record"),
        (lambda d: d["document_tags"][0].update(document_id=9999), "points at a record"),
        (lambda d: d["document_links"][-1].update(course_id=1), "exactly one record"),
        (lambda d: d["document_tags"][0].update(tag="a, b"), "comma"),
        (lambda d: d["documents"][1].update(sha256=d["documents"][0]["sha256"]), "sha256"),
        (lambda d: d["documents"][0].update(title=" "), "title"),
    ],
)
def test_document_records_breaking_a_rule_are_refused(
    demo_profile: ProfileSession, target: ProfileSession, edit: Any, message: str
) -> None:
    document = export_data(demo_profile)
    edit(document)
    check_document(document)
    with pytest.raises(ValidationError, match=message):
        import_data(target, document, files=VaultFiles(demo_profile.documents.vault))
    assert_untouched(target)


def test_files_are_removed_when_the_records_fail(
    exported: Path, target: ProfileSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(codec, "reindex", broken)
    with pytest.raises(OSError, match="disk full"):
        import_from(target, exported)
    assert_untouched(target)


def test_cancel_while_copying_leaves_nothing(exported: Path, target: ProfileSession) -> None:
    class CancelWhileCopying(Progress):
        def report(self, done: int, total: int, label: str = "") -> None:
            if label == "Copying document files" and done > 0:
                self.cancel()
            super().report(done, total, label)

    with pytest.raises(Cancelled):
        import_from(target, exported, CancelWhileCopying())
    assert_untouched(target)


# -- export refusals ---------------------------------------------------------------------------


def _vault_file(profile: ProfileSession) -> tuple[str, Path]:
    info = profile.documents.list()[0].info
    path = profile.documents.file_path(info.id)
    path.chmod(0o644)
    return info.data.title, path


def test_export_refuses_when_a_file_is_missing_from_the_vault(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    title, path = _vault_file(demo_profile)
    path.unlink()
    for out in (tmp_path / "data.json", tmp_path / "data.zip"):
        with pytest.raises(UserError, match=f"“{re.escape(title)}” is missing"):
            export_to_file(demo_profile, out)
    assert list(tmp_path.iterdir()) == [tmp_path / "demo-profile"]


@pytest.mark.parametrize("name", ["data.json", "data.zip"])
def test_export_refuses_a_damaged_vault_file(
    demo_profile: ProfileSession, tmp_path: Path, name: str
) -> None:
    title, path = _vault_file(demo_profile)
    content = bytearray(path.read_bytes())
    content[-10] ^= 0xFF
    path.write_bytes(bytes(content))
    out = tmp_path / "out" / name
    out.parent.mkdir()
    with pytest.raises(UserError, match=f"“{re.escape(title)}”.*is damaged"):
        export_to_file(demo_profile, out)
    assert not out.exists()
    leftovers = [p for p in out.parent.rglob("*") if p.is_file()]
    assert all(not p.name.endswith(".partial") for p in leftovers)


def test_a_second_export_drops_files_no_longer_listed(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    out = tmp_path / "data.json"
    export_to_file(demo_profile, out)
    gone = demo_profile.documents.list()[0].info
    demo_profile.documents.trash(gone.id)
    demo_profile.documents.delete_forever(gone.id)
    export_to_file(demo_profile, out)
    names = set(folder_listing(tmp_path / "data.files"))
    assert len(names) == 9
    assert not any(name.startswith(gone.file.sha256) for name in names)


def test_export_will_not_mix_with_someone_elses_folder(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    folder = tmp_path / "data.files"
    folder.mkdir()
    (folder / "my notes.txt").write_text("mine")
    with pytest.raises(UserError, match="already holds files BackLog did not put there"):
        export_to_file(demo_profile, tmp_path / "data.json")
    assert not (tmp_path / "data.json").exists()
    assert [p.name for p in folder.iterdir()] == ["my notes.txt"]


def test_a_files_folder_name_is_refused_for_the_data_file(
    demo_profile: ProfileSession, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match=r"ending in \.json or \.zip"):
        export_to_file(demo_profile, tmp_path / "data.files")


def test_a_profile_without_documents_writes_no_folder(
    profile: ProfileSession, tmp_path: Path
) -> None:
    result = export_to_file(profile, tmp_path / "data.json")
    assert result.files_folder is None and result.file_count == 0
    assert [p.name for p in tmp_path.iterdir()] == ["data.json", "profile"]
    assert isinstance(data_files_for(tmp_path / "data.json"), FolderFiles)
