"""The one loop that drives every optimizer: ``descend``, and the ``Path`` it records.

Stopping rules, checked at every recorded point ``x_k``:

* **converged** — ``‖∇f(x_k)‖ < tol`` (the gradient at the current point, not
  the step length: a slow learning rate must not pass for convergence).
  ``tol=0`` never stops early.
* **diverged** — the candidate ``x_{k+1}`` is rejected and the run stops if a
  coordinate, the value or the gradient there is not finite, if some
  ``|x_i| > DIVERGENCE_BOUND`` (1e6), or if ``|f| > VALUE_BOUND`` (1e12). The
  path keeps only the accepted points, so it never holds NaN or inf, and
  ``descend`` never raises because of divergence.
* **max_steps** — ``steps`` updates were made (the path has ``steps + 1`` points).

Many starts run together: a start of shape ``(m, n)`` advances all ``m``
points with one array operation per step; a start that has stopped is frozen
while the others continue.

An update may use an *estimate* of the gradient instead of ``∇f`` itself
(``estimate(k, x)``, e.g. a mini-batch's gradient: :func:`gradcore.sgd.sgd`
drives this loop so). The path still records ``f`` and ``∇f`` at every point,
and the stopping rules above are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from gradcore.calculus import evaluate, gradient
from gradcore.optimizers import Optimizer, get_optimizer
from gradcore.typing import FloatArray, Landscape, Points

__all__ = ["DIVERGENCE_BOUND", "STOP_REASONS", "VALUE_BOUND", "Estimate", "Path", "descend"]

DIVERGENCE_BOUND = 1e6
"""A coordinate beyond ``±DIVERGENCE_BOUND`` counts as divergence."""

VALUE_BOUND = 1e12
"""A value ``|f| > VALUE_BOUND`` counts as divergence."""

STOP_REASONS: dict[str, str] = {
    "converged": "converged: |∇f| = {gnorm:.3g} < tol = {tol:g} after {steps} steps",
    "max_steps": "stopped after the maximum of {steps} steps (|∇f| = {gnorm:.3g} at the last point)",
    "diverged": (
        "diverged after {steps} steps: the next point was not finite or left "
        "|x_i| ≤ {bound:g}, |f| ≤ {vbound:g}; try a smaller learning rate"
    ),
}
"""Why a run stopped: status → message template (the one table of stop reasons)."""

_CONVERGED, _MAX_STEPS, _DIVERGED, _RUNNING = 0, 1, 2, 3
_STATUS_NAMES = ("converged", "max_steps", "diverged")


@dataclass(frozen=True, eq=False)
class Path:
    """The points a descent visited, with values, gradients and why it stopped.

    Uses scipy's result vocabulary where it fits: ``x``, ``fun``, ``jac``,
    ``nit``, ``success``, ``message``.

    Attributes
    ----------
    points
        Shape ``(k + 1, n)``: the start, then one point per update.
    values
        Shape ``(k + 1,)``: ``f`` at each point.
    gradients
        Shape ``(k + 1, n)``: ``∇f`` at each point (at the point itself, also
        for Nesterov, whose updates use a look-ahead gradient).
    status
        ``"converged"``, ``"max_steps"`` or ``"diverged"`` (see ``STOP_REASONS``).
    optimizer
        Name of the optimizer, e.g. ``"adam"``.
    message
        A sentence saying why the run stopped.
    hyper
        The optimizer's hyper-parameters, for display.
    """

    points: FloatArray
    values: FloatArray
    gradients: FloatArray
    status: str
    optimizer: str
    message: str = ""
    hyper: dict[str, Any] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Number of updates made, ``len(points) − 1``."""
        return len(self.points) - 1

    nit = steps

    @property
    def x(self) -> FloatArray:
        """Last point, shape ``(n,)``."""
        return self.points[-1]

    @property
    def fun(self) -> float:
        """Value at the last point."""
        return float(self.values[-1])

    @property
    def jac(self) -> FloatArray:
        """Gradient at the last point, shape ``(n,)``."""
        return self.gradients[-1]

    @property
    def success(self) -> bool:
        """True when the run converged."""
        return self.status == "converged"

    def __repr__(self) -> str:
        x = np.array2string(self.x, precision=6)
        return f"Path({self.optimizer}, status={self.status!r}, steps={self.steps}, x={x}, fun={self.fun:.6g})"


def stop_message(status: str, steps: int, gnorm: float, tol: float) -> str:
    """The sentence of ``STOP_REASONS`` for a run that stopped with ``status``."""
    return STOP_REASONS[status].format(steps=steps, gnorm=gnorm, tol=tol, bound=DIVERGENCE_BOUND, vbound=VALUE_BOUND)


