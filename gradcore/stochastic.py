"""Batch, mini-batch and single-sample descent compared as a lecture shows them: by samples processed.

:func:`lesson` draws the data (:func:`gradcore.sgd.noisy_line`), runs
:func:`gradcore.sgd.sgd` once per batch size from one start with one η, and
measures what the clip says about the runs:

* ``samples`` — the samples processed when each point of a path was reached
  (``k · B`` after ``k`` updates of batch size ``B``): the clip's clock;
* ``reached`` — the samples processed when ``J`` first came within ``close`` of
  the way from ``J(θ₀)`` down to ``J*`` (``J − J* ≤ close · (J(θ₀) − J*)``), or None;
* ``spread`` — the mean distance from the least-squares answer ``θ*`` over the
  last epoch's points: how much a path still jitters at the end. The smallest
  batch runs once more with the decaying ``η_t = η₀ / (1 + d·t)`` to compare.

:func:`problem` says why parameters cannot make the lesson (key, reason and a
value that works), before anything is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradcore.descent import Path
from gradcore.models import LinearRegressionLoss, linear_regression
from gradcore.regression import parameter_box
from gradcore.sgd import noisy_line, sgd
from gradcore.typing import FloatArray

__all__ = [
    "CLOSE",
    "Lesson",
    "Race",
    "divisors_near",
    "exact_fit",
    "lesson",
    "problem",
    "settle_case",
    "settling",
    "spread",
]

CLOSE = 0.01
"""A path is close when ``J − J* ≤ CLOSE · (J(θ₀) − J*)``: 99 % of the way down."""

SETTLED = 0.5
"""The decaying η settles when its last epoch's spread is at most this share of the constant η's."""

STILL = 0.01
"""A spread below this share of ``|θ₀ − θ*|`` is no jitter at all (e.g. data without noise)."""

STALLED = 1.2
"""A decaying-η path ending this many times farther than the constant one has stalled (η shrank too fast)."""

X_RANGE = (0.0, 2.0)
"""Where the inputs ``xᵢ`` are drawn."""


@dataclass(frozen=True)
class Race:
    """One batch size's run: its path, the samples processed at each point, when it came close."""

    batch_size: int
    path: Path
    samples: FloatArray  # (k + 1,): samples processed at each point
    reached: int | None  # samples processed when J first came close, or None

    @property
    def name(self) -> str:
        """``"batch"``, ``"single"`` or ``"mini"`` by the batch size (the data set's size is known to the path)."""
        return "batch" if self.batch_size >= self.path.hyper["m"] else "single" if self.batch_size == 1 else "mini"


@dataclass(frozen=True)
class Lesson:
    """Everything the clip shows, computed once from the parameters."""

    X: FloatArray
    Y: FloatArray
    loss: LinearRegressionLoss
    answer: FloatArray
    races: list[Race]  # in the order of the batch sizes given
    decayed: Race  # the smallest batch size again, with the decaying η
    box: tuple[tuple[float, float], tuple[float, float]]
    close_level: float  # J* + CLOSE · (J(θ₀) − J*)

    @property
    def noisiest(self) -> Race:
        """The race with the smallest batch (the one compared with its decaying twin)."""
        return min(self.races, key=lambda r: r.batch_size)


