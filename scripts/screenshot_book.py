"""Screenshot the built book's pages in headless Chromium, to look at them as a reader would.

Usage::

    python scripts/screenshot_book.py _build/html shots/ [--width 1280] [--tile 1600]

For each page under ``<html>/book/`` it takes one tall screenshot with a fresh browser
profile, trims the blank space below the content and cuts it into tiles of ``--tile``
pixels height (``<page>-01.png``, ...), small enough to read in an image viewer. Needs the
Debian package ``chromium`` (``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("chromium not found: install the Debian package `chromium`")


def screenshot(browser: str, page: Path, target: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--virtual-time-budget=5000",
            f"--screenshot={target}",
            page.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def trim_and_tile(shot: Path, out_dir: Path, stem: str, tile: int) -> list[Path]:
    image = Image.open(shot).convert("RGB")
    pixels = np.asarray(image)
    middle = pixels[:, image.width // 5 : image.width * 4 // 5]  # ignore the sidebars' border lines
    rows = np.flatnonzero((middle < 245).any(axis=(1, 2)))
    bottom = int(rows[-1]) + 20 if len(rows) else image.height
    gaps = np.flatnonzero(np.diff(rows) > 1200)  # the page ends where a long blank run begins
    if len(gaps):  # (the theme pins its footer to the bottom of the tall window)
        bottom = int(rows[gaps[0]]) + 20
    image = image.crop((0, 0, image.width, min(bottom, image.height)))
    tiles = []
    for index, top in enumerate(range(0, image.height, tile), start=1):
        path = out_dir / f"{stem}-{index:02d}.png"
        image.crop((0, top, image.width, min(top + tile, image.height))).save(path)
        tiles.append(path)
    return tiles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built HTML folder (_build/html)")
    parser.add_argument("out", type=Path, help="folder for the PNG tiles")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=16000, help="height of the tall screenshot before trimming")
    parser.add_argument("--tile", type=int, default=1600)
    parser.add_argument("--pages", nargs="*", help="page names to shoot (default: every page under book/)")
    args = parser.parse_args(argv)

    browser = find_chromium()
    pages = sorted((args.html / "book").glob("*.html"))
    if args.pages:
        pages = [page for page in pages if page.stem in args.pages]
    if not pages:
        raise SystemExit(f"no pages found under {args.html / 'book'}")
    args.out.mkdir(parents=True, exist_ok=True)
    for page in pages:
        raw = args.out / f"{page.stem}-full.png"
        screenshot(browser, page, raw, args.width, args.height)
        tiles = trim_and_tile(raw, args.out, page.stem, args.tile)
        raw.unlink()
        print(f"{page.stem}: {len(tiles)} tiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
