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
from dataclasses import dataclass
from typing import Literal

import numpy as np

from gradcore.calculus import derivative, gradient, hessian
from gradcore.descent import Path, descend
from gradcore.minima import critical_points
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


# --- ties, curvature and a learning rate that works (issue 11) --------------------------------

TIE_TOLERANCE = 1e-6
"""Two minima tie for the lowest when their values differ by at most this share of ``max(1, |lowest|)``."""


def lowest_minima(minima: Sequence, tol: float = TIE_TOLERANCE) -> list[int]:
    """Indices of the minima whose value ties with the lowest: each of them is *a* global minimum.

    A value ties when it lies within ``tol · max(1, |lowest|)`` of the lowest
    (find_minima's values carry rounding of about 1e-12 relative). Empty for no minima.

    Examples
    --------
    >>> from types import SimpleNamespace as M
    >>> lowest_minima([M(value=0.0), M(value=8e-31), M(value=0.5)]), lowest_minima([M(value=1.0), M(value=2.0)])
    ([0, 1], [0])
    """
    if not len(minima):
        return []
    low = min(float(m.value) for m in minima)
    return [i for i, m in enumerate(minima) if float(m.value) - low <= tol * max(1.0, abs(low))]


def curvature(f: Landscape, point: Points) -> float:
    """λmax: the largest eigenvalue of the Hessian of ``f`` at ``point`` (the steepest curvature there).

    Examples
    --------
    >>> round(curvature(lambda x, y: x**2 + 10 * y**2, [0.0, 0.0]), 6)
    20.0
    """
    from gradcore.calculus import hessian

    h = np.asarray(hessian(f, np.asarray(point, dtype=float)), dtype=float)
    n = h.shape[-1]
    return float(np.linalg.eigvalsh(h.reshape(n, n)).max())


def stable_lr(f: Landscape, minima: Sequence) -> float:
    """The bound ``2 / λmax`` over the minima: gradient descent settles in every one of them only below it.

    Near a minimum, ``x ← x − η∇f`` multiplies the offset along the Hessian's
    eigenvector of ``λ`` by ``1 − ηλ``, which shrinks only when ``η < 2/λ``.
    Infinite when there is no minimum or no positive curvature.

    Examples
    --------
    >>> from types import SimpleNamespace as M
    >>> round(stable_lr(lambda x, y: x**2 + 10 * y**2, [M(point=np.zeros(2))]), 9)
    0.1
    """
    lam = max((curvature(f, m.point) for m in minima), default=0.0)
    return 2.0 / lam if lam > 0 else float("inf")


def _round_down(value: float, digits: int = 2) -> float:
    """``value`` rounded down to ``digits`` significant digits (a number a person types)."""
    scale = 10.0 ** (np.floor(np.log10(value)) - digits + 1)
    return float(np.floor(value / scale + 1e-9) * scale)


def arrivals(f: Landscape, starts: Points, box: Box, minima: Sequence, **run) -> list[bool]:
    """For each start, whether its run (:func:`descend` with ``run``) arrives at one of ``minima`` inside ``box``."""
    paths = descend(f, np.asarray(starts, dtype=float).reshape(-1, len(box)), **run)
    return [verdict(p, box) == "arrived" and nearest_minimum(p.x, minima, box) is not None for p in paths]


def suggest_lr(
    f: Landscape, starts: Points, box: Box, minima: Sequence, *, factors: Sequence[float] = (1.0, 0.5, 0.25, 0.1), **run
) -> float | None:
    """A learning rate, ``factor / λmax`` rounded down to two digits, under which most runs from ``starts`` arrive.

    Each candidate is checked by running :func:`descend` (``run`` holds its other
    arguments: ``steps``, ``tol``, ``optimizer``, hyper-parameters); the one
    with the most arrivals wins, ties to the larger η. None when no candidate
    lets any run arrive (or there is no minimum).

    Examples
    --------
    >>> from gradcore.minima import find_minima
    >>> f, box = (lambda x, y: x**2 + 10 * y**2), ((-1, 1), (-1, 1))
    >>> suggest_lr(f, [[0.9, 0.9]], box, find_minima(f, box), steps=100, tol=1e-3)
    0.05
    """
    bound = stable_lr(f, minima)
    if not np.isfinite(bound):
        return None
    best, most = None, 0
    for factor in factors:
        lr = _round_down(factor * bound / 2)
        count = sum(arrivals(f, starts, box, minima, lr=lr, **run))
        if count > most:
            best, most = lr, count
    return best


