"""Draw the demo illustrations used by site/demo/content.json.

Every image is drawn from simple shapes (no photos, no people's faces, no text),
so the demo content carries no third-party rights and shows no real child.

Run:  .venv/bin/python site/demo/make_images.py
Writes deterministic 1200x675 JPEG files into site/demo/images/.
"""

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 1200, 675
SS = 2  # supersampling factor for smooth edges
OUT = Path(__file__).resolve().parent / "images"


def rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))


def canvas(top, bottom):
    """A vertical gradient background at supersampled size."""
    top, bottom = rgb(top), rgb(bottom)
    img = Image.new("RGB", (W * SS, H * SS))
    d = ImageDraw.Draw(img)
    for y in range(H * SS):
        d.line([(0, y), (W * SS, y)], fill=lerp(top, bottom, y / (H * SS - 1)))
    return img, d


def s(*values):
    """Scale design coordinates (1200x675 space) to the supersampled canvas."""
    return [v * SS for v in values]


def hills(d, base_y, amp, colour, phase=0.0, freq=1.0):
    pts = [(0, H * SS)]
    for x in range(0, W + 1, 10):
        y = (
            base_y
            + amp * math.sin(freq * x / 180 + phase)
            + amp * 0.4 * math.sin(freq * x / 67 + phase * 2)
        )
        pts.append((x * SS, y * SS))
    pts.append((W * SS, H * SS))
    d.polygon(pts, fill=rgb(colour))


def sun(d, cx, cy, r, colour="#ffd166", rays=True):
    if rays:
        for i in range(16):
            a = i * math.pi / 8
            d.line(
                s(
                    cx + math.cos(a) * (r + 14),
                    cy + math.sin(a) * (r + 14),
                    cx + math.cos(a) * (r + 42),
                    cy + math.sin(a) * (r + 42),
                ),
                fill=rgb(colour),
                width=6 * SS,
            )
    d.ellipse(s(cx - r, cy - r, cx + r, cy + r), fill=rgb(colour))


def cloud(d, x, y, k=1.0, colour="#ffffff"):
    for dx, dy, r in ((0, 0, 34), (40, -18, 42), (85, 0, 34), (40, 10, 36)):
        d.ellipse(
            s(x + dx * k - r * k, y + dy * k - r * k, x + dx * k + r * k, y + dy * k + r * k),
            fill=rgb(colour),
        )


def house(d, x, y, w, h, wall, roof, window="#ffe8a3"):
    d.rectangle(s(x, y, x + w, y + h), fill=rgb(wall))
    d.polygon(s(x - 12, y, x + w / 2, y - h * 0.6, x + w + 12, y), fill=rgb(roof))
    d.rectangle(s(x + w * 0.18, y + h * 0.25, x + w * 0.42, y + h * 0.55), fill=rgb(window))
    d.rectangle(s(x + w * 0.58, y + h * 0.4, x + w * 0.82, y + h), fill=rgb(roof))


def tree(d, x, y, k=1.0, leaf="#4f9d69"):
    d.rectangle(s(x - 6 * k, y - 40 * k, x + 6 * k, y), fill=rgb("#7a5230"))
    d.ellipse(s(x - 34 * k, y - 110 * k, x + 34 * k, y - 30 * k), fill=rgb(leaf))


def save(img, name):
    img = img.resize((W, H), Image.LANCZOS)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    # A fresh image carries no EXIF; save without any metadata.
    img.save(path, "JPEG", quality=80, optimize=True, progressive=True)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


# ---------------------------------------------------------------- images


def campaign_hero():
    """Sunrise over green hills and a small village: the campaign banner."""
    img, d = canvas("#ffb88c", "#ffe9c9")
    sun(d, 880, 250, 90)
    cloud(d, 180, 140, 1.1)
    cloud(d, 560, 95, 0.8)
    hills(d, 420, 40, "#9fd3a8", 0.3)
    hills(d, 500, 30, "#6fba7f", 1.7, 1.3)
    for x, c in ((260, "#e76f51"), (360, "#f4a261"), (470, "#e76f51")):
        house(d, x, 520, 70, 60, "#fff4e0", c)
    tree(d, 620, 585, 1.0)
    tree(d, 180, 590, 0.8, "#3f8a5a")
    hills(d, 610, 22, "#4f9d69", 0.9, 0.8)
    save(img, "campaign-hero.jpg")


