"""python -m scenes: config checked before rendering, listing, the shipped lecture.toml."""

import json
import os
import tomllib

import pytest

import scenes.render
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
        if param.default_from is None:
            assert f"# {param.help}\n{key} = " in text
        else:  # commented out, so that it follows the other table's key until a lecturer sets it
            other, source = param.default_from
            assert f"# {param.help}\n# follows [{other}] {source} unless set" in text
            assert f"\n# {key} = " in text


class Child:
    """A stand-in for a ``manim render`` child: records what it was handed, then fails."""

    envs: list = []

    def __init__(self, command, *, env, **kwargs):
        Child.envs.append(env)
        self.returncode = 1

    def communicate(self):
        return "", "RuntimeError: not a real render\n"

    def terminate(self):
        pass


@pytest.mark.parametrize("table", ["", "[tangent]\nlr = -1\n"], ids=["render", "bad config"])
def test_render_leaves_the_environment_exactly_as_it_found_it(tmp_path, monkeypatch, table):
    config = tmp_path / "lecture.toml"
    config.write_text(f'[lecture]\ntheme = "light"\n{table}')
    monkeypatch.setenv("LECTURE_THEME", "dark")  # a shell variable: not one of the CLI's inputs
    monkeypatch.delenv("LECTURE_LANG", raising=False)
    monkeypatch.setattr(scenes.render.subprocess, "Popen", Child)
    Child.envs = []
    before = dict(os.environ)
    code = main(["render", "TangentArrow", "--lang", "en", "--config", str(config), "--out", str(tmp_path / "out")])
    assert dict(os.environ) == before
    if table:
        assert (code, Child.envs) == (2, [])
        return
    assert code == 1
    (env,) = Child.envs
    assert (env["LECTURE_CONFIG"], env["LECTURE_LANG"], env["LECTURE_THEME"]) == (str(config.resolve()), "en", "light")


def test_a_failed_render_prints_the_end_of_the_childs_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(scenes.render.subprocess, "Popen", Child)
    assert main(["render", "TangentArrow", "--config", str(tmp_path / "absent.toml"), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith(" 1  TangentArrow")]
    assert row.split()[2] == "failed"
    assert row.endswith("manim exited with 1: RuntimeError: not a real render")  # the table keeps one line
    assert "TangentArrow failed: manim exited with 1: RuntimeError: not a real render\n" in out  # then the tail


DAMAGED_MANIFESTS = [
    b"{not json",
    b"\xff\xfe",
    b'["TangentArrow"]',
    b'{"clips": "TangentArrow"}',
    b'{"clips": [{"scene": "TangentArrow"}]}',
    b'{"clips": [{"scene": "TangentArrow", "duration": "long"}]}',
    b'{"clips": [{"duration": 3.0, "input_hash": "h", "files": {"video": "01_TangentArrow.mp4"}}]}',
]


@pytest.mark.parametrize("damaged", DAMAGED_MANIFESTS)
def test_list_reads_past_a_damaged_manifest(tmp_path, capsys, damaged):
    whole = {"scene": "TangentArrow", "duration": 12.3, "input_hash": "h", "files": {"video": "01_TangentArrow.mp4"}}
    for name, data in (("en-dark-l", damaged), ("zh-dark-l", json.dumps({"clips": [whole]}).encode())):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_bytes(data)
    assert main(["list", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    rows = {row.split()[1]: row for row in out.splitlines()[1:]}
    assert rows["TangentArrow"].endswith(" 12.3")
    assert rows["DirectionalDerivative"].endswith("not rendered yet")
    assert err == ""