def grows_outward(f: Landscape, centre: Points, box: Box, *, rays: int = 16, samples: int = 24) -> bool:
    """Whether ``|∇f|`` grows from ``centre`` towards the box's edge along (nearly) every ray.

    ``rays`` rays run from ``centre`` to the edge; along each, ``samples``
    points. True when at least 90 % of the consecutive pairs increase.

    Examples
    --------
    >>> grows_outward(lambda x, y: x**2 + y**2, [0.0, 0.0], ((-1, 1), (-1, 1)))
    True
    >>> grows_outward(lambda x, y: -np.exp(-(x**2 + y**2) * 4), [0.0, 0.0], ((-1, 1), (-1, 1)))
    False
    """
    centre = np.asarray(centre, dtype=float)
    angles = 2 * np.pi * (np.arange(rays) + 0.5) / rays
    rises = []
    for a in angles:
        d = np.array([np.cos(a), np.sin(a)])
        reach = distance_to_edge(centre, d, box)
        t = np.linspace(0.0, 1.0, samples)[1:, None] * reach
        size = np.linalg.norm(np.asarray(gradient(f, centre + t * d), dtype=float), axis=-1)
        rises.extend(np.diff(size) > 0)
    return bool(np.mean(rises) >= 0.9) if rises else False


def below_minima(f: Landscape, box: Box, minima: Sequence, *, samples: int = 201) -> FloatArray | None:
    """The lowest point of a dense grid of ``box`` when it lies below every minimum in ``minima``, else None.

    With no minima, that is where ``f`` is lowest on the grid (at the edge: f
    keeps falling out of the map; inside: a pole such as ``log(r²)``). With
    minima, a grid point lower than the lowest of them (beyond the tie
    tolerance) means a pole or a well the search missed.

    Examples
    --------
    >>> below_minima(lambda x, y: x + y, ((-1, 1), (-1, 1)), []).tolist()
    [-1.0, -1.0]
    >>> from types import SimpleNamespace as M
    >>> below_minima(lambda x, y: x**2 + y**2, ((-1, 1), (-1, 1)), [M(point=np.zeros(2), value=0.0)]) is None
    True
    """
    (x0, x1), (y0, y1) = box
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples)), axis=-1).reshape(-1, 2)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(grid[:, 0], grid[:, 1]), dtype=float), grid[:, 0].shape)
    values = np.where(np.isnan(values), np.inf, values)
    k = int(np.argmin(values))
    if minima:
        low = min(float(m.value) for m in minima)
        if not values[k] < low - TIE_TOLERANCE * max(1.0, abs(low)):
            return None
    return grid[k]


__all__ += ["TIE_TOLERANCE", "arrivals", "below_minima", "curvature", "grows_outward", "lowest_minima"]
__all__ += ["stable_lr", "suggest_lr"]


Change = Literal["lower", "same", "higher"]


def value_change(before: float, after: float, scale: float, tol: float = 1e-3) -> Change:
    """Whether a value went down, stayed, or went up, with changes under ``tol · scale`` counted as ``same``.

    ``scale`` is the span the values are read against (e.g. a plot's y range), so
    ``same`` means "no change a reader could see at that scale".

    Examples
    --------
    >>> value_change(1.0, 0.25, scale=8.0), value_change(1.0, 1.0, scale=8.0), value_change(1.0, 1.5, scale=8.0)
    ('lower', 'same', 'higher')
    >>> value_change(1.0, 0.9999, scale=8.0)  # a ten-thousandth of the plot is no visible change
    'same'
    """
    change = float(after) - float(before)
    if abs(change) <= tol * abs(float(scale)):
        return "same"
    return "lower" if change < 0 else "higher"


