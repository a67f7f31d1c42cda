"""What a path did, read off its points: where it ends, where it leaves a box, how a run went.

The scenes draw paths from :func:`gradcore.descend`; every question they ask
about one is answered here, with one rule each:

* :func:`nearest_minimum` — a point has *reached* a minimum when it lies within
  ``MINIMUM_TOLERANCE`` (3 %) of the box's longer side from it. A run that
  converges (``|∇f| < tol``) ends far closer than that; 3 % still tells apart
  minima that a map at lecture size shows as separate dots.
* :func:`clip_to_box` — the points up to the first one outside the box, that
  one replaced by the crossing of the box's edge.
* :func:`verdict` — ``diverged`` (gradcore's status, or the path left the box),
  ``arrived`` (converged), ``oscillating`` (out of steps, and steps overshoot:
  the value went up on some step, or at least a third of the steps turn back
  by more than 90° from the step before), else ``crawling`` (out of steps while
  still going the same way downhill).
* :func:`flow_lines` — paths of −∇f by gradient descent with a step small
  enough to follow the flow: the steepest step on the map moves ``step`` of it.
* :func:`spread_along` — points evenly spaced by arc length along a polyline,
  with unit tangents.

Boxes are ``((x0, x1), (y0, y1))`` (one ``(lo, hi)`` per coordinate).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from gradcore.calculus import gradient
from gradcore.descent import Path, descend
from gradcore.typing import FloatArray, Landscape, Points

__all__ = [
    "MINIMUM_TOLERANCE",
    "Box",
    "Verdict",
    "clip_to_box",
    "distance_to_edge",
    "flow_lines",
    "nearest_minimum",
    "ring_points",
    "spread_along",
    "verdict",
]

Box = Sequence[tuple[float, float]]
Verdict = Literal["arrived", "crawling", "oscillating", "diverged"]

MINIMUM_TOLERANCE = 0.03
"""A point within this share of the box's longer side from a minimum has reached it."""


def _bounds(box: Box) -> tuple[FloatArray, FloatArray]:
    return np.array([lo for lo, _ in box], dtype=float), np.array([hi for _, hi in box], dtype=float)


def nearest_minimum(point: Points, minima: Sequence, box: Box, tol: float = MINIMUM_TOLERANCE) -> int | None:
    """Index of the minimum that ``point`` has reached, or None.

    Parameters
    ----------
    point
        Shape ``(n,)``.
    minima
        Objects with a ``point`` attribute (e.g. :func:`gradcore.find_minima`'s), in any order.
    box
        The map: the tolerance is ``tol`` times its longer side.

    Examples
    --------
    >>> from types import SimpleNamespace as M
    >>> minima = [M(point=np.array([0.0, 0.0])), M(point=np.array([2.0, 0.0]))]
    >>> nearest_minimum([1.99, 0.01], minima, ((-2, 2), (-2, 2))), nearest_minimum([1.0, 0.0], minima, ((-2, 2), (-2, 2)))
    (1, None)
    """
    if not minima:
        return None
    lo, hi = _bounds(box)
    distances = [float(np.linalg.norm(np.asarray(point, dtype=float) - m.point)) for m in minima]
    best = int(np.argmin(distances))
    return best if distances[best] < tol * float(np.max(hi - lo)) else None


def clip_to_box(points: Points, box: Box) -> tuple[FloatArray, int | None]:
    """The points up to the first one outside ``box``, that one replaced by the crossing of the box's edge.

    Returns the kept points, shape ``(k, n)``, and the index of the first point
    outside (None if every point is inside). Everything returned is finite; a
    start outside the box is clipped onto it.

    Examples
    --------
    >>> kept, leaves = clip_to_box(np.array([[0.0, 0.0], [0.5, 0.0], [2.0, 0.0]]), ((-1, 1), (-1, 1)))
    >>> kept.tolist(), leaves
    ([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], 2)
    """
    lo, hi = _bounds(box)
    points = np.asarray(points, dtype=float)
    inside = np.all(np.isfinite(points) & (points >= lo) & (points <= hi), axis=1)
    if inside.all():
        return points.copy(), None
    first = int(np.argmin(inside))
    if first == 0:
        return np.clip(np.nan_to_num(points[:1]), lo, hi), 0
    a, b = points[first - 1], points[first]
    d = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.concatenate([np.where(d > 0, (hi - a) / d, np.inf), np.where(d < 0, (lo - a) / d, np.inf)])
    t = float(np.clip(np.min(ts[np.isfinite(ts)], initial=1.0), 0.0, 1.0))
    crossing = np.clip(a + t * np.nan_to_num(d), lo, hi)
    return np.vstack([points[:first], crossing]), first


