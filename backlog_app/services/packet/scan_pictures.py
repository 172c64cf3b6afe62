"""A scanned page's picture for the packet: decoded, turned upright, shrunk to the pixels it is
drawn at, and stored in the smallest faithful way.

- A JPEG that needs no change goes in as its own bytes.
- A picture that came from a JPEG is stored as JPEG again (decoded at 1/2, 1/4 or 1/8 size
  when that still gives enough pixels).
- Black and white pages stay 1-bit: CCITT Group 4 (as faxes are) or Flate, whichever is smaller.
- Gray, palette and colour pictures from lossless files: Flate or JPEG, whichever is smaller.
- A colour scan with no colour in it (a letter scanned in colour) is stored in gray.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backlog_app.services.page_images import as_gray, as_rgb

if TYPE_CHECKING:
    from PIL import Image

JPEG_QUALITY = 80
# A lossless picture up to this many times the pixels wanted (300 dpi for 200) also competes at
# its own pixels: shrinking smooths the edges of the letters, and a smoothed page can take twice
# the space of the sharp one.
OWN_PIXELS_UP_TO = 1.5
# Modes that are gray already (16-bit and float scans are brought down to 8-bit gray).
_GRAY_MODES = frozenset({"L", "LA", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
# A colour picture is stored in gray when at most one pixel in _COLOUR_SHARE of a small copy
# has red, green and blue more than _CHROMA apart: JPEG noise around black letters and a
# yellowed page stay below that; a blue signature or a red stamp does not.
_CHROMA = 40
_COLOUR_SHARE = 10_000
_GRAY_CHECK_SIDE = 800  # the small copy's longest side, at least
# EXIF orientation -> the turn that makes the picture upright (as ImageOps.exif_transpose).
TURNS = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE"}
TURNS |= {6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}


@dataclass(frozen=True, slots=True)
class Encoded:
    """A picture's data as it goes in the PDF, and what a reader needs to decode it."""

    data: bytes
    width: int
    height: int
    codec: str  # a PDF filter: "/DCTDecode", "/FlateDecode" or "/CCITTFaxDecode"
    bits: int = 8
    gray: bool = False
    palette: bytes | None = None  # RGB triplets: an indexed picture
    parameters: tuple[tuple[str, int | bool], ...] = ()


def encode_picture(
    image: Any, original: bytes, target: tuple[int, int], orientation: int
) -> Encoded:
    """The current page of the opened (not yet decoded) ``image`` read from the file bytes
    ``original``, stored at ``target`` pixels (as stored, before turning) and turned by EXIF
    ``orientation``."""
    if (
        image.format == "JPEG"
        and image.size == target
        and orientation == 1
        and image.mode in ("L", "RGB")
    ):
        _check_decodes(image)
        return Encoded(original, *target, "/DCTDecode", gray=image.mode == "L")
    from_jpeg = image.format in ("JPEG", "MPO")
    if from_jpeg and image.size != target:
        image.draft(image.mode, target)  # decodes at 1/2, 1/4 or 1/8 size when it can
    image.load()
    picture = plain(image)
    own = None
    if image.format == "PNG" and orientation == 1 and picture is image:
        own = png_rows(original)  # its own compressed rows: no work, nothing lost
    candidates = _candidates(picture, target, orientation, from_jpeg=from_jpeg, own=own)
    return min(candidates, key=lambda encoded: len(encoded.data))  # the first on a tie


def _check_decodes(image: Any) -> None:
    """Decode a JPEG at 1/8 size: that reads all of its data, so a cut-off file fails here."""
    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()


def _candidates(
    picture: Image.Image,
    target: tuple[int, int],
    orientation: int,
    *,
    from_jpeg: bool,
    own: Encoded | None,
) -> list[Encoded]:
    """The ways worth trying for ``picture`` (as stored) to be drawn at ``target`` pixels."""
    shrink = picture.size != target
    own_pixels = not from_jpeg and (
        not shrink
        or (
            picture.width <= target[0] * OWN_PIXELS_UP_TO
            and picture.height <= target[1] * OWN_PIXELS_UP_TO
        )
    )
    candidates: list[Encoded] = []
    whole = upright(picture, orientation) if own_pixels or not shrink else None
    if whole is not None and own_pixels:
        if own is not None and (own.width, own.height) == whole.size:
            candidates.append(own)
            group4 = _group4(whole) if whole.mode == "1" else None
            if group4 is not None:
                candidates.append(group4)
        else:
            candidates += _lossless(whole)
    final = upright(resized(picture, target), orientation) if shrink else whole
    assert final is not None
    if shrink and not from_jpeg and (final.mode == "1" or not own_pixels):
        candidates += _lossless(final)
    if final.mode != "1":
        candidates.append(_jpeg(as_rgb(final) if final.mode == "P" else final))
    return candidates


