"""Critical points of a landscape inside a box: minima, maxima and saddles.

Both searches start from a grid of cell centres over the box and move every
start at once (one array operation per iteration for all starts):

* :func:`find_minima` runs a damped Newton descent on ``f``: the Newton step
  with the Hessian's eigenvalues replaced by their absolute values (so it is
  always a descent direction, and plain gradient steps where the Hessian is
  not finite), length-capped and backtracked until ``f`` decreases enough
  (Armijo). It can only settle in minima.
* :func:`critical_points` runs that descent on ``f`` and on ``−f`` (minima
  and maxima), plus Newton on ``∇f = 0`` (Levenberg–Marquardt damped,
  backtracked on ``½‖∇f‖²``), which also reaches saddles. Newton starts that
  stop making progress (they sit where ``‖∇f‖²`` is locally smallest but not
  zero) are dropped.

Candidates are kept when they lie strictly inside the box with ``‖∇f‖ < tol``;
they are merged when closer than ``merge_tol`` in box-relative coordinates
(each axis scaled to length 1), and classified from the Hessian's eigenvalues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradcore.calculus import evaluate, gradient, hessian
from gradcore.typing import FloatArray, Landscape, Points

__all__ = [
    "KINDS",
    "CriticalPoint",
    "Minimum",
    "classify",
    "critical_points",
    "find_minima",
    "flat_point",
    "square_with_flat_point",
]

KINDS = ("minimum", "maximum", "saddle", "degenerate")
"""The kinds of critical point :func:`classify` tells apart."""

_ARMIJO = 1e-4  # sufficient decrease: f(x + t d) ≤ f(x) + c·t·∇f·d
_HALVINGS = {"min": 40, "max": 40, "root": 12}  # backtracking gives up after t = 2⁻ᵏ
# (a Newton step on ∇f = 0 that must be cut below 2⁻¹² points nowhere useful: that start is dropped)
_SLOW = 8  # a Newton start on ∇f = 0 that fails to halve ‖∇f‖² 8 times in a row is dropped
_ESCAPE = 2.0  # a start farther than 2 box diagonals from the centre is dropped


@dataclass(frozen=True, eq=False, repr=False)
class CriticalPoint:
    """A point where ``∇f = 0``, its value, and its kind from the Hessian.

    Attributes
    ----------
    point
        Coordinates, shape ``(n,)``.
    value
        ``f(point)``.
    kind
        ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``.
    """

    point: FloatArray
    value: float
    kind: str

    @property
    def x(self) -> FloatArray:
        """Same as ``point`` (scipy's name)."""
        return self.point

    @property
    def fun(self) -> float:
        """Same as ``value`` (scipy's name)."""
        return self.value

    def __repr__(self) -> str:
        coords = ", ".join(f"{c:.6g}" for c in self.point)
        return f"{type(self).__name__}(point=({coords}), value={self.value:.6g}, kind={self.kind!r})"


@dataclass(frozen=True, eq=False, repr=False)
class Minimum(CriticalPoint):
    """A local minimum: a :class:`CriticalPoint` whose kind is ``"minimum"``."""

    kind: str = "minimum"


def _kinds(eigenvalues: FloatArray, tol: float) -> list[str]:
    """Kind of each critical point from its Hessian eigenvalues, shape ``(k, n)``."""
    scale = np.maximum(1.0, np.max(np.abs(eigenvalues), axis=-1, keepdims=True))
    pos = eigenvalues > tol * scale
    neg = eigenvalues < -tol * scale
    out = []
    for p, q in zip(pos, neg, strict=True):
        if p.all():
            out.append("minimum")
        elif q.all():
            out.append("maximum")
        elif p.any() and q.any():
            out.append("saddle")
        else:
            out.append("degenerate")
    return out


def classify(f: Landscape, p: Points, *, tol: float = 1e-6) -> str:
    """Kind of the critical point ``p`` of ``f``, from the signs of the Hessian's eigenvalues.

    An eigenvalue counts as zero when ``|λ| ≤ tol·max(1, max|λ|)``. All
    positive: ``"minimum"``; all negative: ``"maximum"``; both signs:
    ``"saddle"``; otherwise (some zero, no sign change): ``"degenerate"``,
    where the second-order test says nothing. The gradient is not checked:
    ``p`` is assumed to be a critical point.

    Parameters
    ----------
    f
        Landscape ``f(x1, ..., xn)``.
    p
        One point, shape ``(n,)``.
    tol
        Relative tolerance for a zero eigenvalue.

    Returns
    -------
    str

    Examples
    --------
    >>> classify(lambda x, y: x**2 - y**2, [0.0, 0.0])
    'saddle'
    >>> classify(lambda x, y: x**2 + y**4, [0.0, 0.0])
    'degenerate'
    """
    p = np.asarray(p, dtype=float)
    if p.ndim != 1:
        raise ValueError(f"classify: p must be one point of shape (n,), got shape {p.shape}")
    eig = np.linalg.eigvalsh(np.asarray(hessian(f, p), dtype=float).reshape(p.size, p.size))
    return _kinds(eig[None, :], tol)[0]


def _box(bounds: Sequence[tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
    b = np.asarray(bounds, dtype=float)
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(f"bounds must be a sequence of (lo, hi) pairs, one per variable; got {bounds!r}")
    lo, hi = b[:, 0], b[:, 1]
    if not (np.all(np.isfinite(b)) and np.all(lo < hi)):
        raise ValueError(f"bounds must be finite with lo < hi on every axis; got {bounds!r}")
    return lo, hi


def _grid(lo: FloatArray, hi: FloatArray, samples_per_axis: int | None) -> FloatArray:
    n = lo.size
    if samples_per_axis is None:
        samples_per_axis = max(5, round(1024 ** (1 / n)))  # about a thousand starts (32 per axis in 2-D)
    if int(samples_per_axis) != samples_per_axis or samples_per_axis < 1:
        raise ValueError(f"samples_per_axis must be a positive integer, got {samples_per_axis!r}")
    k = int(samples_per_axis)
    axes = [a + (np.arange(k) + 0.5) * (b - a) / k for a, b in zip(lo, hi, strict=True)]  # cell centres
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, n)


def _eig(H: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Batched eigen-decomposition; a non-finite Hessian is replaced by the identity."""
    bad = ~np.all(np.isfinite(H), axis=(-2, -1))
    if bad.any():
        H = H.copy()
        H[bad] = np.eye(H.shape[-1])
    return np.linalg.eigh(H)


def _cap(d: FloatArray, max_step: float) -> FloatArray:
    norm = np.linalg.norm(d, axis=-1, keepdims=True)
    return d * np.minimum(1.0, max_step / np.maximum(norm, 1e-300))


def _backtrack(merit, x: FloatArray, m0: FloatArray, d: FloatArray, slope: FloatArray, halvings: int):
    """Armijo backtracking for all rows at once; returns new points, their merits, and which rows moved."""
    x_new = x.copy()
    m_new = m0.copy()
    moved = np.zeros(len(x), dtype=bool)
    pending = np.arange(len(x))
    t = np.ones(len(x))
    for _ in range(halvings):
        if pending.size == 0:
            break
        trial = x[pending] + t[pending, None] * d[pending]
        mt = merit(trial)
        ok = np.isfinite(mt) & (mt <= m0[pending] + _ARMIJO * t[pending] * slope[pending])
        x_new[pending[ok]] = trial[ok]
        m_new[pending[ok]] = mt[ok]
        moved[pending[ok]] = True
        pending = pending[~ok]
        t[pending] *= 0.5
    return x_new, m_new, moved


def _newton_search(f: Landscape, x: FloatArray, lo, hi, *, tol: float, max_iter: int, mode: str) -> FloatArray:
    """Move all starts towards minima (``mode="min"``), maxima (``"max"``) or critical points (``"root"``)."""
    x = x.copy()
    width = hi - lo
    center = (lo + hi) / 2
    diag = float(np.linalg.norm(width))
    max_step = 0.25 * diag
    active = np.ones(len(x), dtype=bool)
    slow = np.zeros(len(x), dtype=int)  # consecutive iterations without halving ‖∇f‖² (root mode)
    sign = -1.0 if mode == "max" else 1.0  # a maximum of f is a minimum of −f

    def value(p):
        return sign * evaluate(f, p)

    def half_grad_sq(p):
        return 0.5 * np.sum(np.asarray(gradient(f, p), dtype=float) ** 2, axis=-1)

    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            xa = x[idx]
            g = sign * np.asarray(gradient(f, xa), dtype=float)
            gn = np.linalg.norm(g, axis=-1)
            lost = ~np.all(np.isfinite(xa), axis=-1) | ~np.isfinite(gn)
            lost |= np.linalg.norm(xa - center, axis=-1) > _ESCAPE * diag
            done = (gn < 1e-3 * tol) | lost
            active[idx[done]] = False
            keep = ~done
            idx, xa, g = idx[keep], xa[keep], g[keep]
            if idx.size == 0:
                break
            H = sign * np.asarray(hessian(f, xa), dtype=float)
            lam, V = _eig(H)
            gv = np.einsum("kji,kj->ki", V, g)  # components of ∇f on the eigenvectors
            big = np.maximum(1.0, np.max(np.abs(lam), axis=-1, keepdims=True))
            if mode != "root":
                # d = −Σ (vᵢ·∇f / |λᵢ|) vᵢ : Newton with |λ|, a descent direction (of ±f)
                d = -np.einsum("kij,kj->ki", V, gv / np.maximum(np.abs(lam), 1e-8 * big))
                d = _cap(d, max_step)
                merit, m0, slope = value, value(xa), np.sum(g * d, axis=-1)
            else:
                # d = −(H² + μ)⁻¹ H ∇f : damped Newton on ∇f = 0
                d = -np.einsum("kij,kj->ki", V, gv * lam / (lam**2 + (1e-10 * big) ** 2))
                d = _cap(d, max_step)
                hg = np.einsum("kij,kj->ki", np.nan_to_num(H), g)
                merit, m0, slope = half_grad_sq, 0.5 * np.sum(g**2, axis=-1), np.sum(hg * d, axis=-1)
            x_new, m_new, moved = _backtrack(merit, xa, m0, d, slope, _HALVINGS[mode])
            stalled = ~moved | (np.linalg.norm(x_new - xa, axis=-1) <= 1e-13 * diag)
            if mode == "root":
                slow[idx] = np.where(m_new < 0.5 * m0, 0, slow[idx] + 1)  # ‖∇f‖² halves when near a root
                stalled |= slow[idx] >= _SLOW
            x[idx] = x_new
            active[idx[stalled]] = False  # no progress possible: as close as rounding allows
    return x


def _candidates(f: Landscape, x: FloatArray, lo, hi, *, tol: float, merge_tol: float, eig_tol: float):
    """Critical points among ``x``: inside the box, ‖∇f‖ < tol, merged, with kinds; sorted by value."""
    width = hi - lo
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(x), axis=-1)
        x = x[finite]
        margin = 1e-9 * width
        inside = np.all((x > lo + margin) & (x < hi - margin), axis=-1)
        x = x[inside]
        if len(x) == 0:
            return []
        g = np.asarray(gradient(f, x), dtype=float)
        x = x[np.linalg.norm(g, axis=-1) < tol]
        if len(x) == 0:
            return []
        fx = evaluate(f, x)
        x, fx = x[np.isfinite(fx)], fx[np.isfinite(fx)]
    order = np.lexsort((x[:, 0], fx))  # best value first
    x, fx = x[order], fx[order]
    scaled = (x - lo) / width
    reps = []
    remaining = np.arange(len(x))
    while remaining.size:
        r = remaining[0]  # lowest value of what is left represents its cluster
        reps.append(r)
        far = np.linalg.norm(scaled[remaining] - scaled[r], axis=-1) > merge_tol
        remaining = remaining[far]
    pts = x[reps]
    lam = np.linalg.eigvalsh(np.asarray(hessian(f, pts), dtype=float))
    kinds = _kinds(lam, eig_tol)
    out: list[CriticalPoint] = []
    for p, v, kind in zip(pts, fx[reps], kinds, strict=True):
        cls = Minimum if kind == "minimum" else CriticalPoint
        out.append(cls(point=p.copy(), value=float(v), kind=kind))
    return out


def find_minima(
    f: Landscape,
    bounds: Sequence[tuple[float, float]],
    *,
    samples_per_axis: int | None = None,
    tol: float = 1e-6,
    merge_tol: float = 1e-3,
    max_iter: int = 100,
) -> list[Minimum]:
    """All local minima of ``f`` strictly inside the box ``bounds``, best first.

    A damped Newton descent (see the module docstring) runs from a grid of
    ``samples_per_axis**n`` cell centres at once; the points it reaches are
    kept if they lie strictly inside the box, have ``‖∇f‖ < tol`` and a
    positive-definite Hessian, and are merged when closer than ``merge_tol``
    (box-relative units). Degenerate minima (a zero Hessian eigenvalue, like
    ``x⁴``) are not reported. A minimum whose basin holds no grid start can
    be missed: raise ``samples_per_axis`` for very narrow wells.

    Parameters
    ----------
    f
        Landscape ``f(x1, ..., xn)`` that broadcasts like a ufunc.
    bounds
        ``[(lo, hi), ...]``, one pair per variable.
    samples_per_axis
        Grid starts per axis; by default about a thousand starts in all
        (32 per axis in two dimensions).
    tol
        Largest gradient norm accepted at a minimum.
    merge_tol
        Two minima closer than this, with each axis of the box scaled to
        length 1, are the same.
    max_iter
        Newton iterations per start.

    Returns
    -------
    list of Minimum
        Sorted by value, so the first is the global minimum in the box.

    Examples
    --------
    >>> mins = find_minima(lambda x, y: (x**2 - 1)**2 + y**2, [(-2, 2), (-1, 1)])
    >>> [m.point.round(6).tolist() for m in mins]
    [[-1.0, 0.0], [1.0, 0.0]]
    """
    lo, hi = _box(bounds)
    x = _newton_search(f, _grid(lo, hi, samples_per_axis), lo, hi, tol=tol, max_iter=max_iter, mode="min")
    found = _candidates(f, x, lo, hi, tol=tol, merge_tol=merge_tol, eig_tol=1e-6)
    return [c for c in found if isinstance(c, Minimum)]


def critical_points(
    f: Landscape,
    bounds: Sequence[tuple[float, float]],
    *,
    samples_per_axis: int | None = None,
    tol: float = 1e-6,
    merge_tol: float = 1e-3,
    max_iter: int = 100,
) -> list[CriticalPoint]:
    """All critical points (``∇f = 0``) strictly inside the box, classified, sorted by value.

    Three searches run from the same grid of starts: the descent of
    :func:`find_minima` on ``f`` (minima) and on ``−f`` (maxima), and damped
    Newton on ``∇f = 0`` (any critical point, saddles included). The points
    they reach are filtered, merged and classified as in :func:`find_minima`;
    so the minima listed are those :func:`find_minima` finds. Minima come back
    as :class:`Minimum`.

    Parameters
    ----------
    f, bounds, samples_per_axis, tol, merge_tol, max_iter
        As in :func:`find_minima`.

    Returns
    -------
    list of CriticalPoint
        Sorted by value.

    Examples
    --------
    >>> found = critical_points(lambda x, y: x**2 - y**2, [(-1, 1), (-1, 1)])
    >>> [(c.kind, np.abs(c.point).round(6).tolist()) for c in found]
    [('saddle', [0.0, 0.0])]
    """
    lo, hi = _box(bounds)
    grid = _grid(lo, hi, samples_per_axis)
    modes = ("min", "max", "root")
    reached = [_newton_search(f, grid, lo, hi, tol=tol, max_iter=max_iter, mode=mode) for mode in modes]
    x = np.concatenate(reached)
    return _candidates(f, x, lo, hi, tol=tol, merge_tol=merge_tol, eig_tol=1e-6)


def flat_point(f: Landscape, bounds: Sequence[tuple[float, float]]) -> CriticalPoint | None:
    """The point with ``∇f = 0`` a lecture goes to: the lowest minimum in the box, else the first critical point.

    ``None`` when the box holds no critical point at all (e.g. a plane).

    Parameters
    ----------
    f, bounds
        As in :func:`find_minima`.

    Returns
    -------
    CriticalPoint or None
        The first of :func:`find_minima` if there is one, else the first of
        :func:`critical_points` (lowest value first), else ``None``.

    Examples
    --------
    >>> flat_point(lambda x, y: x**2 - y**2, [(-1, 1), (-1, 1)]).kind
    'saddle'
    >>> flat_point(lambda x, y: (x - 0.5) ** 2 + y**2, [(-1, 1), (-1, 1)]).point.round(6).tolist()
    [0.5, 0.0]
    >>> flat_point(lambda x, y: x + y, [(-1, 1), (-1, 1)]) is None
    True
    """
    minima = find_minima(f, bounds)
    if minima:
        return minima[0]
    found = critical_points(f, bounds)
    return found[0] if found else None


def square_with_flat_point(f: Landscape, interval: tuple[float, float], limit: float) -> tuple[float, float] | None:
    """The interval, widened 2, 4, 8 or 16 times about its centre, whose square holds a point with ``∇f = 0``.

    For a refusal that suggests a square that works. Widenings past ``±limit`` or
    where ``f`` is not finite on a 21 × 21 grid are skipped; ``None`` when none holds one.

    Examples
    --------
    >>> square_with_flat_point(lambda x, y: (x - 3) ** 2 + y**2, (-2.0, 2.0), 1e4)
    (-4.0, 4.0)
    >>> square_with_flat_point(lambda x, y: x + y, (-2.0, 2.0), 1e4) is None
    True
    """
    centre, half = (interval[0] + interval[1]) / 2, (interval[1] - interval[0]) / 2
    for factor in (2, 4, 8, 16):
        lo, hi = float(np.round(centre - factor * half, 6)), float(np.round(centre + factor * half, 6))
        if max(abs(lo), abs(hi)) > limit:
            return None
        grid = _grid(np.array([lo, lo]), np.array([hi, hi]), 21)
        with np.errstate(all="ignore"):
            finite = np.isfinite(evaluate(f, grid)).all()
        if finite and flat_point(f, [(lo, hi), (lo, hi)]) is not None:
            return lo, hi
    return None
