"""Stochastic gradient descent on a model's loss, one mini-batch per update, driven by ``descend``'s loop.

``sgd(linear_regression, X, Y, start, lr=0.1, epochs=20, batch_size=8)``
shuffles the samples once per epoch (reproducibly, from ``seed``), cuts them
into batches of ``batch_size`` (the last batch may be smaller), and for each
batch takes the step ``θ ← θ − η ∇J_batch(θ)`` where ``J_batch = model(X_batch,
Y_batch)``. ``batch_size=1`` is single-sample SGD; ``batch_size=None`` (or any
size ≥ m) is full-batch gradient descent, one update per epoch, identical to
``descend`` with ``"gd"`` on ``model(X, Y)``: one batch of all the samples *is*
the full loss, so it is not shuffled (the order of one batch changes nothing
but the rounding).

The updates run in :func:`gradcore.descent.descend` with the batch gradient as
its ``estimate``: the same loop, the same divergence rule and stop reasons. The
path records every update; its values and gradients are those of the full-data
loss ``model(X, Y)`` at each point (the landscape the viewer sees). The
mini-batch gradient of update ``k`` is ``(x_k − x_{k+1}) / η_k``.

A decaying learning rate ``η_t = η₀ / (1 + d·t)``, ``t`` the epochs done so far
(fractional within an epoch), is :func:`inverse_decay`; with ``d > 0`` the steps
shrink like ``1/t``, so their sum still grows without bound (the path can go
anywhere) while the sum of their squares stays finite (the noise dies out).

:func:`noisy_line` makes the lecture's data; :func:`batch_gradients` gives the
gradients of one epoch's mini-batches at one point, whose mean weighted by batch
size is exactly the full gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from gradcore.descent import Path, descend
from gradcore.optimizers import Optimizer, gd
from gradcore.typing import FloatArray, Points

__all__ = ["MAX_UPDATES", "batch_gradients", "epoch_batches", "inverse_decay", "noisy_line", "sgd"]

MAX_UPDATES = 1_000_000
"""The most updates one ``sgd`` call makes (``epochs · ⌈m / batch_size⌉``); more is refused, never run."""

Indices = npt.NDArray[np.intp]


def noisy_line(
    n: int, *, w: float, b: float, noise: float, seed: int, x_range: tuple[float, float] = (0.0, 2.0)
) -> tuple[FloatArray, FloatArray]:
    """``n`` samples of the line ``y = w x + b`` plus Gaussian noise: ``xᵢ`` uniform on ``x_range``.

    ``yᵢ = w xᵢ + b + εᵢ`` with ``εᵢ ~ N(0, noise²)``; the same ``seed`` gives the same samples.

    Parameters
    ----------
    n
        Number of samples, at least 1.
    w, b
        The true line.
    noise
        Standard deviation of ``εᵢ``, ``≥ 0`` (0: every sample on the line).
    seed
        Seed of the ``numpy.random.Generator`` that draws ``x`` and then ``ε``.
    x_range
        ``(lo, hi)`` with ``lo < hi``.

    Returns
    -------
    X, Y
        Shape ``(n,)`` each, in the order drawn.

    Examples
    --------
    >>> X, Y = noisy_line(3, w=2.0, b=1.0, noise=0.0, seed=0)
    >>> bool(np.allclose(Y, 2 * X + 1)), X.shape
    (True, (3,))
    >>> bool(np.array_equal(noisy_line(5, w=1, b=0, noise=0.3, seed=4)[1], noisy_line(5, w=1, b=0, noise=0.3, seed=4)[1]))
    True
    """
    if int(n) != n or n < 1:
        raise ValueError(f"noisy_line: n must be a positive whole number, got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noisy_line: noise must be a number ≥ 0, got {noise!r}")
    lo, hi = (float(v) for v in x_range)
    if not lo < hi:
        raise ValueError(f"noisy_line: x_range must be (lo, hi) with lo < hi, got {x_range!r}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(lo, hi, size=int(n))
    Y = w * X + b + noise * rng.standard_normal(int(n))  # yᵢ = w xᵢ + b + εᵢ
    return X, Y


def inverse_decay(lr: float, decay: float, per_epoch: int = 1) -> Callable[[int], float]:
    """The schedule ``η_k = η₀ / (1 + d · k / per_epoch)`` of update ``k`` (``t = k / per_epoch`` epochs done).

    Examples
    --------
    >>> eta = inverse_decay(0.1, 1.0, per_epoch=10)
    >>> [round(eta(k), 4) for k in (0, 10, 90)]  # η₀, η₀/2 after one epoch, η₀/10 after nine
    [0.1, 0.05, 0.01]
    """
    lr, decay = float(gd(lr).hyper["lr"]), float(decay)
    if not (np.isfinite(decay) and decay >= 0):
        raise ValueError(f"inverse_decay: decay must be a number ≥ 0, got {decay!r}")
    if int(per_epoch) != per_epoch or per_epoch < 1:
        raise ValueError(f"inverse_decay: per_epoch must be a positive whole number, got {per_epoch!r}")
    return lambda k: lr / (1.0 + decay * k / per_epoch)  # η_t = η₀ / (1 + d t)


def _scheduled(lr: float, decay: float, per_epoch: int) -> Optimizer:
    """Gradient descent named ``"sgd"``; with ``decay > 0`` its state counts updates for :func:`inverse_decay`."""
    if decay == 0:
        return gd(lr)._replace(name="sgd", hyper={"lr": gd(lr).hyper["lr"], "decay": 0.0})
    eta = inverse_decay(lr, decay, per_epoch)

    def update(grad: FloatArray, count: int, x: FloatArray | None = None) -> tuple[FloatArray, int]:
        return -eta(count) * np.asarray(grad, dtype=float), count + 1  # Δθ = −η_k ∇J_batch

    return Optimizer(lambda x: 0, update, "sgd", {"lr": eta(0), "decay": float(decay)})


def epoch_batches(
    rng: np.random.Generator, m: int, batch_size: int | None, epochs: int, shuffle: bool = True
) -> list[Indices | None]:
    """The sample indices of every update, epoch after epoch; ``None`` is the whole data set (full batch).

    Each epoch draws one permutation (when ``shuffle``) and cuts it into runs of
    ``batch_size``; the last run of an epoch may be shorter.

    Examples
    --------
    >>> [b.tolist() for b in epoch_batches(np.random.default_rng(0), 5, 2, 1, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> epoch_batches(np.random.default_rng(0), 5, 5, 2)
    [None, None]
    """
    if batch_size is None or batch_size >= m:
        return [None] * epochs
    batches: list[Indices | None] = []
    for _ in range(epochs):
        order = rng.permutation(m) if shuffle else np.arange(m)  # shuffled once per epoch
        batches += [order[i : i + batch_size] for i in range(0, m, batch_size)]
    return batches


def _checked(epochs: int, batch_size: int | None, m: int) -> int:
    """Updates per epoch, after checking ``epochs`` and ``batch_size`` (and the total against MAX_UPDATES)."""
    if int(epochs) != epochs or epochs < 0:
        raise ValueError(f"sgd: epochs must be a non-negative integer, got {epochs!r}")
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"sgd: batch_size must be a positive integer or None (full batch): {batch_size!r}")
    per_epoch = 1 if batch_size is None or batch_size >= m else -(-m // int(batch_size))
    if epochs * per_epoch > MAX_UPDATES:
        raise ValueError(f"sgd: {epochs} epochs of {per_epoch} updates exceed {MAX_UPDATES} updates; use fewer epochs")
    return per_epoch


def batch_gradients(
    model: Callable[..., Any], X: Points, Y: Points, theta: Points, batch_size: int, *, seed: int | None = 0
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """The gradients at ``θ`` of one epoch's mini-batches: those of ``sgd``'s first epoch with the same seed.

    Their mean weighted by batch size is the full gradient: ``Σ_B (|B|/m) ∇J_B(θ) = ∇J(θ)``
    (each sample's gradient counted once); with equal batches that is their plain mean.

    Returns
    -------
    gradients, sizes
        Shapes ``(⌈m / batch_size⌉, n)`` and ``(⌈m / batch_size⌉,)``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> X, Y = [0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 2.0, 5.0]
    >>> g, sizes = batch_gradients(linear_regression, X, Y, [0.0, 0.0], 2, seed=1)
    >>> g.mean(axis=0).tolist(), linear_regression(X, Y).gradient([0.0, 0.0]).tolist()
    ([-5.25, -2.5], [-5.25, -2.5])
    """
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    theta = np.asarray(theta, dtype=float)
    m = len(Y)
    _checked(1, batch_size, m)
    batches = epoch_batches(np.random.default_rng(seed), m, batch_size, 1)
    parts = [np.arange(m) if idx is None else idx for idx in batches]
    grads = np.array([model(X[idx], Y[idx]).gradient(theta) for idx in parts])
    return grads, np.array([len(idx) for idx in parts])


def sgd(
    model: Callable[..., Any],
    X: Points,
    Y: Points,
    start: Points,
    *,
    lr: float,
    epochs: int,
    batch_size: int | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
    decay: float = 0.0,
    tol: float = 0.0,
) -> Path:
    """Mini-batch stochastic gradient descent on ``model(X, Y)`` from ``start``.

    Parameters
    ----------
    model
        A loss factory such as :func:`~gradcore.models.linear_regression` or
        :func:`~gradcore.models.perceptron`: ``model(X, Y)`` returns a
        landscape with ``.gradient(p)``.
    X, Y
        The data, ``m`` samples.
    start
        Initial parameters, shape ``(n,)``.
    lr
        Learning rate ``η₀ > 0``.
    epochs
        Passes over the data (at most :data:`MAX_UPDATES` updates in all).
    batch_size
        Samples per update; ``None`` or ``≥ m`` means all ``m`` (full batch, no shuffle).
    seed
        Seed of the ``numpy.random.Generator`` that shuffles; the same seed
        gives the same path.
    shuffle
        Reshuffle the samples at the start of every epoch.
    decay
        ``d`` of the schedule ``η_t = η₀ / (1 + d·t)``, ``t`` in epochs
        (:func:`inverse_decay`); ``0`` keeps ``η`` constant.
    tol
        Stop as converged when the *full* gradient ``‖∇J(θ_k)‖ < tol``
        (``descend``'s rule); ``0``, the default, runs every epoch.

    Returns
    -------
    Path
        ``epochs·⌈m / batch_size⌉ + 1`` points unless it stopped early (the
        rules of :func:`~gradcore.descent.descend`: diverged or converged),
        with status ``"max_steps"`` otherwise; optimizer name ``"sgd"``.

    Examples
    --------
    >>> from gradcore.models import linear_regression
    >>> X, Y = [0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0]
    >>> path = sgd(linear_regression, X, Y, [0.0, 0.0], lr=0.05, epochs=200, batch_size=2)
    >>> path.steps, path.x.round(3).tolist()
    (400, [2.0, 1.0])
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    full = model(X, Y)
    m = len(Y)
    per_epoch = _checked(epochs, batch_size, m)
    opt = _scheduled(lr, decay, per_epoch)
    theta = np.asarray(start, dtype=float)
    if theta.ndim != 1 or theta.shape[0] != len(full.variables):
        raise ValueError(f"sgd: start must have shape ({len(full.variables)},) ordered {full.variables}")
    batches = epoch_batches(np.random.default_rng(seed), m, batch_size, int(epochs), shuffle)

    def estimate(k: int, x: FloatArray) -> FloatArray:
        idx = batches[k]
        return full.gradient(x) if idx is None else model(X[idx], Y[idx]).gradient(x)  # ∇J_batch(θ_k)

    path = descend(full, theta, optimizer=opt, steps=len(batches), tol=tol, estimate=estimate)
    hyper = {**path.hyper, "epochs": int(epochs), "batch_size": batch_size, "seed": seed}
    return Path(path.points, path.values, path.gradients, path.status, "sgd", path.message, hyper)
