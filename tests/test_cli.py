"""python -m scenes: config checked before rendering, listing, the shipped lecture.toml."""

import tomllib

import pytest

from scenes import catalog
from scenes.__main__ import main
from scenes.toolkit.config import DEFAULT_CONFIG, default_config, validate_file


def test_bad_config_stops_the_render_before_anything_is_written(tmp_path, capsys):
    config = tmp_path / "lecture.toml"
    config.write_text('[tangent]\nformula = "x^2 + sinx"\n')
    out = tmp_path / "out"
    assert main(["render", "--config", str(config), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: lecture.toml, table [tangent], key 'formula': formula refused")
    assert "sinx" in error
    assert not out.exists()


def test_a_learning_rate_below_zero_is_refused_with_the_key_named(tmp_path, capsys):
    config = tmp_path / "lecture.toml"
    config.write_text("[tangent]\nlr = -0.1\n")
    assert main(["render", "TangentArrow", "--config", str(config), "--out", str(tmp_path)]) == 2
    assert "table [tangent], key 'lr': expected a number greater than 0, got -0.1" in capsys.readouterr().err


def test_an_unknown_scene_name_lists_the_scenes(tmp_path, capsys):
    assert main(["render", "NoSuchScene", "--out", str(tmp_path)]) == 2
    assert "no scene named 'NoSuchScene'; the scenes are: TangentArrow" in capsys.readouterr().err


def test_list_prints_the_scenes_in_lecture_order(tmp_path, capsys):
    assert main(["list", "--out", str(tmp_path)]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split()[1] for row in rows] == [entry.scene for entry in catalog.available()]
    assert rows[0].split()[:3] == ["1", "TangentArrow", "scenes/tangent.py"]


def test_the_shipped_config_lists_every_parameter_and_validates():
    shipped = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    full = tomllib.loads(default_config(catalog.scene_tables()))
    assert {t: sorted(keys) for t, keys in shipped.items()} == {t: sorted(keys) for t, keys in full.items()}
    validate_file(DEFAULT_CONFIG, catalog.scene_tables())


@pytest.mark.parametrize("table", [entry.table for entry in catalog.available()])
def test_every_parameter_is_documented_in_the_shipped_config(table):
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    for key, param in catalog.find(table).load().parameters.items():
        assert f"# {param.help}\n{key} = " in text
