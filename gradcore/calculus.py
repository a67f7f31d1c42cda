"""Derivatives of landscapes: derivative, gradient, directional derivative, Hessian.

Plain callables are differentiated with the five-point central stencil
(Richardson-extrapolated central differences), whose truncation error is
O(h⁴); with ``h ≈ ε^{1/5}·max(1, |x|)`` the total error is about 1e-11 for
smooth functions of moderate size. A parsed :class:`~gradcore.expression.Function`
is differentiated exactly instead.
"""

from __future__ import annotations

import numpy as np

from gradcore.typing import FloatArray, Landscape, Points

__all__ = [
    "derivative",
    "directional_derivative",
    "evaluate",
    "gradient",
    "gradient_vanishes_smoothly",
    "hessian",
    "point_with_slope",
]

_EPS = np.finfo(np.float64).eps
_STEP_SCALE = _EPS ** (1 / 5)  # balances O(h⁴) truncation against ε/h rounding


def _steps(x: FloatArray) -> FloatArray:
    return _STEP_SCALE * np.maximum(1.0, np.abs(x))


def _five_point(g, x: FloatArray, h: FloatArray) -> FloatArray:
    # g'(x) ≈ [-g(x+2h) + 8g(x+h) - 8g(x-h) + g(x-2h)] / 12h
    return (-g(x + 2 * h) + 8 * g(x + h) - 8 * g(x - h) + g(x - 2 * h)) / (12 * h)


def evaluate(f: Landscape, p: Points) -> FloatArray:
    """Value of ``f`` at points ``p`` of shape ``(..., n)``; returns shape ``(...)``.

    Examples
    --------
    >>> evaluate(lambda x, y: x * y, [[1.0, 2.0], [3.0, 4.0]]).tolist()
    [2.0, 12.0]
    """
    p = np.asarray(p, dtype=float)
    return np.broadcast_to(np.asarray(f(*np.moveaxis(p, -1, 0)), dtype=float), p.shape[:-1]).copy()


def derivative(f: Landscape, x: Points) -> FloatArray:
    """Derivative ``f'(x)`` of a one-variable function, vectorized over ``x``.

    Exact for a parsed one-variable ``Function``; otherwise the five-point
    stencil, accurate to about 1e-10 on smooth functions.

    Examples
    --------
    >>> round(float(derivative(lambda x: x**3, 2.0)), 8)
    12.0
    """
    x = np.asarray(x, dtype=float)
    if hasattr(f, "gradient") and hasattr(f, "variables"):
        return f.gradient(x[..., None])[..., 0]

    def g(t):
        return np.broadcast_to(np.asarray(f(t), dtype=float), t.shape)

    return _five_point(g, x, _steps(x))


def gradient(f: Landscape, p: Points) -> FloatArray:
    """Gradient ``∇f`` at points ``p``: shape ``(..., n)`` in, ``(..., n)`` out.

    Exact for a parsed ``Function``; otherwise one five-point stencil per
    coordinate (4n evaluations of ``f`` on the whole grid, no loop per point).

    Examples
    --------
    >>> gradient(lambda x, y: x**2 + 3 * y, [1.0, 2.0]).round(8).tolist()
    [2.0, 3.0]
    """
    p = np.asarray(p, dtype=float)
    if hasattr(f, "gradient") and hasattr(f, "variables"):
        return f.gradient(p)
    coords = list(np.moveaxis(p, -1, 0))
    out = np.empty(p.shape, dtype=float)
    for k, xk in enumerate(coords):

        def along_k(t, k=k):
            shifted = coords.copy()
            shifted[k] = t
            return np.broadcast_to(np.asarray(f(*shifted), dtype=float), p.shape[:-1])

        out[..., k] = _five_point(along_k, xk, _steps(xk))
    return out


def directional_derivative(f: Landscape, p: Points, u: Points) -> FloatArray:
    """Slope of ``f`` at ``p`` along the direction ``u``.

    ``u`` need not be a unit vector: it is normalised first, so the result is
    ``gradient(f, p) · u/|u| = |∇f| cos θ``.

    Parameters
    ----------
    f
        Landscape ``f(x1, ..., xn)`` that broadcasts like a ufunc.
    p, u
        Points and directions, shape ``(..., n)``; they broadcast.

    Returns
    -------
    ndarray
        Shape ``(...)``.

    Raises
    ------
    ValueError
        If some direction ``u`` is the zero vector.

    Examples
    --------
    >>> round(float(directional_derivative(lambda x, y: x**2 + y**2, [1.0, 2.0], [3.0, 0.0])), 8)
    2.0
    """
    u = np.asarray(u, dtype=float)
    norm = np.linalg.norm(u, axis=-1, keepdims=True)
    if np.any(norm == 0):
        raise ValueError("directional_derivative: the direction u must not be the zero vector")
    return np.sum(gradient(f, p) * (u / norm), axis=-1)


