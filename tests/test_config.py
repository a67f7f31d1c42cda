"""lecture.toml validation: every kind of bad input names file, table, key and expectation."""

import re
import time
import tomllib
from pathlib import Path

import numpy as np
import pytest

from scenes.toolkit.config import (
    ConfigError,
    Param,
    default_config,
    lecture_settings,
    resolve_params,
    validate_file,
)
from scenes.toolkit.loader import from_environment, load_scene_config, to_environment

SPEC = {
    "formula": Param("x^2 + y^2", "surface", "formula", variables=("x", "y")),
    "x_range": Param([-2, 2], "x extent", "range"),
    "y_range": Param([-2, 2], "y extent", "range"),
    "start": Param([1.0, 0.5], "start", "point", size=2, inside=("x_range", "y_range")),
    "starts": Param([[1, 1], [-1, 0]], "starts", "points", size=2, inside=("x_range", "y_range")),
    "lr": Param(0.1, "step", "positive"),
    "rates": Param([0.01, 0.1], "steps", "positives"),
    "steps": Param(30, "count", "integer"),
    "optimizer": Param("gd", "method", "choice", choices=("gd", "momentum")),
}
FILE = Path("lecture.toml")


def check(**given):
    return resolve_params(FILE, "demo", SPEC, given)


def test_defaults_fill_every_missing_key_and_values_are_converted():
    params = check()
    assert params.formula(1.0, 2.0) == 5.0
    assert params.x_range == (-2.0, 2.0)
    np.testing.assert_array_equal(params.start, [1.0, 0.5])
    assert params.starts.shape == (2, 2)
    assert params.rates == (0.01, 0.1)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"lr": 0}, "key 'lr': expected a number greater than 0, got 0"),
        ({"lr": -0.5}, "key 'lr': expected a number greater than 0"),
        ({"lr": "fast"}, "key 'lr': expected a number greater than 0, got 'fast'"),
        ({"formula": "x^2 + sinx"}, "key 'formula': formula refused: unknown name 'sinx'"),
        ({"formula": 3}, "key 'formula': expected a formula in quotes"),
        ({"formula": "x^2 + q"}, "key 'formula': formula refused"),
        ({"x_range": [2, -2]}, "key 'x_range': expected a range [min, max] with min < max"),
        ({"x_range": [0]}, "key 'x_range': expected a range [min, max] of two numbers"),
        ({"start": [5.0, 0.0]}, "key 'start': 5.0 (coordinate 1) lies outside x_range = [-2, 2]"),
        ({"start": [0.0]}, "key 'start': expected a point [x, y]"),
        ({"starts": [[0, 0], [0, 9]]}, "key 'starts': 9 (coordinate 2) lies outside y_range"),
        ({"rates": [0.1, -1]}, "key 'rates': expected a non-empty list of numbers greater than 0"),
        ({"steps": 2.5}, "key 'steps': expected a whole number ≥ 1"),
        ({"steps": True}, "key 'steps': expected a whole number"),
        ({"optimizer": "newton"}, "key 'optimizer': expected one of 'gd', 'momentum', got 'newton'"),
        ({"sped": 1}, "key 'sped': unknown key; the keys of [demo] are: formula, x_range"),
    ],
)
def test_bad_values_name_the_file_table_key_and_what_was_expected(given, message):
    with pytest.raises(ConfigError) as error:
        check(**given)
    assert str(error.value).startswith("lecture.toml, table [demo], ")
    assert message in str(error.value)


def test_a_point_is_checked_against_a_range_given_in_the_same_table():
    assert check(x_range=[-5, 10], start=[5.0, 0.0]).start[0] == 5.0