def spread(race: Race, answer: FloatArray, m: int) -> float:
    """Mean distance from ``answer`` of the points of the last epoch (the last ``m / B`` updates).

    Examples
    --------
    >>> p = Path(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]]), np.zeros(3), np.zeros((3, 2)), "max_steps", "sgd",
    ...          hyper={"m": 2})
    >>> spread(Race(1, p, np.arange(3.0), None), np.zeros(2), 2)
    2.0
    """
    per_epoch = max(1, m // race.batch_size)
    last = race.path.points[-per_epoch:]
    return float(np.linalg.norm(last - answer, axis=1).mean())


def settle_case(constant: float, decayed: float, scale: float, exact: bool = False, arrived: bool = True) -> str:
    """How the last epoch's spreads compare, as the case the clip narrates (checked in this order).

    ``"far"`` — neither path came close before its last epoch (``arrived`` false): the
    last epoch still measures the way in, not jitter (η too small or too few epochs;
    a path that came close and then wanders widely is jitter, not "far"); ``"exact"`` — every sample lies on one line (``J* = 0``): each sample's
    gradient vanishes at ``θ*``, so even a constant η settles; ``"small"`` — the
    constant η's spread is already below ``STILL`` of ``scale`` (e.g. large batches
    average the noise away); ``"stalled"`` — the decaying path ends more than
    ``STALLED`` times farther than the constant one: η shrank so fast that it stopped
    short (it did not help, whatever the distance); ``"settles"`` — the decaying η's
    spread is at most ``SETTLED`` of the constant one's; ``"slow"`` — the decay
    changes little so far.

    Examples
    --------
    >>> [settle_case(0.16, 0.02, 3.0), settle_case(0.02, 0.01, 3.0), settle_case(0.16, 0.15, 3.0)]
    ['settles', 'small', 'slow']
    >>> [settle_case(1.0, 1.2, 3.0, arrived=False), settle_case(0.05, 0.5, 3.0), settle_case(0.16, 0.34, 3.0)]
    ['far', 'stalled', 'stalled']
    >>> [settle_case(1e-9, 1e-10, 3.0, exact=True), settle_case(3.0, 3.1, 3.0, exact=True, arrived=False)]
    ['exact', 'far']
    """
    if not arrived:
        return "far"
    if exact:
        return "exact"
    if constant <= STILL * scale:
        return "small"
    if decayed > STALLED * constant:
        return "stalled"
    return "settles" if decayed <= SETTLED * constant else "slow"


def settling(story: Lesson, start: FloatArray) -> tuple[str, float, float]:
    """Step 5's case and the last epoch's spreads ``(case, constant, decayed)`` of the smallest batch.

    Examples
    --------
    >>> story = lesson(100, 0.5, 7, (2.0, 1.0), np.array([-1.0, -1.5]), 0.2, (100, 10, 1), 10, 1.0)
    >>> case, constant, decayed = settling(story, np.array([-1.0, -1.5]))
    >>> case, round(constant, 2), round(decayed, 2)
    ('settles', 0.16, 0.02)
    """
    start = np.asarray(start, dtype=float)
    noisy, calm, m = story.noisiest, story.decayed, len(story.Y)
    constant, decayed = spread(noisy, story.answer, m), spread(calm, story.answer, m)
    scale = float(np.linalg.norm(start - story.answer))
    before_last = (noisy.path.hyper["epochs"] - 1) * m  # samples seen when the last epoch began
    arrived = any(r.reached is not None and r.reached <= before_last for r in (noisy, calm))
    case = settle_case(constant, decayed, scale, exact=exact_fit(story.loss, start), arrived=arrived)
    return case, constant, decayed


def exact_fit(loss: LinearRegressionLoss, start: FloatArray) -> bool:
    """Whether the samples lie on one line: ``J*`` is zero next to ``J(θ₀)`` (every residual vanishes at ``θ*``).

    Examples
    --------
    >>> exact_fit(linear_regression([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]), np.zeros(2))
    True
    """
    return bool(loss.minimum_value <= 1e-12 * max(float(loss(*start)), 1e-300))


def _race(loss: LinearRegressionLoss, start: FloatArray, size: int, level: float, **run: float) -> Race:
    X, Y = loss.X, loss.Y
    m = len(Y)
    path = sgd(linear_regression, X, Y, start, batch_size=size, **run)
    path = Path(path.points, path.values, path.gradients, path.status, path.optimizer, path.message,
                {**path.hyper, "m": m})  # fmt: skip
    samples = np.arange(len(path.points), dtype=float) * min(size, m)  # B divides m: k updates, k·B samples
    close = np.flatnonzero(path.values <= level)
    return Race(size, path, samples, int(samples[close[0]]) if close.size else None)


def lesson(
    n: int,
    noise: float,
    seed: int,
    line: tuple[float, float],
    start: FloatArray,
    lr: float,
    batch_sizes: tuple[int, ...],
    epochs: int,
    decay: float,
    *,
    max_aspect: float = 1.3,
) -> Lesson:
    """The data, the runs of every batch size, and the decaying run of the smallest (see the module).

    Examples
    --------
    >>> story = lesson(100, 0.5, 7, (2.0, 1.0), np.array([-1.0, -1.5]), 0.2, (100, 10, 1), 10, 1.0)
    >>> [r.reached for r in story.races]  # samples seen when 99 % of the way down
    [500, 50, 6]
    """
    X, Y = noisy_line(n, w=line[0], b=line[1], noise=noise, seed=seed, x_range=X_RANGE)
    loss = linear_regression(X, Y)
    start = np.asarray(start, dtype=float)
    level = loss.minimum_value + CLOSE * (float(loss(*start)) - loss.minimum_value)
    run = {"lr": lr, "epochs": epochs, "seed": seed}
    races = [_race(loss, start, int(b), level, **run) for b in batch_sizes]
    smallest = min(int(b) for b in batch_sizes)
    decayed = _race(loss, start, smallest, level, decay=decay, **run)
    points = np.vstack([*(r.path.points for r in races), decayed.path.points, loss.optimum[None]])
    box = parameter_box(points, max_aspect=max_aspect)
    return Lesson(X, Y, loss, loss.optimum, races, decayed, box, level)


def divisors_near(n: int, size: int) -> list[int]:
    """The divisors of ``n`` nearest ``size``, below and above (one or two of them).

    Examples
    --------
    >>> divisors_near(100, 30), divisors_near(100, 1000)
    ([25, 50], [100])
    """
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    below = [d for d in divisors if d <= size]
    above = [d for d in divisors if d >= size]
    return sorted({*(below[-1:]), *(above[:1])})


def problem(
    n: int, noise: float, seed: int, line, start, lr: float, batch_sizes, epochs: int, decay: float
) -> tuple[str, str] | None:
    """Why these parameters cannot make the lesson, as ``(key, reason with a value that works)``, or None.

    Refused: a batch size that is not a whole number, exceeds ``n`` or does not
    divide it, sizes repeated, a single size (nothing to compare; two distinct sizes that
    divide ``n`` always include one below it, a noisy estimate to show);
    a start at the answer; an η under which some path diverges (a smaller η that
    does not is suggested).

    Examples
    --------
    >>> problem(100, 0.5, 7, (2.0, 1.0), [-1.0, -1.5], 0.2, (100, 30), 10, 1.0)[1][:40]
    'a batch of 30 does not divide the 100 sa'
    """
    for size in batch_sizes:
        if size != int(size):
            return (
                "batch_sizes",
                f"a batch holds a whole number of samples, got {size:g}; try batch_sizes = [{n}, 10, 1]",
            )
        if size > n:
            return "batch_sizes", f"a batch of {size:g} is more than the {n} samples; the largest is {n} (full batch)"
        if n % int(size):
            near = " or ".join(str(d) for d in divisors_near(n, int(size)))
            return "batch_sizes", (f"a batch of {size:g} does not divide the {n} samples (the last batch of an epoch "
                                   f"would be smaller); try {near}")  # fmt: skip
    if len(set(batch_sizes)) < len(batch_sizes):
        return "batch_sizes", "each batch size once, please; e.g. batch_sizes = [100, 10, 1] for 100 samples"
    if len(batch_sizes) < 2:
        return "batch_sizes", f"the clip compares batch sizes: give two or three, e.g. batch_sizes = [{n}, 10, 1]"
    X, Y = noisy_line(n, w=line[0], b=line[1], noise=noise, seed=seed, x_range=X_RANGE)
    loss = linear_regression(X, Y)
    if np.linalg.norm(np.asarray(start, dtype=float) - loss.optimum) < 1e-3 * max(1.0, np.linalg.norm(loss.optimum)):
        w, b = loss.optimum
        aside = loss.optimum - np.where(loss.optimum > 0, 1.0, -1.0) * np.array([3.0, 2.5])  # towards 0: within ±100
        return (
            "start",
            f"it is the least-squares answer ({w:.3g}, {b:.3g}) already; try start = [{aside[0]:.3g}, {aside[1]:.3g}]",
        )
    return _lr_problem(loss, start, lr, batch_sizes, epochs, decay, seed)


def _diverges(loss, start, lr: float, batch_sizes, epochs: int, seed: int) -> int | None:
    """The first batch size whose path diverges at η = ``lr``, or None."""
    for size in batch_sizes:
        path = sgd(linear_regression, loss.X, loss.Y, start, lr=lr, epochs=epochs, batch_size=int(size), seed=seed)
        if path.status == "diverged":
            return int(size)
    return None


def _lr_problem(loss, start, lr: float, batch_sizes, epochs: int, decay: float, seed: int) -> tuple[str, str] | None:
    size = _diverges(loss, start, lr, batch_sizes, epochs, seed)
    if size is None:
        return None
    safe = lr
    for _ in range(40):
        safe /= 2
        if _diverges(loss, start, safe, batch_sizes, epochs, seed) is None:
            break
    return "lr", f"the path with batches of {size} diverges at η = {lr:g}; try lr = {float(f'{safe:.2g}'):g}"