def schoolbag():
    """A red schoolbag with a pencil and a ruler on a desk."""
    img, d = canvas("#e3f2fd", "#bbdefb")
    d.rectangle(s(0, 520, W, H), fill=rgb("#c89b6d"))
    d.rectangle(s(0, 520, W, 534), fill=rgb("#a9794b"))
    # straps
    d.rounded_rectangle(
        s(470, 140, 730, 300), radius=60 * SS, outline=rgb("#8e1b1b"), width=22 * SS
    )
    # body
    d.rounded_rectangle(s(400, 220, 800, 560), radius=50 * SS, fill=rgb("#d62828"))
    d.rounded_rectangle(s(400, 220, 800, 340), radius=50 * SS, fill=rgb("#b71c1c"))
    d.rounded_rectangle(s(470, 390, 730, 520), radius=26 * SS, fill=rgb("#ef476f"))
    d.rectangle(s(470, 440, 730, 446), fill=rgb("#ffd166"))
    d.ellipse(s(585, 320, 615, 350), fill=rgb("#ffd166"))
    # pencil
    d.polygon(s(860, 540, 1080, 470, 1088, 492, 868, 562), fill=rgb("#ffb703"))
    d.polygon(s(1080, 470, 1120, 470, 1088, 492), fill=rgb("#f1d3a1"))
    # ruler
    d.rectangle(s(120, 530, 360, 560), fill=rgb("#8ecae6"))
    for i in range(12):
        d.line(
            s(130 + i * 20, 530, 130 + i * 20, 542 + (8 if i % 5 == 0 else 0)),
            fill=rgb("#023047"),
            width=2 * SS,
        )
    save(img, "schoolbag.jpg")


def rice_bowl():
    """A steaming bowl of rice with chopsticks on a checked tablecloth."""
    img, d = canvas("#fff3e0", "#ffe0b2")
    for i in range(0, W, 60):
        d.rectangle(s(i, 430, i + 30, H), fill=rgb("#ffd7a8"))
    for j in range(430, H, 60):
        d.rectangle(s(0, j, W, j + 30), fill=rgb("#ffcf99"))
    d.ellipse(s(330, 520, 870, 600), fill=rgb("#e0b98a"))  # shadow
    # rice mound
    d.ellipse(s(380, 250, 820, 430), fill=rgb("#fffdf7"))
    rnd = random.Random(7)
    for _ in range(160):
        x, y = rnd.uniform(420, 780), rnd.uniform(270, 380)
        d.ellipse(s(x, y, x + 10, y + 5), fill=rgb("#f3eee0"))
    # bowl
    d.chord(s(360, 200, 840, 580), 0, 180, fill=rgb("#2a6f97"))
    d.rectangle(s(360, 384, 840, 396), fill=rgb("#468faf"))
    d.rounded_rectangle(s(530, 560, 670, 590), radius=10 * SS, fill=rgb("#1f4e6e"))
    for cx in (470, 600, 730):
        d.ellipse(s(cx - 22, 440, cx + 22, 484), outline=rgb("#a9d6e5"), width=5 * SS)
    # steam
    for x in (520, 600, 680):
        pts = [(x + 16 * math.sin(t / 9), 230 - t * 1.1) for t in range(0, 120, 4)]
        d.line([(px * SS, py * SS) for px, py in pts], fill=rgb("#ffffff"), width=7 * SS)
    # chopsticks
    d.line(s(880, 330, 1120, 560), fill=rgb("#8d5524"), width=12 * SS)
    d.line(s(910, 320, 1150, 540), fill=rgb("#a0522d"), width=12 * SS)
    save(img, "rice-bowl.jpg")


