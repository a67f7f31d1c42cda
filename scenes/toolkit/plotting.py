"""Small layout and number-formatting helpers shared by the scenes."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Mobject, VGroup, config

__all__ = [
    "LabelPlacer",
    "fit_width",
    "fmt",
    "keep_in_frame",
    "paren",
    "place_label",
    "row",
    "sample_range",
    "tick_step",
]


def fmt(value: float, decimals: int = 2) -> str:
    """A number for a static label: at most ``decimals`` decimals, trailing zeros dropped.

    Uses the Unicode minus so Typst and Pango draw a real minus sign.

    Examples
    --------
    >>> [fmt(1.0), fmt(0.5), fmt(-1.23456), fmt(-1e-9), fmt(2.999999)]
    ['1', '0.5', '−1.23', '0', '3']
    """
    text = f"{float(value):.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", "−")


def sample_range(bounds: tuple[float, float], samples: int = 401) -> np.ndarray:
    """Evenly spaced samples covering ``bounds`` (both ends included)."""
    return np.linspace(bounds[0], bounds[1], samples)


def tick_step(bounds: tuple[float, float], ticks: int = 5) -> float:
    """A round tick spacing (1, 2 or 5 × 10ᵏ) giving about ``ticks`` ticks.

    Examples
    --------
    >>> tick_step((0, 6.5)), tick_step((-9, 9))
    (2.0, 5.0)
    """
    raw = (bounds[1] - bounds[0]) / ticks
    magnitude = 10 ** np.floor(np.log10(raw))
    return float(min(s * magnitude for s in (1, 2, 5, 10) if s * magnitude >= raw))


def keep_in_frame(mobject: Mobject, margin: float = 0.2, bottom: float = -3.05) -> Mobject:
    """Shift ``mobject`` back inside the frame (and above the caption band at ``bottom``)."""
    half_w, half_h = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    if mobject.get_left()[0] < -half_w:
        mobject.shift((-half_w - mobject.get_left()[0]) * RIGHT)
    if mobject.get_right()[0] > half_w:
        mobject.shift((half_w - mobject.get_right()[0]) * RIGHT)
    if mobject.get_top()[1] > half_h:
        mobject.shift((half_h - mobject.get_top()[1]) * UP)
    if mobject.get_bottom()[1] < bottom:
        mobject.shift((bottom - mobject.get_bottom()[1]) * UP)
    return mobject


def fit_width(mobject: Mobject, width: float) -> Mobject:
    """Scale ``mobject`` down (never up) to at most ``width``."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


_CANDIDATES = ((-1, 1), (1, 1), (1, -1), (-1, -1), (0, 1), (0, -1), (1, 0), (-1, 0))


def place_label(
    label: Mobject,
    anchor: np.ndarray,
    avoid: np.ndarray,
    buff: float = 0.15,
    inside: tuple[float, float, float, float] | None = None,
    hard: np.ndarray | None = None,
) -> Mobject:
    """Put ``label`` beside ``anchor`` on the side that covers the fewest ``avoid`` points.

    Eight sides are tried at four distances; leaving the ``inside`` box costs most,
    then each covered point, then each step further out.

    Parameters
    ----------
    label
        The mobject to place (moved in place and returned).
    anchor
        Screen point the label belongs to.
    avoid
        Screen points the label must not cover, shape ``(k, 3)`` (e.g. samples of a curve).
    inside
        Optional box ``(left, right, bottom, top)`` the label should stay in; sides that leave it
        are tried last.
    hard
        Screen points that must stay uncovered more than any curve, e.g. other labels' outlines:
        each one covered costs as much as 50 ``avoid`` points.
    """
    avoid = np.asarray(avoid, dtype=float)
    hard = np.empty((0, 3)) if hard is None else np.asarray(hard, dtype=float).reshape(-1, 3)
    best, best_cost = None, None
    half = np.array([label.width / 2, label.height / 2])
    for (dx, dy), extra in ((c, e) for e in (0.0, 0.45, 0.9, 1.35) for c in _CANDIDATES):
        offset = np.array([dx * (half[0] + buff + extra), dy * (half[1] + buff + extra)])
        centre = np.asarray(anchor)[:2] + offset
        lo, hi = centre - half - 0.05, centre + half + 0.05
        covered = np.all((avoid[:, :2] >= lo) & (avoid[:, :2] <= hi), axis=1).sum() if len(avoid) else 0
        covered += 50 * np.all((hard[:, :2] >= lo) & (hard[:, :2] <= hi), axis=1).sum()
        outside = 0
        if inside is not None:
            left, right, bottom, top = inside
            outside = int(lo[0] < left or hi[0] > right or lo[1] < bottom or hi[1] > top)
        cost = covered + 100 * outside + 3 * round(extra / 0.45)
        if best_cost is None or cost < best_cost:
            best, best_cost = centre, cost
    label.move_to([best[0], best[1], 0])
    return label


