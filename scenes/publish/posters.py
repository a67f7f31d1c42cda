"""Poster frames: the picture that stands for a section, read from its clip with PyAV.

A section ends just before the next step begins, when what it built is on
screen and held for its line to be read, so its last frame is the natural
poster. Two things make a last frame a bad poster: a stage faded out at the
end (almost nothing drawn) and a frame caught mid-change. So the poster is
the latest frame that is still (almost equal to the one before) and has
something drawn above the caption band; failing that, the latest frame with
something drawn; failing that, the last frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenes.render import frame_image, video_frames

__all__ = ["Poster", "choose_poster", "drawn_share"]

SMALL = (96, 54)  # frames are judged at this size: enough to tell a drawing from an empty stage
CAPTION_BAND = 0.12  # the bottom share of the frame where the caption sits (y below −3.05 of ±4)
DRAWN = 0.004  # a frame with less than this share of pixels off the background counts as empty
STILL = 0.6  # mean change per pixel (0…255) from the frame before under which a frame is still


@dataclass(frozen=True)
class Poster:
    """The chosen frame, its time in the clip and how much of it is drawn."""

    image: object  # PIL.Image.Image at the clip's resolution
    time: float
    drawn: float


def drawn_share(small: np.ndarray) -> float:
    """Share of the pixels above the caption band that differ clearly from the background (its border's median).

    Examples
    --------
    >>> frame = np.zeros((54, 96, 3), dtype=np.uint8)
    >>> frame[10:20, 10:40] = 255
    >>> round(drawn_share(frame), 3)
    0.065
    """
    stage = small[: int(round(small.shape[0] * (1 - CAPTION_BAND)))].astype(np.int16)
    border = np.concatenate([stage[0], stage[-1], stage[:, 0], stage[:, -1]])
    background = np.median(border, axis=0)
    return float(np.mean(np.abs(stage - background).max(axis=-1) > 32))


def _scan(container: object, since: float) -> tuple[int, Poster] | None:
    """The best frame from ``since`` seconds on, with its rank: 2 still and drawn, 1 drawn, 0 anything."""
    stream = container.streams.video[0]
    if since > 0:
        container.seek(int(since / stream.time_base), stream=stream, backward=True)
    best: tuple[int, Poster] | None = None
    previous = None
    for frame in video_frames(container):
        time = float(frame.time or 0.0)
        if time < since - 1e-6:
            continue
        small = frame.reformat(width=SMALL[0], height=SMALL[1], format="rgb24").to_ndarray().astype(np.int16)
        share = drawn_share(small)
        still = previous is None or float(np.mean(np.abs(small - previous))) < STILL
        rank = (2 if still else 1) if share >= DRAWN else 0
        if best is None or rank >= best[0]:  # frames come in time order: the latest of the best rank wins
            best = (rank, Poster(frame_image(frame), round(time, 3), share))
        previous = small
    return best


def choose_poster(video: Path, tail: float = 2.0) -> Poster:
    """The poster frame of a clip (see the module's rule); only its last ``tail`` seconds are read when they hold one.

    Examples
    --------
    >>> poster = choose_poster(Path("media/lecture/en-dark-l/01_TangentArrow_sections/01_TangentArrow_0000_curve.mp4"))  # doctest: +SKIP
    >>> poster.image.save("curve.png")  # doctest: +SKIP
    """
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frames decoded on all cores; set before the first decode
        duration = float(stream.duration * stream.time_base) if stream.duration else container.duration / 1e6
        best = _scan(container, max(0.0, duration - tail))
        if best is None or best[0] < 2:
            container.seek(0)
            best = _scan(container, 0.0) or best
    if best is None:
        raise ValueError(f"{video}: no frame could be decoded")
    return best[1]