def hessian(f: Landscape, p: Points) -> FloatArray:
    """Hessian matrix of ``f`` at points ``p``: shape ``(..., n)`` in, ``(..., n, n)`` out.

    Exact for a parsed ``Function``; otherwise the five-point stencil applied
    to the gradient and symmetrised (accurate to about 1e-7).

    Examples
    --------
    >>> hessian(lambda x, y: x**2 * y, [1.0, 2.0]).round(6).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    p = np.asarray(p, dtype=float)
    if hasattr(f, "hessian") and hasattr(f, "variables"):
        return f.hessian(p)
    n = p.shape[-1]
    out = np.empty((*p.shape, n), dtype=float)
    h = _STEP_SCALE * np.maximum(1.0, np.abs(p))
    for k in range(n):
        e = np.zeros(n)
        e[k] = 1.0
        hk = h[..., k : k + 1]

        def grad_at(t, e=e, hk=hk):
            return gradient(f, p + t * e * hk)

        # d/dx_k ∇f ≈ five-point stencil in the step multiple t
        column = (-grad_at(2) + 8 * grad_at(1) - 8 * grad_at(-1) + grad_at(-2)) / (12 * hk)
        out[..., :, k] = column
    return 0.5 * (out + np.swapaxes(out, -1, -2))


def gradient_vanishes_smoothly(f: Landscape, p: Points, size: float) -> bool:
    """Whether ``∇f`` goes to zero continuously at the flat point ``p`` (not a kink or a cusp).

    At a smooth flat point ``|∇f|`` shrinks with the distance from ``p`` (like
    ``|H δ|``); at a kink such as ``|x| + |y|`` it keeps its size however close
    one looks, and a formula's exact gradient can still report 0 at the kink
    itself. The test compares ``|∇f|`` on rings of radius ``1e-3·size`` and
    ``1e-1·size`` around ``p``: smooth means the inner ring is at most half the outer.

    Parameters
    ----------
    f
        The landscape.
    p
        A point where ``∇f(p) = 0`` was found.
    size
        The length scale of the box ``p`` lies in (e.g. its width).

    Examples
    --------
    >>> gradient_vanishes_smoothly(lambda x, y: x**2 + 3 * y**2, [0.0, 0.0], 4.0)
    True
    >>> gradient_vanishes_smoothly(lambda x, y: np.abs(x) + np.abs(y), [0.0, 0.0], 4.0)
    False
    """
    p = np.asarray(p, dtype=float)
    angles = np.linspace(0.0, 2 * np.pi, 8, endpoint=False) + 0.3
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    inner, outer = (np.linalg.norm(gradient(f, p + r * size * ring), axis=-1).max() for r in (1e-3, 1e-1))
    return bool(np.isfinite(inner) and np.isfinite(outer) and inner <= 0.5 * outer)


def point_with_slope(
    f: Landscape, bounds: tuple[tuple[float, float], tuple[float, float]], near: Points, low: float, high: float
) -> FloatArray | None:
    """The point of a 41 × 41 grid over the middle 80 % of the box nearest ``near`` with ``low ≤ |∇f| ≤ high``.

    Rounded to two decimals, for a refusal to suggest; ``None`` when no grid point qualifies.

    Examples
    --------
    >>> point_with_slope(lambda x, y: x**2 + y**2, ((-2, 2), (-2, 2)), [0.0, 0.0], 0.5, 10.0).tolist()
    [0.08, -0.24]
    """
    (x0, x1), (y0, y1) = bounds
    xs, ys = (
        np.linspace(x0 + 0.1 * (x1 - x0), x1 - 0.1 * (x1 - x0), 41),
        np.linspace(y0 + 0.1 * (y1 - y0), y1 - 0.1 * (y1 - y0), 41),
    )
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(gradient(f, grid), axis=-1)
    fits = grid[(norms >= low) & (norms <= high)]
    if not len(fits):
        return None
    return np.round(fits[np.argmin(np.linalg.norm(fits - np.asarray(near, dtype=float), axis=-1))], 2)