class LabelPlacer:
    """Places labels one after another inside a box, each clear of given points and of the labels placed before.

    Parameters
    ----------
    inside
        ``(left, right, bottom, top)`` of the box the labels stay in (see :func:`place_label`).
    avoid
        Screen points, or arrays of them (shape ``(..., 3)``), every label keeps off.
    buff
        Gap between a label and its anchor.

    Examples
    --------
    >>> from manim import Square
    >>> placer = LabelPlacer((-2.0, 2.0, -2.0, 2.0), [np.zeros((1, 3))])
    >>> first = placer.place(Square(0.5), np.zeros(3))
    >>> second = placer.place(Square(0.5), np.zeros(3))
    >>> bool(np.abs(first.get_center() - second.get_center()).max() > 0.4)  # the second keeps off the first
    True
    """

    def __init__(self, inside: tuple[float, float, float, float], avoid=(), buff: float = 0.15):
        self.inside, self.buff = inside, buff
        self.avoid: list[np.ndarray] = []
        self.hard: list[np.ndarray] = []  # other labels: covering one costs more than any curve
        self.keep_off(*avoid)

    def keep_off(self, *points, hard: bool = False) -> None:
        """Screen points (each an array of shape ``(..., 3)``) that the labels placed from now on keep off.

        ``hard=True`` for points of other labels, which a label must not cover even to stay off a curve.
        """
        (self.hard if hard else self.avoid).extend(np.asarray(p, dtype=float).reshape(-1, 3) for p in points)

    def place(self, label: Mobject, anchor: np.ndarray) -> Mobject:
        """Put ``label`` beside ``anchor`` (see :func:`place_label`) and keep later labels off it; returns it."""
        avoid = np.vstack(self.avoid) if self.avoid else np.empty((0, 3))
        hard = np.vstack(self.hard) if self.hard else None
        place_label(label, anchor, avoid, buff=self.buff, inside=self.inside, hard=hard)
        low, high = label.get_corner(DOWN + LEFT), label.get_corner(UP + RIGHT)
        share = np.stack(np.meshgrid(np.linspace(0, 1, 8), np.linspace(0, 1, 4), [0.0]), axis=-1).reshape(-1, 3)
        self.keep_off(low + share * (high - low), hard=True)  # a grid of points over the label's footprint
        return label


def paren(number: str) -> str:
    """A formatted number as a factor: in parentheses when it is negative.

    Examples
    --------
    >>> paren(fmt(-0.5)), paren(fmt(2.0))
    ('(−0.5)', '2')
    """
    return f"({number})" if number.startswith(("-", "−")) else number


def row(*parts: Mobject, buff: float = 0.15) -> VGroup:
    """Mobjects side by side, e.g. a name and its live number.

    Examples
    --------
    >>> from manim import Dot
    >>> round(float(row(Dot(), Dot(), buff=0.5)[1].get_x() - row(Dot())[0].get_x()), 2) > 0
    True
    """
    return VGroup(*parts).arrange(RIGHT, buff=buff)