def test_unknown_tables_and_broken_toml_are_refused(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text("[tangnet]\npoint = 1\n")
    with pytest.raises(ConfigError, match=r"unknown table \[tangnet\]; the tables are: demo, lecture"):
        validate_file(path, {"demo": SPEC})
    path.write_text("[demo\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        validate_file(path, {"demo": SPEC})


def test_a_missing_file_means_all_defaults(tmp_path):
    tables = validate_file(tmp_path / "absent.toml", {"demo": SPEC})
    assert tables["demo"].lr == 0.1


def test_overrides_win_over_the_lecture_table_and_none_means_no_override(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text('[lecture]\nlanguage = "zh"\ntheme = "dark"\n')
    settings = lecture_settings(path=path, overrides={"language": "en", "theme": None, "captions": False})
    assert (settings.language, settings.theme, settings.captions, settings.path) == ("en", "dark", False, path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"language": "fr"}, "override language='fr': expected one of zh, en"),
        ({"theme": "sepia"}, "override theme='sepia': expected one of dark, light"),
        ({"captions": "yes"}, "override captions='yes': expected true or false"),
        ({"lang": "en"}, "unknown setting 'lang'; the settings are: language, theme, captions"),
    ],
)
def test_a_bad_override_is_a_config_error(tmp_path, overrides, message):
    with pytest.raises(ConfigError) as error:
        lecture_settings(path=tmp_path / "absent.toml", overrides=overrides)
    assert message in str(error.value)


def test_the_environment_is_read_into_a_path_and_overrides():
    environ = {
        "LECTURE_CONFIG": "/x/lecture.toml",
        "LECTURE_LANG": "en",
        "LECTURE_THEME": "light",
        "LECTURE_CAPTIONS": "0",
    }
    assert from_environment(environ) == (
        Path("/x/lecture.toml"),
        {"language": "en", "theme": "light", "captions": False},
    )
    assert from_environment({"LECTURE_LANG": "", "PATH": "/bin"}) == (None, {})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LECTURE_LANG": "fr"}, "environment LECTURE_LANG='fr': expected one of zh, en"),
        ({"LECTURE_THEME": "sepia"}, "environment LECTURE_THEME='sepia': expected one of dark, light"),
        ({"LECTURE_CAPTIONS": "maybe"}, "environment LECTURE_CAPTIONS='maybe': expected 1 or 0"),
    ],
)
def test_a_bad_environment_value_is_a_config_error_naming_the_variable(environ, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        from_environment(environ)


def test_settings_handed_to_a_child_come_back_the_same(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text("[demo]\nlr = 0.5\n")
    sent, params = load_scene_config(Demo, path, {"language": "en", "theme": "light", "captions": False})
    received, again = load_scene_config(Demo, *from_environment(to_environment(sent)))
    assert received == sent
    assert again.fingerprint() == params.fingerprint()


class Demo:
    """A scene class as the loader sees it, without manim."""

    config_table = "demo"
    parameters = SPEC

    @classmethod
    def check_params(cls, params):
        return "key 'steps': at least 10 steps, or the path stops short" if params.steps < 10 else None


def test_the_loader_reads_the_path_it_is_given_and_never_the_environment(tmp_path, monkeypatch):
    broken = tmp_path / "broken.toml"
    broken.write_text("[demo\n")
    monkeypatch.setenv("LECTURE_CONFIG", str(broken))
    monkeypatch.setenv("LECTURE_LANG", "fr")
    path = tmp_path / "lecture.toml"
    path.write_text('[lecture]\nlanguage = "en"\n[demo]\nlr = 0.5\n')
    settings, params = load_scene_config(Demo, path)
    assert (settings.language, settings.path, params.lr) == ("en", path, 0.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[demo]\nlr = -1\n", "bad.toml, table [demo], key 'lr': expected a number greater than 0, got -1"),
        ("[demo]\nsteps = 5\n", "bad.toml, table [demo], key 'steps': at least 10 steps"),
        ("[dmeo]\nlr = 1\n", "bad.toml: unknown table [dmeo]; the tables are: "),
        ("demo = 3\n", "bad.toml: 'demo' must be a table [demo], got 3"),
        ('[lecture]\ntheme = "sepia"\n', "bad.toml, table [lecture], key 'theme': expected one of 'dark', 'light'"),
        ("[demo\n", "bad.toml: not valid TOML"),
    ],
)
def test_the_loader_raises_a_config_error_for_the_file_it_is_given(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_scene_config(Demo, path)
    assert message in str(error.value)


def test_the_loader_is_still_importable_from_the_scene_base():
    from scenes.toolkit.base import load_scene_config as from_base

    assert from_base is load_scene_config


def test_lecture_table_is_validated_too(tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text('[lecture]\nlanguage = "de"\n')
    with pytest.raises(ConfigError, match=r"table \[lecture\], key 'language': expected one of 'zh', 'en'"):
        lecture_settings(path=path)


LIMITED = {
    "x_range": Param([-1, 1], "x extent", "range"),
    "y_range": Param([-1, 1], "y extent", "range"),
    "formula": Param("x^2 + y^2", "surface", "formula", variables=("x", "y"), finite_on=("x_range", "y_range")),
    "count": Param(3, "how many", "integer", maximum=5),
    "starts": Param([[0, 0]], "starts", "points", size=2, inside=("x_range", "y_range"), max_items=2),
}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"count": 6}, "key 'count': expected a whole number ≥ 1 and ≤ 5, got 6"),
        ({"starts": [[0, 0], [0, 0.5], [0.5, 0]]}, "key 'starts': expected at most 2 entries, got 3"),
        (
            {"formula": "log(x)"},
            "key 'formula': 'log(x)' is not defined at (x, y) = (-1, -1) (x_range = [-1, 1], y_range = [-1, 1]); "
            "use a range where it is defined, e.g. x_range = [0.03, 1]",
        ),
        ({"formula": "1/x + y"}, "key 'formula': '1/x + y' is not finite at (x, y) = (0, -1)"),
    ],
)
def test_limits_and_finite_formulas_are_checked(given, message):
    with pytest.raises(ConfigError) as error:
        resolve_params(FILE, "demo", LIMITED, given)
    assert message in str(error.value)


