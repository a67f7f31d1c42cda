"""Small layout and number-formatting helpers shared by the scenes."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, UP, Mobject, config

__all__ = ["fit_width", "fmt", "keep_in_frame", "sample_range", "tick_step"]


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
