"""``lecture.toml``: reading, defaults and validation, before anything renders.

The file has a ``[lecture]`` table (language, theme, captions) and one table
per scene. Every scene declares its parameters as :class:`Param` objects with
defaults, so a missing file or key still renders; anything present is checked
and turned into the value a scene uses (a formula becomes a
:class:`gradcore.Function`, a point an array). Every problem raises one
:class:`ConfigError` naming the file, the table, the key and what was expected.

This module never imports manim.
"""

from __future__ import annotations

import contextlib
import json
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from gradcore.expression import ExpressionError, parse

__all__ = [
    "DEFAULT_CONFIG",
    "MIN_SPAN",
    "NUMBER_LIMIT",
    "POSITIVE_FLOOR",
    "RANGE_LIMIT",
    "VALUE_LIMIT",
    "ConfigError",
    "LectureSettings",
    "Param",
    "SceneParams",
    "check_override",
    "check_tables",
    "default_config",
    "lecture_settings",
    "load_toml",
    "resolve_params",
    "toml_value",
    "validate_file",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "lecture.toml"

LANGUAGES = ("zh", "en")
THEMES = ("dark", "light")

RANGE_LIMIT = 1e4
"""Largest magnitude of either end of a ``range``."""
MIN_SPAN = 1e-3
"""Least width of a ``range`` ``[lo, hi]``, as a share of ``max(1, |lo|, |hi|)``."""
NUMBER_LIMIT = 1e6
"""Largest magnitude of a ``number``/``positive``/``positives`` value unless its ``maximum`` says otherwise."""
POSITIVE_FLOOR = 1e-6
"""Least ``positive``/``positives`` value unless its ``lower`` says otherwise."""
VALUE_LIMIT = 1e12
"""Largest ``|f|`` and ``|∇f|`` a ``finite_on`` formula may reach on its ranges."""
LINE_SAMPLES = 2001  # samples of a 1-D range, ends included, and of each edge of a 2-D box
GRID_SAMPLES = 121  # samples per side of a 2-D box (fewer in more dimensions)
PEAKS = 32  # local maxima of |f|, |∇f| searched between the samples for a pole

Kind = Literal[
    "formula",
    "number",
    "positive",
    "integer",
    "boolean",
    "choice",
    "range",
    "auto_range",
    "point",
    "points",
    "positives",
]


class ConfigError(ValueError):
    """A problem in ``lecture.toml`` or in an override of it, raised before rendering."""


@dataclass(frozen=True)
class Param:
    """One scene parameter: its default, what it changes, and how it is checked.

    Parameters
    ----------
    default
        Value used when the key is absent (in TOML types: numbers, strings, lists).
    help
        One line saying what the parameter changes on screen.
    kind
        ``formula`` (text for :func:`gradcore.parse`), ``number``, ``positive``
        (a number > 0, e.g. a learning rate), ``integer`` (≥ ``minimum``),
        ``boolean``, ``choice`` (one of ``choices``), ``range`` (``[lo, hi]``
        with lo < hi), ``auto_range`` (a range, or ``"auto"``: the scene fits it;
        the value is then None), ``point`` (``size`` numbers; a bare number when size is
        1), ``points`` (a list of points), ``positives`` (a list of numbers > 0).
    variables
        For a formula: the variables it is a function of, in order.
    size
        Coordinates of a point.
    inside
        For points: the keys of the ranges (one per coordinate) the point must
        lie in; for a range: the key of the range it must lie in.
    minimum, maximum
        Bounds of an ``integer`` (and ``maximum`` of a ``number``/``positive``/
        ``positives``; without one, their magnitude is at most ``NUMBER_LIMIT``).
    lower
        Least value (inclusive) of a ``number``/``positive``/``positives``;
        without one, a ``positive`` is at least ``POSITIVE_FLOOR`` and a
        ``number`` at least ``-NUMBER_LIMIT``.
    max_items
        Most entries of a ``points`` or ``positives`` list.
    finite_on
        For a formula: the keys of the ranges (one per variable) on which it and
        its gradient must be finite and within ``±VALUE_LIMIT``: checked on a
        dense grid, the box edges, and between the samples around each peak.
    default_from
        ``(table, key)``: when this key is absent from its own table, its value
        is that other table's key if the file gives it, else ``default``.
    """

    default: Any
    help: str
    kind: Kind = "number"
    variables: tuple[str, ...] = ("x",)
    size: int = 1
    inside: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: int = 1
    maximum: float | None = None
    max_items: int | None = None
    finite_on: tuple[str, ...] = ()
    lower: float | None = None
    default_from: tuple[str, str] | None = None


class SceneParams(Mapping[str, Any]):
    """Validated parameters of one scene, readable as attributes: ``params.formula``."""

    def __init__(self, table: str, values: dict[str, Any], raw: dict[str, Any]):
        self._table = table
        self._values = MappingProxyType(values)
        self.raw = MappingProxyType(raw)  # the TOML values after defaults, for hashing

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"scene table [{self._table}] has no parameter {key!r}") from None

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def fingerprint(self) -> str:
        """Canonical JSON of the raw values: equal strings mean equal parameters."""
        return json.dumps(dict(self.raw), sort_keys=True)