def test_a_formula_is_checked_on_the_ranges_given_in_the_same_table():
    params = resolve_params(FILE, "demo", LIMITED, {"formula": "log(x)", "x_range": [0.5, 2], "starts": [[1, 0]]})
    assert params.formula(1.0, 0.0) == 0.0


# Section: least values, and the generic bounds of numbers

BOUNDED = {
    "lr": Param(0.25, "step", "positive", lower=0.001),
    "speed": Param(45.0, "turn speed", "positive"),
    "shift": Param(0.0, "offset", "number", lower=-1.0),
    "offset": Param(0.0, "offset", "number"),
    "rates": Param([0.01, 0.1], "steps", "positives", lower=0.001),
    "gains": Param([1.0], "gains", "positives"),
    "big": Param(1.0, "allowed to be big", "positive", maximum=1e8),
    "tiny": Param(1e-8, "allowed to be tiny", "positive", lower=1e-9),
}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"lr": 0.0005}, "key 'lr': expected a number ≥ 0.001, got 0.0005; try lr = 0.25"),
        ({"lr": -1}, "key 'lr': expected a number ≥ 0.001, got -1; try lr = 0.25"),
        ({"shift": -2}, "key 'shift': expected a number ≥ -1, got -2; try shift = 0.0"),
        ({"rates": [0.1, 0.0001]}, "key 'rates': expected a non-empty list of numbers ≥ 0.001, got [0.1, 0.0001]"),
        ({"speed": 1e-300}, "key 'speed': expected a number ≥ 1e-6, got 1e-300; try speed = 45.0"),
        ({"speed": 0}, "key 'speed': expected a number greater than 0, got 0; try speed = 45.0"),
        ({"speed": 1e300}, "key 'speed': expected a number greater than 0 and at most 1e6, got 1e+300"),
        ({"offset": -1e7}, "key 'offset': expected a number ≥ -1e6, got -10000000.0"),
        ({"offset": 2e6}, "key 'offset': expected a number and at most 1e6, got 2000000.0"),
        ({"gains": [1e300]}, "key 'gains': expected a non-empty list of numbers at most 1e6"),
        ({"gains": [1e-7]}, "key 'gains': expected a non-empty list of numbers ≥ 1e-6"),
        ({"big": 1e9}, "key 'big': expected a number greater than 0 and at most 1e8"),
        ({"tiny": 1e-10}, "key 'tiny': expected a number ≥ 1e-9"),
    ],
)
def test_numbers_below_their_lower_or_beyond_the_generic_bounds_are_refused_naming_the_bound(given, message):
    with pytest.raises(ConfigError) as error:
        resolve_params(FILE, "demo", BOUNDED, given)
    assert str(error.value).startswith("lecture.toml, table [demo], ")
    assert message in str(error.value)


