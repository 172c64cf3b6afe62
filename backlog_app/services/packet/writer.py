"""Writing a prepared packet: merge the pages with pikepdf, stamp every page, add bookmarks and
metadata, and save the file atomically. No database access: it can run after the profile moved on.

Attached PDF pages are scaled into the space between the header and footer bands (never drawn
under them); filled-in forms are flattened first so their values are kept. A file that cannot be
read at this point becomes marked pages, as many as the contents promised.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

from backlog_app.domain.dates import format_long_date
from backlog_app.domain.packet import ContentsEntry, Rect, attachment_area, packet_page_for
from backlog_app.errors import UserError
from backlog_app.services.packet.attachments import (
    draw_replacement_pages,
    open_source_pdf,
    visible_size,
)
from backlog_app.services.packet.prepared import PacketResult, PreparedPacket, PreparedPart
from backlog_app.services.packet.stamps import PageStamp, draw_stamps
from backlog_app.services.progress import Progress
from backlog_app.storage.write_errors import WriteTrouble, trouble_error, trouble_of, write_error

log = logging.getLogger("backlog.packet")


# --- Writing ----------------------------------------------------------------------------------


def write_packet(
    prepared: PreparedPacket, destination: Path, progress: Progress | None = None
) -> PacketResult:
    """Write ``prepared`` to ``destination`` (replacing it), without reading the database.

    Raises:
        UserError: the folder is missing or not writable, the destination is a folder, or the
            file could not be written (disk full, open in another program).
        Cancelled: the user pressed Cancel; no file is left behind.
    """
    import pikepdf

    progress = progress or Progress()
    if prepared.scratch is None:
        raise UserError("This preview was closed. Press Update preview, then export.")
    destination = _checked_destination(destination)
    partial = destination.with_name(f".{destination.name}.partial")
    with contextlib.ExitStack() as open_files:
        pdf = open_files.enter_context(pikepdf.new())
        stamps = _merge(pdf, prepared, open_files, progress)
        progress.report(0, 1, "Adding page numbers")
        _stamp(pdf, stamps, prepared, open_files)
        _bookmark(pdf, prepared.entries)
        _describe(pdf, prepared)
        progress.report(0, 1, "Saving the PDF")
        try:
            with partial.open("wb") as file:
                pdf.save(
                    cast(BinaryIO, _Responsive(file)),
                    deterministic_id=True,
                    compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate,
                    # Called every percent; raises Cancelled out of the save when asked to.
                    progress=lambda percent: progress.report(percent, 100, "Saving the PDF"),
                )
                file.flush()
                os.fsync(file.fileno())
            progress.check_cancelled()
            partial.replace(destination)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            if trouble_of(exc) is not WriteTrouble.OTHER:
                raise write_error(exc, destination) from exc
            raise UserError(
                f"BackLog could not write “{destination}” ({exc.strerror or exc}). If the file "
                "is open in a PDF viewer, close it and try again."
            ) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
    size_bytes = destination.stat().st_size
    log.info("packet written: %d pages, %d bytes", prepared.total_pages, size_bytes)
    return PacketResult(destination, prepared.total_pages, size_bytes, prepared.replaced)


class _Responsive:
    """A file that qpdf writes through Python code, chunk by chunk.

    Saving to a path, qpdf holds Python's global lock for the whole save (seconds for a large
    packet), and the window, whose thread needs that lock, freezes. Each call of ``write`` here
    runs a little Python, where the interpreter lets the window's thread take its turn.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    def write(self, data: bytes) -> int:
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


def _checked_destination(destination: Path) -> Path:
    destination = destination.expanduser()
    if destination.is_dir():
        raise UserError(f"“{destination}” is a folder; give a file name ending in .pdf.")
    if not destination.parent.is_dir():
        raise UserError(f"The folder “{destination.parent}” does not exist.")
    if not os.access(destination.parent, os.W_OK):
        raise trouble_error(WriteTrouble.READ_ONLY, destination.parent)
    return destination


def _merge(
    pdf: Any, prepared: PreparedPacket, open_files: contextlib.ExitStack, progress: Progress
) -> list[PageStamp]:
    """Append every part's pages; returns the stamp each page gets."""
    import pikepdf

    stamps: list[PageStamp] = []
    document_total = prepared.document_count
    document_number = 0
    for done, part in enumerate(prepared.parts):
        progress.report(done, len(prepared.parts), "Putting the pages together")
        if part.page_count == 0:
            continue
        line = None
        if part.attachment is not None:
            document_number += 1
            line = f"Document {document_number} of {document_total}: {part.title}"
        count_before = len(pdf.pages)
        for page in _part_pages(pdf, part, prepared, open_files, pikepdf):
            if page is not None:
                pdf.pages.append(page)
        added = len(pdf.pages) - count_before
        for index in range(added):
            suffix = f" (page {index + 1} of {added})" if line and added > 1 else ""
            stamps.append(PageStamp(document_line=f"{line}{suffix}" if line else None))
    return stamps