def verdict(path: Path, box: Box | None = None) -> Verdict:
    """How a run went, from its status and values: the rule is in the module docstring.

    Examples
    --------
    >>> f = lambda x, y: x**2 + 10 * y**2
    >>> [verdict(descend(f, [1.0, 1.0], lr=lr, steps=200, tol=1e-3)) for lr in (0.001, 0.04, 0.099, 0.2)]
    ['crawling', 'arrived', 'oscillating', 'diverged']
    """
    if path.status == "diverged" or (box is not None and clip_to_box(path.points, box)[1] is not None):
        return "diverged"
    if path.status == "converged":
        return "arrived"
    steps = np.diff(path.points, axis=0)
    turns = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0  # a step that turns back on the one before
    if np.any(np.diff(path.values) > 0) or (len(turns) and turns.mean() >= 1 / 3):
        return "oscillating"
    return "crawling"


def distance_to_edge(point: Points, direction: Points, box: Box) -> float:
    """How far from ``point`` along the unit vector ``direction`` the box ends (0 if outside, inf if never).

    Examples
    --------
    >>> distance_to_edge([0.5, 0.0], [1.0, 0.0], ((-1, 1), (-1, 1)))
    0.5
    """
    lo, hi = _bounds(box)
    p, d = np.asarray(point, dtype=float), np.asarray(direction, dtype=float)
    limits = [
        (h - q) / v if v > 1e-12 else (lo_ - q) / v for q, v, lo_, h in zip(p, d, lo, hi, strict=True) if abs(v) > 1e-12
    ]
    return float(max(min(limits, default=np.inf), 0.0))


def ring_points(box: Box, count: int, inset: float = 0.92) -> FloatArray:
    """``count`` points evenly spaced along a square ring at ``inset`` of the box's half-widths, shape ``(count, 2)``.

    The first sits half a spacing past the middle of the right side, so the
    ring's symmetry does not line the points up with the axes.

    Examples
    --------
    >>> ring_points(((-1, 1), (-1, 1)), 4, inset=1.0).round(2).tolist()
    [[1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]]
    """
    (x0, x1), (y0, y1) = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = inset * (x1 - x0) / 2, inset * (y1 - y0) / 2
    corners = np.array(
        [[cx + hx, cy], [cx + hx, cy + hy], [cx - hx, cy + hy], [cx - hx, cy - hy], [cx + hx, cy - hy], [cx + hx, cy]]
    )
    stops = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(corners, axis=0), axis=1))])
    s = (np.arange(count) + 0.5) / count * stops[-1]
    return np.stack([np.interp(s, stops, corners[:, 0]), np.interp(s, stops, corners[:, 1])], axis=1)


def flow_lines(
    f: Landscape,
    starts: Points,
    box: Box,
    *,
    step: float = 0.004,
    max_steps: int = 4000,
    tol: float = 5e-3,
    samples: int = 240,
) -> list[FloatArray]:
    """Paths along −∇f from ``starts``, each cut where it leaves ``box`` and thinned to at most ``samples`` points.

    Gradient descent with ``η = step · span / max|∇f|`` (the steepest step on a
    41 × 41 grid of the box moves ``step`` of its longer side ``span``) stands in
    for the flow; a path stops when ``|∇f| < tol · max|∇f|``. A start at a
    critical point gives a path of two equal points.

    Returns
    -------
    list of ndarray
        One path per start, each of shape ``(k, 2)`` with ``k ≥ 2``.

    Examples
    --------
    >>> paths = flow_lines(lambda x, y: x**2 + y**2, [[1.0, 0.0]], ((-1, 1), (-1, 1)))
    >>> bool(np.linalg.norm(paths[0][-1]) < 0.01), paths[0].shape[1]
    (True, 2)
    """
    (x0, x1), (y0, y1) = box
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)), axis=-1)
    steepest = float(np.linalg.norm(gradient(f, grid), axis=-1).max())
    span = max(x1 - x0, y1 - y0)
    lr = step * span / max(steepest, 1e-12)
    runs = descend(f, np.asarray(starts, dtype=float).reshape(-1, 2), lr=lr, steps=max_steps, tol=tol * steepest)
    lo, hi = _bounds(box)
    paths = []
    for run in runs:
        points = run.points
        outside = np.flatnonzero(np.any((points < lo) | (points > hi), axis=1))
        if outside.size:
            points = points[: max(outside[0], 1)]  # the path leaves the map: keep what is on it
        if len(points) == 1:
            points = np.vstack([points, points])
        keep = np.unique(np.linspace(0, len(points) - 1, min(len(points), samples)).round().astype(int))
        paths.append(points[keep])
    return paths