def test_bounds_are_inclusive_and_a_declared_bound_wins_over_the_generic_one():
    params = resolve_params(
        FILE,
        "demo",
        BOUNDED,
        {"lr": 0.001, "shift": -1, "rates": [0.001], "speed": 1e-6, "offset": -1e6, "big": 1e8, "tiny": 1e-9},
    )
    assert (params.lr, params.shift, params.rates, params.speed, params.offset) == (0.001, -1.0, (0.001,), 1e-6, -1e6)
    assert (params.big, params.tiny) == (1e8, 1e-9)


# Section: the generic bounds of every range


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            [-1e6, 1e6],
            "key 'x_range': expected a range with both ends within ±10000, got [-1000000.0, 1000000.0]; "
            "try x_range = [-2, 2]",
        ),
        ([-1e300, 1], "key 'x_range': expected a range with both ends within ±10000"),
        (
            [1, 1.0000000000000002],
            "key 'x_range': expected a range at least 0.001 wide (0.001 × max(1, |min|, |max|)), "
            "got [1, 1.0000000000000002]; try x_range = [-2, 2]",
        ),
        ([1000, 1000.5], "key 'x_range': expected a range at least 1.0005 wide (0.001 × max(1, |min|, |max|))"),
        ([0, 0.0009], "key 'x_range': expected a range at least 0.001 wide"),
    ],
)
def test_a_range_too_far_out_or_too_narrow_is_refused_with_the_bound_and_a_range_that_works(value, message):
    with pytest.raises(ConfigError) as error:
        check(x_range=value, start=[0.0, 0.0], starts=[[0, 0]])
    assert message in str(error.value)


@pytest.mark.parametrize("value", [[-1e4, 1e4], [0, 0.001], [1000, 1002], [-1e4, -9990]])
def test_a_range_at_the_bounds_is_accepted(value):
    assert check(x_range=value, start=[value[0], 0.0], starts=[[value[1], 0]]).x_range == tuple(value)


# Section: formulas finite on their ranges

CURVE = {
    "formula": Param("x^2", "curve", "formula", variables=("x",), finite_on=("x_range",)),
    "x_range": Param([-2.5, 2.5], "x extent", "range"),
}
SURFACE = {
    "formula": Param("x^2 + y^2", "surface", "formula", variables=("x", "y"), finite_on=("x_range", "y_range")),
    "x_range": Param([-3, 3], "x extent", "range"),
    "y_range": Param([-3, 3], "y extent", "range"),
}
SQUARE = {
    "formula": Param("x^2 + y^2", "surface", "formula", variables=("x", "y"), finite_on=("square", "square")),
    "square": Param([-2, 2], "both extents", "range"),
}