def hands():
    """Two abstract cupped hands holding a heart."""
    img, d = canvas("#fde2e4", "#fad2e1")
    for r, c in ((300, "#fbe4ea"), (220, "#f8c8d4")):
        d.ellipse(s(600 - r, 360 - r, 600 + r, 360 + r), fill=rgb(c))
    # heart
    d.ellipse(s(520, 180, 610, 270), fill=rgb("#e63946"))
    d.ellipse(s(590, 180, 680, 270), fill=rgb("#e63946"))
    d.polygon(s(524, 245, 676, 245, 600, 340), fill=rgb("#e63946"))
    # palms
    skin_l, skin_r = "#e9b48a", "#d99a6c"
    d.pieslice(s(330, 160, 610, 560), 60, 200, fill=rgb(skin_l))
    d.pieslice(s(590, 160, 870, 560), -20, 120, fill=rgb(skin_r))
    d.rounded_rectangle(s(440, 430, 600, 520), radius=40 * SS, fill=rgb(skin_l))
    d.rounded_rectangle(s(600, 430, 760, 520), radius=40 * SS, fill=rgb(skin_r))
    # fingers
    for i in range(4):
        d.rounded_rectangle(
            s(340 + i * 8, 330 + i * 30, 440, 356 + i * 30), radius=13 * SS, fill=rgb(skin_l)
        )
        d.rounded_rectangle(
            s(760, 330 + i * 30, 860 - i * 8, 356 + i * 30), radius=13 * SS, fill=rgb(skin_r)
        )
    # sleeves
    d.rectangle(s(380, 500, 600, H), fill=rgb("#457b9d"))
    d.rectangle(s(600, 500, 820, H), fill=rgb("#1d3557"))
    save(img, "hands-heart.jpg")


def books():
    """A stack of books and a small desk lamp."""
    img, d = canvas("#e8f5e9", "#c8e6c9")
    d.rectangle(s(0, 560, W, H), fill=rgb("#8d6e63"))
    # lamp light falls behind the books
    d.polygon(s(880, 330, 960, 330, 760, 560, 480, 560), fill=rgb("#fff8e1"))
    stack = [
        ("#264653", 380, 820),
        ("#2a9d8f", 400, 800),
        ("#e9c46a", 370, 790),
        ("#f4a261", 410, 830),
        ("#e76f51", 390, 805),
    ]
    y = 560
    for colour, x0, x1 in stack:
        d.rounded_rectangle(s(x0, y - 52, x1, y), radius=8 * SS, fill=rgb(colour))
        d.rectangle(s(x1 - 30, y - 44, x1 - 8, y - 8), fill=rgb("#fdfcf7"))
        d.line(s(x0 + 30, y - 26, x0 + 150, y - 26), fill=rgb("#ffffff"), width=4 * SS)
        y -= 52
    # open book on top
    d.polygon(s(430, y, 600, y - 30, 600, y + 6), fill=rgb("#fffaf0"))
    d.polygon(s(600, y - 30, 770, y, 600, y + 6), fill=rgb("#fff3d6"))
    # lamp
    d.rectangle(s(950, 540, 1050, 560), fill=rgb("#37474f"))
    d.line(s(1000, 545, 960, 380), fill=rgb("#37474f"), width=10 * SS)
    d.line(s(960, 380, 900, 300), fill=rgb("#37474f"), width=10 * SS)
    d.polygon(s(840, 310, 940, 250, 980, 340), fill=rgb("#ffb703"))
    save(img, "books-lamp.jpg")