@dataclass(frozen=True)
class LectureSettings:
    """The ``[lecture]`` table after overrides, and the file it was read from."""

    language: str = "zh"
    theme: str = "dark"
    captions: bool = True
    path: Path = field(default=DEFAULT_CONFIG)


LECTURE_PARAMETERS: dict[str, Param] = {
    "language": Param("zh", "narration and on-screen text: zh or en", "choice", choices=LANGUAGES),
    "theme": Param("dark", "palette: dark (default) or light for white slide decks", "choice", choices=THEMES),
    "captions": Param(True, "show the narration as an on-screen caption (subtitles are always written)", "boolean"),
}


def load_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file; a missing file is an empty config, any other problem one line (see ``loader.read_config``)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a config file: name a .toml file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:
        raise ConfigError(f"{path}: saved as UTF-16 text; save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{raw[error.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: lists or tables nested too deeply to read") from None


def _where(path: Path, table: str, key: str) -> str:
    return f"{path.name}, table [{table}], key '{key}'"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fmt(value: float, digits: int = 6) -> str:
    """A number as a lecturer would type it: ``0.001``, ``2.5``, ``1e6``, ``-1e-6``.

    Examples
    --------
    >>> _fmt(1e6), _fmt(0.001), _fmt(-2.5), _fmt(1e-06), _fmt(10000.0), _fmt(0.000300001, 4)
    ('1e6', '0.001', '-2.5', '1e-6', '10000', '0.0003')
    """
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else text


def _range_text(lo_hi: tuple[float, float]) -> str:
    return f"[{_fmt(lo_hi[0])}, {_fmt(lo_hi[1])}]"


@dataclass(frozen=True)
class _Given:
    """One value under check: where it is, its key and spec, and the values checked before it."""

    where: str
    key: str
    spec: Param
    value: Any
    checked: Mapping[str, Any]

    def fail(self, expected: str) -> ConfigError:
        """``expected …, got …; try key = default`` (the default is always accepted)."""
        return ConfigError(
            f"{self.where}: expected {expected}, got {self.value!r}; try {self.key} = {toml_value(self.spec.default)}"
        )

    def bounds(self) -> tuple[float, float]:
        """Least and largest value of a number kind: the spec's, else the generic ones."""
        spec = self.spec
        floor = POSITIVE_FLOOR if spec.kind in ("positive", "positives") else -NUMBER_LIMIT
        lower = floor if spec.lower is None else spec.lower
        return lower, NUMBER_LIMIT if spec.maximum is None else spec.maximum

    def number(self, expected: str) -> float:
        if not _is_number(self.value):
            raise self.fail(expected)
        lower, upper = self.bounds()
        if self.value < lower:
            raise self.fail(f"a number ≥ {_fmt(lower)}")
        if self.value > upper:
            raise self.fail(f"{expected} and at most {_fmt(upper)}")
        return float(self.value)

    def not_too_many(self, items: list) -> None:
        if self.spec.max_items is not None and len(items) > self.spec.max_items:
            raise ConfigError(f"{self.where}: expected at most {self.spec.max_items} entries, got {len(items)}")


