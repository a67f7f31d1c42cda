"""Training a perceptron by gradient descent on its criterion, the misclassified set recomputed every step.

The loss is :func:`gradcore.models.perceptron`'s ``L(w, b) = −Σ_{yᵢ(w·xᵢ + b) ≤ 0} yᵢ(w·xᵢ + b)``.
**Convention**: a sample with margin ``yᵢ(w·xᵢ + b) ≤ 0`` counts as misclassified, one exactly
on the boundary included, so at ``w = 0, b = 0`` every sample counts (and each adds 0 to ``L``).
Its gradient is ``∂L/∂w = −Σ yᵢxᵢ``, ``∂L/∂b = −Σ yᵢ`` over the misclassified samples.

:func:`train` takes full-batch steps ``θ ← θ − η∇L(θ)`` (``θ = (w, b)``), and after every step
looks again at which samples are misclassified: the set that the next gradient sums over is the
set at that moment, not the set at the start. It stops for one of the reasons of
:data:`TRAINING_STOPS`. The other functions are the pieces a lecture shows: each sample's term of
the gradient (:func:`gradient_terms`), the decision boundary cut to a box (:func:`boundary_in_box`),
the positive half of the box (:func:`positive_side`) and the loss over ``(w₁, w₂)`` at a fixed
``b`` (:func:`weight_slice`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradcore.models import PerceptronLoss, perceptron
from gradcore.typing import FloatArray, Points

__all__ = [
    "TRAINING_STOPS",
    "Training",
    "boundary_in_box",
    "data_problem",
    "flat_share",
    "gradient_terms",
    "loss_example_step",
    "misclassified",
    "positive_side",
    "sublevel_polygon",
    "train",
    "weight_slice",
]

TRAINING_STOPS: dict[str, str] = {
    "separated": "separated: every sample has yᵢ(w·xᵢ + b) > 0 after {steps} updates",
    "max_steps": "stopped after the maximum of {steps} updates with {wrong} of {m} samples still misclassified",
}
"""Why :func:`train` stopped: status → message template."""


@dataclass(frozen=True, eq=False)
class Training:
    """What :func:`train` did, one row per visited parameter point ``θ_k = (w_k, b_k)``.

    Attributes
    ----------
    params
        Shape ``(k + 1, n)``: the start, then one point per update.
    wrong
        Shape ``(k + 1, m)``, booleans: sample ``i`` misclassified at ``θ_k`` (margin ≤ 0).
    losses
        Shape ``(k + 1,)``: ``L(θ_k)``.
    gradients
        Shape ``(k + 1, n)``: ``∇L(θ_k)``, the sum over the set ``wrong[k]``.
    status
        ``"separated"`` or ``"max_steps"`` (see :data:`TRAINING_STOPS`).
    lr
        The learning rate η.
    """

    params: FloatArray
    wrong: np.ndarray
    losses: FloatArray
    gradients: FloatArray
    status: str
    lr: float

    @property
    def steps(self) -> int:
        """Updates made."""
        return len(self.params) - 1

    @property
    def final(self) -> FloatArray:
        """The last parameters ``(w..., b)``."""
        return self.params[-1]

    @property
    def counts(self) -> np.ndarray:
        """Misclassified samples at each ``θ_k``, shape ``(k + 1,)``."""
        return self.wrong.sum(axis=1)

    @property
    def still_wrong(self) -> int:
        """Samples misclassified at the last point (0 when separated)."""
        return int(self.counts[-1])

    @property
    def message(self) -> str:
        """A sentence saying why training stopped."""
        m = self.wrong.shape[1]
        return TRAINING_STOPS[self.status].format(steps=self.steps, wrong=self.still_wrong, m=m)


def data_problem(samples: Points, labels: Points, example: Points, example_labels: Points, start: Points,
                 limit: float, lr: float = 0.1) -> tuple[str, str] | None:  # fmt: skip
    """Why these data cannot teach the perceptron's worked example and training: ``(key, reason)``, or None.

    Refused: fewer than 2 samples, a label count that differs, labels other than ±1,
    one class only, a worked example without exactly 2 samples, values beyond ``±limit``,
    samples or example all within ±0.1 or ``η·max|xᵢ| < 0.003`` (the numbers on screen would need more
    decimals than a row holds, the updates would show as 0),
    a start at which neither example sample is misclassified (its gradient would be 0), and
    a start that already classifies every sample (training would make no update). Each
    reason says what works.

    Examples
    --------
    >>> data_problem([[1, 2], [3, 4]], [1, 0], [[2, 3], [1, -1]], [1, -1], [0, 0, 0], 100)
    ('labels', 'labels must be +1 or -1, got 0; try 1 or -1')
    >>> data_problem([[1, 2], [3, 4]], [1, -1], [[2, 3], [1, -1]], [1, -1], [0, 0, 0], 100) is None
    True
    """
    X, y = np.asarray(samples, dtype=float).reshape(-1, 2), np.ravel(np.asarray(labels, dtype=float))
    ex, ey = np.asarray(example, dtype=float).reshape(-1, 2), np.ravel(np.asarray(example_labels, dtype=float))
    if len(X) < 2:
        return "samples", "the perceptron needs at least 2 samples; try samples = [[2, 3], [1, -1]]"
    if len(y) != len(X):
        return "labels", f"{len(y)} labels for {len(X)} samples; give one label, +1 or -1, per sample"
    for key, values in (("labels", y), ("example_labels", ey)):
        if not np.all(np.abs(values) == 1):
            bad = values[np.abs(values) != 1][0]
            return key, f"labels must be +1 or -1, got {bad:g}; try 1 or -1"
    if len(set(y.tolist())) < 2:
        return "labels", f"every sample has label {y[0]:+g}; the boundary separates two classes, give both +1 and -1"
    if len(ex) != 2 or len(ey) != 2:
        return "example", "the worked example has exactly 2 samples and 2 labels; try example = [[2, 3], [1, -1]]"
    for key, values in (("samples", X), ("example", ex), ("start", np.asarray(start, dtype=float))):
        if np.abs(values).max() > limit:
            return key, f"values must lie within ±{limit:g} to fit the plane"
    for key, values in (("samples", X), ("example", ex)):
        if np.abs(values).max() < 0.1:  # a power of 10 brings the largest to [1, 10)
            scaled = values * 10.0 ** -np.floor(np.log10(max(np.abs(values).max(), 1e-300)))
            return key, (f"every value lies within ±0.1: too many decimals to read; scale them up, "
                         f"try {key} = {np.round(scaled, 6).tolist()}")  # fmt: skip
    if lr * np.abs(X).max() < 3e-3:
        return "lr", f"η·max|xᵢ| = {lr * np.abs(X).max():.3g} < 0.003: the updates would show as 0; try lr = 0.1"
    if not misclassified(perceptron(ex, ey), start).any():
        return (
            "start",
            "neither example sample is misclassified there, so the worked gradient is 0; try start = [0, 0, 0]",
        )
    if not misclassified(perceptron(X, y), start).any():
        return "start", "it already classifies every sample, so training makes no update; try start = [0, 0, 0]"
    return None


def misclassified(loss: PerceptronLoss, theta: Points) -> np.ndarray:
    """Which samples count as misclassified at ``θ``: margin ``yᵢ(w·xᵢ + b) ≤ 0``, shape ``(..., m)``.

    Examples
    --------
    >>> L = perceptron([[2.0, 3.0], [1.0, -1.0]], [1, -1])
    >>> misclassified(L, [0.0, 0.0, 0.0]).tolist(), misclassified(L, [0.1, 0.4, 0.0]).tolist()
    ([True, True], [False, False])
    """
    return loss.margins(theta) <= 0


def gradient_terms(loss: PerceptronLoss, theta: Points) -> FloatArray:
    """Each sample's term of ``∇L`` at ``θ``: ``−yᵢ(xᵢ, 1)`` if misclassified, else zeros; shape ``(m, n)``.

    Their sum is ``loss.gradient(θ)``.

    Examples
    --------
    >>> L = perceptron([[2.0, 3.0], [1.0, -1.0]], [1, -1])
    >>> gradient_terms(L, [0.0, 0.0, 0.0]).tolist()  # −y₁(x₁, 1), −y₂(x₂, 1)
    [[-2.0, -3.0, -1.0], [1.0, -1.0, 1.0]]
    >>> gradient_terms(L, [0.0, 0.0, 0.0]).sum(axis=0).tolist()  # ∂L/∂w = (−1, −4), ∂L/∂b = 0
    [-1.0, -4.0, 0.0]
    """
    theta = np.asarray(theta, dtype=float)
    wrong = misclassified(loss, theta)
    z = np.hstack([loss.X.reshape(loss.m, -1), np.ones((loss.m, 1))])
    return np.where(wrong[:, None], -loss.Y[:, None] * z, 0.0)


def train(X: Points, y: Points, start: Points, *, lr: float, steps: int) -> Training:
    """Gradient descent on the perceptron criterion, ``θ ← θ − η∇L(θ)``, until nothing is misclassified.

    After every update the misclassified set is recomputed at the new ``θ``; the
    next gradient ``−Σ_{wrong} yᵢ(xᵢ, 1)`` sums over that set. Training stops as
    ``"separated"`` as soon as every margin ``yᵢ(w·xᵢ + b)`` is positive (the start
    included: then no update is made), or as ``"max_steps"`` after ``steps``
    updates. Updates add multiples of the samples, so they stay finite.

    Parameters
    ----------
    X
        Samples, shape ``(m, d)`` (or ``(m,)`` for one feature).
    y
        Labels ``±1``, shape ``(m,)``.
    start
        ``(w..., b)``, shape ``(d + 1,)``.
    lr
        Learning rate ``η > 0``.
    steps
        Most updates.

    Returns
    -------
    Training
        Parameters, misclassified sets, losses and gradients at every visited point.

    Examples
    --------
    >>> run = train([[2.0, 3.0], [1.0, -1.0]], [1, -1], [0.0, 0.0, 0.0], lr=0.1, steps=10)
    >>> run.status, run.steps, run.final.round(12).tolist()
    ('separated', 1, [0.1, 0.4, 0.0])
    >>> train([[1.0], [1.0]], [1, -1], [0.0, 0.0], lr=1.0, steps=3).status  # the same x with both labels
    'max_steps'
    """
    if not lr > 0 or not np.isfinite(lr):
        raise ValueError(f"train: lr must be a positive number, got {lr!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"train: steps must be a whole number ≥ 0, got {steps!r}")
    loss = perceptron(X, y)
    theta = np.asarray(start, dtype=float)
    if theta.shape != (loss.n,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"train: start must be {loss.n} finite numbers ordered {loss.variables}, got {theta!r}")
    params, wrong, losses, grads = [theta], [misclassified(loss, theta)], [float(loss.value(theta))], []
    while wrong[-1].any() and len(params) <= steps:
        grads.append(loss.gradient(theta))  # ∇L = −Σ_{yᵢθ·zᵢ ≤ 0} yᵢ zᵢ, the set at this moment
        theta = theta - lr * grads[-1]  # θ_{k+1} = θ_k − η ∇L(θ_k)
        params.append(theta)
        wrong.append(misclassified(loss, theta))  # recomputed after every update
        losses.append(float(loss.value(theta)))
    grads.append(loss.gradient(theta))
    status = "max_steps" if wrong[-1].any() else "separated"
    return Training(np.array(params), np.array(wrong), np.array(losses), np.array(grads), status, float(lr))


def loss_example_step(run: Training, loss: PerceptronLoss) -> int:
    """The visited point that best shows the loss's terms: most samples strictly on the wrong side.

    Among ``θ_1 … θ_k`` (the start too when no update left a sample strictly wrong),
    the one with the most margins ``yᵢ(w·xᵢ + b) < 0``, the earliest on a tie; each
    such sample adds a positive term ``−yᵢ(w·xᵢ + b)`` to ``L``.

    Examples
    --------
    >>> X, y = [[-1.0, -2.0], [-3.0, 2.0], [1.0, -2.0], [-3.0, 0.0]], [-1, 1, 1, -1]
    >>> run = train(X, y, [0.0, 0.0, 0.0], lr=0.1, steps=20)
    >>> k = loss_example_step(run, perceptron(X, y))
    >>> k >= 1 and bool((perceptron(X, y).margins(run.params[k]) < 0).any())
    True
    """
    strictly = (loss.margins(run.params) < 0).sum(axis=1)
    if run.steps and strictly[1:].max() > 0:
        return 1 + int(np.argmax(strictly[1:]))
    return int(np.argmax(strictly)) if strictly.max() > 0 else 0


def boundary_in_box(theta: Points, box) -> FloatArray | None:
    """The part of the line ``w₁x₁ + w₂x₂ + b = 0`` inside ``box``: its two ends, shape ``(2, 2)``, or None.

    None when ``w = 0`` (no line) or the line misses the box (or only touches a corner).

    Examples
    --------
    >>> boundary_in_box([1.0, -1.0, 0.0], ((0.0, 2.0), (0.0, 4.0))).tolist()  # x₂ = x₁
    [[0.0, 0.0], [2.0, 2.0]]
    >>> boundary_in_box([0.0, 0.0, 1.0], ((0.0, 1.0), (0.0, 1.0))) is None
    True
    """
    w1, w2, b = (float(v) for v in theta)
    norm = np.hypot(w1, w2)
    if norm < 1e-12 * max(1.0, abs(b)):
        return None
    (x0, x1), (y0, y1) = box
    foot = -b * np.array([w1, w2]) / norm**2  # the line's point nearest the origin
    along = np.array([-w2, w1]) / norm
    lo, hi = -np.inf, np.inf
    for axis, (a, c) in enumerate(((x0, x1), (y0, y1))):  # clip t in foot + t·along to each slab
        if abs(along[axis]) < 1e-15:
            if not a <= foot[axis] <= c:
                return None
            continue
        t = sorted(((a - foot[axis]) / along[axis], (c - foot[axis]) / along[axis]))
        lo, hi = max(lo, t[0]), min(hi, t[1])
    if hi - lo <= 1e-9 * max(x1 - x0, y1 - y0):
        return None
    return np.array([foot + lo * along, foot + hi * along])


def positive_side(theta: Points, box) -> FloatArray:
    """The corners of the part of ``box`` where ``w·x + b > 0`` (the side predicted +1), shape ``(k, 2)``.

    An empty array when no part of the box is on that side.

    Examples
    --------
    >>> positive_side([1.0, 0.0, -1.0], ((0.0, 2.0), (0.0, 1.0))).tolist()  # x₁ > 1
    [[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0]]
    """
    w1, w2, b = (float(v) for v in theta)
    (x0, x1), (y0, y1) = box
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    value = corners @ [w1, w2] + b
    kept = []
    for i in range(4):  # Sutherland–Hodgman against one half-plane
        j = (i + 1) % 4
        if value[i] > 0:
            kept.append(corners[i])
        if (value[i] > 0) != (value[j] > 0):
            share = value[i] / (value[i] - value[j])
            kept.append(corners[i] + share * (corners[j] - corners[i]))
    return np.array(kept).reshape(-1, 2)


def sublevel_polygon(f, box, level: float, inner: Points, directions: int = 720) -> FloatArray:
    """The region ``f ≤ level`` inside ``box`` of a convex ``f``, as a polygon, shape ``(k, 2)``.

    ``inner`` must be a point of the region (e.g. where ``f`` is lowest). From it a ray
    goes out in each of ``directions`` directions (and through each corner of the box);
    along a ray a convex ``f`` crosses ``level`` once, found by bisection to 1e-9 of the
    box's size, or the ray reaches the box's edge first. The perceptron criterion is
    convex (a sum of ``max(0, −margin)``), so each of its level sets is one polygon.

    Examples
    --------
    >>> square = sublevel_polygon(lambda x, y: np.maximum(abs(x), abs(y)), ((-2, 2), (-2, 2)), 1.0, [0.0, 0.0], 8)
    >>> bool(np.allclose(np.abs(square).max(axis=1), 1.0))
    True
    """
    (x0, x1), (y0, y1) = box
    p = np.asarray(inner, dtype=float)
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]) - p
    angles = np.sort(np.concatenate([np.linspace(0, 2 * np.pi, directions, endpoint=False),
                                     np.arctan2(corners[:, 1], corners[:, 0]) % (2 * np.pi)]))  # fmt: skip
    d = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = np.where(
            d > 1e-12, (np.array([x1, y1]) - p) / d, np.where(d < -1e-12, (np.array([x0, y0]) - p) / d, np.inf)
        )
    far = np.maximum(reach.min(axis=1), 0.0)  # where each ray leaves the box
    ends = p + far[:, None] * d
    lo, hi = np.zeros(len(d)), far.copy()
    inside = np.asarray(f(ends[:, 0], ends[:, 1]), dtype=float) <= level
    for _ in range(int(np.ceil(np.log2(1e9))) + 1):  # bisect t on the rays that cross the level
        mid = (lo + hi) / 2
        q = p + mid[:, None] * d
        below = np.asarray(f(q[:, 0], q[:, 1]), dtype=float) <= level
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(inside[:, None], ends, p + lo[:, None] * d)


def flat_share(f, box, samples: int = 81) -> float:
    """The share of ``box`` where a convex ``f ≥ 0`` is exactly 0 (a perceptron loss: nothing misclassified there).

    Found on a ``samples`` × ``samples`` grid, then measured as the area of the polygon
    :func:`sublevel_polygon` grows from the middle of the grid's zeros; 0 when no grid point is 0
    (a single point of ``f = 0``, e.g. every sample on the boundary at ``w = 0``, has no area).

    Examples
    --------
    >>> round(flat_share(lambda x, y: np.maximum(0.0, x), ((-1, 1), (-1, 1))), 3)  # the half x ≤ 0
    0.5
    """
    (x0, x1), (y0, y1) = box
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, samples), np.linspace(y0, y1, samples)), axis=-1).reshape(-1, 2)
    zero = grid[np.asarray(f(grid[:, 0], grid[:, 1]), dtype=float) <= 0]
    if not len(zero):
        return 0.0
    ring = sublevel_polygon(f, box, 0.0, zero.mean(axis=0))
    x, y = ring[:, 0], ring[:, 1]
    area = 0.5 * abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1)))  # the shoelace formula
    return area / ((x1 - x0) * (y1 - y0))


def weight_slice(loss: PerceptronLoss, b: float):
    """``L(w₁, w₂)`` with ``b`` held fixed: a broadcasting callable with ``.gradient`` over ``(w₁, w₂)``.

    Examples
    --------
    >>> L = perceptron([[2.0, 3.0], [1.0, -1.0]], [1, -1])
    >>> f = weight_slice(L, 0.0)
    >>> float(f(-1.0, 0.0)), f.gradient([-1.0, 0.0]).tolist()  # margins −2 and +1: only x₁ counts
    (2.0, [-2.0, -3.0])
    """
    if loss.n != 3:
        raise ValueError(f"weight_slice: needs two features (w₁, w₂, b), got variables {loss.variables}")

    def f(w1: Points, w2: Points) -> FloatArray:
        return loss(w1, w2, b)

    def gradient(p: Points) -> FloatArray:
        p = np.asarray(p, dtype=float)
        full = np.concatenate([p, np.full((*p.shape[:-1], 1), float(b))], axis=-1)
        return loss.gradient(full)[..., :2]

    f.gradient = gradient  # type: ignore[attr-defined]
    f.variables = ("w1", "w2")  # type: ignore[attr-defined]
    return f
