"""Colour picks a scene makes from its palette: blends, and colours that stand out against others.

Examples
--------
>>> mix("#000000", "#FFFFFF", 0.5)
'#7F7F7F'
>>> distinct_from(("#FF0000", "#0000FF", "#00FF00"), ("#0000FF",), 2)
['#FF0000', '#00FF00']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import ManimColor

__all__ = ["distinct_from", "mix"]


def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b`` (both palette colours), as hex."""
    return ManimColor(a).interpolate(ManimColor(b), t).to_hex()


def distinct_from(colours: Sequence[str], backdrop: Sequence[str], count: int) -> list[str]:
    """``count`` of ``colours`` (kept in palette order) that stand out most against the ``backdrop`` colours.

    A colour's contrast is its smallest RGB distance to any backdrop colour; a
    backdrop of two colours is read as a ramp, so its middle counts too.
    """
    backdrop_rgb = [ManimColor(c).to_rgb() for c in backdrop]
    if len(backdrop_rgb) == 2:  # a colour ramp: also check its middle
        backdrop_rgb.append((backdrop_rgb[0] + backdrop_rgb[1]) / 2)

    def contrast(colour: str) -> float:
        rgb = ManimColor(colour).to_rgb()
        return min(float(np.linalg.norm(rgb - other)) for other in backdrop_rgb)

    best = sorted(range(len(colours)), key=lambda i: -contrast(colours[i]))[:count]
    return [colours[i] for i in sorted(best)]
