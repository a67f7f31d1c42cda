"""Loss landscapes of small learning models over their parameters ``(w..., b)``.

``linear_regression(X, Y)`` and ``perceptron(X, y)`` return landscapes like any
other: callable as ``f(w, b)`` (or ``f(w1, ..., wd, b)``), broadcasting over
parameter grids, with ``.variables`` and exact ``.gradient(p)`` /
``.hessian(p)`` on points of shape ``(..., n)``, ``n = d + 1``. They also keep
the data as ``.X`` and ``.Y``.

Throughout, ``zᵢ = (xᵢ, 1)`` is sample ``i`` with a 1 appended, so that
``w·xᵢ + b = θ·zᵢ`` for the parameters ``θ = (w, b)``.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from gradcore.typing import FloatArray, Points

__all__ = ["LinearRegressionLoss", "PerceptronLoss", "least_squares", "linear_regression", "perceptron"]

_CHUNK_ELEMENTS = 1 << 21  # parameter points × samples held at once (16 MB of float64)


def _data(X: Points, Y: Points, who: str) -> tuple[FloatArray, FloatArray]:
    X = np.array(X, dtype=float)
    Y = np.array(Y, dtype=float)
    if X.ndim not in (1, 2):
        raise ValueError(f"{who}: X must have shape (m,) or (m, d), got {X.shape}")
    if Y.ndim != 1 or len(Y) != len(X):
        raise ValueError(f"{who}: Y must have shape (m,) matching X's {len(X)} samples, got {Y.shape}")
    if len(X) == 0:
        raise ValueError(f"{who}: needs at least one sample")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError(f"{who}: X and Y must be finite")
    return X, Y


def _design(X: FloatArray) -> FloatArray:
    """``Z = [X, 1]``, shape ``(m, d + 1)``."""
    X2 = X[:, None] if X.ndim == 1 else X
    return np.hstack([X2, np.ones((len(X2), 1))])


class _SampleLoss:
    """Shared machinery: data, variable names, calling convention, chunking."""

    def __init__(self, X: Points, Y: Points, who: str) -> None:
        self.X, self.Y = _data(X, Y, who)
        self._Z = _design(self.X)
        d = self._Z.shape[1] - 1
        self.variables: tuple[str, ...] = ("w", "b") if d == 1 else (*(f"w{i}" for i in range(1, d + 1)), "b")

    @property
    def m(self) -> int:
        """Number of samples."""
        return len(self.Y)

    @property
    def n(self) -> int:
        """Number of parameters, ``d + 1``."""
        return self._Z.shape[1]

    def _points(self, p: Points) -> FloatArray:
        p = np.asarray(p, dtype=float)
        if p.ndim == 0 or p.shape[-1] != self.n:
            raise ValueError(f"parameters must have shape (..., {self.n}) ordered {self.variables}, got {p.shape}")
        return p

    def __call__(self, *params: Points) -> FloatArray:
        if len(params) != self.n:
            raise TypeError(f"{type(self).__name__} takes {self.n} parameters {self.variables}, got {len(params)}")
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in params))
        return self.value(np.stack(arrays, axis=-1))

    def value(self, p: Points) -> FloatArray:
        """Loss at parameter points ``p`` of shape ``(..., n)``; returns shape ``(...)``."""
        p = self._points(p)
        flat = p.reshape(-1, self.n)
        return self._value(flat).reshape(p.shape[:-1])

    def _chunks(self, flat: FloatArray):
        size = max(1, _CHUNK_ELEMENTS // self.m)
        for start in range(0, len(flat), size):
            yield slice(start, start + size)

    def _value(self, flat: FloatArray) -> FloatArray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(m={self.m}, variables={self.variables})"


class LinearRegressionLoss(_SampleLoss):
    """Mean squared error of a line (or plane) through the data, ``J(w, b) = 1/(2m) Σ (w·xᵢ + b − yᵢ)²``.

    Built by :func:`linear_regression`. ``J`` is a quadratic in ``θ = (w, b)``:
    with ``Z = [X, 1]``, ``∇J = (ZᵀZ θ − Zᵀy)/m`` and ``∇²J = ZᵀZ/m``. Values
    are computed as ``J(θ) = J(θ*) + ½(θ − θ*)ᵀ ∇²J (θ − θ*)`` around the
    least-squares optimum ``θ*``: the same number as the sum (exact for a
    quadratic), but ``O(n²)`` per parameter point whatever the number of
    samples, and free of cancellation near the optimum.
    """

    text = "J(w, b) = 1/(2m) Σ (w·xᵢ + b − yᵢ)²"
    latex = r"J(w, b) = \frac{1}{2m} \sum_{i=1}^{m} \left(w x_i + b - y_i\right)^2"

    def __init__(self, X: Points, Y: Points) -> None:
        super().__init__(X, Y, "linear_regression")
        self._A = self._Z.T @ self._Z  # ZᵀZ
        self._c = self._Z.T @ self.Y  # Zᵀy

    @cached_property
    def optimum(self) -> FloatArray:
        """The least-squares parameters ``θ* = (w*, b*)``, shape ``(n,)``."""
        return np.linalg.lstsq(self._Z, self.Y, rcond=None)[0]

    @cached_property
    def minimum_value(self) -> float:
        """``J(θ*)``, half the mean squared residual at the optimum."""
        r = self._Z @ self.optimum - self.Y
        return float(0.5 * np.mean(r**2))

    def _value(self, flat: FloatArray) -> FloatArray:
        delta = flat - self.optimum
        # J(θ) = J* + ½ (θ − θ*)ᵀ (ZᵀZ/m) (θ − θ*)
        return self.minimum_value + 0.5 * np.einsum("ki,ij,kj->k", delta, self._A / self.m, delta)

    def gradient(self, p: Points) -> FloatArray:
        """Exact gradient ``∇J = (ZᵀZ θ − Zᵀy)/m``: shape ``(..., n)`` in and out."""
        p = self._points(p)
        return (p @ self._A - self._c) / self.m  # ∇J = (1/m) Σ (θ·zᵢ − yᵢ) zᵢ

    def hessian(self, p: Points) -> FloatArray:
        """Exact Hessian ``ZᵀZ/m`` (constant): shape ``(..., n)`` in, ``(..., n, n)`` out."""
        p = self._points(p)
        return np.broadcast_to(self._A / self.m, (*p.shape, self.n)).copy()


class PerceptronLoss(_SampleLoss):
    """Perceptron criterion ``L(w, b) = −Σ_{misclassified} yᵢ(w·xᵢ + b)``.

    Built by :func:`perceptron`. Boundary convention: a sample with
    ``yᵢ(w·xᵢ + b) ≤ 0`` counts as misclassified, including one exactly on
    the boundary. Such a sample adds ``0`` to the loss but ``−yᵢzᵢ`` to the
    gradient, so at ``θ = 0`` the loss is 0 while the gradient is
    ``−Σ yᵢzᵢ``: gradient descent from the origin takes the classical
    perceptron step. ``L`` is piecewise linear: its Hessian is zero wherever
    it exists, and the gradient is the one-sided value given by the
    convention on the kinks.
    """

    text = "L(w, b) = −Σ_{yᵢ(w·xᵢ + b) ≤ 0} yᵢ(w·xᵢ + b)"
    latex = r"L(w, b) = -\sum_{y_i (w x_i + b) \le 0} y_i \left(w x_i + b\right)"

    def __init__(self, X: Points, y: Points) -> None:
        super().__init__(X, y, "perceptron")
        if not np.all(np.abs(self.Y) == 1):
            raise ValueError("perceptron: labels y must be +1 or -1; map classes {0, 1} with y = 2*c - 1")
        self._yZ = self.Y[:, None] * self._Z  # yᵢ zᵢ

    def margins(self, p: Points) -> FloatArray:
        """Signed margins ``yᵢ(w·xᵢ + b)``, positive on the right side: ``(..., n)`` in, ``(..., m)`` out."""
        return self._points(p) @ self._yZ.T

    def _value(self, flat: FloatArray) -> FloatArray:
        out = np.empty(len(flat))
        for s in self._chunks(flat):
            margin = flat[s] @ self._yZ.T  # yᵢ θ·zᵢ
            out[s] = np.sum(np.maximum(0.0, -margin), axis=-1)  # −Σ_{margin ≤ 0} margin
        return out

    def gradient(self, p: Points) -> FloatArray:
        """Gradient ``−Σ_{yᵢθ·zᵢ ≤ 0} yᵢzᵢ``: shape ``(..., n)`` in and out."""
        p = self._points(p)
        flat = p.reshape(-1, self.n)
        out = np.empty_like(flat)
        for s in self._chunks(flat):
            wrong = (flat[s] @ self._yZ.T <= 0).astype(float)  # misclassified, boundary included
            out[s] = -wrong @ self._yZ  # ∇L = −Σ_{wrong} yᵢ zᵢ
        return out.reshape(p.shape)

    def hessian(self, p: Points) -> FloatArray:
        """Zero (``L`` is piecewise linear): shape ``(..., n)`` in, ``(..., n, n)`` out."""
        p = self._points(p)
        return np.zeros((*p.shape, self.n))


def linear_regression(X: Points, Y: Points) -> LinearRegressionLoss:
    """Least-squares loss ``J(w, b) = 1/(2m) Σ (w·xᵢ + b − yᵢ)²`` as a landscape over ``(w, b)``.

    Parameters
    ----------
    X
        Inputs, shape ``(m,)`` (one feature) or ``(m, d)``.
    Y
        Targets, shape ``(m,)``.

    Returns
    -------
    LinearRegressionLoss
        Callable ``J(w, b)`` (``J(w1, ..., wd, b)`` for ``d > 1``) that
        broadcasts over parameter grids, with ``.variables``, exact
        ``.gradient(p)``/``.hessian(p)``, ``.X``, ``.Y`` and ``.optimum``.

    Examples
    --------
    >>> J = linear_regression([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])  # y = 2x + 1
    >>> J.variables
    ('w', 'b')
    >>> round(float(J(2.0, 1.0)), 12), round(float(J(0.0, 0.0)), 12)  # (1 + 9 + 25) / 6
    (0.0, 5.833333333333)
    >>> J.gradient([0.0, 0.0]).tolist()
    [-4.333333333333333, -3.0]
    """
    return LinearRegressionLoss(X, Y)


def perceptron(X: Points, y: Points) -> PerceptronLoss:
    """Perceptron criterion ``L(w, b) = −Σ_{yᵢ(w·xᵢ + b) ≤ 0} yᵢ(w·xᵢ + b)`` over ``(w, b)``.

    A sample exactly on the boundary (``yᵢ(w·xᵢ + b) = 0``) counts as
    misclassified: it adds nothing to the loss but pulls the gradient.

    Parameters
    ----------
    X
        Inputs, shape ``(m,)`` or ``(m, d)``.
    y
        Labels ``±1``, shape ``(m,)``.

    Returns
    -------
    PerceptronLoss
        Callable ``L(w, b)`` broadcasting over parameter grids (in chunks, so
        a 200×200 grid over thousands of samples stays in memory), with
        ``.variables``, ``.gradient(p)``, ``.hessian(p)`` (zero), ``.X``, ``.Y``.

    Examples
    --------
    >>> L = perceptron([-1.0, 2.0], [-1, 1])
    >>> float(L(1.0, 0.0)), float(L(-1.0, 0.0))  # separating, then everything wrong
    (0.0, 3.0)
    >>> L.gradient([0.0, 0.0]).tolist()  # both samples on the boundary count
    [-3.0, 0.0]
    """
    return PerceptronLoss(X, y)


def least_squares(X: Points, Y: Points) -> FloatArray:
    """Closed-form minimiser ``θ* = (w..., b)`` of the linear-regression loss.

    It solves the normal equations ``ZᵀZ θ = Zᵀy`` (``Z = [X, 1]``), through
    a least-squares solver on ``Z`` for accuracy; if they have many solutions
    (e.g. all ``xᵢ`` equal), the one of smallest norm.

    Returns
    -------
    ndarray
        Shape ``(d + 1,)``, ordered like ``linear_regression(X, Y).variables``.

    Examples
    --------
    >>> least_squares([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]).round(12).tolist()
    [2.0, 1.0]
    """
    X, Y = _data(X, Y, "least_squares")
    return np.linalg.lstsq(_design(X), Y, rcond=None)[0]
