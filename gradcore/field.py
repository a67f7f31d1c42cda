"""Gradient fields sampled on a grid, ready to be drawn as arrows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from gradcore.calculus import gradient
from gradcore.typing import FloatArray, Landscape

__all__ = ["GradientField", "gradient_field"]

Normalization = Literal["none", "cap", "log", "unit"]


@dataclass(frozen=True)
class GradientField:
    """Arrows of a sampled gradient field.

    Attributes
    ----------
    positions
        Arrow tails, shape ``(ny, nx, 2)``.
    vectors
        The true gradients ``∇f`` at the positions, shape ``(ny, nx, 2)``.
    magnitudes
        ``|∇f|``, shape ``(ny, nx)``.
    display
        The vectors to draw: ``vectors`` rescaled by the chosen normalisation so
        that the longest arrow has length ``max_length``; same direction as
        ``vectors``; zero where the gradient is zero.
    spacing
        Distance between neighbouring samples ``(dx, dy)``.
    """

    positions: FloatArray
    vectors: FloatArray
    magnitudes: FloatArray
    display: FloatArray
    spacing: tuple[float, float]
    normalization: str


def _display_lengths(magnitudes: FloatArray, normalization: str, cap: float | None) -> FloatArray:
    """Length of each drawn arrow before the final scaling to ``max_length``."""
    if normalization == "none":
        return magnitudes
    if normalization == "cap":
        limit = cap if cap is not None else float(np.percentile(magnitudes, 90))
        return np.minimum(magnitudes, limit)
    if normalization == "log":
        return np.log1p(magnitudes)  # ~|∇f| for small gradients, slow growth for large ones
    if normalization == "unit":
        return (magnitudes > 0).astype(float)
    raise ValueError(f"normalization must be one of none, cap, log, unit; got {normalization!r}")


def gradient_field(
    f: Landscape,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    *,
    density: int | tuple[int, int] = 15,
    normalization: Normalization = "cap",
    cap: float | None = None,
    max_length: float | None = None,
    negate: bool = False,
) -> GradientField:
    """Sample ``∇f`` (or ``−∇f``) of a two-variable landscape on a regular grid.

    Parameters
    ----------
    f
        Landscape ``f(x, y)``.
    x_range, y_range
        ``(min, max)`` of the sampled square; samples include both ends.
    density
        Samples per axis (one int for both, or ``(nx, ny)``).
    normalization
        How a gradient's magnitude becomes an arrow's length: ``"none"``
        (proportional), ``"cap"`` (proportional up to ``cap``, default the 90th
        percentile of the magnitudes), ``"log"`` (``log(1 + |∇f|)``) or
        ``"unit"`` (all the same length, zero stays zero).
    max_length
        Length of the longest drawn arrow; default 0.9 × the smaller grid
        spacing, so that no arrow reaches its neighbour.
    negate
        Sample ``−∇f``, the direction of steepest descent.

    Returns
    -------
    GradientField

    Examples
    --------
    >>> field = gradient_field(lambda x, y: x**2 + y**2, (-1, 1), (-1, 1), density=3)
    >>> (field.vectors[1, 2].round(8) + 0.0).tolist()  # at (1, 0)
    [2.0, 0.0]
    >>> bool(np.linalg.norm(field.display, axis=-1).max() <= 0.9 + 1e-12)
    True
    """
    nx, ny = (density, density) if isinstance(density, int) else density
    if nx < 2 or ny < 2:
        raise ValueError(f"density must be at least 2 samples per axis; got {(nx, ny)}")
    xs = np.linspace(*x_range, nx)
    ys = np.linspace(*y_range, ny)
    positions = np.stack(np.meshgrid(xs, ys), axis=-1)
    vectors = gradient(f, positions)
    if negate:
        vectors = -vectors
    magnitudes = np.linalg.norm(vectors, axis=-1)
    spacing = (float(xs[1] - xs[0]), float(ys[1] - ys[0]))
    if max_length is None:
        max_length = 0.9 * min(spacing)
    lengths = _display_lengths(magnitudes, normalization, cap)
    longest = lengths.max()
    scale = max_length / longest if longest > 0 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        directions = np.where(magnitudes[..., None] > 0, vectors / magnitudes[..., None], 0.0)
    display = directions * (lengths * scale)[..., None]
    return GradientField(positions, vectors, magnitudes, display, spacing, normalization)
