"""Tile frames of a rendered clip into one PNG, to look at a scene at a glance.

    .venv/bin/python tools/contact_sheet.py media/videos/tangent/480p15/TangentArrow.mp4 --every 2.5
    .venv/bin/python tools/contact_sheet.py CLIP.mp4 --at 3.0 7.5 12 --columns 2 --out /tmp/sheet.png

Each tile is labelled with its time in seconds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import av
from PIL import Image, ImageDraw


def frames_at(video: Path, times: list[float]) -> list[tuple[float, Image.Image]]:
    """The first decoded frame at or after each requested time."""
    wanted = sorted(times)
    found: list[tuple[float, Image.Image]] = []
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            while wanted and frame.time is not None and frame.time >= wanted[0] - 1e-6:
                found.append((wanted.pop(0), frame.to_image()))
            if not wanted:
                break
    return found


def sheet(images: list[tuple[float, Image.Image]], columns: int, width: int) -> Image.Image:
    tiles = []
    for t, image in images:
        tile = image.convert("RGB")
        tile = tile.resize((width, round(tile.height * width / tile.width)))
        ImageDraw.Draw(tile).text((6, 4), f"{t:.1f}s", fill=(255, 0, 255))
        tiles.append(tile)
    rows = -(-len(tiles) // columns)
    w, h = tiles[0].size
    out = Image.new("RGB", (columns * w + (columns - 1) * 4, rows * h + (rows - 1) * 4), (128, 128, 128))
    for i, tile in enumerate(tiles):
        out.paste(tile, ((i % columns) * (w + 4), (i // columns) * (h + 4)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", type=Path)
    parser.add_argument("--at", type=float, nargs="*", help="times in seconds")
    parser.add_argument("--every", type=float, help="one frame every so many seconds")
    parser.add_argument("--columns", type=int, default=3)
    parser.add_argument("--width", type=int, default=427, help="tile width in pixels")
    parser.add_argument("--out", type=Path, default=Path("/tmp/contact_sheet.png"))
    args = parser.parse_args()
    times = list(args.at or [])
    if args.every:
        with av.open(str(args.video)) as container:
            duration = float(container.duration) / 1e6
        times += [i * args.every for i in range(int(duration / args.every) + 1)]
    sheet(frames_at(args.video, times), args.columns, args.width).save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
