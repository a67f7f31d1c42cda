"""The lecture's cameras: Manim's Cairo drawing, with the path of each mobject handed to Cairo faster.

Every frame, Manim's camera hands each visible mobject's Bézier curves to Cairo one
``curve_to`` at a time, reading each coordinate out of a NumPy array and finding the
breaks between subpaths with a dozen small NumPy calls. Both cost more than the drawing
itself for the small mobjects a lecture is made of (a glyph has a few dozen curves).
:class:`FastPaths` reads the coordinates as Python floats and finds the breaks in one
pass; Cairo receives exactly the same path (``tests/test_drawing.py`` compares them).

* :class:`LectureCamera` — the camera of 2D lecture scenes;
* the 3D scenes' ``StillsCamera`` (``scenes/toolkit/stills.py``) mixes :class:`FastPaths` in too.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from manim import Camera, VMobject

__all__ = ["FastPaths", "LectureCamera", "subpaths"]

RTOL = 1.0e-5  # numpy.isclose's, as Manim's point comparisons use


def subpaths(points: np.ndarray, atol: float) -> list[tuple[int, int]]:
    """The ``(start, end)`` point ranges (end excluded) of the runs of joined cubic curves in ``points``.

    Two curves join where the end anchor of one is within ``atol + 1e-5·|x|`` of the start of
    the next in x and y (Manim's rule, for finite points: the camera has replaced any others).

    Examples
    --------
    >>> square = np.array([[0, 0, 0], [0, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 0]])
    >>> subpaths(np.vstack([square, square + 5]), 1e-6)  # two curves, a jump, two curves
    [(0, 8), (8, 16)]
    """
    n = len(points)
    if n < 4:
        return []
    ends, starts = points[3 : n - 1 : 4, :2], points[4::4, :2]
    close = np.abs(ends - starts) <= atol + RTOL * np.abs(starts)
    breaks = (np.flatnonzero(~(close[:, 0] & close[:, 1])) + 1) * 4
    edges = [0, *breaks.tolist(), n]
    return list(pairwise(edges))


def _same(x0: float, y0: float, x1: float, y1: float, atol: float) -> bool:
    """Manim's ``consider_points_equals_2d`` for two finite points."""
    return (x0 == x1 or abs(x0 - x1) <= atol + RTOL * abs(x1)) and (y0 == y1 or abs(y0 - y1) <= atol + RTOL * abs(y1))


class FastPaths:
    """Mix in before a Manim camera class: the same Cairo paths as Manim's ``set_cairo_context_path``, faster."""

    def set_cairo_context_path(self, ctx: Any, vmobject: VMobject) -> Any:
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points) == 0:
            return self
        if not np.isfinite(points).all():  # a perspective blow-up: Manim's rules for infinite points
            return super().set_cairo_context_path(ctx, vmobject)
        ctx.new_path()
        atol = vmobject.tolerance_for_point_equality
        xy = points[:, :2].ravel().tolist()
        move_to, curve_to, new_sub_path = ctx.move_to, ctx.curve_to, ctx.new_sub_path
        for start, end in subpaths(points, atol):
            if end - start < 4:
                continue
            new_sub_path()
            move_to(xy[2 * start], xy[2 * start + 1])
            for b in range(2 * start + 2, 2 * end - 5, 8):  # the two handles and the end anchor of each curve
                curve_to(xy[b], xy[b + 1], xy[b + 2], xy[b + 3], xy[b + 4], xy[b + 5])
            last = 2 * (end - 1)
            if _same(xy[2 * start], xy[2 * start + 1], xy[last], xy[last + 1], atol):
                ctx.close_path()
        return self


class LectureCamera(FastPaths, Camera):
    """Manim's 2D camera, with :class:`FastPaths`."""