def map_shape():
    """An invented map outline with glowing points for service stations."""
    img, d = canvas("#0b3954", "#087e8b")
    outline = []
    rnd = random.Random(11)
    for i in range(72):
        a = i * 2 * math.pi / 72
        r = 230 + 40 * math.sin(3 * a + 0.5) + 25 * math.sin(7 * a) + rnd.uniform(-8, 8)
        outline.append((600 + 1.5 * r * math.cos(a), 345 + r * math.sin(a)))
    d.polygon([(x * SS, y * SS) for x, y in outline], fill=rgb("#bfd7ea"), outline=rgb("#ffffff"))
    # county borders
    for a0 in (0.4, 1.9, 3.3, 4.6):
        d.line(
            s(600, 345, 600 + 360 * math.cos(a0), 345 + 240 * math.sin(a0)),
            fill=rgb("#8fb8de"),
            width=4 * SS,
        )
    # river
    pts = [(360 + t * 5, 300 + 60 * math.sin(t / 14)) for t in range(0, 100)]
    d.line([(x * SS, y * SS) for x, y in pts], fill=rgb("#5fa8d3"), width=9 * SS)
    for _ in range(26):
        a, r = rnd.uniform(0, 2 * math.pi), rnd.uniform(0, 190)
        x, y = 600 + 1.4 * r * math.cos(a), 345 + r * math.sin(a)
        d.ellipse(s(x - 14, y - 14, x + 14, y + 14), fill=rgb("#ffdd87"))
        d.ellipse(s(x - 7, y - 7, x + 7, y + 7), fill=rgb("#ff5a5f"))
    save(img, "service-map.jpg")


def seedling():
    """A seedling growing from cupped soil under a sun: the new fund."""
    img, d = canvas("#fff8e1", "#ffecb3")
    sun(d, 600, 200, 110, "#ffca3a")
    d.ellipse(s(260, 480, 940, 720), fill=rgb("#8d6e63"))
    d.ellipse(s(320, 500, 880, 640), fill=rgb("#a1887f"))
    d.line(s(600, 560, 600, 330), fill=rgb("#2d6a4f"), width=14 * SS)
    d.chord(s(600, 320, 800, 440), 180, 360, fill=rgb("#52b788"))
    d.chord(s(600, 320, 800, 440), 0, 180, fill=rgb("#40916c"))
    d.chord(s(420, 380, 600, 480), 180, 360, fill=rgb("#74c69d"))
    d.chord(s(420, 380, 600, 480), 0, 180, fill=rgb("#52b788"))
    for x, y in ((220, 200), (980, 160), (1050, 320), (150, 360)):
        d.ellipse(s(x - 10, y - 10, x + 10, y + 10), fill=rgb("#ff9f1c"))
    save(img, "seedling.jpg")


def mountain_road():
    """A winding road through terraced mountains to a small school building."""
    img, d = canvas("#a8dadc", "#f1faee")
    d.polygon(s(0, 420, 260, 160, 520, 420), fill=rgb("#6d8ea0"))
    d.polygon(s(380, 420, 700, 120, 1020, 420), fill=rgb("#587b8f"))
    d.polygon(s(820, 420, 1060, 200, 1300, 420), fill=rgb("#6d8ea0"))
    d.polygon(s(640, 170, 700, 120, 760, 170, 730, 180, 700, 160, 670, 180), fill=rgb("#ffffff"))
    for i, c in enumerate(("#b7e4c7", "#95d5b2", "#74c69d", "#52b788", "#40916c")):
        y0 = 400 + i * 56
        d.rectangle(s(0, y0, W, y0 + 58), fill=rgb(c))
        d.line(s(0, y0, W, y0), fill=rgb("#2d6a4f"), width=2 * SS)
    road = [(560 + 220 * math.sin(t / 40), 420 + t) for t in range(0, 260, 4)]
    for k, (x, y) in enumerate(road):
        w = 10 + k * 0.9
        d.ellipse(s(x - w, y - 6, x + w, y + 6), fill=rgb("#e9d8a6"))
    # small school with flagpole (no flag text)
    d.rectangle(s(830, 330, 1010, 410), fill=rgb("#fefae0"))
    d.rectangle(s(830, 322, 1010, 336), fill=rgb("#bc4749"))
    for i in range(4):
        d.rectangle(s(846 + i * 42, 350, 872 + i * 42, 376), fill=rgb("#8ecae6"))
    d.line(s(1040, 410, 1040, 290), fill=rgb("#6c757d"), width=4 * SS)
    d.rectangle(s(1042, 292, 1092, 322), fill=rgb("#d62828"))
    save(img, "mountain-road.jpg")