def refusal(spec, **given) -> str:
    with pytest.raises(ConfigError) as error:
        resolve_params(FILE, "demo", spec, given)
    return str(error.value)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "log(x)",
            "key 'formula': 'log(x)' is not defined at x = -2.5 (x_range = [-2.5, 2.5]); "
            "use a range where it is defined, e.g. x_range = [0.1, 2.5]",
        ),
        ("sqrt(x)", "'sqrt(x)' is not defined at x = -2.5 (x_range = [-2.5, 2.5]); use a range where it is defined"),
        (
            "1/x",
            "'1/x' is not finite at x = 0 (x_range = [-2.5, 2.5]); use a range where it is finite, e.g. x_range = [",
        ),
        ("exp(x^10)", "'exp(x^10)' is not finite at x = -2.5 (x_range = [-2.5, 2.5])"),
        ("1/(x^2 + 1e-20)", "'1/(x^2 + 1e-20)' exceeds ±1e12 at x = 0 (x_range = [-2.5, 2.5])"),
        ("exp(12 x)", "'exp(12 x)' has a gradient beyond ±1e12 at x = 2.098 (x_range = [-2.5, 2.5])"),
        ("sqrt(abs(x))", "'sqrt(abs(x))' has an undefined gradient at x = 0 (x_range = [-2.5, 2.5])"),
        ("x^6 * 1e10", "'x^6 * 1e10' exceeds ±1e12 at x = -2.5"),
    ],
)
def test_a_curve_undefined_or_too_large_somewhere_on_its_range_is_refused_saying_where(formula, message):
    assert message in refusal(CURVE, formula=formula)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("1/(x - 0.0003)", "'1/(x - 0.0003)' is not finite near x = 0.0003 (x_range = [-2.5, 2.5]); use a range"),
        ("1/(x - 0.0003)^2", "is not finite near x = 0.0003"),
        ("log(abs(x - 0.0003))", "is not finite near x = 0.0003"),
        ("tan(x)", "'tan(x)' exceeds ±1e12 near x = -1.571 (x_range = [-2.5, 2.5]); use a range where it stays"),
    ],
)
def test_a_pole_between_the_samples_is_found(formula, message):
    assert message in refusal(CURVE, formula=formula)


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "log(x)",
            "'log(x)' is not defined at (x, y) = (-3, -3) (x_range = [-3, 3], y_range = [-3, 3]); "
            "use a range where it is defined, e.g. x_range = [0.1, 3]",
        ),
        (
            "log((x-0.0003)^2 + (y-0.0003)^2)",
            "has a gradient beyond ±1e12 near (x, y) = (0.0003, 0.0003) (x_range = [-3, 3], y_range = [-3, 3])",
        ),
        ("log((x-0.05)^2 + (y-0.05)^2)", "has a gradient beyond ±1e12 at (x, y) = (0.05, 0.05)"),
        ("1/((x-0.01)^2 + (y-0.013)^2)", "is not finite near (x, y) = (0.01, 0.013)"),
        (
            "sqrt(1 - x^2 - y^2)",
            "'sqrt(1 - x^2 - y^2)' is not defined at (x, y) = (-3, -3) (x_range = [-3, 3], y_range = [-3, 3]); "
            "change the formula or the ranges",
        ),
        ("exp(10 x y)", "exceeds ±1e12 at (x, y) = (-3, -3)"),
        (
            "1/(y - 3 + 1e-14) + x",
            "exceeds ±1e12 at (x, y) = (-3, 3) (x_range = [-3, 3], y_range = [-3, 3]); use a range where it stays within ±1e12, e.g. y_range = [-3, 2.9]",
        ),
        ("sqrt((x - 0.01)^2 + (y - 3)^2 - 4e-6) + x", "is not defined at (x, y) = (0.009, 3)"),  # between nodes
    ],
)
def test_a_surface_undefined_or_too_large_somewhere_in_its_box_is_refused_saying_where(formula, message):
    assert message in refusal(SURFACE, formula=formula)


def test_a_suggested_range_is_itself_accepted():
    text = refusal(SURFACE, formula="exp(10 x y)")
    suggested = re.search(r"e\.g\. x_range = \[(.+), (.+)\]$", text)
    assert suggested, text
    resolve_params(FILE, "demo", SURFACE, {"formula": "exp(10 x y)", "x_range": [float(v) for v in suggested.groups()]})


def test_one_range_for_both_variables_is_named_once_and_suggested_for_both():
    assert refusal(SQUARE, formula="log(x)").endswith(
        "'log(x)' is not defined at (x, y) = (-2, -2) (square = [-2, 2]); "
        "use a range where it is defined, e.g. square = [0.1, 2]"
    )


@pytest.mark.parametrize(
    "formula", ["x^2", "sin(1000 x)", "abs(x)", "3", "x^3 - 3x", "exp(x)", "1/(x - 2.6)", "log(x + 2.5 + 1e-9)"]
)
def test_curves_finite_on_their_range_are_accepted(formula):
    assert resolve_params(FILE, "demo", CURVE, {"formula": formula}).formula.text == formula