def roundest_in(lo: float, hi: float, near: float | None = None) -> float:
    """The number with the fewest significant digits in ``[lo, hi]``; of equally round ones, the nearest to ``near``.

    Grids of spacing 10ᵏ, 5·10ᵏ⁻¹, 2·10ᵏ⁻¹, 10ᵏ⁻¹, … are tried from coarse to fine
    (``near`` defaults to the middle); for suggesting a tidy value in a range that works.

    Examples
    --------
    >>> roundest_in(0.31, 0.9), roundest_in(0.5, 1.0, near=1.0), roundest_in(-0.3, 2.0), roundest_in(1.231, 1.239)
    (0.5, 1.0, 0.0, 1.235)
    """
    lo, hi = float(min(lo, hi)), float(max(lo, hi))
    near = (lo + hi) / 2 if near is None else float(near)
    top = int(np.floor(np.log10(max(abs(lo), abs(hi), 1e-300)))) + 1
    for exponent in range(top, top - 18, -1):
        for spacing in (10.0**exponent, 5 * 10.0 ** (exponent - 1), 2 * 10.0 ** (exponent - 1)):
            first, last = np.ceil(lo / spacing - 1e-9), np.floor(hi / spacing + 1e-9)
            if first <= last:
                k = float(np.clip(np.round(near / spacing), first, last))
                return float(np.round(k * spacing, 12 - exponent)) + 0.0  # + 0.0: no negative zero
    return near