def spread_along(line: Points, count: int) -> list[tuple[FloatArray, FloatArray]]:
    """``count`` points evenly spaced by arc length along a polyline, each with its unit tangent.

    A closed line (first point = last) starts an eighth of a spacing in; an open
    one keeps half a spacing away from its ends (where it meets a map's border).

    Examples
    --------
    >>> [(p.tolist(), t.tolist()) for p, t in spread_along(np.array([[0.0, 0.0], [4.0, 0.0]]), 2)]
    [([1.0, 0.0], [1.0, 0.0]), ([3.0, 0.0], [1.0, 0.0])]
    """
    line = np.asarray(line, dtype=float)
    closed = np.allclose(line[0], line[-1])
    steps = np.linalg.norm(np.diff(line, axis=0), axis=1)
    s = np.concatenate([[0], np.cumsum(steps)])
    offset = 0.125 if closed else 0.5
    out = []
    for target in (np.arange(count) + offset) / count * s[-1]:
        k = int(np.clip(np.searchsorted(s, target) - 1, 0, len(line) - 2))
        share = (target - s[k]) / max(steps[k], 1e-300)
        point = line[k] + share * (line[k + 1] - line[k])
        tangent = line[min(k + 3, len(line) - 1)] - line[max(k - 2, 0)]
        out.append((point, tangent / np.linalg.norm(tangent)))
    return out


def nearest_curve(lines: Sequence[Points], point: Points) -> FloatArray:
    """The polyline among ``lines`` whose closest vertex lies nearest to ``point``.

    Distances are measured to the vertices (dense polylines, e.g. from
    :func:`gradcore.level_curves`, make that the distance to the line); ties go
    to the first line.

    Parameters
    ----------
    lines
        Polylines, shape ``(k_i, n)`` each; at least one.
    point
        Shape ``(n,)``.

    Examples
    --------
    >>> lines = [np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 2.0], [1.0, 2.0]])]
    >>> nearest_curve(lines, [0.5, 1.5]).tolist()
    [[0.0, 2.0], [1.0, 2.0]]
    """
    if not len(lines):
        raise ValueError("nearest_curve needs at least one polyline; got none (is the level outside the map?)")
    point = np.asarray(point, dtype=float)
    return min(lines, key=lambda line: float(np.min(np.linalg.norm(np.asarray(line) - point, axis=1))))


__all__ += ["nearest_curve"]


def arrow_scale(
    xs: Points, slopes: Points, bounds: tuple[float, float], longest: float, *, cap: float = 1.0, floor: float = 1e-3
) -> float:
    """The scale ``s`` of arrows ``x → x + s f'(x)`` on a line: as large as allowed, up to ``cap``.

    No arrow may leave ``bounds`` and none may be longer than ``longest``; arrows
    with a slope under 1e-9 (flat points) are not limiting. The result is at least
    ``floor``, so an arrow starting on the edge it points at still has a scale.

    Parameters
    ----------
    xs, slopes
        Where the arrows start and the slopes there, shape ``(k,)``.
    bounds
        ``(lo, hi)`` every arrow must stay in.
    longest
        The longest arrow allowed, in x units: the steepest slope's arrow, unless an edge comes first.

    Examples
    --------
    >>> arrow_scale([0.0, 0.5], [2.0, -1.0], (-1.0, 1.0), longest=0.6)  # the steepest arrow is 0.6 long
    0.3
    >>> round(arrow_scale([0.9], [1.0], (-1.0, 1.0), longest=1.0), 9)  # the edge at 1 is 0.1 away
    0.1
    """
    xs, slopes = np.asarray(xs, dtype=float), np.asarray(slopes, dtype=float)
    size = np.abs(slopes)
    room = np.where(slopes > 0, bounds[1] - xs, xs - bounds[0])  # distance to the edge each arrow points at
    moving = size > 1e-9
    limits = [cap, longest / max(float(size.max()), 1e-12)]
    if moving.any():
        limits.append(float(np.min(room[moving] / size[moving])))
    return max(min(limits), floor)


__all__ += ["arrow_scale"]
