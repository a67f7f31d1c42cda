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