def window_with(stops: Points, count: int, bounds: tuple[float, float], near: float) -> tuple[float, float]:
    """A sub-interval of ``bounds`` that holds at most ``count`` of the sorted ``stops``, the ones nearest ``near``.

    Its ends lie halfway between a kept stop and the next one left out (or at
    ``bounds``), made tidy with :func:`roundest_in`.

    Examples
    --------
    >>> window_with([-2.0, -1.0, 0.0, 1.0, 2.0], 3, (-3.0, 3.0), near=0.2)
    (-1.5, 1.5)
    """
    stops = np.sort(np.asarray(stops, dtype=float))
    if len(stops) <= count:
        return (float(bounds[0]), float(bounds[1]))
    nearest = int(np.argmin(np.abs(stops - near)))
    first = int(np.clip(nearest - (count - 1) // 2, 0, len(stops) - count))
    last = first + count - 1
    if first == 0:
        lo = float(bounds[0])
    else:
        lo = roundest_in((stops[first - 1] + stops[first]) / 2, stops[first] - 0.1 * (stops[first] - stops[first - 1]))
    if last == len(stops) - 1:
        hi = float(bounds[1])
    else:
        hi = roundest_in(stops[last] + 0.1 * (stops[last + 1] - stops[last]), (stops[last] + stops[last + 1]) / 2)
    return lo, hi


__all__ += ["Change", "roundest_in", "value_change", "window_with"]


def near_first(bounds: tuple[float, float], near: float, pieces: int = 20) -> FloatArray:
    """Tidy points of ``bounds`` (multiples of a 1-2-5 spacing about ``span / pieces``), nearest to ``near`` first.

    For suggesting a value that works: try them in order.

    Examples
    --------
    >>> near_first((-2.5, 2.5), 1.0)[:4].tolist()
    [1.0, 1.2, 0.8, 1.4]
    """
    lo, hi = float(bounds[0]), float(bounds[1])
    spacing = roundest_in((hi - lo) / (2.5 * pieces), (hi - lo) / pieces)
    digits = int(12 - np.floor(np.log10(spacing)))
    grid = np.round(np.arange(np.ceil(lo / spacing - 1e-9), np.floor(hi / spacing + 1e-9) + 1) * spacing, digits)
    return grid[np.lexsort((-grid, np.abs(grid - near)))]


@dataclass(frozen=True)
class SlopeTour:
    """The numbers of a lesson on the slope of y = f(x): the arrow at a point, a sweep, one step downhill.

    Attributes
    ----------
    slope
        f'(point).
    stops
        The critical points strictly inside ``sweep``, sorted.
    scale
        Gradient arrows run from x to ``x + scale · f'(x)``: the largest scale (see
        :func:`arrow_scale`) with every arrow of the sweep and of the point inside
        ``x_range`` and the steepest ``longest`` of its span long.
    sweep_scale
        The same for the sweep's arrows alone.
    steepest
        ``max |f'|`` over the sweep.
    x1, f0, f1
        ``x₁ = x₀ − η f'(x₀)`` and the values f(x₀), f(x₁) (inf when x₁ is not finite).
    change
        :func:`value_change` of f0 → f1 against ``height``, the span of f over ``x_range`` with 0 included.
    facts
        What holds over the sweep: ``falls`` (f' < 0 somewhere), ``rises`` (f' > 0), ``flat`` (a stop),
        and ``steeper`` (|f'| varies by more than 25 %, or is 0 somewhere) or else ``even``.
    """

    x_range: tuple[float, float]
    point: float
    sweep: tuple[float, float]
    lr: float
    slope: float
    stops: tuple[float, ...]
    scale: float
    sweep_scale: float
    steepest: float
    x1: float
    f0: float
    f1: float
    height: float
    change: Change
    facts: frozenset[str]

    @property
    def span(self) -> float:
        return self.x_range[1] - self.x_range[0]

    def room(self) -> float:
        """How far the point is from the end of ``x_range`` that the step downhill heads for."""
        return self.x_range[1] - self.point if self.slope < 0 else self.point - self.x_range[0]


def slope_tour(
    f: Landscape,
    x_range: tuple[float, float],
    point: float,
    sweep: tuple[float, float],
    lr: float,
    *,
    longest: float = 0.3,
    samples: int = 401,
) -> SlopeTour:
    """The :class:`SlopeTour` of y = f(x) on ``x_range``: the point, the sweep and the step of size ``lr``.

    Examples
    --------
    >>> tour = slope_tour(lambda x: x**2, (-2.5, 2.5), 1.0, (-1.5, 1.5), 0.25)
    >>> round(tour.slope, 6), np.abs(tour.stops).round(6).tolist(), round(tour.scale, 4), round(tour.x1, 6)
    (2.0, [0.0], 0.3333, 0.5)
    >>> tour.change, sorted(tour.facts)
    ('lower', ['falls', 'flat', 'rises', 'steeper'])
    """
    xs = np.linspace(*sweep, samples)
    slopes = np.broadcast_to(derivative(f, xs), xs.shape)
    size = np.abs(slopes)
    slope = float(derivative(f, point))
    span = x_range[1] - x_range[0]
    sweep_scale = arrow_scale(xs, slopes, x_range, longest * span, cap=np.inf)
    scale = arrow_scale(np.append(xs, point), np.append(slopes, slope), x_range, longest * span, cap=np.inf)
    stops = tuple(sorted(float(c.point[0]) for c in critical_points(f, [sweep])))
    with np.errstate(all="ignore"):
        x1 = float(point - lr * slope)  # x₁ = x₀ − η f'(x₀)
        f0 = float(f(point))
        f1 = float(f(x1)) if np.isfinite(x1) else np.inf
        values = np.append(np.broadcast_to(f(np.linspace(*x_range, samples)), (samples,)), 0.0)
    height = float(np.ptp(values))
    tiny = 1e-9 * float(size.max())
    facts = {name for name, holds in (("falls", (slopes < -tiny).any()), ("rises", (slopes > tiny).any())) if holds}
    facts |= {"flat"} if stops else set()
    facts |= {"steeper" if stops or size.max() > 1.25 * size.min() else "even"}
    change = value_change(f0, f1, scale=height) if np.isfinite(f1) else "higher"
    return SlopeTour(
        (float(x_range[0]), float(x_range[1])), float(point), (float(sweep[0]), float(sweep[1])), float(lr), slope,
        stops, scale, sweep_scale, float(size.max()), x1, f0, f1, height, change, frozenset(facts),
    )  # fmt: skip


__all__ += ["SlopeTour", "near_first", "slope_tour"]


def tour_problem(
    f: Landscape,
    x_range: tuple[float, float],
    point: float,
    sweep: tuple[float, float],
    lr: float,
    *,
    longest: float = 0.3,
    seen: float = 0.03,
    stops: int = 6,
) -> tuple[str, str, object] | None:
    """What keeps a :class:`SlopeTour` from showing its lesson: ``(key, why, a value of key that works)``, or None.

    The rules, in order (shares are of the x span): ``formula`` — f is not
    constant on ``x_range``; ``sweep`` — at most ``stops`` critical points in it,
    and its longest arrow at least ``3.3 · seen`` long (an arrow pointing off the
    end of the axis shrinks them all); ``point`` — f' is not 0 there, its arrow has
    room towards the end it points at and leaves the sweep's their length, it is
    at least ``seen`` long, and there is room of ``2 · seen`` towards the end the
    step heads for; ``lr`` — x₁ lies in ``x_range`` and the step is at least ``seen``
    long. Each fix is computed (tidy values, checked by the same rules).

    Examples
    --------
    >>> tour_problem(lambda x: x**3 - 3 * x, (-2.5, 2.5), 1.0, (-1.5, 1.5), 0.25)[:2]
    ('point', "f'(1) = 0: P is a stationary point, so there is no arrow and no step downhill to show")
    >>> tour_problem(lambda x: x**2, (-2.5, 2.5), 1.0, (-1.5, 1.5), 100.0)
    ('lr', "the step lands at x₁ = x₀ − η f'(x₀) = -199, outside x_range = [-2.5, 2.5]", 0.5)
    """
    values = np.broadcast_to(f(np.linspace(*x_range, 401)), (401,))
    if np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())):
        return ("formula", "f is constant on x_range: there is no slope to show", '"x^2"')

    def tour(x: float = point, window: tuple[float, float] = sweep, eta: float = lr) -> SlopeTour:
        return slope_tour(f, x_range, x, window, eta, longest=longest)

    limits = (seen, stops)
    here = tour()
    if why := _tour_sweep_problem(here, *limits):
        window = window_with(here.stops, stops, sweep, point)
        tries = [window] + [_tour_shrunk(window, share) for share in np.linspace(0.9, 0.2, 8)]
        return ("sweep", why, next((w for w in tries if not _tour_sweep_problem(tour(window=w), *limits)), window))
    if why := _tour_point_problem(here, seen):
        fits = [t for t in (tour(float(x)) for x in near_first(x_range, point)) if not _tour_point_problem(t, seen)]
        best = next(
            (t for t in fits if not _tour_lr_problem(t, seen) and t.change == "lower"), fits[0] if fits else here
        )
        return ("point", why, best.point)
    if found := _tour_lr_problem(here, seen):
        reach = here.room() / abs(here.slope)  # the η that takes the step to the end of the axis
        least = 2 * seen * here.span / abs(here.slope)
        tries = [
            tour(eta=roundest_in(max(a * reach, least), b * reach)) for a, b in ((0.3, 0.9), (0.1, 0.45), (0, 0.2))
        ]
        fits = [t for t in tries if not _tour_lr_problem(t, seen)] or tries
        return ("lr", found, next((t for t in fits if t.change == "lower"), fits[0]).lr)
    return None


