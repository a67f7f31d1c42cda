"""Small pure optimizers with an explicit state, in the manner of optax.

An :class:`Optimizer` is a pair of pure functions::

    state = opt.init(x)
    step, state = opt.update(grad, state, x)
    x = x + step                      # x_{k+1} = x_k + step

Sign convention: the returned ``step`` is **added** to the point. For plain
gradient descent ``step = −η ∇f(x)``. There is no other convention anywhere in
gradcore. Nesterov momentum wants its gradient at a look-ahead point: such an
optimizer sets ``lookahead(x, state)``, and the driver (``descend``) passes
``∇f(lookahead(x, state))`` to ``update`` instead of ``∇f(x)``.

Every optimizer works on points of shape ``(..., n)``, so many starts run at
once; the state holds arrays of the same shape (and scalars).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from gradcore.typing import FloatArray

__all__ = [
    "OPTIMIZERS",
    "AdamState",
    "MomentumState",
    "Optimizer",
    "RMSPropState",
    "adam",
    "gd",
    "get_optimizer",
    "momentum",
    "nesterov",
    "rmsprop",
]


class Optimizer(NamedTuple):
    """A pure optimizer: ``init(x) -> state`` and ``update(grad, state, x) -> (step, state)``.

    The step is added to the point: ``x_{k+1} = x_k + step``.

    Attributes
    ----------
    init
        Builds the initial state for points ``x`` of shape ``(..., n)``.
    update
        Maps the gradient (taken at ``gradient_point(x, state)``), the state and
        the current point to ``(step, new_state)``. Pure: it never mutates.
    name
        Short name for display, e.g. ``"adam"``.
    hyper
        Hyper-parameters for display, e.g. ``{"lr": 0.1, "beta": 0.9}``.
    lookahead
        ``None`` (the gradient is taken at ``x``) or ``lookahead(x, state)``
        returning the point where the gradient must be taken (Nesterov).

    Examples
    --------
    >>> opt = gd(0.25)
    >>> x = np.array([2.0])
    >>> state = opt.init(x)
    >>> step, state = opt.update(2 * x, state, x)  # ∇(x²) = 2x
    >>> (x + step).tolist()
    [1.0]
    """

    init: Callable[[FloatArray], Any]
    update: Callable[..., tuple[FloatArray, Any]]
    name: str = "optimizer"
    hyper: Mapping[str, float] = MappingProxyType({})
    lookahead: Callable[[FloatArray, Any], FloatArray] | None = None

    def gradient_point(self, x: FloatArray, state: Any) -> FloatArray:
        """Point where the gradient for the next update is taken (``x`` unless look-ahead)."""
        return x if self.lookahead is None else self.lookahead(x, state)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v:g}" for k, v in self.hyper.items())
        return f"Optimizer({self.name}: {params})"


class MomentumState(NamedTuple):
    """Velocity ``v`` of momentum and Nesterov, shape of ``x``."""

    velocity: FloatArray


class RMSPropState(NamedTuple):
    """Running mean ``s`` of squared gradients, shape of ``x``."""

    mean_square: FloatArray


class AdamState(NamedTuple):
    """Step count ``t`` and the first and second moment estimates ``m``, ``v``."""

    count: int
    mu: FloatArray
    nu: FloatArray


def _check_lr(lr: float) -> float:
    lr = float(lr)
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"learning rate lr must be a positive number, got {lr!r}; try lr=0.1")
    return lr


def _check_unit(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}; the usual value is near 0.9")
    return value


def _check_eps(eps: float) -> float:
    eps = float(eps)
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a small positive number, got {eps!r}; the usual value is 1e-8")
    return eps


def _zeros(x: FloatArray) -> FloatArray:
    return np.zeros(np.shape(x), dtype=float)


def gd(lr: float) -> Optimizer:
    """Plain gradient descent: ``step = −η ∇f(x)``.

    Examples
    --------
    >>> opt = gd(0.1)
    >>> step, _ = opt.update(np.array([1.0, -2.0]), opt.init(np.zeros(2)), np.zeros(2))
    >>> step.tolist()
    [-0.1, 0.2]
    """
    lr = _check_lr(lr)

    def init(x: FloatArray) -> tuple[()]:
        return ()

    def update(grad: FloatArray, state: tuple[()], x: FloatArray | None = None):
        step = -lr * np.asarray(grad, dtype=float)  # Δx = −η∇f
        return step, state

    return Optimizer(init, update, "gd", {"lr": lr})


def momentum(lr: float, beta: float = 0.9) -> Optimizer:
    """Heavy-ball momentum: ``v ← βv − η∇f(x)``, ``step = v``.

    With ``beta=0`` it is exactly :func:`gd`.

    Examples
    --------
    >>> opt = momentum(0.1, beta=0.5)
    >>> x = np.array([1.0]); state = opt.init(x)
    >>> step, state = opt.update(np.array([1.0]), state, x)
    >>> step, state = opt.update(np.array([1.0]), state, x + step)
    >>> step.tolist()  # 0.5·(−0.1) − 0.1
    [-0.15000000000000002]
    """
    lr = _check_lr(lr)
    beta = _check_unit("beta", beta)

    def init(x: FloatArray) -> MomentumState:
        return MomentumState(_zeros(x))

    def update(grad: FloatArray, state: MomentumState, x: FloatArray | None = None):
        v = beta * state.velocity - lr * np.asarray(grad, dtype=float)  # v ← βv − η∇f(x)
        return v, MomentumState(v)  # Δx = v

    return Optimizer(init, update, "momentum", {"lr": lr, "beta": beta})


def nesterov(lr: float, beta: float = 0.9) -> Optimizer:
    """Nesterov momentum: the gradient is taken where the velocity is about to carry us.

    ``v ← βv − η∇f(x + βv)``, ``step = v``. The look-ahead point ``x + βv`` is
    exposed as ``lookahead``; ``update`` expects the gradient taken there.
    With ``beta=0`` it is exactly :func:`gd`.

    Examples
    --------
    >>> opt = nesterov(0.1, beta=0.9)
    >>> x = np.array([1.0]); state = opt.init(x)
    >>> opt.gradient_point(x, state).tolist()  # no velocity yet: look-ahead is x
    [1.0]
    """
    lr = _check_lr(lr)
    beta = _check_unit("beta", beta)

    def init(x: FloatArray) -> MomentumState:
        return MomentumState(_zeros(x))

    def lookahead(x: FloatArray, state: MomentumState) -> FloatArray:
        return x + beta * state.velocity  # x̃ = x + βv

    def update(grad_ahead: FloatArray, state: MomentumState, x: FloatArray | None = None):
        v = beta * state.velocity - lr * np.asarray(grad_ahead, dtype=float)  # v ← βv − η∇f(x + βv)
        return v, MomentumState(v)  # Δx = v

    return Optimizer(init, update, "nesterov", {"lr": lr, "beta": beta}, lookahead)


def rmsprop(lr: float, decay: float = 0.9, eps: float = 1e-8) -> Optimizer:
    """RMSProp: each coordinate's step is scaled by its recent gradient size.

    ``s ← ρs + (1 − ρ)∇f²``, ``step = −η ∇f / (√s + ε)``.

    Examples
    --------
    >>> opt = rmsprop(0.1, decay=0.0)
    >>> step, _ = opt.update(np.array([4.0, -0.5]), opt.init(np.zeros(2)), np.zeros(2))
    >>> step.round(6).tolist()  # with ρ = 0 the step is −η·sign(∇f)
    [-0.1, 0.1]
    """
    lr = _check_lr(lr)
    decay = _check_unit("decay", decay)
    eps = _check_eps(eps)

    def init(x: FloatArray) -> RMSPropState:
        return RMSPropState(_zeros(x))

    def update(grad: FloatArray, state: RMSPropState, x: FloatArray | None = None):
        g = np.asarray(grad, dtype=float)
        s = decay * state.mean_square + (1 - decay) * g**2  # s ← ρs + (1 − ρ)∇f²
        step = -lr * g / (np.sqrt(s) + eps)  # Δx = −η∇f / (√s + ε)
        return step, RMSPropState(s)

    return Optimizer(init, update, "rmsprop", {"lr": lr, "decay": decay, "eps": eps})


def adam(lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam: momentum on the gradient, RMSProp scaling, both bias-corrected.

    ``m ← β₁m + (1 − β₁)∇f``, ``v ← β₂v + (1 − β₂)∇f²``,
    ``m̂ = m/(1 − β₁ᵗ)``, ``v̂ = v/(1 − β₂ᵗ)``, ``step = −η m̂ / (√v̂ + ε)``.

    Examples
    --------
    >>> opt = adam(0.1)
    >>> step, state = opt.update(np.array([3.0, -0.01]), opt.init(np.zeros(2)), np.zeros(2))
    >>> step.round(6).tolist()  # the first step is −η·sign(∇f)
    [-0.1, 0.1]
    >>> state.count
    1
    """
    lr = _check_lr(lr)
    b1 = _check_unit("b1", b1)
    b2 = _check_unit("b2", b2)
    eps = _check_eps(eps)

    def init(x: FloatArray) -> AdamState:
        return AdamState(0, _zeros(x), _zeros(x))

    def update(grad: FloatArray, state: AdamState, x: FloatArray | None = None):
        g = np.asarray(grad, dtype=float)
        t = state.count + 1  # t ← t + 1
        mu = b1 * state.mu + (1 - b1) * g  # m ← β₁m + (1 − β₁)∇f
        nu = b2 * state.nu + (1 - b2) * g**2  # v ← β₂v + (1 − β₂)∇f²
        mu_hat = mu / (1 - b1**t)  # m̂ = m / (1 − β₁ᵗ)
        nu_hat = nu / (1 - b2**t)  # v̂ = v / (1 − β₂ᵗ)
        step = -lr * mu_hat / (np.sqrt(nu_hat) + eps)  # Δx = −η m̂ / (√v̂ + ε)
        return step, AdamState(t, mu, nu)

    return Optimizer(init, update, "adam", {"lr": lr, "b1": b1, "b2": b2, "eps": eps})


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "gd": gd,
    "momentum": momentum,
    "nesterov": nesterov,
    "rmsprop": rmsprop,
    "adam": adam,
}
"""Optimizer factories by name; each takes ``lr`` first, then its hyper-parameters."""