def test_the_landscapes_of_the_lecture_are_accepted_quickly():
    from gradcore.landscapes import LANDSCAPES

    for landscape in LANDSCAPES.values():
        ranges = {"x_range": list(landscape.x_range), "y_range": list(landscape.y_range)}
        started = time.perf_counter()
        resolve_params(FILE, "demo", SURFACE, {"formula": landscape.formula, **ranges})
        assert time.perf_counter() - started < 2.0, landscape.name


class Raising:
    """A compiled formula that raises on any negative x, as a lambdified function may."""

    variables, n, text = ("x",), 1, "raising"

    def __call__(self, x):
        if np.any(np.asarray(x) < 0):
            raise FloatingPointError("overflow encountered")
        return np.asarray(x, dtype=float) ** 2

    def gradient(self, p):
        return 2 * np.asarray(p, dtype=float)


def test_a_formula_that_raises_while_evaluated_is_refused_like_one_undefined_there():
    from scenes.toolkit.config import _domain_problem

    assert _domain_problem(Raising(), ("x_range",), {"x_range": (-2.5, 2.5)}) == (
        "is not defined at x = -2.5 (x_range = [-2.5, 2.5]); use a range where it is defined, e.g. x_range = [0.1, 2.5]"
    )


# Section: a key that follows another table's key

FOLLOWER = {
    "second_formula": Param(
        "x^2 + y^2",
        "the second landscape",
        "formula",
        variables=("x", "y"),
        finite_on=("x_range", "y_range"),
        default_from=("descent", "formula"),
    ),
    "x_range": Param([-2, 2], "x extent", "range"),
    "y_range": Param([-2, 2], "y extent", "range"),
}
LEADER = {"formula": Param("x^2 + 3 y^2", "the loss", "formula", variables=("x", "y"))}
TABLES = {"descent": LEADER, "field": FOLLOWER}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[descent]\nformula = "x^4 + y^4"\n', "x^4 + y^4"),  # follows the other table's key
        ('[descent]\nformula = "x^4 + y^4"\n[field]\nsecond_formula = "x y"\n', "x y"),  # its own value wins
        ("[descent]\n", "x^2 + y^2"),  # neither given: its own default, not the other key's default
        ("", "x^2 + y^2"),
    ],
)
def test_a_default_from_key_follows_the_other_key_only_when_it_is_absent(tmp_path, text, expected):
    path = tmp_path / "lecture.toml"
    path.write_text(text)
    field = validate_file(path, TABLES)["field"]
    assert field.second_formula.text == expected
    assert field.raw["second_formula"] == expected  # so the fingerprint changes with the followed key


class Follower:
    config_table, parameters = "field", FOLLOWER
    check_params = classmethod(lambda cls, params: None)


def test_the_loader_resolves_a_followed_key_and_names_where_a_bad_value_came_from(tmp_path, monkeypatch):
    from scenes.toolkit import loader

    monkeypatch.setattr(loader, "check_tables", lambda path, data, known: None)
    path = tmp_path / "lecture.toml"
    path.write_text('[descent]\nformula = "x^4 + y^4"\n')
    assert loader.load_scene_config(Follower, path)[1].second_formula.text == "x^4 + y^4"
    path.write_text('[descent]\nformula = "log(x) + y"\n')
    with pytest.raises(ConfigError) as error:
        loader.load_scene_config(Follower, path)
    assert str(error.value).startswith(
        "lecture.toml, table [field], key 'second_formula' (following [descent] formula): "
        "'log(x) + y' is not defined at (x, y) = (-2, -2)"
    )


def test_the_printed_config_leaves_a_followed_key_commented_out_so_it_follows(tmp_path):
    text = default_config(TABLES)
    assert (
        "# the second landscape\n"
        "# follows [descent] formula unless set; uncomment to set it here:\n"
        '# second_formula = "x^2 + y^2"\n'
    ) in text
    parsed = tomllib.loads(text)
    assert "second_formula" not in parsed["field"] and parsed["descent"]["formula"] == "x^2 + 3 y^2"
    path = tmp_path / "lecture.toml"
    path.write_text(text.replace('formula = "x^2 + 3 y^2"', 'formula = "x^4 + y^4"'))
    assert validate_file(path, TABLES)["field"].second_formula.text == "x^4 + y^4"