def _tour_sweep_problem(tour: SlopeTour, seen: float, stops: int) -> str | None:
    if len(tour.stops) > stops:
        return f"f'(x) = 0 at {len(tour.stops)} points of it, and the sweep stops at each (at most {stops})"
    if tour.sweep_scale * tour.steepest < 3.3 * seen * tour.span:
        return "an arrow of the sweep points off the end of the axis, which leaves no room to draw the others"
    return None


def _tour_point_problem(tour: SlopeTour, seen: float) -> str | None:
    at = f"x = {tour.point:.4g}"
    if abs(tour.slope) <= 1e-9 * max(1.0, tour.steepest):
        return f"f'({tour.point:.4g}) = 0: P is a stationary point, so there is no arrow and no step downhill to show"
    toward = tour.x_range[1] - tour.point if tour.slope > 0 else tour.point - tour.x_range[0]  # room for its arrow
    if tour.scale * tour.steepest < 3.3 * seen * tour.span:  # P's arrow sets the scale, the sweep's come out short
        if toward < seen * tour.span:
            return f"the ∇f arrow at {at} points at the end of the axis, which leaves no room to draw the arrows"
        return f"f' = {tour.slope:.4g} at {at} is so much steeper than in the sweep that the sweep's arrows come out too short"
    if tour.scale * abs(tour.slope) < seen * tour.span:
        return f"the ∇f arrow at {at} (f' = {tour.slope:.4g}) would be too short to see beside the sweep's"
    if tour.room() < 2 * seen * tour.span:
        return (
            f"the step downhill from {at} runs off the end of x_range = [{tour.x_range[0]:.4g}, {tour.x_range[1]:.4g}]"
        )
    return None