_HYPER: dict[str, tuple[str, ...]] = {
    "gd": (),
    "momentum": ("beta",),
    "nesterov": ("beta",),
    "rmsprop": ("decay", "eps"),
    "adam": ("b1", "b2", "eps"),
}


def get_optimizer(name: str, lr: float, **hyper: float) -> Optimizer:
    """Build an optimizer by name: ``"gd"``, ``"momentum"``, ``"nesterov"``, ``"rmsprop"``, ``"adam"``.

    Parameters
    ----------
    name
        Optimizer name (case-insensitive).
    lr
        Learning rate ``η > 0``.
    **hyper
        The optimizer's other hyper-parameters, e.g. ``beta=0.8`` for momentum.

    Returns
    -------
    Optimizer

    Raises
    ------
    ValueError
        For an unknown name or hyper-parameter (the message lists the valid
        ones) or a learning rate that is not positive.

    Examples
    --------
    >>> get_optimizer("momentum", 0.1, beta=0.5).hyper
    {'lr': 0.1, 'beta': 0.5}
    >>> get_optimizer("adagrad", 0.1)
    Traceback (most recent call last):
    ...
    ValueError: unknown optimizer 'adagrad'; choose one of: gd, momentum, nesterov, rmsprop, adam
    """
    key = str(name).strip().lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    unknown = sorted(set(hyper) - set(_HYPER[key]))
    if unknown:
        valid = ", ".join(_HYPER[key]) if _HYPER[key] else "none besides lr"
        names = ", ".join(map(repr, unknown))
        raise ValueError(f"unknown hyper-parameter {names} for optimizer {key!r}; valid ones: {valid}")
    return OPTIMIZERS[key](lr, **hyper)