def _formula(given: _Given) -> Any:
    spec, value = given.spec, given.value
    if not isinstance(value, str):
        raise given.fail(f"a formula in quotes in {', '.join(spec.variables)}")
    try:
        function = parse(value, variables=spec.variables)
    except ExpressionError as error:
        raise ConfigError(f"{given.where}: formula refused: {error}") from None
    if spec.finite_on:
        problem = _domain_problem(function, spec.finite_on, given.checked)
        if problem:
            raise ConfigError(f"{given.where}: {value!r} {problem}")
    return function


def _number(given: _Given) -> float:
    return given.number("a number")


def _positive(given: _Given) -> float:
    if given.spec.lower is None and _is_number(given.value) and given.value <= 0:
        raise given.fail("a number greater than 0")
    return given.number("a number greater than 0")


def _integer(given: _Given) -> int:
    spec, value = given.spec, given.value
    upper = f" and ≤ {spec.maximum:g}" if spec.maximum is not None else ""
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < spec.minimum
        or (spec.maximum is not None and value > spec.maximum)
    ):
        raise given.fail(f"a whole number ≥ {spec.minimum}{upper}")
    return value


def _boolean(given: _Given) -> bool:
    if not isinstance(given.value, bool):
        raise given.fail("true or false")
    return given.value


def _choice(given: _Given) -> str:
    if given.value not in given.spec.choices:
        raise given.fail("one of " + ", ".join(repr(c) for c in given.spec.choices))
    return given.value


def _range_bound(lo: float, hi: float) -> str | None:
    """What ``[lo, hi]`` breaks of the generic range bounds, as an expectation, or ``None``."""
    if max(abs(lo), abs(hi)) > RANGE_LIMIT:
        return f"a range with both ends within ±{_fmt(RANGE_LIMIT)}"
    least = MIN_SPAN * max(1.0, abs(lo), abs(hi))
    if hi - lo < least:
        return f"a range at least {_fmt(least)} wide ({_fmt(MIN_SPAN)} × max(1, |min|, |max|))"
    return None


def _range(given: _Given) -> tuple[float, float]:
    value = given.value
    if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
        raise given.fail("a range [min, max] of two numbers")
    if not value[0] < value[1]:
        raise given.fail("a range [min, max] with min < max")
    bound = _range_bound(float(value[0]), float(value[1]))
    if bound:
        raise given.fail(bound)
    for range_key in given.spec.inside:
        lo, hi = given.checked[range_key]
        if not lo <= value[0] < value[1] <= hi:
            raise given.fail(f"a range inside {range_key} = [{lo:g}, {hi:g}]")
    return (float(value[0]), float(value[1]))


def _auto_range(given: _Given) -> tuple[float, float] | None:
    """A range, or ``"auto"`` (returned as None) for a range the scene fits itself."""
    if given.value == "auto":
        return None
    if not isinstance(given.value, list):
        raise given.fail('"auto" or a range [min, max] of two numbers')
    return _range(given)


def _positives(given: _Given) -> tuple[float, ...]:
    value = given.value
    if not (isinstance(value, list) and value and all(_is_number(v) and v > 0 for v in value)):
        raise given.fail("a non-empty list of numbers greater than 0")
    given.not_too_many(value)
    lower, upper = given.bounds()
    if min(value) < lower:
        raise given.fail(f"a non-empty list of numbers ≥ {_fmt(lower)}")
    if max(value) > upper:
        raise given.fail(f"a non-empty list of numbers at most {_fmt(upper)}")
    return tuple(float(v) for v in value)


