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