def _tour_lr_problem(tour: SlopeTour, seen: float) -> str | None:
    box = f"x_range = [{tour.x_range[0]:.4g}, {tour.x_range[1]:.4g}]"
    if not tour.x_range[0] <= tour.x1 <= tour.x_range[1]:
        return f"the step lands at x₁ = x₀ − η f'(x₀) = {tour.x1:.4g}, outside {box}"
    if abs(tour.x1 - tour.point) < seen * tour.span:
        return f"the step η f'(x₀) = {tour.point - tour.x1:.4g} is too short to see on {box}"
    return None


def _tour_shrunk(bounds: tuple[float, float], share: float) -> tuple[float, float]:
    """``bounds`` shrunk about its middle to ``share`` of its width, the ends made tidy."""
    mid, half = (bounds[0] + bounds[1]) / 2, share * (bounds[1] - bounds[0]) / 2
    return (roundest_in(mid - half, mid - 0.9 * half), roundest_in(mid + 0.9 * half, mid + half))


__all__ += ["tour_problem"]


# --- divides between basins: the ridges through saddles (issue 13) ------------------------------


@dataclass(frozen=True, eq=False)
class Divide:
    """The dividing ridge through one saddle between two basins of −∇f.

    Attributes
    ----------
    saddle
        The saddle point, shape ``(2,)``.
    between
        Indices of the two minima whose basins meet at the saddle (into the list given).
        Farther along, where the ridges of several saddles run together, the two
        sides of the ridge may drain into another pair of valleys (still two).
    curve
        The ridge as a polyline through the saddle, shape ``(k, 2)``: from one
        end (the box's edge or a maximum) through ``saddle`` to the other.
    across
        Unit vector at the saddle along which f falls on both sides (the
        Hessian's eigenvector of negative curvature), shape ``(2,)``.
    """

    saddle: FloatArray
    between: tuple[int, int]
    curve: FloatArray
    across: FloatArray


def _uphill(f: Landscape, start: FloatArray, box: Box, lr: float, steps: int) -> FloatArray:
    """Points of gradient ascent on ``f`` from ``start`` until it leaves ``box`` or comes to rest, shape ``(k, 2)``."""
    lo, hi = _bounds(box)
    points, longest = [np.asarray(start, dtype=float)], 0.0
    for _ in range(steps):
        move = lr * np.asarray(gradient(f, points[-1]), dtype=float)  # θ ← θ + η∇f(θ): uphill
        points.append(points[-1] + move)
        longest = max(longest, float(np.linalg.norm(move)))
        if np.any(points[-1] < lo) or np.any(points[-1] > hi) or np.linalg.norm(move) < 1e-3 * longest:
            break  # off the map, or at rest on a maximum
    visible, _ = clip_to_box(np.array(points), box)
    return visible


def divides(
    f: Landscape, saddles: Sequence, minima: Sequence, box: Box, *, step: float = 0.004, steps: int = 4000
) -> list[Divide]:
    """The ridges through the saddles that divide two different basins (a saddle between valleys).

    At a saddle the Hessian has one negative and one positive curvature. Along
    the negative one (``across``) f falls on both sides: the two flow lines
    started a hair off the saddle that way (:func:`flow_lines`) are followed to
    the minima they reach. When they reach two different minima, the saddle
    lies on the divide between those basins, and the divide is the ridge
    through it: the paths of steepest *ascent* leaving it along the positive
    curvature, both ways, up to the box's edge or a maximum (the saddle's
    stable manifold under −∇f, traced backwards). Saddles whose two sides
    drain into the same minimum, or off the map, divide no valleys and are left out.

    Parameters
    ----------
    f
        Landscape ``f(x, y)``.
    saddles, minima
        Critical points (with ``point``), e.g. from :func:`gradcore.critical_points`.
    box
        ``((x0, x1), (y0, y1))``.
    step, steps
        As in :func:`flow_lines`: the steepest step on the map moves ``step`` of its longer side.

    Examples
    --------
    >>> f = lambda x, y: (x**2 - 1) ** 2 + y**2  # two valleys at x = ±1, a saddle at the origin
    >>> from types import SimpleNamespace as P
    >>> [d] = divides(f, [P(point=np.zeros(2))], [P(point=np.array([-1.0, 0])), P(point=np.array([1.0, 0]))],
    ...               ((-2, 2), (-2, 2)))
    >>> d.between, bool(np.abs(d.curve[:, 0]).max() < 1e-6), d.curve[[0, -1], 1].round(6).tolist()
    ((0, 1), True, [-2.0, 2.0])
    """
    (x0, x1), (y0, y1) = box
    span = max(x1 - x0, y1 - y0)
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)), axis=-1)
    lr = step * span / max(float(np.linalg.norm(gradient(f, grid), axis=-1).max()), 1e-12)
    found = []
    for saddle in saddles:
        point = np.asarray(saddle.point, dtype=float)
        _, vectors = np.linalg.eigh(np.asarray(hessian(f, point), dtype=float).reshape(2, 2))
        across, along = vectors[:, 0], vectors[:, 1]  # eigh sorts ascending: negative curvature first
        hair = 0.01 * span
        sides = flow_lines(
            f, [point + hair * across, point - hair * across], box, step=5 * step, tol=1e-4, max_steps=steps
        )
        ends = [nearest_minimum(path[-1], minima, box) for path in sides]
        if None in ends or ends[0] == ends[1]:
            continue
        branches = [_uphill(f, point + sign * hair * along, box, lr, steps) for sign in (1.0, -1.0)]
        curve = np.vstack([branches[1][::-1], point, branches[0]])
        found.append(Divide(point, (min(ends), max(ends)), curve, across))
    return found


