"""Linear regression as a lecture shows it: residuals, the wrong sequential update, the map's box, the line.

The loss is :func:`gradcore.linear_regression`'s ``J(w, b) = 1/(2m) Σ eᵢ²`` with
the residuals ``eᵢ = w xᵢ + b − yᵢ``, so that

* ``∂J/∂w = (1/m) Σ eᵢ xᵢ`` and ``∂J/∂b = (1/m) Σ eᵢ`` (the ½ cancels the 2 of ``d(e²)/de``);
* gradient descent updates both parameters from the gradient at the same point,
  ``θ ← θ − η∇J(θ)`` (:func:`gradcore.descend`);
* the *sequential* update, a common mistake, changes ``w`` first and then computes
  ``∂J/∂b`` at the new ``w``: :func:`sequential_step` and :func:`sequential_descend`.
  Its fixed points are the same (both partials vanish there), its path is not.

Examples
--------
>>> from gradcore.models import linear_regression
>>> J = linear_regression([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0])  # on y = 2x + 1
>>> residuals(J, [0.0, 0.0]).tolist()
[-3.0, -5.0, -7.0, -9.0]
>>> J.gradient([0.0, 0.0]).tolist()  # (mean(e x), mean(e))
[-17.5, -6.0]
>>> sequential_step(J, [0.0, 0.0], lr=0.1).round(6).tolist()  # b uses ∂J/∂b at w = 1.75
[1.75, 0.1625]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradcore.descent import Path, acceptable, stop_message
from gradcore.typing import FloatArray, Points

__all__ = [
    "OUTCOMES",
    "Walk",
    "arrival_tolerance",
    "clip_convex",
    "data_problem",
    "level_ellipse",
    "line_in_box",
    "parameter_box",
    "predictions",
    "residuals",
    "sequential_descend",
    "sequential_step",
    "spread",
    "walk",
]

Box = tuple[tuple[float, float], tuple[float, float]]


def predictions(theta: Points, x: Points) -> FloatArray:
    """``w x + b`` for parameters ``θ = (w, b)`` of shape ``(..., 2)`` at inputs ``x`` of shape ``(m,)``.

    Returns shape ``(..., m)``.

    Examples
    --------
    >>> predictions([2.0, 1.0], [0.0, 1.0, 2.0]).tolist()
    [1.0, 3.0, 5.0]
    """
    theta = np.asarray(theta, dtype=float)
    x = np.asarray(x, dtype=float)
    return theta[..., :1] * x + theta[..., 1:2]


def residuals(loss, theta: Points) -> FloatArray:
    """The residuals ``eᵢ = w xᵢ + b − yᵢ`` of a one-feature ``loss`` at ``θ = (w, b)``: ``(..., 2)`` → ``(..., m)``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> residuals(linear_regression([0.0, 1.0], [1.0, 1.0]), [1.0, 0.0]).tolist()
    [-1.0, 0.0]
    """
    return predictions(theta, loss.X) - loss.Y


def spread(x: Points) -> float:
    """How far the inputs spread: ``max x − min x`` (0 when every ``xᵢ`` is equal).

    With all ``xᵢ`` equal, ``J`` depends on ``w`` and ``b`` only through ``w x + b``:
    a whole line of ``(w, b)`` fits equally well and there is no single answer.

    Examples
    --------
    >>> spread([1.0, 4.0, 2.0]), spread([3.0, 3.0])
    (3.0, 0.0)
    """
    x = np.asarray(x, dtype=float)
    return float(x.max() - x.min())


def sequential_step(loss, theta: Points, lr: float) -> FloatArray:
    """One *wrong* update: each parameter in turn, from the gradient at the parameters already changed.

    For ``θ = (w, b)``: ``w' = w − η ∂J/∂w(w, b)``, then ``b' = b − η ∂J/∂b(w', b)``.
    Gradient descent would use ``∂J/∂b(w, b)``; the two agree only when ``∂J/∂b``
    does not depend on ``w`` (``mean(x) = 0``) or ``w`` did not move.

    Parameters
    ----------
    loss
        A landscape with ``.gradient(p)`` on points of shape ``(..., n)``.
    theta
        Shape ``(n,)`` or ``(k, n)``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> J = linear_regression([-1.0, 1.0], [0.0, 2.0])  # mean(x) = 0: both updates agree
    >>> bool(np.allclose(sequential_step(J, [0.0, 0.0], 0.5), [0.0, 0.0] - 0.5 * J.gradient([0.0, 0.0])))
    True
    """
    theta = np.array(theta, dtype=float)
    for j in range(theta.shape[-1]):
        g = np.asarray(loss.gradient(theta), dtype=float)
        theta[..., j] = theta[..., j] - lr * g[..., j]  # θⱼ ← θⱼ − η ∂J/∂θⱼ(θ with θ₀…θⱼ₋₁ already new)
    return theta


def sequential_descend(loss, start: Points, *, lr: float, steps: int = 100, tol: float = 1e-8) -> Path:
    """Repeat :func:`sequential_step` from ``start`` and record the path, with :func:`gradcore.descend`'s rules.

    The run stops as ``converged`` when ``‖∇J‖ < tol``, ``diverged`` when the next
    point is not finite or beyond the divergence bounds (it is then not kept), else
    after ``steps`` updates. The path's ``optimizer`` is ``"sequential"``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> J = linear_regression([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0])
    >>> path = sequential_descend(J, [0.0, 0.0], lr=0.1, steps=500, tol=1e-4)
    >>> path.status, path.x.round(2).tolist()  # the same answer by another path
    ('converged', [2.0, 1.0])
    """
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"sequential_descend: lr must be a finite number > 0, got {lr!r}")
    x = np.array(start, dtype=float).reshape(-1)
    points, values, grads = [x], [float(loss(*x))], [np.asarray(loss.gradient(x), dtype=float)]
    status = "max_steps"
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            if np.linalg.norm(grads[-1]) < tol:
                status = "converged"
                break
            new = sequential_step(loss, points[-1], lr)
            value, grad = np.asarray(loss(*new), dtype=float), np.asarray(loss.gradient(new), dtype=float)
            if not acceptable(new[None], value[None], grad[None])[0]:
                status = "diverged"
                break
            points.append(new)
            values.append(float(value))
            grads.append(grad)
        else:
            status = "converged" if np.linalg.norm(grads[-1]) < tol else "max_steps"
    return Path(
        points=np.array(points),
        values=np.array(values),
        gradients=np.array(grads),
        status=status,
        optimizer="sequential",
        message=stop_message(status, len(points) - 1, float(np.linalg.norm(grads[-1])), tol),
        hyper={"lr": float(lr)},
    )


def _round_out(lo: float, hi: float) -> tuple[float, float]:
    """``[lo, hi]`` widened to round ends (multiples of a tenth of its tick size)."""
    step = 10.0 ** math.floor(math.log10(max(hi - lo, 1e-12))) / 10
    return round(math.floor(lo / step + 1e-9) * step, 12), round(math.ceil(hi / step - 1e-9) * step, 12)


def parameter_box(points: Points, *, pad: float = 0.12, max_aspect: float = 2.0, least: float = 1e-3) -> Box:
    """A ``(w, b)`` map around ``points`` (shape ``(k, 2)``): padded, not too thin, with round ends.

    Each side is padded by ``pad`` of the longer side; the shorter side is
    widened (about its centre) to at least ``1 / max_aspect`` of the longer, and
    every side is at least ``least`` wide.

    Examples
    --------
    >>> parameter_box([[0.0, 0.0], [2.0, 1.0]])
    ((-0.3, 2.3), (-0.3, 1.3))
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    lo, hi = points.min(axis=0), points.max(axis=0)
    longest = max(float(np.max(hi - lo)), least)
    half = np.maximum((hi - lo) / 2 + pad * longest, (longest / max_aspect) / 2 + pad * longest)
    centre = (lo + hi) / 2
    (w0, w1), (b0, b1) = (_round_out(c - h, c + h) for c, h in zip(centre, half, strict=True))
    return (float(w0), float(w1)), (float(b0), float(b1))


def line_in_box(theta: Sequence[float], box: Box) -> FloatArray | None:
    """The piece of the line ``y = w x + b`` inside ``box = ((x0, x1), (y0, y1))``, shape ``(2, 2)``, or None.

    Examples
    --------
    >>> line_in_box([1.0, 0.0], ((0.0, 4.0), (0.0, 2.0))).tolist()  # y = x leaves through the top
    [[0.0, 0.0], [2.0, 2.0]]
    >>> line_in_box([0.0, 5.0], ((0.0, 4.0), (0.0, 2.0))) is None  # y = 5 misses it
    True
    """
    w, b = (float(v) for v in theta)
    (x0, x1), (y0, y1) = box
    xs = [x0, x1]
    if abs(w) > 1e-12:
        xs += [(y0 - b) / w, (y1 - b) / w]
    xs = sorted(x for x in xs if x0 - 1e-12 <= x <= x1 + 1e-12)
    inside = [x for x in xs if y0 - 1e-9 * (y1 - y0) <= w * x + b <= y1 + 1e-9 * (y1 - y0)]
    if len(inside) < 2 or inside[-1] - inside[0] <= 1e-12 * (x1 - x0):
        return None
    ends = np.array([inside[0], inside[-1]])
    return np.column_stack([ends, np.clip(w * ends + b, y0, y1)])


def level_ellipse(loss, level: float, samples: int = 160) -> FloatArray:
    """The level curve ``J(w, b) = level`` of the quadratic loss: an ellipse round the optimum, shape ``(samples, 2)``.

    ``J(θ) = J* + ½ (θ − θ*)ᵀ H (θ − θ*)`` with the constant Hessian ``H``, so the curve is
    ``θ* + √(2 (level − J*)) H^(−1/2) u`` for unit vectors ``u``. Empty (shape ``(0, 2)``)
    for a level at or below the minimum ``J*``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> J = linear_regression([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0])
    >>> ring = level_ellipse(J, 2.0, samples=8)
    >>> bool(np.allclose(J(ring[:, 0], ring[:, 1]), 2.0))
    True
    """
    rise = float(level) - float(loss.minimum_value)
    if rise <= 0:
        return np.empty((0, 2))
    values, vectors = np.linalg.eigh(loss.hessian(loss.optimum))
    angles = np.linspace(0.0, 2 * np.pi, samples, endpoint=False)
    unit = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    inverse_root = vectors @ np.diag(1.0 / np.sqrt(values)) @ vectors.T  # H^(−1/2)
    return loss.optimum + np.sqrt(2 * rise) * unit @ inverse_root.T


def clip_convex(polygon: Points, box: Box) -> FloatArray:
    """The part of a convex polygon (shape ``(k, 2)``, in order) inside ``box``: Sutherland–Hodgman clipping.

    Examples
    --------
    >>> square = np.array([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]])
    >>> clip_convex(square, ((0.0, 2.0), (-2.0, 2.0))).tolist()
    [[0.0, 1.0], [0.0, -1.0], [1.0, -1.0], [1.0, 1.0]]
    """
    points = [np.asarray(p, dtype=float) for p in np.asarray(polygon, dtype=float)]
    for axis, (lo, hi) in enumerate(box):
        for bound, keep in ((lo, lambda v, b=lo: v >= b), (hi, lambda v, b=hi: v <= b)):
            kept: list[np.ndarray] = []
            for a, b in zip(points, points[1:] + points[:1], strict=False):
                if keep(b[axis]):
                    if not keep(a[axis]):
                        kept.append(a + (bound - a[axis]) / (b[axis] - a[axis]) * (b - a))
                    kept.append(b)
                elif keep(a[axis]):
                    kept.append(a + (bound - a[axis]) / (b[axis] - a[axis]) * (b - a))
            points = kept
            if not points:
                return np.empty((0, 2))
    return np.array(points)


def arrival_tolerance(loss, distance: float) -> float:
    """A gradient tolerance that guarantees ``|θ − θ*| < distance`` once ``‖∇J(θ)‖`` falls below it.

    ``∇J(θ) = H (θ − θ*)`` for the quadratic loss, so ``|θ − θ*| ≤ ‖∇J‖ / λmin``
    with ``λmin`` the Hessian's smallest eigenvalue: the tolerance is ``λmin · distance``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> J = linear_regression([-1.0, 1.0], [0.0, 0.0])  # H = diag(1, 1)
    >>> arrival_tolerance(J, 0.01)
    0.01
    """
    smallest = float(np.linalg.eigvalsh(loss.hessian(loss.optimum)).min())
    return max(smallest, 0.0) * float(distance)


# --- the walk a lecture shows: one place that decides what happened -------------------------------

OUTCOMES = ("arrived", "close", "crawling", "oscillating", "diverged")
"""How a walk ends, see :func:`walk`: :func:`gradcore.verdict` on the map, plus ``close``."""


@dataclass(frozen=True, eq=False)
class Walk:
    """Gradient descent on a linear-regression loss, and what a lecture says about it (built by :func:`walk`).

    Attributes
    ----------
    loss, answer
        The loss ``J`` and the least-squares answer ``θ*``.
    run
        :func:`gradcore.descend` from the start; it stops once it has *arrived*: within
        ``arrive_share · |start − θ*|`` of ``θ*`` (see :func:`arrival_tolerance`).
    box
        The ``(w, b)`` map: the given ranges, else fitted round the start, the answer, the
        gradient arrows at the start and the parts of both walks that stay near.
    outcome
        One of :data:`OUTCOMES`: ``close`` is a run out of steps within
        :data:`gradcore.MINIMUM_TOLERANCE` of the map's longer side from the answer.
    right, wrong
        The first ``compare_steps`` steps of gradient descent and of :func:`sequential_descend`.
    order
        ``same`` (the first steps agree), ``differ, same end`` (both full runs end near the
        answer) or ``differ``; ``same_why`` says why they agree: ``mean`` (mean(x) = 0) or
        ``still`` (∂J/∂w = 0 at the start), else None.
    lr_bound
        ``2 / λmax``: gradient descent on ``J`` converges exactly for ``η`` below it.
    """

    loss: object
    answer: FloatArray
    run: Path
    box: Box
    outcome: str
    right: Path
    wrong: Path
    order: str
    same_why: str | None
    lr_bound: float


def walk(
    x: Points,
    y: Points,
    start: Points,
    *,
    lr: float,
    steps: int,
    w_range: tuple[float, float] | None = None,
    b_range: tuple[float, float] | None = None,
    arrive_share: float = 0.005,
    arrow_share: float = 0.3,
    compare_steps: int = 40,
    max_aspect: float = 1.3,
) -> Walk:
    """Run the lecture's descent on the data ``(x, y)`` from ``start`` and decide what it showed.

    Examples
    --------
    >>> w = walk([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0], [0.0, 0.0], lr=0.15, steps=300)
    >>> w.outcome, w.run.steps, w.order, round(w.lr_bound, 3)
    ('arrived', 146, 'differ, same end', 0.24)
    >>> walk([-1.0, 1.0], [0.0, 2.0], [0.0, 0.0], lr=0.5, steps=50).same_why  # mean(x) = 0
    'mean'
    """
    from gradcore.descent import descend
    from gradcore.models import linear_regression
    from gradcore.paths import MINIMUM_TOLERANCE, verdict

    J, start = linear_regression(np.ravel(x), np.ravel(y)), np.asarray(start, dtype=float)
    answer, g = J.optimum, J.gradient(start)
    tol = arrival_tolerance(J, arrive_share * float(np.linalg.norm(start - answer)))
    run = descend(J, start, lr=lr, steps=steps, tol=tol)
    right = descend(J, start, lr=lr, steps=min(steps, compare_steps), tol=tol)
    wrong = sequential_descend(J, start, lr=lr, steps=min(steps, compare_steps), tol=tol)
    reach_out = arrow_share * float(np.linalg.norm(start - answer)) * g / max(float(np.linalg.norm(g)), 1e-300)
    base = parameter_box(np.vstack([start, answer]), max_aspect=max_aspect)
    reach = 3 * max(hi - lo for lo, hi in base)  # a walk wider than this flies off: the map is not stretched for it
    near = [p.points[np.all(np.abs(p.points - answer) <= reach, axis=1)] for p in (run, wrong)]
    fitted = parameter_box(
        np.vstack([start, answer, start + reach_out, start - reach_out, *near]), max_aspect=max_aspect
    )
    box = (w_range or fitted[0], b_range or fitted[1])
    close = MINIMUM_TOLERANCE * max(hi - lo for lo, hi in box)
    outcome = verdict(run, box)
    if outcome not in ("arrived", "diverged") and np.linalg.norm(run.x - answer) < close:
        outcome = "close"
    same_why = _same_why(J, start, lr)
    if same_why is not None or wrong.steps == 0:
        order = "same"
    else:
        full = sequential_descend(J, start, lr=lr, steps=steps, tol=tol)
        both = all(np.linalg.norm(p.x - answer) < close for p in (run, full))
        order = "differ, same end" if both else "differ"
    lam = float(np.linalg.eigvalsh(J.hessian(answer)).max())
    return Walk(J, answer, run, box, outcome, right, wrong, order, same_why, 2.0 / lam)


def _same_why(loss, start: FloatArray, lr: float) -> str | None:
    """Why the sequential first step equals gradient descent's: ``mean`` (mean(x) = 0), ``still`` (w stays), or None."""
    right = start - lr * loss.gradient(start)
    wrong = sequential_step(loss, start, lr)
    if abs(right[1] - wrong[1]) > 1e-9 * max(1.0, abs(right[1])):
        return None
    return "mean" if abs(np.mean(loss.X)) < 1e-12 * max(1.0, float(np.abs(loss.X).max())) else "still"


def data_problem(x: Points, y: Points, start: Points, limit: float) -> tuple[str, str] | None:
    """Why the data and start cannot make the lesson, as ``(key, why and a way out)``, or None.

    Refused: fewer than 2 points, unequal lengths, values beyond ``±limit``, all ``x``
    equal (then every line through ``(x, mean y)`` fits equally well), and a start that
    already is the answer.

    Examples
    --------
    >>> data_problem([2.0, 2.0], [1.0, 3.0], [0.0, 0.0], 1e3)[0]
    'x'
    >>> data_problem([1.0, 2.0], [3.0, 5.0], [2.0, 1.0], 1e3)[1][:30]
    'it is already the least-square'
    """
    from gradcore.models import linear_regression

    x, y, start = np.ravel(x), np.ravel(y), np.asarray(start, dtype=float)
    default = "try x = [1, 2, 3, 4] and y = [3, 5, 7, 9]"
    if len(x) < 2:
        return "x", f"a line needs at least 2 data points, got {len(x)}; {default}"
    if len(y) != len(x):
        return "y", f"{len(y)} values of y for {len(x)} values of x; give one y per x"
    for key, values in (("x", x), ("y", y), ("start", start)):
        if np.abs(values).max() > limit:
            return key, f"values within ±{limit:g} keep the map readable; {default} and start = [0, 0]"
    if spread(x) <= 1e-9 * max(1.0, float(np.abs(x).max())):
        return "x", (f"every x equals {x[0]:g}, so the line is not determined: every line through ({x[0]:g}, mean y) "
                     "fits equally well and J has no single lowest point; spread the x values")  # fmt: skip
    J = linear_regression(x, y)
    if np.linalg.norm(J.gradient(start)) <= 1e-9 * max(1.0, float(np.abs(J.gradient(np.zeros(2))).max())):
        w, b = J.optimum
        return "start", f"it is already the least-squares answer (∇J = 0): nothing to descend; try start = [{w - 1:.3g}, {b - 1:.3g}]"  # fmt: skip
    return None
