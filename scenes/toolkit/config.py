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

Kind = Literal["formula", "number", "positive", "integer", "boolean", "choice", "range", "point", "points", "positives"]


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
        with lo < hi), ``point`` (``size`` numbers; a bare number when size is
        1), ``points`` (a list of points), ``positives`` (a list of numbers > 0).
    variables
        For a formula: the variables it is a function of, in order.
    size
        Coordinates of a point.
    inside
        For points: the keys of the ranges (one per coordinate) the point must
        lie in; for a range: the key of the range it must lie in.
    minimum, maximum
        Bounds of an ``integer`` (and ``maximum`` of a ``number``/``positive``).
    max_items
        Most entries of a ``points`` or ``positives`` list.
    finite_on
        For a formula: the keys of the ranges (one per variable) on which it and
        its gradient must be finite, checked on a grid.
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
    """Read a TOML file; a missing file is an empty config, a broken one a :class:`ConfigError`."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _where(path: Path, table: str, key: str) -> str:
    return f"{path.name}, table [{table}], key '{key}'"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class _Given:
    """One value under check: where it is, its spec, and the values checked before it."""

    where: str
    spec: Param
    value: Any
    checked: Mapping[str, Any]

    def fail(self, expected: str) -> ConfigError:
        return ConfigError(f"{self.where}: expected {expected}, got {self.value!r}")

    def number(self, expected: str) -> float:
        if not _is_number(self.value):
            raise self.fail(expected)
        if self.spec.maximum is not None and self.value > self.spec.maximum:
            raise self.fail(f"{expected} and at most {self.spec.maximum:g}")
        return float(self.value)

    def not_too_many(self, items: list) -> None:
        if self.spec.max_items is not None and len(items) > self.spec.max_items:
            raise ConfigError(f"{self.where}: expected at most {self.spec.max_items} entries, got {len(items)}")


def _formula(given: _Given) -> Any:
    spec, value, checked = given.spec, given.value, given.checked
    if not isinstance(value, str):
        raise given.fail(f"a formula in quotes in {', '.join(spec.variables)}")
    try:
        function = parse(value, variables=spec.variables)
    except ExpressionError as error:
        raise ConfigError(f"{given.where}: formula refused: {error}") from None
    if spec.finite_on and not _finite_on(function, [checked[key] for key in spec.finite_on]):
        ranges = ", ".join(f"{key} = [{checked[key][0]:g}, {checked[key][1]:g}]" for key in spec.finite_on)
        raise ConfigError(
            f"{given.where}: {value!r} or its gradient is not finite everywhere on {ranges}; "
            f"change the formula or the ranges"
        )
    return function


def _number(given: _Given) -> float:
    return given.number("a number")


def _positive(given: _Given) -> float:
    result = given.number("a number greater than 0")
    if result <= 0:
        raise given.fail("a number greater than 0")
    return result


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


def _range(given: _Given) -> tuple[float, float]:
    value = given.value
    if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
        raise given.fail("a range [min, max] of two numbers")
    if not value[0] < value[1]:
        raise given.fail("a range [min, max] with min < max")
    for range_key in given.spec.inside:
        lo, hi = given.checked[range_key]
        if not lo <= value[0] < value[1] <= hi:
            raise given.fail(f"a range inside {range_key} = [{lo:g}, {hi:g}]")
    return (float(value[0]), float(value[1]))


def _positives(given: _Given) -> tuple[float, ...]:
    value = given.value
    if not (isinstance(value, list) and value and all(_is_number(v) and v > 0 for v in value)):
        raise given.fail("a non-empty list of numbers greater than 0")
    given.not_too_many(value)
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
    "positives": _positives,
    "point": _point,
    "points": _points,
}


def _check(path: Path, table: str, key: str, spec: Param, value: Any, checked: dict[str, Any]) -> Any:
    """Check one value against its spec and return what the scene uses."""
    checker = _CHECKERS.get(spec.kind)
    if checker is None:
        raise AssertionError(f"unknown parameter kind {spec.kind!r}")  # a bug in a scene's declaration
    return checker(_Given(_where(path, table, key), spec, value, checked))


def _finite_on(function: Any, ranges: list[tuple[float, float]], samples: int = 61) -> bool:
    """Whether ``function`` and its gradient are finite on a grid over ``ranges``."""
    axes = [np.linspace(lo, hi, samples if len(ranges) > 1 else 401) for lo, hi in ranges]
    grid = np.stack(np.meshgrid(*axes), axis=-1)
    with np.errstate(all="ignore"):
        values = np.asarray(function(*np.moveaxis(grid, -1, 0)), dtype=float)
        slopes = function.gradient(grid)
    return bool(np.all(np.isfinite(values)) and np.all(np.isfinite(slopes)))


def resolve_params(path: Path, table: str, parameters: Mapping[str, Param], given: Mapping[str, Any]) -> SceneParams:
    """Merge ``given`` over the defaults and check every value.

    Ranges are checked before the points that must lie inside them, whatever
    the declaration order.

    Examples
    --------
    >>> spec = {"lr": Param(0.1, "step size", "positive")}
    >>> resolve_params(Path("lecture.toml"), "demo", spec, {}).lr
    0.1
    >>> resolve_params(Path("lecture.toml"), "demo", spec, {"lr": -1})
    Traceback (most recent call last):
    ...
    scenes.toolkit.config.ConfigError: lecture.toml, table [demo], key 'lr': expected a number greater than 0, got -1
    """
    unknown = sorted(set(given) - set(parameters))
    if unknown:
        known = ", ".join(parameters) or "(none)"
        raise ConfigError(f"{_where(path, table, unknown[0])}: unknown key; the keys of [{table}] are: {known}")
    raw = {key: given.get(key, spec.default) for key, spec in parameters.items()}
    order = sorted(parameters, key=lambda k: bool(parameters[k].inside or parameters[k].finite_on))  # ranges first
    checked: dict[str, Any] = {}
    for key in order:
        checked[key] = _check(path, table, key, parameters[key], raw[key], checked)
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
    return {table: resolve_params(path, table, spec, data.get(table, {})) for table, spec in scene_tables.items()}


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
            lines.append(f"{key} = {toml_value(param.default)}")
        lines.append("")
    return "\n".join(lines)