def kite():
    """A kite with a long tail in a wide sky over a field."""
    img, d = canvas("#4cc9f0", "#caf0f8")
    cloud(d, 140, 180, 1.3)
    cloud(d, 820, 110, 1.0)
    hills(d, 560, 18, "#90be6d", 0.0, 0.6)
    kx, ky = 760, 250
    d.polygon(s(kx, ky - 110, kx + 80, ky, kx, ky + 130, kx - 80, ky), fill=rgb("#f94144"))
    d.polygon(s(kx, ky - 110, kx + 80, ky, kx, ky), fill=rgb("#f3722c"))
    d.polygon(s(kx, ky, kx - 80, ky, kx, ky + 130), fill=rgb("#f9c74f"))
    d.line(s(kx, ky - 110, kx, ky + 130), fill=rgb("#ffffff"), width=3 * SS)
    d.line(s(kx - 80, ky, kx + 80, ky), fill=rgb("#ffffff"), width=3 * SS)
    tail = [(kx + 60 * math.sin(t / 25), ky + 130 + t) for t in range(0, 220, 4)]
    d.line([(x * SS, y * SS) for x, y in tail], fill=rgb("#577590"), width=3 * SS)
    for t in range(30, 220, 50):
        x, y = kx + 60 * math.sin(t / 25), ky + 130 + t
        d.polygon(s(x - 14, y, x, y - 10, x + 14, y, x, y + 10), fill=rgb("#43aa8b"))
    # string down to the field
    d.line(s(kx, ky + 10, 300, 620), fill=rgb("#ffffff"), width=2 * SS)
    save(img, "kite.jpg")


def wishes():
    """Wish cards hanging from a string, with small gifts below."""
    img, d = canvas("#fff1e6", "#fde2e4")
    pts = [(x, 130 + 50 * math.sin(x / 380 * math.pi)) for x in range(0, W + 1, 10)]
    d.line([(x * SS, y * SS) for x, y in pts], fill=rgb("#9d8189"), width=4 * SS)
    colours = ("#ffadad", "#ffd6a5", "#fdffb6", "#caffbf", "#9bf6ff", "#a0c4ff", "#bdb2ff")
    for i, x in enumerate(range(100, 1150, 150)):
        y = 130 + 50 * math.sin(x / 380 * math.pi)
        ang = (-1) ** i * 5
        card = Image.new("RGBA", (110 * SS, 150 * SS), (0, 0, 0, 0))
        cd = ImageDraw.Draw(card)
        cd.rounded_rectangle(
            (0, 0, 110 * SS - 1, 150 * SS - 1), radius=12 * SS, fill=rgb(colours[i % 7])
        )
        for k in range(3):
            cd.line(s(18, 50 + k * 28, 92, 50 + k * 28), fill=rgb("#ffffff"), width=5 * SS)
        cd.ellipse(s(48, 10, 62, 24), fill=rgb("#ffffff"))
        card = card.rotate(ang, resample=Image.BICUBIC, expand=True)
        img.paste(card, (int((x - 55) * SS), int((y + 8) * SS)), card)
        d.line(s(x, y, x, y + 18), fill=rgb("#9d8189"), width=3 * SS)
    # gifts
    for x, c, r in (
        (260, "#e63946", "#ffd166"),
        (560, "#2a9d8f", "#ffffff"),
        (860, "#457b9d", "#ffd166"),
    ):
        d.rectangle(s(x, 470, x + 150, 600), fill=rgb(c))
        d.rectangle(s(x + 66, 470, x + 84, 600), fill=rgb(r))
        d.rectangle(s(x, 520, x + 150, 536), fill=rgb(r))
        d.ellipse(s(x + 40, 440, x + 76, 476), outline=rgb(r), width=8 * SS)
        d.ellipse(s(x + 74, 440, x + 110, 476), outline=rgb(r), width=8 * SS)
    d.rectangle(s(0, 600, W, H), fill=rgb("#e5989b"))
    save(img, "wishes.jpg")


def main():
    for draw in (
        campaign_hero,
        schoolbag,
        rice_bowl,
        hands,
        books,
        map_shape,
        seedling,
        mountain_road,
        kite,
        wishes,
    ):
        draw()


if __name__ == "__main__":
    main()
