"""lecture.toml validation: every kind of bad input names file, table, key and expectation."""

import re
from pathlib import Path

import numpy as np
import pytest

from scenes.toolkit.config import ConfigError, Param, lecture_settings, resolve_params, validate_file
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
            "key 'formula': 'log(x)' or its gradient is not finite everywhere on "
            "x_range = [-1, 1], y_range = [-1, 1]",
        ),
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