def near_saddle_starts(divide: Divide, box: Box, share: float = 0.6, offset: float = 0.004) -> FloatArray:
    """Two starts beside a divide, one on each side, for flow lines that run along it past its saddle.

    They lie ``offset`` of the box's longer side off the ridge, at the point
    ``share`` of the way from the saddle to the far end of its longer branch.
    Each flow line then follows the ridge down towards the saddle before it
    turns off into the basin on its side. Shape ``(2, 2)``.

    Examples
    --------
    >>> d = Divide(np.zeros(2), (0, 1), np.array([[0.0, -2], [0, 0], [0, 1], [0, 2]]), np.array([1.0, 0]))
    >>> near_saddle_starts(d, ((-2, 2), (-2, 2)), offset=0.01).round(6).tolist()
    [[0.04, -1.2], [-0.04, -1.2]]
    """
    (x0, x1), (y0, y1) = box
    curve = divide.curve
    centre = int(np.argmin(np.linalg.norm(curve - divide.saddle, axis=1)))
    branch = max(
        (curve[centre::-1], curve[centre:]), key=lambda part: np.linalg.norm(np.diff(part, axis=0), axis=1).sum()
    )
    arc = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(branch, axis=0), axis=1))])
    at = np.array([np.interp(share * arc[-1], arc, branch[:, i]) for i in range(2)])
    k = int(np.clip(np.searchsorted(arc, share * arc[-1]), 1, len(branch) - 1))
    tangent = branch[k] - branch[k - 1]
    normal = np.array([-tangent[1], tangent[0]]) / max(float(np.linalg.norm(tangent)), 1e-300)
    gap = offset * max(x1 - x0, y1 - y0)
    return np.array([at + gap * normal, at - gap * normal])


__all__ += ["Divide", "divides", "near_saddle_starts"]


def off_radial(f: Landscape, points: Points, centre: Points) -> float:
    """The largest angle, in degrees, between ``∇f`` and the direction away from ``centre`` at ``points``.

    Zero on the circles of a round bowl about ``centre`` (there "at right
    angles to the level curve" and "away from the centre" are the same);
    larger where level curves are stretched.

    Examples
    --------
    >>> points = np.array([[1.0, 0.0], [0.6, 0.6]])
    >>> off_radial(lambda x, y: x**2 + y**2, points, [0, 0]) < 1e-6, round(off_radial(lambda x, y: x**2 + 3 * y**2, points, [0, 0]), 1)
    (True, 26.6)
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    g, away = np.asarray(gradient(f, points), dtype=float), points - np.asarray(centre, dtype=float)
    cos = np.einsum("ij,ij->i", g, away) / np.maximum(np.linalg.norm(g, axis=1) * np.linalg.norm(away, axis=1), 1e-300)
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))).max())


__all__ += ["off_radial"]
