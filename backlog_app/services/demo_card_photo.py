"""The demo's phone photos of an insurance card: drawn with Pillow, saved as JPEG and HEIC.

A card lies at a slight angle on a wooden table, with a shadow, uneven light and sensor noise. As
a phone stores it, the picture is on its side with an EXIF orientation tag (6: "turn 90°
clockwise to view"), so readers that ignore the tag show it sideways, as real phone photos do.
All "randomness" comes from a fixed seed: the same bytes every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
from typing import TYPE_CHECKING, Literal

from backlog_app.domain.records import PlanData

if TYPE_CHECKING:
    from PIL import Image as PilImage
    from PIL import ImageDraw, ImageFont

Side = Literal["front", "back"]

SCENE_SIZE = (1440, 1080)  # as viewed: landscape, the phone held sideways (a "medium" photo)
CARD_SIZE = (880, 555)  # an ID-1 card (85.6 × 54 mm)
ORIENTATION_TAG = 0x0112
ROTATED_CLOCKWISE = 6  # EXIF: the stored picture must be turned 90° clockwise to view it
_EXIF_IFD = 0x8769
_TAGS = {"Make": 0x010F, "Model": 0x0110, "Software": 0x0131, "DateTime": 0x0132}
_TAKEN_TAG = 0x9003  # DateTimeOriginal, in the Exif sub-IFD
_PLAN_COLOUR = (107, 46, 95)


def draw_card_photo(plan: PlanData, member: str, side: Side, seed: int) -> PilImage.Image:
    """The photo as stored by the phone: on its side (see ``ROTATED_CLOCKWISE``)."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    scene = _table(rng)
    card = _card_front(plan, member) if side == "front" else _card_back(plan)
    angle = rng.uniform(2.0, 4.5) * (-1 if side == "front" else 1)
    tilted = card.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True)
    left = (SCENE_SIZE[0] - tilted.width) // 2 + rng.randint(-60, 60)
    top = (SCENE_SIZE[1] - tilted.height) // 2 + rng.randint(-40, 40)
    # A soft shadow, blurred at a quarter of the size (the same look, a sixteenth of the work).
    small = tilted.getchannel("A").reduce(4).point(lambda v: v * 90 // 255)
    shadow = small.filter(ImageFilter.GaussianBlur(4)).resize(tilted.size)
    scene.paste((40, 26, 16), (left + 14, top + 18), shadow)
    scene.paste(tilted, (left, top), tilted)
    scene = _light_and_noise(scene, rng)
    # The phone keeps the sensor's landscape-on-its-side pixels and says how to turn them.
    return scene.transpose(Image.Transpose.ROTATE_90)


def photo_exif(taken: dt.datetime) -> bytes:
    """EXIF of a phone photo: maker, model, time taken, orientation 6. No location, ever."""
    from PIL import Image

    exif = Image.Exif()
    exif[_TAGS["Make"]] = "Apple"
    exif[_TAGS["Model"]] = "iPhone 12"
    exif[_TAGS["Software"]] = "17.5.1"
    exif[_TAGS["DateTime"]] = f"{taken:%Y:%m:%d %H:%M:%S}"
    exif[ORIENTATION_TAG] = ROTATED_CLOCKWISE
    exif.get_ifd(_EXIF_IFD)[_TAKEN_TAG] = f"{taken:%Y:%m:%d %H:%M:%S}"
    return exif.tobytes()


@functools.lru_cache(maxsize=4)
def photo_bytes(plan: PlanData, member: str, side: Side, seed: int, taken: dt.datetime) -> bytes:
    """The encoded photo: the front as JPEG (as shared from the phone), the back as HEIC.

    Kept in memory once made (a few hundred KB each): drawing and HEVC encoding take about half a
    second, and every demo made in one run (tests make many) holds the same bytes anyway.
    """
    image = draw_card_photo(plan, member, side, seed)
    buffer = io.BytesIO()
    if side == "front":
        image.save(buffer, "JPEG", quality=88, exif=photo_exif(taken))
    else:
        from backlog_app.storage.file_inspect import register_heif

        register_heif()
        # As an iPhone writes it (HEVC); the fastest encoder preset keeps the demo quick.
        image.save(
            buffer, "HEIF", quality=70, exif=photo_exif(taken), enc_params={"preset": "ultrafast"}
        )
    return buffer.getvalue()


def _table(rng: random.Random) -> PilImage.Image:
    """Wood: a warm brown with long streaks of grain."""
    from PIL import Image

    width, height = SCENE_SIZE
    grain = Image.frombytes(
        "L", (width // 40, height // 3), rng.randbytes(width // 40 * height // 3)
    )
    grain = grain.resize(SCENE_SIZE, Image.Resampling.BICUBIC)
    dark, light = (
        Image.new("RGB", SCENE_SIZE, (120, 80, 48)),
        Image.new("RGB", SCENE_SIZE, (176, 126, 84)),
    )
    return Image.composite(light, dark, grain)


def _light_and_noise(scene: PilImage.Image, rng: random.Random) -> PilImage.Image:
    from PIL import Image, ImageChops, ImageFilter

    width, height = SCENE_SIZE
    # Light from a lamp above and to the left: brightest there, falling off smoothly.
    glow = Image.radial_gradient("L").resize((width * 2, height * 2), Image.Resampling.BILINEAR)
    glow = glow.crop((width * 3 // 4, height * 3 // 4, width * 7 // 4, height * 7 // 4))
    light = glow.point(lambda v: 255 - v * 80 // 255)
    scene = ImageChops.multiply(scene, Image.merge("RGB", (light, light, light)))
    noise = Image.frombytes("L", (width // 2, height // 2), rng.randbytes(width * height // 4))
    noise = noise.resize(SCENE_SIZE, Image.Resampling.NEAREST).point(lambda v: 118 + v * 20 // 255)
    scene = ImageChops.overlay(scene, Image.merge("RGB", (noise, noise, noise)))
    return scene.filter(ImageFilter.BoxBlur(1))  # a phone lens is never quite sharp


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)  # bundled with Pillow: works on every computer


def _blank_card() -> tuple[PilImage.Image, ImageDraw.ImageDraw]:
    from PIL import Image, ImageDraw

    card = Image.new("RGBA", CARD_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((0, 0, CARD_SIZE[0] - 1, CARD_SIZE[1] - 1), 34, fill=(248, 247, 243))
    return card, draw


def _card_front(plan: PlanData, member: str) -> PilImage.Image:
    card, draw = _blank_card()
    width, _ = CARD_SIZE
    draw.rounded_rectangle((0, 0, width - 1, 130), 34, fill=_PLAN_COLOUR)
    draw.rectangle((0, 96, width - 1, 130), fill=_PLAN_COLOUR)
    draw.ellipse((30, 25, 110, 105), outline="white", width=6)
    draw.text((52, 40), "B", font=_font(48), fill="white", stroke_width=1, stroke_fill="white")
    draw.text(
        (130, 28), plan.insurer, font=_font(44), fill="white", stroke_width=1, stroke_fill="white"
    )
    draw.text((132, 82), f"{plan.plan_name} · PPO network", font=_font(26), fill=(235, 225, 235))
    rows = (
        ("Member", member.upper()),
        ("Member ID", plan.member_id or ""),
        ("Group", plan.group_number or ""),
        ("Effective", f"{plan.coverage_start:%m/%d/%Y}" if plan.coverage_start else ""),
    )
    y = 160
    for label, value in rows:
        draw.text((40, y), label, font=_font(22), fill=(90, 90, 90))
        draw.text(
            (40, y + 24),
            value,
            font=_font(34),
            fill=(20, 20, 20),
            stroke_width=1,
            stroke_fill=(20, 20, 20),
        )
        y += 78
    copays = (
        "Office visit  $25",
        "Specialist  $50",
        "Urgent care  $75",
        "ER  $250",
        "Rx  $10/$40/$70",
    )
    y = 165
    for line in copays:
        draw.text((560, y), line, font=_font(25), fill=(40, 40, 40))
        y += 40
    draw.text((560, 390), "RxBIN 610014  PCN BMHRX", font=_font(20), fill=(70, 70, 70))
    draw.text((560, 418), "RxGRP BMHRX01", font=_font(20), fill=(70, 70, 70))
    draw.text(
        (40, 500),
        "Self-funded plan administered by " + plan.insurer,
        font=_font(18),
        fill=(110, 110, 110),
    )
    return card


def _card_back(plan: PlanData) -> PilImage.Image:
    card, draw = _blank_card()
    width, _ = CARD_SIZE
    draw.rectangle((0, 40, width - 1, 100), fill=(35, 35, 35))
    lines = (
        (f"Member services  {plan.member_services_phone}", 28),
        (f"Prior authorization  {plan.prior_auth_phone}", 28),
        (f"Appeals  {plan.appeals_phone}", 28),
        ("Send medical claims to:", 22),
        (f"{plan.insurer}, PO Box 18210, Columbus, OH 43218", 22),
        ("Providers: prior authorization is required for advanced imaging,", 19),
        ("injections and elective surgery. This card does not guarantee coverage.", 19),
        ("In an emergency call 911 or go to the nearest emergency room.", 19),
    )
    y = 130
    for text, size in lines:
        draw.text((40, y), text, font=_font(size), fill=(30, 30, 30))
        y += size + 18
    return card
