"""Stochastic gradient descent on a model's loss, one mini-batch per update.

``sgd(linear_regression, X, Y, start, lr=0.1, epochs=20, batch_size=8)``
shuffles the samples every epoch (reproducibly, from ``seed``), cuts them into
batches of ``batch_size`` (the last batch may be smaller), and for each batch
takes the step ``θ ← θ − η ∇J_batch(θ)`` where ``J_batch = model(X_batch,
Y_batch)``. ``batch_size=1`` is single-sample SGD; ``batch_size=None`` is
full-batch gradient descent, one update per epoch, identical to ``descend``
with ``"gd"`` on ``model(X, Y)``.

The path records every update; its values and gradients are those of the
full-data loss ``model(X, Y)`` at each point (the landscape the viewer
sees). The mini-batch gradient of update ``k`` is ``(x_k − x_{k+1}) / η``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from gradcore.descent import Path, acceptable, stop_message
from gradcore.optimizers import gd
from gradcore.typing import FloatArray, Points

__all__ = ["sgd"]


def _batch_length(epochs: int, batch_size: int | None, m: int) -> int:
    """Samples per update, after checking ``epochs`` and ``batch_size``."""
    if int(epochs) != epochs or epochs < 0:
        raise ValueError(f"sgd: epochs must be a non-negative integer, got {epochs!r}")
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"sgd: batch_size must be a positive integer or None (full batch): {batch_size!r}")
    return m if batch_size is None else min(int(batch_size), m)


def _start_point(full: Any, start: Points) -> tuple[FloatArray, float, FloatArray]:
    """``θ_0``, with the full-data loss and its gradient there; the loss must be finite."""
    theta = np.asarray(start, dtype=float).copy()
    if theta.ndim != 1 or theta.shape[0] != len(full.variables):
        raise ValueError(f"sgd: start must have shape ({len(full.variables)},) ordered {full.variables}")
    value, grad = float(full(*theta)), full.gradient(theta)
    if not acceptable(theta[None], np.array([value]), grad[None])[0]:
        raise ValueError(f"sgd: the loss is not finite at start {theta.tolist()}")
    return theta, value, grad


def _batches(
    rng: np.random.Generator, m: int, k: int, epochs: int, batch_size: int | None, shuffle: bool
) -> Iterator[npt.NDArray[np.intp] | None]:
    """The sample indices of every update, epoch after epoch; ``None`` is the whole data set in its own order."""
    for _ in range(epochs):
        if batch_size is None:
            yield None
            continue
        order = rng.permutation(m) if shuffle else np.arange(m)  # reshuffled every epoch
        yield from (order[i : i + k] for i in range(0, m, k))


def sgd(
    model: Callable[..., object],
    X: Points,
    Y: Points,
    start: Points,
    *,
    lr: float,
    epochs: int,
    batch_size: int | None = None,
    seed: int | None = 0,
    shuffle: bool = True,
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
        Learning rate ``η > 0``.
    epochs
        Passes over the data.
    batch_size
        Samples per update; ``None`` means all ``m`` (full batch, no shuffle).
    seed
        Seed of the ``numpy.random.Generator`` that shuffles; the same seed
        gives the same path.
    shuffle
        Reshuffle the samples at the start of every epoch.

    Returns
    -------
    Path
        ``epochs·⌈m / batch_size⌉ + 1`` points unless it diverged (same rule
        as :func:`~gradcore.descent.descend`), with status ``"max_steps"``
        otherwise; optimizer name ``"sgd"``.

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
    k = _batch_length(epochs, batch_size, m)
    opt = gd(lr)  # Δθ = −η ∇J_batch(θ)
    rng = np.random.default_rng(seed)
    theta, value, grad = _start_point(full, start)
    points, values, grads = [theta], [value], [grad]
    state = opt.init(theta)
    status = "max_steps"

    with np.errstate(all="ignore"):
        for idx in _batches(rng, m, k, int(epochs), batch_size, shuffle):
            loss = full if idx is None else model(X[idx], Y[idx])
            step, state = opt.update(loss.gradient(theta), state, theta)
            new = theta + step  # θ_{k+1} = θ_k − η ∇J_batch(θ_k)
            value, grad = float(full(*new)), full.gradient(new)
            if not acceptable(new[None], np.array([value]), grad[None])[0]:
                status = "diverged"
                break
            theta = new
            points.append(theta)
            values.append(value)
            grads.append(grad)

    steps = len(points) - 1
    message = stop_message(status, steps, float(np.linalg.norm(grads[-1])), 0.0)
    hyper = {"lr": opt.hyper["lr"], "epochs": int(epochs), "batch_size": batch_size, "seed": seed}
    return Path(
        points=np.array(points),
        values=np.array(values),
        gradients=np.array(grads),
        status=status,
        optimizer="sgd",
        message=message,
        hyper=hyper,
    )
