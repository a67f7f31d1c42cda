"""lecture.toml validation: every kind of bad input names file, table, key and expectation."""

from pathlib import Path

import numpy as np
import pytest

from scenes.toolkit.config import ConfigError, Param, lecture_settings, resolve_params, validate_file

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


def test_environment_overrides_language_theme_and_captions(monkeypatch, tmp_path):
    path = tmp_path / "lecture.toml"
    path.write_text('[lecture]\nlanguage = "zh"\ntheme = "dark"\n')
    monkeypatch.setenv("LECTURE_LANG", "en")
    monkeypatch.setenv("LECTURE_THEME", "light")
    monkeypatch.setenv("LECTURE_CAPTIONS", "0")
    settings = lecture_settings(path=path)
    assert (settings.language, settings.theme, settings.captions) == ("en", "light", False)
    monkeypatch.setenv("LECTURE_LANG", "fr")
    with pytest.raises(ConfigError, match="LECTURE_LANG='fr': expected one of zh, en"):
        lecture_settings(path=path)


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
        ({"formula": "log(x)"}, "key 'formula': 'log(x)' or its gradient is not finite everywhere on "
                                "x_range = [-1, 1], y_range = [-1, 1]"),
        ({"formula": "1/x + y"}, "not finite everywhere"),
    ],
)
def test_limits_and_finite_formulas_are_checked(given, message):
    with pytest.raises(ConfigError) as error:
        resolve_params(FILE, "demo", LIMITED, given)
    assert message in str(error.value)


def test_a_formula_is_checked_on_the_ranges_given_in_the_same_table():
    params = resolve_params(FILE, "demo", LIMITED, {"formula": "log(x)", "x_range": [0.5, 2], "starts": [[1, 0]]})
    assert params.formula(1.0, 0.0) == 0.0
