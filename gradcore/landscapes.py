"""A small named library of landscapes that read well on screen.

Each :class:`NamedLandscape` holds a formula in the parser's syntax, the
square it is shown over, and an English and a Chinese title. Its
``.function`` is the parsed, exactly differentiable ``Function``.

* ``BOWL`` — ``x² + y²``, one minimum at the origin.
* ``VALLEYS`` — a gentle bowl minus three Gaussian wells: one global minimum,
  two local ones, and a saddle on each pass between them (values below).
* ``NARROW_VALLEY`` — ``x² + 10y²``: curvatures 2 and 20, so plain gradient
  descent with ``0.05 < η < 0.1`` zig-zags across the valley (the ``y``
  factor ``1 − 20η`` is negative) while crawling along it.
* ``SADDLE`` — ``x² − y²``, a saddle at the origin and no minimum.

``VALLEYS`` over ``[-3, 3]²`` spans about 0.10 to 4.16. Its critical points
(checked in ``tests/test_landscapes.py``):

=========  ===================  =======
kind       point                value
=========  ===================  =======
minimum    (1.218, -0.938)      0.102
minimum    (-1.386, -0.929)     0.757
minimum    (-0.272, 1.544)      1.324
saddle     (-0.248, -0.823)     1.474
saddle     (0.096, 0.503)       1.781
=========  ===================  =======
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

__all__ = [
    "BOWL",
    "LANDSCAPES",
    "NARROW_VALLEY",
    "SADDLE",
    "VALLEYS",
    "NamedLandscape",
    "get_landscape",
]


@dataclass(frozen=True)
class NamedLandscape:
    """A landscape with a name, a formula, the square it is shown over and titles.

    Attributes
    ----------
    name
        Key in :data:`LANDSCAPES`, e.g. ``"valleys"``.
    formula
        Text for :func:`gradcore.expression.parse`, in ``x`` and ``y``.
    x_range, y_range
        ``(lo, hi)`` of the plotted region.
    title_en, title_zh
        Titles for the screen.

    Examples
    --------
    >>> BOWL.bounds
    ((-2.0, 2.0), (-2.0, 2.0))
    """

    name: str
    formula: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    title_en: str
    title_zh: str

    @cached_property
    def function(self) -> Any:
        """The parsed formula: a callable ``f(x, y)`` with exact ``.gradient``/``.hessian``."""
        from gradcore.expression import parse  # imported here: the rest of gradcore works without it

        return parse(self.formula, variables=("x", "y"))

    @property
    def bounds(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """``(x_range, y_range)``, the box for :func:`~gradcore.minima.find_minima`."""
        return (self.x_range, self.y_range)

    @property
    def variables(self) -> tuple[str, str]:
        """``("x", "y")``."""
        return ("x", "y")

    def __call__(self, x: Any, y: Any) -> Any:
        """Evaluate the parsed function, so a named landscape is itself a landscape."""
        return self.function(x, y)

    def gradient(self, p: Any) -> Any:
        """Exact gradient of the parsed function: shape ``(..., 2)`` in and out."""
        return self.function.gradient(p)

    def hessian(self, p: Any) -> Any:
        """Exact Hessian of the parsed function: shape ``(..., 2)`` in, ``(..., 2, 2)`` out."""
        return self.function.hessian(p)


BOWL = NamedLandscape(
    name="bowl",
    formula="x^2 + y^2",
    x_range=(-2.0, 2.0),
    y_range=(-2.0, 2.0),
    title_en="A bowl",
    title_zh="碗形曲面",
)

VALLEYS = NamedLandscape(
    name="valleys",
    formula=(
        "0.12*(x^2 + y^2) + 2"
        " - 2.2*exp(-((x - 1.3)^2 + (y + 1)^2)/1.2)"
        " - 1.6*exp(-((x + 1.5)^2 + (y + 1)^2))"
        " - exp(-((x + 0.3)^2 + (y - 1.7)^2)/0.8)"
    ),
    x_range=(-3.0, 3.0),
    y_range=(-3.0, 3.0),
    title_en="Several valleys",
    title_zh="多个山谷",
)

NARROW_VALLEY = NamedLandscape(
    name="narrow_valley",
    formula="x^2 + 10*y^2",
    x_range=(-3.0, 3.0),
    y_range=(-3.0, 3.0),
    title_en="A narrow valley",
    title_zh="狭长的山谷",
)

SADDLE = NamedLandscape(
    name="saddle",
    formula="x^2 - y^2",
    x_range=(-2.0, 2.0),
    y_range=(-2.0, 2.0),
    title_en="A saddle",
    title_zh="马鞍面",
)

LANDSCAPES: dict[str, NamedLandscape] = {ls.name: ls for ls in (BOWL, VALLEYS, NARROW_VALLEY, SADDLE)}
"""The named landscapes by name."""


def get_landscape(name: str) -> NamedLandscape:
    """The named landscape ``name`` (case-insensitive; ``-`` or a space may stand for ``_``).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> get_landscape("Narrow valley").formula
    'x^2 + 10*y^2'
    >>> get_landscape("volcano")
    Traceback (most recent call last):
    ...
    ValueError: unknown landscape 'volcano'; choose one of: bowl, valleys, narrow_valley, saddle
    """
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    if key not in LANDSCAPES:
        raise ValueError(f"unknown landscape {name!r}; choose one of: {', '.join(LANDSCAPES)}")
    return LANDSCAPES[key]


# --- a start where momentum rolls on past a shallow valley (issue 16) ------------------------------


@dataclass(frozen=True, eq=False)
class Rolling:
    """Plain descent and momentum from one start, with the same η, and the minima each reached.

    Attributes
    ----------
    start
        Shape ``(2,)``.
    plain, heavy
        The :class:`~gradcore.descent.Path` of gradient descent and of momentum.
    plain_end, heavy_end
        Index into ``minima`` of the minimum each converged at (by
        :func:`gradcore.paths.nearest_minimum`), or None.
    minima
        The minima searched, as given.
    """

    start: Any
    plain: Any
    heavy: Any
    plain_end: int | None
    heavy_end: int | None
    minima: tuple

    @property
    def rolls_on(self) -> bool:
        """True when both converged at a minimum inside the map and momentum's is lower than plain descent's."""
        if self.plain_end is None or self.heavy_end is None:
            return False
        low, high = self.minima[self.heavy_end].value, self.minima[self.plain_end].value
        return bool(low < high - 1e-6 * max(1.0, abs(high)))

    @property
    def drop(self) -> float:
        """How much lower momentum's minimum is than plain descent's (0 unless :attr:`rolls_on`)."""
        if not self.rolls_on:
            return 0.0
        return float(self.minima[self.plain_end].value - self.minima[self.heavy_end].value)


def _ends(paths: list, minima: Any, box: Any) -> list[int | None]:
    from gradcore.paths import clip_to_box, nearest_minimum

    return [
        nearest_minimum(p.x, minima, box) if p.status == "converged" and clip_to_box(p.points, box)[1] is None else None
        for p in paths
    ]


def roll_through(
    f: Any, starts: Any, box: Any, minima: Any, *, lr: float, beta: float, steps: int, tol: float
) -> list[Rolling]:
    """Gradient descent and momentum (the same ``lr``; ``beta``) from each start: where each comes to rest.

    Parameters
    ----------
    f
        Landscape ``f(x, y)``.
    starts
        Shape ``(m, 2)``.
    box
        ``((x0, x1), (y0, y1))``: a run that leaves it reaches no minimum.
    minima
        From :func:`gradcore.find_minima`.
    lr, beta, steps, tol
        As for :func:`gradcore.descend`.

    Examples
    --------
    >>> from gradcore.minima import find_minima
    >>> minima = find_minima(VALLEYS, VALLEYS.bounds)
    >>> [run] = roll_through(VALLEYS, [[-2.2, 1.2]], VALLEYS.bounds, minima, lr=0.2, beta=0.6, steps=400, tol=1e-3)
    >>> run.plain_end, run.heavy_end, run.rolls_on  # plain descent stops in the shallow valley, momentum rolls on
    (2, 0, True)
    """
    from gradcore.descent import descend

    starts = np.atleast_2d(np.asarray(starts, dtype=float))
    plain = descend(f, starts, optimizer="gd", lr=lr, steps=steps, tol=tol)
    heavy = descend(f, starts, optimizer="momentum", lr=lr, beta=beta, steps=steps, tol=tol)
    ends = zip(_ends(plain, minima, box), _ends(heavy, minima, box), strict=True)
    return [Rolling(s, p, h, a, b, tuple(minima)) for s, p, h, (a, b) in zip(starts, plain, heavy, ends, strict=True)]


def rolling_starts(
    f: Any, box: Any, minima: Any, *, lr: float, beta: float, steps: int, tol: float, samples: int = 15
) -> list[Rolling]:
    """Starts on a grid over ``box`` where plain descent stops in a minimum and momentum rolls on to a lower one.

    The grid has ``samples`` points a side at 90 % of the box (not on its
    edge). The list is ordered most telling first: the largest drop in value
    between the two minima, then the fewest steps of momentum. Empty when no
    start of the grid does it.

    Examples
    --------
    >>> from gradcore.minima import find_minima
    >>> minima = find_minima(VALLEYS, VALLEYS.bounds)
    >>> found = rolling_starts(VALLEYS, VALLEYS.bounds, minima, lr=0.2, beta=0.6, steps=400, tol=1e-3)
    >>> len(found) > 0 and all(r.rolls_on for r in found)
    True
    """
    (x0, x1), (y0, y1) = box
    mx, my, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, 0.45 * (x1 - x0), 0.45 * (y1 - y0)
    xs, ys = np.meshgrid(np.linspace(mx - hx, mx + hx, samples), np.linspace(my - hy, my + hy, samples))
    runs = roll_through(f, np.stack([xs.ravel(), ys.ravel()], axis=1), box, minima, lr=lr, beta=beta, steps=steps,
                        tol=tol)  # fmt: skip
    found = [r for r in runs if r.rolls_on]
    return sorted(found, key=lambda r: (-round(r.drop, 9), r.heavy.steps))


__all__ += ["Rolling", "roll_through", "rolling_starts"]