def _part_pages(
    pdf: Any,
    part: PreparedPart,
    prepared: PreparedPacket,
    open_files: contextlib.ExitStack,
    pikepdf: Any,
) -> Iterator[Any]:
    """The pages of one part, ready to append (or None: already added to ``pdf``)."""
    attachment = part.attachment
    if part.drawn is not None:
        source = open_files.enter_context(pikepdf.open(io.BytesIO(part.drawn)))
        yield from source.pages
        return
    original = attachment.source.original if attachment is not None else None
    if attachment is None or (attachment.pdf_path is None and original is None):
        raise RuntimeError(f"part {part.key} has neither drawn pages nor a file")
    try:
        if attachment.is_original_pdf:
            if original is None:
                raise RuntimeError(f"part {part.key} lost its original")
            # Read again through the vault (decrypted in an encrypted profile).
            source = open_files.enter_context(open_source_pdf(original, attachment.source.password))
            _flatten(source)
        else:  # scans already drawn onto packet pages in the scratch folder
            assert attachment.pdf_path is not None
            source = open_files.enter_context(
                pikepdf.open(io.BytesIO(attachment.pdf_path.read_bytes()))
            )
        if len(source.pages) != attachment.page_count:
            raise ValueError("the page count changed since the contents were made")
    except Exception:  # an unreadable file becomes marked pages, never a failed export
        log.warning("document %d failed at write", attachment.source.document_id, exc_info=True)
        replacement = draw_replacement_pages(
            [(attachment.source.heading, "the file could not be read when the packet was written.")]
            * attachment.page_count,
            prepared.request.page_size,
        )
        yield from open_files.enter_context(pikepdf.open(io.BytesIO(replacement))).pages
        return
    if not attachment.is_original_pdf:
        yield from source.pages
        return
    for source_page in source.pages:
        width, height = visible_size(source_page)
        page_w, page_h = packet_page_for(width, height, prepared.request.page_size)
        page = pdf.add_blank_page(page_size=(page_w, page_h))
        area = attachment_area(page_w, page_h)
        _place(pdf, page, source_page, "/BackLogAttached", area)
        yield None


def _flatten(source: Any) -> None:
    """Filled-in form fields and stamps are annotations, which a placed page would lose: draw
    them into the page first (in memory; the stored file is untouched)."""
    try:
        source.generate_appearance_streams()
        source.flatten_annotations(mode="all")
    except Exception:  # an odd form still gives its page content
        log.info("could not flatten the annotations of an attached PDF", exc_info=True)


def _stamp(
    pdf: Any,
    stamps: Sequence[PageStamp],
    prepared: PreparedPacket,
    open_files: contextlib.ExitStack,
) -> None:
    import pikepdf

    if len(stamps) != len(pdf.pages) or len(pdf.pages) != prepared.total_pages:
        raise RuntimeError(
            f"page count mismatch: {len(pdf.pages)} pages, {len(stamps)} stamps, "
            f"{prepared.total_pages} in the contents"
        )
    sizes = [(float(page.mediabox[2]), float(page.mediabox[3])) for page in pdf.pages]
    footer = f"{prepared.title} · prepared {format_long_date(prepared.created.date())}"
    overlay_pdf = draw_stamps(prepared.identity.header_line(), footer, stamps, sizes)
    overlay = open_files.enter_context(pikepdf.open(io.BytesIO(overlay_pdf)))
    for page, stamp_page in zip(pdf.pages, overlay.pages, strict=True):
        width, height = (float(v) for v in page.mediabox[2:])
        # The page's own drawing may leave its graphics state changed: fence it in first.
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nQ\n"))
        _place(pdf, page, stamp_page, "/BackLogStamp", Rect(0, 0, width, height))


def _place(pdf: Any, page: Any, other: Any, name: str, area: Rect) -> None:
    """Draw page ``other`` (of any PDF) on ``page``, fitted into ``area``, as a form XObject
    under a fixed resource name: pikepdf's ``add_overlay`` picks random names, which would make
    every export's bytes different."""
    import pikepdf

    form = pdf.copy_foreign(other.as_form_xobject())
    resource = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    placement = page.calc_form_xobject_placement(
        form, resource, pikepdf.Rectangle(area.x0, area.y0, area.x1, area.y1)
    )
    page.contents_add(pdf.make_stream(b"q\n" + placement + b"\nQ\n"))


def _bookmark(pdf: Any, entries: Sequence[ContentsEntry]) -> None:
    """One bookmark per section and per document (under "Attached documents"), like the
    contents; the reader opens with the bookmarks shown."""
    import pikepdf

    with pdf.open_outline() as outline:
        parent = None
        for entry in entries:
            item = pikepdf.OutlineItem(entry.title, entry.first_page - 1)
            if entry.level == 0 or parent is None:
                outline.root.append(item)
                parent = item
            else:
                parent.children.append(item)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _describe(pdf: Any, prepared: PreparedPacket) -> None:
    import pikepdf

    stamp = prepared.created.strftime("D:%Y%m%d%H%M%S")
    info = pdf.make_indirect(pikepdf.Dictionary())
    info.Title = pikepdf.String(prepared.title)
    info.Author = pikepdf.String(prepared.identity.patient_name or "")
    info.Subject = pikepdf.String(prepared.subject)
    info.Creator = pikepdf.String("BackLog")
    info.Producer = pikepdf.String("BackLog")
    info.CreationDate = pikepdf.String(stamp)
    info.ModDate = pikepdf.String(stamp)
    pdf.trailer.Info = info