def _shape(spec: Param) -> str:
    return "a number" if spec.size == 1 else f"a point [{', '.join('xyzw'[: spec.size])}]"


def _coordinates(given: _Given, points: list, expected: str) -> np.ndarray:
    """Each point as ``size`` floats inside its ranges; shape ``(len(points), size)``."""
    spec = given.spec
    coords = []
    for point in points:
        p = [point] if spec.size == 1 and _is_number(point) else point
        if not (isinstance(p, list) and len(p) == spec.size and all(_is_number(v) for v in p)):
            raise given.fail(expected)
        for axis, (v, range_key) in enumerate(zip(p, spec.inside, strict=False)):
            lo, hi = given.checked[range_key]
            if not lo <= v <= hi:
                coordinate = "" if spec.size == 1 else f" (coordinate {axis + 1})"
                raise ConfigError(
                    f"{given.where}: {v!r}{coordinate} lies outside {range_key} = [{lo:g}, {hi:g}]; "
                    f"expected a value inside the plotted range"
                )
        coords.append([float(v) for v in p])
    return np.array(coords)


def _point(given: _Given) -> float | np.ndarray:
    array = _coordinates(given, [given.value], _shape(given.spec))
    return float(array[0, 0]) if given.spec.size == 1 else array[0]


def _points(given: _Given) -> np.ndarray:
    expected = f"a non-empty list of points, each {_shape(given.spec)}"
    if not isinstance(given.value, list) or not given.value:
        raise given.fail(expected)
    given.not_too_many(given.value)
    return _coordinates(given, given.value, expected)


_CHECKERS: dict[str, Callable[[_Given], Any]] = {
    "formula": _formula,
    "number": _number,
    "positive": _positive,
    "integer": _integer,
    "boolean": _boolean,
    "choice": _choice,
    "range": _range,
    "auto_range": _auto_range,
    "positives": _positives,
    "point": _point,
    "points": _points,
}


def _check(where: str, key: str, spec: Param, value: Any, checked: dict[str, Any]) -> Any:
    """Check one value against its spec and return what the scene uses."""
    checker = _CHECKERS.get(spec.kind)
    if checker is None:
        raise AssertionError(f"unknown parameter kind {spec.kind!r}")  # a bug in a scene's declaration
    return checker(_Given(where, key, spec, value, checked))


# Section: formulas finite on their ranges

_PHRASES = {  # problem code: (what is wrong at a point, what a better range gives)
    1: ("is not defined", "it is defined"),
    2: ("is not finite", "it is finite"),
    3: (f"exceeds ±{_fmt(VALUE_LIMIT)}", f"it stays within ±{_fmt(VALUE_LIMIT)}"),
    4: ("has an undefined gradient", "its gradient is defined"),
    5: ("has a gradient that is not finite", "its gradient is finite"),
    6: (f"has a gradient beyond ±{_fmt(VALUE_LIMIT)}", f"its gradient stays within ±{_fmt(VALUE_LIMIT)}"),
}
_EVALUATION_ERRORS = (FloatingPointError, OverflowError, ValueError, ZeroDivisionError)


@dataclass(frozen=True)
class _Scan:
    """Where a formula fails on its ranges: the first failing point, and the grid nodes at or nearest a failure."""

    axes: list[np.ndarray]
    bad: np.ndarray
    point: np.ndarray | None = None
    code: int = 0
    near: bool = False  # found between the samples, by searching around a peak