def plain(image: Image.Image) -> Image.Image:
    """The picture in mode "1", "L", "P" or "RGB", on white (``image`` itself when it is that
    already); a colour picture with no colour in it in gray."""
    if image.mode == "1":
        return image
    if image.mode == "P" and "transparency" not in image.info:
        return _gray_palette(image) or image
    if image.mode in ("L", "RGB") and "transparency" in image.info:
        image = image.convert("RGBA")  # a colour marked see-through shows the white page
    picture = as_gray(image) if image.mode in _GRAY_MODES else as_rgb(image)
    if picture.mode == "RGB" and looks_gray(picture):
        picture = picture.convert("L")
    return picture


def resized(picture: Image.Image, target: tuple[int, int]) -> Image.Image:
    """``picture`` at ``target`` pixels, smoothly; black and white is shrunk in gray and made
    black and white again."""
    from PIL import Image

    if picture.mode == "1":
        gray = picture.convert("L").resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        return gray.convert("1", dither=Image.Dither.NONE)
    if picture.mode == "P":
        picture = plain(as_rgb(picture))
    return picture.resize(target, Image.Resampling.LANCZOS, reducing_gap=2.0)


def upright(picture: Image.Image, orientation: int) -> Image.Image:
    from PIL import Image

    if orientation not in TURNS:
        return picture
    return picture.transpose(getattr(Image.Transpose, TURNS[orientation]))


def _gray_palette(image: Image.Image) -> Image.Image | None:
    """A palette picture whose colours are all grays, as plain gray (nothing lost)."""
    palette = image.getpalette() or []
    triplets = zip(palette[0::3], palette[1::3], palette[2::3], strict=False)
    if all(r == g == b for r, g, b in triplets):
        return image.convert("L")
    return None


def looks_gray(picture: Image.Image) -> bool:
    """Whether an RGB picture has no colour worth keeping, judged on a small copy."""
    from PIL import ImageChops

    factor = max(1, max(picture.size) // _GRAY_CHECK_SIDE)
    small = picture.reduce(factor) if factor > 1 else picture
    red, green, blue = small.split()
    spread = ImageChops.lighter(
        ImageChops.lighter(ImageChops.difference(red, green), ImageChops.difference(green, blue)),
        ImageChops.difference(red, blue),
    )
    coloured = sum(spread.histogram()[_CHROMA + 1 :])
    return coloured * _COLOUR_SHARE <= small.width * small.height


# --- Encoding ---------------------------------------------------------------------------------


def _lossless(picture: Image.Image) -> list[Encoded]:
    if picture.mode != "1":
        return [_flate(picture)]
    group4 = _group4(picture)
    return [_flate(picture)] if group4 is None else [group4, _flate(picture)]


def _jpeg(picture: Image.Image) -> Encoded:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    width, height = picture.size
    return Encoded(buffer.getvalue(), width, height, "/DCTDecode", gray=picture.mode == "L")


def _flate(picture: Image.Image) -> Encoded:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=None)
    encoded = png_rows(buffer.getvalue())
    if encoded is None:
        raise ValueError(f"Pillow wrote a PNG of mode {picture.mode} that PDF cannot take as is")
    return encoded


def png_rows(data: bytes) -> Encoded | None:
    """A PNG's compressed rows, which PDF's Flate filter with the PNG predictors reads as they
    are (as img2pdf does); None for a layout PDF cannot take that way (interlaced, 16-bit,
    transparent, or not a PNG)."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    position, rows, palette, header = 8, bytearray(), b"", None
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            rows += body
        elif kind == b"tRNS":
            return None
    if header is None or not rows:
        return None
    width, height, bits, colour, _compression, _filter, interlace = header
    if interlace or bits > 8 or colour not in (0, 2, 3) or (colour == 3 and not palette):
        return None
    parameters = (("Predictor", 15), ("Colors", 3 if colour == 2 else 1))
    return Encoded(
        bytes(rows),
        width,
        height,
        "/FlateDecode",
        bits=bits,
        gray=colour == 0,
        palette=palette if colour == 3 else None,
        parameters=(*parameters, ("BitsPerComponent", bits), ("Columns", width)),
    )


def _group4(picture: Image.Image) -> Encoded | None:
    """A 1-bit picture as CCITT Group 4: the single strip of a TIFF that Pillow writes with
    libtiff (as Pillow's own PDF writer does). None when Pillow has no libtiff."""
    from PIL import Image, features

    if not features.check("libtiff"):
        return None
    width, height = picture.size
    buffer = io.BytesIO()
    picture.save(buffer, "TIFF", compression="group4", strip_size=math.ceil(width / 8) * height)
    buffer.seek(0)
    with Image.open(buffer) as tiff:
        tags: Any = getattr(tiff, "tag_v2", {})
        offsets, counts = tags.get(273), tags.get(279)
        # Pillow writes "1" as min-is-black, so the runs coded as white are its black pixels.
        black_is_1 = int(tags.get(262, 0)) == 1
    if not offsets or not counts or len(offsets) != 1:
        return None
    data = buffer.getvalue()[offsets[0] : offsets[0] + counts[0]]
    parameters = (("K", -1), ("Columns", width), ("Rows", height), ("BlackIs1", black_is_1))
    return Encoded(data, width, height, "/CCITTFaxDecode", 1, True, None, parameters)
