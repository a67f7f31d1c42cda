"""python -m scenes: config checked before rendering, listing, the shipped lecture.toml."""

import contextlib
import json
import os
import shutil
import subprocess
import time
import tomllib

import pytest

import scenes.__main__
import scenes.render
from scenes import catalog
from scenes.__main__ import _prepare_jobs, cut, main
from scenes.toolkit.config import DEFAULT_CONFIG, ConfigError, default_config, validate_file


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
    (tmp_path / "empty.toml").write_text("")
    assert main(["render", "TangentArrow", "--config", str(tmp_path / "empty.toml"), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith(" 1  TangentArrow")]
    assert row.split()[2] == "failed"
    assert row.endswith("manim exited with 1: RuntimeError: not a real render")  # the table keeps one line
    assert "TangentArrow failed: manim exited with 1: RuntimeError: not a real render\n" in out  # then the tail


DAMAGED_MANIFESTS = [
    b"{not json",
    b"\xff\xfe",
    b"null",
    b'["TangentArrow"]',
    b'{"clips": null}',
    b'{"clips": "TangentArrow"}',
    b'{"clips": [{"scene": "TangentArrow"}]}',
    b'{"clips": [{"scene": "TangentArrow", "duration": "long"}]}',
    b'{"clips": [{"scene": "TangentArrow", "duration": 3.0, "input_hash": "h", "files": null}]}',
    b'{"clips": [{"duration": 3.0, "input_hash": "h", "files": {"video": "01_TangentArrow.mp4"}}]}',
    None,  # a folder in the manifest's place
]


@pytest.mark.parametrize("damaged", DAMAGED_MANIFESTS)
def test_list_reads_past_a_damaged_manifest_with_a_warning(tmp_path, capsys, damaged):
    whole = {"scene": "TangentArrow", "duration": 12.3, "input_hash": "h", "files": {"video": "01_TangentArrow.mp4"}}
    for name in ("en-dark-l", "zh-dark-l"):
        (tmp_path / name).mkdir()
    if damaged is None:
        (tmp_path / "en-dark-l" / "manifest.json").mkdir()
    else:
        (tmp_path / "en-dark-l" / "manifest.json").write_bytes(damaged)
    (tmp_path / "zh-dark-l" / "manifest.json").write_text(json.dumps({"clips": [whole]}))
    (tmp_path / "zh-dark-l" / "01_TangentArrow.mp4").write_bytes(b"a clip")
    assert main(["list", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    rows = {row.split()[1]: row for row in out.splitlines()[1:]}
    assert rows["TangentArrow"].endswith(" 12.3")
    assert rows["DirectionalDerivative"].endswith("not rendered yet")
    (warning,) = err.splitlines()
    assert warning.startswith("warning: en-dark-l: manifest.json ") and warning.endswith(
        "rebuilt from the clips in the folder"
    )


def test_list_does_not_count_a_clip_whose_files_are_gone(tmp_path, capsys):
    whole = {"scene": "TangentArrow", "duration": 12.3, "input_hash": "h", "files": {"video": "01_TangentArrow.mp4"}}
    (tmp_path / "en-dark-l").mkdir()
    (tmp_path / "en-dark-l" / "manifest.json").write_text(json.dumps({"clips": [whole]}))
    assert main(["list", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[1].endswith("not rendered yet")
    assert "TangentArrow: 01_TangentArrow.mp4 is missing, so the clip renders again" in err


def test_a_scene_named_twice_is_one_job(tmp_path):
    assert [job.entry.scene for job in _prepare_jobs(["TangentArrow", "tangent", "TANGENTARROW"])] == ["TangentArrow"]


# Section: file and folder problems: one line, exit 2


def render_error(capsys, *args: str) -> str:
    """The render's stderr, after checking it is one ``error:`` line and the exit code 2."""
    assert main(["render", "TangentArrow", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    return err.strip()


CONFIG_FILES = {
    "a folder": (None, "is a folder, not a config file: name a .toml file"),
    "bad UTF-8": (b"[lecture]\ntheme = 'dark \xff'\n", "not UTF-8 text (byte 0xff on line 2); save it as UTF-8"),
    "UTF-16": ("[lecture]\n".encode("utf-16"), "saved as UTF-16 text; save it as UTF-8"),
    "UTF-16 without a mark": ("[lecture]\n".encode("utf-16-le"), "saved as UTF-16 text"),
    "deeply nested": (b"x = " + b"[" * 100_000, "lists or tables nested too deeply to read"),
    "broken TOML": (b"[lecture\n", "not valid TOML"),
}


@pytest.mark.parametrize("case", CONFIG_FILES)
def test_a_config_file_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, capsys, case):
    data, message = CONFIG_FILES[case]
    config = tmp_path / "lecture.toml"
    config.mkdir() if data is None else config.write_bytes(data)
    assert message in render_error(capsys, "--config", str(config), "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_a_config_with_a_utf8_byte_order_mark_is_read(tmp_path):
    config = tmp_path / "lecture.toml"
    config.write_bytes('\ufeff[lecture]\ntheme = "light"\n'.encode())
    assert _prepare_jobs(["TangentArrow"], config)[0].settings.theme == "light"


def test_a_named_config_that_does_not_exist_is_an_error_not_the_defaults(tmp_path, capsys):
    err = render_error(capsys, "--config", str(tmp_path / "typo.toml"), "--out", str(tmp_path / "out"))
    assert err == f"error: --config {tmp_path / 'typo.toml'}: no such file"


def test_an_out_that_is_a_file_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    err = render_error(capsys, "--out", str(tmp_path / "out"))
    assert "a file is in the way of the output folder; choose another --out" in err


@contextlib.contextmanager
def read_only(path):
    """Make ``path`` read-only for this process (chattr +i when root, else chmod); skip where neither holds."""
    root = os.geteuid() == 0
    undo = ["chattr", "-i", str(path)] if root else None
    if root:
        if (
            shutil.which("chattr") is None
            or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode
        ):
            pytest.skip("root, and chattr +i is not available here")
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        if undo:
            subprocess.run(undo, check=True)
        else:
            path.chmod(mode)


def test_a_read_only_out_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    with read_only(tmp_path / "out"):
        err = render_error(capsys, "--out", str(tmp_path / "out"))
    assert "cannot write there (permission denied or read-only); choose another --out" in err
    assert list((tmp_path / "out").iterdir()) == []


def test_a_read_only_manifest_stops_the_render_before_anything_is_replaced(tmp_path, capsys):
    folder = tmp_path / "en-dark-l"
    folder.mkdir(parents=True)
    (folder / "01_TangentArrow.mp4").write_bytes(b"the old clip")
    manifest = folder / "manifest.json"
    manifest.write_text('{"clips": []}')
    with read_only(manifest):
        err = render_error(capsys, "--lang", "en", "--theme", "dark", "--out", str(tmp_path))
    assert "manifest.json is read-only; make it writable (chmod u+w) or remove it" in err
    assert (folder / "01_TangentArrow.mp4").read_bytes() == b"the old clip"
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "01_TangentArrow.mp4", "manifest.json"]


def test_a_refusal_quoting_a_huge_value_is_cut_to_a_readable_line(tmp_path, capsys):
    config = tmp_path / "lecture.toml"
    config.write_text("[tangent]\nx_range = [" + ", ".join(["1"] * 200_000) + "]\n")
    err = render_error(capsys, "--config", str(config), "--out", str(tmp_path / "out"))
    assert len(err) < 400  # 600 kB of list before
    assert "key 'x_range'" in err and err.endswith("; try x_range = [-2.5, 2.5]")


def test_any_long_line_of_an_error_is_cut_in_the_middle(tmp_path, capsys, monkeypatch):
    def refuse(*args):
        raise ConfigError("lecture.toml: refused " + "x" * 100_000 + " for a reason")

    monkeypatch.setattr(scenes.__main__, "_prepare_jobs", refuse)
    err = render_error(capsys, "--out", str(tmp_path))
    assert err.startswith("error: lecture.toml: refused xxx") and err.endswith("xxx for a reason")
    assert "characters cut" in err and len(err) < 400


def test_cut_keeps_short_lines_and_the_ends_of_long_ones():
    assert cut("short\nlines") == "short\nlines"
    long = "a" * 500 + "b" * 500
    assert cut(long, width=100) == "a" * 50 + " … 900 characters cut … " + "b" * 50


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("".join(f"(x+{i})" for i in range(1, 84)), "formula too large to differentiate"),
        ("+".join(["x"] * 143), "more than 100 terms in one sum"),
        ("exp(710) + x", "constant too large"),
        ("e^-2x", "'e^-2x' would read as e^(-2)·x"),
    ],
    ids=["83 factors", "143 terms", "exp(710)", "e^-2x"],
)
def test_a_formula_too_big_or_misread_is_refused_in_seconds_with_the_key_named(tmp_path, capsys, formula, words):
    config = tmp_path / "lecture.toml"
    config.write_text(f'[tangent]\nformula = "{formula}"\n')
    start = time.monotonic()
    assert main(["render", "TangentArrow", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    assert time.monotonic() - start < 5  # 24.5 s of checking, then a traceback, before
    err = capsys.readouterr().err
    assert err.startswith("error: lecture.toml, table [tangent], key 'formula': formula refused: ") and words in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
