"""The packet as a whole: checked by the tools a reviewer's office uses (qpdf, pdftotext).

One packet of the demo profile's surgery case is written per module, with extra documents of
every awkward kind linked to the case: a locked PDF, a landscape page, a page turned by /Rotate,
a PDF whose text touches the top edge, and a 300 dpi scan.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from backlog_app.domain.cases import Procedure
from backlog_app.domain.documents import DocumentData, DocumentKind, FileType, LinkTarget
from backlog_app.domain.packet import (
    FOOTER_BAND,
    HEADER_BAND,
    PacketSection,
    PageSize,
    page_label,
)
from backlog_app.errors import Cancelled, UserError, ValidationError
from backlog_app.services.context import ProfileSession, open_profile
from backlog_app.services.packet.assemble import (
    PacketResult,
    PreparedPacket,
    export_packet,
    prepare_packet,
    suggested_file_name,
    write_packet,
)
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.progress import Progress
from tests.conftest import fixed_clock
from tests.document_files import write_encrypted_pdf, write_pdf

CREATED = dt.datetime(2026, 11, 27, 9, 30)
TOP_MARKER = "TOPEDGEMARKER"


def _pdf(path: Path, size: tuple[float, float], text: str, *, rotate: int = 0) -> Path:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=1)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(20, size[1] - 12, text)  # right at the top edge
    canvas.drawString(20, size[1] / 2, f"{text} middle")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        if rotate:
            pdf.pages[0].obj.Rotate = rotate
        pdf.save(path, deterministic_id=True)
    return path


@dataclass
class Built:
    profile: ProfileSession
    case_id: int
    locked_id: int
    scan_id: int
    prepared: PreparedPacket
    result: PacketResult


def _demo_copy(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> ProfileSession:
    root = tmp_path_factory.mktemp("packet") / "profile"
    root.mkdir()
    shutil.copyfile(demo_database, root / "backlog.sqlite3")
    shutil.copytree(demo_database.parent / "vault", root / "vault")
    return open_profile(root, create=False, clock=fixed_clock)


def _surgery_case(profile: ProfileSession) -> int:
    return next(c.id for c in profile.cases.list() if c.data.procedure is Procedure.MICRODISCECTOMY)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> Iterator[Built]:
    files = tmp_path_factory.mktemp("files")
    profile = _demo_copy(tmp_path_factory, demo_database)
    case_id = _surgery_case(profile)

    def add(path: Path, kind: DocumentKind, title: str, password: str | None = None) -> int:
        document_id = profile.importer.add(
            path,
            DocumentData(kind=kind, title=title, document_date=dt.date(2026, 10, 1)),
            password=password,  # given once to add it, not remembered
        )
        profile.documents.link(document_id, LinkTarget.CASE, case_id)
        return document_id

    locked = add(
        write_encrypted_pdf(files / "locked.pdf"), DocumentKind.EOB, "Locked EOB", "secret"
    )
    add(_pdf(files / "wide.pdf", (792, 612), TOP_MARKER), DocumentKind.EOB, "Wide EOB")
    add(_pdf(files / "turned.pdf", (612, 792), "TURNED", rotate=90), DocumentKind.OTHER, "Turned")
    scan = files / "scan.jpg"
    Image.new("RGB", (2550, 3300), "white").save(scan, dpi=(300, 300), quality=70)
    scan_id = add(scan, DocumentKind.CLINICAL_NOTE, "Scanned note")
    request = PacketRequest(case_id=case_id, created=CREATED)
    prepared = prepare_packet(profile, request)
    result = write_packet(prepared, tmp_path_factory.mktemp("out") / "packet.pdf")
    try:
        yield Built(profile, case_id, locked, scan_id, prepared, result)
    finally:
        prepared.close()
        profile.close()


def _page_texts(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_qpdf_finds_nothing_wrong(built: Built) -> None:
    check = subprocess.run(
        ["qpdf", "--check", str(built.result.path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_page_count_is_generated_plus_attached_pages(built: Built) -> None:
    with pikepdf.open(built.result.path) as pdf:
        pages = len(pdf.pages)
    generated = sum(
        e.page_count for e in built.prepared.entries if not e.key.startswith("document:")
    )
    # Counted from the files themselves: a PDF's pages, a scan's frames, one marked page for
    # the locked EOB.
    attached = 0
    for entry in built.prepared.entries:
        if not entry.key.startswith("document:"):
            continue
        document_id = int(entry.key.split(":")[1])
        path = built.profile.documents.file_path(document_id)
        if document_id == built.locked_id:
            attached += 1
        elif built.profile.documents.get(document_id).file.file_type is FileType.PDF:
            with pikepdf.open(path) as source:
                attached += len(source.pages)
        else:
            with Image.open(path) as image:
                attached += getattr(image, "n_frames", 1)
    assert attached >= 5
    assert pages == built.result.page_count == built.prepared.total_pages == generated + attached


def test_every_page_carries_the_identity_and_its_number(built: Built) -> None:
    texts = _page_texts(built.result.path)
    total = built.result.page_count
    assert len(texts) == total
    header = built.prepared.identity.header_line()
    assert built.prepared.identity.reference_number  # the demo case has a number
    for number, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert " ".join(header.split()) in flat, f"page {number}"
        assert page_label(number, total) in flat, f"page {number}"


def test_sections_come_in_order_and_documents_last(built: Built) -> None:
    keys = [e.key for e in built.prepared.entries]
    assert keys[:2] == ["cover", "letter"] or keys[:2] == ["cover", "reference"]
    sections = [k for k in keys if not k.startswith("document:")]
    order = [s.value for s in PacketSection]
    assert sections == sorted(sections, key=order.index)
    first_document = next(i for i, k in enumerate(keys) if k.startswith("document:"))
    assert keys[first_document - 1] == "documents"
    assert all(k.startswith("document:") for k in keys[first_document:])


def test_bookmarks_mirror_the_contents(built: Built) -> None:
    with pikepdf.open(built.result.path) as pdf, pdf.open_outline() as outline:
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        found = []
        for top in outline.root:
            found.append((0, str(top.title), _target(top, pages)))
            for child in top.children:
                found.append((1, str(child.title), _target(child, pages)))
    expected = [(e.level, e.title, e.first_page - 1) for e in built.prepared.entries]
    assert found == expected


def _target(item: pikepdf.OutlineItem, pages: dict[tuple[int, int], int]) -> int:
    destination = item.destination
    assert isinstance(destination, pikepdf.Array)
    return pages[destination[0].objgen]


def test_the_locked_pdf_becomes_a_marked_page(built: Built) -> None:
    entry = next(e for e in built.prepared.entries if e.key == f"document:{built.locked_id}")
    text = " ".join(_page_texts(built.result.path)[entry.first_page - 1].split())
    assert "This document could not be included" in text
    assert "password" in text
    assert [r.document_id for r in built.prepared.replaced] == [built.locked_id]


def test_attached_pages_never_go_under_the_header(built: Built) -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    wide = next(e for e in built.prepared.entries if e.title.endswith("Wide EOB"))
    document = pdfium.PdfDocument(str(built.result.path))
    try:
        page = document[wide.first_page - 1]
        width, height = page.get_size()
        assert width > height  # a landscape page stays landscape
        text = page.get_textpage()
        band = text.get_text_bounded(0, height - HEADER_BAND, width, height)
        below = text.get_text_bounded(0, 0, width, height - HEADER_BAND)
        assert TOP_MARKER not in band
        assert TOP_MARKER in below
    finally:
        document.close()


def test_scans_are_jpeg_without_a_text_wrapper(built: Built) -> None:
    entry = next(e for e in built.prepared.entries if e.key == f"document:{built.scan_id}")
    with pikepdf.open(built.result.path) as pdf:
        page = pdf.pages[entry.first_page - 1]
        images = [pikepdf.PdfImage(i) for i in page.get_images().values()]  # type: ignore[arg-type]
    assert len(images) == 1
    assert images[0].filters == ["/DCTDecode"]  # a photo stays JPEG, not ASCII85 around it


def test_metadata_names_the_packet(built: Built) -> None:
    with pikepdf.open(built.result.path) as pdf:
        info = pdf.docinfo
        assert str(info.Title).startswith("Coverage packet — ")
        assert str(info.Author) == built.prepared.identity.patient_name
        assert str(info.Subject)
        assert str(info.CreationDate) == "D:20261127093000"
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines


def test_the_same_record_gives_the_same_bytes(built: Built, tmp_path: Path) -> None:
    again = write_packet(built.prepared, tmp_path / "again.pdf")
    assert again.path.read_bytes() == built.result.path.read_bytes()
    fresh = export_packet(
        built.profile, PacketRequest(case_id=built.case_id, created=CREATED), tmp_path / "3.pdf"
    )
    assert fresh.path.read_bytes() == built.result.path.read_bytes()


def test_a4_and_no_documents(built: Built, tmp_path: Path) -> None:
    request = PacketRequest(
        case_id=built.case_id, page_size=PageSize.A4, document_ids=(), created=CREATED
    )
    result = export_packet(built.profile, request, tmp_path / "a4.pdf")
    with pikepdf.open(result.path) as pdf:
        sizes = {tuple(round(float(v)) for v in page.mediabox[2:]) for page in pdf.pages}
    assert sizes == {(595, 842)}
    assert result.page_count < built.result.page_count
    assert result.replaced == ()


def test_whole_record_packet_without_a_case(built: Built, tmp_path: Path) -> None:
    request = PacketRequest(
        sections=frozenset({PacketSection.SUMMARY}), document_ids=(), created=CREATED
    )
    result = export_packet(built.profile, request, tmp_path / "record.pdf")
    texts = _page_texts(result.path)
    assert "Case ref." not in texts[0]
    assert len(texts) == result.page_count


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing" / "x.pdf", "does not exist"),
        (lambda p: p, "is a folder"),
    ],
)
def test_bad_destinations_are_refused_in_plain_words(
    built: Built, tmp_path: Path, make: object, message: str
) -> None:
    destination = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(UserError, match=message):
        write_packet(built.prepared, destination)


def test_bad_dates_and_missing_cases_change_nothing(built: Built, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="future"):
        export_packet(built.profile, PacketRequest(until=dt.date(2099, 1, 1)), tmp_path / "x.pdf")
    with pytest.raises(UserError):
        export_packet(built.profile, PacketRequest(case_id=99_999), tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_suggested_file_name(built: Built) -> None:
    name = suggested_file_name(built.profile, PacketRequest(case_id=built.case_id))
    assert name.startswith("BackLog packet - Microdiscectomy") and name.endswith(".pdf")
    assert "2026-11-27" in name
    assert suggested_file_name(built.profile, PacketRequest()).startswith(
        "BackLog packet - complete record"
    )


def test_an_empty_profile_still_gives_a_packet(profile: ProfileSession, tmp_path: Path) -> None:
    result = export_packet(profile, PacketRequest(created=CREATED), tmp_path / "empty.pdf")
    texts = _page_texts(result.path)
    assert len(texts) == result.page_count >= 3
    assert "Name not entered" in texts[0]


# --- Where attached content is drawn -------------------------------------------------------------

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m1: Matrix, m2: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _drawn_boxes(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """The page-space boxes of every image and form drawn on ``page``, except the stamp."""
    boxes = []
    ctm, stack = _IDENTITY, []
    for instruction in pikepdf.parse_content_stream(page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif op == "Do" and str(operands[0]) != "/BackLogStamp":
            xobject = page.obj.Resources.XObject[str(operands[0])]
            if xobject.Subtype == pikepdf.Name.Image:
                bbox, matrix = (0.0, 0.0, 1.0, 1.0), ctm
            else:
                bbox = tuple(float(v) for v in xobject.BBox)  # type: ignore[assignment]
                form = tuple(float(v) for v in xobject.get("/Matrix", _IDENTITY))
                matrix = _times(form, ctm)  # type: ignore[arg-type]
            a, b, c, d, e, f = matrix
            corners = [(x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
            xs = [a * x + c * y + e for x, y in corners]
            ys = [b * x + d * y + f for x, y in corners]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def test_attached_content_stays_between_the_bands(built: Built) -> None:
    documents = [e for e in built.prepared.entries if e.key.startswith("document:")]
    with pikepdf.open(built.result.path) as pdf:
        for entry in documents:
            if entry.key == f"document:{built.locked_id}":
                continue  # our own marked page
            for index in range(entry.first_page - 1, entry.last_page):
                page = pdf.pages[index]
                height = float(page.mediabox[3])
                boxes = _drawn_boxes(page)
                assert boxes, f"nothing attached on page {index + 1}"
                for _x0, y0, _x1, y1 in boxes:
                    assert y1 <= height - HEADER_BAND + 0.5, f"page {index + 1} under the header"
                    assert y0 >= FOOTER_BAND - 0.5, f"page {index + 1} under the footer"


def test_the_scan_is_stored_at_200_dpi_of_its_placed_size(built: Built) -> None:
    entry = next(e for e in built.prepared.entries if e.key == f"document:{built.scan_id}")
    with pikepdf.open(built.result.path) as pdf:
        page = pdf.pages[entry.first_page - 1]
        (x0, _y0, x1, _y1), *_ = _drawn_boxes(page)
        (image,) = page.get_images().values()
        width = pikepdf.PdfImage(image).width  # type: ignore[arg-type]
    assert abs(width - round((x1 - x0) / 72 * 200)) <= 2


# --- Failures while writing ----------------------------------------------------------------------


class _CancelWhenSaving(Progress):
    def report(self, done: int, total: int, label: str = "") -> None:
        if label == "Saving the PDF":
            self.cancel()
        super().report(done, total, label)


def test_cancel_while_saving_leaves_no_file(built: Built, tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        write_packet(built.prepared, tmp_path / "cancelled.pdf", _CancelWhenSaving())
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_plain_message(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pikepdf.Pdf, "save", no_space)
    with pytest.raises(UserError, match=r"not enough free space on the disk"):
        write_packet(built.prepared, tmp_path / "full.pdf")
    assert list(tmp_path.iterdir()) == []


def test_files_that_vanish_become_marked_pages(profile: ProfileSession, tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    ids = [
        profile.importer.add(
            write_pdf(files / f"{name}.pdf", pages=2, marker=name),
            DocumentData(kind=DocumentKind.CLINICAL_NOTE, title=name),
        )
        for name in ("before", "after", "kept")
    ]
    profile.documents.file_path(ids[0]).unlink()  # gone before the packet is prepared
    request = PacketRequest(document_ids=tuple(ids), created=CREATED)
    prepared = prepare_packet(profile, request)
    try:
        profile.documents.file_path(ids[1]).unlink()  # gone between preview and export
        result = write_packet(prepared, tmp_path / "packet.pdf")
    finally:
        prepared.close()
    entries = {e.title.split(" — ")[-1]: e for e in prepared.entries if e.level == 1}
    texts = _page_texts(result.path)
    before, after, kept = entries["before"], entries["after"], entries["kept"]
    assert before.page_count == 1 and "missing" in texts[before.first_page - 1]
    assert after.page_count == 2
    for index in range(after.first_page - 1, after.last_page):
        assert "could not be read when the packet was written" in " ".join(texts[index].split())
    assert kept.page_count == 2
    assert "could not be included" not in texts[kept.first_page - 1]
    assert [r.document_id for r in prepared.replaced] == [ids[0]]


def test_a_closed_preview_cannot_be_written(built: Built, tmp_path: Path) -> None:
    prepared = prepare_packet(
        built.profile, PacketRequest(sections=frozenset(), document_ids=(), created=CREATED)
    )
    prepared.close()
    with pytest.raises(UserError, match="Press Update preview, then export"):
        write_packet(prepared, tmp_path / "x.pdf")


# --- A contents of several pages -----------------------------------------------------------------


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> Iterator[Built]:
    """The surgery case with 45 more one-page documents: the contents run over two pages."""
    files = tmp_path_factory.mktemp("many-files")
    profile = _demo_copy(tmp_path_factory, demo_database)
    case_id = _surgery_case(profile)
    for number in range(45):
        document_id = profile.importer.add(
            write_pdf(files / f"note-{number:02}.pdf", marker=f"note {number}"),
            DocumentData(kind=DocumentKind.CLINICAL_NOTE, title=f"Office visit note {number:02}"),
        )
        profile.documents.link(document_id, LinkTarget.CASE, case_id)
    request = PacketRequest(
        case_id=case_id,
        sections=frozenset({PacketSection.SUMMARY, PacketSection.DOCUMENTS}),
        created=CREATED,
    )
    prepared = prepare_packet(profile, request)
    result = write_packet(prepared, tmp_path_factory.mktemp("many-out") / "packet.pdf")
    try:
        yield Built(profile, case_id, 0, 0, prepared, result)
    finally:
        prepared.close()
        profile.close()


def test_a_long_contents_prints_the_real_page_numbers(many: Built) -> None:
    contents = next(e for e in many.prepared.entries if e.key == "contents")
    assert contents.page_count >= 2
    texts = _page_texts(many.result.path)
    printed = re.findall(
        r"(\d+(?:–\d+)?)\s+(\d+ pages?)",
        "\n".join(texts[contents.first_page - 1 : contents.last_page]),
    )
    expected = [
        (
            str(e.first_page) if e.page_count == 1 else f"{e.first_page}–{e.last_page}",
            "1 page" if e.page_count == 1 else f"{e.page_count} pages",
        )
        for e in many.prepared.entries
        if e.page_count
    ]
    assert printed == expected
    total = many.result.page_count
    assert f"This packet has {total} pages" in " ".join(texts[0].split())
    assert page_label(total, total) in texts[-1]