# --- one run replayed step by step: the optimizer's state at every step (issue 16) ----------------


class Replay(NamedTuple):
    """An optimizer's run replayed step by step, with what it kept between steps.

    Attributes
    ----------
    points
        Shape ``(k + 1, n)``: the path's points ``x_0 … x_k``.
    steps
        Shape ``(k, n)``: ``steps[j] = x_{j+1} − x_j``, as the optimizer returned it.
    probes
        Shape ``(k, n)``: where step ``j``'s gradient was taken (``x_j``, or the
        look-ahead point ``x_j + βv_j`` for Nesterov).
    gradients
        Shape ``(k, n)``: that gradient.
    states
        ``k + 1`` states: ``states[0]`` is ``init(x_0)``, ``states[j + 1]`` the
        state after step ``j`` (e.g. the velocity ``v_{j+1}``).
    """

    points: FloatArray
    steps: FloatArray
    probes: FloatArray
    gradients: FloatArray
    states: list


def replay(f: Any, opt: Optimizer, points: Any) -> Replay:
    """Replay ``opt`` along the points of a path it made (from :func:`gradcore.descend`) and record its states.

    Every step is recomputed from ``∇f`` exactly as ``descend`` computes it, so
    ``points[j] + steps[j]`` is ``points[j + 1]``; a path the optimizer did not
    make is refused.

    Parameters
    ----------
    f
        The landscape the path ran on.
    opt
        The optimizer, with the constants of the run.
    points
        Shape ``(k + 1, n)``, e.g. ``path.points``.

    Returns
    -------
    Replay

    Raises
    ------
    ValueError
        When a recomputed step does not land on the next point.

    Examples
    --------
    >>> from gradcore.descent import descend
    >>> f = lambda x, y: x**2 + 10 * y**2
    >>> path = descend(f, [1.0, 1.0], optimizer=momentum(0.05, beta=0.5), steps=3, tol=0)
    >>> run = replay(f, momentum(0.05, beta=0.5), path.points)
    >>> run.states[1].velocity.round(6).tolist(), run.steps[0].round(6).tolist()  # v₁ = −η∇f(x₀)
    ([-0.1, -1.0], [-0.1, -1.0])
    """
    from gradcore.calculus import gradient  # imported here: gradcore.calculus stays independent of optimizers

    points = np.asarray(points, dtype=float)
    x = points[:1]
    state = opt.init(x)
    states, steps, probes, grads = [_row(state)], [], [], []
    for j in range(len(points) - 1):
        probe = opt.gradient_point(x, state)
        g = np.asarray(gradient(f, probe), dtype=float)
        step, state = opt.update(g, state, x)
        if not np.allclose(x + step, points[j + 1 : j + 2], rtol=1e-9, atol=1e-12):
            raise ValueError(f"replay: step {j} of {opt!r} does not land on point {j + 1} of the path given")
        x = points[j + 1 : j + 2]  # the path's own point: no drift from rounding
        steps.append(step[0])
        probes.append(probe[0])
        grads.append(g[0])
        states.append(_row(state))
    n = points.shape[1]
    empty = np.zeros((0, n))
    return Replay(points, np.array(steps) if steps else empty, np.array(probes) if probes else empty,
                  np.array(grads) if grads else empty, states)  # fmt: skip