def acceptable(x: FloatArray, fx: FloatArray, gx: FloatArray) -> FloatArray:
    """Rows of ``x`` (shape ``(m, n)``) still inside the divergence bounds, shape ``(m,)``."""
    with np.errstate(invalid="ignore"):
        return (
            np.all(np.isfinite(x) & (np.abs(x) <= DIVERGENCE_BOUND), axis=-1)
            & np.isfinite(fx)
            & (np.abs(fx) <= VALUE_BOUND)
            & np.all(np.isfinite(gx), axis=-1)
        )


def _resolve(optimizer: str | Optimizer, lr: float | None, hyper: dict[str, float]) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if lr is not None or hyper:
            raise ValueError(
                "descend: lr and hyper-parameters belong to the Optimizer object; "
                "pass them to its factory, e.g. momentum(0.1, beta=0.9), or pass a name"
            )
        return optimizer
    if lr is None:
        raise ValueError(f"descend: optimizer {optimizer!r} needs a learning rate, e.g. lr=0.1")
    return get_optimizer(optimizer, lr, **hyper)


def _as_starts(start: Points) -> tuple[FloatArray, bool]:
    x = np.asarray(start, dtype=float)
    single = x.ndim <= 1
    if x.ndim == 0:
        x = x.reshape(1, 1)
    elif x.ndim == 1:
        x = x[None, :]
    elif x.ndim != 2:
        raise ValueError(f"descend: start must have shape (n,) or (m, n), got {x.shape}")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"descend: start must hold at least one point with coordinates, got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("descend: start must be finite")
    return x.copy(), single


class _Record(NamedTuple):
    """What :func:`_run` saw of ``m`` starts over ``K + 1`` recorded points."""

    points: FloatArray  # (m, K + 1, n); a start that stopped repeats its last point
    values: FloatArray  # (m, K + 1)
    gradients: FloatArray  # (m, K + 1, n)
    status: np.ndarray  # (m,) _CONVERGED, _MAX_STEPS or _DIVERGED
    length: np.ndarray  # (m,) index of each start's last accepted point


def _check_budget(steps: int, tol: float) -> tuple[int, float]:
    if int(steps) != steps or steps < 0:
        raise ValueError(f"descend: steps must be a non-negative integer, got {steps!r}")
    tol = float(tol)
    if not tol >= 0:
        raise ValueError(f"descend: tol must be >= 0, got {tol!r}")
    return int(steps), tol