def _evaluate(function: Any, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f`` and ``∇f`` at ``points`` (shape ``(m, n)``); a point where evaluation raises gets NaN."""
    with np.errstate(all="ignore"):
        try:
            values = np.asarray(function(*points.T), dtype=float)
            slopes = np.asarray(function.gradient(points), dtype=float)
            return np.broadcast_to(values, points.shape[:1]), np.broadcast_to(slopes, points.shape)
        except _EVALUATION_ERRORS:
            pass
        values, slopes = np.full(len(points), np.nan), np.full(points.shape, np.nan)
        for i, point in enumerate(points):  # slow, but only for a formula that raises
            with contextlib.suppress(*_EVALUATION_ERRORS):
                values[i], slopes[i] = function(*point), function.gradient(point)
    return values, slopes


def _problems(values: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """Per point: 0 when ``f`` and ``∇f`` are finite and within ``±VALUE_LIMIT``, else the code in ``_PHRASES``."""
    steep = np.abs(slopes).max(axis=-1, initial=0.0)
    conditions = [
        np.isnan(values),
        np.isinf(values),
        np.abs(values) > VALUE_LIMIT,
        np.isnan(slopes).any(axis=-1),
        np.isinf(steep),
        steep > VALUE_LIMIT,
    ]
    return np.select(conditions, [1, 2, 3, 4, 5, 6], 0)


def _size(values: np.ndarray, slopes: np.ndarray) -> np.ndarray:
    """``max(|f|, |∂f/∂xᵢ|)`` per point, infinite where either is undefined."""
    size = np.maximum(np.abs(values), np.abs(slopes).max(axis=-1, initial=0.0))
    return np.nan_to_num(size, nan=np.inf)


def _axes(ranges: list[tuple[float, float]]) -> list[np.ndarray]:
    count = LINE_SAMPLES if len(ranges) == 1 else GRID_SAMPLES if len(ranges) == 2 else 21
    return [np.linspace(lo, hi, count) for lo, hi in ranges]


def _grid(axes: list[np.ndarray]) -> np.ndarray:
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))


def _edges(ranges: list[tuple[float, float]]) -> np.ndarray:
    """The four edges of a 2-D box, ``LINE_SAMPLES`` points each (none in other dimensions)."""
    if len(ranges) != 2:
        return np.empty((0, len(ranges)))
    (x0, x1), (y0, y1) = ranges
    xs, ys = np.linspace(x0, x1, LINE_SAMPLES), np.linspace(y0, y1, LINE_SAMPLES)
    rows = [np.column_stack([xs, np.full_like(xs, y)]) for y in (y0, y1)]
    columns = [np.column_stack([np.full_like(ys, x), ys]) for x in (x0, x1)]
    return np.concatenate(rows + columns)


def _peaks(size: np.ndarray, count: int = PEAKS) -> np.ndarray:
    """Flat indices of the ``count`` largest local maxima of ``size`` on its grid (each axis compared)."""
    peak = np.ones(size.shape, dtype=bool)
    for axis in range(size.ndim):
        widths = [(1, 1) if a == axis else (0, 0) for a in range(size.ndim)]
        padded = np.pad(size, widths, constant_values=-np.inf)
        before = np.take(padded, range(size.shape[axis]), axis=axis)
        after = np.take(padded, range(2, size.shape[axis] + 2), axis=axis)
        peak &= (size >= before) & (size >= after)
    flat = np.flatnonzero(peak)
    return flat[np.argsort(-size.ravel()[flat], kind="stable")[:count]]


def _zoom(function: Any, centres: np.ndarray, half: np.ndarray, ranges: list, rounds: int = 36) -> np.ndarray:
    """Climb each centre to the largest ``max(|f|, |∇f|)`` nearby: a pole between samples is where it leads.

    Each round samples 7 points per axis over ``centre ± half``, keeps the
    largest, and shrinks ``half`` by 3 (for one peak in the window, the peak
    stays within the next window).
    """
    n = centres.shape[1]
    offsets = np.stack(np.meshgrid(*[np.linspace(-1.0, 1.0, 7)] * n, indexing="ij"), axis=-1).reshape(-1, n)
    lo, hi = np.array(ranges, dtype=float).T
    for _ in range(rounds):
        trial = np.clip(centres[:, None, :] + offsets * half, lo, hi)
        size = _size(*_evaluate(function, trial.reshape(-1, n))).reshape(len(centres), -1)
        centres = trial[np.arange(len(centres)), size.argmax(axis=1)]
        half = half / 3
    return centres


def _nearest_nodes(axes: list[np.ndarray], points: np.ndarray) -> np.ndarray:
    """A grid-shaped mask: ``True`` at the node nearest each of ``points``."""
    mask = np.zeros([len(axis) for axis in axes], dtype=bool)
    index = []
    for i, axis in enumerate(axes):
        step = (axis[-1] - axis[0]) / (len(axis) - 1)
        index.append(np.clip(np.rint((points[:, i] - axis[0]) / step), 0, len(axis) - 1).astype(int))
    mask[tuple(index)] = True
    return mask


def _scan(function: Any, ranges: list[tuple[float, float]]) -> _Scan:
    """Check ``f`` and ``∇f`` on the grid and box edges, then between the samples around the peaks."""
    axes = _axes(ranges)
    grid = _grid(axes)
    sampled = np.concatenate([grid, _edges(ranges)])
    values, slopes = _evaluate(function, sampled)
    codes, near = _problems(values, slopes), False
    if not codes.any():
        size = _size(values[: len(grid)], slopes[: len(grid)]).reshape([len(axis) for axis in axes])
        half = np.array([(axis[-1] - axis[0]) / (len(axis) - 1) for axis in axes])
        sampled = _zoom(function, grid[_peaks(size)], half, ranges)
        codes, near = _problems(*_evaluate(function, sampled)), True
    failing = codes != 0
    if not failing.any():
        return _Scan(axes, np.zeros([len(axis) for axis in axes], dtype=bool))
    points, found = sampled[failing], codes[failing]
    first = np.lexsort(points.T[::-1])[0]  # least x, then least y
    return _Scan(axes, _nearest_nodes(axes, points), points[first], int(found[first]), near)


def _longest_run(mask: np.ndarray) -> tuple[int, int] | None:
    """First and last index of the longest run of ``True`` (at least two long), or ``None``."""
    changes = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    starts, stops = changes[::2], changes[1::2]
    if not len(starts) or (stops - starts).max() < 2:
        return None
    k = int(np.argmax(stops - starts))
    return int(starts[k]), int(stops[k]) - 1


def _nice_range(axis: np.ndarray, run: tuple[int, int], extent: tuple[float, float]) -> tuple[float, float] | None:
    """The samples ``run`` of ``axis`` as a range with round ends, half a round step clear of the failures.

    An end of the run that is an end of ``extent`` is kept as it is.
    """
    (i, j), (lo, hi) = run, extent
    a, b = float(axis[i]), float(axis[j])
    step = 10.0 ** math.floor(math.log10((b - a) / 10))
    if i > 0:
        lo = float(f"{math.ceil(a / step + 0.5 - 1e-9) * step:.12g}")
    if j < len(axis) - 1:
        hi = float(f"{math.floor(b / step - 0.5 + 1e-9) * step:.12g}")
    return (lo, hi) if lo < hi else None


def _suggest(function: Any, keys: tuple[str, ...], ranges: list, scan: _Scan) -> str | None:
    """A change of one range key that makes the formula pass, keeping the most area, or ``None``."""
    best, best_area = None, 0.0
    for axis, key in enumerate(keys):
        others = tuple(a for a in range(len(keys)) if a != axis)
        run = _longest_run(~scan.bad.any(axis=others))
        candidate = _nice_range(scan.axes[axis], run, ranges[axis]) if run else None
        if candidate is None or _range_bound(*candidate):
            continue
        trial = [candidate if k == key else r for k, r in zip(keys, ranges, strict=True)]
        area = math.prod(hi - lo for lo, hi in trial)
        if area > best_area and _scan(function, trial).point is None:
            best, best_area = f"{key} = {_range_text(candidate)}", area
    return best


def _at(variables: tuple[str, ...], point: np.ndarray) -> str:
    if len(variables) == 1:
        return f"{variables[0]} = {_fmt(point[0], 4)}"
    return f"({', '.join(variables)}) = ({', '.join(_fmt(v, 4) for v in point)})"


def _domain_problem(function: Any, keys: tuple[str, ...], checked: Mapping[str, Any]) -> str | None:
    """Why ``function`` cannot be drawn on the ranges ``keys`` (one per variable), with a way out, or ``None``.

    Examples
    --------
    >>> _domain_problem(parse("log(x)"), ("x_range",), {"x_range": (-2.5, 2.5)})
    'is not defined at x = -2.5 (x_range = [-2.5, 2.5]); use a range where it is defined, e.g. x_range = [0.1, 2.5]'
    """
    if len(keys) != function.n:
        raise AssertionError(f"finite_on {keys} needs one range per variable of {function.variables}")
    ranges = [(float(checked[key][0]), float(checked[key][1])) for key in keys]
    scan = _scan(function, ranges)
    if scan.point is None:
        return None
    what, better = _PHRASES[scan.code]
    extent = ", ".join(f"{key} = {_range_text(checked[key])}" for key in dict.fromkeys(keys))
    suggestion = _suggest(function, keys, ranges, scan)
    way_out = f"use a range where {better}, e.g. {suggestion}" if suggestion else "change the formula or the ranges"
    return f"{what} {'near' if scan.near else 'at'} {_at(function.variables, scan.point)} ({extent}); {way_out}"


def _raw_values(
    parameters: Mapping[str, Param], given: Mapping[str, Any], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Each key's value before checking: given, else followed (``default_from``), else the default.

    Also returns, for each followed key, where its value came from (``[descent] formula``).
    """
    raw, followed = {}, {}
    for key, spec in parameters.items():
        source = data.get(spec.default_from[0]) if spec.default_from else None
        if key in given:
            raw[key] = given[key]
        elif isinstance(source, Mapping) and spec.default_from[1] in source:
            raw[key] = source[spec.default_from[1]]
            followed[key] = f"[{spec.default_from[0]}] {spec.default_from[1]}"
        else:
            raw[key] = spec.default
    return raw, followed


def resolve_params(
    path: Path,
    table: str,
    parameters: Mapping[str, Param],
    given: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
) -> SceneParams:
    """Merge ``given`` over the defaults and check every value.

    Ranges are checked before the points that must lie inside them, whatever
    the declaration order. ``data`` is the whole file, where a key with
    ``default_from`` finds the value it follows when ``given`` lacks it.

    Examples
    --------
    >>> spec = {"lr": Param(0.1, "step size", "positive")}
    >>> resolve_params(Path("lecture.toml"), "demo", spec, {}).lr
    0.1
    >>> resolve_params(Path("lecture.toml"), "demo", spec, {"lr": -1})
    Traceback (most recent call last):
    ...
    scenes.toolkit.config.ConfigError: lecture.toml, table [demo], key 'lr': expected a number greater than 0, got -1; try lr = 0.1
    """
    unknown = sorted(set(given) - set(parameters))
    if unknown:
        known = ", ".join(parameters) or "(none)"
        raise ConfigError(f"{_where(path, table, unknown[0])}: unknown key; the keys of [{table}] are: {known}")
    raw, followed = _raw_values(parameters, given, data or {})
    order = sorted(parameters, key=lambda k: bool(parameters[k].inside or parameters[k].finite_on))  # ranges first
    checked: dict[str, Any] = {}
    for key in order:
        where = _where(path, table, key) + (f" (following {followed[key]})" if key in followed else "")
        checked[key] = _check(where, key, parameters[key], raw[key], checked)
    return SceneParams(table, {key: checked[key] for key in parameters}, raw)


def check_override(key: str, value: Any, source: str) -> Any:
    """Check one ``[lecture]`` override (``language``, ``theme`` or ``captions``) and return it.

    ``source`` opens the error message and says where the value came from,
    e.g. ``"environment LECTURE_LANG='fr'"``.

    Examples
    --------
    >>> check_override("language", "en", "--lang 'en'")
    'en'
    >>> check_override("language", "fr", "--lang 'fr'")
    Traceback (most recent call last):
    ...
    scenes.toolkit.config.ConfigError: --lang 'fr': expected one of zh, en
    """
    spec = LECTURE_PARAMETERS.get(key)
    if spec is None:
        raise ConfigError(f"{source}: unknown setting {key!r}; the settings are: {', '.join(LECTURE_PARAMETERS)}")
    if spec.kind == "choice" and value not in spec.choices:
        raise ConfigError(f"{source}: expected one of {', '.join(spec.choices)}")
    if spec.kind == "boolean" and not isinstance(value, bool):
        raise ConfigError(f"{source}: expected true or false")
    return value


def check_tables(path: Path, data: Mapping[str, Any], known: set[str]) -> None:
    """Refuse a table not in ``known``, and a known name that is not a table."""
    for table, content in data.items():
        if table not in known:
            raise ConfigError(f"{path.name}: unknown table [{table}]; the tables are: {', '.join(sorted(known))}")
        if not isinstance(content, dict):
            raise ConfigError(f"{path.name}: '{table}' must be a table [{table}], got {content!r}")


def lecture_settings(
    data: Mapping[str, Any] | None = None, path: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> LectureSettings:
    """The ``[lecture]`` table of ``data`` (read from ``path`` if not given), with ``overrides`` applied.

    Parameters
    ----------
    data
        The parsed config file; ``None`` reads ``path``.
    path
        The config file; ``None`` means ``lecture.toml`` at the project root.
    overrides
        ``language``, ``theme`` and ``captions`` values that win over the file;
        ``None`` values are ignored.

    Examples
    --------
    >>> settings = lecture_settings({"lecture": {"theme": "light"}}, Path("lecture.toml"), {"language": "en"})
    >>> settings.language, settings.theme, settings.captions
    ('en', 'light', True)
    """
    path = DEFAULT_CONFIG if path is None else path
    data = load_toml(path) if data is None else data
    table = data.get("lecture", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path.name}: [lecture] must be a table")
    values = dict(resolve_params(path, "lecture", LECTURE_PARAMETERS, table))
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = check_override(key, value, f"override {key}={value!r}")
    return LectureSettings(path=path, **values)


def validate_file(path: Path, scene_tables: Mapping[str, Mapping[str, Param]]) -> dict[str, SceneParams]:
    """Check a whole config file: ``[lecture]`` and every scene table; unknown tables are errors."""
    data = load_toml(path)
    check_tables(path, data, {"lecture", *scene_tables})
    lecture_settings(data, path)
    return {table: resolve_params(path, table, spec, data.get(table, {}), data) for table, spec in scene_tables.items()}


def toml_value(value: Any) -> str:
    """A default value in TOML syntax (strings, numbers, booleans, nested lists).

    Examples
    --------
    >>> toml_value([[1, 0.5], [-2, 2]]), toml_value("x^2"), toml_value(True)
    ('[[1, 0.5], [-2, 2]]', '"x^2"', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def default_config(scene_tables: Mapping[str, Mapping[str, Param]]) -> str:
    """The full ``lecture.toml``: every table and key at its default, each with a comment."""
    lines = [
        "# Lecture configuration. Every key is optional: a missing key uses the default shown here.",
        "# Regenerate this file with: python -m scenes config > lecture.toml",
        "",
    ]
    for table, spec in {"lecture": LECTURE_PARAMETERS, **scene_tables}.items():
        lines.append(f"[{table}]")
        for key, param in spec.items():
            lines.append(f"# {param.help}")
            if param.default_from:  # left out, so that it follows the other key until the lecturer sets it
                other_table, other_key = param.default_from
                lines.append(f"# follows [{other_table}] {other_key} unless set; uncomment to set it here:")
                lines.append(f"# {key} = {toml_value(param.default)}")
            else:
                lines.append(f"{key} = {toml_value(param.default)}")
        lines.append("")
    return "\n".join(lines)