def _row(state: Any) -> Any:
    """The state of a one-point run with its leading axis of length 1 dropped."""
    if isinstance(state, tuple) and hasattr(state, "_fields"):
        return type(state)(*(v[0] if isinstance(v, np.ndarray) else v for v in state))
    return state


def velocity_parts(opt: Optimizer, velocity: FloatArray, grad: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The two arrows whose sum is a momentum step: ``(βv, −η∇f)``, so that ``v_new = βv − η∇f``.

    ``grad`` is the gradient the update uses (at the look-ahead point for Nesterov).

    Examples
    --------
    >>> kept, pushed = velocity_parts(momentum(0.1, beta=0.5), np.array([1.0, 0.0]), np.array([0.0, 2.0]))
    >>> kept.tolist(), pushed.tolist()
    ([0.5, 0.0], [-0.0, -0.2])
    """
    if opt.name not in ("momentum", "nesterov"):
        raise ValueError(f"velocity_parts: {opt.name!r} keeps no velocity; use momentum or nesterov")
    beta, lr = opt.hyper["beta"], opt.hyper["lr"]
    return beta * np.asarray(velocity, dtype=float), -lr * np.asarray(grad, dtype=float)  # βv, −η∇f


def adam_corrected(opt: Optimizer, state: AdamState) -> tuple[FloatArray, FloatArray]:
    """Adam's bias-corrected moments ``(m̂, v̂) = (m / (1 − β₁ᵗ), v / (1 − β₂ᵗ))`` of a state after ``t ≥ 1`` steps.

    Examples
    --------
    >>> opt = adam(0.1, b1=0.9, b2=0.999)
    >>> _, state = opt.update(np.array([2.0]), opt.init(np.zeros(1)), np.zeros(1))
    >>> [v.round(6).tolist() for v in adam_corrected(opt, state)]  # after one step: m̂ = g, v̂ = g²
    [[2.0], [4.0]]
    """
    t = state.count
    if t < 1:
        raise ValueError("adam_corrected: the state has made no step yet (t = 0)")
    return state.mu / (1 - opt.hyper["b1"] ** t), state.nu / (1 - opt.hyper["b2"] ** t)


def zigzag_share(f: Any, points: Any) -> float:
    """Share of a path's steps that turn back across its valley: the part along the steepest curvature flips sign.

    "Across" is the Hessian's eigenvector of largest curvature at the path's
    last point (its valley floor, when it arrived): a step whose component
    along it has the opposite sign of the step before crosses the valley
    again (counted among the steps that still move across, more than 10⁻⁹ of the
    largest such move). Plain gradient descent on ``x² + 10y²`` zig-zags when ``1 − 20η < 0``.
    Paths of fewer than three points have no turn: 0.

    Examples
    --------
    >>> from gradcore.descent import descend
    >>> f = lambda x, y: x**2 + 10 * y**2
    >>> [round(zigzag_share(f, descend(f, [-2.5, 1.0], lr=lr, steps=60, tol=1e-3).points), 2) for lr in (0.04, 0.09)]
    [0.0, 1.0]
    """
    from gradcore.calculus import hessian

    points = np.asarray(points, dtype=float)
    if len(points) < 3:
        return 0.0
    n = points.shape[1]
    _, vectors = np.linalg.eigh(np.asarray(hessian(f, points[-1]), dtype=float).reshape(n, n))
    across = np.diff(points, axis=0) @ vectors[:, -1]  # eigh sorts ascending: the steepest curvature last
    size = np.abs(across).max()
    moving = np.abs(across) > 1e-9 * max(size, 1e-300)
    pairs = moving[1:] & moving[:-1]  # steps that still move across, and the step before them
    flips = (across[1:] * across[:-1] < 0) & pairs
    return float(flips.sum() / pairs.sum()) if pairs.any() else 0.0


__all__ += ["Replay", "adam_corrected", "replay", "velocity_parts", "zigzag_share"]