def _start_values(f: Landscape, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``f`` and ``∇f`` at the starts ``x`` (shape ``(m, n)``), which must lie inside the bounds."""
    with np.errstate(all="ignore"):
        fx = evaluate(f, x)
        gx = np.asarray(gradient(f, x), dtype=float)
    bad = ~acceptable(x, fx, gx)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"descend: f or its gradient is not finite (or beyond the bounds) at start {x[i].tolist()}; "
            "choose a start inside the domain of f"
        )
    return fx, gx


Estimate = Callable[[int, FloatArray], FloatArray]
"""``estimate(k, x)``: the gradient update ``k`` uses at points ``x`` of shape ``(m, n)``, in place of ``∇f(x)``."""


def _propose(
    f: Landscape, opt: Optimizer, x: FloatArray, gx: FloatArray, state: Any, k: int, estimate: Estimate | None
) -> tuple[Any, ...]:
    """The candidate ``x_{k+1}`` of every start, ``f`` and ``∇f`` there, and the optimizer's next state."""
    at = x if opt.lookahead is None else opt.gradient_point(x, state)
    if estimate is not None:  # e.g. ∇J_batch(x_k), a noisy estimate of ∇f(x_k)
        return _step(f, opt, x, estimate(k, at), state)
    return _step(f, opt, x, gx if opt.lookahead is None else gradient(f, at), state)


def _step(f: Landscape, opt: Optimizer, x: FloatArray, g_update: FloatArray, state: Any) -> tuple[Any, ...]:
    """Take the update from ``g_update``; the candidate, ``f`` and ``∇f`` there, and the next state."""
    step, state = opt.update(g_update, state, x)
    x_new = x + step  # x_{k+1} = x_k + step
    return x_new, evaluate(f, x_new), np.asarray(gradient(f, x_new), dtype=float), state


def _run(
    f: Landscape,
    opt: Optimizer,
    x: FloatArray,
    fx: FloatArray,
    gx: FloatArray,
    steps: int,
    tol: float,
    estimate: Estimate | None = None,
) -> _Record:
    """Advance all starts together until each converges, diverges or has made ``steps`` updates."""
    m = x.shape[0]
    state = opt.init(x)
    points, values, grads = [x], [fx], [gx]
    status = np.full(m, _RUNNING)
    active = np.ones(m, dtype=bool)  # a start that has stopped is frozen
    length = np.zeros(m, dtype=int)  # index of each start's last accepted point
    gnorm = np.linalg.norm(gx, axis=-1)

    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            converged = active & (gnorm < tol)  # stop when ‖∇f(x_k)‖ < tol
            status[converged] = _CONVERGED
            active &= ~converged
            if k == steps:
                status[active] = _MAX_STEPS
                break
            if not active.any():
                break
            x_new, f_new, g_new, state = _propose(f, opt, x, gx, state, k, estimate)
            diverged = active & ~acceptable(x_new, f_new, g_new)  # reject x_{k+1}, keep x_k
            status[diverged] = _DIVERGED
            active &= ~diverged
            if not active.any():
                break
            x = np.where(active[:, None], x_new, x)
            fx = np.where(active, f_new, fx)
            gx = np.where(active[:, None], g_new, gx)
            gnorm = np.where(active, np.linalg.norm(gx, axis=-1), gnorm)
            length[active] = k + 1
            points.append(x)
            values.append(fx)
            grads.append(gx)

    return _Record(np.stack(points, axis=1), np.stack(values, axis=1), np.stack(grads, axis=1), status, length)


def _trimmed(record: _Record, i: int, opt: Optimizer, tol: float) -> Path:
    """The :class:`Path` of start ``i``, cut after its last accepted point."""
    end = record.length[i] + 1
    name = _STATUS_NAMES[record.status[i]]
    g_last = record.gradients[i, end - 1]
    return Path(
        points=record.points[i, :end].copy(),
        values=record.values[i, :end].copy(),
        gradients=record.gradients[i, :end].copy(),
        status=name,
        optimizer=opt.name,
        message=stop_message(name, int(record.length[i]), float(np.linalg.norm(g_last)), tol),
        hyper=dict(opt.hyper),
    )


def descend(
    f: Landscape,
    start: Points,
    *,
    optimizer: str | Optimizer = "gd",
    lr: float | None = None,
    steps: int = 100,
    tol: float = 1e-8,
    estimate: Estimate | None = None,
    **hyper: float,
) -> Path | list[Path]:
    """Run an optimizer on ``f`` from ``start`` and record the path.

    Each update is ``x_{k+1} = x_k + step`` with ``step`` from the optimizer
    (``−η∇f(x_k)`` for gradient descent).

    Parameters
    ----------
    f
        Landscape ``f(x1, ..., xn)`` that broadcasts like a ufunc (a parsed
        ``Function`` uses its exact gradient).
    start
        One start, shape ``(n,)``, or ``m`` starts, shape ``(m, n)``.
    optimizer
        A name (``"gd"``, ``"momentum"``, ``"nesterov"``, ``"rmsprop"``,
        ``"adam"``; then ``lr`` is required) or an :class:`Optimizer`.
    lr
        Learning rate, with an optimizer name.
    steps
        Maximum number of updates; a run that does not stop early has
        ``steps + 1`` points.
    tol
        Stop as converged when ``‖∇f(x_k)‖ < tol``; ``0`` never stops early.
    estimate
        ``estimate(k, x)``, the gradient update ``k`` uses at the points ``x``
        (shape ``(m, n)``) instead of ``∇f(x)``, e.g. a mini-batch's gradient
        (see :func:`gradcore.sgd.sgd`). ``None``: the exact ``∇f``.
    **hyper
        The named optimizer's hyper-parameters, e.g. ``beta=0.9``.

    Returns
    -------
    Path or list of Path
        One :class:`Path` for a start of shape ``(n,)``; a list of ``m`` paths,
        each trimmed to its own length, for shape ``(m, n)``.

    Raises
    ------
    ValueError
        For a bad optimizer, learning rate, ``steps`` or ``tol``, or a start
        where ``f`` or ``∇f`` is not finite. Divergence never raises.

    Examples
    --------
    >>> path = descend(lambda x: x**2, [1.0], lr=0.25, steps=3, tol=0)
    >>> path.points[:, 0].round(12).tolist()  # x_{k+1} = (1 − 2η) x_k
    [1.0, 0.5, 0.25, 0.125]
    >>> path.status, path.steps
    ('max_steps', 3)
    >>> paths = descend(lambda x, y: x**2 + y**2, [[1.0, 1.0], [2.0, 0.0]], lr=0.5)
    >>> [(p.status, p.steps) for p in paths]  # η = 1/2 jumps to the minimum in one step
    [('converged', 1), ('converged', 1)]
    """
    opt = _resolve(optimizer, lr, hyper)
    steps, tol = _check_budget(steps, tol)
    x, single = _as_starts(start)
    fx, gx = _start_values(f, x)
    record = _run(f, opt, x, fx, gx, steps, tol, estimate)
    paths = [_trimmed(record, i, opt, tol) for i in range(x.shape[0])]
    return paths[0] if single else paths
